/**
 * KubeFed's per-cluster status vocabulary (semantics §10), the finer reasons this tool adds, and
 * the one table of what to do about each. A hint depends on who acts on the cluster: this tool
 * (`kfed propagate`, the editor's Propagate: "re-run") or KubeFed's controller behind a host
 * (`kfed status`, host diagnostics: "KubeFed retries"). Pure: no I/O.
 */

/** KubeFed per-cluster statuses ('' = OK), plus the two aggregate reasons reported per resource. */
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

/** Who acts on the cluster: this tool's push, or KubeFed's controller behind a host. */
export type Actor = 'tool' | 'kubefed';

type Hint = (c: HintContext, ctx: string, obj: string) => string;

const REASON_HINTS: Partial<Record<Reason, Hint>> = {
  Conflict: (c, _x, obj) =>
    `Other field managers own the conflicting fields of ${obj} in ${c.cluster} (an out-of-band edit or another controller). Re-run with --force-conflicts to take them over, or change the federated resource to match the cluster.`,
  Modified: (c, _x, obj) => `${obj} changed in ${c.cluster} while it was being written; re-run propagate.`,
  Forbidden: (c, ctx) =>
    `The identity of context ${ctx} is not allowed to do this: grant it RBAC rights on ${c.kind ?? 'the type'}${c.namespace ? ` in namespace ${c.namespace}` : ''} (kubectl --context ${ctx} auth can-i --list), or use a context that has them.`,
  Unauthorized: (c, ctx) => `The API server of ${c.cluster} rejected the credentials of context ${ctx}: log in again or refresh the token / exec plugin, then re-run.`,
  Invalid: (c, _x, obj) => `The API server of ${c.cluster} rejected ${obj}: fix the template or this cluster's overrides at the field named in the message.`,
  NamespaceMissing: (c) =>
    `Namespace ${c.namespace ?? ''} does not exist in ${c.cluster}: include its FederatedNamespace in the inputs (placed on ${c.cluster}) or create the namespace.`,
  TypeNotServed: (c) => `${c.cluster} does not serve ${c.apiVersion ?? ''} ${c.kind ?? ''}: install the CRD or enable the API there, or remove ${c.cluster} from the placement.`,
  Unreachable: (c, ctx) => `Check that ${c.cluster} answers (kubectl --context ${ctx} get --raw /readyz) and re-run; the other clusters were not affected.`,
  Timeout: (c) => `${c.cluster} did not answer within ${(c.timeoutMs ?? 30_000) / 1000} s: check its load and network, or raise --request-timeout, then re-run.`,
  Cancelled: () => 'The run was cancelled before this finished: re-run propagate to complete it.',
  NoContext: (c) => `Add a kubeconfig context named ${c.cluster}, or map the cluster to a context with --context-map ${c.cluster}=CONTEXT.`,
  Unmanaged: (c, _x, obj) =>
    `${obj} already exists in ${c.cluster} without label kubefed.io/managed=true and is left alone: re-run with --adopt to take it over, or delete or rename it.`,
};

/** Per status: the hint when this tool acts, and (when it differs) when KubeFed's controller does. */
const STATUS_HINTS: Record<Exclude<KubeFedStatus, ''>, { tool: Hint; kubefed?: Hint }> = {
  WaitingForRemoval: {
    tool: (c, _x, obj) => `${obj} is being deleted in ${c.cluster}${c.finalizers?.length ? `; finalizers ${c.finalizers.join(', ')} keep it until their controllers finish` : ''}.`,
    kubefed: () => '',
  },
  ClusterNotReady: {
    tool: (c, ctx) => `Check that ${c.cluster} answers (kubectl --context ${ctx} get --raw /readyz) and re-run; the other clusters were not affected.`,
    kubefed: (c) => `KubeFed sees ${c.cluster} as not ready: check its KubeFedCluster's conditions and that its API server answers.`,
  },
  ClientRetrievalFailed: {
    tool: (c) => `Add a kubeconfig context named ${c.cluster}, or map the cluster to a context with --context-map ${c.cluster}=CONTEXT.`,
    kubefed: (c) => `KubeFed has no working client for ${c.cluster}: check its KubeFedCluster's apiEndpoint and secret.`,
  },
  AlreadyExists: {
    tool: (c, _x, obj) => `${obj} already exists in ${c.cluster} without label kubefed.io/managed=true and is left alone: re-run with --adopt to take it over, or delete or rename it.`,
    kubefed: (c) => `The object exists in ${c.cluster} without KubeFed's managed label: enable adoptResources in the KubeFedConfig, or delete or rename it there.`,
  },
  ManagedLabelFalse: {
    tool: (c, ctx, obj) =>
      `${obj} in ${c.cluster} is labeled kubefed.io/managed=false, which opts it out of federation: remove that label (kubectl --context ${ctx} label ...  kubefed.io/managed-) to let it be managed.`,
  },
  ComputeResourceFailed: { tool: () => 'The object for this cluster cannot be computed from the template: fix spec.template (kfed validate shows where).' },
  ApplyOverridesFailed: {
    tool: (c) => `An override for ${c.cluster} cannot be applied: fix spec.overrides (a replace or remove needs an existing path; kfed validate shows which).`,
    kubefed: (c) => `An override for ${c.cluster} cannot be applied: fix spec.overrides (kfed validate shows which), then apply again.`,
  },
  FieldRetentionFailed: { tool: (c) => `A field KubeFed keeps from the cluster's object has an unexpected type in ${c.cluster}: fix it there (see the message).` },
  CachedRetrievalFailed: { tool: readFailed, kubefed: kubefedReadFailed },
  VersionRetrievalFailed: { tool: readFailed, kubefed: kubefedReadFailed },
  ComputePlacementFailed: { tool: () => 'The placement cannot be evaluated: fix spec.placement (kfed validate shows the error).' },
  NamespaceNotFederated: {
    tool: () => 'The namespace has no FederatedNamespace in the inputs: add it, so the resource is placed (nothing was changed or deleted).',
    kubefed: () => 'The namespace has no FederatedNamespace in the host: apply one that places the namespace.',
  },
  CreationTimedOut: { tool: timedOut, kubefed: kubefedRetries },
  UpdateTimedOut: { tool: timedOut, kubefed: kubefedRetries },
  DeletionTimedOut: { tool: timedOut, kubefed: kubefedRetries },
  LabelRemovalTimedOut: { tool: timedOut, kubefed: kubefedRetries },
  CreationFailed: { tool: writeFailed, kubefed: kubefedRetries },
  UpdateFailed: { tool: writeFailed, kubefed: kubefedRetries },
  DeletionFailed: { tool: writeFailed, kubefed: kubefedRetries },
  LabelRemovalFailed: { tool: writeFailed, kubefed: kubefedRetries },
  RetrievalFailed: { tool: writeFailed, kubefed: kubefedRetries },
};

function readFailed(c: HintContext, ctx: string): string {
  return `The objects of ${c.cluster} could not be read: check that context ${ctx} may get and list ${c.kind ?? 'this type'} there, then re-run.`;
}
function kubefedReadFailed(c: HintContext): string {
  return `KubeFed could not read the objects of ${c.cluster}: check that its KubeFedCluster's credentials may get and list ${c.kind ?? 'this type'} there; it retries.`;
}
function timedOut(c: HintContext): string {
  return `${c.cluster} did not answer in time: re-run propagate.`;
}
function writeFailed(c: HintContext): string {
  return `See the message; re-run propagate once the cause in ${c.cluster} is fixed.`;
}
function kubefedRetries(c: HintContext): string {
  return `KubeFed could not write to ${c.cluster}: see its controller's log and the Events of the federated object; it retries.`;
}

/**
 * What the user can do about a cluster's status (and the finer reason this tool found, which
 * KubeFed's status does not carry). Empty for OK. `actor` says who writes to the cluster.
 */
export function hintFor(status: string, reason: string | undefined, c: HintContext, actor: Actor = 'tool'): string {
  const ctx = c.context ?? c.cluster;
  const obj = `${c.kind ?? 'object'} ${c.namespace ? `${c.namespace}/` : ''}${c.name ?? ''}`.trim();
  const byReason = actor === 'tool' && reason ? REASON_HINTS[reason as Reason] : undefined;
  if (byReason) return byReason(c, ctx, obj);
  if (status === '') return '';
  const entry = STATUS_HINTS[status as Exclude<KubeFedStatus, ''>];
  if (!entry) return actor === 'kubefed' ? kubefedRetries(c) : '';
  return (actor === 'kubefed' && entry.kubefed ? entry.kubefed : entry.tool)(c, ctx, obj);
}
