/**
 * The commands that code lenses carry. The VS Code extension implements `kubefed.showPlacement`,
 * `kubefed.showOverrides`, `kubefed.showSchedule` and `kubefed.previewForCluster` itself and says
 * so with `initializationOptions.clientCommands: true`. Any other client (Neovim, Emacs, …) gets
 * lenses whose commands the server runs itself (`workspace/executeCommand`, listed in the
 * `executeCommandProvider` capability): placement, overrides and replica schedule as a message
 * (`window/showMessage`), the preview as a read-only YAML file opened with `window/showDocument`
 * (a message where the client cannot show documents). Each command also returns its text.
 */
import { mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, MessageType, ResponseError, ShowMessageNotification, type CancellationToken, type ExecuteCommandParams, type InitializeParams } from 'vscode-languageserver';
import type { FederatedResource } from '../engine/index.ts';
import { overriddenPaths } from '../engine/index.ts';
import type { ServerContext } from './context.ts';
import { placementMarkdown, replicaDetail } from './preview.ts';
import { renderResource } from './requests.ts';

export type LensKind = 'placement' | 'overrides' | 'schedule' | 'preview';

/** Commands of the VS Code extension (client side). */
export const CLIENT_COMMANDS: Record<LensKind, string> = {
  placement: 'kubefed.showPlacement',
  overrides: 'kubefed.showOverrides',
  schedule: 'kubefed.showSchedule',
  preview: 'kubefed.previewForCluster',
};

/** The same commands run by the server (other names, so that a client registering them for the server does not clash). */
export const SERVER_COMMANDS: Record<LensKind, string> = {
  placement: 'kubefed.server.showPlacement',
  overrides: 'kubefed.server.showOverrides',
  schedule: 'kubefed.server.showSchedule',
  preview: 'kubefed.server.previewForCluster',
};

/** What `workspace/executeCommand` of a server command answers. */
export interface LensCommandResult {
  /** The text shown (the preview's YAML for `previewForCluster`). */
  text: string;
  /** The preview file shown with `window/showDocument`. */
  uri?: string;
}

const client = { hasCommands: false, canShowDocument: false };

export function configureLensCommands(params: InitializeParams): void {
  const opts = params.initializationOptions as { clientCommands?: unknown } | undefined;
  client.hasCommands = opts?.clientCommands === true;
  client.canShowDocument = params.capabilities.window?.showDocument?.support === true;
}

export function lensCommand(kind: LensKind): string {
  return (client.hasCommands ? CLIENT_COMMANDS : SERVER_COMMANDS)[kind];
}

/** `executeCommandProvider` of the initialize result (none for a client that runs the commands itself). */
export function executeCommandProvider(): { commands: string[] } | undefined {
  return client.hasCommands ? undefined : { commands: Object.values(SERVER_COMMANDS) };
}

function kindOf(command: string): LensKind | undefined {
  return (Object.keys(SERVER_COMMANDS) as LensKind[]).find((k) => SERVER_COMMANDS[k] === command);
}

export async function onExecuteCommand(ctx: ServerContext, params: ExecuteCommandParams, _token: CancellationToken): Promise<LensCommandResult | null> {
  const kind = kindOf(params.command);
  const arg = params.arguments?.[0] as { resourceId?: unknown; cluster?: unknown } | undefined;
  if (!kind) throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${params.command} (the server runs ${Object.values(SERVER_COMMANDS).join(', ')})`);
  await ctx.ready;
  const res = ctx.ws.resources().find((r) => r.id === arg?.resourceId);
  if (!res) {
    const text = `${params.command}: the resource is no longer in the workspace`;
    show(ctx, MessageType.Warning, text);
    return { text };
  }
  if (kind === 'preview') return showPreview(ctx, res, typeof arg?.cluster === 'string' ? arg.cluster : res.placement.selected[0]);
  const text = kind === 'placement' ? placementMarkdown(ctx, res) : kind === 'overrides' ? overridesText(res) : scheduleText(res);
  show(ctx, MessageType.Info, text);
  return { text };
}

/** `window/showMessage` (a notification: `connection.window.show…Message` would ask the user to pick an action). */
function show(ctx: ServerContext, type: MessageType, message: string): void {
  void ctx.connection.sendNotification(ShowMessageNotification.type, { type, message });
}

function title(res: FederatedResource): string {
  return `${res.kind} ${res.namespace ? res.namespace + '/' : ''}${res.name}`;
}

function overridesText(res: FederatedResource): string {
  const lines = [`Overrides of ${title(res)}`];
  for (const c of res.placement.selected) {
    const paths = overriddenPaths(res, c);
    lines.push(`  ${c}: ${paths.length ? paths.join(', ') : 'none'}`);
  }
  if (!res.placement.selected.length) lines.push('  placed on no cluster');
  return lines.join('\n');
}

function scheduleText(res: FederatedResource): string {
  const detail = replicaDetail(res);
  return detail ? `Replica schedule of ${title(res)} (${res.rsp!.totalReplicas} replicas): ${detail}` : `${title(res)} has no ReplicaSchedulingPreference`;
}

let previewDir: string | undefined;

/** Writes the object `cluster` receives to a read-only file of a folder removed when the server exits, and shows it. */
async function showPreview(ctx: ServerContext, res: FederatedResource, cluster: string | undefined): Promise<LensCommandResult> {
  const r = cluster ? renderResource(ctx, res, cluster)[0] : undefined;
  if (!cluster || !r?.yaml) {
    const text = `${title(res)} → ${cluster ?? 'no cluster'}: ${r?.reason ?? r?.message ?? 'nothing to preview'}`;
    show(ctx, MessageType.Info, text);
    return { text };
  }
  const text = `# What ${cluster} receives from ${title(res)}. A snapshot: run the lens again after editing.\n${r.yaml}`;
  if (!client.canShowDocument) {
    show(ctx, MessageType.Info, text);
    return { text };
  }
  if (!previewDir) {
    previewDir = join(tmpdir(), `kubefed-preview-${process.pid}`);
    const dir = previewDir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const dir = join(previewDir, cluster);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${res.targetKind}-${res.namespace ?? '_'}-${res.name}.yaml`.replace(/[^\w.-]/g, '_'));
  rmSync(file, { force: true });
  writeFileSync(file, text);
  chmodSync(file, 0o444);
  const uri = pathToFileURL(file).href;
  const shown = await ctx.connection.window.showDocument({ uri, takeFocus: true });
  if (!shown.success) show(ctx, MessageType.Info, text);
  return { text, uri };
}
