/**
 * The member clusters of a run: KubeFedCluster objects read from a host cluster (their labels
 * drive placement), or the kubeconfig's contexts when nothing declares clusters; and the
 * connections that reach them.
 */
import type { ClusterInfo } from '../engine/inventory.ts';
import { clusterFromObject } from '../engine/inventory.ts';
import type { Workspace } from '../engine/workspace.ts';
import { isObject } from '../engine/json.ts';
import { ApiError, ClusterClient, Connections, type ClientOptions } from './client.ts';
import { clusterNamesOfContexts, KubeconfigError, loadKubeconfig, parseContextMap, type Kubeconfig, type KubeconfigSource } from './kubeconfig.ts';

export const KUBEFED_SYSTEM_NAMESPACE = 'kube-federation-system';

/**
 * KubeFedCluster (v1beta1) and FederatedCluster (v1alpha1) objects of a KubeFed host, with their
 * labels and readiness. Listed in every namespace, or in `namespace` when listing everywhere is
 * forbidden.
 */
export async function clustersFromHost(
  kubeconfig: Kubeconfig,
  hostContext: string,
  opt: ClientOptions & { namespace?: string; signal?: AbortSignal } = {},
): Promise<ClusterInfo[]> {
  const client = new ClusterClient(hostContext, hostContext, kubeconfig.forContext(hostContext), kubeconfig.redactor, opt);
  try {
    const out: ClusterInfo[] = [];
    for (const [apiVersion, kind] of [
      ['core.kubefed.io/v1beta1', 'KubeFedCluster'],
      ['core.federation.k8s.io/v1alpha1', 'FederatedCluster'],
    ] as const) {
      const info = await client.resourceFor(apiVersion, kind, opt.signal);
      if (!info) continue;
      let items;
      try {
        items = await client.list(info, { signal: opt.signal, namespace: opt.namespace });
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 403) || opt.namespace) throw e;
        items = await client.list(info, { signal: opt.signal, namespace: info.namespaced ? KUBEFED_SYSTEM_NAMESPACE : undefined });
      }
      for (const o of items) {
        if (!isObject(o)) continue;
        const c = clusterFromObject({ ...o, kind }, 'host');
        if (c) out.push(c);
      }
    }
    return out;
  } finally {
    client.close();
  }
}

export interface RunClustersInput extends ClientOptions {
  kubeconfig?: KubeconfigSource;
  /** `cluster=context` entries (see parseContextMap). */
  contextMap?: readonly string[];
  /** A KubeFed host: its KubeFedClusters give the member clusters and their labels. */
  hostContext?: string;
  signal?: AbortSignal;
}

export interface RunClusters {
  kubeconfig: Kubeconfig;
  connections: Connections;
  /** The member cluster that is the host (its namespaces are never deleted), when known. */
  hostCluster?: string;
  warnings: string[];
}

/**
 * Adds the cluster sources of a run to `ws` and opens the connections: KubeFedClusters of the host
 * (source `host`) and the kubeconfig's contexts (source `kubeconfig`, members only when neither
 * the workspace nor the host declares a cluster: the engine's mergeClusterSources).
 */
export async function openRunClusters(ws: Workspace, input: RunClustersInput): Promise<RunClusters> {
  const kubeconfig = loadKubeconfig(input.kubeconfig ?? {});
  const map = parseContextMap(input.contextMap ?? []);
  const warnings: string[] = [];
  let hostCluster: string | undefined;
  if (input.hostContext) {
    if (!kubeconfig.hasContext(input.hostContext)) throw new KubeconfigError(`--host-context ${input.hostContext} is not a context of ${kubeconfig.origin}`);
    const host = await clustersFromHost(kubeconfig, input.hostContext, input);
    if (host.length === 0) warnings.push(`host context ${input.hostContext} has no KubeFedCluster objects`);
    ws.setClusterSource('host', host);
    for (const [cluster, ctx] of map) if (ctx === input.hostContext) hostCluster = cluster;
    hostCluster ??= host.find((c) => c.name === input.hostContext)?.name;
  }
  // The contexts count as clusters only when nothing else declares one (the engine's merge rule).
  ws.setClusterSource(
    'kubeconfig',
    clusterNamesOfContexts(map, kubeconfig).map((c) => ({ name: c.name, labels: {}, source: 'kubeconfig' as const, context: c.context, server: c.server })),
  );
  for (const [cluster, ctx] of map) {
    if (!kubeconfig.hasContext(ctx)) warnings.push(`--context-map ${cluster}=${ctx}: no such context in ${kubeconfig.origin}`);
  }
  const connections = new Connections(kubeconfig, { contextMap: map, timeoutMs: input.timeoutMs, maxSockets: input.maxSockets });
  return { kubeconfig, connections, hostCluster, warnings };
}
