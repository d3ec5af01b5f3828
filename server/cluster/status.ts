/**
 * The KubeFed status and finer reason of a failed cluster operation, from the API error. The
 * vocabulary and the hints are the engine's (`engine/statusHints.ts`).
 */
import { ApiError } from './client.ts';
import type { KubeFedStatus, Reason } from '../engine/statusHints.ts';
import { isCancelled } from './pool.ts';

export { KUBEFED_STATUSES, isFailure, hintFor, type KubeFedStatus, type Reason, type HintContext } from '../engine/statusHints.ts';

export type Operation = 'create' | 'update' | 'delete' | 'removeManagedLabel' | 'prune' | 'read';

function failedStatus(op: Operation): KubeFedStatus {
  switch (op) {
    case 'create':
      return 'CreationFailed';
    case 'update':
      return 'UpdateFailed';
    case 'delete':
    case 'prune':
      return 'DeletionFailed';
    case 'removeManagedLabel':
      return 'LabelRemovalFailed';
    case 'read':
      return 'RetrievalFailed';
  }
}

function timedOutStatus(op: Operation): KubeFedStatus {
  switch (op) {
    case 'create':
      return 'CreationTimedOut';
    case 'update':
      return 'UpdateTimedOut';
    case 'delete':
    case 'prune':
      return 'DeletionTimedOut';
    case 'removeManagedLabel':
      return 'LabelRemovalTimedOut';
    case 'read':
      return 'RetrievalFailed';
  }
}

export interface Failure {
  status: KubeFedStatus;
  reason?: Reason;
  message: string;
  /** Field-manager conflicts of a server-side apply. */
  conflicts?: { manager: string; field: string }[];
}

/** Turns an error of operation `op` into KubeFed's status and a reason. */
export function failureOf(op: Operation, err: unknown): Failure {
  if (isCancelled(err) || (err instanceof ApiError && err.kind === 'cancelled')) {
    return { status: failedStatus(op), reason: 'Cancelled', message: 'cancelled before it finished' };
  }
  if (!(err instanceof ApiError)) return { status: failedStatus(op), reason: 'ServerError', message: String((err as Error)?.message ?? err) };
  switch (err.kind) {
    case 'network':
      return { status: op === 'read' ? 'ClusterNotReady' : failedStatus(op), reason: 'Unreachable', message: err.message };
    case 'timeout':
      return { status: timedOutStatus(op), reason: 'Timeout', message: err.message };
    case 'auth':
      return { status: err.status === 401 ? 'ClusterNotReady' : 'ClientRetrievalFailed', reason: 'Unauthorized', message: err.message };
    case 'cancelled':
      return { status: failedStatus(op), reason: 'Cancelled', message: 'cancelled before it finished' };
  }
  const status = failedStatus(op);
  if (err.status === 409) {
    const conflicts = err.causes
      .filter((c) => c.type === 'FieldManagerConflict')
      .map((c) => ({ manager: /conflict with "([^"]*)"/.exec(c.message ?? '')?.[1] ?? c.message ?? '', field: c.field ?? '' }));
    if (conflicts.length) return { status, reason: 'Conflict', message: err.message, conflicts };
    return { status, reason: 'Modified', message: err.message };
  }
  if (err.status === 403) return { status, reason: 'Forbidden', message: err.message };
  if (err.status === 422 || err.status === 400) return { status, reason: 'Invalid', message: err.message };
  if (err.status === 404) {
    const ns = /namespaces "([^"]+)" not found/.exec(err.message);
    return ns ? { status, reason: 'NamespaceMissing', message: err.message } : { status, reason: 'NotFound', message: err.message };
  }
  return { status, reason: 'ServerError', message: err.message };
}
