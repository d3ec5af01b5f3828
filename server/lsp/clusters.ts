/**
 * Clusters from outside the workspace files: kubeconfig contexts, a clusters file and the
 * `kubefed.clusters` setting. They are handed to the engine as cluster sources.
 */
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Location } from 'vscode-languageserver';
import { clustersFromFile, clustersFromKubeconfig, clustersFromSettings, type ClusterInfo } from '../engine/index.ts';
import type { ServerContext } from './context.ts';
import { pathToUri, uriToPath } from './documents.ts';

export class ClusterSources {
  private watched = new Set<string>();
  /** Kubeconfig text by path, to locate contexts for go-to-definition. */
  private kubeconfigs = new Map<string, string>();

  constructor(private readonly ctx: ServerContext) {}

  watches(uri: string): boolean {
    const p = uriToPath(uri);
    return !!p && this.watched.has(p);
  }

  /** The kubeconfig files of the settings (none when `kubeconfig` is false). */
  kubeconfigPaths(): string[] {
    const s = this.ctx.settings.kubeconfig;
    if (s === false) return [];
    if (typeof s === 'string' && s) return [this.resolve(s)];
    const env = process.env.KUBECONFIG;
    if (env) return env.split(delimiter).filter(Boolean);
    return [join(homedir(), '.kube', 'config')];
  }

  private resolve(p: string): string {
    if (p.startsWith('~/')) return join(homedir(), p.slice(2));
    if (isAbsolute(p)) return p;
    return join(this.ctx.docs.folderPaths()[0] ?? process.cwd(), p);
  }

  private loads = 0;

  /**
   * Reads every source, then hands them to the engine at once: an analysis in between would see
   * part of the inventory. A load overtaken by a newer one (settings changed again) is dropped.
   */
  async load(): Promise<void> {
    const { ws, settings } = this.ctx;
    const load = ++this.loads;
    const watched = new Set<string>();
    const kubeconfigs = new Map<string, string>();
    const fromKubeconfig: ClusterInfo[] = [];
    for (const p of this.kubeconfigPaths()) {
      watched.add(p);
      const text = await read(p);
      if (text === undefined) continue;
      kubeconfigs.set(p, text);
      for (const c of clustersFromKubeconfig(text).clusters) {
        fromKubeconfig.push({ ...c, location: contextLocation(p, text, c.name) });
      }
    }
    const fromFile: ClusterInfo[] = [];
    if (settings.clustersFile) {
      const p = this.resolve(settings.clustersFile);
      watched.add(p);
      const text = await read(p);
      if (text !== undefined) {
        for (const c of clustersFromFile(text, pathToUri(p)).clusters) {
          fromFile.push({ ...c, location: c.location ?? nameLocation(p, text, c.name) });
        }
      }
    }
    if (load !== this.loads) return;
    this.watched = watched;
    this.kubeconfigs = kubeconfigs;
    ws.setClusterSource('kubeconfig', fromKubeconfig);
    ws.setClusterSource('clusters-file', fromFile);
    ws.setClusterSource('settings', clustersFromSettings(settings.clusters));
  }
}

async function read(p: string): Promise<string | undefined> {
  try {
    return await fs.readFile(p, 'utf8');
  } catch {
    return undefined;
  }
}

function lineCol(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let last = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i + 1;
  }
  return { line, character: offset - last };
}

/** The `name: <context>` line of a kubeconfig context. */
function contextLocation(path: string, text: string, name: string): Location | undefined {
  const ctxStart = text.search(/^contexts:/m);
  const re = new RegExp(`^[ \\t-]*name:[ \\t]*["']?${escapeRe(name)}["']?[ \\t]*$`, 'gm');
  re.lastIndex = Math.max(0, ctxStart);
  const m = re.exec(text);
  if (!m) return undefined;
  const at = m.index + m[0].indexOf(name);
  const start = lineCol(text, at);
  return { uri: pathToUri(path), range: { start, end: { line: start.line, character: start.character + name.length } } };
}

function nameLocation(path: string, text: string, name: string): Location | undefined {
  const re = new RegExp(`^[ \\t]*name:[ \\t]*["']?${escapeRe(name)}["']?[ \\t]*$`, 'm');
  const m = re.exec(text);
  if (!m) return undefined;
  const at = m.index + m[0].indexOf(name);
  const start = lineCol(text, at);
  return { uri: pathToUri(path), range: { start, end: { line: start.line, character: start.character + name.length } } };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
