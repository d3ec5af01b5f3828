/**
 * KubeFed's per-cluster status vocabulary (semantics §10) as this tool reports it, the finer
 * reason behind a failure, and what the user can do about each.
 */
import { ApiError } from './client.ts';
import { isCancelled } from './pool.ts';

/** KubeFed per-cluster statuses ('' = OK), plus the two aggregate reasons the tool reports per resource. */
export const KUBEFED_STATUSES = [
  '',
  'WaitingForRemoval',
  'ClusterNotReady',
  'CachedRetrievalFailed',
  'ComputeResourceFailed',
  'ApplyOverridesFailed',
  'CreationFailed',
  'UpdateFailed',
  'DeletionFailed',
  'LabelRemovalFailed',
  'RetrievalFailed',
  'AlreadyExists',
  'FieldRetentionFailed',
  'VersionRetrievalFailed',
  'ClientRetrievalFailed',
  'ManagedLabelFalse',
  'CreationTimedOut',
  'UpdateTimedOut',
  'DeletionTimedOut',
  'LabelRemovalTimedOut',
  // Aggregate reasons of the Propagation condition, reported for every cluster of the resource.
  'ComputePlacementFailed',
  'NamespaceNotFederated',
] as const;

export type KubeFedStatus = (typeof KUBEFED_STATUSES)[number];

/** Finer cause of a status (not KubeFed vocabulary): what the API server or the network said. */
export type Reason =
  | 'Conflict'
  | 'Modified'
  | 'Forbidden'
  | 'Unauthorized'
  | 'Invalid'
  | 'NamespaceMissing'
  | 'NotFound'
  | 'TypeNotServed'
  | 'Unreachable'
  | 'Timeout'
  | 'Cancelled'
  | 'NoContext'
  | 'Unmanaged'
  | 'ServerError';

/** Statuses that mean the cluster does not have what is desired. */
export function isFailure(status: string): boolean {
  return status !== '' && status !== 'WaitingForRemoval';
}

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

export interface HintContext {
  cluster: string;
  context?: string;
  kind?: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  finalizers?: string[];
  timeoutMs?: number;
}

/** What the user can do about a status (and its reason). Empty for OK. */
export function hintFor(status: string, reason: string | undefined, c: HintContext): string {
  const ctx = c.context ?? c.cluster;
  const obj = `${c.kind ?? 'object'} ${c.namespace ? `${c.namespace}/` : ''}${c.name ?? ''}`.trim();
  switch (reason) {
    case 'Conflict':
      return `Other field managers own the conflicting fields of ${obj} in ${c.cluster} (an out-of-band edit or another controller). Re-run with --force-conflicts to take them over, or change the federated resource to match the cluster.`;
    case 'Modified':
      return `${obj} changed in ${c.cluster} while it was being written; re-run propagate.`;
    case 'Forbidden':
      return `The identity of context ${ctx} is not allowed to do this: grant it RBAC rights on ${c.kind ?? 'the type'}${c.namespace ? ` in namespace ${c.namespace}` : ''} (kubectl --context ${ctx} auth can-i --list), or use a context that has them.`;
    case 'Unauthorized':
      return `The API server of ${c.cluster} rejected the credentials of context ${ctx}: log in again or refresh the token / exec plugin, then re-run.`;
    case 'Invalid':
      return `The API server of ${c.cluster} rejected ${obj}: fix the template or this cluster's overrides at the field named in the message.`;
    case 'NamespaceMissing':
      return `Namespace ${c.namespace ?? ''} does not exist in ${c.cluster}: include its FederatedNamespace in the inputs (placed on ${c.cluster}) or create the namespace.`;
    case 'TypeNotServed':
      return `${c.cluster} does not serve ${c.apiVersion ?? ''} ${c.kind ?? ''}: install the CRD or enable the API there, or remove ${c.cluster} from the placement.`;
    case 'Unreachable':
      return `Check that ${c.cluster} answers (kubectl --context ${ctx} get --raw /readyz) and re-run; the other clusters were not affected.`;
    case 'Timeout':
      return `${c.cluster} did not answer within ${(c.timeoutMs ?? 30_000) / 1000} s: check its load and network, or raise --request-timeout, then re-run.`;
    case 'Cancelled':
      return 'The run was cancelled before this finished: re-run propagate to complete it.';
    case 'NoContext':
      return `Add a kubeconfig context named ${c.cluster}, or map the cluster to a context with --context-map ${c.cluster}=CONTEXT.`;
    case 'Unmanaged':
      return `${obj} already exists in ${c.cluster} without label kubefed.io/managed=true and is left alone: re-run with --adopt to take it over, or delete or rename it.`;
  }
  switch (status) {
    case '':
      return '';
    case 'WaitingForRemoval':
      return `${obj} is being deleted in ${c.cluster}${c.finalizers?.length ? `; finalizers ${c.finalizers.join(', ')} keep it until their controllers finish` : ''}.`;
    case 'ClusterNotReady':
      return `Check that ${c.cluster} answers (kubectl --context ${ctx} get --raw /readyz) and re-run; the other clusters were not affected.`;
    case 'ClientRetrievalFailed':
      return `Add a kubeconfig context named ${c.cluster}, or map the cluster to a context with --context-map ${c.cluster}=CONTEXT.`;
    case 'AlreadyExists':
      return `${obj} already exists in ${c.cluster} without label kubefed.io/managed=true and is left alone: re-run with --adopt to take it over, or delete or rename it.`;
    case 'ManagedLabelFalse':
      return `${obj} in ${c.cluster} is labeled kubefed.io/managed=false, which opts it out of federation: remove that label (kubectl --context ${ctx} label ...  kubefed.io/managed-) to let it be managed.`;
    case 'ComputeResourceFailed':
      return 'The object for this cluster cannot be computed from the template: fix spec.template (kfed validate shows where).';
    case 'ApplyOverridesFailed':
      return `An override for ${c.cluster} cannot be applied: fix spec.overrides (a replace or remove needs an existing path; kfed validate shows which).`;
    case 'FieldRetentionFailed':
      return `A field KubeFed keeps from the cluster's object has an unexpected type in ${c.cluster}: fix it there (see the message).`;
    case 'CachedRetrievalFailed':
    case 'VersionRetrievalFailed':
      return `The objects of ${c.cluster} could not be read: check that context ${ctx} may get and list ${c.kind ?? 'this type'} there, then re-run.`;
    case 'ComputePlacementFailed':
      return 'The placement cannot be evaluated: fix spec.placement (kfed validate shows the error).';
    case 'NamespaceNotFederated':
      return 'The namespace has no FederatedNamespace in the inputs: add it, so the resource is placed (nothing was changed or deleted).';
    case 'CreationTimedOut':
    case 'UpdateTimedOut':
    case 'DeletionTimedOut':
    case 'LabelRemovalTimedOut':
      return `${c.cluster} did not answer in time: re-run propagate.`;
    case 'CreationFailed':
    case 'UpdateFailed':
    case 'DeletionFailed':
    case 'LabelRemovalFailed':
    case 'RetrievalFailed':
      return `See the message; re-run propagate once the cause in ${c.cluster} is fixed.`;
  }
  return '';
}
