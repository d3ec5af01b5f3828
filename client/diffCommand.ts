/**
 * Read-only virtual documents `kubefed-diff:/<run>/<cluster>/<side>/<name>.yaml` holding the
 * desired and the live object of a Compare run, and the diff editor between them.
 */
import * as vscode from 'vscode';

export const DIFF_SCHEME = 'kubefed-diff';

export class DiffDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly registration: vscode.Disposable;
  private run = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, this);
  }

  /** A new run id: documents of older runs stay readable until closed. */
  nextRun(): string {
    this.run++;
    // Forget texts of runs older than the previous one whose documents are closed.
    const open = new Set(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === DIFF_SCHEME).map((d) => d.uri.toString()));
    for (const k of this.texts.keys()) {
      const run = Number(/^kubefed-diff:\/(\d+)\//.exec(k)?.[1] ?? 0);
      if (run < this.run - 1 && !open.has(k)) this.texts.delete(k);
    }
    return String(this.run);
  }

  /** Stores a text and returns its URI. */
  put(run: string, cluster: string, side: 'desired' | 'live', name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${run}/${safe(cluster)}/${side}/${safe(name)}.yaml` });
    this.texts.set(uri.toString(), text);
    this.emitter.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '# This comparison is no longer available: run KubeFed: Compare Across Clusters again.\n';
  }

  /** Opens the diff editor: left = desired (the workspace), right = live (the cluster). */
  async open(left: vscode.Uri, right: vscode.Uri, title: string, options: vscode.TextDocumentShowOptions = { preview: false }): Promise<void> {
    await vscode.commands.executeCommand('vscode.diff', left, right, title, options);
  }

  dispose(): void {
    this.registration.dispose();
    this.emitter.dispose();
    this.texts.clear();
  }
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || '_';
}
