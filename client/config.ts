/**
 * The `kubefed.*` settings, read fresh on every use (so a change applies without a reload), and
 * an event fired when any of them changes. The language server reads the same section through
 * `workspace/configuration` and is told of changes by the language client.
 */
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';

export const SECTION = 'kubefed';

export interface ClusterSetting {
  /** Member cluster name as placements use it (KubeFedCluster name). */
  name: string;
  /** The kubeconfig context that reaches it; default: a context with the same name. */
  context?: string;
  /** KubeFedCluster labels, used by clusterSelector placements. */
  labels?: Record<string, string>;
}

export type SchemaStrictness = 'strict' | 'normal' | 'off';

export interface KubefedSettings {
  /** Path of the kubeconfig ('' = $KUBECONFIG or ~/.kube/config). */
  kubeconfig: string;
  /** The members of the federation (each entry declares one); empty = every declared cluster. */
  clusters: ClusterSetting[];
  /** Context of the KubeFed host cluster ('' = the kubeconfig's current context). */
  hostCluster: string;
  /** A YAML file of KubeFedCluster objects ('' = none). */
  clustersFile: string;
  /** Field manager of server-side apply. */
  fieldManager: string;
  /** How many API requests run at once. */
  concurrency: number;
  /** Seconds to wait for an answer from an API server. */
  requestTimeout: number;
  /** Delete objects this tool propagated before that are no longer placed on a cluster. */
  prune: boolean;
  /** Take over objects that exist in a cluster but were not created by this tool. */
  adopt: boolean;
  /** Ask before propagating (a list of what changes per cluster). */
  confirmPropagate: boolean;
  /** Schema validation of templates and overrides. */
  schemaStrictness: SchemaStrictness;
  /** Mask Secret data in previews. */
  maskSecrets: boolean;
}

export function settings(scope?: vscode.ConfigurationScope): KubefedSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const clusters = c.get<unknown[]>('clusters', []);
  return {
    kubeconfig: c.get<string>('kubeconfig', '') ?? '',
    clusters: Array.isArray(clusters) ? clusters.filter(isClusterSetting) : [],
    hostCluster: c.get<string>('hostCluster', '') ?? '',
    clustersFile: c.get<string>('clustersFile', '') ?? '',
    fieldManager: c.get<string>('fieldManager', 'kubefed-tools') || 'kubefed-tools',
    concurrency: clampInt(c.get<number>('concurrency', 4), 1, 64, 4),
    requestTimeout: clampInt(c.get<number>('requestTimeout', 30), 1, 600, 30),
    prune: c.get<boolean>('prune', false) === true,
    adopt: c.get<boolean>('adopt', false) === true,
    confirmPropagate: c.get<boolean>('confirmPropagate', true) !== false,
    schemaStrictness: (['strict', 'normal', 'off'] as const).find((s) => s === c.get('schemaStrictness')) ?? 'normal',
    maskSecrets: c.get<boolean>('maskSecrets', true) !== false,
  };
}

function isClusterSetting(v: unknown): v is ClusterSetting {
  return !!v && typeof v === 'object' && typeof (v as ClusterSetting).name === 'string' && (v as ClusterSetting).name !== '';
}

function clampInt(v: unknown, min: number, max: number, dflt: number): number {
  const n = typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : dflt;
  return Math.min(max, Math.max(min, n));
}

/** The kubeconfig file the settings point at (absolute), and where that choice came from. */
export function kubeconfigPath(s: KubefedSettings = settings()): { path: string; from: 'setting' | 'KUBECONFIG' | 'default' } {
  if (s.kubeconfig) return { path: resolvePath(s.kubeconfig), from: 'setting' };
  const env = process.env.KUBECONFIG?.split(delimiter).find(Boolean);
  if (env) return { path: resolvePath(env), from: 'KUBECONFIG' };
  return { path: join(homedir(), '.kube', 'config'), from: 'default' };
}

/** `~/x` and paths relative to the first workspace folder, made absolute. */
export function resolvePath(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  if (isAbsolute(p)) return p;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return join(folder ?? process.cwd(), p);
}

/** The context that reaches a member cluster. */
export function contextFor(cluster: string, s: KubefedSettings = settings()): string {
  return s.clusters.find((c) => c.name === cluster)?.context || cluster;
}

/** Fires after any `kubefed.*` setting changed. */
export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener();
  });
}

/** Writes a setting where the user most likely wants it: the workspace when one is open. */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(SECTION).update(key, value, target);
}
