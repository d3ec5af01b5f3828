/**
 * KubeFed: Preview for Cluster… — the object a chosen member cluster receives, as a read-only
 * virtual document beside the source that follows it as you type. Also the code lens "preview"
 * (argument `{uri, resourceId, cluster}`).
 */
import * as vscode from 'vscode';
import type { KubefedClient } from '../languageClient.ts';
import type { PreviewProvider } from '../previewProvider.ts';
import { isResourceArgs, label, pickCluster, pickResource } from './pick.ts';

export function registerPreviewCommand(client: KubefedClient, previews: PreviewProvider): vscode.Disposable {
  return vscode.commands.registerCommand('kubefed.previewForCluster', async (arg?: unknown, clusterArg?: unknown) => {
    const picked = await pickResource(client, arg, 'Preview which federated resource?');
    if (!picked) return undefined;
    const { resource, placement, uri } = picked;
    // A cluster given by the caller (the code lens passes the first selected one), else ask.
    let cluster = typeof clusterArg === 'string' ? clusterArg : isResourceArgs(arg) ? arg.cluster : undefined;
    if (!cluster) cluster = await pickCluster(resource, placement.clusters, `Preview ${label(resource)} for which cluster?`);
    if (!cluster) return undefined;
    const editor = await previews.show({ uri, resourceId: resource.id, cluster, label: `${resource.targetKind}_${resource.namespace || '_'}_${resource.name}` });
    return editor.document.uri.toString();
  });
}
