/**
 * `kfed controller`: one instance of the push reconciler for a KubeFed host. It refuses to start
 * while KubeFed's own controller-manager holds a fresh lock, waits for the Lease, reconciles
 * while it leads (SyncController), and stops all work when the lease is lost or it is told to
 * stop (then the lease is released for the next instance).
 */
import type { ElectionTimings } from '../engine/leaderElection.ts';
import { ClusterClient, Connections } from './client.ts';
import { clustersFromHost } from './clusters.ts';
import { detectController } from './hostRead.ts';
import type { Kubeconfig } from './kubeconfig.ts';
import { LeaseElector } from './leaderLease.ts';
import { serveHealth, type HealthServer } from './healthz.ts';
import { SyncController } from './syncController.ts';
import { ClusterHealthController } from './clusterHealth.ts';
import { healthCheckConfig } from '../engine/health.ts';

export { PROJECT_LEASE_NAME as CONTROLLER_LEASE_NAME } from '../engine/leader.ts';
import { PROJECT_LEASE_NAME as CONTROLLER_LEASE_NAME } from '../engine/leader.ts';

export interface ControllerRunOptions {
  kubeconfig: Kubeconfig;
  hostContext: string;
  kubefedNamespace: string;
  healthzAddr?: string;
  leaseName?: string;
  timings?: ElectionTimings;
  resyncMs?: number;
  timeoutMs?: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

export interface ControllerExit {
  /** 0 stopped on request, 1 lease lost or host unreadable, 2 refused (KubeFed's controller runs). */
  code: 0 | 1 | 2;
  reason: string;
}

/** The member cluster that is the host: the KubeFedCluster with the host's endpoint, else the one named like the host context. */
async function hostClusterOf(o: ControllerRunOptions, host: ClusterClient): Promise<string | undefined> {
  const clusters = await clustersFromHost(o.kubeconfig, o.hostContext, { namespace: o.kubefedNamespace, signal: o.signal, timeoutMs: o.timeoutMs });
  const norm = (s: string | undefined) => (s ?? '').replace(/\/+$/, '').replace(/^https?:\/\//, '');
  return (clusters.find((c) => c.server && norm(c.server) === norm(host.server)) ?? clusters.find((c) => c.name === o.hostContext))?.name;
}

/** The KubeFedConfig `kubefed` of the KubeFed namespace (null when there is none). */
async function kubefedConfig(o: ControllerRunOptions, host: ClusterClient) {
  const info = await host.resourceFor('core.kubefed.io/v1beta1', 'KubeFedConfig', o.signal).catch(() => null);
  return info ? host.get(info, o.kubefedNamespace, 'kubefed', o.signal).catch(() => null) : null;
}

async function refusal(o: ControllerRunOptions, host: ClusterClient): Promise<ControllerExit | undefined> {
  const info = await detectController(host, o.kubefedNamespace, { signal: o.signal, kubefedOnly: true });
  if (!info.running || !info.record) return undefined;
  const ago = Math.max(0, Math.round((Date.now() - info.record.renewTime) / 1000));
  return { code: 2, reason: `KubeFed's controller-manager runs on ${o.hostContext} (${info.record.lock} lock kubefed-controller-manager in ${o.kubefedNamespace}, held by ${info.record.holder}, renewed ${ago} s ago): stop it before starting this controller` };
}

export async function runController(o: ControllerRunOptions): Promise<ControllerExit> {
  const host = new ClusterClient(o.hostContext, o.hostContext, o.kubeconfig.forContext(o.hostContext), o.kubeconfig.redactor, { timeoutMs: o.timeoutMs });
  const connections = new Connections(o.kubeconfig, { timeoutMs: o.timeoutMs });
  let server: HealthServer | undefined;
  let sync: SyncController | undefined;
  let health: ClusterHealthController | undefined;
  const elector = new LeaseElector(host, { namespace: o.kubefedNamespace, name: o.leaseName ?? CONTROLLER_LEASE_NAME, timings: o.timings, log: o.log });
  try {
    const refused = await refusal(o, host);
    if (refused) return refused;
    if (o.healthzAddr) {
      server = await serveHealth(o.healthzAddr, () => !!sync?.synced && elector.election.isLeader(Date.now()));
      o.log(`serving /healthz and /readyz on ${server.address}`);
    }
    o.log(`candidate ${elector.identity} for lease ${o.kubefedNamespace}/${o.leaseName ?? CONTROLLER_LEASE_NAME}`);
    if (!(await elector.acquire(o.signal))) return { code: 0, reason: 'stopped before leading' };
    const late = await refusal(o, host); // KubeFed may have started while this instance waited
    if (late) return late;
    o.log('leading: reconciling');
    const hc = healthCheckConfig(await kubefedConfig(o, host));
    health = new ClusterHealthController({ host, connections, kubefedNamespace: o.kubefedNamespace, config: hc, log: o.log });
    health.start();
    o.log(`probing the member clusters every ${hc.periodMs / 1000} s (timeout ${hc.timeoutMs / 1000} s, failure threshold ${hc.failureThreshold}, success threshold ${hc.successThreshold})`);
    sync = new SyncController({ host, connections, kubefedNamespace: o.kubefedNamespace, hostCluster: await hostClusterOf(o, host), log: o.log, resyncMs: o.resyncMs });
    await sync.start();
    const why = await elector.keep(o.signal);
    await sync.stop();
    await health.stop();
    if (why === 'lost') return { code: 1, reason: 'lost the lease: stopped all work' };
    return { code: 0, reason: 'stopped' };
  } catch (e) {
    if (o.signal.aborted) return { code: 0, reason: 'stopped' };
    return { code: 1, reason: (e as Error).message };
  } finally {
    await sync?.stop();
    await health?.stop();
    await elector.release();
    await server?.close();
    connections.close();
    host.close();
  }
}
