/**
 * Compare that knows the KubeFed host: each difference between a member and the workspace is
 * explained by what the host holds — the members are also compared with what KubeFed should have
 * produced from the host's own objects, and KubeFed's status is read — so a user sees whether it
 * comes from edits not applied to the host, from KubeFed's failures, or from drift KubeFed has
 * not corrected yet (the engine's `causeOfDifference`).
 */
import { Workspace } from '../engine/workspace.ts';
import { causeOfDifference } from '../engine/hostStatus.ts';
import type { ClusterClient, Connections } from './client.ts';
import { diffClusters, type DiffReport } from './diff.ts';
import { listHostFederated, readHostStatuses } from './hostRead.ts';

export interface ExplainOptions {
  workspace: Workspace;
  /** A client of the host cluster. */
  host: ClusterClient;
  connections: Connections;
  hostCluster?: string;
  concurrency?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Adds `kubefed` (cause, KubeFed's status, the host state) to the entries of a workspace diff. */
export async function explainWithHost(r: DiffReport, opt: ExplainOptions): Promise<void> {
  const hostWs = new Workspace();
  hostWs.setObjects('host', await listHostFederated(opt.host, opt.signal));
  hostWs.setClusterSource('host', opt.workspace.clusters());
  const ids = new Set(r.entries.map((e) => e.resourceId).filter((x): x is string => !!x));
  const fromHost = await diffClusters({ workspace: hostWs, connections: opt.connections, clusters: r.clusters, only: ids, hostCluster: opt.hostCluster, concurrency: opt.concurrency, signal: opt.signal, timeoutMs: opt.timeoutMs });
  const hostEntry = new Map(fromHost.entries.map((e) => [`${e.resourceId}|${e.cluster}`, e]));
  const statuses = new Map((await readHostStatuses(opt.host, opt.workspace.resources(), opt.signal)).map((s) => [s.resource.id, s.status]));
  for (const e of r.entries) {
    const host = e.resourceId ? statuses.get(e.resourceId) : undefined;
    if (!host) continue;
    const he = hostEntry.get(`${e.resourceId}|${e.cluster}`);
    const cause = causeOfDifference({ matchesWorkspace: e.state === 'in-sync', matchesHost: he?.state === 'in-sync', host, cluster: e.cluster });
    const status = host.clusters.find((c) => c.name === e.cluster)?.status;
    e.kubefed = { hostState: host.state, ...(cause ? { cause } : {}), ...(status !== undefined ? { status } : {}) };
  }
}
