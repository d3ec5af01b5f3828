/**
 * The client's door to the cluster I/O of server/cluster/ (kubeconfig loading, per-cluster
 * clients, propagate and compare). That code (with @kubernetes/client-node) is loaded with a
 * dynamic import on first use, so it costs nothing at activation. In Restricted Mode every function
 * here that reads a kubeconfig or a cluster throws (trust.ts), whoever calls it.
 */
import * as vscode from 'vscode';
import { EXCLUDE_GLOB, inSkippedFolder, MAX_FILE_BYTES } from '../server/engine/loadRules.ts';
import { contextFor as settingContext, kubeconfigPath, resolvePath, settings, type KubefedSettings } from './config.ts';
import { assertTrusted } from './trust.ts';

type ClusterModule = typeof import('./clusterModule.ts');

let loading: Promise<ClusterModule> | undefined;

/** server/cluster, loaded once. */
export function clusterModule(): Promise<ClusterModule> {
  loading ??= import('./clusterModule.js');
  return loading;
}

/** The member clusters of the federation and the context that reaches each. */
export interface Member {
  name: string;
  context: string;
  labels: Record<string, string>;
}

/** Cluster name -> context map from `kubefed.clusters` (entries with a context). */
export function contextMap(s: KubefedSettings = settings()): Map<string, string> {
  return new Map(s.clusters.map((c) => [c.name, settingContext(c.name, s)]));
}

export interface ProbeResult {
  cluster: string;
  context?: string;
  server?: string;
  ok: boolean;
  version?: string;
  error?: string;
}

export interface KubeconfigState {
  path: string;
  from: string;
  ok: boolean;
  error?: string;
  contexts: { name: string; server?: string }[];
  currentContext?: string;
}

/** Loads the kubeconfig the settings point at. */
export async function readKubeconfig(s: KubefedSettings = settings()): Promise<KubeconfigState> {
  assertTrusted('Reading the kubeconfig');
  const { path, from } = kubeconfigPath(s);
  const m = await clusterModule();
  try {
    const kc = m.loadKubeconfig({ path });
    return { path, from, ok: true, contexts: kc.contexts().map((c) => ({ name: c.name, server: c.server })), currentContext: kc.currentContext };
  } catch (err) {
    return { path, from, ok: false, error: (err as Error).message, contexts: [] };
  }
}

/** Asks every cluster for /version (5 s each, all at once). */
export async function probe(clusters: string[], signal?: AbortSignal, s: KubefedSettings = settings()): Promise<ProbeResult[]> {
  assertTrusted('Checking the clusters');
  const m = await clusterModule();
  const { path } = kubeconfigPath(s);
  let kc;
  try {
    kc = m.loadKubeconfig({ path });
  } catch (err) {
    return clusters.map((cluster) => ({ cluster, ok: false, error: (err as Error).message }));
  }
  const conns = new m.Connections(kc, { contextMap: contextMap(s), timeoutMs: 5000 });
  try {
    return await Promise.all(
      clusters.map(async (cluster): Promise<ProbeResult> => {
        const c = conns.client(cluster);
        if ('error' in c) return { cluster, ok: false, error: c.error };
        try {
          const v = await c.request<{ gitVersion?: string }>('GET', '/version', { signal, timeoutMs: 5000 });
          return { cluster, context: c.context, server: c.server, ok: true, version: v.gitVersion };
        } catch (err) {
          return { cluster, context: c.context, server: c.server, ok: false, error: conns.redact((err as Error).message) };
        }
      }),
    );
  } finally {
    conns.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Runs (Propagate, Compare)

/** What a run acts on. */
export interface Scope {
  kind: 'workspace' | 'files' | 'selection';
  /** For messages: "the workspace", "web.yaml", "the selection in web.yaml". */
  label: string;
  /** files: these file URIs (or folders: every file below). selection: the file. */
  uris: string[];
  /** selection: the selected line ranges of the file (0-based, inclusive). */
  lines?: [number, number][];
}

export interface PreparedRun {
  m: ClusterModule;
  /** Every YAML file of the workspace (context: namespaces, type configs, v1alpha1 parts, clusters). */
  ws: import('./clusterModule.ts').Workspace;
  /** The ids of the scope's resources (what the run acts on); undefined: the whole workspace. */
  only?: ReadonlySet<string>;
  resources: import('./clusterModule.ts').FederatedResource[];
  connections: import('./clusterModule.ts').Connections;
  /** Member clusters to act on. */
  clusters: string[];
  hostCluster?: string;
  warnings: string[];
  kubeconfig: string;
  close(): void;
}


/** Reads every YAML file of the workspace (open editors' unsaved text wins) into an engine Workspace. */
async function loadFiles(m: ClusterModule): Promise<InstanceType<ClusterModule['Workspace']>> {
  const ws = new m.Workspace();
  const open = new Map<string, string>();
  for (const d of vscode.workspace.textDocuments) {
    if (d.languageId === 'yaml' && (d.uri.scheme === 'file' || d.uri.scheme === 'untitled')) open.set(d.uri.toString(), d.getText());
  }
  // The language server's and kfed's rules (engine/loadRules.ts): same folders skipped, same limit.
  const found = (vscode.workspace.workspaceFolders?.length ? await vscode.workspace.findFiles('**/*.{yaml,yml}', EXCLUDE_GLOB, 100_000) : []).filter(
    (u) => !inSkippedFolder(vscode.workspace.asRelativePath(u, false)),
  );
  const decoder = new TextDecoder();
  await Promise.all(
    found.map(async (u) => {
      const key = u.toString();
      if (open.has(key)) return;
      try {
        const bytes = await vscode.workspace.fs.readFile(u);
        if (bytes.byteLength <= MAX_FILE_BYTES) ws.setFile(key, decoder.decode(bytes));
      } catch {
        // unreadable: skipped
      }
    }),
  );
  for (const [uri, text] of open) if (text.length <= MAX_FILE_BYTES) ws.setFile(uri, text);
  return ws;
}

function inScope(m: ClusterModule, r: import('./clusterModule.ts').FederatedResource, scope: Scope): boolean {
  if (scope.kind === 'workspace') return true;
  const parts = [r.main, r.placementObject, r.overrideObject].filter((o): o is NonNullable<typeof o> => !!o);
  if (scope.kind === 'files') {
    return parts.some((o) => scope.uris.some((u) => o.uri === u || o.uri.startsWith(u.endsWith('/') ? u : `${u}/`)));
  }
  return parts.some((o) => {
    if (o.uri !== scope.uris[0]) return false;
    const loc = m.objectLocation(o);
    return (scope.lines ?? []).some(([a, b]) => loc.range.start.line <= b && loc.range.end.line >= a);
  });
}

/**
 * Everything a Propagate or Compare run needs: the workspace's files, the scope's resources, the
 * member clusters (workspace KubeFedClusters, `kubefed.clustersFile`, `kubefed.clusters`, the
 * host's KubeFedClusters, else the kubeconfig's contexts) and connections to them.
 */
export async function prepareRun(scope: Scope, signal?: AbortSignal, s: KubefedSettings = settings()): Promise<PreparedRun> {
  assertTrusted('Reaching the clusters');
  const m = await clusterModule();
  const ws = await loadFiles(m);
  const warnings: string[] = [];
  if (s.clustersFile) {
    try {
      const p = resolvePath(s.clustersFile);
      const text = decodeText(await vscode.workspace.fs.readFile(vscode.Uri.file(p)));
      const r = m.clustersFromFile(text, vscode.Uri.file(p).toString());
      warnings.push(...r.errors);
      ws.setClusterSource('clusters-file', r.clusters);
    } catch (err) {
      warnings.push(`kubefed.clustersFile ${s.clustersFile}: ${(err as Error).message}`);
    }
  }
  ws.setClusterSource('settings', m.clustersFromSettings(s.clusters));
  const { path } = kubeconfigPath(s);
  const run = await m.openRunClusters(ws, {
    kubeconfig: { path },
    contextMap: s.clusters.filter((c) => c.context && c.context !== c.name).map((c) => `${c.name}=${c.context}`),
    hostContext: s.hostCluster || undefined,
    timeoutMs: s.requestTimeout * 1000,
    signal,
  });
  warnings.push(...run.warnings);
  // `kubefed.clusters` names the members to act on (they are members: clustersFromSettings).
  const clusters = s.clusters.length ? [...new Set(s.clusters.map((c) => c.name))] : ws.clusters().map((c) => c.name);
  const resources = ws.resources().filter((r) => r.main && inScope(m, r, scope));
  // The run sees every file (namespaces, type configs, v1alpha1 parts elsewhere) but acts on the
  // scope's resources only.
  return {
    m,
    ws,
    ...(scope.kind === 'workspace' ? {} : { only: new Set(resources.map((r) => r.id)) }),
    resources,
    connections: run.connections,
    clusters,
    hostCluster: run.hostCluster,
    warnings,
    kubeconfig: path,
    close: () => run.connections.close(),
  };
}

function decodeText(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
