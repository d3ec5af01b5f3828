/**
 * A workspace of YAML files: incremental parsing, the federation model, the cluster inventory,
 * federated resources with their placement and per-cluster objects, and diagnostics.
 * Every face (CLI, language server, extension, webview) asks this class; none recomputes.
 */
import type { JsonObject } from './json.ts';
import { getPath } from './json.ts';
import { ParsedFile, reparse } from './parse.ts';
import { LineIndex, type Range } from './text.ts';
import { TypeIndex } from './model.ts';
import { builtinTypeConfigsOfBothEras, typeConfigFromFtc, type TypeConfig } from './typeconfigs.ts';
import { collectObjects, locate, type WsObject } from './objects.ts';
import { clusterFromObject, mergeClusterSources, type ClusterInfo } from './inventory.ts';
import { assemble, renderFor, type AssembleOutput, type FederatedResource, type RenderedObject } from './resources.ts';
import { checkSteps } from './checks.ts';
import { compareDiagnostics, diag, type EngineDiagnostic } from './diagnostics.ts';
import { crdBundle } from './validation/crds.ts';
import type { SchemaBundle } from './validation/openapi.ts';
import { sourceOf, type ClusterSchemaSet, type SchemaSource } from './validation/schemaSets.ts';
import { clusterSchemaDiagnostics } from './validation/clusterSchemas.ts';

export interface Analysis {
  objects: WsObject[];
  types: TypeIndex;
  /** Schemas of the workspace's CustomResourceDefinitions (the same object while they are unchanged). */
  crds: SchemaBundle;
  /** Where every cluster a template is placed on accepts what the reference schemas do not (by file). */
  clusterAccepted: Map<string, Range[]>;
  clusters: ClusterInfo[];
  assembled: AssembleOutput;
  resources: FederatedResource[];
  diagnostics: Map<string, EngineDiagnostic[]>;
}

const OBJECT_SOURCE_SCHEME = 'kubefed-objects://';

/** The virtual document that holds the objects of a source given to `setObjects`. */
export function objectSourceUri(source: string): string {
  return OBJECT_SOURCE_SCHEME + encodeURIComponent(source);
}

/** Whether a URI is such a virtual document (not a file: nothing may be written to it). */
export function isObjectSourceUri(uri: string): boolean {
  return uri.startsWith(OBJECT_SOURCE_SCHEME);
}

function withoutManagedFields(o: JsonObject): JsonObject {
  const md = o.metadata;
  if (!md || typeof md !== 'object' || Array.isArray(md) || !('managedFields' in md)) return o;
  const { managedFields: _drop, ...rest } = md as JsonObject;
  return { ...o, metadata: rest };
}

function sortKey(o: JsonObject): string {
  const md = (o.metadata ?? {}) as JsonObject;
  return `${String(o.apiVersion ?? '')}|${String(o.kind ?? '')}|${String(md.namespace ?? '')}|${String(md.name ?? '')}`;
}

export interface WorkspaceOptions {
  /** Namespace-scoped control plane (KubeFedConfig scope Namespaced); found in the workspace when unset. */
  limitedScope?: boolean;
}

/** Per analysis: the resources of each file (built once, on first use). */
const resourcesByUri = new WeakMap<Analysis, Map<string, FederatedResource[]>>();

function indexByUri(resources: readonly FederatedResource[]): Map<string, FederatedResource[]> {
  const out = new Map<string, FederatedResource[]>();
  for (const r of resources) {
    for (const uri of new Set([r.main?.uri, r.placementObject?.uri, r.overrideObject?.uri, r.rsp?.object.uri])) {
      if (uri === undefined) continue;
      const list = out.get(uri);
      if (list) list.push(r);
      else out.set(uri, [r]);
    }
  }
  return out;
}

export class Workspace {
  private readonly files = new Map<string, ParsedFile>();
  /** The not-utf8 error of files that are not UTF-8 (held empty in `files`). */
  private readonly unreadable = new Map<string, EngineDiagnostic>();
  private readonly clusterSources = new Map<string, ClusterInfo[]>();
  private cache: Analysis | undefined;
  /** What each member cluster serves, and the schemas templates are already validated with. */
  private clusterSchemas: { sets: ClusterSchemaSet[]; reference?: SchemaBundle; source?: { crds: SchemaBundle; src: SchemaSource } } = { sets: [] };
  private renderCache = new Map<string, RenderedObject>();
  /** Counts changes: a stepped analysis started before a change is thrown away. */
  private version = 0;

  constructor(private options: WorkspaceOptions = {}) {}

  /**
   * Adds or replaces a file; only the documents whose text changed are parsed again. `notUtf8At`
   * (decodeUtf8): the file's bytes are not UTF-8 from that text offset on; kubectl and KubeFed
   * cannot read it, so it gets one `not-utf8` error there and its content is not analysed.
   */
  setFile(uri: string, text: string, opts: { notUtf8At?: number } = {}): ParsedFile {
    if (opts.notUtf8At !== undefined) return this.setUnreadable(uri, text, opts.notUtf8At);
    const hadError = this.unreadable.delete(uri);
    const prev = this.files.get(uri);
    if (prev && prev.text === text && !hadError) return prev;
    const f = reparse(prev, uri, text);
    this.files.set(uri, f);
    this.invalidate();
    return f;
  }

  /** A file that is not UTF-8: held empty (nothing to analyse), with its error. */
  private setUnreadable(uri: string, text: string, at: number): ParsedFile {
    const lines = new LineIndex(text);
    const start = lines.position(at);
    const end = lines.position(Math.min(text.length, at + 1));
    const message = `This file is not valid UTF-8 (first bad byte at line ${start.line + 1}, column ${start.character + 1}): kubectl and KubeFed cannot read it, so it is not analysed. Save it as UTF-8, or keep it out of the workspace if it is not a manifest.`;
    this.unreadable.set(uri, diag({ uri, range: { start, end } }, 'error', 'not-utf8', message));
    const f = reparse(this.files.get(uri), uri, '');
    this.files.set(uri, f);
    this.invalidate();
    return f;
  }

  deleteFile(uri: string): void {
    this.unreadable.delete(uri);
    if (this.files.delete(uri)) this.invalidate();
  }

  getFile(uri: string): ParsedFile | undefined {
    return this.files.get(uri);
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  /**
   * Objects that come from somewhere other than a file — e.g. federated resources, FTCs and
   * KubeFedClusters read from a KubeFed host — under `source`. They get the same analysis as
   * file contents: they are held as the virtual document `objectSourceUri(source)` (one YAML
   * document per object, sorted, `managedFields` left out). An empty list removes the source.
   */
  setObjects(source: string, objects: readonly JsonObject[]): void {
    const uri = objectSourceUri(source);
    if (objects.length === 0) return this.deleteFile(uri);
    const docs = objects.map(withoutManagedFields).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
    this.setFile(uri, docs.map((o) => `---
${JSON.stringify(o, null, 2)}
`).join(''));
  }

  /**
   * Clusters from outside the workspace files (`host`, `clusters-file`, `settings`, and `kubeconfig`,
   * whose contexts count only when no other source declares a cluster: mergeClusterSources).
   */
  setClusterSource(source: string, clusters: ClusterInfo[]): void {
    this.clusterSources.set(source, clusters);
    this.invalidate();
  }

  /**
   * The schemas each member cluster serves: templates are also checked against those of every
   * cluster they are placed on. `reference`: the schemas the caller validates templates with
   * itself (with the workspace's CRDs), whose findings are not repeated; none: report them all.
   */
  setClusterSchemas(sets: ClusterSchemaSet[], reference?: SchemaBundle): void {
    this.clusterSchemas = { sets, reference };
    this.invalidate();
  }

  clusterSchemaSets(): readonly ClusterSchemaSet[] {
    return this.clusterSchemas.sets;
  }

  private referenceSource(crds: SchemaBundle): SchemaSource | undefined {
    const c = this.clusterSchemas;
    if (!c.reference) return undefined;
    if (c.source?.crds !== crds) c.source = { crds, src: sourceOf(crds, c.reference) };
    return c.source.src;
  }

  setOptions(options: WorkspaceOptions): void {
    this.options = options;
    this.invalidate();
  }

  private invalidate(): void {
    this.cache = undefined;
    this.renderCache = new Map();
    this.version++;
  }

  analysis(): Analysis {
    if (!this.cache) {
      const steps = this.analyze();
      let r = steps.next();
      while (!r.done) r = steps.next();
      this.cache = r.value;
    }
    return this.cache;
  }

  /**
   * The same analysis in steps, awaiting `pause()` between them (a server gives other work a
   * turn there). A change made during a pause starts it again; an analysis made meanwhile by
   * `analysis()` is taken as it is.
   */
  async analysisInSteps(pause: () => Promise<void>): Promise<Analysis> {
    for (;;) {
      if (this.cache) return this.cache;
      const version = this.version;
      const steps = this.analyze();
      let r = steps.next();
      while (!r.done) {
        await pause();
        if (this.cache || this.version !== version) break;
        r = steps.next();
      }
      if (r.done && this.version === version) {
        this.cache ??= r.value;
        return this.cache;
      }
    }
  }

  clusters(): ClusterInfo[] {
    return this.analysis().clusters;
  }

  resources(): FederatedResource[] {
    return this.analysis().resources;
  }

  /** The resources with a part (main, placement, override or RSP object) in `uri`, in analysis order. */
  resourcesIn(uri: string): FederatedResource[] {
    const a = this.analysis();
    let byUri = resourcesByUri.get(a);
    if (!byUri) resourcesByUri.set(a, (byUri = indexByUri(a.resources)));
    return [...(byUri.get(uri) ?? [])];
  }

  /** The federated resource that the object at `offset` belongs to (its main object or a v1alpha1 part or RSP). */
  resourceAt(uri: string, offset: number): FederatedResource | undefined {
    const f = this.files.get(uri);
    const doc = f?.docAt(offset);
    if (!doc) return undefined;
    const inDoc = (o?: WsObject) => !!o && o.uri === uri && o.doc === doc && contains(o, offset);
    return this.resources().find((r) => inDoc(r.main) || inDoc(r.placementObject) || inDoc(r.overrideObject) || inDoc(r.rsp?.object));
  }

  /** Every object in a file, in order. */
  objectsIn(uri: string): WsObject[] {
    return this.analysis().objects.filter((o) => o.uri === uri);
  }

  /**
   * The diagnostics of a file that depend on nothing but its text (YAML syntax), without the
   * workspace's analysis: true even while the rest of the workspace is still being loaded.
   */
  syntaxDiagnostics(uri: string): EngineDiagnostic[] {
    const bad = this.unreadable.get(uri);
    if (bad) return [bad];
    const f = this.files.get(uri);
    return f ? syntaxDiagnostics(f) : [];
  }

  diagnostics(uri: string): EngineDiagnostic[] {
    return this.analysis().diagnostics.get(uri) ?? [];
  }

  allDiagnostics(): EngineDiagnostic[] {
    return [...this.analysis().diagnostics.values()].flat();
  }

  /** The object `cluster` receives from `res` (create path). */
  render(res: FederatedResource, cluster: string): RenderedObject {
    const key = `${res.id}\u0000${cluster}`;
    let r = this.renderCache.get(key);
    if (!r) {
      r = renderFor(res, cluster);
      this.renderCache.set(key, r);
    }
    return r;
  }

  /** The objects of every selected cluster. */
  renderAll(res: FederatedResource): RenderedObject[] {
    return res.placement.selected.map((c) => this.render(res, c));
  }

  /** The analysis; it yields between its phases (see analysisInSteps). */
  private *analyze(): Generator<void, Analysis, void> {
    // Type configs: built-ins of both eras, then FederatedTypeConfigs found in the workspace.
    const configs: TypeConfig[] = builtinTypeConfigsOfBothEras();
    const pre = new TypeIndex(configs);
    const firstPass = collectObjects(this.files.values(), (o) => pre.classify(o));
    const extra: TypeConfig[] = [];
    for (const o of firstPass) {
      if (o.role.role !== 'ftc') continue;
      const tc = typeConfigFromFtc(o.object);
      if (tc) extra.push(tc);
    }
    const types = extra.length ? new TypeIndex(mergeTypeConfigs(configs, extra)) : pre;
    if (extra.length) yield;
    const objects = extra.length ? collectObjects(this.files.values(), (o) => types.classify(o)) : firstPass;
    yield;

    // Clusters: workspace objects first (they carry labels and locations), then outside sources.
    const own: ClusterInfo[] = [];
    for (const o of objects) {
      if (o.role.role !== 'kubefedcluster' && o.role.role !== 'federatedcluster') continue;
      const c = clusterFromObject(o.object, 'workspace', locate(o, ['metadata', 'name']));
      if (c) own.push(c);
    }
    const clusters = mergeClusterSources(own, this.clusterSources);

    const limitedScope = this.options.limitedScope ?? objects.some((o) => o.role.role === 'kubefedconfig' && getPath(o.object, ['spec', 'scope']) === 'Namespaced');
    const assembled = assemble({ objects, clusters, limitedScope });
    yield;

    const diagnostics = new Map<string, EngineDiagnostic[]>();
    const add = (d: EngineDiagnostic) => {
      const l = diagnostics.get(d.uri);
      if (l) l.push(d);
      else diagnostics.set(d.uri, [d]);
    };
    for (const uri of this.files.keys()) for (const d of this.syntaxDiagnostics(uri)) add(d);
    yield;
    for (const d of yield* checkSteps({ objects, assembled, clusters, types })) add(d);
    const crds = crdBundle(objects.map((o) => o.object));
    const { sets } = this.clusterSchemas;
    const clusterAccepted = new Map<string, Range[]>();
    if (sets.length) {
      // A step of its own: the first walk of every template along new cluster schemas takes a while.
      yield;
      const r = clusterSchemaDiagnostics({ resources: assembled.resources, sets, reference: this.referenceSource(crds) });
      for (const d of r.diagnostics) add(d);
      for (const l of r.accepted) clusterAccepted.set(l.uri, [...(clusterAccepted.get(l.uri) ?? []), l.range]);
    }
    for (const l of diagnostics.values()) l.sort(compareDiagnostics);

    return { objects, types, crds, clusterAccepted, clusters, assembled, resources: assembled.resources, diagnostics };
  }
}

function syntaxDiagnostics(f: ParsedFile): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  for (const doc of f.docs) {
    for (const p of doc.problems) out.push(diag({ uri: f.uri, range: f.range(p.start, p.end) }, 'error', 'yaml-syntax', p.message));
  }
  return out;
}

function contains(o: WsObject, offset: number): boolean {
  const r = o.doc.offsetsOf(o.base);
  return !r || (offset >= r[0] && offset <= r[1]) || o.base.length === 0;
}

/** Workspace FTCs replace built-ins of the same era and target (kind and group). */
function mergeTypeConfigs(builtin: TypeConfig[], workspace: TypeConfig[]): TypeConfig[] {
  const key = (t: TypeConfig) => `${t.era}|${t.targetGroup ?? ''}|${t.targetKind}`;
  const replaced = new Set(workspace.map(key));
  return [...builtin.filter((t) => !replaced.has(key(t))), ...workspace];
}

export type { JsonObject };
