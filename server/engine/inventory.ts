/**
 * The member clusters a workspace knows of: KubeFedCluster / FederatedCluster objects in the
 * workspace, a clusters file (KubeFedCluster objects), kubeconfig contexts and editor settings.
 * Read only: nothing here talks to a cluster.
 */
import { parseAllDocuments } from 'yaml';
import type { JsonObject } from './json.ts';
import { isObject, own, getPath } from './json.ts';
import type { Location } from './text.ts';
import { isClusterReady } from './health.ts';

/** Where a member cluster was declared: a workspace object, a clusters file, a KubeFed host's KubeFedClusters, a kubeconfig context, the settings. */
export type ClusterSource = 'workspace' | 'clusters-file' | 'host' | 'kubeconfig' | 'settings';

export interface ClusterInfo {
  name: string;
  labels: Record<string, string>;
  source: ClusterSource;
  /** Where the cluster is declared (KubeFedCluster object, clusters file, kubeconfig context). */
  location?: Location;
  /** Known readiness from status conditions; undefined when unknown (treated as ready). */
  ready?: boolean;
  /** Kubeconfig context that reaches this cluster, when known. */
  context?: string;
  server?: string;
  /** The cluster object as declared (KubeFedCluster or FederatedCluster), when there is one. */
  object?: JsonObject;
}

/** Readiness from `status.conditions`: true iff a Ready condition is True; undefined without conditions. */
export function readinessOf(o: JsonObject): boolean | undefined {
  const conds = getPath(o, ['status', 'conditions']);
  if (!Array.isArray(conds) || conds.length === 0) return undefined;
  return isClusterReady(own(o, 'status'));
}

/** The string-valued entries of a label map. */
function stringLabels(l: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  if (isObject(l)) for (const [k, v] of Object.entries(l)) if (typeof v === 'string') labels[k] = v;
  return labels;
}

export function clusterFromObject(o: JsonObject, source: ClusterSource, location?: Location): ClusterInfo | undefined {
  const name = getPath(o, ['metadata', 'name']);
  if (typeof name !== 'string' || !name) return undefined;
  const labels = stringLabels(getPath(o, ['metadata', 'labels']));
  const endpoint = getPath(o, ['spec', 'apiEndpoint']);
  return {
    name,
    labels,
    source,
    location,
    ready: readinessOf(o),
    server: typeof endpoint === 'string' ? endpoint : undefined,
    object: o,
  };
}

/** Clusters from a clusters file: KubeFedCluster (or FederatedCluster) objects, `kind: List` allowed. */
export function clustersFromFile(text: string, uri = 'clusters'): { clusters: ClusterInfo[]; errors: string[] } {
  const clusters: ClusterInfo[] = [];
  const errors: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length) {
      for (const e of doc.errors) errors.push(`${uri}: ${e.message.split('\n')[0]}`);
      continue;
    }
    const v = doc.toJS({ maxAliasCount: 100 }) as unknown;
    const items = isObject(v) && Array.isArray(v.items) ? v.items : [v];
    for (const it of items) {
      if (!isObject(it)) continue;
      if (it.kind !== 'KubeFedCluster' && it.kind !== 'FederatedCluster') continue;
      const c = clusterFromObject(it, 'clusters-file');
      if (c) clusters.push(c);
    }
  }
  return { clusters, errors };
}

/**
 * The members the editor settings name (`kubefed.clusters`: `{name, context?, labels?}`): every
 * named entry is a cluster with its labels, for the language server as for a run.
 */
export function clustersFromSettings(entries: readonly unknown[] | undefined): ClusterInfo[] {
  const out: ClusterInfo[] = [];
  for (const e of entries ?? []) {
    const name = own(e, 'name');
    if (typeof name !== 'string' || !name) continue;
    out.push({ name, labels: stringLabels(own(e, 'labels')), source: 'settings' });
  }
  return out;
}

/** One cluster per kubeconfig context; the context name is the cluster name (no labels). */
export function clustersFromKubeconfig(text: string): { clusters: ClusterInfo[]; currentContext?: string } {
  const docs = parseAllDocuments(text);
  const v = docs.length && !('errors' in docs[0] && docs[0].errors.length) ? (docs[0].toJS({ maxAliasCount: 100 }) as unknown) : undefined;
  if (!isObject(v)) return { clusters: [] };
  const servers = new Map<string, string>();
  if (Array.isArray(v.clusters)) {
    for (const c of v.clusters) {
      const n = own(c, 'name');
      const s = getPath(c, ['cluster', 'server']);
      if (typeof n === 'string' && typeof s === 'string') servers.set(n, s);
    }
  }
  const clusters: ClusterInfo[] = [];
  if (Array.isArray(v.contexts)) {
    for (const c of v.contexts) {
      const n = own(c, 'name');
      if (typeof n !== 'string' || !n) continue;
      const cl = getPath(c, ['context', 'cluster']);
      clusters.push({
        name: n,
        labels: {},
        source: 'kubeconfig',
        context: n,
        server: typeof cl === 'string' ? servers.get(cl) : undefined,
      });
    }
  }
  const cur = own(v, 'current-context');
  return { clusters, currentContext: typeof cur === 'string' ? cur : undefined };
}

/**
 * Merges cluster lists: the first declaration of a name wins for location and object, labels
 * are merged (earlier sources win on conflicts), a kubeconfig context is attached when present.
 */
export function mergeClusters(...lists: ClusterInfo[][]): ClusterInfo[] {
  const byName = new Map<string, ClusterInfo>();
  for (const list of lists) {
    for (const c of list) {
      const prev = byName.get(c.name);
      if (!prev) {
        byName.set(c.name, { ...c, labels: { ...c.labels } });
        continue;
      }
      for (const [k, v] of Object.entries(c.labels)) if (!(k in prev.labels)) prev.labels[k] = v;
      prev.context ??= c.context;
      prev.server ??= c.server;
      prev.location ??= c.location;
      prev.object ??= c.object;
      if (prev.ready === undefined) prev.ready = c.ready;
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Sources whose clusters count only when no other source declares a cluster (contexts of a kubeconfig). */
export const FALLBACK_CLUSTER_SOURCES: readonly string[] = ['kubeconfig'];

/**
 * The member clusters of a workspace, merged once for every face: workspace objects first (they
 * carry labels and locations), then the other sources in order. Fallback sources (the kubeconfig's
 * contexts) add clusters only when nothing else declares one; otherwise they only fill in the
 * context and server of clusters of the same name — a kubeconfig holds more than the federation.
 */
export function mergeClusterSources(own: ClusterInfo[], sources: ReadonlyMap<string, ClusterInfo[]>): ClusterInfo[] {
  const primary: ClusterInfo[][] = [own];
  const fallback: ClusterInfo[][] = [];
  for (const [name, list] of sources) (FALLBACK_CLUSTER_SOURCES.includes(name) ? fallback : primary).push(list);
  const declared = mergeClusters(...primary);
  if (declared.length === 0) return mergeClusters(...fallback);
  const names = new Set(declared.map((c) => c.name));
  return mergeClusters(declared, ...fallback.map((l) => l.filter((c) => names.has(c.name))));
}

/** A KubeFedCluster-shaped object for placement evaluation. */
export function asKubeFedCluster(c: ClusterInfo): JsonObject {
  return {
    apiVersion: 'core.kubefed.io/v1beta1',
    kind: 'KubeFedCluster',
    metadata: { name: c.name, labels: { ...c.labels } },
  };
}

/** A FederatedCluster-shaped object with its readiness (unknown counts as ready). */
export function asFederatedCluster(c: ClusterInfo): JsonObject {
  return {
    apiVersion: 'core.federation.k8s.io/v1alpha1',
    kind: 'FederatedCluster',
    metadata: { name: c.name, labels: { ...c.labels } },
    status: { conditions: [{ type: 'Ready', status: c.ready === false ? 'False' : 'True' }] },
  };
}
