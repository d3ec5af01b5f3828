/**
 * The "Results" view (KubeFed activity bar container): the outcome of the latest Propagate and
 * Compare runs, run → cluster → object, newest first. Selecting an object opens its source.
 * Each run also carries the live states it saw (by resource id), which the placement view shows;
 * Clear Results clears both.
 */
import * as vscode from 'vscode';
import type { LiveState } from '../webview/messages.ts';
import type { DiffEntry, Outcome } from './clusterModule.ts';

export interface ResultItem {
  /** `Kind namespace/name` */
  label: string;
  /** What happened, in words (`created`, `would create` in a dry run, `drifted`, …). */
  outcome: string;
  /** Propagate's result or Compare's state (the icon). */
  result: Outcome['result'] | DiffEntry['state'];
  ok: boolean;
  message?: string;
  /** Where the federated resource is declared. */
  source?: { uri: string; range?: { start: { line: number; character: number }; end: { line: number; character: number } } };
  /** A command to run when the item is selected (e.g. open its diff). */
  command?: vscode.Command;
}

export interface ResultCluster {
  cluster: string;
  context?: string;
  ok: boolean;
  /** Why the whole cluster failed (unreachable, forbidden). */
  error?: string;
  items: ResultItem[];
}

export interface ResultRun {
  kind: 'propagate' | 'compare';
  title: string;
  when: Date;
  dryRun?: boolean;
  cancelled?: boolean;
  error?: string;
  clusters: ResultCluster[];
  /** What the run saw per resource (engine resource id) and cluster. */
  live: LiveState[];
}

type Node = { kind: 'run'; run: ResultRun } | { kind: 'cluster'; run: ResultRun; cluster: ResultCluster } | { kind: 'item'; item: ResultItem };

const ICON: Record<ResultItem['result'], string> = {
  created: 'add',
  updated: 'edit',
  adopted: 'edit',
  unchanged: 'check',
  'in-sync': 'check',
  deleted: 'trash',
  orphaned: 'debug-disconnect',
  pruned: 'trash',
  skipped: 'debug-step-over',
  failed: 'error',
  cancelled: 'circle-slash',
  drifted: 'diff',
  missing: 'question',
  unexpected: 'warning',
  error: 'error',
};

export function countOutcomes(items: ResultItem[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.outcome, (counts.get(i.outcome) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing to do';
}

export class ResultsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  static readonly id = 'kubefed.results';
  private runs: ResultRun[] = [];
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly addEmitter = new vscode.EventEmitter<ResultRun>();
  /** Fires with every run added. */
  readonly onDidAdd = this.addEmitter.event;
  private readonly clearEmitter = new vscode.EventEmitter<void>();
  /** Fires when the runs are cleared (Clear Results). */
  readonly onDidClear = this.clearEmitter.event;

  constructor() {
    this.view = vscode.window.createTreeView(ResultsView.id, { treeDataProvider: this, showCollapseAll: true });
  }

  /** Adds a run on top (keeps the last 10) and reveals the view. */
  add(run: ResultRun, reveal = true): void {
    this.runs.unshift(run);
    this.runs.length = Math.min(this.runs.length, 10);
    this.emitter.fire(undefined);
    this.addEmitter.fire(run);
    void vscode.commands.executeCommand('setContext', 'kubefed.hasResults', true);
    if (reveal) {
      const node = this.node(run, () => ({ kind: 'run', run }));
      void vscode.commands.executeCommand(`${ResultsView.id}.focus`).then(
        () => this.view.reveal(node, { expand: 2, focus: false, select: false }).then(undefined, () => undefined),
        () => undefined,
      );
    }
  }

  clear(): void {
    this.runs = [];
    this.emitter.fire(undefined);
    this.clearEmitter.fire();
    void vscode.commands.executeCommand('setContext', 'kubefed.hasResults', false);
  }

  get latest(): ResultRun | undefined {
    return this.runs[0];
  }

  /** One node object per run/cluster/item: the tree matches elements by identity (reveal). */
  private nodes = new WeakMap<object, Node>();
  private node(key: object, make: () => Node): Node {
    let n = this.nodes.get(key);
    if (!n) this.nodes.set(key, (n = make()));
    return n;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.runs.map((run) => this.node(run, () => ({ kind: 'run', run })));
    if (node.kind === 'run') return node.run.clusters.map((cluster) => this.node(cluster, () => ({ kind: 'cluster', run: node.run, cluster })));
    if (node.kind === 'cluster') return node.cluster.items.map((item) => this.node(item, () => ({ kind: 'item', item })));
    return [];
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'run') {
      const r = node.run;
      const failed = r.clusters.filter((c) => !c.ok).length;
      const t = new vscode.TreeItem(`${r.title}${r.dryRun ? ' (dry run)' : ''}`, node.run === this.runs[0] ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      t.description = `${r.when.toLocaleTimeString()} — ${r.cancelled ? 'cancelled, ' : ''}${r.error ? `error: ${r.error}` : `${r.clusters.length - failed}/${r.clusters.length} clusters ok`}`;
      t.iconPath = new vscode.ThemeIcon(r.error || failed ? 'warning' : r.cancelled ? 'circle-slash' : 'pass');
      t.contextValue = 'kubefedRun';
      return t;
    }
    if (node.kind === 'cluster') {
      const c = node.cluster;
      const t = new vscode.TreeItem(c.cluster, c.items.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      t.description = c.error ? `failed: ${c.error}` : countOutcomes(c.items);
      t.tooltip = `${c.cluster}${c.context && c.context !== c.cluster ? ` (context ${c.context})` : ''}: ${t.description}`;
      t.iconPath = new vscode.ThemeIcon(c.ok ? 'server-environment' : 'error');
      t.contextValue = 'kubefedCluster';
      return t;
    }
    const i = node.item;
    const t = new vscode.TreeItem(i.label, vscode.TreeItemCollapsibleState.None);
    t.description = `${i.outcome}${i.message ? ` — ${i.message}` : ''}`;
    t.tooltip = `${i.label}: ${t.description}`;
    t.iconPath = new vscode.ThemeIcon(ICON[i.result] ?? (i.ok ? 'check' : 'error'));
    if (i.command) t.command = i.command;
    else if (i.source) {
      const r = i.source.range;
      t.command = {
        command: 'vscode.open',
        title: 'Open source',
        arguments: [vscode.Uri.parse(i.source.uri), r ? { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) } : undefined],
      };
    }
    return t;
  }

  dispose(): void {
    this.view.dispose();
    this.emitter.dispose();
    this.addEmitter.dispose();
    this.clearEmitter.dispose();
  }
}
