/**
 * Kubernetes OpenAPI v3 documents (as a kube-apiserver serves them on /openapi/v3/...) and CRD
 * `openAPIV3Schema`s turned into a schema bundle: JSON schema draft-07 definitions plus the
 * kinds they describe. The pinned bundle (server/schemas/k8s.json, by scripts/gen-schemas.mjs),
 * the schemas of a workspace's CustomResourceDefinitions and those a member cluster serves are
 * all made here, so every schema is read the same way.
 *
 * Conversion ("strict", like the usual standalone-strict Kubernetes schemas):
 * - `#/components/schemas/X` references become `#/definitions/X`;
 * - `format: int-or-string` (IntOrString) becomes `type: [integer, string]`, Quantity accepts
 *   numbers as well as strings, `nullable` adds `null`;
 * - objects with `properties` and no `additionalProperties` get `additionalProperties: false`
 *   unless they preserve unknown fields, so misspelled fields are reported;
 * - empty defaults (`{}`, `""`, `0`) are dropped: they only produce noisy completions;
 * - scalar map values accept null (Go decodes it as the zero value);
 * - top-level kinds get `apiVersion`/`kind` enums;
 * - only the definitions reachable from the kinds are kept.
 */
import type { JsonObject } from '../json.ts';
import { isObject } from '../json.ts';

// A JSON schema node (draft-07 keywords, loosely typed).
export type Schema = Record<string, unknown>;

export interface KindInfo {
  apiVersion: string;
  group: string;
  version: string;
  kind: string;
  definition: string;
  namespaced: boolean;
  /** Set for kinds whose schema is not the pinned one (a CRD): changes when the schema does. */
  hash?: string;
}

export interface SchemaBundle {
  version: string;
  kinds: KindInfo[];
  definitions: Record<string, Schema>;
}

/** One OpenAPI v3 document of a group-version (`core.v1`, `apps.v1`, `example.com.v1`). */
export interface OpenApiDocument {
  /** `<group>.<version>`, the group `core` for the legacy group. */
  name: string;
  doc: JsonObject;
}

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const KEEP_EXTENSIONS = new Set(['x-kubernetes-list-map-keys', 'x-kubernetes-group-version-kind']);
const OPENAPI_ONLY = new Set(['nullable', 'example', 'externalDocs', 'readOnly', 'writeOnly']);

const isEmptyDefault = (d: unknown) =>
  d === '' || d === 0 || d === false || (typeof d === 'object' && d !== null && Object.keys(d).length === 0);

/** Converts one OpenAPI schema node; `used` collects referenced definition names. */
export function convertSchema(node: unknown, used: Set<string>, name?: string): unknown {
  if (Array.isArray(node)) return node.map((n) => convertSchema(n, used));
  if (!isObject(node)) return node;
  if (name === QUANTITY) return { description: node.description, type: ['string', 'number'] };
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref') {
      const target = String(v).replace(/^#\/(components\/schemas|definitions)\//, '');
      used.add(target);
      out.$ref = `#/definitions/${target}`;
    } else if (k === 'default') {
      if (!isEmptyDefault(v)) out.default = v;
    } else if (OPENAPI_ONLY.has(k)) {
      // OpenAPI-only keywords; nullable handled below
    } else if (k.startsWith('x-')) {
      if (KEEP_EXTENSIONS.has(k)) out[k] = v;
    } else if ((k === 'properties' || k === 'patternProperties') && isObject(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, convertSchema(s, used)]));
    } else if (k === 'additionalProperties') {
      out[k] = typeof v === 'boolean' ? v : nullableScalar(convertSchema(v, used) as Schema);
    } else if (k === 'items' || k === 'not') {
      out[k] = typeof v === 'boolean' ? v : convertSchema(v, used);
    } else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) {
      out[k] = v.map((s) => convertSchema(s, used));
    } else {
      out[k] = v;
    }
  }
  return finish(node, out);
}

function finish(node: JsonObject, out: Schema): Schema {
  if (node.format === 'int-or-string' || node['x-kubernetes-int-or-string']) {
    out.type = ['integer', 'string'];
    delete out.format;
    delete out.anyOf;
  }
  if (node.nullable && out.type) out.type = [...new Set([...(Array.isArray(out.type) ? out.type : [out.type]), 'null'])];
  // `{allOf: [{$ref}], description}` (how OpenAPI v3 attaches a field description to a reference)
  // becomes `{$ref, description}`: yaml-language-server then shows the field's own description.
  const allOf = out.allOf as Schema[] | undefined;
  if (Array.isArray(allOf) && allOf.length === 1 && allOf[0].$ref && Object.keys(out).every((k) => ['allOf', 'description', 'default'].includes(k))) {
    const ref = allOf[0].$ref;
    delete out.allOf;
    return { $ref: ref, ...out };
  }
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !preserve) out.additionalProperties = false;
  return out;
}

/**
 * Map values of scalar type also accept null: Go decodes `key: null` into a map[string]string or
 * map[string][]byte as the zero value, and upstream KubeFed examples use it (Secret data overrides).
 */
function nullableScalar(s: Schema): Schema {
  if (typeof s.type === 'string' && ['string', 'integer', 'number', 'boolean'].includes(s.type)) return { ...s, type: [s.type, 'null'] };
  return s;
}

const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PriorityClass',
  'CustomResourceDefinition', 'APIService', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ComponentStatus', 'CertificateSigningRequest']);

/** Scope of each kind from the request paths: the kind is created (POST) under `/namespaces/{namespace}/` or not. */
function scopesFromPaths(paths: JsonObject): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const [p, item] of Object.entries(paths)) {
    const post = isObject(item) ? item.post : undefined;
    if (!isObject(post) || /\{name\}/.test(p)) continue;
    const responses = isObject(post.responses) ? post.responses : {};
    const refOf = (code: string) => {
      const s = (responses[code] as { content?: { 'application/json'?: { schema?: { $ref?: unknown } } } } | undefined)?.content?.['application/json']?.schema?.$ref;
      return typeof s === 'string' ? s : undefined;
    };
    const ref = refOf('201') ?? refOf('200');
    if (ref) out.set(ref.replace('#/components/schemas/', ''), p.includes('/namespaces/{namespace}/'));
  }
  return out;
}

/** The kinds a group-version document serves (persisted objects of that group-version only). */
function kindsOf(d: OpenApiDocument, schemas: JsonObject): KindInfo[] {
  const dot = d.name.lastIndexOf('.');
  const fileGroup = d.name.slice(0, dot) === 'core' ? '' : d.name.slice(0, dot);
  const fileVersion = d.name.slice(dot + 1);
  const scopes = scopesFromPaths(isObject(d.doc.paths) ? d.doc.paths : {});
  const out: KindInfo[] = [];
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema)) continue;
    const gvks = schema['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks) || gvks.length !== 1 || !isObject(gvks[0])) continue;
    const { group, version, kind } = gvks[0] as { group: string; version: string; kind: string };
    if (group !== fileGroup || version !== fileVersion) continue;
    if (/List$/.test(kind) || name.startsWith('io.k8s.apimachinery.')) continue;
    if (!isObject(schema.properties) || !schema.properties.metadata) continue; // not a persisted object (reviews, Scale, ...)
    const apiVersion = group ? `${group}/${version}` : version;
    out.push({ apiVersion, group, version, kind, definition: name, namespaced: scopes.get(name) ?? !CLUSTER_SCOPED.has(kind) });
  }
  return out;
}

/** The bundle of a set of OpenAPI v3 group-version documents (one kube-apiserver's, or a sample). */
export function bundleFromOpenApi(docs: OpenApiDocument[], version: string): SchemaBundle {
  const components = new Map<string, unknown>();
  const kinds = new Map<string, KindInfo>();
  for (const d of docs) {
    const c = isObject(d.doc.components) ? d.doc.components.schemas : d.doc.definitions;
    const schemas = isObject(c) ? c : {};
    for (const [name, schema] of Object.entries(schemas)) if (!components.has(name)) components.set(name, schema);
    for (const k of kindsOf(d, schemas)) kinds.set(`${k.apiVersion}|${k.kind}`, k);
  }
  const definitions = reachable([...kinds.values()].map((k) => k.definition), components);
  for (const k of kinds.values()) withTypeMeta(definitions[k.definition], k);
  const sorted = (o: Record<string, Schema>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  return {
    version,
    kinds: [...kinds.values()].sort((a, b) => (a.apiVersion + a.kind).localeCompare(b.apiVersion + b.kind)),
    definitions: sorted(definitions),
  };
}

/** The converted definitions reachable from `roots`; a missing one accepts anything. */
function reachable(roots: string[], components: Map<string, unknown>): Record<string, Schema> {
  const definitions: Record<string, Schema> = {};
  const pending = [...new Set(roots)];
  const done = new Set<string>();
  while (pending.length) {
    const name = pending.pop()!;
    if (done.has(name)) continue;
    done.add(name);
    const src = components.get(name);
    const used = new Set<string>();
    definitions[name] = src === undefined ? {} : (convertSchema(src, used, name) as Schema);
    for (const u of used) if (!done.has(u)) pending.push(u);
  }
  return definitions;
}

/** `apiVersion`/`kind` of a top-level kind are exactly its own. */
export function withTypeMeta(d: Schema, k: KindInfo): void {
  const props = (d.properties ?? {}) as Record<string, Schema>;
  d.properties = {
    ...props,
    apiVersion: { ...(props.apiVersion ?? {}), type: 'string', enum: [k.apiVersion] },
    kind: { ...(props.kind ?? {}), type: 'string', enum: [k.kind] },
  };
}
