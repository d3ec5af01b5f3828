/**
 * Workspace trust. The extension declares limited support (package.json
 * `capabilities.untrustedWorkspaces`): in Restricted Mode the language features work on the
 * folder's files, while everything that could run a program or reach out on the folder's behalf is
 * off — reading a kubeconfig (its users can name `exec` credential plugins), a clusters file outside
 * the folder, and every cluster operation (the status bar's check, Select Clusters, Propagate,
 * Compare and the placement view's live status, which come from them). Granting trust turns it all
 * on without a reload (`onDidGrant`).
 */
import * as vscode from 'vscode';
import { resolvePath, settings } from './config.ts';
import { serverSettingsFor, type ServerSettings } from './restricted.ts';

export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';
const MANAGE = 'Manage Workspace Trust';

export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/** Fires once when the user trusts the folder. */
export function onDidGrant(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidGrantWorkspaceTrust(listener);
}

/** The `kubefed` settings the language server may see now (restricted.ts). */
export function serverSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  return serverSettingsFor(settings(scope), {
    trusted: isTrusted(),
    folders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
    resolve: resolvePath,
  });
}

/** Thrown by cluster operations in Restricted Mode (clusterOps.ts), whoever calls them. */
export class RestrictedModeError extends Error {
  constructor(what: string) {
    super(`${what} is off in Restricted Mode: trust this folder to use its kubeconfig and clusters`);
    this.name = 'RestrictedModeError';
  }
}

export function assertTrusted(what: string): void {
  if (!isTrusted()) throw new RestrictedModeError(what);
}

/**
 * For a command that needs the clusters: true when the folder is trusted; otherwise says why
 * nothing happens (offering to manage trust, without waiting for an answer) and returns false.
 */
export function requireTrust(what: string): boolean {
  if (isTrusted()) return true;
  void vscode.window.showWarningMessage(`KubeFed: ${new RestrictedModeError(what).message}.`, MANAGE).then((a) => {
    if (a === MANAGE) void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
  });
  return false;
}
