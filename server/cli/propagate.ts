/** kfed propagate: push federated resources to the member clusters, as KubeFed's sync controller would. */
import { Workspace } from '../engine/workspace.ts';
import { inputWorkspace } from './context.ts';
import type { Parsed } from './args.ts';
import { flag, flags, UsageError } from './args.ts';
import { InputError } from './files.ts';
import { toJson } from './output.ts';
import { openRunClusters, type RunClusters } from '../cluster/clusters.ts';
import { KubeconfigError } from '../cluster/kubeconfig.ts';
import { ApiError, ClusterClient } from '../cluster/client.ts';
import { findRunningController } from '../cluster/hostRead.ts';
import { propagate, type Outcome, type PropagateReport } from '../cluster/propagate.ts';
import { describeRef } from '../cluster/desired.ts';

export interface CliIO {
  /** Progress lines as they happen (default: collected into the result's stderr). */
  stderr?: (text: string) => void;
  /** Output as it happens, for commands that go on (status --watch; default: process.stdout). */
  stdout?: (text: string) => void;
  /** Cancels the run (Ctrl+C). */
  signal?: AbortSignal;
}

export interface CommandResult {
  out: string;
  err: string;
  exit: number;
}

/** Exit code of a cancelled run (128 + SIGINT). */
export const EXIT_CANCELLED = 130;

export function positiveInt(p: Parsed, name: string, fallback: number): number {
  const v = flag(p, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--${name} must be a whole number from 1 to 1000 (got "${v}")`);
  return n;
}

/** `--request-timeout 30s | 500ms | 2m | 30` (plain numbers are seconds). */
export function timeoutMs(p: Parsed): number | undefined {
  const v = flag(p, 'request-timeout');
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
  if (!m) throw new UsageError(`--request-timeout must look like 30s, 500ms or 2m (got "${v}")`);
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
  if (ms < 1) throw new UsageError('--request-timeout must be positive');
  return ms;
}

export interface ClusterRun extends RunClusters {
  ws: Workspace;
  clusters: string[];
  /** Usage warnings for stderr. */
  notes: string[];
}

/** Inputs, clusters and connections shared by propagate and diff. */
export async function openClusterRun(p: Parsed, io: CliIO, extraClusters: string[] = []): Promise<ClusterRun> {
  const { ws, warnings: notes } = inputWorkspace(p);
  let run: RunClusters;
  try {
    run = await openRunClusters(ws, {
      kubeconfig: { path: flag(p, 'kubeconfig') },
      contextMap: flags(p, 'context-map'),
      hostContext: flag(p, 'host-context'),
      timeoutMs: timeoutMs(p),
      signal: io.signal,
    });
  } catch (e) {
    if (e instanceof KubeconfigError) throw new UsageError(e.message);
    if (e instanceof ApiError) throw new InputError(`cannot read the member clusters from --host-context: ${e.message}`);
    throw e;
  }
  notes.push(...run.warnings);
  const known = ws.clusters().map((c) => c.name);
  const wanted = [...flags(p, 'cluster'), ...extraClusters];
  for (const c of wanted) {
    if (!known.includes(c)) throw new UsageError(`unknown cluster "${c}" (known: ${known.join(', ') || 'none'})`);
  }
  if (known.length === 0) throw new UsageError('no member clusters: the inputs, --clusters, --host-context and the kubeconfig declare none');
  return { ...run, ws, clusters: wanted.length ? [...new Set(wanted)] : known, notes };
}

const RESULT_WORDS: Record<string, [string, string]> = {
  created: ['created', 'would create'],
  updated: ['updated', 'would update'],
  adopted: ['adopted', 'would adopt'],
  unchanged: ['unchanged', 'unchanged'],
  deleted: ['deleted', 'would delete'],
  orphaned: ['orphaned (managed label removed)', 'would orphan (remove the managed label)'],
  pruned: ['pruned', 'would prune'],
  skipped: ['skipped', 'skipped'],
  failed: ['failed', 'would fail'],
  cancelled: ['cancelled', 'cancelled'],
};

function word(o: Outcome, dryRun: boolean): string {
  return RESULT_WORDS[o.result]![dryRun ? 1 : 0];
}

function statusText(o: Outcome): string {
  const parts: string[] = [];
  if (o.status) parts.push(o.status + (o.reason && o.reason !== o.status ? ` (${o.reason})` : ''));
  else if (o.reason) parts.push(o.reason);
  if (o.message) parts.push(o.message);
  return parts.join(': ');
}

/** One progress line, as printed to stderr while the run goes. */
export function progressLine(o: Outcome, done: number, total: number, dryRun: boolean): string {
  const st = o.status || o.reason ? ` ${o.status || o.reason}` : '';
  return `[${done}/${total}] ${o.cluster}: ${describeRef(o.target)} ${word(o, dryRun)}${st}\n`;
}

export function formatPropagate(r: PropagateReport): string {
  const lines: string[] = [];
  if (r.dryRun) lines.push('dry run (server): nothing was changed');
  let current = '';
  for (const o of r.outcomes) {
    const head = o.action === 'prune' ? `pruned objects (--prune)` : `${o.resource.split('/')[0]} ${o.resource.split('/').slice(1).filter(Boolean).join('/')}${o.source ? ` (${o.source})` : ''}`;
    if (head !== current) {
      lines.push(head);
      current = head;
    }
    const what = o.action === 'prune' ? ` ${describeRef(o.target)}` : '';
    const st = statusText(o);
    lines.push(`  ${o.cluster.padEnd(16)} ${word(o, r.dryRun)}${what}${st ? `  ${st}` : ''}`);
    if (o.conflicts?.length) for (const c of o.conflicts) lines.push(`  ${''.padEnd(16)}   conflict: ${c.field} owned by ${c.manager}`);
    if (o.events?.length) lines.push(`  ${''.padEnd(16)}   events: ${o.events.join(', ')}`);
    if (o.hint && (o.result === 'failed' || o.status)) lines.push(`  ${''.padEnd(16)}   → ${o.hint}`);
  }
  for (const c of r.clusters) {
    if (!c.reachable && c.error) lines.push(`cluster ${c.name}${c.context && c.context !== c.name ? ` (context ${c.context})` : ''}: ${c.error}`);
  }
  const counts = Object.entries(r.summary)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  lines.push(`${r.clusters.length} cluster(s): ${counts.join(', ') || 'nothing to do'}${r.cancelled ? ' (cancelled)' : ''}`);
  return lines.join('\n') + '\n';
}

/** A KubeFed controller on the host (`--host-context`), else on any member cluster of the run. */
async function runningController(run: ClusterRun, hostContext: string | undefined, namespace: string | undefined, signal?: AbortSignal) {
  const own = hostContext ? new ClusterClient(hostContext, hostContext, run.kubeconfig.forContext(hostContext), run.kubeconfig.redactor, {}) : undefined;
  const candidates = own
    ? [{ cluster: hostContext!, context: hostContext!, client: own }]
    : run.clusters.flatMap((cluster) => {
        const c = run.connections.client(cluster);
        return 'error' in c ? [] : [{ cluster, context: run.connections.contextOf(cluster) ?? cluster, client: c }];
      });
  try {
    return await findRunningController(candidates, { namespace, signal });
  } finally {
    own?.close();
  }
}

export async function propagateCommand(p: Parsed, io: CliIO): Promise<CommandResult> {
  const dryRunFlag = flag(p, 'dry-run');
  const format = flag(p, 'output') ?? 'text';
  const concurrency = positiveInt(p, 'concurrency', 8);
  const run = await openClusterRun(p, io);
  let err = run.notes.map((n) => `warning: ${n}\n`).join('');
  const write = (s: string) => {
    if (io.stderr) io.stderr(s);
    else err += s;
  };
  if (io.stderr && err) {
    io.stderr(err);
    err = '';
  }
  const dryRun = dryRunFlag === 'server';
  try {
    const running = await runningController(run, flag(p, 'host-context'), flag(p, 'kubefed-namespace'), io.signal);
    if (running) {
      const what = `a KubeFed controller runs on ${running.cluster} (leader ${running.holder}, lock in ${running.namespace} renewed ${running.ago} s ago): it propagates what the host holds and would revert or contend with a direct propagate`;
      if (!p.flags.has('force') && !dryRun) {
        return { out: '', err: `${err}kfed propagate: ${what}. Apply the federated resources to the host instead (kfed apply … --host-context ${running.context}), or re-run with --force to write to the members anyway.\n`, exit: 1 };
      }
      write(`warning: ${what}\n`);
    }
    const report = await propagate({
      workspace: run.ws,
      connections: run.connections,
      clusters: run.clusters,
      dryRun,
      prune: p.flags.has('prune'),
      adopt: p.flags.has('adopt'),
      forceConflicts: p.flags.has('force-conflicts'),
      fieldManager: flag(p, 'field-manager'),
      concurrency,
      hostCluster: run.hostCluster,
      signal: io.signal,
      timeoutMs: timeoutMs(p),
      onProgress: (e) => {
        if (e.outcome) write(progressLine(e.outcome, e.done, e.total, dryRun));
      },
    });
    const out = format === 'json' ? toJson(report) : formatPropagate(report);
    return { out, err, exit: report.cancelled ? EXIT_CANCELLED : report.failed ? 1 : 0 };
  } finally {
    run.connections.close();
  }
}
