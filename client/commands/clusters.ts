/**
 * KubeFed: Select Clusters… — which kubeconfig contexts form the federation (written to
 * `kubefed.clusters`, labels of existing entries kept) and which one is the KubeFed host
 * (`kubefed.hostCluster`).
 * KubeFed: Check Clusters — the status bar item's click: checks every member and lists what is
 * wrong, each with a fix.
 */
import * as vscode from 'vscode';
import { kubeconfigPath, settings, updateSetting, type ClusterSetting } from '../config.ts';
import { readKubeconfig, type KubeconfigState } from '../clusterOps.ts';
import { requireTrust } from '../trust.ts';
import type { KubefedClient } from '../languageClient.ts';
import type { Output } from '../outputChannel.ts';
import type { StatusBar } from '../statusBar.ts';

async function chooseKubeconfig(): Promise<boolean> {
  const current = kubeconfigPath().path;
  const picked = await vscode.window.showOpenDialog({
    title: 'KubeFed: the kubeconfig that reaches the member clusters',
    canSelectMany: false,
    defaultUri: vscode.Uri.file(current),
    openLabel: 'Use this kubeconfig',
  });
  if (!picked?.[0]) return false;
  await updateSetting('kubeconfig', picked[0].fsPath);
  return true;
}

export async function selectClusters(status: StatusBar, out: Output): Promise<ClusterSetting[] | undefined> {
  if (!requireTrust('Select Clusters')) return undefined;
  let kc: KubeconfigState = await readKubeconfig();
  while (!kc.ok || kc.contexts.length === 0) {
    const msg = kc.ok ? `The kubeconfig ${kc.path} has no contexts.` : `No usable kubeconfig: ${kc.error}`;
    const a = await vscode.window.showWarningMessage(`KubeFed: ${msg}`, 'Choose a kubeconfig file…');
    if (a !== 'Choose a kubeconfig file…' || !(await chooseKubeconfig())) return undefined;
    kc = await readKubeconfig();
  }
  const s = settings();
  const byContext = new Map(s.clusters.map((c) => [c.context || c.name, c]));
  const items = kc.contexts.map((c) => {
    const member = byContext.get(c.name);
    return {
      label: c.name,
      description: c.server,
      detail: member && member.name !== c.name ? `member cluster ${member.name}` : c.name === kc.currentContext ? 'current context' : undefined,
      picked: s.clusters.length ? !!member : true,
      context: c.name,
    };
  });
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: `KubeFed: the member clusters (contexts of ${kc.path})`,
    placeHolder: 'Check the contexts that form the federation',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  const clusters: ClusterSetting[] = picked.map((p) => {
    const prev = byContext.get(p.context);
    const entry: ClusterSetting = { name: prev?.name ?? p.context, context: p.context };
    if (prev?.labels && Object.keys(prev.labels).length) entry.labels = prev.labels;
    return entry;
  });
  let host = s.hostCluster;
  if (clusters.length > 1) {
    const hp = await vscode.window.showQuickPick(
      clusters.map((c) => ({
        label: c.context ?? c.name,
        description: (c.context ?? c.name) === (s.hostCluster || kc.currentContext) ? 'current host' : undefined,
      })),
      { title: 'KubeFed: the host cluster (where KubeFedCluster and FederatedTypeConfig objects live)', placeHolder: 'Escape keeps the current choice' },
    );
    if (hp) host = hp.label;
  } else if (clusters.length === 1) host = clusters[0].context ?? clusters[0].name;
  await updateSetting('clusters', clusters);
  if (host !== s.hostCluster) await updateSetting('hostCluster', host);
  out.info(`federation: ${clusters.map((c) => (c.context && c.context !== c.name ? `${c.name}=${c.context}` : c.name)).join(', ') || 'no clusters'}${host ? `; host ${host}` : ''}`);
  void vscode.window.showInformationMessage(`KubeFed: ${clusters.length} member cluster${clusters.length === 1 ? '' : 's'} selected${host ? `, host ${host}` : ''}.`);
  status.show();
  status.refresh(0);
  return clusters;
}

type Fix = vscode.QuickPickItem & { run?: () => Promise<unknown> | unknown };

export async function checkClusters(status: StatusBar, out: Output): Promise<void> {
  if (!requireTrust('Check Clusters')) return;
  status.show();
  const h = await status.check();
  const items: Fix[] = [];
  const select = () => selectClusters(status, out);
  if (h.kubeconfig && !h.kubeconfig.ok) {
    items.push({ label: '$(error) No usable kubeconfig', detail: h.kubeconfig.error, run: async () => (await chooseKubeconfig()) && status.refresh(0) });
  }
  if (h.error) items.push({ label: '$(error) The check failed', detail: h.error, run: () => out.show(false) });
  if (!h.members.length && h.kubeconfig?.ok) items.push({ label: '$(warning) No member clusters', detail: 'Choose the kubeconfig contexts that form the federation', run: select });
  for (const r of h.results) {
    if (r.ok) {
      items.push({ label: `$(pass) ${r.cluster}`, description: `${r.version ?? ''} ${r.server ?? ''}`.trim(), detail: r.context && r.context !== r.cluster ? `context ${r.context}` : undefined });
    } else {
      items.push({
        label: `$(error) ${r.cluster}`,
        description: r.context && r.context !== r.cluster ? `context ${r.context}` : undefined,
        detail: `${r.error ?? 'unreachable'} — choose to fix`,
        run: () => fixCluster(r.cluster, status, out),
      });
    }
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(refresh) Check again', run: () => checkClusters(status, out) });
  items.push({ label: '$(server-environment) Select Clusters…', detail: h.from === 'settings' ? 'from kubefed.clusters' : `members now: ${h.from === 'inventory' ? 'every known cluster' : 'every kubeconfig context'}`, run: select });
  items.push({ label: '$(file) Choose a kubeconfig file…', detail: h.kubeconfig ? `now ${h.kubeconfig.path} (${h.kubeconfig.from})` : undefined, run: async () => (await chooseKubeconfig()) && status.refresh(0) });
  items.push({ label: '$(gear) Open the KubeFed settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'kubefed.') });
  items.push({ label: '$(output) Show the KubeFed output', run: () => out.show(false) });
  const n = h.members.length;
  const ok = h.results.filter((r) => r.ok).length;
  const p = await vscode.window.showQuickPick(items, { title: `KubeFed: ${n} cluster${n === 1 ? '' : 's'} configured, ${ok} reachable`, matchOnDetail: true });
  await p?.run?.();
}

async function fixCluster(cluster: string, status: StatusBar, out: Output): Promise<void> {
  const kc = await readKubeconfig();
  const s = settings();
  const actions: Fix[] = [
    { label: '$(refresh) Check again', run: () => checkClusters(status, out) },
    {
      label: `$(arrow-swap) Reach ${cluster} through another context…`,
      run: async () => {
        const ctx = await vscode.window.showQuickPick(kc.contexts.map((c) => ({ label: c.name, description: c.server })), { placeHolder: `The kubeconfig context for ${cluster}` });
        if (!ctx) return;
        const list = s.clusters.length ? s.clusters.map((c) => ({ ...c })) : [{ name: cluster }];
        const e = list.find((c) => c.name === cluster);
        if (e) e.context = ctx.label;
        else list.push({ name: cluster, context: ctx.label });
        await updateSetting('clusters', list);
        status.refresh(0);
      },
    },
    { label: '$(server-environment) Select Clusters…', run: () => selectClusters(status, out) },
  ];
  if (s.clusters.some((c) => c.name === cluster)) {
    actions.push({
      label: `$(trash) Remove ${cluster} from the federation`,
      run: async () => {
        await updateSetting('clusters', s.clusters.filter((c) => c.name !== cluster));
        status.refresh(0);
      },
    });
  }
  if (kc.ok) actions.push({ label: '$(go-to-file) Open the kubeconfig', detail: kc.path, run: async () => vscode.window.showTextDocument(vscode.Uri.file(kc.path)) });
  const p = await vscode.window.showQuickPick(actions, { title: `KubeFed: ${cluster} is not reachable` });
  await p?.run?.();
}

export function registerClusterCommands(_client: KubefedClient, status: StatusBar, out: Output): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kubefed.selectClusters', () => selectClusters(status, out)),
    vscode.commands.registerCommand('kubefed.checkClusters', () => checkClusters(status, out)),
  ];
}
