/**
 * Federated resources assembled from workspace objects: a v1beta1 federated object, or a
 * v1alpha1 template with its placement and override (linked by namespace/name, in any file),
 * with the ReplicaSchedulingPreference that targets it.
 */
import type { JsonObject } from './json.ts';
import { deepClone, getPath, isObject, kubernetesKeyOrder } from './json.ts';
import type { Era } from './apiGroups.ts';
import type { TypeConfig } from './typeconfigs.ts';
import type { WsObject } from './objects.ts';
import type { ClusterInfo } from './inventory.ts';
import { asFederatedCluster, asKubeFedCluster } from './inventory.ts';
import { placeV1alpha1, placeV1beta1, type ClusterReason } from './placement.ts';
import { renderV1alpha1, renderV1beta1, type RenderStatus } from './render.ts';
import { reconcileRsp } from './rsp.ts';

export type { ClusterReason };

export interface PlacementResult {
  selected: string[];
  reasons: Record<string, ClusterReason>;
  error?: string;
  namespaceNotFederated?: boolean;
  /** v1beta1 namespaced types: what the resource's own placement selects before the namespace intersection. */
  ownSelection?: string[];
}

export interface RspInfo {
  object: WsObject;
  totalReplicas: number;
  /** Replicas per cluster, or null when the scheduler would do nothing. */
  schedule: Record<string, number> | null;
}

export interface FederatedResource {
  id: string;
  era: Era;
  /** Federated kind (v1beta1) or template kind (v1alpha1; `Namespace` for namespaces). */
  kind: string;
  targetKind: string;
  namespace: string;
  name: string;
  typeConfig: TypeConfig;
  /** v1beta1 object, or v1alpha1 template. */
  main?: WsObject;
  placementObject?: WsObject;
  overrideObject?: WsObject;
  /** The v1beta1 FederatedNamespace that gates this resource (null: none; undefined: not namespaced). */
  federatedNamespace?: WsObject | null;
  rsp?: RspInfo;
  placement: PlacementResult;
  /** The federated object as the controller sees it after the RSP rewrote placement/overrides (v1beta1). */
  effective?: JsonObject;
  /** v1alpha1 override object after RSP rewriting. */
  effectiveOverride?: JsonObject | null;
}

export interface RenderedObject {
  cluster: string;
  ok: boolean;
  object?: JsonObject;
  /** RFC 6901 paths (v1beta1) or overridePath (v1alpha1) changed by overrides for this cluster. */
  overriddenPaths: string[];
  status?: RenderStatus;
  message?: string;
  events?: string[];
}

/** The engine's resource id: `<era>:<target kind>:<namespace>/<name>` (every face names a resource by it). */
export function resourceIdOf(era: Era, targetKind: string, namespace: string, name: string): string {
  return `${era}:${targetKind}:${namespace}/${name}`;
}

export function targetTypeOf(tc: TypeConfig): JsonObject {
  return {
    group: tc.targetGroup ?? '',
    version: tc.targetVersion,
    kind: tc.targetKind,
    pluralName: tc.targetPlural,
    scope: tc.namespaced ? 'Namespaced' : 'Cluster',
  };
}

export function isNamespaceType(tc: TypeConfig): boolean {
  return tc.targetKind === 'Namespace' && !tc.targetGroup;
}

export interface AssembleInput {
  objects: WsObject[];
  clusters: ClusterInfo[];
  limitedScope: boolean;
}

export interface AssembleOutput {
  resources: FederatedResource[];
  orphanPlacements: WsObject[];
  orphanOverrides: WsObject[];
  rspWithoutTarget: WsObject[];
  federatedNamespaces: Map<string, WsObject>;
}

export function assemble({ objects, clusters, limitedScope }: AssembleInput): AssembleOutput {
  const federatedNamespaces = federatedNamespacesOf(objects);
  const resources = objects.flatMap((o) => (o.role.role === 'federated' ? [v1beta1Resource(o, o.role.typeConfig, federatedNamespaces)] : []));
  const alpha = linkV1alpha1(objects);
  resources.push(...alpha.resources);

  // Placement.
  const kfClusters = clusters.map(asKubeFedCluster);
  const fedClusters = clusters.map(asFederatedCluster);
  const signature = clusterSignature(kfClusters, fedClusters, limitedScope);
  for (const res of resources) computePlacement(res, kfClusters, fedClusters, limitedScope, signature);

  // Replica scheduling preferences.
  const rspWithoutTarget: WsObject[] = [];
  const byTarget = new Map<string, FederatedResource>();
  for (const res of resources) byTarget.set(`${res.era}|${res.kind}|${res.namespace}|${res.name}`, res);
  const ready = clusters.filter((c) => c.ready !== false).map((c) => c.name);
  for (const o of objects) {
    if (o.role.role !== 'rsp') continue;
    const targetKind = getPath(o.object, ['spec', 'targetKind']);
    const res = byTarget.get(`${o.role.era}|${String(targetKind)}|${o.meta.namespace}|${o.meta.name}`);
    if (!res) {
      rspWithoutTarget.push(o);
      continue;
    }
    applyRsp(res, o, ready, kfClusters, fedClusters, limitedScope);
  }
  return { resources, orphanPlacements: alpha.orphanPlacements, orphanOverrides: alpha.orphanOverrides, rspWithoutTarget, federatedNamespaces };
}

/** FederatedNamespaces (name = namespace) by namespace; the first one wins. */
function federatedNamespacesOf(objects: readonly WsObject[]): Map<string, WsObject> {
  const out = new Map<string, WsObject>();
  for (const o of objects) {
    if (o.role.role === 'federated' && isNamespaceType(o.role.typeConfig) && o.meta.name === o.meta.namespace) {
      if (!out.has(o.meta.name)) out.set(o.meta.name, o);
    }
  }
  return out;
}

/** The resource of a v1beta1 federated object (placement still to compute). */
function v1beta1Resource(o: WsObject, tc: TypeConfig, federatedNamespaces: ReadonlyMap<string, WsObject>): FederatedResource {
  const res: FederatedResource = {
    id: resourceIdOf('v1beta1', tc.targetKind, o.meta.namespace, o.meta.name),
    era: 'v1beta1',
    kind: o.meta.kind,
    targetKind: tc.targetKind,
    namespace: o.meta.namespace,
    name: o.meta.name,
    typeConfig: tc,
    main: o,
    placement: { selected: [], reasons: {} },
  };
  if (tc.namespaced && !isNamespaceType(tc)) res.federatedNamespace = federatedNamespaces.get(o.meta.namespace) ?? null;
  return res;
}

interface V1alpha1Parts {
  /** By target kind + namespace/name; the first object of each wins. */
  templates: Map<string, WsObject>;
  placements: Map<string, WsObject>;
  overrides: Map<string, WsObject>;
  /** Core v1 Namespaces by name (the template of a v1alpha1 namespace). */
  namespaces: Map<string, WsObject>;
}

function v1alpha1Parts(objects: readonly WsObject[]): V1alpha1Parts {
  const parts: V1alpha1Parts = { templates: new Map(), placements: new Map(), overrides: new Map(), namespaces: new Map() };
  for (const o of objects) {
    const r = o.role;
    if (r.role === 'template' || r.role === 'placement' || r.role === 'override') {
      const ns = isNamespaceType(r.typeConfig) && r.role === 'placement' ? o.meta.name : o.meta.namespace;
      const key = `${r.typeConfig.targetKind}|${ns}|${o.meta.name}`;
      const m = r.role === 'template' ? parts.templates : r.role === 'placement' ? parts.placements : parts.overrides;
      if (!m.has(key)) m.set(key, o);
    } else if (r.role === 'namespace') {
      parts.namespaces.set(o.meta.name, o);
    }
  }
  return parts;
}

/** v1alpha1 resources (template + placement + override of the same target kind and namespace/name) and the parts left over. */
function linkV1alpha1(objects: readonly WsObject[]): { resources: FederatedResource[]; orphanPlacements: WsObject[]; orphanOverrides: WsObject[] } {
  const { templates, placements, overrides, namespaces } = v1alpha1Parts(objects);
  const resources: FederatedResource[] = [];
  const orphanPlacements: WsObject[] = [];
  const linked = new Set<string>();
  for (const [key, t] of templates) {
    const tc = (t.role as { typeConfig: TypeConfig }).typeConfig;
    linked.add(key);
    resources.push({
      id: resourceIdOf('v1alpha1', tc.targetKind, t.meta.namespace, t.meta.name),
      era: 'v1alpha1',
      kind: t.meta.kind,
      targetKind: tc.targetKind,
      namespace: t.meta.namespace,
      name: t.meta.name,
      typeConfig: tc,
      main: t,
      placementObject: placements.get(key),
      overrideObject: overrides.get(key),
      placement: { selected: [], reasons: {} },
    });
  }
  // v1alpha1 namespaces: the Namespace itself is the template when a FederatedNamespacePlacement names it.
  for (const [key, p] of placements) {
    if (linked.has(key)) continue;
    const tc = (p.role as { typeConfig: TypeConfig }).typeConfig;
    const nsObj = isNamespaceType(tc) ? namespaces.get(p.meta.name) : undefined;
    if (!nsObj) {
      orphanPlacements.push(p);
      continue;
    }
    linked.add(key);
    resources.push({
      id: resourceIdOf('v1alpha1', 'Namespace', p.meta.name, p.meta.name),
      era: 'v1alpha1',
      kind: 'Namespace',
      targetKind: 'Namespace',
      namespace: p.meta.name,
      name: p.meta.name,
      typeConfig: tc,
      main: nsObj,
      placementObject: p,
      placement: { selected: [], reasons: {} },
    });
  }
  const orphanOverrides = [...overrides].filter(([key]) => !linked.has(key)).map(([, ov]) => ov);
  return { resources, orphanPlacements, orphanOverrides };
}

/**
 * Placement results memoised on the (immutable) parsed objects they are computed from: an edit
 * elsewhere in the workspace does not recompute them. `signature` identifies the cluster
 * inventory and control-plane scope they were computed against.
 */
const placementCache = new WeakMap<object, { signature: string; fns: JsonObject | null | undefined; result: PlacementResult }>();

function clusterSignature(kfClusters: JsonObject[], fedClusters: JsonObject[], limitedScope: boolean): string {
  return JSON.stringify([limitedScope, kfClusters, fedClusters]);
}

function computePlacement(res: FederatedResource, kfClusters: JsonObject[], fedClusters: JsonObject[], limitedScope: boolean, signature?: string): void {
  const fns = res.federatedNamespace === undefined ? undefined : res.federatedNamespace === null ? null : res.federatedNamespace.object;
  const key: object | undefined = res.era === 'v1beta1' ? (res.effective ? undefined : res.main!.object) : (res.placementObject?.object ?? res.main!.object);
  if (key && signature !== undefined) {
    const hit = placementCache.get(key);
    if (hit && hit.signature === signature && hit.fns === fns) {
      res.placement = hit.result;
      return;
    }
  }
  if (res.era === 'v1beta1') {
    const fo = federatedObjectOf(res);
    const r = placeV1beta1({ federatedObject: fo, clusters: kfClusters, federatedNamespace: fns, limitedScope });
    res.placement = { selected: r.selected, reasons: r.reasons, error: r.error, namespaceNotFederated: r.namespaceNotFederated };
    if (fns !== undefined) {
      const own = placeV1beta1({ federatedObject: fo, clusters: kfClusters, limitedScope });
      res.placement.ownSelection = own.selected;
    }
  } else {
    const p = res.placementObject?.object ?? null;
    const r = placeV1alpha1({ targetKind: res.targetKind, placement: p, clusters: fedClusters });
    res.placement = { selected: r.selected, reasons: r.reasons };
  }
  if (key && signature !== undefined) placementCache.set(key, { signature, fns, result: res.placement });
}

function applyRsp(
  res: FederatedResource,
  rsp: WsObject,
  ready: string[],
  kfClusters: JsonObject[],
  fedClusters: JsonObject[],
  limitedScope: boolean,
): void {
  const total = getPath(rsp.object, ['spec', 'totalReplicas']);
  const info: RspInfo = { object: rsp, totalReplicas: typeof total === 'number' ? total : 0, schedule: null };
  res.rsp = info;
  if (res.era === 'v1beta1') {
    let selectorClusters: string[] | undefined;
    if (getPath(rsp.object, ['spec', 'intersectWithClusterSelector']) === true) {
      const fns = res.federatedNamespace === undefined ? undefined : res.federatedNamespace === null ? null : res.federatedNamespace.object;
      selectorClusters = placeV1beta1({ federatedObject: res.main!.object, clusters: kfClusters, federatedNamespace: fns, limitedScope, selectorOnly: true }).selected;
    }
    const out = reconcileRsp({
      rsp: rsp.object,
      federatedObject: deepClone(res.main!.object),
      readyClusters: ready,
      currentReplicas: {},
      estimatedCapacity: {},
      selectorClusters,
    });
    info.schedule = out.schedule;
    if (out.schedule) {
      res.effective = out.federatedObject;
      computePlacement(res, kfClusters, fedClusters, limitedScope);
    }
  } else {
    // v1alpha1: the scheduler writes the FederatedXPlacement and the whole FederatedXOverride.
    const out = reconcileRsp({
      rsp: rsp.object,
      federatedObject: res.main!.object,
      readyClusters: ready,
      era: 'v1alpha1',
      placement: res.placementObject?.object ?? null,
      override: res.overrideObject?.object ?? null,
    });
    info.schedule = out.schedule;
    if (out.schedule && out.placement) {
      res.effectiveOverride = out.override ?? null;
      const r = placeV1alpha1({ targetKind: res.targetKind, placement: out.placement, clusters: fedClusters });
      res.placement = { selected: r.selected, reasons: r.reasons };
    }
  }
}

/** The federated object as KubeFed sees it: a v1beta1 one as its RSP rewrote it; a v1alpha1 template. */
export function federatedObjectOf(res: FederatedResource): JsonObject {
  return res.era === 'v1beta1' ? (res.effective ?? res.main!.object) : res.main!.object;
}

/** Whether the sync controller propagates this resource: it has its main object and its type's propagation is enabled. */
export function isPropagated(res: FederatedResource): boolean {
  return !!res.main && res.typeConfig.propagationEnabled !== false;
}

/**
 * The paths the overrides of one cluster change (a replica schedule's included), read from the
 * overrides alone: no render is needed to count them.
 */
export function overriddenPaths(res: FederatedResource, cluster: string): string[] {
  const paths: string[] = [];
  if (res.era === 'v1beta1') {
    const ovs = res.main ? getPath(federatedObjectOf(res), ['spec', 'overrides']) : undefined;
    if (!Array.isArray(ovs)) return paths;
    for (const e of ovs) {
      if (!isObject(e) || e.clusterName !== cluster || !Array.isArray(e.clusterOverrides)) continue;
      for (const co of e.clusterOverrides) if (isObject(co) && typeof co.path === 'string') paths.push(co.path);
    }
    return paths;
  }
  const tc = res.typeConfig;
  const override = res.effectiveOverride !== undefined ? res.effectiveOverride : res.overrideObject?.object ?? null;
  const ovs = getPath(override, ['spec', 'overrides']);
  const field = tc.overridePath?.[tc.overridePath.length - 1];
  if (Array.isArray(ovs) && field) {
    const first = ovs.find((e) => isObject(e) && e.clusterName === cluster);
    if (isObject(first) && Object.prototype.hasOwnProperty.call(first, field)) paths.push('/' + tc.overridePath!.join('/'));
  }
  return paths;
}

/**
 * The object one cluster receives, with the paths that overrides changed: as created when
 * `clusterObject` is absent, else as updated over that live object (KubeFed's field retention).
 */
export function renderFor(res: FederatedResource, cluster: string, clusterObject?: JsonObject): RenderedObject {
  const tc = res.typeConfig;
  if (res.era === 'v1beta1') {
    const fo = federatedObjectOf(res);
    const r = renderV1beta1({ targetType: targetTypeOf(tc), federatedObject: fo, clusterName: cluster, clusterObject });
    const paths = overriddenPaths(res, cluster);
    return r.ok
      ? { cluster, ok: true, object: kubernetesKeyOrder(r.object), overriddenPaths: paths, events: r.events }
      : { cluster, ok: false, overriddenPaths: paths, status: r.status, message: r.message, events: r.events };
  }
  const override = res.effectiveOverride !== undefined ? res.effectiveOverride : res.overrideObject?.object ?? null;
  const r = renderV1alpha1({
    targetType: targetTypeOf(tc),
    template: res.main!.object,
    override,
    overridePath: tc.overridePath ?? null,
    clusterName: cluster,
    clusterObject,
  });
  const paths = overriddenPaths(res, cluster);
  return r.ok
    ? { cluster, ok: true, object: kubernetesKeyOrder(r.object), overriddenPaths: paths }
    : { cluster, ok: false, overriddenPaths: paths, status: r.status, message: r.message };
}
