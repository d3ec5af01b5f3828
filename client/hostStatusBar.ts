/**
 * The status bar item of the watched KubeFed host (`kubefed.hostCluster`), from the language
 * server's `kubefed/hostState`: whether the host answers, whether a KubeFed controller runs there,
 * and how many clusters KubeFed sees Ready. Hidden while no host is watched; clicking it opens the
 * placement view, whose cells show KubeFed's status per cluster.
 */
import * as vscode from 'vscode';
import type { KubefedClient } from './languageClient.ts';
import type { HostStateParams } from '../server/lsp/protocol.ts';

/** The item's text, tooltip and whether it warns (pure: unit-tested). */
export function hostStatusText(s: HostStateParams | undefined): { text: string; tooltip: string; warn: boolean } | undefined {
  if (!s?.host) return undefined;
  if (!s.connected) {
    return { text: `$(debug-disconnect) KubeFed host ${s.host}`, tooltip: `KubeFed host ${s.host} (kubefed.hostCluster) cannot be read: ${s.error ?? 'connecting…'}\nKubeFed's status is not shown until it answers.`, warn: true };
  }
  const ready = s.clusters.filter((c) => c.ready).length;
  const notReady = s.clusters.filter((c) => !c.ready).map((c) => c.name);
  const running = s.controller?.running;
  const controller = running ? `controller running${s.controller?.holder ? ` (leader ${s.controller.holder})` : ''}` : 'no KubeFed controller running: nothing propagates what the host holds';
  const clusters = `${ready}/${s.clusters.length} clusters Ready${notReady.length ? ` (not Ready: ${notReady.join(', ')})` : ''}`;
  const failing = s.failing ? ` · ${s.failing} not propagated` : '';
  const failingText = s.failing ? `\n${s.failing} federated resource${s.failing === 1 ? '' : 's'} of the workspace not propagated, as KubeFed reports (see Problems).` : '';
  return {
    text: `$(${running && !s.failing ? 'cloud' : 'warning'}) KubeFed ${s.host}: ${ready}/${s.clusters.length} Ready${failing}`,
    tooltip: `KubeFed host ${s.host}: ${controller}; ${clusters}, as KubeFed sees them.${failingText}`,
    warn: !running || notReady.length > 0 || !!s.failing,
  };
}

export class HostStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(client: KubefedClient) {
    this.item = vscode.window.createStatusBarItem('kubefed.host', vscode.StatusBarAlignment.Left, 49);
    this.item.name = 'KubeFed Host';
    this.item.command = 'kubefed.showPlacement';
    this.disposables.push(this.item, client.onHostState((s) => this.update(s)));
  }

  private update(s: HostStateParams): void {
    const t = hostStatusText(s);
    if (!t) return this.item.hide();
    this.item.text = t.text;
    this.item.tooltip = t.tooltip;
    this.item.backgroundColor = t.warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: t.tooltip };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
