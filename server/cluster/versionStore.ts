/**
 * The PropagatedVersion / ClusterPropagatedVersion objects of a KubeFed host (KubeFed's version
 * manager): listed once when the controller starts (so versions KubeFed's own controller recorded
 * are used), then kept in memory and written through — created, then their status written with
 * the resourceVersion last seen, again after a conflict, an AlreadyExists or a NotFound. What a
 * record holds is decided by the engine (engine/versions.ts `versionRecord`).
 */
import { isObject, type JsonObject } from '../engine/json.ts';
import type { VersionObjectRef, VersionRecord } from '../engine/versions.ts';
import { ApiError, resourcePath, type ClusterClient, type ResourceInfo } from './client.ts';

const API_VERSION = 'core.kubefed.io/v1alpha1';

const keyOf = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;

export class VersionStore {
  private readonly objects = new Map<string, JsonObject>();
  private readonly infos = new Map<string, ResourceInfo | null>();
  /** The host serves the version types (KubeFed's CRDs are installed). */
  available = false;

  constructor(
    private readonly host: ClusterClient,
    private readonly log: (line: string) => void,
  ) {}

  /** Lists every version object of the host (all namespaces). */
  async load(signal: AbortSignal): Promise<void> {
    this.objects.clear();
    for (const kind of ['PropagatedVersion', 'ClusterPropagatedVersion']) {
      const info = await this.host.resourceFor(API_VERSION, kind, signal);
      this.infos.set(kind, info);
      if (!info) continue;
      for (const o of await this.host.list(info, { signal })) {
        const md = isObject(o.metadata) ? o.metadata : {};
        this.objects.set(keyOf(kind, typeof md.namespace === 'string' ? md.namespace : undefined, String(md.name ?? '')), o);
      }
    }
    this.available = !!this.infos.get('PropagatedVersion');
    if (!this.available) this.log(`the host does not serve ${API_VERSION} PropagatedVersion: versions are not recorded (every reconcile re-applies)`);
    else this.log(`read ${this.objects.size} propagated versions`);
  }

  get(ref: VersionObjectRef): JsonObject | null {
    return this.objects.get(keyOf(ref.kind, ref.namespace, ref.name)) ?? null;
  }

  /** Forgets a record (its federated object is gone; the API server's garbage collector removes the object). */
  forget(ref: VersionObjectRef): void {
    this.objects.delete(keyOf(ref.kind, ref.namespace, ref.name));
  }

  /** Writes a changed record: create when none is known, then PUT its status; retried a few times on races. */
  async write(rec: VersionRecord, signal: AbortSignal): Promise<void> {
    if (!rec.changed) return;
    const info = this.infos.get(rec.ref.kind);
    if (!info) return;
    const key = keyOf(rec.ref.kind, rec.ref.namespace, rec.ref.name);
    const path = resourcePath(info, rec.ref.namespace, rec.ref.name);
    let current = this.objects.get(key);
    for (let attempt = 0; ; attempt++) {
      try {
        if (!current) {
          current = await this.host.request<JsonObject>('POST', resourcePath(info, rec.ref.namespace), { body: rec.object, signal });
        }
        const md = isObject(current.metadata) ? current.metadata : {};
        const body = { ...current, status: rec.object.status };
        const out = await this.host.request<JsonObject>('PUT', `${path}/status`, { body: { ...body, metadata: { ...md } }, signal });
        this.objects.set(key, out);
        return;
      } catch (e) {
        if (!(e instanceof ApiError) || attempt >= 5 || e.kind === 'cancelled') throw e;
        if (e.status === 409) current = (await this.host.get(info, rec.ref.namespace, rec.ref.name, signal)) ?? undefined; // AlreadyExists or Conflict: read it again
        else if (e.status === 404) current = undefined;
        else throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}
