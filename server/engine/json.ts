/** Plain JSON values as they come out of YAML/JSON documents. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy of a JSON value (no prototype surprises: keys are copied as own data properties). */
export function deepClone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepClone) as unknown as T;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) setOwn(out, k, deepClone(v[k]));
    return out as T;
  }
  return v;
}

/**
 * Sets `o[key]` as an own data property whatever the key: only `__proto__` is special on
 * assignment (it would set the prototype), so only it needs defineProperty.
 */
export function setOwn<T>(o: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** Structural equality of JSON values; object key order is not significant. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Own-property lookup that never walks the prototype chain. */
export function own(o: unknown, key: string): Json | undefined {
  if (!isObject(o)) return undefined;
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** Follows a path of own keys; undefined when any step is missing or not an object. */
export function getPath(o: unknown, path: readonly string[]): Json | undefined {
  let cur: unknown = o;
  for (const k of path) {
    cur = own(cur, k);
    if (cur === undefined) return undefined;
  }
  return cur as Json;
}

/** The conventional key order of a Kubernetes object: apiVersion, kind, metadata, then the rest. */
export function kubernetesKeyOrder(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of ['apiVersion', 'kind', 'metadata']) if (Object.prototype.hasOwnProperty.call(o, k)) out[k] = o[k];
  for (const k of Object.keys(o)) if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = o[k];
  return out;
}
