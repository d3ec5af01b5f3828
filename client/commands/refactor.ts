/**
 * KubeFed: Federate Resource and KubeFed: Convert to v1beta1. Both are the language server's
 * refactorings (code actions of kind `refactor.rewrite`, computed by the engine like
 * `kubefedctl federate` and `kfed convert`); the commands find them for the object under the
 * cursor — or for every object of the file — and apply the chosen one.
 */
import * as vscode from 'vscode';
import type { Output } from '../outputChannel.ts';
import { yamlEditor } from './pick.ts';

type Which = 'federate' | 'convert';

const TITLE: Record<Which, RegExp> = {
  federate: /^Federate /,
  convert: /^Convert .* to v1beta1/,
};

async function actionsAt(doc: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const list = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    doc.uri,
    range,
    vscode.CodeActionKind.RefactorRewrite.value,
  );
  return (list ?? []).filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}

/** Start positions of the `---` documents of a YAML file. */
function documentStarts(doc: vscode.TextDocument): vscode.Position[] {
  const out = [new vscode.Position(0, 0)];
  for (let i = 0; i < doc.lineCount; i++) {
    if (/^---(\s|$)/.test(doc.lineAt(i).text) && i + 1 < doc.lineCount) out.push(new vscode.Position(i + 1, 0));
  }
  return out;
}

async function run(which: Which, out: Output, uriArg?: unknown): Promise<boolean> {
  let editor = yamlEditor();
  if (uriArg instanceof vscode.Uri && (!editor || editor.document.uri.toString() !== uriArg.toString())) {
    editor = await vscode.window.showTextDocument(uriArg);
  }
  if (!editor) {
    void vscode.window.showInformationMessage('KubeFed: open a YAML file first.');
    return false;
  }
  const doc = editor.document;
  const matches = (a: vscode.CodeAction) => TITLE[which].test(a.title) && !!a.edit;
  // The object under the cursor first; else every object of the file.
  let actions = (await actionsAt(doc, editor.selection)).filter(matches);
  if (!actions.length) {
    const seen = new Set<string>();
    for (const p of documentStarts(doc)) {
      for (const a of (await actionsAt(doc, new vscode.Range(p, p))).filter(matches)) {
        if (!seen.has(a.title)) {
          seen.add(a.title);
          actions.push(a);
        }
      }
    }
  }
  // "Federate X → FederatedX" replaces in place; "… add FederatedX below" keeps the original.
  if (which === 'federate') {
    const inPlace = actions.filter((a) => !/ below/.test(a.title));
    if (inPlace.length) actions = [...inPlace, ...actions.filter((a) => / below/.test(a.title))];
  }
  if (!actions.length) {
    const what = which === 'federate' ? 'plain Kubernetes object to federate' : 'v1alpha1 federated resource to convert';
    void vscode.window.showInformationMessage(`KubeFed: no ${what} in ${vscode.workspace.asRelativePath(doc.uri)}.`);
    return false;
  }
  let chosen = actions[0];
  // One object to federate: do it in place without asking.
  const inPlace = which === 'federate' ? actions.filter((a) => !/ below/.test(a.title)) : actions;
  if (inPlace.length === 1) chosen = inPlace[0];
  else if (actions.length > 1) {
    const p = await vscode.window.showQuickPick(
      actions.map((a) => ({ label: a.title, a })),
      { placeHolder: which === 'federate' ? 'Federate which object?' : 'Convert which resource?' },
    );
    if (!p) return false;
    chosen = p.a;
  }
  const ok = await vscode.workspace.applyEdit(chosen.edit!);
  out.info(`${chosen.title}: ${ok ? 'applied' : 'not applied'}`);
  if (!ok) void vscode.window.showErrorMessage(`KubeFed: could not apply "${chosen.title}".`);
  return ok;
}

export function registerRefactorCommands(out: Output): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kubefed.federateResource', (uri?: unknown) => run('federate', out, uri)),
    vscode.commands.registerCommand('kubefed.convertToV1beta1', (uri?: unknown) => run('convert', out, uri)),
  ];
}
