/**
 * Posts core/v1 Events about a federated object on the host, as KubeFed's event recorder does
 * (source component `<federated kind, lower case>-controller`). Best effort: a failure is logged
 * once and never fails a reconcile.
 */
import { randomBytes } from 'node:crypto';
import { isObject, type JsonObject } from '../engine/json.ts';
import type { SyncEvent } from '../engine/syncEvents.ts';
import type { ClusterClient } from './client.ts';

export class EventWriter {
  private failed = false;

  constructor(
    private readonly host: ClusterClient,
    private readonly log: (line: string) => void,
  ) {}

  async record(obj: JsonObject, events: readonly SyncEvent[], signal: AbortSignal): Promise<void> {
    const md = isObject(obj.metadata) ? obj.metadata : {};
    const namespace = typeof md.namespace === 'string' && md.namespace ? md.namespace : 'default';
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const component = `${String(obj.kind ?? '').toLowerCase()}-controller`;
    for (const e of events) {
      const body = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${String(md.name)}.${randomBytes(8).toString('hex')}`, namespace },
        involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: md.name, ...(typeof md.namespace === 'string' ? { namespace: md.namespace } : {}), uid: md.uid, resourceVersion: md.resourceVersion },
        type: e.type,
        reason: e.reason,
        message: e.message,
        source: { component },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      };
      try {
        await this.host.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, { body, signal });
      } catch (err) {
        if (signal.aborted) return;
        if (!this.failed) this.log(`recording events: ${(err as Error).message}`);
        this.failed = true;
      }
    }
  }
}
