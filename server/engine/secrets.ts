/**
 * Which values are secret: the entries of a core/v1 Secret's `data` and `stringData`. Every face
 * that shows an object (hover previews, inlay hints, the render request, cluster diffs) asks here,
 * and hides those values (keys stay visible).
 */
import { deepClone, isObject, own, type Json, type JsonObject } from './json.ts';
import { pointerTokens } from './pointer.ts';
import type { PathSegment } from './parse.ts';

/** What a masked value is shown as. */
export const SECRET_MASK = '••••••••';

/** The fields of a Secret whose entries are secret values. */
export const SECRET_FIELDS = ['data', 'stringData'] as const;

/** A core/v1 Secret (apiVersion may be omitted, as in a federated template's target kind). */
export function isSecretKind(kind: unknown, apiVersion?: unknown): boolean {
  return kind === 'Secret' && (apiVersion === undefined || apiVersion === 'v1');
}

/**
 * Whether the value at `path` of an object of `kind` is secret, or holds secret values:
 * `/data`, `/data/<key>`, `stringData.<key>`... `path` is relative to the object's root, as
 * segments or a JSON pointer.
 */
export function isSecretPath(kind: unknown, path: readonly PathSegment[] | string): boolean {
  if (!isSecretKind(kind)) return false;
  const segments = typeof path === 'string' ? (path.startsWith('/') ? (pointerTokens(path) ?? []) : path.split('.')) : path;
  const first = segments[0];
  return (SECRET_FIELDS as readonly unknown[]).includes(first);
}

/**
 * A copy of `obj` with each secret value replaced by `mask(field, key, value)` (default: the
 * mask); the object itself when it is not a Secret.
 */
export function maskSecretValues(
  obj: JsonObject,
  kind: unknown = obj.kind,
  mask: (field: string, key: string, value: Json) => Json = () => SECRET_MASK,
): JsonObject {
  if (!isSecretKind(kind, kind === obj.kind ? obj.apiVersion : undefined)) return obj;
  const out = deepClone(obj);
  for (const field of SECRET_FIELDS) {
    const entries = own(out, field);
    if (!isObject(entries)) continue;
    for (const key of Object.keys(entries)) entries[key] = mask(field, key, entries[key]);
  }
  return out;
}
