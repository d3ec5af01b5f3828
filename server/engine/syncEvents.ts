/**
 * The Events KubeFed's sync controller records on a federated object for what it did in the
 * member clusters (kubefed pkg/controller/sync/dispatch/{managed,unmanaged}.go: eventTemplate
 * "%s %s %q in cluster %q", reasons `<Op>InCluster` / `<Op>InClusterFailed`; controller.go:
 * `ClusterNotReady`). Pure: which events, with which reason and message.
 */
export interface SyncEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** What was done in one cluster, in the words of the on-demand propagation (server/cluster/propagate.ts outcomes). */
export interface DoneInCluster {
  cluster: string;
  action: string;
  result: string;
  status: string;
  message?: string;
}

const OPS: Record<string, { op: string; continuous: string; reason: string }> = {
  create: { op: 'create', continuous: 'Creating', reason: 'CreateInCluster' },
  update: { op: 'update', continuous: 'Updating', reason: 'UpdateInCluster' },
  delete: { op: 'delete', continuous: 'Deleting', reason: 'DeleteInCluster' },
  removeManagedLabel: { op: 'remove managed label from', continuous: 'Removing managed label from', reason: 'RemoveManagedLabelFromInCluster' },
};

/** The events of one cluster's outcome; `target` is the member object's kind and (namespace/)name. */
export function syncEvents(d: DoneInCluster, target: { kind: string; namespace?: string; name: string }): SyncEvent[] {
  const what = `${target.kind} "${target.namespace ? `${target.namespace}/` : ''}${target.name}" in cluster "${d.cluster}"`;
  if (d.status === 'ClusterNotReady' && d.action === 'none') return [{ type: 'Warning', reason: 'ClusterNotReady', message: 'Cluster not ready' }];
  const o = OPS[d.action];
  if (!o) return [];
  if (d.result === 'failed') return [{ type: 'Warning', reason: `${o.reason}Failed`, message: `Failed to ${o.op} ${what}: ${d.message ?? d.status}` }];
  if (d.result === 'adopted') {
    return [
      { type: 'Warning', reason: 'CreateInClusterFailed', message: `Failed to create ${what}: An update will be attempted instead of a creation due to an existing resource` },
      { type: 'Normal', reason: 'UpdateInCluster', message: `Updating ${what}` },
    ];
  }
  return [{ type: 'Normal', reason: o.reason, message: `${o.continuous} ${what}` }];
}
