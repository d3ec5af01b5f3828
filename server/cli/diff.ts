/** kfed diff: how each member cluster differs from what is desired, or two clusters from each other. */
import type { Parsed } from './args.ts';
import { flag, flags, UsageError } from './args.ts';
import { toJson } from './output.ts';
import { diffBetween, diffClusters, type BetweenReport, type DiffReport } from '../cluster/diff.ts';
import { describeRef } from '../cluster/desired.ts';
import { EXIT_CANCELLED, openClusterRun, positiveInt, timeoutMs, type CliIO, type CommandResult } from './propagate.ts';
import { CAUSE_TEXT } from '../engine/hostStatus.ts';
import { ClusterClient } from '../cluster/client.ts';
import { explainWithHost } from '../cluster/diffHost.ts';

const STATE_WORDS: Record<string, string> = {
  'in-sync': 'in sync',
  drifted: 'drifted',
  missing: 'missing',
  unexpected: 'unexpected (managed there but no longer placed)',
  error: 'error',
};

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .filter((l, i, all) => l !== '' || i < all.length - 1)
    .map((l) => by + l)
    .join('\n');
}

function short(v: unknown): string {
  const s = JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

export function formatDiff(r: DiffReport): string {
  const lines: string[] = [];
  let current = '';
  for (const e of r.entries) {
    const head = `${e.resource.split('/')[0]} ${e.resource.split('/').slice(1).filter(Boolean).join('/')}${e.source ? ` (${e.source})` : ''}`;
    if (head !== current) {
      lines.push(head);
      current = head;
    }
    const extra = e.state === 'error' ? `  ${[e.status, e.reason].filter(Boolean).join(' ')}: ${e.message ?? ''}` : e.message && e.state !== 'unexpected' ? `  (${e.message})` : '';
    lines.push(`  ${e.cluster.padEnd(16)} ${STATE_WORDS[e.state]}${extra}`);
    if (e.state === 'missing') lines.push(`  ${''.padEnd(16)}   ${describeRef(e.target)} does not exist there (propagate creates it)`);
    if (e.diff) lines.push(indent(e.diff, '      '));
    if (e.retained?.length) {
      lines.push(`  ${''.padEnd(16)}   retained from the cluster (not drift): ${e.retained.map((c) => `${c.path}=${short(c.live)}`).join(', ')}`);
    }
    if (e.hint && e.state === 'error') lines.push(`  ${''.padEnd(16)}   → ${e.hint}`);
    if (e.kubefed?.cause) lines.push(`  ${''.padEnd(16)}   → KubeFed: ${CAUSE_TEXT[e.kubefed.cause]}${e.kubefed.cause === 'kubefed-failed' && e.kubefed.status ? ` (${e.kubefed.status})` : ''}`);
  }
  const counts = Object.entries(r.summary)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${STATE_WORDS[k]!.split(' (')[0]}`);
  lines.push(`${r.clusters.length} cluster(s): ${counts.join(', ') || 'nothing placed'}${r.cancelled ? ' (cancelled)' : ''}`);
  return lines.join('\n') + '\n';
}

export function formatBetween(r: BetweenReport): string {
  const lines: string[] = [];
  const word: Record<string, string> = { same: 'same', different: 'different', 'only-in-a': `only in ${r.a}`, 'only-in-b': `only in ${r.b}`, error: 'error' };
  for (const e of r.entries) {
    lines.push(`${describeRef(e.target)} (${e.resource}${e.source ? `, ${e.source}` : ''}): ${word[e.state]}`);
    if (e.diff) lines.push(indent(e.diff, '    '));
    const ov = e.changes?.filter((c) => c.override).map((c) => c.path) ?? [];
    if (ov.length) lines.push(`    set by overrides: ${ov.join(', ')}`);
    if (e.ignored?.length) lines.push(`    allocated by each cluster (not compared): ${e.ignored.join(', ')}`);
    for (const x of e.errors ?? []) lines.push(`    ${x.cluster}: ${x.status}${x.reason ? ` (${x.reason})` : ''}: ${x.message}`);
  }
  const counts = Object.entries(r.summary)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${word[k]}`);
  lines.push(`${r.a} vs ${r.b}: ${counts.join(', ') || 'no object in either cluster'}`);
  return lines.join('\n') + '\n';
}

export async function diffCommand(p: Parsed, io: CliIO): Promise<CommandResult> {
  const format = flag(p, 'output') ?? 'text';
  const concurrency = positiveInt(p, 'concurrency', 8);
  const exitCode = p.flags.has('exit-code');
  let between = flags(p, 'between').flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  if (between.length === 1) {
    // `--between cluster1 cluster2 files…`: the second cluster is the first positional.
    const second = p.positionals.shift();
    if (!second) throw new UsageError('--between needs two clusters: --between CLUSTER_A CLUSTER_B <files…>');
    between = [between[0]!, second];
  }
  if (p.flags.has('between') && between.length !== 2) throw new UsageError('--between needs exactly two clusters');
  if (between.length === 2 && between[0] === between[1]) throw new UsageError('--between needs two different clusters');
  if (between.length === 2 && flags(p, 'cluster').length) throw new UsageError('--between and --cluster cannot be combined');
  const run = await openClusterRun(p, io, between);
  const err = run.notes.map((n) => `warning: ${n}\n`).join('');
  try {
    if (between.length === 2) {
      const r = await diffBetween({
        workspace: run.ws,
        connections: run.connections,
        a: between[0]!,
        b: between[1]!,
        concurrency,
        signal: io.signal,
        timeoutMs: timeoutMs(p),
      });
      const out = format === 'json' ? toJson(r) : formatBetween(r);
      const failed = r.entries.some((e) => e.state === 'error');
      return { out, err, exit: io.signal?.aborted ? EXIT_CANCELLED : failed || (exitCode && r.differs) ? 1 : 0 };
    }
    const r = await diffClusters({
      fieldManager: flag(p, 'field-manager'),
      workspace: run.ws,
      connections: run.connections,
      adopt: p.flags.has('adopt'),
      hostCluster: run.hostCluster,
      clusters: run.clusters,
      concurrency,
      signal: io.signal,
      timeoutMs: timeoutMs(p),
    });
    if (p.flags.has('kubefed')) {
      const hostContext = flag(p, 'host-context');
      if (!hostContext) throw new UsageError('--kubefed needs --host-context CONTEXT (the KubeFed host)');
      const client = new ClusterClient(hostContext, hostContext, run.kubeconfig.forContext(hostContext), run.kubeconfig.redactor, { timeoutMs: timeoutMs(p) });
      try {
        await explainWithHost(r, { workspace: run.ws, host: client, connections: run.connections, hostCluster: run.hostCluster, concurrency, signal: io.signal, timeoutMs: timeoutMs(p) });
      } finally {
        client.close();
      }
    }
    const out = format === 'json' ? toJson(r) : formatDiff(r);
    const failed = r.entries.some((e) => e.state === 'error');
    return { out, err, exit: r.cancelled ? EXIT_CANCELLED : failed || (exitCode && r.differs) ? 1 : 0 };
  } finally {
    run.connections.close();
  }
}
