/**
 * KubeFed: Compare Across Clusters — what each member cluster holds against what the workspace
 * declares (server/cluster's `diffClusters()`: desired objects normalised by a server-side dry
 * run, server-owned and retained fields left out).
 *
 * Every cluster that differs gets a diff editor: left the desired objects, right the live ones
 * (read-only `kubefed-diff:` documents, one `---` document per object). A quick pick sums up every
 * cluster and object; choosing one opens its diff. The text report (as `kfed diff` prints it)
 * goes to the KubeFed output and the outcome to the Results view.
 */
import * as vscode from 'vscode';
import { cancellableProgress, type Progress } from '../progress.ts';
import { settings } from '../config.ts';
import { prepareRun, type PreparedRun, type Scope } from '../clusterOps.ts';
import type { ResultCluster, ResultRun } from '../resultsView.ts';
import type { DiffEntry, DiffReport } from '../clusterModule.ts';
import { cancelled, reportRunFailure, scopeOf, sourceRef, type ClusterCommandDeps } from './propagate.ts';
import { liveStatesOfCompare } from '../liveStates.ts';
import { requireTrust } from '../trust.ts';

/** Both texts of a unified diff made with unlimited context (every line of both sides). */
export function sidesOf(unified: string): { desired: string; live: string } {
  const desired: string[] = [];
  const live: string[] = [];
  for (const line of unified.split('\n')) {
    if (line.startsWith('--- ') || line.startsWith('+++ ') || line.startsWith('@@') || line.startsWith('\\')) continue;
    const t = line[0];
    const rest = line.slice(1);
    if (t === ' ') {
      desired.push(rest);
      live.push(rest);
    } else if (t === '-') desired.push(rest);
    else if (t === '+') live.push(rest);
  }
  return { desired: desired.join('\n') + '\n', live: live.join('\n') + '\n' };
}

const FULL_CONTEXT = 1_000_000;

export interface ClusterDiff {
  cluster: string;
  entries: DiffEntry[];
  left: vscode.Uri;
  right: vscode.Uri;
  title: string;
}

/** The desired and live documents of one cluster's differing objects. */
function clusterDiff(d: ClusterCommandDeps, runId: string, run: PreparedRun, cluster: string, entries: DiffEntry[]): ClusterDiff {
  const left: string[] = [];
  const right: string[] = [];
  for (const e of entries) {
    const what = run.m.describeRef(e.target);
    const head = `# ${what} (${e.resource.split('/')[0]}${e.source ? `, ${vscode.workspace.asRelativePath(vscode.Uri.parse(e.source.replace(/:\d+$/, '')))}` : ''})`;
    if (e.state === 'drifted' && e.diff) {
      const s = sidesOf(e.diff);
      left.push(`${head}\n${s.desired}`);
      right.push(`${head}\n${s.live}`);
    } else if (e.state === 'missing') {
      left.push(`${head}\n${e.desired ? run.m.toYaml(e.desired) : ''}`);
      right.push(`${head}\n# missing in ${cluster}: Propagate creates it\n`);
    } else if (e.state === 'unexpected') {
      left.push(`${head}\n# no longer placed on ${cluster}: Propagate deletes it\n`);
      right.push(`${head}\n# ${e.message ?? 'managed here'}\n`);
    }
  }
  const name = `${cluster}.yaml`;
  return {
    cluster,
    entries,
    left: d.diffs.put(runId, cluster, 'desired', name, left.join('---\n')),
    right: d.diffs.put(runId, cluster, 'live', name, right.join('---\n')),
    title: `${cluster}: desired ↔ live (${entries.length} object${entries.length === 1 ? '' : 's'})`,
  };
}

/** The report as `kfed diff` prints it, with the usual 3 lines of context. */
function textReport(run: PreparedRun, r: DiffReport): string {
  const entries = r.entries.map((e) => {
    if (!e.diff) return e;
    const s = sidesOf(e.diff);
    return { ...e, diff: run.m.unifiedDiff(s.desired, s.live, { from: `desired ${e.cluster}`, to: `live ${e.cluster}` }) };
  });
  return run.m.formatDiff({ ...r, entries });
}

const DIFFERS = new Set(['drifted', 'missing', 'unexpected']);

/** The Results view's run of a comparison: every entry per cluster, differing ones open their diff. */
function compareResultRun(title: string, r: PreparedRun, report: DiffReport, diffs: ClusterDiff[]): ResultRun {
  const clusters: ResultCluster[] = report.clusters.map((cluster) => {
    const mine = report.entries.filter((e) => e.cluster === cluster);
    const cd = diffs.find((x) => x.cluster === cluster);
    return {
      cluster,
      ok: mine.every((e) => e.state !== 'error'),
      items: mine.map((e) => ({
        label: r.m.describeRef(e.target),
        outcome: e.state,
        result: e.state,
        ok: e.state !== 'error',
        message: [e.status, e.message, e.state === 'error' ? e.hint : undefined].filter(Boolean).join(' — ') || undefined,
        source: sourceRef(e.source),
        command: cd && DIFFERS.has(e.state) ? { command: 'vscode.diff', title: 'Open diff', arguments: [cd.left, cd.right, cd.title] } : undefined,
      })),
    };
  });
  const when = new Date();
  return { kind: 'compare', title, when, cancelled: report.cancelled, clusters, live: liveStatesOfCompare(report, when.getTime()) };
}

/** The diff of a prepared run, explained by the host's objects and KubeFed's status when a host is set. */
async function compareIn(run: PreparedRun, s: ReturnType<typeof settings>, d: ClusterCommandDeps, progress: Progress, signal: AbortSignal): Promise<DiffReport> {
  let last = 0;
  const report = await run.m.diffClusters({
    workspace: run.ws,
    only: run.only,
    connections: run.connections,
    adopt: s.adopt,
    hostCluster: run.hostCluster,
    clusters: run.clusters,
    concurrency: s.concurrency,
    fieldManager: s.fieldManager,
    signal,
    context: FULL_CONTEXT,
    onProgress: (e) => {
      const pct = e.total ? (100 * e.done) / e.total : 0;
      progress.report({ increment: pct - last, message: `${e.done}/${e.total} ${e.cluster}` });
      last = pct;
    },
  });
  // With a KubeFed host: where each difference comes from (unapplied edits, KubeFed's failure, drift).
  if (s.hostCluster && !signal.aborted) {
    progress.report({ message: `what KubeFed holds in ${s.hostCluster}…` });
    await explainCompare(run, s.hostCluster, report, signal, s.requestTimeout * 1000).catch((e) => d.out.warn(`Compare: the host ${s.hostCluster} could not be read: ${(e as Error).message}`));
  }
  return report;
}

async function explainCompare(run: PreparedRun, host: string, report: DiffReport, signal: AbortSignal, timeoutMs: number): Promise<void> {
  const kc = run.connections.kubeconfig;
  if (!kc.hasContext(host)) throw new Error(`no context "${host}" in ${run.kubeconfig}`);
  const client = new run.m.ClusterClient(host, host, kc.forContext(host), kc.redactor, { timeoutMs });
  try {
    await run.m.explainWithHost(report, { workspace: run.ws, host: client, connections: run.connections, hostCluster: run.hostCluster, signal, timeoutMs });
  } finally {
    client.close();
  }
}

export async function runCompare(d: ClusterCommandDeps, scope: Scope, opts: { quickPick?: boolean } = {}): Promise<{ report: DiffReport; diffs: ClusterDiff[] } | undefined> {
  if (!requireTrust('Compare')) return undefined;
  const s = settings();
  d.status.show();
  let run: PreparedRun | undefined;
  try {
    const report = await cancellableProgress(
      `KubeFed: Compare ${scope.label} across clusters`,
      async (progress, signal) => {
        progress.report({ message: 'reading the workspace and the clusters…' });
        run = await prepareRun(scope, signal, s);
        for (const w of run.warnings) d.out.warn(w);
        if (!run.resources.length || !run.clusters.length) return undefined;
        return compareIn(run, s, d, progress, signal);
      },
    );
    if (!run) return undefined;
    const r = run;
    if (!r.resources.length) {
      void vscode.window.showInformationMessage(`KubeFed: no federated resource to compare in ${scope.label}.`);
      return undefined;
    }
    if (!r.clusters.length || !report) {
      const a = await vscode.window.showWarningMessage(`KubeFed: no member clusters to compare with (kubeconfig ${r.kubeconfig}).`, 'Select Clusters…');
      if (a) await vscode.commands.executeCommand('kubefed.selectClusters');
      return undefined;
    }
    const title = `Compare ${scope.label}`;
    d.out.info(`${title}\n${textReport(r, report)}`);

    // Diff editors, one per cluster that differs.
    const runId = d.diffs.nextRun();
    const diffs: ClusterDiff[] = [];
    for (const cluster of report.clusters) {
      const entries = report.entries.filter((e) => e.cluster === cluster && DIFFERS.has(e.state));
      if (entries.length) diffs.push(clusterDiff(d, runId, r, cluster, entries));
    }
    for (const cd of diffs) await d.diffs.open(cd.left, cd.right, cd.title, { preview: false, preserveFocus: false });

    d.results.add(compareResultRun(title, r, report, diffs), false);

    // Summary.
    const counts = Object.entries(report.summary)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    if (!report.differs) {
      void vscode.window.showInformationMessage(`KubeFed: ${scope.label} is in sync with ${report.clusters.length} cluster${report.clusters.length === 1 ? '' : 's'} (${counts || 'nothing placed'}).`);
    } else if (opts.quickPick !== false) {
      void showSummary(report, diffs, r);
    }
    return { report, diffs };
  } catch (err) {
    if (cancelled(err)) return undefined;
    return reportRunFailure(d, 'Compare', scope, err);
  } finally {
    run?.close();
  }
}

/** A quick pick: every cluster with its counts, then its objects; choosing one opens its diff. */
async function showSummary(report: DiffReport, diffs: ClusterDiff[], run: PreparedRun): Promise<void> {
  type Item = vscode.QuickPickItem & { diff?: ClusterDiff; source?: string };
  const items: Item[] = [];
  const icon: Record<string, string> = { 'in-sync': '$(pass)', drifted: '$(diff)', missing: '$(question)', unexpected: '$(warning)', error: '$(error)' };
  for (const cluster of report.clusters) {
    const mine = report.entries.filter((e) => e.cluster === cluster);
    const cd = diffs.find((x) => x.cluster === cluster);
    const counts = new Map<string, number>();
    for (const e of mine) counts.set(e.state, (counts.get(e.state) ?? 0) + 1);
    items.push({ label: cluster, kind: vscode.QuickPickItemKind.Separator });
    items.push({
      label: `${cd ? '$(diff)' : mine.some((e) => e.state === 'error') ? '$(error)' : '$(pass)'} ${cluster}`,
      description: [...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing placed',
      detail: cd ? 'open the diff: desired ↔ live' : undefined,
      diff: cd,
    });
    for (const e of mine.filter((x) => x.state !== 'in-sync')) {
      const fields = e.changes?.map((c) => c.path).slice(0, 6).join(', ');
      items.push({
        label: `    ${icon[e.state] ?? ''} ${run.m.describeRef(e.target)}`,
        description: e.state,
        detail: [e.state === 'drifted' ? `changed: ${fields}` : e.state === 'error' ? `${e.status ?? ''} ${e.message ?? ''}`.trim() : e.message, e.kubefed?.cause ? `KubeFed: ${run.m.CAUSE_TEXT[e.kubefed.cause]}` : undefined].filter(Boolean).join(' — '),
        diff: cd,
      });
    }
  }
  const counts = Object.entries(report.summary)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const picked = await vscode.window.showQuickPick(items, {
    title: `KubeFed: compared with ${report.clusters.length} clusters — ${counts}`,
    placeHolder: 'Choose a cluster or an object to open its diff',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked?.diff) await vscode.commands.executeCommand('vscode.diff', picked.diff.left, picked.diff.right, picked.diff.title, { preview: false });
}

/** Compare's diff of one cluster for the file of a resource (the placement view's "open diff"). */
export async function openClusterDiff(d: ClusterCommandDeps, uri: string, cluster: string): Promise<void> {
  const label = vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
  const r = await runCompare(d, { kind: 'files', label, uris: [uri] }, { quickPick: false });
  if (!r) return;
  const cd = r.diffs.find((x) => x.cluster === cluster);
  if (cd) await d.diffs.open(cd.left, cd.right, cd.title);
  else if (!r.report.cancelled) void vscode.window.showInformationMessage(`KubeFed: ${label} is in sync with ${cluster}.`);
}

export function registerCompareCommand(d: ClusterCommandDeps): vscode.Disposable {
  return vscode.commands.registerCommand('kubefed.compare', (arg?: unknown, all?: unknown) => runCompare(d, scopeOf(arg, all)));
}
