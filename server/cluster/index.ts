/**
 * All cluster I/O of kubefed-tools, on @kubernetes/client-node: propagation to member clusters
 * and comparison with them. No `vscode` import: the extension and `kfed` both use it.
 */
export { loadKubeconfig, parseContextMap, contextFor, Kubeconfig, KubeconfigError, Redactor, redact, type KubeconfigSource } from './kubeconfig.ts';
export { ClusterClient, Connections, ApiError, FIELD_MANAGER, DEFAULT_TIMEOUT_MS, type ResourceInfo } from './client.ts';
export { clustersFromHost, openRunClusters, type RunClusters, type RunClustersInput } from './clusters.ts';
export { propagate, type PropagateOptions, type PropagateReport, type Outcome, type ProgressEvent } from './propagate.ts';
export { diffClusters, diffBetween, type DiffReport, type DiffEntry, type DiffState, type BetweenReport, type BetweenEntry } from './diff.ts';
export { FEDERATED_RESOURCE_ANNOTATION, resourceKeyOf, type ObjectRef } from './desired.ts';
export { KUBEFED_STATUSES, hintFor, isFailure, type KubeFedStatus, type Reason } from './status.ts';
export { Semaphore, CancelledError } from './pool.ts';
export { memberSchemas, clusterSchemaSet, schemaCacheDir, type MemberSchemas, type SchemaLoadOptions } from './schemas.ts';
export { runController, CONTROLLER_LEASE_NAME, type ControllerRunOptions, type ControllerExit } from './controllerRun.ts';
export { LeaseElector, LEASE, candidateIdentity } from './leaderLease.ts';
export { SyncController, type SyncControllerOptions } from './syncController.ts';
