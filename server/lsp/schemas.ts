/**
 * Schema registry: turns the generated Kubernetes definitions bundle (server/schemas/k8s.json)
 * and KubeFed's own kinds into standalone JSON schemas, one per kind, served to
 * yaml-language-server under `https://schemas.kubefed-tools.invalid/...` identifiers (never fetched:
 * the schema request service answers them from memory).
 *
 * Federated kinds are derived from their target kind: `spec.template` is the target schema; an
 * override `value` is checked against the schema of the field its `path` points to (one schema
 * per set of paths, see `schemaIdFor`).
 */
import k8sBundle from '../schemas/k8s.json';
import { escapeToken, pointerTokens } from '../engine/pointer.ts';
import { fnv1_32 } from '../engine/fnv.ts';
import { editDistance } from '../engine/spelling.ts';
import { V1ALPHA1_CORE, V1BETA1_TYPES, V1BETA1_TYPES_API, groupOf } from '../engine/apiGroups.ts';
import { federatedKindFor, targetKindOf } from '../engine/ftc.ts';
import { TypeIndex, type ObjectRole } from '../engine/model.ts';
import type { JsonObject } from '../engine/json.ts';
import type { KindInfo, SchemaBundle } from '../engine/validation/openapi.ts';
import { builtinTypeConfigs, builtinTypeConfigsOfBothEras, federatedApiVersion, targetApiVersion, type TypeConfig } from '../engine/typeconfigs.ts';
import {
  KUBEFED_KINDS,
  LABEL_SELECTOR,
  OBJECT_META,
  clusterOverrideItem,
  topLevel,
  v1alpha1Override,
  v1alpha1Placement,
  v1beta1Overrides,
  v1beta1Placement,
  type Schema,
} from './kubefedSchemas.ts';

export type { Schema };

export const SCHEMA_PREFIX = 'https://schemas.kubefed-tools.invalid/';

export type { KindInfo, SchemaBundle };

export type KindCategory =
  | { type: 'k8s'; info: KindInfo }
  | { type: 'kubefed' }
  | { type: 'federated'; era: 'v1beta1'; target: KindInfo }
  | { type: 'v1alpha1-template'; target: KindInfo }
  | { type: 'v1alpha1-placement'; target?: KindInfo }
  | { type: 'v1alpha1-override'; target: KindInfo; field: string[] }
  | { type: 'list' };

/** A v1alpha1 kind of a type config (template, placement or override). */
export interface V1alpha1Kind {
  apiVersion: string;
  kind: string;
  role: 'template' | 'placement' | 'override';
  typeConfig: TypeConfig;
}

/** Kinds of KubeFed's own groups with a schema here, by group: an unknown kind there is a mistake. */
const KUBEFED_GROUPS = new Set(Object.keys(KUBEFED_KINDS).map((k) => groupOf(k.split('|')[0])));
/** Target kinds of the federated types `kubefedctl enable` creates by default. */
const DEFAULT_FEDERATED_TARGETS = new Set(builtinTypeConfigs('v1beta1').map((t) => t.targetKind));

const key = (apiVersion: string, kind: string) => `${apiVersion}|${kind}`;

/** A short stable name for a set of paths or kinds in a schema identifier. */
function hash(s: string): string {
  return fnv1_32(s).toString(36);
}

/** What changes the schemas in a set of type configs. */
function typesSignature(types: TypeIndex): string {
  return JSON.stringify(
    types.all.map((t) => [t.era, federatedApiVersion(t), t.federatedKind, t.templateGroup, t.templateVersion, t.templateKind, t.placementKind, t.overrideKind, t.overridePath, targetApiVersion(t), t.targetKind]),
  );
}

export class SchemaRegistry {
  readonly version: string;
  /** The pinned definitions, plus those of the workspace's CRDs. */
  definitions: Record<string, Schema>;
  private k8s = new Map<string, KindInfo>();
  private byKind = new Map<string, KindInfo[]>();
  /** Groups of the pinned kinds (not of CRDs: another CRD of the group may be elsewhere). */
  private readonly groups = new Set<string>();
  /** Schemas of the workspace's CustomResourceDefinitions (engine analysis). */
  private crds: SchemaBundle | undefined;
  /** The engine's type index (built-in and workspace FederatedTypeConfigs): which kinds are federated. */
  private types = new TypeIndex(builtinTypeConfigsOfBothEras());
  private typesKey = typesSignature(this.types);
  /** Targets of type configs that the schema bundle does not have. */
  private readonly loose = new Map<string, KindInfo>();
  private readonly contents = new Map<string, string>();
  private readonly pathSets = new Map<string, string[]>();

  constructor(readonly pinned: SchemaBundle = k8sBundle as unknown as SchemaBundle) {
    this.version = pinned.version;
    this.definitions = pinned.definitions;
    for (const k of pinned.kinds) this.groups.add(k.group);
    this.index();
  }

  /** Kinds by apiVersion/kind and by kind: the pinned ones, then CRD kinds the pinned set lacks. */
  private index(): void {
    this.k8s = new Map();
    this.byKind = new Map();
    for (const k of [...this.pinned.kinds, ...(this.crds?.kinds ?? [])]) {
      if (this.k8s.has(key(k.apiVersion, k.kind))) continue;
      this.k8s.set(key(k.apiVersion, k.kind), k);
      const list = this.byKind.get(k.kind) ?? [];
      list.push(k);
      this.byKind.set(k.kind, list);
    }
    const extra = this.crds?.definitions ?? {};
    this.definitions = Object.keys(extra).length ? { ...this.pinned.definitions, ...extra } : this.pinned.definitions;
  }

  /** Uses the CRD schemas of a workspace analysis; true when that changes the schemas. */
  setCrds(crds: SchemaBundle): boolean {
    if (crds === this.crds) return false;
    const before = this.crds;
    this.crds = crds;
    if (!before?.kinds.length && !crds.kinds.length) return false;
    this.index();
    this.loose.clear();
    this.contents.clear();
    return true;
  }

  /** All Kubernetes kinds of the bundle. */
  k8sKinds(): KindInfo[] {
    return [...this.k8s.values()];
  }

  /** The preferred Kubernetes kind for a bare kind name (`Ingress` -> networking.k8s.io/v1). */
  targetByKind(kind: string, apiVersion?: string): KindInfo | undefined {
    if (apiVersion) {
      const exact = this.k8s.get(key(apiVersion, kind));
      if (exact) return exact;
    }
    const list = this.byKind.get(kind);
    if (!list?.length) return undefined;
    return list.find((k) => k.version === 'v1') ?? list[0];
  }

  /** The target kind of a type config; one without schema when this Kubernetes version does not serve it. */
  targetOf(tc: TypeConfig): KindInfo {
    const apiVersion = targetApiVersion(tc);
    const k = key(apiVersion, tc.targetKind);
    const known = this.k8s.get(k) ?? this.loose.get(k);
    if (known) return known;
    // A target this Kubernetes version does not serve (extensions/v1beta1 Ingress): no template schema.
    const info: KindInfo = { apiVersion, group: tc.targetGroup, version: tc.targetVersion, kind: tc.targetKind, definition: '', namespaced: tc.namespaced };
    this.loose.set(k, info);
    return info;
  }

  /** Federated kinds known without looking at the workspace (v1beta1 for every target kind), then those of type configs. */
  federatedKinds(): { apiVersion: string; kind: string; target: KindInfo; isDefault: boolean }[] {
    const out: { apiVersion: string; kind: string; target: KindInfo; isDefault: boolean }[] = [];
    const seen = new Set<string>();
    for (const t of this.k8sKinds()) {
      const kind = federatedKindFor(t.kind);
      if (seen.has(kind)) continue;
      const target = this.targetByKind(t.kind)!;
      seen.add(kind);
      out.push({ apiVersion: V1BETA1_TYPES_API, kind, target, isDefault: DEFAULT_FEDERATED_TARGETS.has(t.kind) });
    }
    for (const tc of this.types.federatedKinds()) {
      const kind = tc.federatedKind;
      if (!kind || !tc.federatedGroup || seen.has(kind)) continue;
      seen.add(kind);
      out.push({ apiVersion: federatedApiVersion(tc), kind, target: this.targetOf(tc), isDefault: DEFAULT_FEDERATED_TARGETS.has(tc.targetKind) });
    }
    return out.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.kind.localeCompare(b.kind));
  }

  /** v1alpha1 kinds (template, placement, override) of the type configs. */
  v1alpha1Kinds(): V1alpha1Kind[] {
    const out: V1alpha1Kind[] = [];
    for (const tc of this.types.all) {
      if (tc.era !== 'v1alpha1') continue;
      // The Namespace template is core v1 Namespace itself.
      if (tc.templateKind && tc.templateGroup) out.push({ apiVersion: `${tc.templateGroup}/${tc.templateVersion}`, kind: tc.templateKind, role: 'template', typeConfig: tc });
      if (tc.placementKind) out.push({ apiVersion: federatedApiVersion(tc), kind: tc.placementKind, role: 'placement', typeConfig: tc });
      if (tc.overrideKind && tc.overridePath) out.push({ apiVersion: federatedApiVersion(tc), kind: tc.overrideKind, role: 'override', typeConfig: tc });
    }
    return out;
  }

  kubefedKinds(): { apiVersion: string; kind: string }[] {
    return Object.keys(KUBEFED_KINDS).map((k) => {
      const [apiVersion, kind] = k.split('|');
      return { apiVersion, kind };
    });
  }

  /** Uses the type configs of a workspace analysis; true when that changes the schemas. */
  setTypes(types: TypeIndex): boolean {
    if (types === this.types) return false;
    this.types = types;
    const sig = typesSignature(types);
    if (sig === this.typesKey) return false;
    this.typesKey = sig;
    return true;
  }

  /** What an apiVersion/kind pair is (the engine's classifier decides); undefined for kinds outside every known group. */
  categorize(apiVersion: string, kind: string): KindCategory | { type: 'unknown-kind'; group: string } | undefined {
    if (kind === 'List' && apiVersion === 'v1') return { type: 'list' };
    const k = key(apiVersion, kind);
    const info = this.k8s.get(k);
    if (info) return { type: 'k8s', info };
    if (KUBEFED_KINDS[k]) return { type: 'kubefed' };
    const group = groupOf(apiVersion);
    const r = this.types.classifyKind(group, kind);
    switch (r.role) {
      case 'federated':
        return { type: 'federated', era: 'v1beta1', target: this.targetOf(r.typeConfig) };
      case 'template':
        return { type: 'v1alpha1-template', target: this.targetOf(r.typeConfig) };
      case 'placement':
        return { type: 'v1alpha1-placement', target: this.targetOf(r.typeConfig) };
      case 'override':
        return r.typeConfig.overridePath ? { type: 'v1alpha1-override', target: this.targetOf(r.typeConfig), field: r.typeConfig.overridePath } : undefined;
      case 'unknown-federated': {
        // A kind `kubefedctl enable` would create (Federated<Kind> in types.kubefed.io) still gets its schema.
        const targetKind = group === V1BETA1_TYPES ? targetKindOf(kind) : undefined;
        const target = targetKind ? this.targetByKind(targetKind) : undefined;
        return target ? { type: 'federated', era: 'v1beta1', target } : { type: 'unknown-kind', group };
      }
    }
    if (KUBEFED_GROUPS.has(group) || this.groups.has(group)) return { type: 'unknown-kind', group };
    return undefined;
  }

  /** The engine's role of an object, with the type configs the schemas are built from. */
  roleOf(o: JsonObject): ObjectRole {
    return this.types.classify(o);
  }

  /** The engine's reading of a kind: does it report this kind itself (unknown-federated-kind)? */
  engineReportsKind(apiVersion: string, kind: string): boolean {
    return this.types.classifyKind(groupOf(apiVersion), kind).role === 'unknown-federated';
  }

  /** Kinds of the same group, nearest first, for "did you mean" messages and quick fixes. */
  suggestKinds(apiVersion: string, kind: string, max = 3): { apiVersion: string; kind: string }[] {
    const group = groupOf(apiVersion);
    let candidates: { apiVersion: string; kind: string }[] = [];
    if (group === V1BETA1_TYPES) candidates = this.federatedKinds().map((f) => ({ apiVersion, kind: f.kind }));
    else if (group === V1ALPHA1_CORE) candidates = this.v1alpha1Kinds().map((f) => ({ apiVersion, kind: f.kind }));
    else {
      candidates = this.kubefedKinds().filter((k) => k.apiVersion.startsWith(group + '/') || k.apiVersion === apiVersion);
      for (const k of this.k8s.values()) if (k.group === group) candidates.push({ apiVersion: k.apiVersion, kind: k.kind });
      // a kind of another group with the same name (apps/v1 Ingress -> networking.k8s.io/v1 Ingress)
      for (const k of this.byKind.get(kind) ?? []) candidates.push({ apiVersion: k.apiVersion, kind: k.kind });
    }
    const lower = kind.toLowerCase();
    return candidates
      .map((c) => ({ c, d: c.kind === kind ? 0 : editDistance(lower, c.kind.toLowerCase()) }))
      .filter((x) => x.d <= Math.max(2, Math.floor(kind.length / 3)) || x.c.kind === kind)
      .sort((a, b) => a.d - b.d || a.c.kind.localeCompare(b.c.kind))
      .slice(0, max)
      .map((x) => x.c);
  }

  /**
   * Schema identifier for a document of this apiVersion/kind, or undefined when there is none.
   * `overridePaths` (v1beta1 federated kinds) adds a check of each override value against the
   * schema of its path; `listKinds` gives the item kinds of a `v1/List`.
   */
  schemaIdFor(apiVersion: string, kind: string, opts: { overridePaths?: string[]; listKinds?: [string, string][] } = {}): string | undefined {
    const c = this.categorize(apiVersion, kind);
    if (!c || c.type === 'unknown-kind') return undefined;
    if (c.type === 'list') {
      const items = [...new Set((opts.listKinds ?? []).map(([a, k]) => key(a, k)))].filter((k) => {
        const [a, kk] = k.split('|');
        const ic = this.categorize(a, kk);
        return ic && ic.type !== 'unknown-kind' && ic.type !== 'list';
      });
      if (!items.length) return undefined;
      items.sort();
      const h = hash(items.join('\n'));
      this.pathSets.set('list:' + h, items);
      return `${SCHEMA_PREFIX}list/${h}.json`;
    }
    const av = (a: string) => a.replace(/\//g, '~');
    let id = `${SCHEMA_PREFIX}kind/${av(apiVersion)}/${kind}`;
    if (c.type === 'federated') id += `/${av(c.target.apiVersion)}/${c.target.kind}`;
    // A CRD's schema can change under the same kind: its hash is part of the identifier.
    const crdHash = c.type === 'k8s' ? c.info.hash : 'target' in c ? c.target?.hash : undefined;
    if (crdHash) id += `/crd-${crdHash}`;
    const paths = c.type === 'federated' ? [...new Set(opts.overridePaths ?? [])].filter((p) => p.startsWith('/')).sort() : [];
    if (paths.length) {
      const h = hash(paths.join('\n'));
      this.pathSets.set(id + '|' + h, paths);
      id += `/paths-${h}`;
    }
    return id + '.json';
  }

  /** Drops the text built for a schema identifier (it is built again on demand). */
  forget(id: string): void {
    this.contents.delete(id);
  }

  /** The JSON text of a schema identifier (what the schema request service answers). */
  content(id: string): string | undefined {
    const cached = this.contents.get(id);
    if (cached) return cached;
    const schema = this.build(id);
    if (!schema) return undefined;
    const text = JSON.stringify(schema);
    if (this.contents.size > 500) this.contents.clear();
    this.contents.set(id, text);
    return text;
  }

  private build(id: string): Schema | undefined {
    if (!id.startsWith(SCHEMA_PREFIX)) return undefined;
    const rest = id.slice(SCHEMA_PREFIX.length).replace(/\.json$/, '');
    if (rest.startsWith('list/')) {
      const items = this.pathSets.get('list:' + rest.slice(5));
      if (!items) return undefined;
      return this.listSchema(items);
    }
    if (!rest.startsWith('kind/')) return undefined;
    const parts = rest.slice(5).split('/');
    const apiVersion = parts[0].replace(/~/g, '/');
    const kind = parts[1];
    let pathsKey: string | undefined;
    const last = parts[parts.length - 1];
    if (last.startsWith('paths-')) pathsKey = id.slice(0, id.lastIndexOf('/paths-')) + '|' + last.slice(6);
    const paths = pathsKey ? this.pathSets.get(pathsKey) : undefined;
    const root = this.rootSchema(apiVersion, kind, paths);
    return root ? this.standalone(root) : undefined;
  }

  /** The root schema of a kind (references into `#/definitions`), or undefined. */
  rootSchema(apiVersion: string, kind: string, overridePaths?: string[]): Schema | undefined {
    const c = this.categorize(apiVersion, kind);
    if (!c) return undefined;
    switch (c.type) {
      case 'k8s':
        return { $ref: `#/definitions/${c.info.definition}` };
      case 'kubefed':
        return KUBEFED_KINDS[key(apiVersion, kind)];
      case 'federated':
        return this.v1beta1Federated(apiVersion, kind, c.target, overridePaths);
      case 'v1alpha1-template':
        return topLevel(apiVersion, kind, `Template of the federated ${c.target.kind} (v1alpha1 era); placement and overrides are separate objects with the same namespace/name.`, {
          spec: {
            type: 'object',
            additionalProperties: false,
            properties: { template: this.templateSchema(c.target, false) },
          },
        });
      case 'v1alpha1-placement':
        return v1alpha1Placement(apiVersion, kind);
      case 'v1alpha1-override':
        return v1alpha1Override(apiVersion, kind, c.field[c.field.length - 1], this.schemaAt(c.target, c.field) ?? {});
      default:
        return undefined;
    }
  }

  /** The target schema as a template: no status, apiVersion/kind free (they may be omitted). */
  templateSchema(target: KindInfo, v1beta1: boolean): Schema {
    if (!this.definitions[target.definition]) {
      return { type: 'object', description: `The ${target.kind} (${target.apiVersion}) to propagate. No schema: Kubernetes ${this.version} does not serve ${target.apiVersion}.` };
    }
    const def = this.deref({ $ref: `#/definitions/${target.definition}` });
    const props = { ...((def.properties as Record<string, Schema>) ?? {}) };
    delete props.status;
    props.apiVersion = { type: 'string', description: `Defaults to \`${target.apiVersion}\`.` };
    props.kind = { type: 'string', enum: [target.kind], description: `Always \`${target.kind}\` (set from the type config).` };
    return {
      ...def,
      description: `The ${target.kind} to propagate${v1beta1 ? '; metadata name/namespace are taken from the federated object' : ''}.`,
      properties: props,
    };
  }

  private v1beta1Federated(apiVersion: string, kind: string, target: KindInfo, overridePaths?: string[]): Schema {
    const rules: Schema[] = [];
    for (const p of overridePaths ?? []) {
      const segs = pointerTokens(p);
      if (!segs) continue;
      const s = this.schemaAt(target, segs);
      if (!s) continue;
      rules.push({
        if: { properties: { path: { const: p }, op: { not: { const: 'remove' } } }, required: ['path'] },
        then: { properties: { value: s } },
      });
    }
    const spec: Record<string, Schema> = {
      template: this.templateSchema(target, true),
      placement: v1beta1Placement(),
      overrides: v1beta1Overrides(clusterOverrideItem(rules.length ? { allOf: rules } : {})),
    };
    const replicas = this.schemaAt(target, ['spec', 'replicas']);
    if (replicas && replicas.type === 'integer') {
      spec.retainReplicas = { type: 'boolean', description: 'Keep the replicas of the member cluster copy (set by an autoscaler) instead of the template value.' };
    }
    return topLevel(
      apiVersion,
      kind,
      `Federated ${target.kind} (${target.apiVersion}): template, placement and per-cluster overrides.`,
      {
        spec: { type: 'object', additionalProperties: false, properties: spec, description: 'Template, placement and overrides.' },
        status: { type: 'object', description: 'Written by KubeFed.' },
      },
      ['spec'],
    );
  }

  private listSchema(items: string[]): Schema {
    const defs: Record<string, Schema> = {};
    const rules: Schema[] = [];
    for (const k of items) {
      const [a, kk] = k.split('|');
      const root = this.rootSchema(a, kk);
      if (!root) continue;
      const name = `kind:${k}`;
      defs[name] = root;
      rules.push({ if: { properties: { apiVersion: { const: a }, kind: { const: kk } }, required: ['apiVersion', 'kind'] }, then: { $ref: `#/definitions/${escapeToken(name)}` } });
    }
    const root: Schema = {
      type: 'object',
      properties: {
        apiVersion: { type: 'string', enum: ['v1'] },
        kind: { type: 'string', enum: ['List'] },
        metadata: { type: 'object' },
        items: { type: 'array', items: { allOf: rules } },
      },
    };
    return this.standalone(root, defs);
  }

  /** Adds every definition reachable from `root` (and from `extra`) under `definitions`. */
  private standalone(root: Schema, extra: Record<string, Schema> = {}): Schema {
    const defs: Record<string, Schema> = { ...extra };
    const pending: unknown[] = [root, ...Object.values(extra)];
    const seen = new Set<string>();
    while (pending.length) {
      const n = pending.pop();
      if (Array.isArray(n)) {
        pending.push(...n);
      } else if (n && typeof n === 'object') {
        for (const [k, v] of Object.entries(n)) {
          if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) {
            const name = v.slice('#/definitions/'.length);
            if (!seen.has(name) && this.definitions[name]) {
              seen.add(name);
              defs[name] = this.definitions[name];
              pending.push(this.definitions[name]);
            }
          } else if (typeof v === 'object') pending.push(v);
        }
      }
    }
    return { $schema: 'http://json-schema.org/draft-07/schema#', ...root, definitions: defs };
  }

  /** Follows `$ref` and single-`allOf` wrappers, keeping the outer description. */
  deref(s: Schema | undefined): Schema {
    let cur = s ?? {};
    for (let guard = 0; guard < 20; guard++) {
      if (typeof cur.$ref === 'string' && cur.$ref.startsWith('#/definitions/')) {
        const target = this.definitions[cur.$ref.slice('#/definitions/'.length)] ?? {};
        cur = { ...target, ...(cur.description ? { description: cur.description } : {}) };
      } else if (Array.isArray(cur.allOf) && cur.allOf.length === 1 && !cur.properties && !cur.type) {
        const inner = cur.allOf[0] as Schema;
        const { allOf: _allOf, ...rest } = cur;
        cur = { ...this.deref(inner), ...rest };
      } else break;
    }
    return cur;
  }

  /**
   * Schema of the field at a path inside an object of the target kind (numbers and `-` step into
   * arrays); undefined where the schema does not describe such a field.
   */
  schemaAt(target: KindInfo, path: (string | number)[]): Schema | undefined {
    let cur = this.deref({ $ref: `#/definitions/${target.definition}` });
    for (const seg of path) {
      const type = cur.type;
      const isArray = type === 'array' || (Array.isArray(type) && type.includes('array'));
      if (isArray && (typeof seg === 'number' || seg === '-' || /^\d+$/.test(String(seg)))) {
        cur = this.deref(cur.items as Schema);
        continue;
      }
      const props = cur.properties as Record<string, Schema> | undefined;
      if (props && Object.prototype.hasOwnProperty.call(props, String(seg))) {
        cur = this.deref(props[String(seg)]);
        continue;
      }
      if (cur.additionalProperties && typeof cur.additionalProperties === 'object') {
        cur = this.deref(cur.additionalProperties as Schema);
        continue;
      }
      if (cur.type === 'object' && !props && cur.additionalProperties === undefined) return {};
      return undefined;
    }
    return cur;
  }

  /** Well-known definition names, for callers that build schemas (placement selectors etc.). */
  static readonly OBJECT_META = OBJECT_META;
  static readonly LABEL_SELECTOR = LABEL_SELECTOR;
}
