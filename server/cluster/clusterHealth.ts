/**
 * KubeFed's cluster health controller (pkg/controller/kubefedcluster): every period it lists the
 * KubeFedClusters, probes each member's `/healthz` (and `/version` when healthy) in parallel
 * within the timeout, smooths the result with the failure / success thresholds and PUTs the
 * KubeFedCluster's status (conditions Ready / Offline / ConfigMalformed, kubernetesVersion),
 * every period, as KubeFed does. The conditions and thresholds are the engine's
 * (engine/health.ts); this module only probes and writes.
 */
import { isObject, type JsonObject } from '../engine/json.ts';
import { malformedStatus, probeStatus, thresholdStatus, type HealthCheckConfig } from '../engine/health.ts';
import { ApiError, resourcePath, type ClusterClient, type Connections } from './client.ts';

export interface ClusterHealthOptions {
  host: ClusterClient;
  connections: Connections;
  kubefedNamespace: string;
  config: HealthCheckConfig;
  log: (line: string) => void;
}

/** RFC 3339 with seconds, as metav1.Time is written. */
const nowText = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class ClusterHealthController {
  private readonly stored = new Map<string, { status: JsonObject; resultRun: number }>();
  private readonly ctrl = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastError = '';
  /** Probe rounds finished (for logs and tests). */
  rounds = 0;

  constructor(private readonly opt: ClusterHealthOptions) {}

  start(): void {
    const tick = () => {
      this.running = this.round().finally(() => {
        if (!this.ctrl.signal.aborted) this.timer = setTimeout(tick, this.opt.config.periodMs);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.ctrl.abort();
    clearTimeout(this.timer);
    await this.running;
  }

  private async round(): Promise<void> {
    try {
      const info = await this.opt.host.resourceFor('core.kubefed.io/v1beta1', 'KubeFedCluster', this.ctrl.signal);
      if (!info) throw new Error('the host does not serve core.kubefed.io/v1beta1 KubeFedCluster');
      const clusters = await this.opt.host.list(info, { namespace: this.opt.kubefedNamespace, signal: this.ctrl.signal });
      await Promise.all(clusters.map((c) => this.probeOne(c, resourcePath(info, this.opt.kubefedNamespace, String(isObject(c.metadata) ? c.metadata.name : '')))));
      this.lastError = '';
    } catch (e) {
      if (this.ctrl.signal.aborted) return;
      const msg = (e as Error).message;
      if (msg !== this.lastError) this.opt.log(`cluster health: ${msg}`);
      this.lastError = msg;
    } finally {
      this.rounds++;
    }
  }

  /** GetClusterStatus: the status from one probe of the member. */
  private async probe(name: string): Promise<JsonObject> {
    const now = nowText();
    const client = this.opt.connections.client(name);
    if ('error' in client) return malformedStatus(now);
    const timeoutMs = this.opt.config.timeoutMs;
    let body: string;
    try {
      body = await client.request<string>('GET', '/healthz', { raw: true, timeoutMs, signal: this.ctrl.signal });
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'cancelled') throw e;
      return probeStatus(null, now, (e as Error).message);
    }
    const status = probeStatus(body, now);
    const ready = Array.isArray(status.conditions) && status.conditions.some((c) => isObject(c) && c.type === 'Ready' && c.status === 'True');
    if (ready) {
      const v = await client.request<JsonObject>('GET', '/version', { timeoutMs, signal: this.ctrl.signal }).catch(() => undefined);
      if (v && typeof v.gitVersion === 'string') status.kubernetesVersion = v.gitVersion;
    }
    return status;
  }

  private async probeOne(cluster: JsonObject, path: string): Promise<void> {
    const name = String(isObject(cluster.metadata) ? cluster.metadata.name : '');
    const probed = await this.probe(name);
    const before = this.stored.get(name);
    const next = thresholdStatus({ config: this.opt.config, probed, stored: before?.status ?? null, resultRun: before?.resultRun ?? 0 });
    this.stored.set(name, next);
    const ready = (s: JsonObject | undefined) => !!s && Array.isArray(s.conditions) && s.conditions.some((c) => isObject(c) && c.type === 'Ready' && c.status === 'True');
    if (before && ready(before.status) !== ready(next.status)) this.opt.log(`cluster ${name}: ${ready(next.status) ? 'Ready' : 'not Ready'}`);
    try {
      await this.opt.host.request('PUT', `${path}/status`, { body: { ...cluster, status: next.status }, signal: this.ctrl.signal });
    } catch (e) {
      if (!this.ctrl.signal.aborted) this.opt.log(`cluster health: the status of ${name}: ${(e as Error).message}`);
    }
  }
}
