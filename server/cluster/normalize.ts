/**
 * Objects made comparable: server-owned fields stripped, keys in a stable order, Secret values
 * masked for display, and leaf-level changes between two objects as JSON pointers.
 */
import { stringify } from 'yaml';
import type { Json, JsonObject } from '../engine/json.ts';
import { deepClone, deepEqual, isObject, own, setOwn } from '../engine/json.ts';
import { isSecretKind, isSecretPath, maskSecretValues } from '../engine/secrets.ts';

/** metadata fields the API server owns; never part of what is desired. */
export const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink'] as const;

/** A copy without status and the server-owned metadata, keys in a stable order. */
export function normalize(obj: JsonObject): JsonObject {
  const out = deepClone(obj);
  delete out.status;
  const md = out.metadata;
  if (isObject(md)) {
    for (const k of SERVER_METADATA) delete md[k];
  }
  return ordered(out) as JsonObject;
}

/** apiVersion, kind, metadata first, then the rest; nested keys sorted. */
export function ordered(v: Json): Json {
  if (Array.isArray(v)) return v.map(ordered);
  if (!isObject(v)) return v;
  const keys = Object.keys(v).sort();
  const first = ['apiVersion', 'kind', 'metadata', 'spec'].filter((k) => keys.includes(k));
  const out: JsonObject = {};
  for (const k of [...first, ...keys.filter((k) => !first.includes(k))]) {
    setOwn(out, k, ordered(v[k]!));
  }
  return out;
}

export function toYaml(v: unknown): string {
  return stringify(v, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** RFC 6901 escaping of one path segment. */
function seg(k: string | number): string {
  return String(k).replace(/~/g, '~0').replace(/\//g, '~1');
}

export interface Change {
  /** JSON pointer. */
  path: string;
  /** Absent when the field is only on the other side. */
  desired?: Json;
  live?: Json;
}

/** Leaf-level differences of two values (lists compared by index). */
export function changes(a: Json | undefined, b: Json | undefined, path = ''): Change[] {
  if (deepEqual(a, b)) return [];
  if (isObject(a) && isObject(b)) {
    const out: Change[] = [];
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const ha = Object.prototype.hasOwnProperty.call(a, k);
      const hb = Object.prototype.hasOwnProperty.call(b, k);
      out.push(...changes(ha ? a[k] : undefined, hb ? b[k] : undefined, `${path}/${seg(k)}`));
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((x, i) => changes(x, b[i], `${path}/${i}`));
  }
  const c: Change = { path: path || '/' };
  if (a !== undefined) c.desired = a;
  if (b !== undefined) c.live = b;
  return [c];
}

/** Value at a JSON pointer. */
export function atPointer(v: unknown, pointer: string): Json | undefined {
  if (pointer === '' || pointer === '/') return v as Json;
  let cur: unknown = v;
  for (const raw of pointer.slice(1).split('/')) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(k)];
    else if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, k)) cur = cur[k];
    else return undefined;
  }
  return cur as Json;
}

/** Removes the field at a JSON pointer (no-op when absent). */
export function removeAt(v: JsonObject, pointer: string): void {
  const parts = pointer.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop();
  if (last === undefined) return;
  const parent = atPointer(v, parts.length ? '/' + parts.map(seg).join('/') : '');
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) delete parent[last];
}

/** Sets the field at a JSON pointer whose parent exists (no-op otherwise). */
export function setAt(v: JsonObject, pointer: string, value: Json): void {
  const parts = pointer.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop();
  if (last === undefined) return;
  const parent = atPointer(v, parts.length ? '/' + parts.map(seg).join('/') : '');
  if (Array.isArray(parent)) parent[Number(last)] = deepClone(value);
  else if (isObject(parent)) parent[last] = deepClone(value);
}

/** Whether `path` is `prefix` or below it. */
export function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : prefix + '/');
}

/**
 * Secret values for display: `data`/`stringData` entries become `***` on both sides, or
 * `*** (desired)` / `*** (live)` where they differ, so a diff shows which keys changed and no value.
 */
export function maskSecrets(desired: JsonObject | null, live: JsonObject | null): [JsonObject | null, JsonObject | null] {
  const isSecret = (o: JsonObject | null) => !!o && isSecretKind(o.kind, o.apiVersion);
  if (!isSecret(desired) && !isSecret(live)) return [desired, live];
  const entry = (o: JsonObject | null, field: string, key: string) => {
    const m = o ? own(o, field) : undefined;
    return isObject(m) ? own(m, key) : undefined;
  };
  const mask = (other: JsonObject | null, side: string) => (field: string, key: string, value: Json) =>
    value === entry(other, field, key) ? '***' : `*** (${side})`;
  return [desired && maskSecretValues(desired, desired.kind, mask(live, 'desired')), live && maskSecretValues(live, live.kind, mask(desired, 'live'))];
}

/** Masks the values of Secret data in a list of changes. */
export function maskChanges(kind: string, list: Change[]): Change[] {
  return list.map((c) =>
    isSecretPath(kind, c.path)
      ? { path: c.path, ...(c.desired !== undefined ? { desired: '***' } : {}), ...(c.live !== undefined ? { live: '***' } : {}) }
      : c,
  );
}
