/** kfed status: KubeFed's own view of each federated resource, read from the host, next to the workspace's. */
import type { Parsed } from './args.ts';
import { flag } from './args.ts';
import { toJson } from './output.ts';
import { openHost, type HostRun } from './host.ts';
import { type CliIO, type CommandResult } from './propagate.ts';
import { hostClusterHint, hostStatusHint } from '../engine/hostStatus.ts';
import { detectController, listHostFederated, readHostStatuses, type ControllerInfo, type HostResourceStatus } from '../cluster/hostRead.ts';
import { ApiError } from '../cluster/client.ts';
import { objectLocation } from '../engine/objects.ts';

export interface StatusRow {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  file?: string;
  line?: number;
  state: string;
  generation?: number;
  observedGeneration?: number;
  propagation?: { status: string; reason: string; message?: string; lastTransitionTime?: string };
  clusters: { name: string; status: string; hint?: string }[];
  differs: string[];
  hint?: string;
  error?: string;
}

export interface StatusReport {
  host: string;
  controller: ControllerInfo;
  resources: StatusRow[];
  /** Every resource is in the host as in the workspace and propagated. */
  propagated: boolean;
}

function rowOf(s: HostResourceStatus, fromHost: boolean): StatusRow {
  const r = s.resource;
  const st = s.status;
  const hint = s.error ? '' : hostStatusHint(st, r);
  const where = !fromHost && r.main ? { file: r.main.uri, line: objectLocation(r.main).range.start.line + 1 } : {};
  return {
    id: r.id,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    ...where,
    state: s.error ? 'unknown' : st.state,
    ...(st.generation !== undefined ? { generation: st.generation } : {}),
    ...(st.observedGeneration !== undefined ? { observedGeneration: st.observedGeneration } : {}),
    ...(st.propagation ? { propagation: st.propagation } : {}),
    clusters: st.clusters.map((c) => ({ ...c, ...(hostClusterHint(c.status, c.name) ? { hint: hostClusterHint(c.status, c.name) } : {}) })),
    differs: st.differs,
    ...(hint ? { hint } : {}),
    ...(s.error ? { error: s.error } : {}),
  };
}

async function readStatus(host: HostRun, signal?: AbortSignal): Promise<StatusReport> {
  const fromHost = host.inputs.length === 0;
  if (fromHost) host.ws.setObjects('host', await listHostFederated(host.client, signal));
  const controller = await detectController(host.client, host.kubefedNamespace, { signal });
  const resources = (await readHostStatuses(host.client, host.ws.resources(), signal)).map((s) => rowOf(s, fromHost));
  resources.sort((a, b) => a.id.localeCompare(b.id));
  const propagated = resources.every((r) => r.state === 'propagated' && r.differs.length === 0);
  return { host: host.hostContext, controller, resources, propagated };
}

function controllerLine(c: ControllerInfo, now: number): string {
  if (c.running && c.record) return `KubeFed controller: running (leader ${c.record.holder}, lock renewed ${Math.max(0, Math.round((now - c.record.renewTime) / 1000))} s ago)`;
  if (c.error) return `KubeFed controller: unknown (${c.error})`;
  if (c.record) return `KubeFed controller: not running (its lock in ${c.namespace} was last renewed ${new Date(c.record.renewTime).toISOString()})`;
  return `KubeFed controller: none found (no leader lock in ${c.namespace}): nothing propagates what the host holds`;
}

const STATE_TEXT: Record<string, string> = {
  missing: 'missing in the host',
  pending: 'not yet reconciled',
  propagated: 'propagated',
  failed: 'not propagated',
  unknown: 'unknown',
};

export function formatStatus(r: StatusReport, now = Date.now()): string {
  const lines = [`host ${r.host}`, controllerLine(r.controller, now)];
  for (const x of r.resources) {
    const ok = x.clusters.filter((c) => c.status === '').length;
    const gen = x.generation !== undefined ? ` generation ${x.generation}${x.observedGeneration !== undefined ? `, observed ${x.observedGeneration}` : ''}` : '';
    const reason = x.propagation && x.propagation.status !== 'True' && x.propagation.reason ? ` (${x.propagation.reason})` : '';
    const count = x.state === 'missing' || x.state === 'unknown' ? '' : ` ${ok}/${x.clusters.length} clusters`;
    lines.push(`${x.kind} ${x.namespace ? `${x.namespace}/` : ''}${x.name}: ${STATE_TEXT[x.state] ?? x.state}${reason}${count}${gen}${x.file ? `  (${x.file}:${x.line})` : ''}`);
    if (x.error) lines.push(`  cannot read it: ${x.error}`);
    if (x.differs.length) lines.push(`  the host's object differs from the workspace: ${x.differs.join(', ')}`);
    for (const c of x.clusters) lines.push(`  ${c.name.padEnd(16)} ${c.status || 'ok'}${c.hint ? `  → ${c.hint}` : ''}`);
    if (x.hint) lines.push(`  → ${x.hint}`);
  }
  const n = (s: string) => r.resources.filter((x) => x.state === s).length;
  lines.push(`${r.resources.length} federated resource(s): ${n('propagated')} propagated, ${n('failed')} not propagated, ${n('pending')} not yet reconciled, ${n('missing')} missing in the host`);
  return lines.join('\n') + '\n';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

export async function statusCommand(p: Parsed, io: CliIO): Promise<CommandResult> {
  const format = flag(p, 'output') ?? 'text';
  const host = await openHost(p, { inputsOptional: true, signal: io.signal });
  const show = (r: StatusReport) => (format === 'json' ? (p.flags.has('watch') ? JSON.stringify(r) + '\n' : toJson(r)) : formatStatus(r));
  const err = host.warnings.map((w) => `warning: ${w}\n`).join('');
  try {
    if (!p.flags.has('watch')) {
      const r = await readStatus(host, io.signal);
      return { out: show(r), err, exit: p.flags.has('exit-code') && !r.propagated ? 1 : 0 };
    }
    // --watch: print again whenever KubeFed's view changes, until cancelled (Ctrl+C).
    let last = '';
    let lastReport: StatusReport | undefined;
    const write = io.stdout ?? ((s: string) => process.stdout.write(s));
    while (!io.signal?.aborted) {
      try {
        const r = await readStatus(host, io.signal);
        const key = JSON.stringify({ ...r, controller: { ...r.controller, record: r.controller.record ? { ...r.controller.record, renewTime: 0 } : undefined } });
        if (key !== last) write(show(r) + (format === 'json' ? '' : '\n'));
        last = key;
        lastReport = r;
      } catch (e) {
        if (io.signal?.aborted) break; // Ctrl+C during a read: the watch ends, as it would between reads
        if (!(e instanceof ApiError) || e.kind === 'cancelled') throw e;
        io.stderr?.(`kfed status: ${e.message}; trying again\n`);
        last = '';
      }
      await sleep(Number(process.env.KFED_STATUS_INTERVAL_MS ?? 2000), io.signal);
    }
    return { out: '', err, exit: p.flags.has('exit-code') && !lastReport?.propagated ? 1 : 0 };
  } finally {
    host.client.close();
  }
}
