/**
 * Fields kept from the live member-cluster object when KubeFed updates it (v1beta1,
 * RetainClusterFields at HEAD, semantics §6.3), plus the small set of Kubernetes "unstructured"
 * accessors whose exact typing rules the retention and rendering steps depend on.
 */
import type { Json, JsonObject } from './json.ts';
import { deepClone, isObject, setOwn } from './json.ts';

// ---------------------------------------------------------------------------------------------
// Unstructured accessors (k8s.io/apimachinery unstructured helpers)
// ---------------------------------------------------------------------------------------------

/**
 * `head`: apimachinery v0.21 (KubeFed HEAD) — a null intermediate counts as "not found".
 * `legacy`: the 2018 vendored copy (v1alpha1 era) — a null intermediate is a type error.
 */
export type AccessorMode = 'head' | 'legacy';

export type Nested<T> = { found: false } | { found: true; value: T } | { error: string };

function hasOwn(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (isObject(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

function jsonPath(fields: readonly string[]): string {
  return '.' + fields.join('.');
}

function accessorError(fields: readonly string[], v: unknown, expected: string): string {
  const shown = typeof v === 'string' ? v : JSON.stringify(v ?? null);
  return `${jsonPath(fields)} accessor error: ${shown} is of the type ${goType(v)}, expected ${expected}`;
}

export function nestedField(obj: unknown, fields: readonly string[], mode: AccessorMode = 'head'): Nested<Json> {
  let val: unknown = obj;
  for (let i = 0; i < fields.length; i++) {
    if (mode === 'head' && (val === null || val === undefined)) return { found: false };
    if (!isObject(val)) return { error: accessorError(fields.slice(0, i + 1), val, 'map[string]interface{}') };
    if (!hasOwn(val, fields[i]!)) return { found: false };
    val = val[fields[i]!];
  }
  return { found: true, value: val as Json };
}

function typed<T>(
  obj: unknown,
  fields: readonly string[],
  mode: AccessorMode,
  check: (v: Json) => v is Json & T,
  expected: string,
): Nested<T> {
  const r = nestedField(obj, fields, mode);
  if (!('found' in r) || !r.found) return r;
  if (!check(r.value)) return { error: accessorError(fields, r.value, expected) };
  return { found: true, value: r.value };
}

export const isInt64 = (v: Json): v is number => typeof v === 'number' && Number.isInteger(v);

export function nestedString(obj: unknown, fields: readonly string[], mode: AccessorMode = 'head'): Nested<string> {
  return typed(obj, fields, mode, (v): v is string => typeof v === 'string', 'string');
}

export function nestedInt64(obj: unknown, fields: readonly string[], mode: AccessorMode = 'head'): Nested<number> {
  return typed(obj, fields, mode, isInt64, 'int64');
}

export function nestedBool(obj: unknown, fields: readonly string[], mode: AccessorMode = 'head'): Nested<boolean> {
  return typed(obj, fields, mode, (v): v is boolean => typeof v === 'boolean', 'bool');
}

/** A deep copy of a list value. */
export function nestedSlice(obj: unknown, fields: readonly string[], mode: AccessorMode = 'head'): Nested<Json[]> {
  const r = typed(obj, fields, mode, (v): v is Json[] => Array.isArray(v), '[]interface{}');
  return 'found' in r && r.found ? { found: true, value: deepClone(r.value) } : r;
}

/** A deep copy of an object value. */
export function nestedMap(obj: unknown, fields: readonly string[], mode: AccessorMode = 'head'): Nested<JsonObject> {
  const r = typed(obj, fields, mode, (v): v is JsonObject => isObject(v), 'map[string]interface{}');
  return 'found' in r && r.found ? { found: true, value: deepClone(r.value) } : r;
}

export function nestedStringSlice(obj: unknown, fields: readonly string[], mode: AccessorMode = 'head'): Nested<string[]> {
  const r = typed(obj, fields, mode, (v): v is Json[] => Array.isArray(v), '[]interface{}');
  if (!('found' in r) || !r.found) return r;
  for (const item of r.value) {
    if (typeof item !== 'string') return { error: `${jsonPath(fields)} contains non-string key in the slice: ${JSON.stringify(item)} is of the type ${goType(item)}, expected string` };
  }
  return { found: true, value: [...(r.value as string[])] };
}

export function nestedStringMap(obj: unknown, fields: readonly string[], mode: AccessorMode = 'head'): Nested<Record<string, string>> {
  const r = typed(obj, fields, mode, (v): v is JsonObject => isObject(v), 'map[string]interface{}');
  if (!('found' in r) || !r.found) return r;
  const out: Record<string, string> = {};
  for (const k of Object.keys(r.value)) {
    const v = r.value[k];
    if (typeof v !== 'string') return { error: `${jsonPath(fields)} accessor error: contains non-string value in the map under key ${JSON.stringify(k)}: ${JSON.stringify(v)} is of the type ${goType(v)}, expected string` };
    setOwn(out as JsonObject, k, v);
  }
  return { found: true, value: out };
}

/** Getter semantics of Unstructured.GetX: errors and absence read as undefined. */
export function valueOr<T>(r: Nested<T>): T | undefined {
  return 'found' in r && r.found ? r.value : undefined;
}

/** SetNestedField: creates missing intermediate objects; returns an error message or null. */
export function setNestedField(obj: JsonObject, value: Json, fields: readonly string[]): string | null {
  let m = obj;
  for (let i = 0; i < fields.length - 1; i++) {
    const f = fields[i]!;
    if (hasOwn(m, f)) {
      const next = m[f];
      if (!isObject(next)) return `value cannot be set because ${jsonPath(fields.slice(0, i + 1))} is not a map[string]interface{}`;
      m = next;
    } else {
      const created: JsonObject = {};
      setOwn(m, f, created);
      m = created;
    }
  }
  setOwn(m, fields[fields.length - 1]!, deepClone(value));
  return null;
}

export function removeNestedField(obj: JsonObject, fields: readonly string[]): void {
  let m = obj;
  for (const f of fields.slice(0, -1)) {
    const next = hasOwn(m, f) ? m[f] : undefined;
    if (!isObject(next)) return;
    m = next;
  }
  const last = fields[fields.length - 1]!;
  if (hasOwn(m, last)) delete m[last];
}

/** Unstructured.SetX at HEAD for string fields: an empty string removes the field. */
export function setOrRemoveString(obj: JsonObject, value: string, fields: readonly string[]): void {
  if (value === '') removeNestedField(obj, fields);
  else setNestedField(obj, value, fields);
}

// ---------------------------------------------------------------------------------------------
// Retention
// ---------------------------------------------------------------------------------------------

export type RetainResult =
  | { ok: true; object: JsonObject }
  | { ok: false; status: 'FieldRetentionFailed'; message: string };

class RetainError extends Error {}

function must<T>(r: Nested<T>, context: string): { found: false } | { found: true; value: T } {
  if ('error' in r) throw new RetainError(`${context}: ${r.error}`);
  return r;
}

function mustSet(obj: JsonObject, value: Json, fields: readonly string[], context: string): void {
  const err = setNestedField(obj, value, fields);
  if (err) throw new RetainError(`${context}: ${err}`);
}

/** Go interface equality of two decoded JSON values (absent == null); maps/lists cannot be compared. */
function goEqual(a: Json | undefined, b: Json | undefined): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y)) {
    throw new RetainError('comparing uncomparable port field values');
  }
  if (typeof x === 'number' && typeof y === 'number' && Number.isInteger(x) !== Number.isInteger(y)) return false;
  return x === y;
}

function retainServiceFields(desired: JsonObject, live: JsonObject): void {
  const hc = must(nestedInt64(live, ['spec', 'healthCheckNodePort']), 'Error retrieving healthCheckNodePort from service');
  if (hc.found && hc.value > 0) {
    mustSet(desired, hc.value, ['spec', 'healthCheckNodePort'], 'Error setting healthCheckNodePort for service');
  }
  const ip = must(nestedString(live, ['spec', 'clusterIP']), 'Error retrieving clusterIP from cluster service');
  if (ip.found && ip.value !== '') mustSet(desired, ip.value, ['spec', 'clusterIP'], 'Error setting clusterIP for service');
  const ips = must(nestedStringSlice(live, ['spec', 'clusterIPs']), 'Error retrieving clusterIPs from cluster service');
  if (ips.found && ips.value.length > 0) mustSet(desired, ips.value, ['spec', 'clusterIPs'], 'Error setting clusterIPs for service');

  const livePorts = must(nestedSlice(live, ['spec', 'ports']), 'Error retrieving ports from cluster service');
  if (!livePorts.found) return;
  const dp = must(nestedSlice(desired, ['spec', 'ports']), 'Error retrieving ports from service');
  const desiredPorts = dp.found ? dp.value : [];
  for (const fPort of desiredPorts) {
    for (const cPort of livePorts.value) {
      if (!isObject(fPort) || !isObject(cPort)) throw new RetainError('Error retaining nodePorts: a service port is not an object');
      const same = ['name', 'protocol', 'port'].every((f) =>
        goEqual(hasOwn(fPort, f) ? fPort[f] : undefined, hasOwn(cPort, f) ? cPort[f] : undefined),
      );
      if (same && hasOwn(cPort, 'nodePort')) setOwn(fPort, 'nodePort', deepClone(cPort.nodePort!));
    }
  }
  mustSet(desired, desiredPorts, ['spec', 'ports'], 'Error setting ports for service');
}

function retainServiceAccountFields(desired: JsonObject, live: JsonObject): void {
  const ds = must(nestedSlice(desired, ['secrets']), 'Error retrieving secrets from desired service account');
  if (ds.found && ds.value.length > 0) return;
  const ls = must(nestedSlice(live, ['secrets']), 'Error retrieving secrets from service account');
  if (ls.found && ls.value.length > 0) mustSet(desired, ls.value, ['secrets'], 'Error setting secrets for service account');
}

function retainReplicas(desired: JsonObject, live: JsonObject, fed: unknown): void {
  const rr = must(nestedBool(fed, ['spec', 'retainReplicas']), 'Error retrieving retainReplicas from federated object');
  if (!rr.found || !rr.value) return;
  const replicas = must(nestedInt64(live, ['spec', 'replicas']), 'Error retrieving replicas from cluster object');
  if (replicas.found) mustSet(desired, replicas.value, ['spec', 'replicas'], 'Error setting replicas');
}

/**
 * RetainClusterFields (§6.3): resourceVersion, finalizers and annotations from the live object,
 * then the Service / ServiceAccount / retainReplicas rules. `desired` is not mutated.
 */
export function retainClusterFields(
  targetKind: string,
  desired: unknown,
  clusterObject: unknown,
  federatedObject: unknown,
): RetainResult {
  if (!isObject(desired)) return { ok: false, status: 'FieldRetentionFailed', message: 'desired object is not a JSON object' };
  const live: JsonObject = isObject(clusterObject) ? clusterObject : {};
  const out = deepClone(desired);
  try {
    setOrRemoveString(out, valueOr(nestedString(live, ['metadata', 'resourceVersion'])) ?? '', ['metadata', 'resourceVersion']);
    const finalizers = valueOr(nestedStringSlice(live, ['metadata', 'finalizers']));
    if (finalizers === undefined) removeNestedField(out, ['metadata', 'finalizers']);
    else setNestedField(out, finalizers, ['metadata', 'finalizers']);
    const annotations = valueOr(nestedStringMap(live, ['metadata', 'annotations']));
    if (annotations === undefined) removeNestedField(out, ['metadata', 'annotations']);
    else setNestedField(out, annotations, ['metadata', 'annotations']);

    if (targetKind === 'Service') retainServiceFields(out, live);
    else if (targetKind === 'ServiceAccount') retainServiceAccountFields(out, live);
    else retainReplicas(out, live, federatedObject);
  } catch (e) {
    if (e instanceof RetainError) return { ok: false, status: 'FieldRetentionFailed', message: e.message };
    throw e;
  }
  return { ok: true, object: out };
}
