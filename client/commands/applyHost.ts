/**
 * KubeFed: Apply to Host (the file, the selection or the workspace): the federated objects go to
 * the KubeFed host cluster (`kubefed.hostCluster`, else the kubeconfig's current context) for
 * its controller to propagate — the way most KubeFed users work. Same steps as Propagate: a
 * server-side dry run, a modal confirmation listing what changes, the run with a Cancel button,
 * the outcome in the KubeFed output. The work is server/cluster's `applyToHost()` on the engine's
 * host apply plan (the same as `kfed apply`).
 */
import * as vscode from 'vscode';
import { cancellableProgress } from '../progress.ts';
import { settings } from '../config.ts';
import { prepareRun, type PreparedRun, type Scope } from '../clusterOps.ts';
import type { HostApplyReport, HostItem } from '../clusterModule.ts';
import { requireTrust } from '../trust.ts';
import { cancelled, reportRunFailure, scopeOf, type ClusterCommandDeps } from './propagate.ts';

const WORKSPACE: Scope = { kind: 'workspace', label: 'the workspace', uris: [] };

/** Whether a host object of the plan belongs to the scope (its file, or a selected line). */
export function itemInScope(item: Pick<HostItem, 'uri' | 'line'>, scope: Scope): boolean {
  if (scope.kind === 'workspace') return true;
  if (scope.kind === 'files') return scope.uris.some((u) => item.uri === u || item.uri.startsWith(u.endsWith('/') ? u : `${u}/`));
  return item.uri === scope.uris[0] && (scope.lines ?? []).some(([a, b]) => item.line >= a && item.line <= b);
}

/** Error diagnostics of the language server in the files of the plan (validation first, like kfed apply). */
function errorsIn(uris: string[]): number {
  let n = 0;
  for (const u of new Set(uris)) {
    n += vscode.languages.getDiagnostics(vscode.Uri.parse(u)).filter((d) => d.source === 'kubefed' && d.severity === vscode.DiagnosticSeverity.Error).length;
  }
  return n;
}

interface Prepared {
  run: PreparedRun;
  host: string;
  client: InstanceType<PreparedRun['m']['ClusterClient']>;
  plan: ReturnType<PreparedRun['m']['hostApplyPlan']>;
}

async function prepare(scope: Scope, signal: AbortSignal): Promise<Prepared> {
  const s = settings();
  const run = await prepareRun(scope, signal, s);
  const kc = run.connections.kubeconfig;
  const host = s.hostCluster || kc.currentContext;
  if (!host || !kc.hasContext(host)) {
    run.close();
    throw new Error(`no KubeFed host: set kubefed.hostCluster to the kubeconfig context of the host cluster (${run.kubeconfig} has ${host ? `no context "${host}"` : 'no current context'})`);
  }
  const client = new run.m.ClusterClient(host, host, kc.forContext(host), kc.redactor, { timeoutMs: s.requestTimeout * 1000 });
  const full = run.m.hostApplyPlan(run.ws.analysis());
  const items = full.items.filter((i) => itemInScope(i, scope));
  const namespaces = full.namespaces.filter((ns) => items.some((i) => i.ref.namespace === ns));
  return { run, host, client, plan: { items, skipped: full.skipped.filter((i) => itemInScope(i, scope)), namespaces } };
}

function apply(p: Prepared, dryRun: boolean, signal: AbortSignal, progress?: vscode.Progress<{ message?: string }>): Promise<HostApplyReport> {
  const s = settings();
  return p.run.m.applyToHost(p.client, p.plan, {
    dryRun,
    fieldManager: s.fieldManager,
    concurrency: s.concurrency,
    signal,
    onOutcome: (o, done, total) => progress?.report({ message: `${done}/${total} ${p.run.m.describeHostRef(o.ref)} ${o.result}` }),
  });
}

function changesOf(r: HostApplyReport, describe: (o: HostApplyReport['outcomes'][number]) => string): string[] {
  return r.outcomes.filter((o) => o.result !== 'unchanged').map((o) => `${o.result === 'failed' ? 'would fail' : o.result === 'created' ? 'would create' : 'would configure'} ${describe(o)}${o.message ? `: ${o.message}` : ''}`);
}

export async function runApplyToHost(d: ClusterCommandDeps, scope: Scope, opts: { confirm?: boolean } = {}): Promise<HostApplyReport | undefined> {
  if (!requireTrust('Apply to Host')) return undefined;
  const confirm = opts.confirm ?? settings().confirmPropagate;
  let p: Prepared | undefined;
  try {
    const planned = await cancellableProgress(`KubeFed: Apply ${scope.label} to Host`, async (progress, signal) => {
      progress.report({ message: 'reading the workspace…' });
      p = await prepare(scope, signal);
      if (!p.plan.items.length || !confirm) return undefined;
      progress.report({ message: `dry run in ${p.host}…` });
      return apply(p, true, signal, progress);
    });
    if (!p) return undefined;
    const prep: Prepared = p;
    if (!prep.plan.items.length) {
      void vscode.window.showInformationMessage(`KubeFed: nothing to apply to the host in ${scope.label} (no federated resources).`);
      return undefined;
    }
    const errors = errorsIn(prep.plan.items.map((i) => i.uri));
    const title = `Apply ${scope.label} to host ${prep.host}`;
    if (planned) {
      d.out.info(`${title}: dry run\n${prep.run.m.formatApply(planned, [], false)}`);
      const lines = changesOf(planned, (o) => prep.run.m.describeHostRef(o.ref));
      const detail = [...(lines.length ? lines : ['nothing changes in the host']), '', errors ? `${errors} error(s) in these files (see Problems): KubeFed may refuse or fail them.` : 'Unsaved editor changes are included.'].join('\n');
      const choice = await vscode.window.showWarningMessage(`Apply ${prep.plan.items.length} object(s) from ${scope.label} to the KubeFed host ${prep.host}?`, { modal: true, detail }, errors ? 'Apply Anyway' : 'Apply');
      if (!choice) {
        d.out.info(`${title}: not confirmed`);
        return undefined;
      }
    } else if (errors) {
      const choice = await vscode.window.showWarningMessage(`${errors} error(s) in ${scope.label}: apply to the host anyway?`, { modal: true }, 'Apply Anyway');
      if (!choice) return undefined;
    }
    const report = await cancellableProgress(`KubeFed: Applying ${scope.label} to ${prep.host}`, (progress, signal) => apply(prep, false, signal, progress));
    d.out.info(`${title}\n${prep.run.m.formatApply(report, [], false)}`);
    const failed = report.outcomes.filter((o) => o.result === 'failed').length;
    if (failed) void vscode.window.showErrorMessage(`KubeFed: ${failed} object(s) could not be applied to ${prep.host}.`, 'Show Output').then((a) => a && d.out.show(false));
    else void vscode.window.showInformationMessage(`KubeFed: applied ${scope.label} to ${prep.host}; KubeFed propagates it (its status appears as it reports).`);
    return report;
  } catch (err) {
    if (cancelled(err)) return undefined;
    return reportRunFailure(d, 'Apply to Host', scope, err);
  } finally {
    p?.client.close();
    p?.run.close();
  }
}

export function registerApplyHostCommands(d: ClusterCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kubefed.applyToHost', (arg?: unknown, all?: unknown) => runApplyToHost(d, scopeOf(arg, all))),
    vscode.commands.registerCommand('kubefed.applyWorkspaceToHost', () => runApplyToHost(d, WORKSPACE)),
  ];
}
