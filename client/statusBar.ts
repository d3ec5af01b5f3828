/**
 * The status bar item "clusters configured / reachable", e.g. `3 clusters / 2 reachable`. It appears with
 * the first federated YAML editor, re-checks when settings or the cluster inventory change, and
 * clicking it (KubeFed: Check Clusters) lists what is wrong with a fix for each. In Restricted Mode
 * it checks nothing and says that cluster features are off, and clicking it manages workspace
 * trust; once the folder is trusted it checks the clusters.
 */
import * as vscode from 'vscode';
import { settings } from './config.ts';
import type { KubefedClient } from './languageClient.ts';
import type { Output } from './outputChannel.ts';
import { probe, readKubeconfig, type KubeconfigState, type ProbeResult } from './clusterOps.ts';
import { errorText } from './outputChannel.ts';
import { isTrusted, MANAGE_TRUST_COMMAND } from './trust.ts';

export interface ClusterHealth {
  kubeconfig?: KubeconfigState;
  /** The federation's members, in order. */
  members: string[];
  /** Where the member list comes from. */
  from: 'settings' | 'inventory' | 'kubeconfig';
  results: ProbeResult[];
  checkedAt?: Date;
  error?: string;
  /** Nothing was checked: the folder is not trusted. */
  restricted?: boolean;
}

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private visible = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private abort: AbortController | undefined;
  private generation = 0;
  health: ClusterHealth = { members: [], from: 'inventory', results: [] };
  private readonly emitter = new vscode.EventEmitter<ClusterHealth>();
  /** Fires after every check. */
  readonly onDidCheck = this.emitter.event;

  constructor(
    private readonly client: KubefedClient,
    private readonly out: Output,
  ) {
    this.item = vscode.window.createStatusBarItem('kubefed.clusters', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'KubeFed Clusters';
    this.item.command = 'kubefed.checkClusters';
    this.item.text = '$(server-environment) KubeFed';
    this.disposables.push(this.item, this.emitter, client.onInventoryChanged(() => this.refresh(500)));
  }

  /** Shows the item (once a federated file was opened) and checks the clusters. */
  show(): void {
    if (this.visible) return;
    this.visible = true;
    this.item.show();
    this.refresh(0);
  }

  /** Re-checks after `delayMs` (debounced). */
  refresh(delayMs = 300): void {
    if (!this.visible) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(), delayMs);
  }

  /** The members of the federation: `kubefed.clusters`, else the server's inventory, else the kubeconfig's contexts. */
  async members(kubeconfig?: KubeconfigState): Promise<{ names: string[]; from: ClusterHealth['from'] }> {
    const s = settings();
    if (s.clusters.length) return { names: s.clusters.map((c) => c.name), from: 'settings' };
    if (this.client.started) {
      try {
        const inv = await this.client.clusters();
        if (inv.length) return { names: inv.map((c) => c.name), from: 'inventory' };
      } catch {
        // fall through to the kubeconfig
      }
    }
    const kc = kubeconfig ?? (await readKubeconfig(s));
    return { names: kc.contexts.map((c) => c.name), from: 'kubeconfig' };
  }

  /** Checks every member now; resolves with the result. */
  async check(): Promise<ClusterHealth> {
    const gen = ++this.generation;
    this.abort?.abort();
    if (!isTrusted()) {
      this.health = { members: [], from: 'inventory', results: [], checkedAt: new Date(), restricted: true };
      this.renderRestricted();
      this.emitter.fire(this.health);
      return this.health;
    }
    const abort = (this.abort = new AbortController());
    this.item.text = '$(sync~spin) KubeFed clusters';
    this.item.tooltip = 'Checking the member clusters…';
    let health: ClusterHealth;
    try {
      const kubeconfig = await readKubeconfig();
      const { names, from } = await this.members(kubeconfig);
      const results = kubeconfig.ok ? await probe(names, abort.signal) : names.map((cluster) => ({ cluster, ok: false, error: kubeconfig.error }));
      health = { kubeconfig, members: names, from, results, checkedAt: new Date() };
    } catch (err) {
      health = { members: [], from: 'inventory', results: [], checkedAt: new Date(), error: errorText(err) };
      this.out.error('checking the clusters failed', err);
    }
    if (gen !== this.generation) return this.health;
    this.health = health;
    this.render();
    this.emitter.fire(health);
    return health;
  }

  /** The Restricted Mode hint (theme colours; a click opens the workspace trust editor). */
  private renderRestricted(): void {
    this.item.text = '$(shield) KubeFed: Restricted Mode';
    this.item.command = { command: MANAGE_TRUST_COMMAND, title: 'Manage Workspace Trust' };
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.color = new vscode.ThemeColor('statusBarItem.warningForeground');
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown('**KubeFed in Restricted Mode**\n\n');
    md.appendMarkdown('Validation, completion, hovers and previews work on the files of this folder. ');
    md.appendMarkdown('The kubeconfig, a clusters file outside the folder and every cluster operation (Propagate, Compare, live status, the cluster check) are off until you trust the folder.\n\n');
    md.appendMarkdown('Click to manage workspace trust.');
    this.item.tooltip = md;
  }

  private render(): void {
    this.item.command = 'kubefed.checkClusters';
    this.item.color = undefined;
    const h = this.health;
    const n = h.members.length;
    const ok = h.results.filter((r) => r.ok).length;
    const bad = n - ok;
    if (h.error) {
      this.item.text = '$(error) KubeFed clusters';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (n === 0) {
      this.item.text = '$(server-environment) KubeFed: no clusters';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      this.item.text = `${bad ? '$(warning)' : '$(server-environment)'} ${n} cluster${n === 1 ? '' : 's'} / ${ok} reachable`;
      this.item.backgroundColor = bad ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    }
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**KubeFed clusters**: ${n} configured, ${ok} reachable\n\n`);
    if (h.kubeconfig) md.appendMarkdown(`kubeconfig: \`${h.kubeconfig.path}\` (${h.kubeconfig.from})${h.kubeconfig.ok ? '' : ` — ${h.kubeconfig.error}`}\n\n`);
    for (const r of h.results) {
      md.appendMarkdown(`${r.ok ? '$(pass)' : '$(error)'} **${r.cluster}**${r.context && r.context !== r.cluster ? ` (context ${r.context})` : ''} ${r.ok ? `${r.version ?? ''} ${r.server ?? ''}` : `— ${r.error ?? 'unreachable'}`}\n\n`);
    }
    if (h.error) md.appendMarkdown(`$(error) ${h.error}\n\n`);
    md.appendMarkdown('Click to check again and fix problems.');
    this.item.tooltip = md;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.abort?.abort();
    for (const d of this.disposables) d.dispose();
  }
}
