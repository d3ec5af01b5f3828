/**
 * Everything the client uses from the engine and from server/cluster/, in one module so that
 * clusterOps.ts loads it (and @kubernetes/client-node behind it) with one dynamic import, after
 * activation.
 */
export { Workspace } from '../server/engine/workspace.ts';
export { objectLocation } from '../server/engine/objects.ts';
export { clustersFromFile, clustersFromSettings } from '../server/engine/inventory.ts';
export { loadKubeconfig, KubeconfigError } from '../server/cluster/kubeconfig.ts';
export { Connections, ApiError, ClusterClient } from '../server/cluster/client.ts';
export { hostApplyPlan, describeHostRef } from '../server/engine/hostApply.ts';
export { applyToHost } from '../server/cluster/hostWrite.ts';
export { findRunningController } from '../server/cluster/hostRead.ts';
export { explainWithHost } from '../server/cluster/diffHost.ts';
export { CAUSE_TEXT } from '../server/engine/hostStatus.ts';
export { formatApply } from '../server/cli/apply.ts';
export type { HostApplyReport, HostOutcome } from '../server/cluster/hostWrite.ts';
export type { HostItem } from '../server/engine/hostApply.ts';
export { openRunClusters } from '../server/cluster/clusters.ts';
export { propagate } from '../server/cluster/propagate.ts';
export { diffClusters } from '../server/cluster/diff.ts';
export { describeRef } from '../server/cluster/desired.ts';
// The text reports of `kfed propagate` and `kfed diff`: the output channel shows the same.
export { formatPropagate } from '../server/cli/propagate.ts';
export { formatDiff } from '../server/cli/diff.ts';
export type { PropagateReport, Outcome, ProgressEvent } from '../server/cluster/propagate.ts';
export type { DiffReport, DiffEntry } from '../server/cluster/diff.ts';
export type { FederatedResource } from '../server/engine/resources.ts';
export { toYaml } from '../server/cluster/normalize.ts';
export { unifiedDiff } from '../server/cluster/unified.ts';
