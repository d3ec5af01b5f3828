/**
 * The one decoder of v1beta1 `spec.overrides` (semantics §5.2): typed items plus positioned errors.
 * Overrides, the RSP write-back, the checks, the override version hash and completion all read
 * overrides through here.
 *
 * Key matching is exact (`clusterName`, `clusterOverrides`, `op`, `path`, `value`). KubeFed decodes
 * with Go's encoding/json, which matches keys case-insensitively — but it decodes what the API
 * server stored, and the federated types' CRDs are structural without
 * `x-kubernetes-preserve-unknown-fields` on the override items, so the API server prunes every key
 * that is not spelled exactly as declared before KubeFed reads the object. A `ClusterName:` key
 * written in a file therefore never reaches KubeFed; the checks report it as an unknown field.
 *
 * Three kinds of problem:
 * - `rejected`: the API server refuses the object at admission (CRD validation: `path` is
 *   required, `op` must match `^(add|remove|replace)?$`), so nothing reaches KubeFed;
 * - `invalid-type`: a JSON type Go cannot decode into GenericOverrideItem;
 * - list errors KubeFed reports as ApplyOverridesFailed for every cluster (duplicate cluster,
 *   forbidden path, duplicate path), plus our `prototype-path` (segments `__proto__`,
 *   `constructor`, `prototype` are refused before any patch is built).
 */
import type { Json, JsonObject } from './json.ts';
import { deepClone, isObject } from './json.ts';
import { isPrototypeKey, unescapeToken } from './pointer.ts';

/** Paths an override may not touch (exact string match, kubefed pkg/controller/util/overrides.go). */
export const FORBIDDEN_OVERRIDE_PATHS: readonly string[] = ['/metadata/namespace', '/metadata/name', '/metadata/generateName', '/kind'];

/** The ops the CRD admits; '' means replace. */
export const OVERRIDE_OPS: readonly string[] = ['add', 'remove', 'replace'];

export type OverrideErrorKind = 'rejected' | 'invalid-type' | 'duplicate-cluster' | 'duplicate-path' | 'forbidden-path' | 'prototype-path';

export interface OverrideError {
  kind: OverrideErrorKind;
  message: string;
  /** Index in spec.overrides (-1 when the list itself is malformed). */
  index: number;
  /** Index in clusterOverrides, when the error concerns one override. */
  subIndex?: number;
  /** The field of the override the error is about (`op`, `path`, `value`, `clusterName`). */
  field?: 'op' | 'path' | 'clusterName' | 'clusterOverrides';
}

export interface ClusterOverride {
  /** '' when absent (= replace). */
  op: string;
  /** '' when absent (the API server rejects that: see `rejected`). */
  path: string;
  /** undefined = absent (a JSON null value is the same as an absent one upstream). */
  value?: Json;
}

export interface OverrideItem {
  clusterName: string;
  /** null = field absent or null: no patch is applied at all. */
  clusterOverrides: ClusterOverride[] | null;
}

export interface DecodedOverrides {
  items: OverrideItem[];
  /** Admission and decode errors, in list order. */
  errors: OverrideError[];
}

function field(o: JsonObject, key: string): Json | undefined {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

function goTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  return typeof v;
}

const decodeCache = new WeakMap<object, DecodedOverrides>();

/**
 * Decodes spec.overrides the way KubeFed's typed decode into GenericOverrideItem does (null
 * entries become zero values; wrong JSON types are errors), and notes what admission rejects.
 * The result of a list is memoised on the (immutable) parsed list.
 */
export function decodeOverrides(list: unknown): DecodedOverrides {
  if (list === null || list === undefined) return { items: [], errors: [] };
  const hit = isObject(list) || Array.isArray(list) ? decodeCache.get(list) : undefined;
  if (hit) return hit;
  const out = decodeList(list);
  if (isObject(list) || Array.isArray(list)) decodeCache.set(list, out);
  return out;
}

function decodeList(list: unknown): DecodedOverrides {
  const items: OverrideItem[] = [];
  const errors: OverrideError[] = [];
  const bad = (index: number, where: string, v: unknown, want: string, subIndex?: number, f?: OverrideError['field']): void => {
    errors.push({
      kind: 'invalid-type',
      index,
      ...(subIndex === undefined ? {} : { subIndex }),
      ...(f ? { field: f } : {}),
      message: `json: cannot unmarshal ${goTypeName(v)} into Go struct field ${where} of type ${want}`,
    });
  };
  if (!Array.isArray(list)) {
    bad(-1, 'GenericOverrideSpec.spec.overrides', list, '[]util.GenericOverrideItem');
    return { items, errors };
  }
  list.forEach((raw, index) => {
    const item: OverrideItem = { clusterName: '', clusterOverrides: null };
    items.push(item);
    if (raw === null) return;
    if (!isObject(raw)) return bad(index, 'GenericOverrideSpec.spec.overrides', raw, 'util.GenericOverrideItem');
    const cn = field(raw, 'clusterName');
    if (typeof cn === 'string') item.clusterName = cn;
    else if (cn !== null && cn !== undefined) bad(index, 'GenericOverrideItem.spec.overrides.clusterName', cn, 'string', undefined, 'clusterName');
    const cos = field(raw, 'clusterOverrides');
    if (cos === null || cos === undefined) return;
    if (!Array.isArray(cos)) return bad(index, 'GenericOverrideItem.spec.overrides.clusterOverrides', cos, 'util.ClusterOverrides', undefined, 'clusterOverrides');
    item.clusterOverrides = cos.map((co, subIndex) => decodeOne(co, index, subIndex, errors, bad));
  });
  return { items, errors };
}

function decodeOne(
  co: Json,
  index: number,
  subIndex: number,
  errors: OverrideError[],
  bad: (index: number, where: string, v: unknown, want: string, subIndex?: number, f?: OverrideError['field']) => void,
): ClusterOverride {
  const out: ClusterOverride = { op: '', path: '' };
  if (co === null) return out;
  if (!isObject(co)) {
    bad(index, 'GenericOverrideItem.spec.overrides.clusterOverrides', co, 'util.ClusterOverride', subIndex);
    return out;
  }
  for (const f of ['op', 'path'] as const) {
    const v = field(co, f);
    if (typeof v === 'string') out[f] = v;
    else if (v !== null && v !== undefined) bad(index, `ClusterOverride.spec.overrides.clusterOverrides.${f}`, v, 'string', subIndex, f);
  }
  const op = field(co, 'op');
  if (typeof op === 'string' && op !== '' && !OVERRIDE_OPS.includes(op)) {
    errors.push({ kind: 'rejected', index, subIndex, field: 'op', message: `op must be add, remove or replace (got ${JSON.stringify(op)})` });
  }
  const path = field(co, 'path');
  if (path === undefined || path === null) {
    errors.push({ kind: 'rejected', index, subIndex, field: 'path', message: 'path is required: a JSON pointer such as /spec/replicas' });
  }
  const value = field(co, 'value');
  if (value !== undefined && value !== null) out.value = deepClone(value);
  return out;
}

function hasPrototypeSegment(path: string): boolean {
  return path.split('/').some((seg) => isPrototypeKey(unescapeToken(seg)));
}

/**
 * The errors KubeFed's GetOverrides reports for a decoded list, in its order (duplicate cluster,
 * forbidden path, duplicate path), plus `prototype-path` unless `upstreamOnly`.
 */
export function listErrors(items: readonly OverrideItem[], options: { upstreamOnly?: boolean } = {}): OverrideError[] {
  const errors: OverrideError[] = [];
  const seenClusters = new Set<string>();
  items.forEach((item, index) => {
    const cluster = JSON.stringify(item.clusterName);
    if (seenClusters.has(item.clusterName)) {
      errors.push({ kind: 'duplicate-cluster', index, field: 'clusterName', message: `cluster ${cluster} appears more than once` });
    }
    seenClusters.add(item.clusterName);
    const paths = new Set<string>();
    (item.clusterOverrides ?? []).forEach((co, subIndex) => {
      if (FORBIDDEN_OVERRIDE_PATHS.includes(co.path)) {
        errors.push({ kind: 'forbidden-path', index, subIndex, field: 'path', message: `override[${subIndex}] for cluster ${cluster} has an invalid path: ${co.path}` });
      } else if (!options.upstreamOnly && hasPrototypeSegment(co.path)) {
        errors.push({
          kind: 'prototype-path',
          index,
          subIndex,
          field: 'path',
          message: `override[${subIndex}] for cluster ${cluster} has a path with a reserved segment (__proto__, constructor, prototype): ${co.path}`,
        });
      }
      if (paths.has(co.path)) {
        errors.push({ kind: 'duplicate-path', index, subIndex, field: 'path', message: `path ${JSON.stringify(co.path)} appears more than once for cluster ${cluster}` });
      }
      paths.add(co.path);
    });
  });
  return errors;
}

/**
 * What KubeFed's controller sees wrong in a list that reached it (admission errors excluded: such
 * an object is never stored). The first one is what the controller reports.
 */
export function controllerErrors(list: unknown, options: { upstreamOnly?: boolean } = {}): OverrideError[] {
  const { items, errors } = decodeOverrides(list);
  return [...errors.filter((e) => e.kind !== 'rejected'), ...listErrors(items, options)];
}

/** Every problem of a spec.overrides list: admission, decode, then controller errors. */
export function validateOverrides(list: unknown): OverrideError[] {
  const { items, errors } = decodeOverrides(list);
  return [...errors, ...listErrors(items)];
}

/** One override as the API server stores it after Go re-encodes the struct (empty op omitted). */
export function encodeClusterOverride(o: ClusterOverride): JsonObject {
  const out: JsonObject = {};
  if (o.op !== '') out.op = o.op;
  out.path = o.path;
  if (o.value !== undefined) out.value = o.value;
  return out;
}

/** The override entry of a cluster (first one: later duplicates are an error anyway). */
export function itemFor(items: readonly OverrideItem[], clusterName: string): OverrideItem | undefined {
  return items.find((i) => i.clusterName === clusterName);
}
