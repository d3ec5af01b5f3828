/**
 * A live view of a KubeFed host for the editor: its federated objects (with KubeFed's status),
 * its KubeFedClusters and whether a controller runs. Each federated type enabled by a
 * FederatedTypeConfig is listed once and then watched (nothing is read while nothing changes but
 * the controller's lock, checked every few seconds); a failed watch is resumed, and when the
 * host goes away everything is read again once it is back, with growing pauses in between.
 */
import { isObject, type JsonObject } from '../engine/json.ts';
import { isClusterReady } from '../engine/health.ts';
import { hostObjectKey } from '../engine/hostApply.ts';
import { ApiError, type ClusterClient, type ResourceInfo } from './client.ts';
import { detectController, type ControllerInfo } from './hostRead.ts';
import { KUBEFED_SYSTEM_NAMESPACE } from './clusters.ts';

export interface HostCluster {
  name: string;
  ready: boolean;
}

export interface HostSnapshot {
  /** Everything was read and the watches run. */
  connected: boolean;
  /** Why not (the last error), while not connected. */
  error?: string;
  controller?: ControllerInfo;
  clusters: HostCluster[];
}

export interface HostWatchOptions {
  kubefedNamespace?: string;
  /** Called after a change: the keys (hostRefKey) of federated objects that changed, or 'state' for the rest. */
  onChange: (keys: string[] | 'state') => void;
  lockPollMs?: number;
  maxBackoffMs?: number;
}

const keyOf = hostObjectKey;

export class HostWatcher {
  private readonly objects = new Map<string, JsonObject>();
  private readonly clusters = new Map<string, HostCluster>();
  private readonly clusterObjs = new Map<string, JsonObject>();
  private ftcs: JsonObject[] = [];
  private state: HostSnapshot = { connected: false, clusters: [] };
  private stopped = false;
  private ctrl = new AbortController();
  private lockTimer: NodeJS.Timeout | undefined;
  private readonly ns: string;

  constructor(
    private readonly client: ClusterClient,
    private readonly opt: HostWatchOptions,
  ) {
    this.ns = opt.kubefedNamespace ?? KUBEFED_SYSTEM_NAMESPACE;
  }

  /** The host object of a federated resource (as KubeFed last wrote it), if the host has one. */
  object(key: string): JsonObject | undefined {
    return this.objects.get(key);
  }

  /** Every federated object of the host, as last read. */
  allObjects(): JsonObject[] {
    return [...this.objects.values()];
  }

  /** The KubeFedCluster objects and the FederatedTypeConfigs of the KubeFed namespace, as last read. */
  controlPlane(): { clusters: JsonObject[]; typeConfigs: JsonObject[] } {
    return { clusters: [...this.clusterObjs.values()], typeConfigs: [...this.ftcs] };
  }

  snapshot(): HostSnapshot {
    return { ...this.state, clusters: [...this.clusters.values()].sort((a, b) => a.name.localeCompare(b.name)) };
  }

  start(): void {
    void this.run();
    const poll = async () => {
      try {
        const c = await detectController(this.client, this.ns, { signal: this.ctrl.signal });
        if (JSON.stringify(c.running) !== JSON.stringify(this.state.controller?.running) || c.record?.holder !== this.state.controller?.record?.holder) {
          this.state = { ...this.state, controller: c };
          this.opt.onChange('state');
        } else this.state = { ...this.state, controller: c };
      } catch {
        // the watches report the host being away
      }
      if (!this.stopped) this.lockTimer = setTimeout(poll, this.opt.lockPollMs ?? 5_000);
    };
    void poll();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.lockTimer);
    this.ctrl.abort();
  }

  private async run(): Promise<void> {
    let backoff = 500;
    while (!this.stopped) {
      const round = new AbortController();
      const onStop = () => round.abort();
      this.ctrl.signal.addEventListener('abort', onStop, { once: true });
      try {
        const types = await this.types(round.signal);
        const lists = await Promise.all(types.map((t) => this.client.listWithVersion(t.info, { namespace: t.namespace, signal: round.signal })));
        const changed = this.replaceAll(types, lists.map((l) => l.items));
        this.state = { ...this.state, connected: true, error: undefined };
        this.opt.onChange(changed);
        this.opt.onChange('state');
        backoff = 500;
        // Every watch runs until one fails for good; then everything is read again.
        await Promise.race(types.map((t, i) => this.follow(t, lists[i]!.resourceVersion, round.signal)));
      } catch (e) {
        if (this.stopped) break;
        if (e instanceof ApiError && e.status === 410) continue; // a watch expired: read again at once
        const was = this.state.connected;
        this.state = { ...this.state, connected: false, error: (e as Error).message };
        if (was || backoff === 500) this.opt.onChange('state');
      } finally {
        round.abort();
        this.ctrl.signal.removeEventListener('abort', onStop);
      }
      if (this.stopped) break;
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, this.opt.maxBackoffMs ?? 30_000);
    }
  }

  /** KubeFedClusters and every federated type the host's FederatedTypeConfigs enable. */
  private async types(signal: AbortSignal): Promise<{ info: ResourceInfo; namespace?: string; clusters?: true }[]> {
    const out: { info: ResourceInfo; namespace?: string; clusters?: true }[] = [];
    const kfc = await this.client.resourceFor('core.kubefed.io/v1beta1', 'KubeFedCluster', signal);
    if (kfc) out.push({ info: kfc, namespace: this.ns, clusters: true });
    const ftcType = await this.client.resourceFor('core.kubefed.io/v1beta1', 'FederatedTypeConfig', signal);
    if (!ftcType) throw new ApiError('http', `the host does not serve KubeFed's API (core.kubefed.io/v1beta1 FederatedTypeConfig): is KubeFed installed there?`, 404);
    this.ftcs = await this.client.list(ftcType, { namespace: this.ns, signal });
    for (const ftc of this.ftcs) {
      const ft = isObject(ftc.spec) && isObject(ftc.spec.federatedType) ? ftc.spec.federatedType : undefined;
      if (!ft || typeof ft.kind !== 'string' || typeof ft.group !== 'string' || typeof ft.version !== 'string') continue;
      const info = await this.client.resourceFor(`${ft.group}/${ft.version}`, ft.kind, signal);
      if (info) out.push({ info });
    }
    return out;
  }

  private replaceAll(types: { info: ResourceInfo; clusters?: true }[], lists: JsonObject[][]): string[] {
    const before = new Map(this.objects);
    this.objects.clear();
    this.clusters.clear();
    this.clusterObjs.clear();
    types.forEach((t, i) => {
      for (const o of lists[i]!) this.take(t.clusters ? 'clusters' : 'objects', 'ADDED', o);
    });
    const changed: string[] = [];
    for (const [k, o] of this.objects) if (JSON.stringify(before.get(k)) !== JSON.stringify(o)) changed.push(k);
    for (const k of before.keys()) if (!this.objects.has(k)) changed.push(k);
    return changed;
  }

  private take(kind: 'clusters' | 'objects', type: string, o: JsonObject): void {
    if (kind === 'clusters') {
      const name = String(isObject(o.metadata) ? o.metadata.name : '');
      if (type === 'DELETED') {
        this.clusters.delete(name);
        this.clusterObjs.delete(name);
      } else {
        this.clusters.set(name, { name, ready: isClusterReady(o.status) });
        this.clusterObjs.set(name, o);
      }
      return;
    }
    if (type === 'DELETED') this.objects.delete(keyOf(o));
    else this.objects.set(keyOf(o), o);
  }

  /** Follows one type from `rv`; resolves (so everything is read again) when the watch cannot go on. */
  private async follow(t: { info: ResourceInfo; namespace?: string; clusters?: true }, rv: string, signal: AbortSignal): Promise<void> {
    let version = rv;
    while (!signal.aborted) {
      let gone = false;
      await this.client.watch(t.info, { namespace: t.namespace, resourceVersion: version, signal }, (type, o) => {
        if (type === 'ERROR') {
          gone = true; // 410 Gone: the version is too old; read everything again
          return;
        }
        const v = isObject(o.metadata) ? o.metadata.resourceVersion : undefined;
        if (typeof v === 'string') version = v;
        if (type === 'BOOKMARK') return;
        this.take(t.clusters ? 'clusters' : 'objects', type, o);
        this.opt.onChange(t.clusters ? 'state' : [keyOf(o)]);
      });
      if (gone) throw new ApiError('http', 'watch expired', 410);
    }
  }
}
