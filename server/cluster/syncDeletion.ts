/**
 * Deletion of a federated object by the sync controller (KubeFed v0.10 `ensureDeletion`): the
 * engine's deletion flow (engine/deletion.ts) decides, this module reads and executes. The member
 * objects of the clusters in the placement are read live (a fresh session each pass), deleted with
 * the object's `kubefed.io/deleteoption` options (the host cluster's own namespace is unlabeled
 * instead), read again, and once every Ready cluster holds nothing managed any more the finalizer
 * `kubefed.io/sync-controller` is removed. With `kubefed.io/orphan: "true"` the finalizer goes
 * first and the member objects only lose the managed label.
 */
import type { JsonObject } from '../engine/json.ts';
import { isObject } from '../engine/json.ts';
import type { FederatedResource } from '../engine/resources.ts';
import type { Workspace } from '../engine/workspace.ts';
import type { PlanPolicy } from '../engine/plan.ts';
import { deletionFlow, type DeletionCluster, type DeletionFlowResult } from '../engine/deletion.ts';
import { hasManagedLabel } from '../engine/managed.ts';
import { isNamespaceTarget } from '../engine/targets.ts';
import { syncFinalizerPatch, type ReconcileNext } from '../engine/reconcile.ts';
import { ApiError, type ClusterClient, type Connections, type ResourceInfo } from './client.ts';
import { ClusterSession, type Observation } from './session.ts';
import { syncEvents, type SyncEvent } from '../engine/syncEvents.ts';
import { unlabelPatch } from './propagate.ts';

export interface DeletionInput {
  res: FederatedResource;
  /** The federated object (with deletionTimestamp). */
  federated: JsonObject;
  /** Its type on the host. */
  info: ResourceInfo;
  host: ClusterClient;
  connections: Connections;
  ws: Workspace;
  policy: PlanPolicy;
  /** Ready member clusters. */
  ready: readonly string[];
  signal: AbortSignal;
  log: (line: string) => void;
  /** Records Events on the federated object (KubeFed's reasons). */
  record?: (events: SyncEvent[]) => Promise<void>;
}

interface Read {
  clusters: DeletionCluster[];
  observed: Map<string, { session: ClusterSession; obs: Observation }>;
}

/** The clusters of the placement as the deletion flow sees them: Ready and read, with the managed object (or nothing). */
async function readClusters(d: DeletionInput): Promise<Read> {
  const observed = new Map<string, { session: ClusterSession; obs: Observation }>();
  const clusters = await Promise.all(
    d.res.placement.selected.map(async (name): Promise<DeletionCluster> => {
      if (!d.ready.includes(name)) return { name, ready: false };
      const session = new ClusterSession(name, d.connections, d.ws, d.policy, { signal: d.signal });
      const obs = await session.observe(d.res);
      if (!obs.info) return { name, ready: false }; // unreachable or unreadable: like an unready cluster, it blocks the finalizer
      observed.set(name, { session, obs });
      const object = obs.live && hasManagedLabel(obs.live) ? obs.live : null;
      return { name, ready: true, object, isHostNamespace: isNamespaceTarget(d.res) && name === d.policy.hostCluster };
    }),
  );
  return { clusters, observed };
}

async function execute(d: DeletionInput, flow: DeletionFlowResult, read: Read): Promise<void> {
  const events: SyncEvent[] = [];
  await Promise.all(
    Object.entries(flow.actions).map(async ([cluster, action]) => {
      const o = read.observed.get(cluster);
      if (!o || action === 'none' || !o.obs.info) return;
      const c = o.session.client!;
      const ref = o.obs.plan.target;
      try {
        if (action === 'delete') await c.delete(o.obs.info, ref.namespace, ref.name, { signal: d.signal, options: flow.deleteOptions as JsonObject | undefined });
        else await c.mergePatch(o.obs.info, ref.namespace, ref.name, unlabelPatch(), { signal: d.signal });
        events.push(...syncEvents({ cluster, action: action === 'delete' ? 'delete' : 'removeManagedLabel', result: 'done', status: '' }, ref));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return;
        if (e instanceof ApiError && e.kind === 'cancelled') throw e;
        d.log(`deleting ${d.res.kind} ${d.res.namespace}/${d.res.name} in ${cluster}: ${(e as Error).message}`);
        events.push(...syncEvents({ cluster, action: action === 'delete' ? 'delete' : 'removeManagedLabel', result: 'failed', status: '', message: (e as Error).message }, ref));
      }
    }),
  );
  if (events.length) await d.record?.(events);
}

async function removeFinalizer(d: DeletionInput): Promise<void> {
  const patch = syncFinalizerPatch(d.federated, false);
  if (!patch) return;
  const md = isObject(d.federated.metadata) ? d.federated.metadata : {};
  await d.host.mergePatch(d.info, typeof md.namespace === 'string' ? md.namespace : undefined, String(md.name), patch, { signal: d.signal });
}

/** One pass of ensureDeletion; 'recheck' while member objects are still going away. */
export async function ensureDeletion(d: DeletionInput): Promise<ReconcileNext> {
  for (let pass = 0; pass < 2; pass++) {
    const read = await readClusters(d);
    const flow = deletionFlow({ federatedObject: d.federated, clusters: read.clusters });
    switch (flow.outcome) {
      case 'nothing':
        return 'done';
      case 'error':
        return 'backoff';
      case 'finalizerRemoved':
        await removeFinalizer(d);
        await execute(d, flow, read);
        return 'done';
      case 'verifyThenRemoveFinalizer':
        await removeFinalizer(d);
        return 'done';
      case 'requeue':
        // The deletes go out; a second pass reads again at once (most objects are gone by then).
        if (pass === 0) await execute(d, flow, read);
    }
  }
  return 'recheck';
}
