/**
 * The KubeFed VS Code extension (dist/client.js): activation wires the language server
 * (languageClient.ts), the commands (commands/*.ts), the per-cluster previews
 * (previewProvider.ts), Compare's diff editors (diffCommand.ts), the results view
 * (resultsView.ts), the placement webview (placementPanel.ts) and the cluster status bar item
 * (statusBar.ts). This is the only part of the product that imports `vscode`.
 *
 * Activation is cheap (measured: `activationTimeMs` in the returned API, and a line in the KubeFed
 * output): the language server starts when a YAML file with federated kinds is opened, or when a
 * command needs it; cluster code is loaded on first use. In Restricted Mode (an untrusted folder)
 * the language features run and everything that reads a kubeconfig or reaches a cluster is off
 * (trust.ts).
 */
import { loadStart } from './loadStart.ts';
import * as vscode from 'vscode';
import { KubefedClient } from './languageClient.ts';
import { Output } from './outputChannel.ts';
import { PreviewProvider } from './previewProvider.ts';
import { DiffDocuments } from './diffCommand.ts';
import { ResultsView } from './resultsView.ts';
import { PlacementPanel } from './placementPanel.ts';
import { StatusBar } from './statusBar.ts';
import { HostStatusBar } from './hostStatusBar.ts';
import { FEDERATION_API_VERSION_LINE } from '../server/engine/apiGroups.ts';
import { onDidChangeSettings } from './config.ts';
import { onDidGrant } from './trust.ts';
import { registerPreviewCommand } from './commands/preview.ts';
import { registerPlacementCommands } from './commands/placement.ts';
import { registerRefactorCommands } from './commands/refactor.ts';
import { registerClusterCommands } from './commands/clusters.ts';
import { registerPropagateCommands } from './commands/propagate.ts';
import { registerApplyHostCommands } from './commands/applyHost.ts';
import { openClusterDiff, registerCompareCommand } from './commands/compare.ts';

/** What `activate` returns (extensions.getExtension('kubefed-tools.kubefed-tools').exports). */
export interface KubefedApi {
  /**
   * Milliseconds spent by this extension to activate: evaluating its bundle plus activate().
   * (Compiling the file comes before any of its code runs: bench/activation.ts measures
   * require() + activate() as a whole.)
   */
  activationTimeMs: number;
  /** The part of it spent in activate() itself. */
  activateMs: number;
  /** The part of it spent evaluating the bundle. */
  moduleEvalMs: number;
  client: KubefedClient;
  results: ResultsView;
  /** Opens the placement view (the webview hook, see placementPanel.ts). */
  showPlacement(focus?: { uri: string; resourceId: string }): Promise<void>;
}


/** A YAML document with an apiVersion in a federation API group starts the language server. */
export function isFederatedDocument(doc: vscode.TextDocument): boolean {
  if (doc.languageId !== 'yaml' || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled')) return false;
  // Only the first 256 KiB: enough for any real manifest, bounded for huge files.
  return FEDERATION_API_VERSION_LINE.test(doc.getText().slice(0, 256 * 1024));
}

let api: KubefedApi | undefined;

export function activate(context: vscode.ExtensionContext): KubefedApi {
  const t0 = performance.now();
  const out = new Output();
  const client = new KubefedClient(context, out);
  const previews = new PreviewProvider(client, out);
  const diffs = new DiffDocuments();
  const results = new ResultsView();
  const panel = new PlacementPanel(context, client, out, results);
  const status = new StatusBar(client, out);
  const hostStatus = new HostStatusBar(client);
  context.subscriptions.push(out, client, previews, diffs, results, panel, status, hostStatus);

  const deps = { client, out, results, status, diffs };
  panel.openDiff = async (_resourceId, cluster, uri) => {
    if (uri) await openClusterDiff(deps, uri, cluster);
  };
  context.subscriptions.push(
    registerPreviewCommand(client, previews),
    ...registerPlacementCommands(client, panel),
    ...registerRefactorCommands(out),
    ...registerClusterCommands(client, status, out),
    ...registerPropagateCommands(deps),
    ...registerApplyHostCommands(deps),
    registerCompareCommand(deps),
    vscode.commands.registerCommand('kubefed.showOutput', () => out.show(false)),
    vscode.commands.registerCommand('kubefed.restartServer', async () => {
      await client.restart();
      out.info('language server restarted');
    }),
    vscode.commands.registerCommand('kubefed.clearResults', () => results.clear()),
  );

  // Start the language server for the first federated YAML document (open now or later).
  const maybeStart = (doc: vscode.TextDocument | undefined) => {
    if (doc && !client.started && isFederatedDocument(doc)) {
      out.info(`starting the language server for ${vscode.workspace.asRelativePath(doc.uri)}`);
      void client.start().catch(() => undefined);
    }
  };
  let lastFederated: boolean | undefined;
  const updateEditorContext = (e: vscode.TextEditor | undefined) => {
    const fed = !!e && isFederatedDocument(e.document);
    lastFederated = fed;
    void vscode.commands.executeCommand('setContext', 'kubefed.federatedEditor', fed);
    if (fed) status.show();
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(maybeStart),
    vscode.window.onDidChangeActiveTextEditor(updateEditorContext),
    vscode.workspace.onDidChangeTextDocument((e) => {
      // A document that becomes federated while typing (a new file, a pasted manifest).
      if (e.document !== vscode.window.activeTextEditor?.document) return;
      maybeStart(e.document);
      const fed = isFederatedDocument(e.document);
      if (fed !== lastFederated) updateEditorContext(vscode.window.activeTextEditor);
    }),
    // Settings apply without a reload: the language client pushes them to the server; the
    // status bar re-checks the clusters; commands read them on every run.
    onDidChangeSettings(() => status.refresh()),
    // Trusting the folder turns the cluster features on without a reload: the server gets the
    // kubeconfig (trust.ts), the status bar checks the clusters, commands reach them.
    onDidGrant(() => {
      out.info('the folder is trusted: kubeconfig and cluster features are on');
      void client.pushSettings();
      status.refresh(0);
    }),
  );
  for (const doc of vscode.workspace.textDocuments) maybeStart(doc);
  updateEditorContext(vscode.window.activeTextEditor);

  const activateMs = performance.now() - t0;
  const activationTimeMs = moduleEvalMs + activateMs;
  out.info(`activated in ${activationTimeMs.toFixed(1)} ms (evaluating the bundle ${moduleEvalMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms)`);
  // Visible in the extension host log (and in the e2e tests' browser console).
  console.log(`[kubefed] activated in ${activationTimeMs.toFixed(1)} ms`);
  api = { activationTimeMs, activateMs, moduleEvalMs, client, results, showPlacement: (f) => panel.show(f) };
  return api;
}

/** Time to evaluate this bundle (from loadStart.ts, the first module, to here, the last). */
const moduleEvalMs = performance.now() - loadStart;

export async function deactivate(): Promise<void> {
  await api?.client.stop();
  api = undefined;
}
