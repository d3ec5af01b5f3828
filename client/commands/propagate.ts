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
import { settings } from '../config.ts';
import { prepareRun, type PreparedRun, type Scope } from '../clusterOps.ts';
import type { DiffDocuments } from '../diffCommand.ts';
import type { KubefedClient } from '../languageClient.ts';
import { errorText, type Output } from '../outputChannel.ts';
import { countOutcomes, type ResultCluster, type ResultItem, type ResultRun, type ResultsView } from '../resultsView.ts';
import type { StatusBar } from '../statusBar.ts';
import type { Outcome, PropagateReport } from '../clusterModule.ts';
import type { RunningController } from '../../server/cluster/hostRead.ts';
import { yamlEditor } from './pick.ts';
import { liveStatesOfPropagate, outcomeWords } from '../liveStates.ts';
import { requireTrust } from '../trust.ts';

export interface ClusterCommandDeps {
  client: KubefedClient;
  out: Output;
  results: ResultsView;
  status: StatusBar;
  diffs: DiffDocuments;
}

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
export async function reportRunFailure(d: ClusterCommandDeps, verb: 'Propagate' | 'Compare' | 'Apply to Host', scope: Scope, err: unknown): Promise<undefined> {
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

/** The Results view's run for a report (with the live states the placement view shows). */
export function resultRun(title: string, run: PreparedRun, report: PropagateReport): ResultRun {
  const when = new Date();
  const clusters: ResultCluster[] = report.clusters.map((c) => {
    const items: ResultItem[] = report.outcomes
      .filter((o) => o.cluster === c.name)
      .map((o) => ({
        label: run.m.describeRef(o.target),
        outcome: outcomeWords(o.result, report.dryRun),
        result: o.result,
        ok: o.result !== 'failed' && o.result !== 'cancelled',
        message: [o.status, o.message, o.result === 'failed' || o.status ? o.hint : undefined].filter(Boolean).join(' — ') || undefined,
        source: sourceRef(o.source),
      }));
    return { cluster: c.name, context: c.context, ok: c.reachable && items.every((i) => i.ok), error: c.reachable ? undefined : c.error, items };
  });
  return { kind: 'propagate', title, when, dryRun: report.dryRun, cancelled: report.cancelled, clusters, live: liveStatesOfPropagate(report, when.getTime()) };
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
      return `${outcomeWords(o.result, true)} ${describe(o)}${o.result === 'failed' && o.status ? ` (${o.status}${why})` : ''}`;
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

type Settings = ReturnType<typeof settings>;

/** The propagate options a run's settings give (the dry run and the run differ only in dryRun/force). */
function propagateOptions(r: PreparedRun, s: Settings, prune: boolean) {
  return {
    workspace: r.ws,
    only: r.only,
    connections: r.connections,
    clusters: r.clusters,
    prune,
    adopt: s.adopt,
    concurrency: s.concurrency,
    fieldManager: s.fieldManager,
    hostCluster: r.hostCluster,
  };
}

/** Step 1: read the workspace, reach the clusters and (unless told otherwise) plan with a dry run. */
async function readAndPlan(
  scope: Scope,
  s: Settings,
  prune: boolean,
  withDryRun: boolean,
  d: ClusterCommandDeps,
  keep: (r: PreparedRun) => void,
  foundController: (c: RunningController) => void,
): Promise<PropagateReport | undefined> {
  return cancellableProgress(`KubeFed: Propagate ${scope.label}`, async (progress, signal) => {
    progress.report({ message: 'reading the workspace and the clusters…' });
    const run = await prepareRun(scope, signal, s);
    keep(run);
    for (const w of run.warnings) d.out.warn(w);
    if (!run.resources.length || !run.clusters.length || signal.aborted) return undefined;
    progress.report({ message: 'is a KubeFed controller running?' });
    const candidates = run.clusters.flatMap((cluster) => {
      const c = run.connections.client(cluster);
      return 'error' in c ? [] : [{ cluster, context: run.connections.contextOf(cluster) ?? cluster, client: c }];
    });
    const running = await run.m.findRunningController(candidates, { signal });
    if (running) foundController(running);
    if (!withDryRun) return undefined;
    progress.report({ message: 'dry run: what would change…' });
    return run.m.propagate({
      ...propagateOptions(run, s, prune),
      dryRun: true,
      signal,
      onProgress: (e) => progress.report({ message: `dry run ${e.done}/${e.total}: ${e.cluster}` }),
    });
  });
}

type Choice = 'propagate' | 'overwrite' | 'dry-run' | undefined;

/** The modal confirmation with the dry run's changes; offers overwriting other managers' fields when there are conflicts. */
async function confirmPlan(run: PreparedRun, scope: Scope, planned: PropagateReport, s: Settings, prune: boolean): Promise<{ choice: Choice; changes: number }> {
  const plan = planText(planned, (o: Outcome) => run.m.describeRef(o.target));
  const n = run.resources.length;
  const clusters = `${run.clusters.length} cluster${run.clusters.length === 1 ? '' : 's'}`;
  const message = plan.changes
    ? `Propagate ${n} federated resource${n === 1 ? '' : 's'} from ${scope.label} to ${clusters}?`
    : `Nothing to change: ${scope.label} is already propagated to ${clusters}. Propagate anyway?`;
  const detail = [...plan.lines, '', `${prune ? 'Prune is on (kubefed.prune). ' : ''}${s.adopt ? 'Adopt is on (kubefed.adopt). ' : ''}Unsaved editor changes are included.`].join('\n');
  // Fields changed in a cluster by someone else make server-side apply refuse; KubeFed itself
  // would overwrite them. Offer that explicitly.
  const conflicts = conflictsOf(planned);
  const OVERWRITE = 'Propagate, Overwriting Their Changes';
  const buttons = conflicts.length ? [OVERWRITE, 'Propagate', 'Dry Run Only'] : ['Propagate', 'Dry Run Only'];
  const conflictNote = conflicts.length
    ? `\n${conflicts.length} object${conflicts.length === 1 ? ' was' : 's were'} changed in the cluster by another field manager: "${OVERWRITE}" takes those fields back; "Propagate" leaves them and reports a conflict.`
    : '';
  const picked = await vscode.window.showWarningMessage(message, { modal: true, detail: detail + conflictNote }, ...buttons);
  const choice: Choice = picked === OVERWRITE ? 'overwrite' : picked === 'Propagate' ? 'propagate' : picked === 'Dry Run Only' ? 'dry-run' : undefined;
  return { choice, changes: plan.changes };
}

/** Step 2: the run itself, with progress per outcome. */
async function execute(r: PreparedRun, scope: Scope, s: Settings, prune: boolean, forceConflicts: boolean): Promise<PropagateReport> {
  return cancellableProgress(`KubeFed: Propagating ${scope.label}`, async (progress, signal) => {
    let last = 0;
    return r.m.propagate({
      ...propagateOptions(r, s, prune),
      dryRun: false,
      forceConflicts,
      signal,
      onProgress: (e) => {
        const pct = e.total ? (100 * e.done) / e.total : 0;
        const o = e.outcome;
        progress.report({ increment: pct - last, message: `${e.done}/${e.total}${o ? ` ${o.cluster}: ${r.m.describeRef(o.target)} ${o.result}` : ''}` });
        last = pct;
      },
    });
  });
}

/** Step 3: the Output channel, the Results view and one message saying how it went. */
function showResults(d: ClusterCommandDeps, r: PreparedRun, scope: Scope, title: string, report: PropagateReport): void {
  d.out.info(`${title}\n${r.m.formatPropagate(report)}`);
  const resultsRun = resultRun(title, r, report);
  d.results.add(resultsRun);
  const all = resultsRun.clusters.flatMap((c) => c.items);
  const summary = `${report.clusters.length} cluster${report.clusters.length === 1 ? '' : 's'}: ${countOutcomes(all)}`;
  const failedClusters = resultsRun.clusters.filter((c) => !c.ok).map((c) => c.cluster);
  if (report.cancelled) void vscode.window.showWarningMessage(`KubeFed: propagation of ${scope.label} cancelled — ${summary}`, 'Show Results').then((a) => a && d.out.show(false));
  else if (failedClusters.length) {
    void vscode.window.showErrorMessage(`KubeFed: ${scope.label} propagated with failures in ${failedClusters.join(', ')} — ${summary}`, 'Show Results').then((a) => a && d.out.show(false));
  } else void vscode.window.showInformationMessage(`KubeFed: propagated ${scope.label} — ${summary}`);
}

/** Whether the run can go on; says why not. */
async function hasWork(run: PreparedRun, scope: Scope): Promise<boolean> {
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

export async function runPropagate(d: ClusterCommandDeps, scope: Scope, opts: RunOptions = {}): Promise<PropagateReport | undefined> {
  if (!requireTrust('Propagate')) return undefined;
  const s = settings();
  const confirm = opts.confirm ?? s.confirmPropagate;
  const prune = s.prune && scope.kind === 'workspace';
  let forceConflicts = false;
  d.status.show();
  let run: PreparedRun | undefined;
  try {
    let controller: RunningController | undefined;
    const planned = await readAndPlan(scope, s, prune, confirm || !!opts.dryRun, d, (r) => (run = r), (c) => (controller = c));
    if (!run || !(await hasWork(run, scope))) return undefined;
    if (controller && !opts.dryRun) {
      // Two writers on every object: KubeFed would revert or contend with a direct propagate.
      const c: RunningController = controller;
      const picked = await vscode.window.showWarningMessage(
        `A KubeFed controller runs on ${c.cluster}: it propagates what the host holds, and would revert or contend with a direct Propagate.`,
        { modal: true, detail: `Leader ${c.holder}, lock in ${c.namespace} renewed ${c.ago} s ago. Apply to Host sends the federated resources to the host, for KubeFed to propagate.` },
        'Apply to Host Instead',
        'Propagate Anyway',
      );
      if (picked === 'Apply to Host Instead') {
        const uris = scope.uris.map((u) => vscode.Uri.parse(u));
        await vscode.commands.executeCommand(scope.kind === 'workspace' ? 'kubefed.applyWorkspaceToHost' : 'kubefed.applyToHost', uris[0], uris);
        return undefined;
      }
      if (picked !== 'Propagate Anyway') return undefined;
      d.out.warn(`Propagate ${scope.label}: propagating next to the KubeFed controller on ${c.cluster}, as asked`);
    }
    const title = `Propagate ${scope.label}`;
    if (planned) {
      if (planned.cancelled) {
        d.out.info(`${title}: cancelled during the dry run`);
        return planned;
      }
      d.out.info(`${title}: dry run\n${run.m.formatPropagate(planned)}`);
      if (opts.dryRun) {
        d.results.add(resultRun(title, run, planned));
        return planned;
      }
      const { choice, changes } = await confirmPlan(run, scope, planned, s, prune);
      if (choice === 'dry-run') {
        d.results.add(resultRun(title, run, planned));
        void vscode.window.showInformationMessage(`KubeFed: dry run of ${scope.label}: ${changes} change${changes === 1 ? '' : 's'}; nothing was changed.`);
        return planned;
      }
      if (!choice) {
        d.out.info(`${title}: not confirmed`);
        return undefined;
      }
      forceConflicts = choice === 'overwrite';
    }
    const report = await execute(run, scope, s, prune, forceConflicts);
    showResults(d, run, scope, title, report);
    d.status.refresh(0);
    return report;
  } catch (err) {
    if (cancelled(err)) {
      d.out.info(`Propagate ${scope.label}: cancelled`);
      return undefined;
    }
    return reportRunFailure(d, 'Propagate', scope, err);
  } finally {
    (run as PreparedRun | undefined)?.close();
  }
}

export function registerPropagateCommands(d: ClusterCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kubefed.propagate', (arg?: unknown, all?: unknown) => runPropagate(d, scopeOf(arg, all))),
    vscode.commands.registerCommand('kubefed.propagateWorkspace', () => runPropagate(d, WORKSPACE)),
  ];
}
