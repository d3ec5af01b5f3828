/**
 * The KubeFed host the editor watches (`kubefed.hostCluster`): KubeFed's status of each federated
 * resource becomes `kubefed-status` diagnostics, the placement view's cells and a code lens; the
 * host's state (reachable, controller running, clusters Ready as KubeFed sees them) goes to the
 * client as `kubefed/hostState`. The watching itself is the cluster module's (HostWatcher).
 */
import type { Analysis, EngineDiagnostic, FederatedResource } from '../engine/index.ts';
import { hostObjectKey, hostRefKey } from '../engine/hostApply.ts';
import { hostDiagnostics, hostStatusOf, type HostStatus } from '../engine/hostStatus.ts';
import { loadKubeconfig } from '../cluster/kubeconfig.ts';
import { ClusterClient } from '../cluster/client.ts';
import { HostWatcher } from '../cluster/hostWatch.ts';
import { HostStateNotification, type HostResourceState, type HostStateParams } from './protocol.ts';
import type { HostView, ServerContext } from './context.ts';

export class HostLink implements HostView {
  private watcher: HostWatcher | undefined;
  private client: ClusterClient | undefined;
  private key = '';
  private host: string | undefined;
  private failure: string | undefined;
  private lastSent = '';
  private connected = false;

  constructor(
    private readonly ctx: ServerContext,
    private readonly kubeconfigPaths: () => string[],
    /** Called with the files whose resources' host status changed ('all': any file). */
    private readonly changed: (uris: string[] | 'all') => void,
  ) {}

  /** Starts, restarts or stops watching after the settings changed. */
  configure(): void {
    const host = this.ctx.settings.hostCluster || undefined;
    const paths = host ? this.kubeconfigPaths() : [];
    const key = JSON.stringify([host, paths]);
    if (key === this.key) return;
    this.key = key;
    this.stop();
    this.host = host;
    this.failure = undefined;
    this.connected = false;
    if (host) {
      try {
        const kc = loadKubeconfig({ path: paths.join(':') || undefined });
        if (!kc.hasContext(host)) throw new Error(`kubefed.hostCluster: context "${host}" is not in ${kc.origin}`);
        this.client = new ClusterClient(host, host, kc.forContext(host), kc.redactor, { timeoutMs: 10_000 });
        this.watcher = new HostWatcher(this.client, {
          onChange: (keys) => {
            if (keys !== 'state') {
              this.changed(this.urisOf(new Set(keys)));
              return this.sendState();
            }
            // statuses read before the host went away are not shown as current: all files again
            const connected = !!this.watcher?.snapshot().connected;
            if (connected !== this.connected) this.changed('all');
            this.connected = connected;
            this.sendState();
          },
        });
        this.watcher.start();
      } catch (e) {
        this.failure = (e as Error).message;
      }
    }
    this.changed('all');
    this.sendState();
  }

  /** The workspace resources of each host key, built once per analysis. */
  private byKey(): Map<string, FederatedResource[]> {
    const a = this.ctx.ws.analysis();
    let m = resourcesByKey.get(a);
    if (!m) {
      m = new Map();
      for (const r of a.resources) {
        if (!r.main) continue;
        const k = keyOf(r);
        const list = m.get(k);
        if (list) list.push(r);
        else m.set(k, [r]);
      }
      resourcesByKey.set(a, m);
    }
    return m;
  }

  private urisOf(keys: Set<string>): string[] {
    const byKey = this.byKey();
    const out = new Set<string>();
    for (const k of keys) for (const r of byKey.get(k) ?? []) out.add(r.main!.uri);
    return [...out];
  }

  /** How many workspace resources KubeFed reports as failed (a failed state depends on the host object only). */
  private failing(): number {
    const byKey = this.byKey();
    let n = 0;
    for (const o of this.watcher?.allObjects() ?? []) {
      if (hostStatusOf(o).state !== 'failed') continue;
      n += byKey.get(hostObjectKey(o))?.length ?? 0;
    }
    return n;
  }

  private object(r: FederatedResource) {
    return r.main ? this.watcher?.object(keyOf(r)) : undefined;
  }

  watching(): boolean {
    return !!this.watcher && !!this.host && this.watcher.snapshot().connected;
  }

  /** The kubefed-status diagnostics of a file. */
  diagnostics(uri: string): EngineDiagnostic[] {
    if (!this.watching()) return [];
    return this.ctx.ws.resourcesIn(uri).flatMap((r) => (r.main?.uri === uri ? hostDiagnostics(r, this.object(r), this.host!) : []));
  }

  /** KubeFed's status of a resource, when the watched host has its object. */
  status(r: FederatedResource): HostStatus | undefined {
    if (!this.watching()) return undefined;
    const o = this.object(r);
    return o ? hostStatusOf(o, r.main!.object) : undefined;
  }

  /** The same, as the placement view shows it. */
  placementState(r: FederatedResource): HostResourceState | undefined {
    const s = this.status(r);
    if (!s) return undefined;
    return {
      state: s.state,
      clusters: Object.fromEntries(s.clusters.map((c) => [c.name, c.status])),
      propagatedTo: s.propagatedTo,
      ...(s.propagation?.lastTransitionTime ? { since: s.propagation.lastTransitionTime } : {}),
      differs: s.differs,
    };
  }

  state(): HostStateParams {
    if (!this.host) return { connected: false, clusters: [] };
    if (!this.watcher) return { host: this.host, connected: false, error: this.failure, clusters: [] };
    const s = this.watcher.snapshot();
    return {
      host: this.host,
      connected: s.connected,
      ...(s.error ? { error: s.error } : {}),
      ...(s.controller ? { controller: { running: s.controller.running, ...(s.controller.record ? { holder: s.controller.record.holder } : {}) } } : {}),
      clusters: s.clusters,
      ...(s.connected ? { failing: this.failing() } : {}),
    };
  }

  private sendState(): void {
    const st = this.state();
    const text = JSON.stringify(st);
    if (text === this.lastSent) return;
    this.lastSent = text;
    void this.ctx.connection.sendNotification(HostStateNotification, st);
  }

  stop(): void {
    this.watcher?.stop();
    this.client?.close();
    this.watcher = undefined;
    this.client = undefined;
  }
}

const resourcesByKey = new WeakMap<Analysis, Map<string, FederatedResource[]>>();

function keyOf(r: FederatedResource): string {
  const m = r.main!.meta;
  return hostRefKey({ apiVersion: m.apiVersion, kind: m.kind, namespace: m.namespace, name: m.name });
}
