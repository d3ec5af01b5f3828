/**
 * ReplicaSchedulingPreference planner (kubefed pkg/controller/util/planner/planner.go, identical in
 * both API eras). Splits totalReplicas over the available clusters from per-cluster preferences
 * (weight, minReplicas, maxReplicas), current replica counts (only when rebalance is false) and
 * estimated capacities. Arithmetic is done on 64-bit signed integers like the Go code.
 */
import { fnv1_32Concat } from './fnv.ts';
import { isObject, own, setOwn, type Json, type JsonObject } from './json.ts';

export interface ClusterPreferences {
  minReplicas?: number | null;
  /** Absent or null = unbounded. */
  maxReplicas?: number | null;
  weight?: number | null;
}

export interface PlanInput {
  /** Cluster name or "*" -> preferences (RSP spec.clusters). */
  preferences: Readonly<Record<string, ClusterPreferences | Json>>;
  totalReplicas: number;
  rebalance?: boolean;
  /** Ordered names of the clusters the planner may use. */
  availableClusters: readonly string[];
  /** Cluster -> replicas currently running (consulted only when rebalance is false). */
  currentReplicas?: Readonly<Record<string, number>>;
  /** Cluster -> replicas the cluster can hold. */
  estimatedCapacity?: Readonly<Record<string, number>>;
  /** Hash salt; the controller passes "<namespace>/<name>". */
  key?: string;
}

export interface PlanResult {
  /** Every available cluster -> planned replicas. */
  plan: Record<string, number>;
  /** Cluster -> replicas that did not fit because of its estimated capacity. */
  overflow: Record<string, number>;
}

interface Named {
  name: string;
  hash: number;
  min: bigint;
  max: bigint | null;
  weight: bigint;
}

const WILDCARD = '*';
/** Guard against non-terminating inputs (e.g. negative weights); far above what valid input needs. */
const MAX_TRIALS = 100_000;

const i64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const minI64 = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** A JSON number as a Go int64 (fractions truncated, anything else 0). */
export function toInt64(v: unknown): bigint {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 0n;
  return i64(BigInt(Math.trunc(v)));
}

/** Go's int32 conversion of a JSON number (wraps like a two's-complement truncation). */
function toInt32(v: unknown): bigint {
  return BigInt.asIntN(32, toInt64(v));
}

function lookupMap(m: Readonly<Record<string, unknown>> | undefined, key: string): bigint | undefined {
  if (!m || !Object.prototype.hasOwnProperty.call(m, key)) return undefined;
  const v = m[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  return toInt64(v);
}

function prefOf(raw: unknown): { min: bigint; max: bigint | null; weight: bigint } {
  const o = isObject(raw) ? raw : {};
  const max = own(o, 'maxReplicas');
  return {
    min: toInt64(own(o, 'minReplicas')),
    max: typeof max === 'number' && Number.isFinite(max) ? toInt64(max) : null,
    weight: toInt64(own(o, 'weight')),
  };
}

/** Sets an own data property (safe for names such as "__proto__"). */
export { setOwn };

function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** What the planner works on: replicas planned per cluster, overflow per cluster, replicas left. */
interface PlanState {
  plan: Map<string, bigint>;
  overflow: Map<string, bigint>;
  remaining: bigint;
}

/**
 * The clusters with a preference (their own, or `*`), heaviest first, ties by hash; clusters
 * without one are planned at 0.
 */
function sortedPreferences(input: PlanInput, state: PlanState): Named[] {
  const prefs = input.preferences ?? {};
  const key = input.key ?? '';
  const preferences: Named[] = [];
  for (const cluster of input.availableClusters) {
    let raw: unknown;
    if (hasOwn(prefs, cluster)) raw = (prefs as Record<string, unknown>)[cluster];
    else if (hasOwn(prefs, WILDCARD)) raw = (prefs as Record<string, unknown>)[WILDCARD];
    else {
      state.plan.set(cluster, 0n);
      continue;
    }
    preferences.push({ name: cluster, hash: fnv1_32Concat(cluster, key), ...prefOf(raw) });
  }
  return preferences.sort((a, b) => {
    if (a.weight !== b.weight) return a.weight > b.weight ? -1 : 1;
    return a.hash - b.hash;
  });
}

/** Minimums, in sort order. */
function planMinimums(input: PlanInput, preferences: readonly Named[], state: PlanState): void {
  for (const p of preferences) {
    let min = minI64(p.min, state.remaining);
    const cap = lookupMap(input.estimatedCapacity, p.name);
    if (cap !== undefined) min = minI64(min, cap);
    state.remaining = i64(state.remaining - min);
    state.plan.set(p.name, min);
  }
}

/** Preallocation of replicas that already run (rebalance=false only): the preallocated counts. */
function preallocateCurrent(input: PlanInput, preferences: readonly Named[], state: PlanState): Map<string, bigint> {
  const preallocated = new Map<string, bigint>();
  if (input.rebalance) return preallocated;
  for (const p of preferences) {
    const planned = state.plan.get(p.name) ?? 0n;
    const count = lookupMap(input.currentReplicas, p.name);
    if (count !== undefined && count > planned) {
      let target = count;
      if (p.max !== null) target = minI64(p.max, target);
      const cap = lookupMap(input.estimatedCapacity, p.name);
      if (cap !== undefined) target = minI64(cap, target);
      let extra = minI64(i64(target - planned), state.remaining);
      if (extra < 0n) extra = 0n;
      state.remaining = i64(state.remaining - extra);
      preallocated.set(p.name, extra);
      state.plan.set(p.name, i64(extra + planned));
    }
  }
  return preallocated;
}

/**
 * One round of distribution by weight (fractions rounded up), preallocated replicas counted
 * first; the clusters not yet full and whether anything changed.
 */
function distributeOnce(input: PlanInput, preferences: readonly Named[], preallocated: Map<string, bigint>, state: PlanState): { next: Named[]; modified: boolean } {
  let modified = false;
  let weightSum = 0n;
  for (const p of preferences) weightSum = i64(weightSum + p.weight);
  const next: Named[] = [];
  const distribute = state.remaining;
  for (const p of preferences) {
    if (weightSum <= 0n) break;
    const start = state.plan.get(p.name) ?? 0n;
    // Rounding fractions always up.
    let extra = i64(i64(i64(distribute * p.weight) + weightSum - 1n) / weightSum);
    extra = minI64(extra, state.remaining);

    const prealloc = preallocated.get(p.name) ?? 0n;
    const used = minI64(extra, prealloc);
    preallocated.set(p.name, i64(prealloc - used));
    extra = i64(extra - used);
    if (used > 0n) modified = true;

    let total = i64(start + extra);
    let full = false;
    if (p.max !== null && total > p.max) {
      total = p.max;
      full = true;
    }
    const cap = lookupMap(input.estimatedCapacity, p.name);
    if (cap !== undefined && total > cap) {
      state.overflow.set(p.name, i64(total - cap));
      total = cap;
      full = true;
    }
    if (!full) next.push(p);
    state.remaining = i64(state.remaining - i64(total - start));
    state.plan.set(p.name, total);
    if (total > start) modified = true;
  }
  return { next, modified };
}

/** Runs the planner exactly like upstream Planner.Plan. */
export function plan(input: PlanInput): PlanResult {
  const state: PlanState = { plan: new Map(), overflow: new Map(), remaining: 0n };
  let preferences = sortedPreferences(input, state);
  state.remaining = toInt32(input.totalReplicas);
  planMinimums(input, preferences, state);
  const preallocated = preallocateCurrent(input, preferences, state);

  let modified = true;
  for (let trial = 0; modified && state.remaining > 0n && trial < MAX_TRIALS; trial++) {
    ({ next: preferences, modified } = distributeOnce(input, preferences, preallocated, state));
  }

  const out: PlanResult = { plan: {}, overflow: {} };
  for (const [name, v] of state.plan) setOwn(out.plan, name, Number(v));
  for (const [name, v] of state.overflow) {
    if (input.rebalance) {
      setOwn(out.overflow, name, Number(v));
    } else {
      // rebalance=false: cut to the replicas still unplaced.
      const trimmed = minI64(v, state.remaining);
      if (trimmed > 0n) setOwn(out.overflow, name, Number(trimmed));
    }
  }
  return out;
}

/** The planner inputs an RSP object provides (spec.totalReplicas, spec.rebalance, spec.clusters). */
export function rspPlanSettings(rsp: unknown): Pick<PlanInput, 'preferences' | 'totalReplicas' | 'rebalance'> {
  const spec = own(rsp, 'spec');
  const clusters = own(spec, 'clusters');
  const total = own(spec, 'totalReplicas');
  return {
    preferences: isObject(clusters) ? (clusters as JsonObject) : {},
    totalReplicas: typeof total === 'number' ? total : 0,
    rebalance: own(spec, 'rebalance') === true,
  };
}

/** Runs the planner for an RSP object (its spec.clusters used as is, without defaulting). */
export function planRsp(
  rsp: unknown,
  availableClusters: readonly string[],
  currentReplicas: Readonly<Record<string, number>> = {},
  estimatedCapacity: Readonly<Record<string, number>> = {},
  key = '',
): PlanResult {
  return plan({ ...rspPlanSettings(rsp), availableClusters, currentReplicas, estimatedCapacity, key });
}
