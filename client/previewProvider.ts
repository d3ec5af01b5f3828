/**
 * Read-only virtual documents `kubefed-preview:/<cluster>/<Kind>_<namespace>_<name>.yaml?<source>`:
 * the object one member cluster receives from a federated resource, computed by the language
 * server (`kubefed/render`). The preview follows the source document as you type.
 */
import * as vscode from 'vscode';
import type { KubefedClient } from './languageClient.ts';
import type { RenderResponse } from '../server/lsp/protocol.ts';
import type { Output } from './outputChannel.ts';
import { errorText } from './outputChannel.ts';

export const PREVIEW_SCHEME = 'kubefed-preview';

export interface PreviewTarget {
  /** The source document (file:// or untitled:). */
  uri: string;
  /** The federated resource, as in code lens arguments; default: the first one of the file. */
  resourceId?: string;
  cluster: string;
  /** A label for the tab when the resource is not known yet. */
  label?: string;
}

export function previewUri(t: PreviewTarget): vscode.Uri {
  const label = safe(t.label ?? (t.resourceId ? t.resourceId.split(/[/:]/).filter(Boolean).slice(-3).join('_') : 'resource'));
  return vscode.Uri.from({
    scheme: PREVIEW_SCHEME,
    path: `/${safe(t.cluster)}/${label}.yaml`,
    query: JSON.stringify({ uri: t.uri, resourceId: t.resourceId, cluster: t.cluster }),
  });
}

export function parsePreviewUri(uri: vscode.Uri): PreviewTarget | undefined {
  try {
    const q = JSON.parse(uri.query) as PreviewTarget;
    if (typeof q.uri === 'string' && typeof q.cluster === 'string') return q;
  } catch {
    // not one of ours
  }
  return undefined;
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || '_';
}

/** The text of a preview from a `kubefed/render` result (one resource, one cluster). */
export function previewText(result: RenderResponse, target: PreviewTarget): string {
  const res = target.resourceId ? result.resources.find((r) => r.id === target.resourceId) : result.resources[0];
  if (!res) {
    return `# No federated resource${target.resourceId ? ` ${target.resourceId}` : ''} in ${target.uri}\n`;
  }
  const title = `${res.kind} ${res.namespace ? `${res.namespace}/` : ''}${res.name} → ${target.cluster}`;
  const c = res.clusters.find((x) => x.cluster === target.cluster);
  const head = `# ${title} (read-only preview, follows the source as you type)\n`;
  if (!c) return `${head}# ${target.cluster} is not a known cluster.\n`;
  if (!c.selected) {
    return `${head}# Not placed on ${target.cluster}${c.reason ? `: ${c.reason}` : ''}.\n# The cluster receives nothing.\n`;
  }
  if (!c.ok || !c.yaml) {
    return `${head}# ${c.status ?? 'Failed'}: ${c.message ?? 'the object cannot be computed'}\n`;
  }
  const n = c.overriddenPaths.length;
  return `${head}${n ? `# ${n} override${n === 1 ? '' : 's'} applied: ${c.overriddenPaths.join(', ')}\n` : ''}${c.yaml}`;
}

export class PreviewProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly client: KubefedClient,
    private readonly out: Output,
  ) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this),
      vscode.workspace.onDidChangeTextDocument((e) => this.sourceChanged(e.document.uri.toString())),
      // A change anywhere can change a preview (v1alpha1 parts in other files, clusters).
      vscode.workspace.onDidSaveTextDocument(() => this.refreshAll()),
      client.onInventoryChanged(() => this.refreshAll()),
      this.emitter,
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const target = parsePreviewUri(uri);
    if (!target) return '# Not a KubeFed preview\n';
    try {
      const result = await this.client.render({ uri: target.uri, resourceId: target.resourceId, cluster: target.cluster }, token);
      return previewText(result, target);
    } catch (err) {
      this.out.error(`preview of ${target.uri} for ${target.cluster}`, err);
      return `# The preview failed: ${errorText(err)}\n`;
    }
  }

  /** Open previews. */
  private open(): vscode.Uri[] {
    return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === PREVIEW_SCHEME && !d.isClosed).map((d) => d.uri);
  }

  private sourceChanged(source: string): void {
    const uris = this.open();
    if (!uris.length || uris.some((u) => u.toString() === source)) return;
    // Debounced per source; every open preview is refreshed (a v1alpha1 override in another file
    // changes what a template in this one renders).
    clearTimeout(this.timers.get(source));
    this.timers.set(
      source,
      setTimeout(() => {
        this.timers.delete(source);
        this.refreshAll();
      }, 200),
    );
  }

  refreshAll(): void {
    for (const u of this.open()) this.emitter.fire(u);
  }

  /** Opens the preview of a resource for a cluster beside the editor. */
  async show(target: PreviewTarget, column = vscode.ViewColumn.Beside): Promise<vscode.TextEditor> {
    let doc = await vscode.workspace.openTextDocument(previewUri(target));
    if (doc.languageId !== 'yaml') doc = await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
    return vscode.window.showTextDocument(doc, { viewColumn: column, preview: false, preserveFocus: true });
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
