/**
 * The plan: what KubeFed's sync controller does for one federated resource in one member cluster,
 * given what that cluster holds — decided here once, executed elsewhere. `server/cluster` carries
 * plans out (apply, delete, label removal) and reports; `kfed diff` / Compare derive their verdict
 * from the same plan; a continuously running controller feeds it recorded versions.
 *
 * Covers both API eras, adoption (`adopt`, KubeFed's adoptResources), `kubefed.io/managed:
 * "false"`, the host cluster's own namespace (v1beta1: adopted, never deleted, only unlabeled;
 * v1alpha1: the Namespace template itself, never written), retention (the update path renders
 * with the live object), unreadable clusters (`ClusterNotReady` and kin) and resources whose
 * placement cannot be computed (never taken as "placed nowhere": nothing is deleted for them).
 *
 * A cluster that is no longer selected loses the object even when the federated object carries
 * `kubefed.io/orphan: "true"`: KubeFed honours that annotation only when the federated object
 * itself is deleted (deletion.ts), not on a placement change.
 */
import type { JsonObject } from './json.ts';
import { isObject, own } from './json.ts';
import type { FederatedResource, RenderedObject } from './resources.ts';
import { federatedObjectOf, renderFor } from './resources.ts';
import { deleteOptions } from './deletion.ts';
import { FEDERATED_RESOURCE_ANNOTATION, hasManagedLabel, isExplicitlyUnmanaged, MANAGED_LABEL, stringMap } from './managed.ts';
import { syncDecision } from './sync.ts';
import { aggregateReason } from './status.ts';
import { builtinTypeConfigsOfBothEras, typeConfigFromFtc, type TypeConfig } from './typeconfigs.ts';
import type { Workspace } from './workspace.ts';
import { describeRef, isNamespaceTarget, resourceKeyOf, targetRefOf, type ObjectRef } from './targets.ts';

export type PlanOperation = 'create' | 'update' | 'none' | 'delete' | 'removeManagedLabel';

export interface PlanPolicy {
  /** KubeFed's adoptResources: take over an existing object without the managed label. */
  adopt: boolean;
  /** The KubeFed host cluster (its own namespace follows the host-namespace rule). */
  hostCluster?: string;
  /**
   * The version recorded for a cluster by an earlier pass (a controller's propagated version).
   * Without it (on demand) a managed, selected object is always updated: the apply tells
   * whether anything changed.
   */
  recordedVersion?: (cluster: string, resourceId: string) => string | null;
}

/** What was read from one member cluster for one resource. */
export interface ClusterInput {
  name: string;
  /** The object of that name; null = absent. Ignored when `failure` is set. */
  object: JsonObject | null;
  /** The cluster or the object could not be read (ClusterNotReady, ClientRetrievalFailed, RetrievalFailed, …). */
  failure?: { status: string; reason?: string; message: string };
}

export interface ClusterPlan {
  cluster: string;
  resourceId: string;
  selected: boolean;
  target: ObjectRef;
  operation: PlanOperation;
  /** The object exists without the managed label and the operation takes it over. */
  adopting: boolean;
  /**
   * KubeFed's per-cluster status for this decision ('' = OK; a failure status when nothing can be
   * done); null: KubeFed does not list the cluster (nothing there, nothing to do).
   */
  status: string | null;
  reason?: string;
  message?: string;
  /** The object without a live object (create path): the base of apply bodies. */
  created: RenderedObject;
  /** create / update: what the cluster should hold (update path: with retention from the live object). */
  desired?: RenderedObject;
  /** delete: KubeFed's options from `kubefed.io/deleteoption`. */
  deleteOptions?: JsonObject;
  /** Namespace deletions run after every other object of the cluster. */
  last?: boolean;
  /** Warning events KubeFed records while rendering (AnnotationsNotSupported, FinalizersNotSupported). */
  events?: string[];
  /** Finalizers that hold an object being deleted. */
  finalizers?: string[];
}

type Render = (res: FederatedResource, cluster: string) => RenderedObject;

function finalizersOf(obj: JsonObject | null | undefined): string[] | undefined {
  const f = own(own(obj, 'metadata'), 'finalizers');
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : undefined;
}

/** The decision for `res` in one cluster. `render` is the create-path render (a workspace caches it). */
export function planCluster(res: FederatedResource, input: ClusterInput, policy: PlanPolicy, render: Render = renderFor): ClusterPlan {
  const cluster = input.name;
  const selected = res.placement.selected.includes(cluster);
  const created = render(res, cluster);
  const target = targetRefOf(res, created);
  const events = created.events?.length ? created.events : undefined;
  const base = { cluster, resourceId: res.id, selected, target, created, adopting: false, ...(events ? { events } : {}) };
  const none = (status: string | null, message?: string, reason?: string): ClusterPlan => ({
    ...base,
    operation: 'none',
    status,
    ...(message ? { message } : {}),
    ...(reason ? { reason } : {}),
  });

  if (res.placement.error) return none('ComputePlacementFailed', res.placement.error);
  if (res.placement.namespaceNotFederated) return none('NamespaceNotFederated', `namespace ${res.namespace} has no FederatedNamespace in the inputs`);
  if (input.failure) return selected ? none(input.failure.status, input.failure.message, input.failure.reason) : none(null);

  const current = input.object;
  const managed = !!current && hasManagedLabel(current);
  const hostNamespace = isNamespaceTarget(res) && policy.hostCluster === cluster;
  const desired = selected ? (current ? renderFor(res, cluster, current) : created) : undefined;
  const computeError = desired && !desired.ok ? (desired.status ?? 'ComputeResourceFailed') : null;
  const failed = (status: string) => none(status, describeProblem(status, target, cluster, desired));

  if (res.era === 'v1alpha1') return planV1alpha1({ res, policy, base, none, failed, current, managed, hostNamespace, selected, desired, computeError });

  // KubeFed's member caches hold only objects labeled managed: an unlabeled (or `managed: "false"`)
  // object is invisible to it, so it takes the create path first: a create-path render failure
  // (e.g. ApplyOverridesFailed) is reported before the create meets the object (AlreadyExists,
  // then adoption, where ManagedLabelFalse is checked). Seen in the differential suite.
  if (selected && current && !managed && !created.ok) {
    const status = created.status ?? 'ComputeResourceFailed';
    return none(status, describeProblem(status, target, cluster, created));
  }
  const d = syncDecision({
    era: 'v1beta1',
    clusterReady: true,
    selected,
    cachedObject: managed ? current : undefined,
    createConflict: current && !managed ? current : undefined,
    isHostNamespace: hostNamespace,
    adoptResources: policy.adopt ? 'Enabled' : 'Disabled',
    recordedVersion: policy.recordedVersion?.(cluster, res.id) ?? null,
    desired: desired?.object,
    computeError,
  }) as { operation: PlanOperation; status: string | null };
  switch (d.operation) {
    case 'create':
    case 'update':
      return { ...base, operation: d.operation, adopting: !!current && !managed, status: '', desired };
    case 'delete':
      return deletion(res, base, current);
    case 'removeManagedLabel':
      return { ...base, operation: 'removeManagedLabel', status: null, ...(isNamespaceTarget(res) ? { last: true } : {}) };
    default: {
      const status = d.status;
      if (status === null || status === '') return none(status);
      const p = none(status, describeProblem(status, target, cluster, desired), status === 'AlreadyExists' ? 'Unmanaged' : undefined);
      if (status === 'WaitingForRemoval') p.finalizers = finalizersOf(current);
      return p;
    }
  }
}

interface EraInput {
  res: FederatedResource;
  policy: PlanPolicy;
  base: Omit<ClusterPlan, 'operation' | 'status'>;
  none: (status: string | null, message?: string, reason?: string) => ClusterPlan;
  failed: (status: string) => ClusterPlan;
  current: JsonObject | null;
  managed: boolean;
  hostNamespace: boolean;
  selected: boolean;
  desired: RenderedObject | undefined;
  computeError: string | null;
}

/** The v1alpha1 sync decision (the seed's controller): no adoption rule upstream, the template Namespace in the primary cluster. */
function planV1alpha1({ res, policy, base, none, failed, current, managed, hostNamespace, selected, desired, computeError }: EraInput): ClusterPlan {
  const cluster = base.cluster;
  const target = base.target;
  // The template Namespace in the host (primary) cluster is the template itself: never written.
  if (hostNamespace && current) return none(selected ? '' : null);
  // v1alpha1 has no adoption rule upstream; the v1beta1 one applies to both eras here.
  if (selected && current && !managed && (isExplicitlyUnmanaged(current) || !policy.adopt)) {
    const status = isExplicitlyUnmanaged(current) ? 'ManagedLabelFalse' : 'AlreadyExists';
    return none(status, describeProblem(status, target, cluster, desired), status === 'AlreadyExists' ? 'Unmanaged' : undefined);
  }
  const d = syncDecision({
    era: 'v1alpha1',
    clusterReady: true,
    selected,
    cachedObject: selected ? (current ?? undefined) : managed ? current : undefined,
    recordedVersion: policy.recordedVersion?.(cluster, res.id) ?? null,
    desired: desired?.object,
    computeError,
    comparisonField: res.typeConfig.comparisonField,
    targetKind: res.targetKind,
  }) as { operation: 'add' | 'update' | 'none' | 'delete' };
  if (d.operation === 'none') return computeError ? failed(computeError) : none(selected || managed ? '' : null);
  if (d.operation === 'delete') return deletion(res, base, current);
  return { ...base, operation: d.operation === 'add' ? 'create' : 'update', adopting: !!current && !managed, status: '', desired };
}

function deletion(res: FederatedResource, base: Omit<ClusterPlan, 'operation' | 'status'>, current: JsonObject | null): ClusterPlan {
  const last = isNamespaceTarget(res) ? { last: true } : {};
  if (res.era === 'v1alpha1') return { ...base, operation: 'delete', status: 'WaitingForRemoval', deleteOptions: { propagationPolicy: 'Background' }, ...last };
  const opts = deleteOptions(federatedObjectOf(res));
  if ('error' in opts) return { ...base, operation: 'none', status: 'DeletionFailed', reason: 'Invalid', message: opts.error };
  return { ...base, operation: 'delete', status: 'WaitingForRemoval', deleteOptions: opts.deleteOptions as JsonObject, finalizers: finalizersOf(current), ...last };
}

function describeProblem(status: string, ref: ObjectRef, cluster: string, desired: RenderedObject | undefined): string {
  switch (status) {
    case 'AlreadyExists':
      return `${describeRef(ref)} exists in ${cluster} without label ${MANAGED_LABEL}=true`;
    case 'ManagedLabelFalse':
      return `${describeRef(ref)} in ${cluster} is labeled ${MANAGED_LABEL}=false`;
    case 'WaitingForRemoval':
      return `${describeRef(ref)} is being deleted`;
    default:
      return desired?.message ?? status;
  }
}

/** Whether a decision is reported at all: something is done, or KubeFed lists the cluster, or it is selected. */
export function isReported(plan: ClusterPlan): boolean {
  return plan.operation !== 'none' || !(plan.status === null || (plan.status === '' && !plan.selected));
}

/**
 * What a comparison with the cluster shows for a plan (kfed diff, Compare): `create` → missing;
 * delete or managed-label removal → unexpected; a refusal or failure → error, except an
 * unlabeled object (AlreadyExists), whose contents are compared as well; `update` → compare the
 * contents (in sync or drifted). null: nothing to report.
 */
export type Verdict = 'missing' | 'unexpected' | 'in-sync' | 'error' | 'compare';

export function verdictOf(plan: ClusterPlan): { verdict: Verdict; message?: string } | null {
  if (!isReported(plan)) return null;
  const what = describeRef(plan.target);
  switch (plan.operation) {
    case 'create':
      return { verdict: 'missing' };
    case 'delete':
      return { verdict: 'unexpected', message: `${what} is managed in ${plan.cluster} but its federated resource no longer places it there (propagate deletes it)` };
    case 'removeManagedLabel':
      return { verdict: 'unexpected', message: `${what} is managed in ${plan.cluster} but no longer placed there; it is the host cluster's own namespace, so propagate only removes the managed label` };
    case 'update':
      return { verdict: 'compare' };
    case 'none':
      if (plan.status === '') return { verdict: 'in-sync' };
      if (plan.status === 'WaitingForRemoval') return { verdict: 'unexpected', message: plan.message };
      if (plan.status === 'AlreadyExists' && plan.created.ok) return { verdict: 'compare', message: plan.message };
      return { verdict: 'error', message: plan.message };
  }
}

/** The plans of every given cluster for one resource. */
export function planResource(res: FederatedResource, clusters: readonly ClusterInput[], policy: PlanPolicy, render?: Render): ClusterPlan[] {
  return clusters.map((c) => planCluster(res, c, policy, render));
}

// ---------------------------------------------------------------------------------------------
// Prune: managed objects this tool wrote for a federated resource that is no longer in the inputs

export interface PruneScope {
  namespaces: Set<string>;
  clusterScoped: boolean;
  keys: Set<string>;
}

/**
 * The namespaces of the given federated resources (and cluster-scoped objects when the inputs
 * have cluster-scoped federated resources): propagating one folder never prunes another.
 */
export function pruneScope(resources: readonly FederatedResource[]): PruneScope {
  const namespaces = new Set<string>();
  let clusterScoped = false;
  for (const r of resources) {
    if (r.namespace) namespaces.add(r.namespace);
    else clusterScoped = true;
  }
  return { namespaces, clusterScoped, keys: new Set(resources.map(resourceKeyOf)) };
}

/** Every target type a federated resource can have: the built-in configs of both eras and the workspace's FTCs. */
export function pruneTargetTypes(ws: Workspace): TypeConfig[] {
  const all = builtinTypeConfigsOfBothEras();
  for (const o of ws.analysis().objects) {
    if (o.role.role !== 'ftc') continue;
    const tc = typeConfigFromFtc(o.object);
    if (tc) all.push(tc);
  }
  const seen = new Set<string>();
  return all.filter((t) => {
    const k = `${t.targetGroup}|${t.targetVersion}|${t.targetKind}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Whether a managed object found in a cluster is pruned: it names (by this tool's annotation) a
 * federated resource that is not in the inputs, lies in scope, and is not already being deleted.
 * Returns the federated resource it names, or undefined.
 */
export function prunedFor(obj: JsonObject, scope: PruneScope, type: { namespaced: boolean; isNamespace: boolean }): string | undefined {
  if (!hasManagedLabel(obj)) return undefined;
  const md = isObject(obj.metadata) ? obj.metadata : {};
  const key = stringMap(obj, 'annotations')?.[FEDERATED_RESOURCE_ANNOTATION];
  if (typeof key !== 'string' || scope.keys.has(key) || md.deletionTimestamp) return undefined;
  const name = typeof md.name === 'string' ? md.name : '';
  const namespace = typeof md.namespace === 'string' ? md.namespace : undefined;
  const inScope = type.namespaced ? !!namespace && scope.namespaces.has(namespace) : type.isNamespace ? scope.namespaces.has(name) : scope.clusterScoped;
  return inScope ? key : undefined;
}

/** Statuses that KubeFed reports for the whole resource (the Propagation condition's reason), listing no cluster. */
const RESOURCE_LEVEL = new Set(['ComputePlacementFailed', 'NamespaceNotFederated', 'ClusterRetrievalFailed']);

/**
 * The status KubeFed writes for a resource after the given plans (one per cluster): the
 * Propagation condition's reason ('' = propagated, condition True) and `status.clusters` (sorted
 * by name, '' = OK) — a resource-level failure lists no cluster.
 */
export function statusOfPlans(plans: readonly Pick<ClusterPlan, 'cluster' | 'status'>[]): { reason: string; clusters: Record<string, string> } {
  const resourceLevel = plans.find((p) => p.status !== null && RESOURCE_LEVEL.has(p.status));
  if (resourceLevel) return { reason: resourceLevel.status!, clusters: {} };
  const clusters: Record<string, string> = {};
  for (const p of [...plans].sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0))) {
    if (p.status !== null) clusters[p.cluster] = p.status;
  }
  return { reason: aggregateReason('', clusters), clusters };
}
