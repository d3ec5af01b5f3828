/**
 * What `kfed apply` writes to a KubeFed host cluster, decided from the workspace: the host
 * objects (federated resources, FederatedNamespaces, RSPs, Namespaces; FederatedTypeConfigs,
 * KubeFedClusters and KubeFedConfigs only when asked), their order, the host Namespaces to create
 * first, and which host objects a prune removes. The cluster module executes it.
 */
import type { Analysis } from './workspace.ts';
import { objectLocation, type WsObject } from './objects.ts';
import { isObject, type JsonObject } from './json.ts';

/** Label on every object `kfed apply` wrote; its value is the apply set's name (`--set`, default `default`). */
export const APPLIED_SET_LABEL = 'kubefed-tools.io/applied-set';
/** Annotation on a host Namespace that `kfed apply` created for a federated object (never pruned). */
export const CREATED_FOR_ANNOTATION = 'kubefed-tools.io/created-for';
export const DEFAULT_APPLY_SET = 'default';

export interface HostRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export function hostRefKey(r: HostRef): string {
  return `${r.apiVersion}|${r.kind}|${r.namespace}|${r.name}`;
}

/** The key of a host object as read from a cluster (no namespace = cluster-scoped). */
export function hostObjectKey(o: JsonObject): string {
  const md = isObject(o.metadata) ? o.metadata : {};
  return hostRefKey({ apiVersion: String(o.apiVersion ?? ''), kind: String(o.kind ?? ''), namespace: typeof md.namespace === 'string' ? md.namespace : '', name: String(md.name ?? '') });
}

export function describeHostRef(r: HostRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

export interface HostItem {
  ref: HostRef;
  /** The object to apply: as written, without server-owned fields, with the apply-set label. */
  object: JsonObject;
  uri: string;
  /** Line of the object in its file (0-based, for messages that point at it). */
  line: number;
  /** Apply order: Namespaces, control plane, FederatedNamespaces, federated resources, RSPs. */
  order: number;
}

export interface HostSkip {
  ref: HostRef;
  uri: string;
  line: number;
  why: string;
}

export interface HostApplyPlan {
  items: HostItem[];
  skipped: HostSkip[];
  /** Namespaces of the items that no Namespace item creates: created first where the host lacks them. */
  namespaces: string[];
}

export interface HostApplyOptions {
  set?: string;
  /** Also FederatedTypeConfigs, KubeFedClusters and KubeFedConfigs. */
  controlPlane?: boolean;
}

const SERVER_FIELDS = ['resourceVersion', 'uid', 'creationTimestamp', 'managedFields', 'generation', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

function orderOf(o: WsObject, controlPlane: boolean): number | string {
  switch (o.role.role) {
    case 'namespace':
      return 0;
    case 'ftc':
    case 'kubefedconfig':
    case 'kubefedcluster':
    case 'federatedcluster':
      return controlPlane ? 1 : 'part of the KubeFed control plane: applied only with --control-plane';
    case 'federated':
      return o.meta.kind === 'FederatedNamespace' ? 2 : 3;
    case 'template':
      return o.meta.kind === 'Namespace' ? 0 : 3;
    case 'placement':
    case 'override':
      return 3;
    case 'rsp':
      return 4;
    case 'unknown-federated':
      return `no FederatedTypeConfig enables ${o.meta.kind} (kfed validate explains)`;
    case 'other':
      return 'not a federated resource: KubeFed does not read it from the host (kfed propagate or kubectl apply puts it in a cluster)';
  }
}

/** The object as applied: server-owned fields and status removed, the apply-set label added. */
export function hostObjectOf(o: JsonObject, set: string): JsonObject {
  const { status: _status, ...rest } = o;
  const md: JsonObject = isObject(rest.metadata) ? { ...rest.metadata } : {};
  for (const f of SERVER_FIELDS) delete md[f];
  md.labels = { ...(isObject(md.labels) ? md.labels : {}), [APPLIED_SET_LABEL]: set };
  return { ...rest, metadata: md };
}

function refOf(o: WsObject): HostRef {
  return { apiVersion: o.meta.apiVersion, kind: o.meta.kind, namespace: o.meta.namespace, name: o.meta.name };
}

/** The host objects of the workspace, in apply order, and the namespaces they need. */
export function hostApplyPlan(analysis: Analysis, opt: HostApplyOptions = {}): HostApplyPlan {
  const set = opt.set ?? DEFAULT_APPLY_SET;
  const items: HostItem[] = [];
  const skipped: HostSkip[] = [];
  const seen = new Set<string>();
  for (const o of analysis.objects) {
    const ref = refOf(o);
    const line = objectLocation(o).range.start.line;
    const order = orderOf(o, !!opt.controlPlane);
    if (typeof order === 'string') {
      skipped.push({ ref, uri: o.uri, line, why: order });
      continue;
    }
    const key = hostRefKey(ref);
    if (seen.has(key)) {
      skipped.push({ ref, uri: o.uri, line, why: 'given twice in the inputs: the first one is applied' });
      continue;
    }
    seen.add(key);
    items.push({ ref, object: hostObjectOf(o.object, set), uri: o.uri, line, order });
  }
  items.sort((a, b) => a.order - b.order);
  const given = new Set(items.filter((i) => i.ref.kind === 'Namespace' && i.ref.apiVersion === 'v1').map((i) => i.ref.name));
  const namespaces = [...new Set(items.map((i) => i.ref.namespace).filter((ns) => ns && !given.has(ns)))].sort();
  return { items, skipped, namespaces };
}

/** The host Namespace created for a namespaced federated object whose namespace the host lacks. */
export function createdNamespace(name: string): JsonObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, annotations: { [CREATED_FOR_ANNOTATION]: 'kfed apply: federated objects live in this namespace' } } };
}

/**
 * Host objects of the apply set that the inputs no longer hold: what `--prune` deletes.
 * Namespaces are never pruned (deleting one deletes everything in it).
 */
export function prunedHostObjects(live: readonly JsonObject[], plan: HostApplyPlan, set = DEFAULT_APPLY_SET): HostRef[] {
  const wanted = new Set(plan.items.map((i) => hostRefKey(i.ref)));
  const out: HostRef[] = [];
  for (const o of live) {
    const md = isObject(o.metadata) ? o.metadata : {};
    const labels = isObject(md.labels) ? md.labels : {};
    if (labels[APPLIED_SET_LABEL] !== set) continue;
    const ref: HostRef = { apiVersion: String(o.apiVersion ?? ''), kind: String(o.kind ?? ''), namespace: typeof md.namespace === 'string' ? md.namespace : '', name: String(md.name ?? '') };
    if (ref.kind === 'Namespace' && ref.apiVersion === 'v1') continue;
    if (!wanted.has(hostRefKey(ref))) out.push(ref);
  }
  return out.sort((a, b) => hostRefKey(a).localeCompare(hostRefKey(b)));
}
