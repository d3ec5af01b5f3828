/**
 * What a continuously running sync controller does around the plans (kubefed
 * pkg/controller/sync/controller.go, dispatch/managed.go): the per-cluster status an executed
 * operation leaves, what follows a reconcile (done, retry with backoff, recheck), KubeFed's
 * delays, and the finalizer patches. Pure; server/cluster/syncController.ts runs it.
 */
import { isObject, own, type JsonObject } from './json.ts';
import type { PlanOperation } from './plan.ts';
import { SYNC_FINALIZER } from './deletion.ts';
import { isRecoverable, statusAfterWait } from './status.ts';

/** KubeFed's delays (util/constants.go, KubeFedConfig defaults), in milliseconds. */
export const SYNC_DELAYS = {
  /** StatusNeedsRecheck and member-cluster events (RetryDelay). */
  recheckMs: 10_000,
  /** Re-reconcile everything after a cluster became available (clusterAvailableDelay). */
  clusterAvailableMs: 20_000,
  /** …or unavailable (clusterUnavailableDelay). */
  clusterUnavailableMs: 60_000,
};

/** The status a dispatched operation is preset to (CreationTimedOut …) before it runs. */
const PRESET: Record<Exclude<PlanOperation, 'none'>, string> = {
  create: 'CreationTimedOut',
  update: 'UpdateTimedOut',
  delete: 'DeletionTimedOut',
  removeManagedLabel: 'LabelRemovalTimedOut',
};

/**
 * The per-cluster status KubeFed reports after one executed plan: the plan's status when nothing
 * was written; a failed operation's failure status; a successful one's preset status normalized
 * by Wait ('' for create/update, WaitingForRemoval for a delete, null — not listed — for a label
 * removal).
 */
export function dispatchedStatus(operation: PlanOperation, status: string, succeeded: boolean): string | null {
  if (operation === 'none' || !succeeded) return status;
  return statusAfterWait(PRESET[operation]);
}

export type ReconcileNext = 'done' | 'backoff' | 'recheck';

/** After a reconcile with these per-cluster statuses: retry with backoff (a recoverable failure), recheck (waiting for removal) or done. */
export function nextAfter(clusters: Readonly<Record<string, string>>): ReconcileNext {
  const values = Object.values(clusters);
  if (values.some(isRecoverable)) return 'backoff';
  if (values.includes('WaitingForRemoval')) return 'recheck';
  return 'done';
}

function finalizersOf(obj: JsonObject): string[] {
  const f = own(own(obj, 'metadata'), 'finalizers');
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * The merge patch that adds (or removes) the sync controller's finalizer, guarded by the object's
 * resourceVersion; null when there is nothing to change.
 */
export function syncFinalizerPatch(obj: JsonObject, add: boolean): JsonObject | null {
  const list = finalizersOf(obj);
  const has = list.includes(SYNC_FINALIZER);
  if (has === add) return null;
  const finalizers = add ? [...list, SYNC_FINALIZER] : list.filter((f) => f !== SYNC_FINALIZER);
  const rv = own(own(obj, 'metadata'), 'resourceVersion');
  return { metadata: { ...(typeof rv === 'string' ? { resourceVersion: rv } : {}), finalizers } };
}

/**
 * What of a federated object makes a reconcile necessary: not its status (which the controller
 * writes itself) nor its resourceVersion, but its generation (spec), labels, annotations,
 * finalizers and deletion.
 */
export function reconcileFingerprint(obj: JsonObject): string {
  const md = isObject(obj.metadata) ? obj.metadata : {};
  return JSON.stringify([md.generation ?? null, md.labels ?? null, md.annotations ?? null, md.finalizers ?? null, md.deletionTimestamp ?? null, md.uid ?? null]);
}
