/**
 * ReplicaSchedulingPreference controller glue (kubefed pkg/schedulingtypes/{replicascheduler,plugin}.go
 * at HEAD; pkg/schedulingtypes/adapters at 0d38cc775): turning a planner result into a schedule and
 * writing it back into the target federated object (placement + /spec/replicas overrides).
 */
import type { Era } from './apiGroups.ts';
import { deepClone, deepEqual, isObject, own, type Json, type JsonObject } from './json.ts';
import { plan, rspPlanSettings, setOwn, type PlanResult } from './planner.ts';
import { controllerErrors, decodeOverrides, encodeClusterOverride, type ClusterOverride } from './overrideCodec.ts';

export type Replicas = Record<string, number>;

export const REPLICAS_PATH = '/spec/replicas';
export const RSP_TARGET_KINDS: readonly string[] = ['FederatedDeployment', 'FederatedReplicaSet'];

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** QualifiedName.String(): "<namespace>/<name>", or just the name without a namespace. */
export function rspKey(obj: unknown): string {
  const md = own(obj, 'metadata');
  const ns = str(own(md, 'namespace'));
  const name = str(own(md, 'name'));
  return ns ? `${ns}/${name}` : name;
}

// ---------------------------------------------------------------------------------------------
// Schedule

export interface ScheduleInput {
  rsp: unknown;
  /** Candidate (ready, possibly selector-filtered) cluster names, in order. */
  clusters: readonly string[];
  currentReplicas?: Readonly<Replicas>;
  estimatedCapacity?: Readonly<Replicas>;
  /** Hash salt; defaults to "<namespace>/<name>" of the RSP. */
  key?: string;
}

export interface ScheduleResult extends PlanResult {
  /** Cluster -> replicas to write: plan plus overflow. */
  schedule: Replicas;
}

/**
 * Pure schedule of an RSP over candidate clusters: an empty spec.clusters map is defaulted to
 * {"*": {weight: 1}}, the planner runs, and the overflow is added on top of the plan.
 */
export function scheduleRsp(input: ScheduleInput): ScheduleResult {
  const settings = rspPlanSettings(input.rsp);
  const preferences = Object.keys(settings.preferences).length === 0 ? { '*': { weight: 1 } } : settings.preferences;
  const result = plan({
    ...settings,
    preferences,
    availableClusters: input.clusters,
    currentReplicas: input.currentReplicas ?? {},
    estimatedCapacity: input.estimatedCapacity ?? {},
    key: input.key ?? rspKey(input.rsp),
  });
  const schedule: Replicas = {};
  for (const [c, v] of Object.entries(result.plan)) setOwn(schedule, c, v);
  for (const [c, v] of Object.entries(result.overflow)) setOwn(schedule, c, (hasOwn(schedule, c) ? schedule[c]! : 0) + v);
  return { ...result, schedule };
}

/** Short human summary, e.g. "10 replicas → a: 4 / b: 6". */
export function describeSchedule(totalReplicas: number, schedule: Readonly<Replicas>): string {
  const parts = Object.keys(schedule)
    .sort()
    .map((c) => `${c}: ${schedule[c]}`);
  return `${totalReplicas} replicas → ${parts.length ? parts.join(' / ') : 'no clusters'}`;
}

// ---------------------------------------------------------------------------------------------
// Overrides as the controller decodes them (util.GetOverrides: typed JSON decode + validation)

export class OverridesError extends Error {}

/** util.GetOverrides: the typed decode and the controller's checks; the first error is thrown. */
export function getOverridesMap(list: Json | undefined): Map<string, ClusterOverride[] | null> {
  const first = controllerErrors(list, { upstreamOnly: true })[0];
  if (first) throw new OverridesError(first.message);
  const map = new Map<string, ClusterOverride[] | null>();
  for (const item of decodeOverrides(list).items) map.set(item.clusterName, item.clusterOverrides && item.clusterOverrides.map((o) => ({ ...o })));
  return map;
}

/** OverridesMap.ToUnstructuredSlice as stored by the API server (a nil list is pruned). */
function encodeOverridesMap(map: Map<string, ClusterOverride[] | null>): JsonObject[] {
  const out: JsonObject[] = [];
  for (const [clusterName, list] of map) {
    const entry: JsonObject = { clusterName };
    if (list !== null) entry.clusterOverrides = list.map(encodeClusterOverride);
    out.push(entry);
  }
  return out;
}

/** updateOverridesMap: drop the replicas override of unscheduled clusters, set it for scheduled ones. */
function updateOverridesMap(map: Map<string, ClusterOverride[] | null>, replicas: Readonly<Replicas>): void {
  for (const [clusterName, list] of map) {
    if (hasOwn(replicas, clusterName) || list === null) continue;
    const i = list.findIndex((o) => o.path === REPLICAS_PATH);
    if (i >= 0) map.set(clusterName, [...list.slice(0, i), ...list.slice(i + 1)]);
  }
  for (const clusterName of Object.keys(replicas).sort()) {
    const value = replicas[clusterName]!;
    const list = map.get(clusterName) ?? null;
    const existing = list?.find((o) => o.path === REPLICAS_PATH);
    if (existing) existing.value = value;
    else map.set(clusterName, [...(list ?? []), { op: '', path: REPLICAS_PATH, value }]);
  }
}

/**
 * The spec.overrides list after the RSP controller wrote `replicas` (cluster -> replicas):
 * scheduled clusters get their /spec/replicas value replaced in place or appended, other clusters
 * lose only their /spec/replicas entry. Throws OverridesError for lists the controller rejects.
 */
export function updateOverrides(overrides: Json | undefined, replicas: Readonly<Replicas>): JsonObject[] {
  const map = getOverridesMap(overrides);
  updateOverridesMap(map, replicas);
  return encodeOverridesMap(map);
}

/** OverrideUpdateNeeded: whether the /spec/replicas overrides differ from the schedule. */
export function overridesUpdateNeeded(map: Map<string, ClusterOverride[] | null>, replicas: Readonly<Replicas>): boolean {
  let checked = 0;
  for (const [clusterName, list] of map) {
    for (const o of list ?? []) {
      if (o.path !== REPLICAS_PATH) continue;
      if (typeof o.value !== 'number') return true;
      if (!hasOwn(replicas, clusterName) || Math.trunc(o.value) !== replicas[clusterName]) return true;
      checked++;
    }
  }
  return checked !== Object.keys(replicas).length;
}

/** PlacementUpdateNeeded: sorted name lists differ (a nil list differs from any list). */
export function placementUpdateNeeded(names: readonly string[] | null, newNames: readonly string[]): boolean {
  if (names === null) return true;
  return !deepEqual([...names].sort(), [...newNames].sort());
}

/** util.GetClusterNames: names of spec.placement.clusters, null when the list is absent or null. */
export function placementClusterNames(federatedObject: unknown): string[] | null {
  const spec = own(federatedObject, 'spec');
  if (spec !== undefined && spec !== null && !isObject(spec)) throw new OverridesError('spec must be an object');
  const placement = own(spec, 'placement');
  if (placement !== undefined && placement !== null && !isObject(placement)) throw new OverridesError('spec.placement must be an object');
  const clusters = own(placement, 'clusters');
  if (clusters === undefined || clusters === null) return null;
  if (!Array.isArray(clusters)) throw new OverridesError('spec.placement.clusters must be a list');
  return clusters.map((c) => {
    if (c === null) return '';
    if (!isObject(c)) throw new OverridesError('placement cluster must be an object');
    // Exact key: the API server prunes other spellings before the controller reads the object.
    const name = own(c, 'name');
    if (name === undefined || name === null) return '';
    if (typeof name !== 'string') throw new OverridesError('name must be a string');
    return name;
  });
}

export interface ApplyResult {
  federatedObject: JsonObject;
  changed: boolean;
  /** Set when the controller would fail (the object is then returned unchanged). */
  error?: string;
}

/**
 * Plugin.Reconcile (v1beta1): writes a schedule into a federated object. spec.placement.clusters
 * becomes exactly the scheduled clusters (only when the name set changed) and /spec/replicas
 * overrides are updated (only when they differ). The input is not modified.
 */
export function applyScheduleV1beta1(federatedObject: JsonObject, schedule: Readonly<Replicas>): ApplyResult {
  const obj = deepClone(federatedObject);
  try {
    let changed = false;
    const newNames = Object.keys(schedule).sort();
    if (placementUpdateNeeded(placementClusterNames(obj), newNames)) {
      const spec = ensureMap(obj, 'spec');
      const placement = ensureMap(spec, 'placement');
      placement.clusters = newNames.map((name) => ({ name }));
      changed = true;
    }
    const map = getOverridesMap(own(own(obj, 'spec'), 'overrides'));
    if (overridesUpdateNeeded(map, schedule)) {
      updateOverridesMap(map, schedule);
      ensureMap(obj, 'spec').overrides = encodeOverridesMap(map);
      changed = true;
    }
    return { federatedObject: changed ? obj : deepClone(federatedObject), changed };
  } catch (e) {
    return { federatedObject: deepClone(federatedObject), changed: false, error: (e as Error).message };
  }
}

function ensureMap(o: JsonObject, key: string): JsonObject {
  const v = own(o, key);
  if (v === undefined || v === null) {
    const m: JsonObject = {};
    setOwn(o, key, m);
    return m;
  }
  if (!isObject(v)) throw new OverridesError(`${key} is not an object`);
  return v;
}

export interface ClobberedOverride {
  clusterName: string;
  /** Index of the entry in spec.overrides and of the override in its clusterOverrides. */
  overrideIndex: number;
  clusterOverrideIndex: number;
  /** Same as overrideIndex / clusterOverrideIndex (short names). */
  index: number;
  subIndex: number;
  value: Json | undefined;
  /** Replicas the RSP writes instead; null when the RSP removes the override. */
  scheduled: number | null;
}

/**
 * User-written /spec/replicas overrides of a federated object that an RSP replaces or removes.
 * Without a schedule every such override is reported; with one, only those whose value changes.
 */
export function rspClobberedOverrides(federatedObject: unknown, schedule?: Readonly<Replicas>): ClobberedOverride[] {
  const out: ClobberedOverride[] = [];
  decodeOverrides(own(own(federatedObject, 'spec'), 'overrides')).items.forEach(({ clusterName, clusterOverrides }, overrideIndex) => {
    (clusterOverrides ?? []).forEach((co, clusterOverrideIndex) => {
      if (co.path !== REPLICAS_PATH) return;
      const value = co.value;
      const scheduled = schedule ? (hasOwn(schedule, clusterName) ? schedule[clusterName]! : null) : null;
      if (schedule && typeof value === 'number' && scheduled !== null && Math.trunc(value) === scheduled) return;
      out.push({ clusterName, overrideIndex, clusterOverrideIndex, index: overrideIndex, subIndex: clusterOverrideIndex, value, scheduled });
    });
  });
  return out;
}

/** Alias of rspClobberedOverrides (diagnostic `rsp-overrides-clobbered`). */
export const clobberedReplicaOverrides = rspClobberedOverrides;

// ---------------------------------------------------------------------------------------------
// v1alpha1 write-back (FederatedXPlacement / FederatedXOverride objects)

export interface ApplyV1alpha1Input {
  targetKind: string;
  namespace: string;
  name: string;
  /** Existing Federated<X>Placement, or null when missing (it is then created). */
  placement: JsonObject | null;
  /** Existing Federated<X>Override, or null when missing (it is then created). */
  override: JsonObject | null;
}

export interface ApplyV1alpha1Result {
  placement: JsonObject;
  override: JsonObject;
  placementChanged: boolean;
  overrideChanged: boolean;
}

const V1ALPHA1_GROUP_VERSION = 'core.federation.k8s.io/v1alpha1';

const int32 = (n: number): number => Number(BigInt.asIntN(32, BigInt(Math.trunc(n))));

function overrideEntries(schedule: Readonly<Replicas>): JsonObject[] {
  return Object.keys(schedule)
    .sort()
    .map((clusterName) => ({ clusterName, replicas: int32(schedule[clusterName]!) }));
}

function v1alpha1OverrideUpdateNeeded(override: JsonObject, schedule: Readonly<Replicas>): boolean {
  const list = own(own(override, 'spec'), 'overrides');
  let checked = 0;
  for (const o of Array.isArray(list) ? list : []) {
    const clusterName = str(own(o, 'clusterName'));
    const r = own(o, 'replicas');
    if (!hasOwn(schedule, clusterName) || typeof r !== 'number') return true;
    if (int32(schedule[clusterName]!) !== r) return true;
    checked++;
  }
  return checked !== Object.keys(schedule).length;
}

/** ReconcilePlacement + ReconcileOverride of the v1alpha1 adapters. */
export function applyScheduleV1alpha1(input: ApplyV1alpha1Input, schedule: Readonly<Replicas>): ApplyV1alpha1Result {
  const names = Object.keys(schedule).sort();
  const meta = { namespace: input.namespace, name: input.name };
  let placement: JsonObject;
  let placementChanged = false;
  if (!input.placement) {
    placement = { apiVersion: V1ALPHA1_GROUP_VERSION, kind: `${input.targetKind}Placement`, metadata: { ...meta }, spec: { clusterNames: names } };
    placementChanged = true;
  } else {
    placement = deepClone(input.placement);
    const cur = own(own(placement, 'spec'), 'clusterNames');
    const curNames = Array.isArray(cur) ? cur.map(str) : null;
    if (placementUpdateNeeded(curNames, names)) {
      ensureMap(placement, 'spec').clusterNames = names;
      placementChanged = true;
    }
  }
  let override: JsonObject;
  let overrideChanged = false;
  if (!input.override) {
    override = { apiVersion: V1ALPHA1_GROUP_VERSION, kind: `${input.targetKind}Override`, metadata: { ...meta }, spec: { overrides: overrideEntries(schedule) } };
    overrideChanged = true;
  } else {
    override = deepClone(input.override);
    if (v1alpha1OverrideUpdateNeeded(override, schedule)) {
      override.spec = { overrides: overrideEntries(schedule) };
      overrideChanged = true;
    }
  }
  return { placement, override, placementChanged, overrideChanged };
}

// ---------------------------------------------------------------------------------------------
// Controller reconcile

export interface ReconcileRspInput {
  rsp: unknown;
  /** v1beta1: the target federated object; v1alpha1: the template (FederatedDeployment/ReplicaSet). */
  federatedObject: JsonObject | null | undefined;
  readyClusters: readonly string[];
  currentReplicas?: Readonly<Replicas>;
  estimatedCapacity?: Readonly<Replicas>;
  /** v1beta1 intersectWithClusterSelector: clusters selected by the selectors alone. */
  selectorClusters?: readonly string[];
  era?: Era;
  /** v1alpha1 only: the existing placement and override objects (null = missing). */
  placement?: JsonObject | null;
  override?: JsonObject | null;
}

interface ReconcileRspCommon {
  /** v1alpha1 only: placement/override objects after reconciliation (null when not reached). */
  placement?: JsonObject | null;
  override?: JsonObject | null;
  /** Set when the controller fails while writing (the object is then unchanged). */
  error?: string;
}

/** schedule: cluster -> replicas, null when the controller does nothing. federatedObject: the
 * object after reconciliation (v1alpha1: the unchanged template). */
export type ReconcileRspResult =
  | (ReconcileRspCommon & { schedule: Replicas; federatedObject: JsonObject })
  | (ReconcileRspCommon & { schedule: null; federatedObject: JsonObject | null });

/** Selector-only placement when the selected clusters are not supplied: decidable cases only. */
function selectorOnlyClusters(federatedObject: JsonObject, ready: readonly string[]): string[] {
  const selector = own(own(own(federatedObject, 'spec'), 'placement'), 'clusterSelector');
  if (!isObject(selector)) return [];
  const labels = own(selector, 'matchLabels');
  const exprs = own(selector, 'matchExpressions');
  const empty = (!isObject(labels) || Object.keys(labels).length === 0) && (!Array.isArray(exprs) || exprs.length === 0);
  return empty ? [...ready] : [];
}

/** ReplicaScheduler.Reconcile for one RSP (both eras). */
export function reconcileRsp(input: ReconcileRspInput): ReconcileRspResult {
  const era = input.era ?? 'v1beta1';
  const fed = input.federatedObject ?? null;
  const noop = (): ReconcileRspResult => {
    const r: ReconcileRspResult = { schedule: null, federatedObject: fed ? deepClone(fed) : null };
    if (era === 'v1alpha1') {
      r.placement = input.placement ? deepClone(input.placement) : null;
      r.override = input.override ? deepClone(input.override) : null;
    }
    return r;
  };
  const ready = [...input.readyClusters];
  if (ready.length === 0) return noop();
  const spec = own(input.rsp, 'spec');
  const targetKind = str(own(spec, 'targetKind'));
  if (!RSP_TARGET_KINDS.includes(targetKind)) return noop();
  if (!fed) return noop();
  const fedKind = own(fed, 'kind');
  if (typeof fedKind === 'string' && fedKind !== targetKind) return noop();

  let candidates = ready;
  if (era === 'v1beta1' && own(spec, 'intersectWithClusterSelector') === true) {
    const readySet = new Set(ready);
    const selected = input.selectorClusters ? input.selectorClusters.filter((c) => readySet.has(c)) : selectorOnlyClusters(fed, ready);
    if (selected.length === 0) return noop();
    candidates = [...new Set(selected)];
  }

  const { schedule } = scheduleRsp({
    rsp: input.rsp,
    clusters: candidates,
    currentReplicas: input.currentReplicas,
    estimatedCapacity: input.estimatedCapacity,
    key: rspKey(input.rsp),
  });

  if (era === 'v1alpha1') {
    const md = own(fed, 'metadata');
    const applied = applyScheduleV1alpha1(
      {
        targetKind,
        namespace: str(own(md, 'namespace')) || str(own(own(input.rsp, 'metadata'), 'namespace')),
        name: str(own(md, 'name')) || str(own(own(input.rsp, 'metadata'), 'name')),
        placement: input.placement ?? null,
        override: input.override ?? null,
      },
      schedule,
    );
    return { schedule, federatedObject: deepClone(fed), placement: applied.placement, override: applied.override };
  }
  const applied = applyScheduleV1beta1(fed, schedule);
  const result: ReconcileRspResult = { schedule, federatedObject: applied.federatedObject };
  if (applied.error) result.error = applied.error;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Pod analysis and replica state (podanalyzer/pod_helper.go, replicascheduler.go clustersReplicaState)

/** Go's zero time (0001-01-01T00:00:00Z) in nanoseconds since the Unix epoch. */
const ZERO_TIME_NS = -62135596800n * 1_000_000_000n;
const UNSCHEDULABLE_THRESHOLD_NS = 60n * 1_000_000_000n;

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 time (as metav1.Time does) to nanoseconds since the epoch; null if invalid. */
export function parseTimeNs(s: string): bigint | null {
  const m = RFC3339.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return null;
  let secs = BigInt(daysFromCivil(Number(y), month, day)) * 86400n + BigInt(Number(h) * 3600 + Number(mi) * 60 + Number(se));
  if (zone !== 'Z') {
    const sign = zone![0] === '-' ? -1 : 1;
    const off = Number(zone!.slice(1, 3)) * 3600 + Number(zone!.slice(4, 6)) * 60;
    secs -= BigInt(sign * off);
  }
  return secs * 1_000_000_000n + BigInt((frac ?? '').padEnd(9, '0') || '0');
}

function timeNs(v: unknown): bigint {
  if (v === undefined || v === null) return ZERO_TIME_NS;
  if (v instanceof Date) return BigInt(v.getTime()) * 1_000_000n;
  if (typeof v === 'number') return BigInt(Math.trunc(v)) * 1_000_000n;
  if (typeof v === 'string') {
    const t = parseTimeNs(v);
    if (t === null) throw new Error(`invalid time: ${v}`);
    return t;
  }
  throw new Error('invalid time');
}

export interface PodAnalysis {
  total: number;
  runningAndReady: number;
  /** Pods unschedulable for strictly more than 60 s. */
  unschedulable: number;
  /** Some pods are unschedulable but not yet for long enough: look again later. */
  recheck: boolean;
}

/** AnalyzePods at HEAD. `now` is an RFC 3339 string, a Date or epoch milliseconds. */
export function podAnalysis(pods: readonly unknown[], now: string | Date | number): PodAnalysis {
  const nowNs = timeNs(now);
  const result: PodAnalysis = { total: 0, runningAndReady: 0, unschedulable: 0, recheck: false };
  let unschedulableRightNow = 0;
  for (const pod of pods) {
    result.total++;
    const status = own(pod, 'status');
    const running = own(status, 'phase') === 'Running';
    const conditions = own(status, 'conditions');
    for (const cond of Array.isArray(conditions) ? conditions : []) {
      if (running) {
        if (own(cond, 'type') === 'Ready') result.runningAndReady++;
      } else if (own(cond, 'type') === 'PodScheduled' && own(cond, 'status') === 'False' && own(cond, 'reason') === 'Unschedulable') {
        unschedulableRightNow++;
        if (timeNs(own(cond, 'lastTransitionTime')) + UNSCHEDULABLE_THRESHOLD_NS < nowNs) result.unschedulable++;
      }
    }
  }
  result.recheck = unschedulableRightNow !== result.unschedulable;
  return result;
}

/** unstructured.NestedInt64: [value, found]; throws on a non-integer leaf or non-map step. */
function nestedInt64(obj: unknown, path: readonly string[]): [number, boolean] {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || cur === undefined) return [0, false];
    if (!isObject(cur)) throw new Error(`.${path.join('.')} accessor error: expected map`);
    if (!hasOwn(cur, k)) return [0, false];
    cur = cur[k];
  }
  if (typeof cur !== 'number' || !Number.isInteger(cur)) throw new Error(`.${path.join('.')} accessor error: expected int64`);
  return [cur, true];
}

function hasSelector(obj: unknown): boolean {
  const ml = own(own(own(obj, 'spec'), 'selector'), 'matchLabels');
  return isObject(ml) && Object.values(ml).every((v) => typeof v === 'string');
}

export interface ReplicaState {
  currentReplicas: Replicas;
  estimatedCapacity: Replicas;
  /** The pod analysis of the last analysed cluster asked for a recheck. */
  recheck: boolean;
}

/**
 * clustersReplicaState: per cluster with a cached target object, the current replicas
 * (status.readyReplicas when it equals spec.replicas, else running-and-ready pods) and, when pods are
 * unschedulable, an estimated capacity of spec.replicas - unschedulable. Throws where upstream errors.
 * The v1alpha1 era read `status.readyreplicas` (sic), so its readyReplicas is effectively 0.
 */
export function replicaState(
  clusterObjects: Readonly<Record<string, unknown>>,
  pods: Readonly<Record<string, readonly unknown[]>>,
  now: string | Date | number,
  era: Era = 'v1beta1',
): ReplicaState {
  const out: ReplicaState = { currentReplicas: {}, estimatedCapacity: {}, recheck: false };
  for (const cluster of Object.keys(clusterObjects)) {
    const obj = clusterObjects[cluster];
    if (obj === null || obj === undefined) continue;
    const [replicas] = nestedInt64(obj, ['spec', 'replicas']);
    const [ready] = nestedInt64(obj, ['status', era === 'v1alpha1' ? 'readyreplicas' : 'readyReplicas']);
    if (replicas === ready) {
      setOwn(out.currentReplicas, cluster, ready);
      continue;
    }
    if (!hasSelector(obj)) throw new Error('missing selector on object');
    const list = hasOwn(pods, cluster) ? (pods[cluster] ?? []) : [];
    const analysis = podAnalysis(list, now);
    out.recheck = analysis.recheck;
    setOwn(out.currentReplicas, cluster, analysis.runningAndReady);
    if (analysis.unschedulable > 0) setOwn(out.estimatedCapacity, cluster, replicas - analysis.unschedulable);
  }
  return out;
}
