/**
 * Live objects of one member cluster for one run: read once, by one list per (type, namespace)
 * where several resources share it, else by a GET each; objects written in the run replace them.
 */
import type { JsonObject } from '../engine/json.ts';
import { isObject } from '../engine/json.ts';
import { ApiError, type ClusterClient, type ResourceInfo } from './client.ts';
import type { ObjectRef } from './desired.ts';
import type { Semaphore } from './pool.ts';

export class LiveCache {
  private readonly lists = new Map<string, Promise<Map<string, JsonObject> | null>>();
  private readonly known = new Map<string, JsonObject | null>();
  private readonly planned = new Set<string>();

  constructor(
    private readonly c: ClusterClient,
    private readonly sem: Semaphore,
    private readonly signal?: AbortSignal,
  ) {}

  private static key(ref: ObjectRef): string {
    return `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
  }

  private static group(ref: ObjectRef): string {
    return `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}`;
  }

  plannedNamespace(name: string): void {
    this.planned.add(name);
  }

  namespaceCreatedInRun(name: string): boolean {
    return this.planned.has(name);
  }

  async prefetch(refs: ObjectRef[]): Promise<void> {
    const groups = new Map<string, ObjectRef[]>();
    for (const r of refs) {
      const g = LiveCache.group(r);
      const l = groups.get(g);
      if (l) l.push(r);
      else groups.set(g, [r]);
    }
    const jobs: Promise<unknown>[] = [];
    for (const [g, list] of groups) {
      if (list.length < 2) continue;
      const ref = list[0]!;
      const p = (async () => {
        const info = await this.sem.run(() => this.c.resourceFor(ref.apiVersion, ref.kind, this.signal), this.signal);
        if (!info) return null;
        const items = await this.sem.run(() => this.c.list(info, { namespace: info.namespaced ? ref.namespace : undefined, signal: this.signal }), this.signal);
        const m = new Map<string, JsonObject>();
        for (const it of items) {
          const name = isObject(it.metadata) ? it.metadata.name : undefined;
          if (typeof name === 'string') m.set(name, it);
        }
        return m;
      })();
      // A failed prefetch is not fatal: each object is then read on its own.
      this.lists.set(g, p.catch(() => null));
      jobs.push(p);
    }
    const results = await Promise.allSettled(jobs);
    const firstNetwork = results.find(
      (r): r is PromiseRejectedResult => r.status === 'rejected' && r.reason instanceof ApiError && (r.reason.kind === 'network' || r.reason.kind === 'timeout'),
    );
    if (firstNetwork) throw firstNetwork.reason;
  }

  async get(info: ResourceInfo, ref: ObjectRef): Promise<JsonObject | null> {
    const k = LiveCache.key(ref);
    if (this.known.has(k)) return this.known.get(k)!;
    const listed = await this.lists.get(LiveCache.group(ref));
    if (listed) return listed.get(ref.name) ?? null;
    const obj = await this.sem.run(() => this.c.get(info, ref.namespace, ref.name, this.signal), this.signal);
    this.known.set(k, obj);
    return obj;
  }

  remember(ref: ObjectRef, obj: JsonObject): void {
    this.known.set(LiveCache.key(ref), obj);
  }
}
