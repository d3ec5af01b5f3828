/**
 * Watches of the member clusters (KubeFed's managed-resource informers): for every Ready member
 * and every target type of an enabled FederatedTypeConfig, the objects labeled
 * `kubefed.io/managed=true` are listed and watched; a change (an edit, a deletion, a label
 * removed) names the object, and the sync controller queues the federated object it belongs to.
 * A watch that fails is listed again (with growing pauses), and what changed meanwhile is
 * reported then; a cluster that is no longer Ready has its watches stopped.
 */
import { isObject, type JsonObject } from '../engine/json.ts';
import { MANAGED_LABEL } from '../engine/managed.ts';
import { ApiError, type Connections } from './client.ts';

export interface MemberTarget {
  apiVersion: string;
  kind: string;
}

export interface MemberEvent {
  cluster: string;
  target: MemberTarget;
  namespace: string;
  name: string;
}

interface Running {
  ctrl: AbortController;
  done: Promise<void>;
}

const SELECTOR = `${MANAGED_LABEL}=true`;

export class MemberWatcher {
  private readonly running = new Map<string, Running>();
  private stopped = false;

  constructor(
    private readonly connections: Connections,
    private readonly onEvent: (e: MemberEvent) => void,
    private readonly log: (line: string) => void,
  ) {}

  /** Watches exactly these clusters × targets from now on. */
  sync(clusters: readonly string[], targets: readonly MemberTarget[]): void {
    if (this.stopped) return;
    const want = new Map<string, { cluster: string; target: MemberTarget }>();
    for (const cluster of clusters) for (const target of targets) want.set(`${cluster}|${target.apiVersion}|${target.kind}`, { cluster, target });
    for (const [key, r] of this.running) {
      if (!want.has(key)) {
        r.ctrl.abort();
        this.running.delete(key);
      }
    }
    for (const [key, w] of want) {
      if (this.running.has(key)) continue;
      const ctrl = new AbortController();
      this.running.set(key, { ctrl, done: this.follow(w.cluster, w.target, ctrl.signal) });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.running.values()];
    this.running.clear();
    for (const r of all) r.ctrl.abort();
    await Promise.all(all.map((r) => r.done));
  }

  /** List, then watch from the list's version; again after a failure. Ends when aborted. */
  private async follow(cluster: string, target: MemberTarget, signal: AbortSignal): Promise<void> {
    const known = new Map<string, string>(); // namespace/name -> resourceVersion
    let first = true;
    let pause = 1_000;
    while (!signal.aborted) {
      try {
        const c = this.connections.client(cluster);
        if ('error' in c) throw new Error(c.error);
        const info = await c.resourceFor(target.apiVersion, target.kind, signal);
        if (!info) return; // not served there: nothing of that type can be managed in it
        const list = await c.listWithVersion(info, { labelSelector: SELECTOR, signal });
        this.relisted(cluster, target, list.items, known, first);
        first = false;
        pause = 1_000;
        let version = list.resourceVersion;
        let expired = false;
        while (!signal.aborted && !expired) {
          await c.watch(info, { resourceVersion: version, labelSelector: SELECTOR, signal }, (type, o) => {
            if (type === 'ERROR') {
              expired = true;
              return;
            }
            const md = isObject(o.metadata) ? o.metadata : {};
            if (typeof md.resourceVersion === 'string') version = md.resourceVersion;
            if (type === 'BOOKMARK') return;
            const id = idOf(o);
            if (type === 'DELETED') known.delete(id);
            else known.set(id, String(md.resourceVersion ?? ''));
            this.emit(cluster, target, o);
          });
        }
      } catch (e) {
        if (signal.aborted || (e instanceof ApiError && e.kind === 'cancelled')) return;
        this.log(`watching ${target.kind} in ${cluster}: ${(e as Error).message} (listing again in ${pause / 1000} s)`);
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(pause * 2, 30_000);
      }
    }
  }

  /** After a (re)list: what changed since the last one is reported (nothing on the first: every object is reconciled anyway). */
  private relisted(cluster: string, target: MemberTarget, items: JsonObject[], known: Map<string, string>, first: boolean): void {
    const now = new Map(items.map((o) => [idOf(o), o] as const));
    if (!first) {
      for (const [id, o] of now) if (known.get(id) !== String((o.metadata as JsonObject).resourceVersion ?? '')) this.emit(cluster, target, o);
      for (const id of known.keys()) {
        if (now.has(id)) continue;
        const [namespace, name] = id.split('/') as [string, string];
        this.onEvent({ cluster, target, namespace, name });
      }
    }
    known.clear();
    for (const [id, o] of now) known.set(id, String((o.metadata as JsonObject).resourceVersion ?? ''));
  }

  private emit(cluster: string, target: MemberTarget, o: JsonObject): void {
    const md = isObject(o.metadata) ? o.metadata : {};
    this.onEvent({ cluster, target, namespace: typeof md.namespace === 'string' ? md.namespace : '', name: String(md.name ?? '') });
  }
}

function idOf(o: JsonObject): string {
  const md = isObject(o.metadata) ? o.metadata : {};
  return `${typeof md.namespace === 'string' ? md.namespace : ''}/${String(md.name ?? '')}`;
}
