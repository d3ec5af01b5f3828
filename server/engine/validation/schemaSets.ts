/**
 * Schema sets: the kinds and schemas one source serves — a member cluster (what its API server
 * publishes on /openapi/v3, read by server/cluster/schemas.ts) or the reference the editor
 * validates with (the pinned Kubernetes version plus the workspace's CRDs). A structural walk of
 * a value along a set's schema finds the fields it does not know and the values of the wrong
 * type; clusterSchemas.ts compares what each placed cluster finds with the reference.
 */
import type { Json, JsonObject } from '../json.ts';
import { isObject } from '../json.ts';
import type { KindInfo, Schema, SchemaBundle } from './openapi.ts';

/** What one member cluster serves: its name, its server's gitVersion and its schemas. */
export interface ClusterSchemaSet {
  cluster: string;
  version: string;
  bundle: SchemaBundle;
}

/** Kinds and definitions looked up across bundles (the first that has one wins). */
export interface SchemaSource {
  kind(apiVersion: string, kind: string): KindInfo | undefined;
  /** The apiVersions that serve a kind (for "cluster3 serves example.com/v1beta1" hints). */
  apiVersionsOf(kind: string): string[];
  definition(name: string): Schema | undefined;
}

const indexes = new WeakMap<SchemaBundle, Map<string, KindInfo>>();

function indexOf(b: SchemaBundle): Map<string, KindInfo> {
  let m = indexes.get(b);
  if (!m) {
    m = new Map(b.kinds.map((k) => [`${k.apiVersion}|${k.kind}`, k]));
    indexes.set(b, m);
  }
  return m;
}

export function sourceOf(...bundles: SchemaBundle[]): SchemaSource {
  return {
    kind: (apiVersion, kind) => {
      for (const b of bundles) {
        const k = indexOf(b).get(`${apiVersion}|${kind}`);
        if (k) return k;
      }
      return undefined;
    },
    apiVersionsOf: (kind) => [...new Set(bundles.flatMap((b) => b.kinds.filter((k) => k.kind === kind).map((k) => k.apiVersion)))].sort(),
    definition: (name) => {
      for (const b of bundles) if (Object.prototype.hasOwnProperty.call(b.definitions, name)) return b.definitions[name];
      return undefined;
    },
  };
}

export type Segment = string | number;

/** A field of a value that a schema does not accept. */
export interface FieldProblem {
  path: Segment[];
  problem: 'unknown-field' | 'type';
  /** The expected type(s), for `type`. */
  expected?: string;
}

/** Follows `$ref` and single-`allOf` wrappers. */
function deref(s: unknown, src: SchemaSource): Schema | undefined {
  let cur = isObject(s) ? (s as Schema) : undefined;
  for (let guard = 0; cur && guard < 20; guard++) {
    if (typeof cur.$ref === 'string') {
      cur = src.definition(cur.$ref.replace(/^#\/definitions\//, ''));
    } else if (Array.isArray(cur.allOf) && cur.allOf.length === 1 && !cur.properties && !cur.type) {
      cur = isObject(cur.allOf[0]) ? (cur.allOf[0] as Schema) : undefined;
    } else break;
  }
  return cur;
}

function jsonType(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(types: string[], actual: string): boolean {
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

/** Where `value` does not fit `schema`: unknown fields and wrong types (not formats, enums or bounds). */
export function fieldProblems(value: Json, schema: unknown, src: SchemaSource, path: Segment[] = [], out: FieldProblem[] = []): FieldProblem[] {
  const s = deref(schema, src);
  if (!s || s['x-kubernetes-preserve-unknown-fields'] === true || s.anyOf || s.oneOf) return out;
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? (s.type as string[]) : [String(s.type)];
  const actual = jsonType(value);
  if (types.length && !typeMatches(types, actual)) {
    out.push({ path, problem: 'type', expected: types.join(' or ') });
    return out;
  }
  if (Array.isArray(value)) {
    if (s.items !== undefined) value.forEach((v, i) => fieldProblems(v, s.items, src, [...path, i], out));
  } else if (isObject(value)) {
    objectProblems(value, s, src, path, out);
  }
  return out;
}

function objectProblems(value: JsonObject, s: Schema, src: SchemaSource, path: Segment[], out: FieldProblem[]): void {
  const props = isObject(s.properties) ? (s.properties as Record<string, unknown>) : {};
  const extra = s.additionalProperties;
  for (const [k, v] of Object.entries(value)) {
    if (Object.prototype.hasOwnProperty.call(props, k)) fieldProblems(v, props[k], src, [...path, k], out);
    else if (isObject(extra)) fieldProblems(v, extra, src, [...path, k], out);
    else if (extra === false) out.push({ path: [...path, k], problem: 'unknown-field' });
  }
}

/** Fields a template sets that are not the target's own (apiVersion/kind are free, status is not propagated). */
const TEMPLATE_FREE = new Set(['apiVersion', 'kind', 'status']);

/** The problems of a template of kind `target` under a source; undefined when it does not serve the kind. */
export function templateProblems(template: JsonObject, target: { apiVersion: string; kind: string }, src: SchemaSource): FieldProblem[] | undefined {
  const info = src.kind(target.apiVersion, target.kind);
  if (!info) return undefined;
  const def = src.definition(info.definition);
  if (!def) return [];
  const body: JsonObject = {};
  for (const [k, v] of Object.entries(template)) if (!TEMPLATE_FREE.has(k)) body[k] = v;
  return fieldProblems(body, def, src);
}
