/**
 * The push reconciler: KubeFed's sync controller, continuously. The host's federated objects (of
 * every type its FederatedTypeConfigs enable), KubeFedClusters and FederatedTypeConfigs are
 * listed and watched (HostWatcher); each change queues the object's key (a FederatedNamespace
 * change queues every object of its namespace); one worker reconciles key after key:
 *
 * - being deleted → deletion.ts's flow (delete or unlabel the member objects, then drop the finalizer);
 * - else the finalizer `kubefed.io/sync-controller`, then propagate() — the engine's plan for every
 *   Ready cluster, executed — and the federated object's status (observedGeneration, the
 *   Propagation condition, status.clusters), written only when it changed.
 *
 * Member clusters are reached through the kubeconfig context of the KubeFedCluster's name.
 * Nothing here decides what a cluster gets: that is the engine's plan.
 */
import { isObject, type JsonObject } from '../engine/json.ts';
import { Workspace } from '../engine/workspace.ts';
import { clusterFromObject } from '../engine/inventory.ts';
import { isClusterReady } from '../engine/health.ts';
import { hostRefKey } from '../engine/hostApply.ts';
import { isPropagated, type FederatedResource } from '../engine/resources.ts';
import { planCluster, statusOfPlans, type PlanPolicy } from '../engine/plan.ts';
import { updateFederatedStatus } from '../engine/status.ts';
import { WorkQueue } from '../engine/workQueue.ts';
import { dispatchedStatus, nextAfter, reconcileFingerprint, syncFinalizerPatch, SYNC_DELAYS, type ReconcileNext } from '../engine/reconcile.ts';
import { ApiError, resourcePath, type ClusterClient, type Connections, type ResourceInfo } from './client.ts';
import { HostWatcher } from './hostWatch.ts';
import { propagate } from './propagate.ts';
import { ensureDeletion } from './syncDeletion.ts';
import { VersionStore } from './versionStore.ts';
import { EventWriter } from './eventWriter.ts';
import { syncEvents, type SyncEvent } from '../engine/syncEvents.ts';
import { MemberWatcher, type MemberEvent, type MemberTarget } from './memberWatch.ts';
import { recordedFor, versionObjectRef, versionRecord } from '../engine/versions.ts';
import { typeConfigFromFtc } from '../engine/typeconfigs.ts';

export interface SyncControllerOptions {
  host: ClusterClient;
  connections: Connections;
  kubefedNamespace: string;
  /** The member cluster that is the host (its own namespaces are unlabeled, never deleted). */
  hostCluster?: string;
  log: (line: string) => void;
  delays?: Partial<typeof SYNC_DELAYS>;
  fieldManager?: string;
  /** Every object is reconciled again this often (drift correction until member watches exist); 0: never. */
  resyncMs?: number;
}

const meta = (o: JsonObject): JsonObject => (isObject(o.metadata) ? o.metadata : {});

function keyOfObject(o: JsonObject): string {
  const md = meta(o);
  return hostRefKey({ apiVersion: String(o.apiVersion ?? ''), kind: String(o.kind ?? ''), namespace: typeof md.namespace === 'string' ? md.namespace : '', name: String(md.name ?? '') });
}

export class SyncController {
  readonly queue = new WorkQueue<string>();
  private readonly watcher: HostWatcher;
  private readonly ws = new Workspace();
  private wsDirty = true;
  private byKey = new Map<string, FederatedResource>();
  private readonly seen = new Map<string, string>();
  private clusterPrint: string | undefined;
  private readonly ctrl = new AbortController();
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private adopt = true;
  private hostError: string | undefined = '';
  private readonly delays: typeof SYNC_DELAYS;
  private readonly versions: VersionStore;
  private readonly members: MemberWatcher;
  private readonly events: EventWriter;
  /** Target type (`apiVersion|kind`) -> its federated type, from the enabled FederatedTypeConfigs. */
  private federatedOf = new Map<string, { apiVersion: string; kind: string; namespace: boolean }>();
  /** Reconciles finished (for logs and tests). */
  reconciles = 0;

  constructor(private readonly opt: SyncControllerOptions) {
    this.delays = { ...SYNC_DELAYS, ...opt.delays };
    this.versions = new VersionStore(opt.host, opt.log);
    this.events = new EventWriter(opt.host, opt.log);
    this.members = new MemberWatcher(opt.connections, (e) => this.onMember(e), opt.log);
    this.watcher = new HostWatcher(opt.host, { kubefedNamespace: opt.kubefedNamespace, onChange: (k) => this.onChange(k) });
  }

  /** The host's objects were read and are being watched. */
  get synced(): boolean {
    return this.watcher.snapshot().connected;
  }

  async start(): Promise<void> {
    this.adopt = await this.readAdoptResources();
    await this.versions.load(this.ctrl.signal);
    this.watcher.start();
    this.running = this.loop();
    const every = this.opt.resyncMs ?? 0;
    if (every > 0) this.resyncTimer = setInterval(() => this.enqueueAll(0), every);
  }

  /** Stops after the reconcile in flight (its requests are cancelled). */
  async stop(): Promise<void> {
    this.queue.shutDown();
    clearInterval(this.resyncTimer);
    this.watcher.stop();
    this.ctrl.abort();
    this.wake?.();
    await this.running;
    await this.members.stop();
  }

  /** KubeFedConfig `kubefed` spec.syncController.adoptResources (default Enabled). */
  private async readAdoptResources(): Promise<boolean> {
    const info = await this.opt.host.resourceFor('core.kubefed.io/v1beta1', 'KubeFedConfig', this.ctrl.signal).catch(() => null);
    const cfg = info ? await this.opt.host.get(info, this.opt.kubefedNamespace, 'kubefed', this.ctrl.signal).catch(() => null) : null;
    const sc = cfg && isObject(cfg.spec) && isObject(cfg.spec.syncController) ? cfg.spec.syncController : {};
    return sc.adoptResources !== 'Disabled';
  }

  private onChange(keys: string[] | 'state'): void {
    this.wsDirty = true;
    if (keys === 'state') {
      const error = this.watcher.snapshot().error;
      if (error !== this.hostError) this.opt.log(error ? `host: ${error} (reading again)` : 'host: listed and watching');
      this.hostError = error;
      this.onClusters();
    }
    else for (const k of keys) this.onObject(k);
    this.wake?.();
  }

  private onObject(key: string): void {
    const obj = this.watcher.object(key);
    if (!obj) {
      this.seen.delete(key);
      return;
    }
    const fp = reconcileFingerprint(obj);
    if (this.seen.get(key) === fp) return; // only its status changed (our own write)
    this.seen.set(key, fp);
    const now = Date.now();
    this.queue.add(key, now);
    if (obj.kind === 'FederatedNamespace') {
      const ns = meta(obj).namespace;
      for (const o of this.watcher.allObjects()) if (meta(o).namespace === ns && o.kind !== 'FederatedNamespace') this.queue.add(keyOfObject(o), now);
    }
  }

  /** Member watches follow the Ready clusters and the enabled types. */
  private syncMembers(): void {
    const { typeConfigs } = this.watcher.controlPlane();
    const targets: MemberTarget[] = [];
    this.federatedOf = new Map();
    for (const ftc of typeConfigs) {
      const tc = typeConfigFromFtc(ftc);
      if (!tc || tc.era !== 'v1beta1' || !tc.propagationEnabled || !tc.federatedKind) continue;
      const target = { apiVersion: tc.targetGroup ? `${tc.targetGroup}/${tc.targetVersion}` : tc.targetVersion, kind: tc.targetKind };
      targets.push(target);
      this.federatedOf.set(`${target.apiVersion}|${target.kind}`, { apiVersion: `${tc.federatedGroup}/${tc.federatedVersion}`, kind: tc.federatedKind, namespace: tc.targetKind === 'Namespace' && !tc.targetGroup });
    }
    this.members.sync(this.readyClusters().ready, targets);
  }

  /** A managed object changed in a member: its federated object again, after KubeFed's retry delay. */
  private onMember(e: MemberEvent): void {
    const fed = this.federatedOf.get(`${e.target.apiVersion}|${e.target.kind}`);
    if (!fed) return;
    const key = hostRefKey({ apiVersion: fed.apiVersion, kind: fed.kind, namespace: fed.namespace ? e.name : e.namespace, name: e.name });
    if (!this.watcher.object(key)) return; // no federated object (KubeFed would unlabel a possible orphan: not done here)
    this.queue.addAfter(key, this.delays.recheckMs, Date.now());
    this.wake?.();
  }

  /** KubeFedClusters changed readiness or labels: everything again, after KubeFed's delays. */
  private onClusters(): void {
    this.syncMembers();
    const clusters = this.watcher.controlPlane().clusters;
    const print = JSON.stringify(clusters.map((c) => [meta(c).name, meta(c).labels ?? null, isClusterReady(c.status)]).sort());
    const before = this.clusterPrint;
    if (print === before) return;
    this.clusterPrint = print;
    if (before === undefined) return; // the first read: every object is queued by its own key
    const readyBefore = new Set((JSON.parse(before) as [string, unknown, boolean][]).filter((c) => c[2]).map((c) => c[0]));
    const available = clusters.some((c) => isClusterReady(c.status) && !readyBefore.has(String(meta(c).name)));
    this.enqueueAll(available ? this.delays.clusterAvailableMs : this.delays.clusterUnavailableMs);
  }

  private enqueueAll(delayMs: number): void {
    const now = Date.now();
    for (const o of this.watcher.allObjects()) this.queue.addAfter(keyOfObject(o), delayMs, now);
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.queue.isShutDown) {
      const key = this.synced ? this.queue.next(Date.now()) : undefined;
      if (key === undefined) {
        await this.idle(this.synced ? this.queue.nextDueIn(Date.now()) : 500);
        continue;
      }
      try {
        const next = await this.reconcile(key);
        this.after(key, next);
      } catch (e) {
        if (this.ctrl.signal.aborted) break;
        this.opt.log(`reconcile ${key}: ${(e as Error).message}`);
        this.after(key, 'backoff');
      } finally {
        this.queue.done(key);
        this.reconciles++;
      }
    }
  }

  private after(key: string, next: ReconcileNext): void {
    if (next === 'backoff') this.queue.addRateLimited(key, Date.now());
    else {
      this.queue.forget(key);
      if (next === 'recheck') this.queue.addAfter(key, this.delays.recheckMs, Date.now());
    }
  }

  private idle(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, Math.min(ms ?? 60_000, 60_000));
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  /** The workspace of the host's objects and clusters, rebuilt after a change. */
  private resource(key: string): FederatedResource | undefined {
    if (this.wsDirty) {
      const cp = this.watcher.controlPlane();
      this.ws.setClusterSource('host', cp.clusters.map((c) => clusterFromObject({ ...c, kind: 'KubeFedCluster' }, 'host')).filter((c) => c !== undefined));
      this.ws.setObjects('host', [...cp.typeConfigs.map((o) => ({ ...o, kind: 'FederatedTypeConfig', apiVersion: 'core.kubefed.io/v1beta1' })), ...this.watcher.allObjects()]);
      this.byKey = new Map();
      for (const r of this.ws.resources()) if (r.era === 'v1beta1' && r.main) this.byKey.set(keyOfObject(r.main.object), r);
      this.wsDirty = false;
    }
    return this.byKey.get(key);
  }

  private policy(): PlanPolicy {
    return { adopt: this.adopt, hostCluster: this.opt.hostCluster };
  }

  private readyClusters(): { ready: string[]; notReady: string[] } {
    const all = this.watcher.controlPlane().clusters;
    const name = (c: JsonObject) => String(meta(c).name ?? '');
    return { ready: all.filter((c) => isClusterReady(c.status)).map(name).sort(), notReady: all.filter((c) => !isClusterReady(c.status)).map(name).sort() };
  }

  /** One reconcile of the federated object `key` (KubeFed's `reconcile`). */
  private async reconcile(key: string): Promise<ReconcileNext> {
    const res = this.resource(key);
    const obj = this.watcher.object(key);
    if (!res || !obj || !isPropagated(res)) return 'done';
    const info = await this.opt.host.resourceFor(String(obj.apiVersion), String(obj.kind), this.ctrl.signal);
    if (!info) return 'backoff';
    const { ready, notReady } = this.readyClusters();
    const signal = this.ctrl.signal;
    if (meta(obj).deletionTimestamp) {
      this.versions.forget(versionObjectRef('v1beta1', obj, res.targetKind));
      return ensureDeletion({ res, federated: obj, info, host: this.opt.host, connections: this.opt.connections, ws: this.ws, policy: this.policy(), ready, signal, log: this.opt.log, record: (evs) => this.events.record(obj, evs, signal) });
    }
    const current = await this.ensureFinalizer(key, obj, info);
    const entries: { cluster: string; status: string | null }[] = [];
    const stored = this.versions.get(versionObjectRef('v1beta1', current, res.targetKind));
    const recorded = recordedFor(current, stored);
    const written: Record<string, string> = {};
    const events: SyncEvent[] = [];
    if (ready.length) {
      // Like KubeFed's full PUT, the apply takes fields over from other managers (KubeFed's own among them).
      const report = await propagate({ workspace: this.ws, connections: this.opt.connections, only: new Set([res.id]), clusters: ready, adopt: this.adopt, hostCluster: this.opt.hostCluster, fieldManager: this.opt.fieldManager, recordedVersion: (c) => recorded[c] ?? null, forceConflicts: true, signal });
      if (report.cancelled) return 'done';
      for (const o of report.outcomes) {
        entries.push({ cluster: o.cluster, status: dispatchedStatus(o.action === 'prune' ? 'none' : o.action, o.status, o.result !== 'failed') });
        if (o.version) written[o.cluster] = o.version;
        events.push(...syncEvents(o, o.target));
        if (o.result === 'failed') this.opt.log(`${res.kind} ${res.namespace ? `${res.namespace}/` : ''}${res.name} in ${o.cluster}: ${o.status}: ${o.message ?? ''}`);
      }
    }
    await this.recordVersions(current, res, stored, written);
    for (const c of notReady) {
      const plan = planCluster(res, { name: c, object: null, failure: { status: 'ClusterNotReady', message: `cluster ${c} is not Ready` } }, this.policy(), (r, cl) => this.ws.render(r, cl));
      entries.push({ cluster: c, status: plan.status });
      if (plan.status === 'ClusterNotReady') events.push(...syncEvents({ cluster: c, action: 'none', result: 'failed', status: plan.status }, plan.target));
    }
    await this.events.record(current, events, signal);
    const status = statusOfPlans(entries);
    await this.writeStatus(current, info, status);
    return nextAfter(status.clusters);
  }

  /** Writes the object's PropagatedVersion when it changed (a failure is only logged: versions only save updates). */
  private async recordVersions(obj: JsonObject, res: FederatedResource, stored: JsonObject | null, written: Record<string, string>): Promise<void> {
    if (!this.versions.available) return;
    const rec = versionRecord({ federatedObject: obj, targetKind: res.targetKind, stored, selectedClusters: res.placement.selected, newVersions: written });
    if (!rec) return;
    try {
      await this.versions.write(rec, this.ctrl.signal);
    } catch (e) {
      if (!this.ctrl.signal.aborted) this.opt.log(`recording the versions of ${res.kind} ${res.namespace}/${res.name}: ${(e as Error).message}`);
    }
  }

  /** Adds the sync controller's finalizer (a merge patch guarded by resourceVersion); the object as it is then. */
  private async ensureFinalizer(key: string, obj: JsonObject, info: ResourceInfo): Promise<JsonObject> {
    const patch = syncFinalizerPatch(obj, true);
    if (!patch) return obj;
    const md = meta(obj);
    const out = await this.opt.host.mergePatch(info, typeof md.namespace === 'string' ? md.namespace : undefined, String(md.name), patch, { signal: this.ctrl.signal, fieldManager: this.opt.fieldManager });
    this.seen.set(key, reconcileFingerprint(out)); // our own change: no second reconcile for it
    return out;
  }

  /** Writes the status KubeFed would (PUT /status with the read resourceVersion) when it changed. */
  private async writeStatus(obj: JsonObject, info: ResourceInfo, st: { reason: string; clusters: Record<string, string> }): Promise<void> {
    const md = meta(obj);
    const upd = updateFederatedStatus({ existingStatus: obj.status, generation: typeof md.generation === 'number' ? md.generation : 0, reason: st.reason, propagationStatus: st.clusters });
    if (!upd.changed) return;
    const path = resourcePath(info, typeof md.namespace === 'string' ? md.namespace : undefined, String(md.name)) + '/status';
    try {
      await this.opt.host.request('PUT', path, { body: { ...obj, status: upd.status }, signal: this.ctrl.signal });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) throw new Error(`status of ${String(md.name)}: changed meanwhile, retrying`);
      throw e;
    }
  }
}
