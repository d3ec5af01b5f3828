/**
 * Per-cluster overrides of both API eras.
 *
 * v1beta1 (semantics §5.2): `spec.overrides[] = {clusterName, clusterOverrides[{op, path, value}]}`;
 * the whole list is validated first (an error fails every cluster), then the cluster's entries
 * are applied as one JSON patch (pinned library behaviour, see jsonpatch.ts) and the managed
 * label is forced afterwards.
 *
 * v1alpha1 (§5.1): the first override entry for the cluster replaces the field at the FTC's
 * overridePath wholesale.
 */
import type { Json, JsonObject } from './json.ts';
import { deepClone, isObject, own, setOwn } from './json.ts';
import { applyPatch, type PatchErrorKind } from './jsonpatch.ts';
import { hasValidEscapes, isPrototypeKey, parseArrayIndex, unescapeToken } from './pointer.ts';
import { controllerErrors, decodeOverrides, FORBIDDEN_OVERRIDE_PATHS, itemFor, OVERRIDE_OPS, type OverrideErrorKind, type OverrideItem } from './overrideCodec.ts';
export { validateOverrides } from './overrideCodec.ts';
import { MANAGED_LABEL } from './managed.ts';
import { nestedSlice, nestedString, nestedStringMap, setNestedField, valueOr } from './retain.ts';


function hasOwn(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

export type ApplyOverridesResult =
  | { ok: true; object: JsonObject }
  | {
      ok: false;
      status: 'ApplyOverridesFailed';
      message: string;
      kind: OverrideErrorKind | PatchErrorKind | 'missing-kind' | 'invalid-object';
      index?: number;
      subIndex?: number;
    };

/** AddManagedLabel: labels that are not a string map are replaced by a map with the label only. */
export function addManagedLabel(obj: JsonObject): void {
  const labels = valueOr(nestedStringMap(obj, ['metadata', 'labels'])) ?? {};
  setOwn(labels, MANAGED_LABEL, 'true');
  setNestedField(obj, labels as JsonObject, ['metadata', 'labels']);
}

/** The clusterOverrides of `clusterName` as a JSON patch (empty op -> replace, null value omitted). */
export function patchForCluster(items: OverrideItem[], clusterName: string): JsonObject[] | null {
  const item = itemFor(items, clusterName);
  if (!item || item.clusterOverrides === null) return null;
  return item.clusterOverrides.map((co) => {
    const op: JsonObject = { op: co.op === '' ? 'replace' : co.op, path: co.path };
    if (co.value !== undefined) op.value = co.value;
    return op;
  });
}

/**
 * ApplyOverrides for one cluster: validate the whole list, apply the cluster's patch, then force
 * `kubefed.io/managed: "true"`. Never mutates its inputs and never throws.
 */
export function applyOverrides(object: unknown, overrides: unknown, clusterName: string): ApplyOverridesResult {
  const fail = (
    kind: Exclude<ApplyOverridesResult, { ok: true }>['kind'],
    message: string,
    index?: number,
    subIndex?: number,
  ): ApplyOverridesResult => ({
    ok: false,
    status: 'ApplyOverridesFailed',
    message,
    kind,
    ...(index === undefined ? {} : { index }),
    ...(subIndex === undefined ? {} : { subIndex }),
  });
  try {
    if (!isObject(object)) return fail('invalid-object', 'the object to override is not a JSON object');
    const first = controllerErrors(overrides)[0];
    const { items } = decodeOverrides(overrides);
    if (first) return fail(first.kind, first.message, first.index, first.subIndex);

    let result: JsonObject = deepClone(object);
    const patch = patchForCluster(items, clusterName);
    if (patch !== null) {
      const patched = applyPatch(object, patch, { rejectPrototypeKeys: true });
      if (!patched.ok) {
        const index = items.findIndex((i) => i.clusterName === clusterName);
        return fail(patched.kind, patched.message, index, patched.index);
      }
      result = patched.doc as JsonObject;
      // The patched document is decoded back into an Unstructured, which requires a kind.
      const kind = valueOr(nestedString(result, ['kind']));
      if (!kind) return fail('missing-kind', `Object 'Kind' is missing in '${JSON.stringify(result)}'`);
    }
    addManagedLabel(result);
    return { ok: true, object: result };
  } catch (e) {
    return fail('invalid-object', `overrides could not be applied: ${String((e as Error)?.message ?? e)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Editor helper
// ---------------------------------------------------------------------------------------------

export type OverridePathProblem =
  | 'invalid-op'
  | 'malformed'
  | 'forbidden'
  | 'prototype'
  | 'missing-parent'
  | 'not-found'
  | 'bad-index'
  | 'negative-index';

export type OverridePathCheck =
  | { ok: true; effect: 'set' | 'create' | 'insert' | 'append' | 'remove'; note?: string }
  | { ok: false; problem: OverridePathProblem; message: string; segment?: number };

type PathFailure = Extract<OverridePathCheck, { ok: false }>;

/** The op (empty = replace) and the pointer's syntax: the unescaped tokens, or the problem. */
function parseOverridePath(op: string, path: string): { effOp: string; raw: string[]; tokens: string[] } | PathFailure {
  const effOp = op === '' ? 'replace' : op;
  if (!OVERRIDE_OPS.includes(effOp)) {
    return { ok: false, problem: 'invalid-op', message: `op must be add, remove or replace (got "${op}")` };
  }
  if (FORBIDDEN_OVERRIDE_PATHS.includes(path)) {
    return { ok: false, problem: 'forbidden', message: `${path} may not be overridden` };
  }
  if (!path.startsWith('/')) {
    return {
      ok: false,
      problem: 'malformed',
      message: path === ''
        ? 'the path must not be empty'
        : `the path must start with "/" (upstream silently drops the first segment of "${path}")`,
    };
  }
  const raw = path.slice(1).split('/');
  const tokens: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (!hasValidEscapes(raw[i]!)) {
      return { ok: false, problem: 'malformed', segment: i, message: `"~" must be followed by "0" or "1" in segment "${raw[i]}"` };
    }
    const t = unescapeToken(raw[i]!);
    if (isPrototypeKey(t)) return { ok: false, problem: 'prototype', segment: i, message: `segment "${t}" is not allowed` };
    tokens.push(t);
  }
  return { effOp, raw, tokens };
}

/** The object or array holding the last token: every parent must exist (overrides create none). */
function parentOf(template: unknown, raw: readonly string[], tokens: readonly string[]): { parent: unknown } | PathFailure {
  let cur: unknown = template;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    let next: unknown;
    if (Array.isArray(cur)) {
      const idx = parseArrayIndex(t);
      if (!idx.ok) return { ok: false, problem: 'bad-index', segment: i, message: `"${t}" is not an array index` };
      if (idx.index < 0) return { ok: false, problem: 'negative-index', segment: i, message: `negative index ${t} is not supported here` };
      next = cur[idx.index];
    } else if (isObject(cur)) {
      next = hasOwn(cur, t) ? cur[t] : undefined;
    }
    if (next === undefined || next === null || (typeof next !== 'object')) {
      const parent = '/' + raw.slice(0, i + 1).join('/');
      return {
        ok: false,
        problem: 'missing-parent',
        segment: i,
        message: next === undefined || next === null
          ? `${parent} does not exist; overrides never create intermediate objects`
          : `${parent} is not an object or array`,
      };
    }
    cur = next;
  }
  return { parent: cur };
}

/** The last token as an index into an array: append, insert, set or remove, or why not. */
function checkArrayElement(arr: readonly unknown[], effOp: string, last: string, lastSeg: number, note: string | undefined): OverridePathCheck {
  if (effOp === 'add' && last === '-') return { ok: true, effect: 'append', ...(note ? { note } : {}) };
  const idx = parseArrayIndex(last);
  if (!idx.ok) return { ok: false, problem: 'bad-index', segment: lastSeg, message: `"${last}" is not an array index` };
  const canon = idx.canonical ? undefined : `index "${last}" is not a canonical array index`;
  const n = arr.length;
  if (effOp === 'replace') {
    if (idx.index < 0) return { ok: false, problem: 'negative-index', segment: lastSeg, message: `replace does not support negative index ${last}` };
    if (idx.index >= n) return { ok: false, problem: 'not-found', segment: lastSeg, message: `index ${idx.index} is out of range (length ${n})` };
    return { ok: true, effect: 'set', ...(canon ? { note: canon } : note ? { note } : {}) };
  }
  if (effOp === 'add') {
    if (idx.index > n || idx.index < -(n + 1)) return { ok: false, problem: 'not-found', segment: lastSeg, message: `index ${idx.index} is out of range (length ${n})` };
    const append = idx.index === n || idx.index === -1;
    return { ok: true, effect: append ? 'append' : 'insert', ...(canon ? { note: canon } : {}) };
  }
  if (idx.index >= n || idx.index < -n) return { ok: false, problem: 'not-found', segment: lastSeg, message: `index ${idx.index} is out of range (length ${n})` };
  return { ok: true, effect: 'remove', ...(canon ? { note: canon } : {}) };
}

/**
 * Checks one override against the object it would be applied to, before the controller does:
 * malformed pointer (no leading `/`, bad `~` escape), forbidden path, reserved segment, missing
 * parent, missing target (remove, replace inside an array), bad or negative index. `op` may be
 * empty (= replace). Warnings that the controller would accept are given as `note`.
 */
export function checkOverridePath(template: unknown, op: string, path: string): OverridePathCheck {
  const parsed = parseOverridePath(op, path);
  if ('ok' in parsed) return parsed;
  const { effOp, raw, tokens } = parsed;
  const found = parentOf(template, raw, tokens);
  if ('ok' in found) return found;
  const cur = found.parent;
  const last = tokens[tokens.length - 1]!;
  const lastSeg = tokens.length - 1;
  const nearForbidden = FORBIDDEN_OVERRIDE_PATHS.find((f) => path.startsWith(f + '/'));
  const note = nearForbidden ? `${path} lies below ${nearForbidden}` : undefined;
  if (Array.isArray(cur)) return checkArrayElement(cur, effOp, last, lastSeg, note);
  const withNote = <T extends object>(r: T): T => (note ? { ...r, note } : r);
  const exists = isObject(cur) && hasOwn(cur, last);
  if (effOp === 'remove') {
    return exists
      ? withNote({ ok: true as const, effect: 'remove' as const })
      : { ok: false, problem: 'not-found', segment: lastSeg, message: `${path} does not exist, so it cannot be removed` };
  }
  if (effOp === 'replace' && !exists) {
    return { ok: true, effect: 'create', note: note ?? `${path} does not exist yet; replace creates it (non-RFC behaviour of the pinned library)` };
  }
  return withNote({ ok: true as const, effect: exists ? ('set' as const) : ('create' as const) });
}

// ---------------------------------------------------------------------------------------------
// v1alpha1
// ---------------------------------------------------------------------------------------------

export type V1alpha1OverrideResult =
  | { ok: true; object: JsonObject; matchedIndex?: number }
  | { ok: false; message: string; kind: 'invalid-overrides' | 'missing-override-path' | 'invalid-object' };

/**
 * v1alpha1 override (semantics §5.1): the FIRST entry whose clusterName equals the cluster wins,
 * even when it lacks the field; the field named by the last element of `overridePath` replaces
 * the target field wholesale (intermediate maps are created; a non-map intermediate silently
 * leaves the object unchanged). An override object with spec.overrides but no overridePath is
 * an error. `object` is not mutated.
 */
export function applyOverrideV1alpha1(
  object: unknown,
  overrideObject: unknown,
  overridePath: readonly string[] | null | undefined,
  clusterName: string,
): V1alpha1OverrideResult {
  if (!isObject(object)) return { ok: false, kind: 'invalid-object', message: 'the object to override is not a JSON object' };
  const obj = deepClone(object);
  if (overrideObject === null || overrideObject === undefined) return { ok: true, object: obj };
  const overrides = nestedSlice(overrideObject, ['spec', 'overrides'], 'legacy');
  if ('error' in overrides) return { ok: false, kind: 'invalid-overrides', message: `Error retrieving overrides: ${overrides.error}` };
  if (!overrides.found) return { ok: true, object: obj };
  if (!overridePath || overridePath.length === 0) {
    return { ok: false, kind: 'missing-override-path', message: 'Override path is missing' };
  }
  const fieldName = overridePath[overridePath.length - 1]!;
  for (let i = 0; i < overrides.value.length; i++) {
    const entry = overrides.value[i];
    if (!isObject(entry)) {
      return { ok: false, kind: 'invalid-overrides', message: `spec.overrides[${i}] is not an object` };
    }
    if (own(entry, 'clusterName') !== clusterName) continue;
    if (hasOwn(entry, fieldName)) setNestedField(obj, entry[fieldName]!, overridePath);
    return { ok: true, object: obj, matchedIndex: i };
  }
  return { ok: true, object: obj };
}
