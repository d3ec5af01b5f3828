/**
 * Status of v1beta1 federated resources written by the sync controller
 * (kubefed pkg/controller/sync/status/status.go and dispatch/managed.go Wait at HEAD).
 */
import { deepClone, deepEqual, isObject, own, type Json, type JsonObject } from './json.ts';

export const PROPAGATION_CONDITION = 'Propagation';

/** Per-cluster statuses that make the reconcile return an error (retried with backoff). */
const RECOVERABLE = new Set([
  'CreationFailed',
  'UpdateFailed',
  'DeletionFailed',
  'LabelRemovalFailed',
  'RetrievalFailed',
  'CreationTimedOut',
  'UpdateTimedOut',
  'DeletionTimedOut',
  'LabelRemovalTimedOut',
]);

/** status.IsRecoverableError. */
export function isRecoverable(status: string): boolean {
  return RECOVERABLE.has(status);
}

/**
 * The status reported for a cluster once every dispatched operation finished (managed dispatcher
 * Wait): the default *TimedOut values of successful operations turn into '', '',
 * 'WaitingForRemoval' and null (not listed). On a dispatch timeout they stay.
 */
export function statusAfterWait(status: string, timedOut = false): string | null {
  if (timedOut) return status;
  switch (status) {
    case 'CreationTimedOut':
    case 'UpdateTimedOut':
      return '';
    case 'DeletionTimedOut':
      return 'WaitingForRemoval';
    case 'LabelRemovalTimedOut':
      return null;
    default:
      return status;
  }
}

interface Condition {
  type: string;
  status: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
}

interface ClusterStatus {
  name: string;
  status: string;
  remoteStatus: Json | undefined;
}

interface FederatedStatus {
  observedGeneration: number;
  conditions: (Condition | null)[] | null;
  clusters: ClusterStatus[];
}

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const nilable = (v: Json | undefined): Json | undefined => (v === null || v === undefined ? undefined : deepClone(v));

/** Typed decode of status (GenericFederatedStatus); unknown fields are dropped. */
function decodeStatus(raw: unknown): FederatedStatus {
  const gen = own(raw, 'observedGeneration');
  const conds = own(raw, 'conditions');
  const clusters = own(raw, 'clusters');
  return {
    observedGeneration: typeof gen === 'number' ? Math.trunc(gen) : 0,
    conditions: Array.isArray(conds)
      ? conds.map((c) =>
          isObject(c)
            ? { type: s(c.type), status: s(c.status), lastUpdateTime: s(c.lastUpdateTime), lastTransitionTime: s(c.lastTransitionTime), reason: s(c.reason) }
            : null,
        )
      : null,
    clusters: Array.isArray(clusters)
      ? clusters.map((c) => ({ name: s(own(c, 'name')), status: s(own(c, 'status')), remoteStatus: nilable(own(c, 'remoteStatus')) }))
      : [],
  };
}

function encodeStatus(st: FederatedStatus): JsonObject {
  const out: JsonObject = {};
  if (st.observedGeneration !== 0) out.observedGeneration = st.observedGeneration;
  if (st.conditions && st.conditions.length > 0) {
    out.conditions = st.conditions.map((c) => {
      if (!c) return null;
      const o: JsonObject = { type: c.type, status: c.status };
      if (c.lastUpdateTime) o.lastUpdateTime = c.lastUpdateTime;
      if (c.lastTransitionTime) o.lastTransitionTime = c.lastTransitionTime;
      if (c.reason) o.reason = c.reason;
      return o;
    });
  }
  if (st.clusters.length > 0) {
    out.clusters = st.clusters.map((c) => {
      const o: JsonObject = { name: c.name };
      if (c.status) o.status = c.status;
      if (c.remoteStatus !== undefined) o.remoteStatus = c.remoteStatus;
      return o;
    });
  }
  return out;
}

export interface StatusUpdateInput {
  /** The federated object's current status (null/absent = none). */
  existingStatus?: unknown;
  /** metadata.generation of the federated object. */
  generation?: number;
  /** Aggregate reason before status collection: '' or ClusterRetrievalFailed, ComputePlacementFailed, NamespaceNotFederated. */
  reason?: string;
  /** Cluster -> per-cluster status ('' = OK). */
  propagationStatus?: Readonly<Record<string, string>>;
  /** Cluster -> collected remote status. */
  remoteStatus?: Readonly<Record<string, Json>>;
  resourcesUpdated?: boolean;
  rawResourceStatusCollection?: boolean;
  /** RFC 3339 time used for refreshed condition times. */
  now?: string;
}

export interface StatusUpdateResult {
  /** Whether the status must be written. */
  changed: boolean;
  /** The status after the update (the existing one when unchanged). */
  status: Json;
}

/** UTF-8 byte order (= code point order) of two strings. */
function byteOrder(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** SetFederatedStatus: the new status.observedGeneration, Propagation condition and status.clusters. */
export function updateFederatedStatus(input: StatusUpdateInput): StatusUpdateResult {
  const existing = input.existingStatus;
  const st = decodeStatus(existing);
  const statusMap = new Map(Object.entries(input.propagationStatus ?? {}));
  const remote = new Map<string, Json | undefined>();
  for (const [k, v] of Object.entries(input.remoteStatus ?? {})) remote.set(k, nilable(v));
  const collect = input.rawResourceStatusCollection === true;
  const generation = input.generation ?? 0;

  const generationUpdated = st.observedGeneration !== generation;
  st.observedGeneration = generation;

  let reason = input.reason ?? '';
  if (reason === '') {
    for (const [cluster, value] of statusMap) {
      if (value !== '' || (collect && remote.get(cluster) === undefined)) {
        reason = 'CheckClusters';
        break;
      }
    }
  }

  // setClusters
  let clustersChanged = st.clusters.length !== statusMap.size || (collect && st.clusters.length !== remote.size);
  if (!clustersChanged) {
    for (const c of st.clusters) {
      if ((statusMap.get(c.name) ?? '') !== c.status || !deepEqual(remote.get(c.name), c.remoteStatus)) {
        clustersChanged = true;
        break;
      }
    }
  }
  if (clustersChanged) {
    st.clusters = [...statusMap.keys()].sort(byteOrder).map((name) => ({ name, status: statusMap.get(name)!, remoteStatus: remote.get(name) }));
  }
  const changesPropagated = clustersChanged || (statusMap.size > 0 && remote.size > 0 && input.resourcesUpdated === true);

  // setPropagationCondition
  const newStatus = reason === '' ? 'True' : 'False';
  st.conditions ??= [];
  let cond = st.conditions.find((c): c is Condition => c !== null && c.type === PROPAGATION_CONDITION);
  const created = cond === undefined;
  if (!cond) {
    cond = { type: PROPAGATION_CONDITION, status: '', lastUpdateTime: '', lastTransitionTime: '', reason: '' };
    st.conditions.push(cond);
  }
  const now = input.now ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const transition = created || !(cond.status === newStatus && cond.reason === reason);
  if (transition) {
    cond.lastTransitionTime = now;
    cond.status = newStatus;
    cond.reason = reason;
  }
  const propStatusUpdated = changesPropagated || transition;
  if (propStatusUpdated) cond.lastUpdateTime = now;

  const changed = generationUpdated || propStatusUpdated;
  if (!changed) return { changed, status: existing === undefined ? null : deepClone(existing as Json) };
  return { changed, status: encodeStatus(st) };
}

/** Aggregate reason shown on the Propagation condition for a set of per-cluster statuses. */
export function aggregateReason(reason: string, propagationStatus: Readonly<Record<string, string>>): string {
  if (reason !== '') return reason;
  return Object.values(propagationStatus).some((v) => v !== '') ? 'CheckClusters' : '';
}
