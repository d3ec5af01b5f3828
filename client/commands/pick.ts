/**
 * Shared by the commands: which federated resource a command is about (code lens argument,
 * cursor, or a quick pick) and which member cluster (quick pick with the placement reasons).
 */
import * as vscode from 'vscode';
import type { KubefedClient } from '../languageClient.ts';
import type { PlacedResource, PlacementResponse } from '../../server/lsp/protocol.ts';

/** The argument the server's code lenses pass: `{uri, resourceId, cluster?}`. */
export interface ResourceCommandArgs {
  uri: string;
  resourceId: string;
  cluster?: string;
}

export function isResourceArgs(v: unknown): v is ResourceCommandArgs {
  return !!v && typeof v === 'object' && typeof (v as ResourceCommandArgs).uri === 'string' && typeof (v as ResourceCommandArgs).resourceId === 'string';
}

export function label(r: { kind: string; namespace?: string; name: string }): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

/** A YAML editor to act on: the active one, else the last visible YAML editor. */
export function yamlEditor(): vscode.TextEditor | undefined {
  const a = vscode.window.activeTextEditor;
  if (a && a.document.languageId === 'yaml' && (a.document.uri.scheme === 'file' || a.document.uri.scheme === 'untitled')) return a;
  return vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'yaml' && e.document.uri.scheme === 'file');
}

/**
 * The federated resource a command targets: the code lens argument, else the resource under the
 * cursor, else a pick among the file's resources (or the workspace's when no YAML editor is open).
 */
export async function pickResource(
  client: KubefedClient,
  arg: unknown,
  placeHolder: string,
  opts: { ask?: boolean } = {},
): Promise<{ uri: string; resource: PlacedResource; placement: PlacementResponse } | undefined> {
  const placement = await client.placement();
  if (isResourceArgs(arg)) {
    const r = placement.resources.find((x) => x.id === arg.resourceId);
    if (r) return { uri: arg.uri, resource: r, placement };
  }
  const editor = yamlEditor();
  let candidates = placement.resources;
  if (editor) {
    const uri = editor.document.uri.toString();
    const inFile = placement.resources.filter((r) => r.location?.uri === uri);
    // The resource whose object spans the cursor line (the innermost when objects nest in a List).
    const line = editor.selection.active.line;
    const spans = inFile
      .filter((r) => r.location && r.location.range.start.line <= line && line <= r.location.range.end.line)
      .sort((a, b) => b.location!.range.start.line - a.location!.range.start.line);
    if (spans[0]) return { uri, resource: spans[0], placement };
    // Above an object (its leading comments): the next one.
    const next = inFile.filter((r) => r.location && r.location.range.start.line > line).sort((a, b) => a.location!.range.start.line - b.location!.range.start.line)[0];
    const before = inFile.filter((r) => r.location && r.location.range.end.line < line).sort((a, b) => b.location!.range.end.line - a.location!.range.end.line)[0];
    const near = next && (!before || next.location!.range.start.line - line <= 3 || line - before.location!.range.end.line > 3) ? next : undefined;
    if (near) return { uri, resource: near, placement };
    if (inFile.length === 1) return { uri, resource: inFile[0], placement };
    if (inFile.length) candidates = inFile;
  }
  if (opts.ask === false) return undefined;
  if (!candidates.length) {
    void vscode.window.showInformationMessage('KubeFed: no federated resource found. Open a YAML file with a Federated<Kind> object.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((r) => ({
      label: label(r),
      description: `→ ${r.selected.length ? r.selected.join(', ') : 'no cluster'}`,
      detail: r.location ? vscode.workspace.asRelativePath(vscode.Uri.parse(r.location.uri)) : undefined,
      r,
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  if (!picked) return undefined;
  return { uri: picked.r.location?.uri ?? editor?.document.uri.toString() ?? '', resource: picked.r, placement };
}

/** A cluster for a resource: the ones it is placed on first, with why each is (not) selected. */
export async function pickCluster(resource: PlacedResource, clusters: string[], placeHolder: string): Promise<string | undefined> {
  if (!clusters.length) {
    void vscode.window.showWarningMessage('KubeFed: no member clusters are known. Add KubeFedCluster objects, a kubeconfig or `kubefed.clusters`.', 'Select Clusters…').then((a) => {
      if (a) void vscode.commands.executeCommand('kubefed.selectClusters');
    });
    return undefined;
  }
  const sorted = [...clusters].sort((a, b) => Number(resource.selected.includes(b)) - Number(resource.selected.includes(a)));
  const picked = await vscode.window.showQuickPick(
    sorted.map((c) => {
      const on = resource.selected.includes(c);
      return {
        label: `${on ? '$(check)' : '$(circle-slash)'} ${c}`,
        description: resource.reasons[c]?.text ?? (on ? 'selected' : 'not selected'),
        cluster: c,
      };
    }),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.cluster;
}
