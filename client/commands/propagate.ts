/**
 * KubeFed: Propagate (the file, the selection or the workspace) and KubeFed: Propagate Workspace.
 *
 * 1. A server-side dry run (nothing changes) tells what would change in each member cluster; a
 *    modal confirmation lists it, with "Propagate" and "Dry Run Only".
 * 2. The run itself, in a progress notification with a Cancel button (an AbortSignal).
 * 3. The outcome per cluster and object: the KubeFed output (same text as `kfed propagate`), the
 *    Results view and a summary notification.
 * The cluster work is server/cluster's `propagate()`; this file is only the editor's side of it.
 */
import * as vscode from 'vscode';
import { cancellableProgress } from '../progress.ts';
import { settings, type KubefedSettings } from '../config.ts';
import { prepareRun, type PreparedRun, type Scope } from '../clusterOps.ts';
import type { DiffDocuments } from '../diffCommand.ts';
import type { KubefedClient } from '../languageClient.ts';
import { errorText, type Output } from '../outputChannel.ts';
import { countOutcomes, type ResultCluster, type ResultItem, type ResultRun, type ResultsView } from '../resultsView.ts';
import type { StatusBar } from '../statusBar.ts';
import type { Outcome, PropagateReport } from '../clusterModule.ts';
import { yamlEditor } from './pick.ts';

export interface ClusterCommandDeps {
  client: KubefedClient;
  out: Output;
  results: ResultsView;
  status: StatusBar;
  diffs: DiffDocuments;
}

const WOULD: Record<string, string> = {
  created: 'create',
  updated: 'update',
  adopted: 'adopt',
  deleted: 'delete',
  orphaned: 'orphan',
  pruned: 'prune',
  failed: 'would fail',
  skipped: 'skip',
  unchanged: 'unchanged',
  cancelled: 'cancelled',
};

/** The scope of a command invocation: explorer selection, editor selection, file, or workspace. */
export function scopeOf(arg: unknown, all: unknown): Scope {
  const uris = Array.isArray(all) ? all.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
  if (uris.length > 1) return { kind: 'files', label: `${uris.length} selected items`, uris: uris.map((u) => u.toString()) };
  const editor = yamlEditor();
  const target = arg instanceof vscode.Uri ? arg : uris[0] ?? editor?.document.uri;
  if (!target) return { kind: 'workspace', label: 'the workspace', uris: [] };
  const rel = vscode.workspace.asRelativePath(target);
  if (editor && editor.document.uri.toString() === target.toString()) {
    const sel = editor.selections.filter((s) => !s.isEmpty);
    if (sel.length) {
      return { kind: 'selection', label: `the selection in ${rel}`, uris: [target.toString()], lines: sel.map((s) => [s.start.line, s.end.line] as [number, number]) };
    }
  }
  return { kind: 'files', label: rel, uris: [target.toString()] };
}

const WORKSPACE: Scope = { kind: 'workspace', label: 'the workspace', uris: [] };

export function cancelled(err: unknown): boolean {
  return err instanceof Error && (err.name === 'CancelledError' || /cancel/i.test(err.message));
}

/** A failed Propagate/Compare run: logged, and a message that offers the next step. */
export async function reportRunFailure(d: ClusterCommandDeps, verb: 'Propagate' | 'Compare', scope: Scope, err: unknown): Promise<undefined> {
  d.out.error(`${verb} ${scope.label} failed`, err);
  const a = await vscode.window.showErrorMessage(`KubeFed: ${verb} failed: ${errorText(err)}`, 'Check Clusters', 'Show Output');
  if (a === 'Check Clusters') await vscode.commands.executeCommand('kubefed.checkClusters');
  if (a === 'Show Output') d.out.show(false);
  return undefined;
}

/** Source `uri:line` of an outcome, as a result item's source. */
export function sourceRef(source: string | undefined): ResultItem['source'] {
  if (!source) return undefined;
  const m = /^(.*):(\d+)$/.exec(source);
  if (!m) return { uri: source };
  const line = Math.max(0, Number(m[2]) - 1);
  return { uri: m[1], range: { start: { line, character: 0 }, end: { line, character: 0 } } };
}

/** The Results view's run for a report. */
export function resultRun(title: string, run: PreparedRun, report: PropagateReport): ResultRun {
  const clusters: ResultCluster[] = report.clusters.map((c) => {
    const items: ResultItem[] = report.outcomes
      .filter((o) => o.cluster === c.name)
      .map((o) => ({
        label: run.m.describeRef(o.target),
        resource: o.action === 'prune' ? undefined : o.resource,
        outcome: report.dryRun ? `${WOULD[o.result] ?? o.result}` : o.result,
        ok: o.result !== 'failed' && o.result !== 'cancelled',
        message: [o.status, o.message, o.result === 'failed' || o.status ? o.hint : undefined].filter(Boolean).join(' — ') || undefined,
        source: sourceRef(o.source),
      }));
    return { cluster: c.name, context: c.context, ok: c.reachable && items.every((i) => i.ok), error: c.reachable ? undefined : c.error, items };
  });
  return { kind: 'propagate', title, when: new Date(), dryRun: report.dryRun, cancelled: report.cancelled, clusters };
}

/** What a dry run says will change, per cluster (for the confirmation). */
export function planText(report: PropagateReport, describe: (o: Outcome) => string): { changes: number; lines: string[] } {
  let changes = 0;
  const lines: string[] = [];
  for (const c of report.clusters) {
    const mine = report.outcomes.filter((o) => o.cluster === c.name);
    if (!c.reachable) {
      lines.push(`${c.name}: not reachable — ${c.error ?? 'no answer'}`);
      continue;
    }
    const acts = mine.filter((o) => o.result !== 'unchanged' && o.result !== 'skipped');
    changes += acts.length;
    const unchanged = mine.length - acts.length;
    const parts = acts.map((o) => {
      const why = o.reason === 'Conflict' && o.conflicts?.length ? `: ${o.conflicts.map((x) => `${x.field} changed by ${x.manager}`).join(', ')}` : '';
      return `${WOULD[o.result] ?? o.result} ${describe(o)}${o.result === 'failed' && o.status ? ` (${o.status}${why})` : ''}`;
    });
    if (unchanged) parts.push(`${unchanged} unchanged`);
    lines.push(`${c.name}: ${parts.join('; ') || 'nothing to do'}`);
  }
  return { changes, lines };
}

/** Outcomes that fail only because another field manager changed fields (an out-of-band edit). */
export function conflictsOf(report: PropagateReport): Outcome[] {
  return report.outcomes.filter((o) => o.result === 'failed' && o.reason === 'Conflict');
}

interface RunOptions {
  /** Skip the confirmation and apply (tests, or kubefed.confirmPropagate=false). */
  confirm?: boolean;
  /** Only the dry run. */
  dryRun?: boolean;
}

type PropagateOptions = Parameters<PreparedRun['m']['propagate']>[0];

/** What the dry run and the run share: the workspace view, clusters and settings. */
function propagateOptions(run: PreparedRun, s: KubefedSettings, prune: boolean, signal: AbortSignal): Omit<PropagateOptions, 'dryRun'> {
  return {
    workspace: run.view,
    connections: run.connections,
    clusters: run.clusters,
    prune,
    adopt: s.adopt,
    concurrency: s.concurrency,
    fieldManager: s.fieldManager,
    hostCluster: run.hostCluster,
    signal,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export async function runPropagate(d: ClusterCommandDeps, scope: Scope, opts: RunOptions = {}): Promise<PropagateReport | undefined> {
  const s = settings();
  const confirm = opts.confirm ?? s.confirmPropagate;
  const prune = s.prune && scope.kind === 'workspace';
  d.status.show();
  const held: { run?: PreparedRun } = {};
  try {
    // 1. Read the workspace, reach the clusters and (unless told otherwise) plan with a dry run.
    const planned = await prepareAndPlan(d, scope, s, prune, confirm || !!opts.dryRun, held);
    const run = held.run;
    if (!run || !(await hasWork(scope, run))) return undefined;
    const title = `Propagate ${scope.label}`;
    let forceConflicts = false;
    if (planned) {
      const decision = await confirmPlan(d, scope, run, planned, { prune, adopt: s.adopt, dryRunOnly: !!opts.dryRun });
      if (!decision.proceed) return decision.result;
      forceConflicts = decision.forceConflicts;
    }
    // 2. The run.
    const report = await propagateNow(scope, run, s, prune, forceConflicts);
    // 3. Results.
    showOutcome(d, scope, title, run, report);
    return report;
  } catch (err) {
    if (cancelled(err)) {
      d.out.info(`Propagate ${scope.label}: cancelled`);
      return undefined;
    }
    return reportRunFailure(d, 'Propagate', scope, err);
  } finally {
    held.run?.close();
  }
}

/**
 * Prepares the run (kept in `held`, to be closed by the caller even when this throws) and, when
 * `withDryRun`, returns the dry run's report.
 */
async function prepareAndPlan(d: ClusterCommandDeps, scope: Scope, s: KubefedSettings, prune: boolean, withDryRun: boolean, held: { run?: PreparedRun }): Promise<PropagateReport | undefined> {
  return cancellableProgress(`KubeFed: Propagate ${scope.label}`, async (progress, signal) => {
    progress.report({ message: 'reading the workspace and the clusters…' });
    const run = (held.run = await prepareRun(scope, signal, s));
    for (const w of run.warnings) d.out.warn(w);
    if (!run.resources.length || !run.clusters.length || signal.aborted || !withDryRun) return undefined;
    progress.report({ message: 'dry run: what would change…' });
    return run.m.propagate({
      ...propagateOptions(run, s, prune, signal),
      dryRun: true,
      onProgress: (e) => progress.report({ message: `dry run ${e.done}/${e.total}: ${e.cluster}` }),
    });
  });
}

/** False (and the user is told) when there is no federated resource or no member cluster. */
async function hasWork(scope: Scope, run: PreparedRun): Promise<boolean> {
  if (!run.resources.length) {
    void vscode.window.showInformationMessage(`KubeFed: no federated resource to propagate in ${scope.label}.`);
    return false;
  }
  if (!run.clusters.length) {
    const a = await vscode.window.showWarningMessage(`KubeFed: no member clusters to propagate to (kubeconfig ${run.kubeconfig}).`, 'Select Clusters…');
    if (a) await vscode.commands.executeCommand('kubefed.selectClusters');
    return false;
  }
  return true;
}

type Decision = { proceed: true; forceConflicts: boolean } | { proceed: false; result: PropagateReport | undefined };

/** The dry run's plan: logged, then shown in a modal confirmation (or only recorded, for a dry run). */
async function confirmPlan(
  d: ClusterCommandDeps,
  scope: Scope,
  run: PreparedRun,
  planned: PropagateReport,
  o: { prune: boolean; adopt: boolean; dryRunOnly: boolean },
): Promise<Decision> {
  const title = `Propagate ${scope.label}`;
  if (planned.cancelled) {
    d.out.info(`${title}: cancelled during the dry run`);
    return { proceed: false, result: planned };
  }
  const plan = planText(planned, (x: Outcome) => run.m.describeRef(x.target));
  d.out.info(`${title}: dry run\n${run.m.formatPropagate(planned)}`);
  if (o.dryRunOnly) {
    d.results.add(resultRun(title, run, planned));
    return { proceed: false, result: planned };
  }
  const clusters = plural(run.clusters.length, 'cluster');
  const message = plan.changes
    ? `Propagate ${plural(run.resources.length, 'federated resource')} from ${scope.label} to ${clusters}?`
    : `Nothing to change: ${scope.label} is already propagated to ${clusters}. Propagate anyway?`;
  const detail = [...plan.lines, '', `${o.prune ? 'Prune is on (kubefed.prune). ' : ''}${o.adopt ? 'Adopt is on (kubefed.adopt). ' : ''}Unsaved editor changes are included.`].join('\n');
  // Fields changed in a cluster by someone else make server-side apply refuse; KubeFed itself
  // would overwrite them. Offer that explicitly.
  const conflicts = conflictsOf(planned);
  const OVERWRITE = 'Propagate, Overwriting Their Changes';
  const buttons = conflicts.length ? [OVERWRITE, 'Propagate', 'Dry Run Only'] : ['Propagate', 'Dry Run Only'];
  const conflictNote = conflicts.length
    ? `\n${conflicts.length} object${conflicts.length === 1 ? ' was' : 's were'} changed in the cluster by another field manager: "${OVERWRITE}" takes those fields back; "Propagate" leaves them and reports a conflict.`
    : '';
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail: detail + conflictNote }, ...buttons);
  if (choice === 'Propagate' || choice === OVERWRITE) return { proceed: true, forceConflicts: choice === OVERWRITE };
  if (choice === 'Dry Run Only') {
    d.results.add(resultRun(title, run, planned));
    void vscode.window.showInformationMessage(`KubeFed: dry run of ${scope.label}: ${plural(plan.changes, 'change')}; nothing was changed.`);
    return { proceed: false, result: planned };
  }
  d.out.info(`${title}: not confirmed`);
  return { proceed: false, result: undefined };
}

/** The run itself, in a progress notification with a Cancel button. */
async function propagateNow(scope: Scope, run: PreparedRun, s: KubefedSettings, prune: boolean, forceConflicts: boolean): Promise<PropagateReport> {
  return cancellableProgress(`KubeFed: Propagating ${scope.label}`, async (progress, signal) => {
    let last = 0;
    return run.m.propagate({
      ...propagateOptions(run, s, prune, signal),
      dryRun: false,
      forceConflicts,
      onProgress: (e) => {
        const pct = e.total ? (100 * e.done) / e.total : 0;
        const o = e.outcome;
        progress.report({ increment: pct - last, message: `${e.done}/${e.total}${o ? ` ${o.cluster}: ${run.m.describeRef(o.target)} ${o.result}` : ''}` });
        last = pct;
      },
    });
  });
}

/** The outcome: the KubeFed output, the Results view and a summary notification. */
function showOutcome(d: ClusterCommandDeps, scope: Scope, title: string, run: PreparedRun, report: PropagateReport): void {
  d.out.info(`${title}\n${run.m.formatPropagate(report)}`);
  const resultsRun = resultRun(title, run, report);
  d.results.add(resultsRun);
  const all = resultsRun.clusters.flatMap((c) => c.items);
  const summary = `${plural(report.clusters.length, 'cluster')}: ${countOutcomes(all)}`;
  const failedClusters = resultsRun.clusters.filter((c) => !c.ok).map((c) => c.cluster);
  if (report.cancelled) void vscode.window.showWarningMessage(`KubeFed: propagation of ${scope.label} cancelled — ${summary}`, 'Show Results').then((a) => a && d.out.show(false));
  else if (failedClusters.length) {
    void vscode.window.showErrorMessage(`KubeFed: ${scope.label} propagated with failures in ${failedClusters.join(', ')} — ${summary}`, 'Show Results').then((a) => a && d.out.show(false));
  } else void vscode.window.showInformationMessage(`KubeFed: propagated ${scope.label} — ${summary}`);
  d.status.refresh(0);
}

export function registerPropagateCommands(d: ClusterCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kubefed.propagate', (arg?: unknown, all?: unknown) => runPropagate(d, scopeOf(arg, all))),
    vscode.commands.registerCommand('kubefed.propagateWorkspace', () => runPropagate(d, WORKSPACE)),
  ];
}
