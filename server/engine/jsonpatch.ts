/**
 * JSON Patch (RFC 6902) with the behaviour of github.com/evanphx/json-patch v4.11.0, the library
 * KubeFed pins for v1beta1 overrides, including its deviations from the RFC:
 *
 * - `replace` of a missing member of an existing object creates it (upsert);
 * - missing intermediate objects/arrays are errors, nothing is auto-created; a scalar or null
 *   intermediate counts as missing;
 * - `add` accepts negative indexes (-1 appends), `remove` too (-1 removes the last element);
 *   `replace`/`test`/`move`/`copy` with a negative index crash the library, so they are rejected;
 * - a path without a leading `/` silently drops its first segment (`spec/replicas` -> `/replicas`);
 * - array indexes are read like Go's strconv.Atoi: leading zeros and a `+` sign are accepted;
 * - `~1`/`~0` are decoded left to right, invalid escapes are kept verbatim;
 * - a JSON null value and an absent value both write null.
 *
 * The input document and the operations are never mutated; the patch is all-or-nothing.
 * Keys are only ever read and written as own data properties. By default, path segments
 * `__proto__`, `constructor` and `prototype` are rejected outright.
 */
import type { Json, JsonObject } from './json.ts';
import { deepClone, deepEqual, isObject, setOwn } from './json.ts';
import { isPrototypeKey, parseArrayIndex, unescapeToken } from './pointer.ts';

export type PatchErrorKind =
  | 'invalid-document'
  | 'invalid-operation'
  | 'missing-path'
  | 'missing-key'
  | 'bad-index'
  | 'index-out-of-range'
  | 'negative-index'
  | 'test-failed'
  | 'unknown-op'
  | 'prototype-key';

export type PatchResult =
  | { ok: true; doc: Json }
  | { ok: false; kind: PatchErrorKind; message: string; index: number };

export interface PatchOptions {
  /** Reject path segments `__proto__`, `constructor`, `prototype` (default true). */
  rejectPrototypeKeys?: boolean;
}

type Container = JsonObject | Json[];

class PatchError extends Error {
  constructor(
    readonly kind: PatchErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

function hasOwn(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function isContainer(v: unknown): v is Container {
  return Array.isArray(v) || isObject(v);
}

interface Ctx {
  rejectProto: boolean;
}

function decodeKey(ctx: Ctx, raw: string): string {
  const key = unescapeToken(raw);
  if (ctx.rejectProto && isPrototypeKey(key)) {
    throw new PatchError('prototype-key', `path segment "${key}" is not allowed`);
  }
  return key;
}

/** Value at `key` of a container as the library's `get` sees it; undefined = nil node. */
function getChild(c: Container, key: string, negativeMessage: string): Json | undefined {
  if (Array.isArray(c)) {
    const idx = parseArrayIndex(key);
    if (!idx.ok) throw new PatchError('bad-index', idx.message);
    if (idx.index >= c.length) {
      throw new PatchError('index-out-of-range', `Unable to access invalid index: ${idx.index}: ${INVALID_INDEX}`);
    }
    if (idx.index < 0) throw new PatchError('negative-index', negativeMessage);
    return c[idx.index];
  }
  return hasOwn(c, key) ? c[key] : undefined;
}

/**
 * The library's findObject: the container holding the last segment and the decoded key,
 * or null when the path does not lead to an existing object/array.
 */
function findObject(ctx: Ctx, root: Container, path: string): { con: Container; key: string } | null {
  const split = path.split('/');
  if (split.length < 2) return null;
  let cur: Container = root;
  for (const part of split.slice(1, -1)) {
    const key = decodeKey(ctx, part);
    let next: Json | undefined;
    try {
      next = getChild(cur, key, 'negative array index in the middle of a path is not supported');
    } catch (e) {
      if (e instanceof PatchError && e.kind === 'negative-index') throw e;
      return null;
    }
    if (next === undefined || next === null || !isContainer(next)) return null;
    cur = next;
  }
  return { con: cur, key: decodeKey(ctx, split[split.length - 1]!) };
}

function addTo(c: Container, key: string, val: Json): void {
  if (!Array.isArray(c)) {
    setOwn(c, key, val);
    return;
  }
  if (key === '-') {
    c.push(val);
    return;
  }
  const idx = parseArrayIndex(key);
  if (!idx.ok) throw new PatchError('bad-index', `value was not a proper array index: '${key}': ${idx.message}`);
  const size = c.length + 1;
  let i = idx.index;
  if (i >= size || i < -size) {
    throw new PatchError('index-out-of-range', `Unable to access invalid index: ${i}: ${INVALID_INDEX}`);
  }
  if (i < 0) i += size;
  c.splice(i, 0, val);
}

function removeFrom(c: Container, key: string): void {
  if (!Array.isArray(c)) {
    if (!hasOwn(c, key)) throw new PatchError('missing-key', `Unable to remove nonexistent key: ${key}: ${MISSING}`);
    delete c[key];
    return;
  }
  const idx = parseArrayIndex(key);
  if (!idx.ok) throw new PatchError('bad-index', idx.message);
  let i = idx.index;
  if (i >= c.length || i < -c.length) {
    throw new PatchError('index-out-of-range', `Unable to access invalid index: ${i}: ${INVALID_INDEX}`);
  }
  if (i < 0) i += c.length;
  c.splice(i, 1);
}

function wrap(prefix: string, e: unknown): never {
  if (e instanceof PatchError) throw new PatchError(e.kind, `${prefix}: ${e.message}`);
  throw e;
}

function stringField(op: JsonObject, field: 'path' | 'from', what: string): string {
  const v = hasOwn(op, field) ? op[field] : null;
  if (v === null || v === undefined) {
    throw new PatchError('invalid-operation', `${what}: operation${field === 'from' ? ', missing from field' : ' missing path field'}: ${MISSING}`);
  }
  if (typeof v !== 'string') {
    throw new PatchError('invalid-operation', `${what}: json: cannot unmarshal ${typeof v} into Go value of type string`);
  }
  return v;
}

function valueOf(op: JsonObject): Json {
  const v = hasOwn(op, 'value') ? op.value : null;
  return v === undefined ? null : deepClone(v);
}

/** evanphx/json-patch add: a new member, or an array insertion (`-` appends). */
function applyAdd(ctx: Ctx, root: Container, op: JsonObject): void {
  const path = stringField(op, 'path', 'add operation failed to decode path');
  const found = findObject(ctx, root, path);
  if (!found) throw new PatchError('missing-path', `add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  try {
    addTo(found.con, found.key, valueOf(op));
  } catch (e) {
    wrap(`error in add for path: '${path}'`, e);
  }
}

/** remove: the member or array element at path. */
function applyRemove(ctx: Ctx, root: Container, op: JsonObject): void {
  const path = stringField(op, 'path', 'remove operation failed to decode path');
  const found = findObject(ctx, root, path);
  if (!found) throw new PatchError('missing-path', `remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  try {
    removeFrom(found.con, found.key);
  } catch (e) {
    wrap(`error in remove for path: '${path}'`, e);
  }
}

/** replace: the existing member or array element at path (an object member is created when missing). */
function applyReplace(ctx: Ctx, root: Container, op: JsonObject): void {
  const path = stringField(op, 'path', 'replace operation failed to decode path');
  const found = findObject(ctx, root, path);
  if (!found) throw new PatchError('missing-path', `replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
  const { con, key } = found;
  if (Array.isArray(con)) {
    const idx = parseArrayIndex(key);
    if (!idx.ok || idx.index >= con.length) {
      throw new PatchError('missing-key', `replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
    }
    if (idx.index < 0) {
      throw new PatchError('negative-index', `replace operation does not apply: negative array index in ${path} is not supported`);
    }
    con[idx.index] = valueOf(op);
  } else {
    setOwn(con, key, valueOf(op));
  }
}

/** move: removes the value at from, then adds it at path. */
function applyMove(ctx: Ctx, root: Container, op: JsonObject): void {
  const from = stringField(op, 'from', 'move operation failed to decode from');
  const src = findObject(ctx, root, from);
  if (!src) throw new PatchError('missing-path', `move operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
  let val: Json | undefined;
  try {
    val = getChild(src.con, src.key, `move operation does not apply: negative array index in ${from} is not supported`);
    removeFrom(src.con, src.key);
  } catch (e) {
    wrap(`error in move for path: '${src.key}'`, e);
  }
  const path = stringField(op, 'path', 'move operation failed to decode path');
  const dst = findObject(ctx, root, path);
  if (!dst) throw new PatchError('missing-path', `move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
  try {
    addTo(dst.con, dst.key, val ?? null);
  } catch (e) {
    wrap(`error in move for path: '${path}'`, e);
  }
}

/** copy: adds a copy of the value at from at path. */
function applyCopy(ctx: Ctx, root: Container, op: JsonObject): void {
  const from = stringField(op, 'from', 'copy operation failed to decode from');
  const src = findObject(ctx, root, from);
  if (!src) throw new PatchError('missing-path', `copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
  let val: Json | undefined;
  try {
    val = getChild(src.con, src.key, `copy operation does not apply: negative array index in ${from} is not supported`);
  } catch (e) {
    wrap(`error in copy for from: '${from}'`, e);
  }
  const path = stringField(op, 'path', 'copy operation failed to decode path');
  const dst = findObject(ctx, root, path);
  if (!dst) throw new PatchError('missing-path', `copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
  try {
    addTo(dst.con, dst.key, deepClone(val ?? null));
  } catch (e) {
    wrap('error while adding value during copy', e);
  }
}

/** test: the value at path equals value (an explicit null matches a missing value). */
function applyTest(ctx: Ctx, root: Container, op: JsonObject): void {
  const path = stringField(op, 'path', 'test operation failed to decode path');
  const found = findObject(ctx, root, path);
  if (!found) throw new PatchError('missing-path', `test operation does not apply: is missing path: ${path}: ${MISSING}`);
  let val: Json | undefined;
  try {
    val = getChild(found.con, found.key, `test operation does not apply: negative array index in ${path} is not supported`);
  } catch (e) {
    wrap(`error in test for path: '${path}'`, e);
  }
  const hasValue = hasOwn(op, 'value') && op.value !== undefined;
  if (val === undefined || val === null) {
    // The library succeeds only for an explicit JSON null value; without any value it crashes.
    if (hasValue && op.value === null) return;
    if (!hasValue) throw new PatchError('invalid-operation', `test operation for ${path} has no value to compare with`);
    throw new PatchError('test-failed', `testing value ${path} failed: test failed`);
  }
  if (!hasValue || !deepEqual(val, op.value)) {
    throw new PatchError('test-failed', `testing value ${path} failed: test failed`);
  }
}

const OPERATIONS = new Map<string, (ctx: Ctx, root: Container, op: JsonObject) => void>([
  ['add', applyAdd],
  ['remove', applyRemove],
  ['replace', applyReplace],
  ['move', applyMove],
  ['copy', applyCopy],
  ['test', applyTest],
]);

function applyOne(ctx: Ctx, root: Container, op: JsonObject): void {
  const kind = hasOwn(op, 'op') && typeof op.op === 'string' ? op.op : 'unknown';
  const apply = OPERATIONS.get(kind);
  if (!apply) throw new PatchError('unknown-op', `Unexpected kind: ${kind}`);
  apply(ctx, root, op);
}

/**
 * Applies `ops` to a copy of `doc`. The document root must be an object or an array.
 * On failure `index` is the position of the failing operation (-1 for a bad document).
 */
export function applyPatch(doc: unknown, ops: readonly unknown[], options: PatchOptions = {}): PatchResult {
  if (!isContainer(doc)) {
    return { ok: false, kind: 'invalid-document', message: 'document root must be a JSON object or array', index: -1 };
  }
  const ctx: Ctx = { rejectProto: options.rejectPrototypeKeys ?? true };
  const root = deepClone(doc as Container);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    try {
      if (op === null) {
        applyOne(ctx, root, {});
      } else if (!isObject(op)) {
        return { ok: false, kind: 'invalid-operation', message: `operation ${i} is not a JSON object`, index: i };
      } else {
        applyOne(ctx, root, op);
      }
    } catch (e) {
      if (e instanceof PatchError) return { ok: false, kind: e.kind, message: e.message, index: i };
      return { ok: false, kind: 'invalid-operation', message: String((e as Error)?.message ?? e), index: i };
    }
  }
  return { ok: true, doc: root };
}
