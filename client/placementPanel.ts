/**
 * The placement view: a webview panel with every federated resource × every member cluster
 * (placed or not, and why), what Propagate and Compare last saw in the clusters, and how many
 * fields each cluster's overrides change.
 *
 * The UI is the `webview/` bundle (dist/webview/, built by webview/build.mjs); the page and the
 * message protocol come from webview/html.ts and webview/messages.ts, which both sides share:
 *   host → webview  model, liveState, error
 *   webview → host  ready, refresh, openSource, openPreview, openDiff
 * This side:
 * - builds the page (Content-Security-Policy with a nonce);
 * - asks the language server `kubefed/placement` (override counts included) + `kubefed/clusters`
 *   and posts the model once the webview says `ready`, and again on `kubefed/inventoryChanged`,
 *   YAML edits and YAML file changes (debounced 300 ms; the webview keeps expansion, selection and
 *   scroll by stable ids);
 * - shows the live states of every run the Results view records (matched by the engine's resource
 *   id), and forgets them when the Results view is cleared;
 * - answers the webview: open the source, `kubefed.previewForCluster`, or Compare's diff
 *   (`openDiff`, default `kubefed.compare`).
 * When the bundle has not been built, the panel shows a static HTML table instead (no script).
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import type { KubefedClient } from './languageClient.ts';
import type { InventoryCluster, PlacementResponse } from '../server/lsp/protocol.ts';
import type { Output } from './outputChannel.ts';
import type { ResultRun } from './resultsView.ts';
import { makeNonce, webviewHtml } from '../webview/html.ts';
import { isWebviewMessage, type HostMessage, type LiveState, type PlacementModel, type WebviewMessage } from '../webview/messages.ts';
import { escapeHtml, placementErrorText } from '../webview/viewModel.ts';
import { LiveStateStore } from './liveStates.ts';

export interface PlacementFocus {
  uri?: string;
  resourceId: string;
}

/** What the panel needs from the language server. */
interface PlacementSource {
  placement(): Promise<PlacementResponse>;
  clusters(): Promise<InventoryCluster[]>;
  onInventoryChanged(listener: () => void): vscode.Disposable;
}

function sourceOf(kc: KubefedClient): PlacementSource {
  return {
    placement: () => kc.placement(),
    clusters: () => kc.clusters(),
    onInventoryChanged: (l) => kc.onInventoryChanged(() => l()),
  };
}

export const REFRESH_DELAY_MS = 300;

export class PlacementPanel implements vscode.Disposable {
  static readonly viewType = 'kubefed.placement';
  private panel: vscode.WebviewPanel | undefined;
  private readonly source: PlacementSource;
  private readonly disposables: vscode.Disposable[] = [];
  /** Listeners that exist while the panel is open. */
  private panelDisposables: vscode.Disposable[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  /** The page said `ready` (and has not been reloaded since). */
  private ready = false;
  private focus: string | undefined;
  private model: PlacementModel | undefined;
  /** What the runs of the Results view saw (kept while the panel is closed). */
  private readonly live = new LiveStateStore();
  /** Opens Compare's diff of a resource in a cluster (the extension may replace it). */
  openDiff: (resourceId: string, cluster: string, uri: string | undefined) => Promise<void> = async (resourceId, cluster, uri) => {
    await vscode.commands.executeCommand('kubefed.compare', { uri, resourceId, cluster });
  };

  constructor(
    private readonly context: vscode.ExtensionContext,
    client: KubefedClient,
    private readonly out?: Output,
    results?: { onDidAdd: vscode.Event<ResultRun>; onDidClear: vscode.Event<void> },
  ) {
    this.source = sourceOf(client);
    if (results) {
      this.disposables.push(
        results.onDidAdd((run) => this.recordLive(run.live)),
        results.onDidClear(() => this.clearLive()),
      );
    }
  }

  /** Shows what a run saw (a newer state of a resource in a cluster replaces the older). */
  recordLive(states: readonly LiveState[]): void {
    this.live.record(states);
    this.postLive([...states], false);
  }

  /** Forgets every live state (Clear Results). */
  clearLive(): void {
    this.live.clear();
    this.postLive([], true);
  }

  private dist(...parts: string[]): vscode.Uri {
    return vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview', ...parts);
  }

  /** Whether the webview UI has been built. */
  private hasBundle(): boolean {
    return existsSync(this.dist('main.js').fsPath);
  }

  get visible(): boolean {
    return !!this.panel?.visible;
  }

  async show(focus?: PlacementFocus): Promise<void> {
    this.focus = focus?.resourceId;
    if (this.panel) {
      this.panel.reveal(undefined, true);
      this.scheduleRefresh(0);
      return;
    }
    const bundle = this.hasBundle();
    const panel = vscode.window.createWebviewPanel(
      PlacementPanel.viewType,
      'KubeFed Placement',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: bundle, localResourceRoots: [this.dist()], retainContextWhenHidden: false },
    );
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'client', 'media', 'kubefed.svg');
    this.ready = !bundle; // the static page needs no handshake
    this.panelDisposables = [
      panel.onDidDispose(() => this.onPanelDisposed()),
      // Hidden, the page is dropped (no retainContextWhenHidden); shown again, it says `ready`.
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible && this.hasBundle()) this.ready = false;
      }),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      this.source.onInventoryChanged(() => this.scheduleRefresh()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && isYaml(e.document)) this.scheduleRefresh();
      }),
    ];
    // Files changed on disk (checkout, generators): the server re-reads them.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}');
    const onFile = () => this.scheduleRefresh();
    this.panelDisposables.push(watcher, watcher.onDidChange(onFile), watcher.onDidCreate(onFile), watcher.onDidDelete(onFile));
    if (bundle) {
      const w = panel.webview;
      const uri = (name: string) => w.asWebviewUri(this.dist(name)).toString();
      w.html = webviewHtml({ cspSource: w.cspSource, nonce: makeNonce(), scriptUri: uri('main.js'), styleUri: uri('styles.css'), codiconUri: uri('codicon.css'), bodyClass: themeClass() });
      // The model follows the page's `ready`.
      return;
    }
    await this.refresh();
  }

  private onPanelDisposed(): void {
    clearTimeout(this.refreshTimer);
    for (const d of this.panelDisposables) d.dispose();
    this.panelDisposables = [];
    this.panel = undefined;
    this.ready = false;
    this.generation++;
  }

  private scheduleRefresh(delay = REFRESH_DELAY_MS): void {
    if (!this.panel) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
  }

  private send(m: HostMessage): void {
    void this.panel?.webview.postMessage(m).then(undefined, () => undefined);
  }

  private postLive(states: LiveState[], replace: boolean): void {
    if (this.panel && this.ready && this.hasBundle()) this.send({ type: 'liveState', states, replace });
  }

  private async refresh(): Promise<void> {
    const panel = this.panel;
    if (!panel || !this.ready) return;
    const gen = ++this.generation;
    let model: PlacementModel;
    try {
      const [placement, clusters] = await Promise.all([this.source.placement(), this.source.clusters().catch(() => [] as InventoryCluster[])]);
      model = {
        clusters: placement.clusters ?? [],
        resources: placement.resources ?? [],
        clusterInfo: clusters.map((c) => ({ name: c.name, labels: c.labels, ready: c.ready, source: c.source })),
      };
    } catch (err) {
      if (gen !== this.generation || !this.panel) return;
      this.out?.error('placement view', err);
      const message = placementErrorText(err instanceof Error ? err.message : String(err));
      if (this.hasBundle()) this.send({ type: 'error', message });
      else panel.webview.html = staticPage(panel.webview, `<p style="white-space:pre-wrap">${escapeHtml(message)}</p>`);
      return;
    }
    if (gen !== this.generation || !this.panel) return;
    this.model = model;
    const focus = this.focus;
    this.focus = undefined;
    if (!this.hasBundle()) {
      panel.webview.html = staticPage(panel.webview, staticTable(model, focus));
      return;
    }
    this.send({ type: 'model', model, ...(focus ? { focus } : {}) });
  }

  private resourceUri(resourceId: string): string | undefined {
    return this.model?.resources.find((r) => r.id === resourceId)?.location?.uri;
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isWebviewMessage(raw)) return;
    const m: WebviewMessage = raw;
    try {
      switch (m.type) {
        case 'ready':
          this.ready = true;
          if (this.live.size) this.send({ type: 'liveState', states: this.live.all(), replace: true });
          await this.refresh();
          break;
        case 'refresh':
          await this.refresh();
          break;
        case 'openSource': {
          // Only the model's own locations: the page cannot open arbitrary files.
          if (!this.model?.resources.some((r) => r.location?.uri === m.location.uri)) return;
          const uri = vscode.Uri.parse(m.location.uri);
          const { start } = m.location.range;
          const at = new vscode.Position(start.line, start.character);
          const open = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
          await vscode.window.showTextDocument(uri, { viewColumn: open?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: !!m.preserveFocus, selection: new vscode.Range(at, at) });
          break;
        }
        case 'openPreview': {
          const uri = this.resourceUri(m.resourceId);
          await vscode.commands.executeCommand('kubefed.previewForCluster', { ...(uri ? { uri } : {}), resourceId: m.resourceId, cluster: m.cluster });
          break;
        }
        case 'openDiff':
          await this.openDiff(m.resourceId, m.cluster, this.resourceUri(m.resourceId));
          break;
      }
    } catch (err) {
      this.out?.error(`placement view: ${m.type}`, err);
      void vscode.window.showErrorMessage(`KubeFed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.onPanelDisposed();
    for (const d of this.disposables) d.dispose();
  }
}

function isYaml(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'yaml' && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled');
}

/** VS Code sets the theme class itself; this only avoids a flash of the wrong colours before. */
function themeClass(): string {
  switch (vscode.window.activeColorTheme.kind) {
    case vscode.ColorThemeKind.Light:
      return 'vscode-light';
    case vscode.ColorThemeKind.Dark:
      return 'vscode-dark';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'vscode-high-contrast-light';
    default:
      return 'vscode-high-contrast';
  }
}

/** The page without the webview bundle: no script at all. */
function staticPage(webview: vscode.Webview, body: string): string {
  const csp = `default-src 'none'; style-src ${webview.cspSource} 'unsafe-inline'`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<style>
body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);}
table{border-collapse:collapse;margin:8px 0;} th,td{border:1px solid var(--vscode-panel-border);padding:3px 8px;text-align:left;}
tr.focus td{background:var(--vscode-editor-selectionHighlightBackground);} .off{color:var(--vscode-disabledForeground);}
</style></head><body>${body}</body></html>`;
}

/** The view without the webview bundle: one table, resources × clusters. */
export function staticTable(p: PlacementModel, focus?: string): string {
  const esc = escapeHtml;
  if (!p.resources.length) return '<p>No federated resources in the workspace.</p>';
  const head = `<tr><th>resource</th>${p.clusters.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const rows = p.resources.map((r) => {
    const cells = p.clusters.map((c) => {
      const why = r.reasons[c];
      const on = r.selected.includes(c);
      return `<td class="${on ? 'on' : 'off'}">${on ? '✓' : '✗'} ${esc(why?.text ?? '')}</td>`;
    });
    const title = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}${r.error ? ` — ${r.error}` : ''}`;
    return `<tr${focus === r.id ? ' class="focus"' : ''}><td>${esc(title)}</td>${cells.join('')}</tr>`;
  });
  return `<h3>Placement: ${p.resources.length} federated resources × ${p.clusters.length} clusters</h3><table>${head}${rows.join('')}</table>`;
}
