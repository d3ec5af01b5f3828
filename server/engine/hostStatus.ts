/**
 * KubeFed's own view of a federated resource, read from its object in the host cluster
 * (`status.conditions[Propagation]`, `status.clusters`, `status.observedGeneration`), next to
 * what the workspace says of it: missing in the host, different there, or not yet seen by the
 * controller. Pure: the cluster module reads the host object, every face shows this.
 */
import { deepEqual, isObject, own, type Json, type JsonObject } from './json.ts';
import { PROPAGATION_CONDITION } from './status.ts';
import { APPLIED_SET_LABEL } from './hostApply.ts';
import { diag, type EngineDiagnostic } from './diagnostics.ts';
import { hintFor } from './statusHints.ts';
import { locate } from './objects.ts';
import type { PathSegment } from './parse.ts';
import type { FederatedResource } from './resources.ts';

export type HostState =
  /** The workspace has the resource, the host does not. */
  | 'missing'
  /** KubeFed has not reconciled the host object's current generation yet. */
  | 'pending'
  /** Propagation=True: every placed cluster has the object. */
  | 'propagated'
  /** Propagation=False: see the reason and the clusters. */
  | 'failed';

export interface HostClusterStatus {
  name: string;
  /** KubeFed's per-cluster status; '' = the cluster has the object as desired. */
  status: string;
}

export interface HostStatus {
  state: HostState;
  generation?: number;
  observedGeneration?: number;
  propagation?: { status: string; reason: string; message?: string; lastTransitionTime?: string; lastUpdateTime?: string };
  /** status.clusters, sorted by name. */
  clusters: HostClusterStatus[];
  /** Fields where the host object differs from the workspace's (e.g. `spec.overrides`); empty when equal or not compared. */
  differs: string[];
  /** Clusters KubeFed reports ready (status ''). */
  propagatedTo: number;
}

function num(v: Json | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** JSON without nulls (the API server drops them from custom resources) for comparison. */
function withoutNulls(v: Json | undefined): Json | undefined {
  if (Array.isArray(v)) return v.map((x) => withoutNulls(x) ?? null);
  if (!isObject(v)) return v === null ? undefined : v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    const y = withoutNulls(x);
    if (y !== undefined) out[k] = y;
  }
  return out;
}

const IGNORED_LABELS = new Set([APPLIED_SET_LABEL]);
const IGNORED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

function filtered(m: Json | undefined, ignore: Set<string>): JsonObject {
  if (!isObject(m)) return {};
  return Object.fromEntries(Object.entries(m).filter(([k]) => !ignore.has(k)));
}

/** Where the host object differs from the workspace's object: spec fields, labels, annotations. */
export function hostDifferences(workspace: JsonObject, host: JsonObject): string[] {
  const out: string[] = [];
  const ws = isObject(workspace.spec) ? workspace.spec : {};
  const live = isObject(host.spec) ? host.spec : {};
  for (const k of [...new Set([...Object.keys(ws), ...Object.keys(live)])].sort()) {
    if (!deepEqual(withoutNulls(ws[k]), withoutNulls(live[k]))) out.push(`spec.${k}`);
  }
  const wm = own(workspace, 'metadata');
  const hm = own(host, 'metadata');
  if (!deepEqual(filtered(own(wm, 'labels'), IGNORED_LABELS), filtered(own(hm, 'labels'), IGNORED_LABELS))) out.push('metadata.labels');
  if (!deepEqual(filtered(own(wm, 'annotations'), IGNORED_ANNOTATIONS), filtered(own(hm, 'annotations'), IGNORED_ANNOTATIONS))) out.push('metadata.annotations');
  return out;
}

/**
 * KubeFed's status of a host object (`host`; undefined when the host has none), compared with
 * the workspace's object when given.
 */
export function hostStatusOf(host: JsonObject | undefined, workspace?: JsonObject): HostStatus {
  if (!host) return { state: 'missing', clusters: [], differs: [], propagatedTo: 0 };
  const status = own(host, 'status');
  const generation = num(own(own(host, 'metadata'), 'generation'));
  const observedGeneration = num(own(status, 'observedGeneration'));
  const conditions = own(status, 'conditions');
  const cond = Array.isArray(conditions) ? conditions.find((c) => isObject(c) && c.type === PROPAGATION_CONDITION) : undefined;
  const propagation = isObject(cond)
    ? {
        status: str(cond.status) ?? 'Unknown',
        reason: str(cond.reason) ?? '',
        ...(str(cond.message) ? { message: str(cond.message) } : {}),
        ...(str(cond.lastTransitionTime) ? { lastTransitionTime: str(cond.lastTransitionTime) } : {}),
        ...(str(cond.lastUpdateTime) ? { lastUpdateTime: str(cond.lastUpdateTime) } : {}),
      }
    : undefined;
  const list = own(status, 'clusters');
  const clusters: HostClusterStatus[] = (Array.isArray(list) ? list : [])
    .filter(isObject)
    .map((c) => ({ name: str(c.name) ?? '', status: str(c.status) ?? '' }))
    .filter((c) => c.name)
    .sort((a, b) => a.name.localeCompare(b.name));
  const observed = generation === undefined ? observedGeneration !== undefined : observedGeneration !== undefined && observedGeneration >= generation;
  const state: HostState = !observed || !propagation ? 'pending' : propagation.status === 'True' ? 'propagated' : 'failed';
  return {
    state,
    ...(generation !== undefined ? { generation } : {}),
    ...(observedGeneration !== undefined ? { observedGeneration } : {}),
    ...(propagation ? { propagation } : {}),
    clusters,
    differs: workspace ? hostDifferences(workspace, host) : [],
    propagatedTo: clusters.filter((c) => c.status === '').length,
  };
}

/** What to do about a host status, in KubeFed's terms (empty when nothing is wrong). */
export function hostStatusHint(s: HostStatus, res: { kind: string; namespace: string; name: string }): string {
  const obj = `${res.kind} ${res.namespace ? `${res.namespace}/` : ''}${res.name}`;
  if (s.state === 'missing') return `The host has no ${obj}: kfed apply it (or KubeFed: Apply to Host).`;
  if (s.differs.length) return `The host's ${obj} differs from the workspace (${s.differs.join(', ')}): kfed apply to send your edits.`;
  if (s.state === 'pending') {
    return s.observedGeneration === undefined
      ? `KubeFed has not reconciled ${obj} yet: check that its controller runs and that the type's FederatedTypeConfig is enabled.`
      : `KubeFed has not seen your last change yet (generation ${s.generation}, observed ${s.observedGeneration}).`;
  }
  if (s.state === 'failed' && s.propagation?.reason === 'NamespaceNotFederated') {
    return `Namespace ${res.namespace} has no FederatedNamespace in the host: apply one that places the namespace, then KubeFed propagates ${obj}.`;
  }
  if (s.state === 'failed' && s.propagation?.reason === 'ComputePlacementFailed') return `KubeFed cannot evaluate the placement of ${obj}: fix spec.placement (kfed validate shows the error).`;
  return '';
}

/** What to do about one cluster's KubeFed status, with KubeFed's controller acting on it. */
export function hostClusterHint(status: string, cluster: string): string {
  return hintFor(status, undefined, { cluster }, 'kubefed');
}

/**
 * Diagnostics on a federated resource from KubeFed's status of its host object: a warning for
 * each cluster KubeFed could not propagate to (at that cluster's override for
 * ApplyOverridesFailed, else at its placement entry), one for a failed Propagation as a whole,
 * and information when the host's object differs from the file or KubeFed has not seen its
 * latest generation. Nothing when the host has no such object.
 */
export function hostDiagnostics(res: FederatedResource, host: JsonObject | undefined, hostName: string): EngineDiagnostic[] {
  const main = res.main;
  if (!main || res.era !== 'v1beta1' || !host) return [];
  const s = hostStatusOf(host, main.object);
  const out: EngineDiagnostic[] = [];
  const at = (path: PathSegment[]) => locate(main, path, { key: true });
  const version = s.differs.length ? ` (for the version in the host, which differs from this file: ${s.differs.join(', ')})` : '';
  if (s.differs.length) {
    out.push(diag(at(['metadata', 'name']), 'info', 'kubefed-status', `The host ${hostName} holds another version of this resource (${s.differs.join(', ')} differ): KubeFed propagates that one. KubeFed: Apply to Host sends this file.`, { data: { state: s.state, differs: s.differs } }));
  }
  if (s.state === 'pending' && s.observedGeneration !== undefined) {
    out.push(diag(at(['metadata', 'name']), 'info', 'kubefed-status', `KubeFed has not seen the last change in ${hostName} yet (generation ${s.generation}, observed ${s.observedGeneration}).`, { data: { state: s.state } }));
  }
  if (s.state !== 'failed') return out;
  const reason = s.propagation?.reason ?? '';
  if (reason && reason !== 'CheckClusters') {
    const hint = hostStatusHint(s, res);
    const path: PathSegment[] = reason === 'NamespaceNotFederated' ? ['metadata', 'namespace'] : reason === 'ComputePlacementFailed' ? ['spec', 'placement'] : ['metadata', 'name'];
    out.push(diag(at(path), 'warning', 'kubefed-status', `KubeFed: ${reason}${version}.${hint ? ` ${hint}` : ''}`, { data: { state: s.state, reason } }));
  }
  const overrides = own(own(main.object, 'spec'), 'overrides');
  const placed = own(own(own(main.object, 'spec'), 'placement'), 'clusters');
  for (const c of s.clusters) {
    if (c.status === '' || c.status === 'WaitingForRemoval') continue;
    const oi = c.status === 'ApplyOverridesFailed' && Array.isArray(overrides) ? overrides.findIndex((o) => own(o, 'clusterName') === c.name) : -1;
    const pi = Array.isArray(placed) ? placed.findIndex((p) => own(p, 'name') === c.name) : -1;
    const path: PathSegment[] = oi >= 0 ? ['spec', 'overrides', oi, 'clusterName'] : pi >= 0 ? ['spec', 'placement', 'clusters', pi, 'name'] : ['metadata', 'name'];
    out.push(diag(at(path), 'warning', 'kubefed-status', `KubeFed: ${c.status} in ${c.name}${version}. ${hostClusterHint(c.status, c.name)}`, { data: { state: s.state, cluster: c.name, status: c.status } }));
  }
  return out;
}

/**
 * Why a member cluster's object differs from what the workspace declares, once the host is known:
 * - `unapplied`: the cluster has what the host holds (KubeFed did its job); the host lacks your edits;
 * - `pending`: KubeFed has not reconciled the host's latest generation yet;
 * - `kubefed-failed`: KubeFed reports a failure for this cluster (its status says which);
 * - `drift`: the host's version is propagated as far as KubeFed knows, yet the cluster differs —
 *   a change in the cluster KubeFed has not corrected (yet).
 * Undefined when the cluster has what the workspace declares.
 */
export type DifferenceCause = 'unapplied' | 'pending' | 'kubefed-failed' | 'drift';

export function causeOfDifference(o: {
  /** The member matches the workspace's desired object. */
  matchesWorkspace: boolean;
  /** The member matches what the host's version gives for it. */
  matchesHost: boolean;
  host: HostStatus;
  cluster: string;
}): DifferenceCause | undefined {
  if (o.matchesWorkspace && o.host.differs.length === 0) return undefined;
  if (o.matchesHost) return o.host.differs.length || o.host.state === 'missing' ? 'unapplied' : undefined;
  if (o.host.state === 'missing') return 'unapplied';
  if (o.host.state === 'pending') return 'pending';
  const st = o.host.clusters.find((c) => c.name === o.cluster)?.status;
  if (st && st !== 'WaitingForRemoval') return 'kubefed-failed';
  return o.matchesWorkspace ? 'unapplied' : 'drift';
}

export const CAUSE_TEXT: Record<DifferenceCause, string> = {
  unapplied: 'the host does not have your edits: the cluster holds what KubeFed propagated from the host (kfed apply sends them)',
  pending: 'KubeFed has not reconciled the host object\'s latest generation yet',
  'kubefed-failed': 'KubeFed could not propagate to this cluster (see its status)',
  drift: 'the cluster changed after KubeFed propagated the host\'s version; KubeFed has not corrected it (yet)',
};
