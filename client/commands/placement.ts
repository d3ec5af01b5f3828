/**
 * The code lens commands of a federated resource (argument `{uri, resourceId, cluster?}`), also
 * in the palette for the resource under the cursor:
 * - KubeFed: Show Placement — the placement view (placementPanel.ts, the webview hook);
 * - KubeFed: Show Overrides — which fields each cluster gets changed; choose one to preview it;
 * - KubeFed: Show Replica Schedule — the ReplicaSchedulingPreference's replicas per cluster.
 */
import * as vscode from 'vscode';
import type { KubefedClient } from '../languageClient.ts';
import type { PlacementPanel } from '../placementPanel.ts';
import { label, pickResource } from './pick.ts';

export function registerPlacementCommands(client: KubefedClient, panel: PlacementPanel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kubefed.showPlacement', async (arg?: unknown) => {
      // The view shows every resource; the one under the cursor (if any) is selected in it.
      const picked = await pickResource(client, arg, '', { ask: false });
      await panel.show(picked ? { uri: picked.uri, resourceId: picked.resource.id } : undefined);
    }),

    vscode.commands.registerCommand('kubefed.showOverrides', async (arg?: unknown) => {
      const picked = await pickResource(client, arg, 'Show the overrides of which federated resource?');
      if (!picked) return;
      const { resource, uri } = picked;
      const rendered = await client.render({ uri, resourceId: resource.id });
      const clusters = rendered.resources[0]?.clusters ?? [];
      if (!clusters.length) {
        void vscode.window.showInformationMessage(`KubeFed: ${label(resource)} is placed on no cluster.`);
        return;
      }
      const choice = await vscode.window.showQuickPick(
        clusters.map((c) => ({
          label: c.cluster,
          description: c.ok ? `${c.overriddenPaths.length} override${c.overriddenPaths.length === 1 ? '' : 's'}` : `${c.status ?? 'failed'}: ${c.message ?? ''}`,
          detail: c.overriddenPaths.length ? c.overriddenPaths.join('  ') : 'the template as is',
          cluster: c.cluster,
        })),
        { placeHolder: `Overrides of ${label(resource)} per cluster — choose one to preview what it receives`, matchOnDetail: true },
      );
      if (choice) await vscode.commands.executeCommand('kubefed.previewForCluster', { uri, resourceId: resource.id, cluster: choice.cluster });
    }),

    vscode.commands.registerCommand('kubefed.showSchedule', async (arg?: unknown) => {
      const picked = await pickResource(client, arg, 'Show the replica schedule of which federated resource?');
      if (!picked) return;
      const { resource, uri } = picked;
      const rsp = resource.rsp;
      if (!rsp) {
        void vscode.window.showInformationMessage(`KubeFed: no ReplicaSchedulingPreference targets ${label(resource)}.`);
        return;
      }
      if (!rsp.schedule) {
        void vscode.window.showWarningMessage(`KubeFed: the ReplicaSchedulingPreference of ${label(resource)} (${rsp.totalReplicas} replicas) schedules nothing.`);
        return;
      }
      const entries = Object.entries(rsp.schedule).sort(([a], [b]) => a.localeCompare(b));
      const choice = await vscode.window.showQuickPick(
        entries.map(([cluster, n]) => ({ label: cluster, description: `${n} replica${n === 1 ? '' : 's'}`, cluster })),
        { placeHolder: `${label(resource)}: ${rsp.totalReplicas} replicas scheduled by its ReplicaSchedulingPreference — choose a cluster to preview` },
      );
      if (choice) await vscode.commands.executeCommand('kubefed.previewForCluster', { uri, resourceId: resource.id, cluster: choice.cluster });
    }),
  ];
}
