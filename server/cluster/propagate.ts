/**
 * Propagation on demand: what KubeFed's sync controller does in each member cluster, done once.
 * For every federated resource and every member cluster: the desired object (engine render, the
 * update path with retention when the object exists), the live object, the controller's decision
 * (engine syncDecision), then server-side apply / delete / managed-label removal.
 *
 * Clusters run in parallel, each with a bound on operations in flight; an unreachable or denying
 * cluster never stops the others; namespaces go first and are deleted last; every outcome carries
 * KubeFed's status vocabulary and what to do.
 */
import type { FederatedResource } from '../engine/resources.ts';
import { federatedObjectOf, isPropagated } from '../engine/resources.ts';
import type { Workspace } from '../engine/workspace.ts';
import type { Era } from '../engine/model.ts';
import type { JsonObject } from '../engine/json.ts';
import { deepEqual, isObject } from '../engine/json.ts';
import { syncDecision } from '../engine/sync.ts';
import { hasManagedLabel, isExplicitlyUnmanaged } from '../engine/managed.ts';
import { deleteOptions, isOrphaning } from '../engine/deletion.ts';
import { MANAGED_LABEL } from '../engine/managed.ts';
import { builtinTypeConfigs, typeConfigFromFtc, type TypeConfig } from '../engine/typeconfigs.ts';
import { ApiError, isClusterDown, apiVersionOf, type ClusterClient, type Connections, type ResourceInfo } from './client.ts';
import {
  applyBody,
  desiredFor,
  describeRef,
  FEDERATED_RESOURCE_ANNOTATION,
  isNamespaceTarget,
  resourceKeyOf,
  sourceOf,
  targetRefOf,
  type ObjectRef,
} from './desired.ts';
import { normalize } from './normalize.ts';
import { LiveCache } from './live.ts';
import { CancelledError, Semaphore, isCancelled, linkSignal, safeProgress } from './pool.ts';
import { failureOf, hintFor, isFailure, type Failure, type Operation, type Reason } from './status.ts';

export type PropagateAction = 'create' | 'update' | 'none' | 'delete' | 'orphan' | 'removeManagedLabel' | 'prune';
export type PropagateResult = 'created' | 'updated' | 'adopted' | 'unchanged' | 'deleted' | 'orphaned' | 'pruned' | 'skipped' | 'failed' | 'cancelled';

export interface Outcome {
  cluster: string;
  /** `<federated kind>/<namespace>/<name>`; for prune, the value of the federated-resource annotation. */
  resource: string;
  /** The engine's id of the federated resource (absent for prune: its resource is not in the inputs). */
  resourceId?: string;
  era?: Era;
  /** `file:line` of the federated resource. */
  source?: string;
  target: ObjectRef;
  action: PropagateAction;
  result: PropagateResult;
  /** KubeFed per-cluster status ('' = OK). */
  status: string;
  reason?: Reason;
  message?: string;
  /** What to do about it. */
  hint?: string;
  conflicts?: { manager: string; field: string }[];
  /** Warning events KubeFed records while rendering (AnnotationsNotSupported, FinalizersNotSupported). */
  events?: string[];
}

export interface ClusterSummary {
  name: string;
  context?: string;
  reachable: boolean;
  error?: string;
}

export interface PropagateReport {
  dryRun: boolean;
  cancelled: boolean;
  clusters: ClusterSummary[];
  outcomes: Outcome[];
  /** Count of outcomes per result. */
  summary: Record<PropagateResult, number>;
  /** Some outcome is a failure (or the run was cancelled). */
  failed: boolean;
}

export interface ProgressEvent {
  done: number;
  total: number;
  cluster: string;
  outcome?: Outcome;
}

export interface PropagateOptions {
  workspace: Workspace;
  connections: Connections;
  /** Member clusters to act on (default: every cluster the workspace knows). */
  clusters?: string[];
  /** Server-side dry run: every request is sent with dryRun=All; nothing changes. */
  dryRun?: boolean;
  /** Also delete managed objects whose federated resource is not in the inputs. */
  prune?: boolean;
  /** Take over existing objects that lack the managed label (KubeFed's adoptResources). */
  adopt?: boolean;
  /** Take over fields other field managers own (server-side apply force). */
  forceConflicts?: boolean;
  /** Field manager of the server-side applies (default `kubefed-tools`). */
  fieldManager?: string;
  /** Operations in flight per cluster (default 8). */
  concurrency?: number;
  /** Clusters worked on at once (default 16). */
  clusterConcurrency?: number;
  /** The KubeFed host cluster: its own namespaces are never deleted, only unlabeled (semantics §7). */
  hostCluster?: string;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** Request timeout in ms, for hints. */
  timeoutMs?: number;
}

const RESULTS: PropagateResult[] = ['created', 'updated', 'adopted', 'unchanged', 'deleted', 'orphaned', 'pruned', 'skipped', 'failed', 'cancelled'];

/** Marks the cluster dead after a network error or timeout: later work reports ClusterNotReady at once. */
class ClusterState {
  down: ApiError | undefined;
  constructor(
    readonly name: string,
    readonly client: ClusterClient,
  ) {}
  note(err: unknown): void {
    if (isClusterDown(err)) this.down ??= err;
  }
}

export async function propagate(options: PropagateOptions): Promise<PropagateReport> {
  const link = linkSignal(options.signal);
  try {
    return await propagateAll({ ...options, signal: link.signal });
  } finally {
    link.dispose();
  }
}

async function propagateAll(opt: PropagateOptions): Promise<PropagateReport> {
  const ws = opt.workspace;
  const resources = ws.resources().filter(isPropagated);
  const known = ws.clusters().map((c) => c.name);
  const clusters = opt.clusters?.length ? opt.clusters : known;
  const dryRun = !!opt.dryRun;
  const outcomes: Outcome[] = [];
  const progress = safeProgress(opt.onProgress);
  const total = resources.length * clusters.length;
  let done = 0;
  const emit = (cluster: string, o?: Outcome, count = true) => {
    if (o) outcomes.push(o);
    if (count) done++;
    progress({ done, total, cluster, outcome: o });
  };
  const summaries: ClusterSummary[] = [];
  const clusterSem = new Semaphore(Math.max(1, opt.clusterConcurrency ?? 16));

  await Promise.all(
    clusters.map((cluster) =>
      clusterSem
        .run(async () => {
          const s = await propagateCluster(cluster, resources, opt, emit);
          summaries.push(s);
        }, opt.signal)
        .catch((e) => {
          if (!isCancelled(e)) throw e;
          summaries.push({ name: cluster, context: opt.connections.contextOf(cluster), reachable: false, error: 'cancelled' });
          for (const res of resources) {
            if (!res.placement.selected.includes(cluster)) {
              emit(cluster);
              continue;
            }
            emit(cluster, cancelledOutcome(res, cluster, ws));
          }
        }),
    ),
  );

  summaries.sort((a, b) => clusters.indexOf(a.name) - clusters.indexOf(b.name));
  const order = new Map(resources.map((r, i) => [resourceKeyOf(r), i]));
  outcomes.sort(
    (a, b) =>
      (order.get(a.resource) ?? 1e9) - (order.get(b.resource) ?? 1e9) ||
      a.resource.localeCompare(b.resource) ||
      clusters.indexOf(a.cluster) - clusters.indexOf(b.cluster),
  );
  const summary = Object.fromEntries(RESULTS.map((r) => [r, 0])) as Record<PropagateResult, number>;
  for (const o of outcomes) summary[o.result]++;
  const cancelled = !!opt.signal?.aborted;
  return {
    dryRun,
    cancelled,
    clusters: summaries,
    outcomes,
    summary,
    failed: cancelled || outcomes.some((o) => o.result === 'failed' || o.result === 'cancelled' || isFailure(o.status)),
  };
}

function cancelledOutcome(res: FederatedResource, cluster: string, ws: Workspace): Outcome {
  return {
    cluster,
    resource: resourceKeyOf(res),
    resourceId: res.id,
    era: res.era,
    source: sourceOf(res),
    target: targetRefOf(res, ws.render(res, cluster)),
    action: 'none',
    result: 'cancelled',
    status: '',
    reason: 'Cancelled',
    message: 'cancelled before it started',
    hint: hintFor('', 'Cancelled', { cluster }),
  };
}

type Emit = (cluster: string, o?: Outcome, count?: boolean) => void;

async function propagateCluster(cluster: string, resources: FederatedResource[], opt: PropagateOptions, emit: Emit): Promise<ClusterSummary> {
  const ws = opt.workspace;
  const context = opt.connections.contextOf(cluster);
  const c = opt.connections.client(cluster);
  const base = (res: FederatedResource) => ({
    cluster,
    resource: resourceKeyOf(res),
    resourceId: res.id,
    era: res.era,
    source: sourceOf(res),
    target: targetRefOf(res, ws.render(res, cluster)),
  });
  const hintCtx = (ref: ObjectRef, extra: Partial<Parameters<typeof hintFor>[2]> = {}) => ({
    cluster,
    context,
    kind: ref.kind,
    apiVersion: ref.apiVersion,
    namespace: ref.namespace,
    name: ref.name,
    timeoutMs: opt.timeoutMs,
    ...extra,
  });

  // Resources whose placement cannot be computed are reported and left alone (never deleted).
  const actionable: FederatedResource[] = [];
  for (const res of resources) {
    const p = res.placement;
    if (p.error || p.namespaceNotFederated) {
      const b = base(res);
      const status = p.error ? 'ComputePlacementFailed' : 'NamespaceNotFederated';
      emit(cluster, {
        ...b,
        action: 'none',
        result: 'skipped',
        status,
        message: p.error ?? `namespace ${res.namespace} has no FederatedNamespace in the inputs`,
        hint: hintFor(status, undefined, hintCtx(b.target)),
      });
      continue;
    }
    actionable.push(res);
  }

  if ('error' in c) {
    for (const res of actionable) {
      if (!res.placement.selected.includes(cluster)) {
        emit(cluster);
        continue;
      }
      const b = base(res);
      emit(cluster, {
        ...b,
        action: 'none',
        result: 'failed',
        status: 'ClientRetrievalFailed',
        reason: 'NoContext',
        message: c.error,
        hint: hintFor('ClientRetrievalFailed', 'NoContext', hintCtx(b.target)),
      });
    }
    return { name: cluster, context, reachable: false, error: c.error };
  }

  const state = new ClusterState(cluster, c);
  const sem = new Semaphore(Math.max(1, opt.concurrency ?? 8));
  const signal = opt.signal;
  const live = new LiveCache(c, sem, signal);

  const downOutcome = (res: FederatedResource): Outcome => {
    const b = base(res);
    const f = failureOf('read', state.down);
    return { ...b, action: 'none', result: 'failed', ...failureFields({ ...f, status: 'ClusterNotReady' }, hintCtx(b.target)) };
  };

  // Prefetch: one list per (type, namespace) with several resources, instead of one GET each.
  await live.prefetch(actionable.map((res) => targetRefOf(res, ws.render(res, cluster)))).catch((e) => state.note(e));

  const deferred: (() => Promise<void>)[] = [];
  const task = async (res: FederatedResource, phase: 'namespaces' | 'objects'): Promise<void> => {
    const selected = res.placement.selected.includes(cluster);
    if (state.down) {
      emit(cluster, selected ? downOutcome(res) : undefined);
      return;
    }
    try {
      const r = await decideAndAct(res, phase);
      if (r === 'deferred') return;
      emit(cluster, r ?? undefined);
    } catch (e) {
      state.note(e);
      if (isCancelled(e) || (e instanceof ApiError && e.kind === 'cancelled')) {
        emit(cluster, selected ? cancelledOutcome(res, cluster, ws) : undefined);
        return;
      }
      if (state.down && e === state.down && !selected) {
        emit(cluster);
        return;
      }
      const b = base(res);
      const f = failureOf('read', e);
      emit(cluster, { ...b, action: 'none', result: 'failed', ...failureFields(f, hintCtx(b.target)) });
    }
  };

  /** The decision for one resource in this cluster, carried out. null: nothing to report. */
  const decideAndAct = async (res: FederatedResource, phase: 'namespaces' | 'objects'): Promise<Outcome | null | 'deferred'> => {
    const selected = res.placement.selected.includes(cluster);
    const created = ws.render(res, cluster);
    const b = base(res);
    const ref = b.target;
    const info = await sem.run(() => c.resourceFor(ref.apiVersion, ref.kind, signal), signal);
    if (!info) {
      if (!selected) return null;
      return {
        ...b,
        action: 'none',
        result: 'failed',
        status: 'RetrievalFailed',
        reason: 'TypeNotServed',
        message: `${cluster} does not serve ${ref.apiVersion} ${ref.kind}`,
        hint: hintFor('RetrievalFailed', 'TypeNotServed', hintCtx(ref)),
      };
    }
    const current = await live.get(info, ref);
    const managed = !!current && hasManagedLabel(current);
    const isHostNamespace = isNamespaceTarget(res) && opt.hostCluster === cluster;
    const desired = selected ? desiredFor(ws, res, cluster, current) : undefined;
    const computeError = desired && !desired.ok ? (desired.status ?? 'ComputeResourceFailed') : null;
    const events = created.events?.length ? created.events : undefined;

    let operation: string;
    let status: string | null;
    if (res.era === 'v1beta1') {
      const d = syncDecision({
        era: 'v1beta1',
        clusterReady: true,
        selected,
        cachedObject: managed ? current : undefined,
        createConflict: current && !managed ? current : undefined,
        isHostNamespace,
        adoptResources: opt.adopt ? 'Enabled' : 'Disabled',
        // No recorded versions outside a control plane: the apply itself tells whether anything changed.
        recordedVersion: null,
        desired: desired?.object,
        computeError,
      }) as { operation: string; status: string | null };
      operation = d.operation;
      status = d.status;
    } else {
      // v1alpha1 has no adoption rule upstream; this tool applies the v1beta1 one to both eras.
      if (selected && current && !managed && (isExplicitlyUnmanaged(current) || !opt.adopt)) {
        operation = 'none';
        status = isExplicitlyUnmanaged(current) ? 'ManagedLabelFalse' : 'AlreadyExists';
      } else {
        const d = syncDecision({
          era: 'v1alpha1',
          clusterReady: true,
          selected,
          cachedObject: selected ? (current ?? undefined) : managed ? current : undefined,
          recordedVersion: null,
          desired: desired?.object,
          computeError,
          comparisonField: res.typeConfig.comparisonField,
          targetKind: res.targetKind,
        }) as { operation: string };
        operation = d.operation === 'add' ? 'create' : d.operation;
        status = computeError ?? '';
        if (operation === 'none' && computeError) status = computeError;
      }
    }

    if (operation === 'none') {
      if (status === null || (status === '' && !selected)) return null;
      if (status === '') return { ...b, action: 'none', result: 'unchanged', status: '', events };
      const reason: Reason | undefined = status === 'AlreadyExists' ? 'Unmanaged' : undefined;
      const message =
        status === 'AlreadyExists'
          ? `${describeRef(ref)} exists in ${cluster} without label ${MANAGED_LABEL}=true`
          : status === 'ManagedLabelFalse'
            ? `${describeRef(ref)} in ${cluster} is labeled ${MANAGED_LABEL}=false`
            : status === 'WaitingForRemoval'
              ? `${describeRef(ref)} is being deleted`
              : (desired?.message ?? status);
      return {
        ...b,
        action: 'none',
        result: status === 'WaitingForRemoval' ? 'unchanged' : 'failed',
        status,
        reason,
        message,
        hint: hintFor(status, reason, hintCtx(ref, { finalizers: finalizersOf(current) })),
        events,
      };
    }

    if (operation === 'create' || operation === 'update') {
      const adopting = !!current && !managed;
      const body = applyBody(res, desired!.object!, current && created.ok ? created.object : undefined);
      const op: Operation = current ? 'update' : 'create';
      try {
        const out = await sem.run(() => c.apply(info, body, { dryRun: opt.dryRun, force: opt.forceConflicts, fieldManager: opt.fieldManager, signal }), signal);
        live.remember(ref, out);
        let result: PropagateResult;
        if (!current) result = 'created';
        else if (unchanged(current, out, !!opt.dryRun)) result = adopting ? 'adopted' : 'unchanged';
        else result = adopting ? 'adopted' : 'updated';
        return { ...b, action: current ? 'update' : 'create', result, status: '', events };
      } catch (e) {
        state.note(e);
        if (isCancelled(e) || (e instanceof ApiError && e.kind === 'cancelled')) throw e;
        const f = failureOf(op, e);
        if (opt.dryRun && f.reason === 'NamespaceMissing' && ref.namespace && live.namespaceCreatedInRun(ref.namespace)) {
          return {
            ...b,
            action: op,
            result: op === 'create' ? 'created' : 'updated',
            status: '',
            message: `not validated: namespace ${ref.namespace} does not exist yet (this run would create it)`,
            events,
          };
        }
        return { ...b, action: op, result: 'failed', ...failureFields(f, hintCtx(ref)), events };
      }
    }

    // Deletion side: the cluster is no longer selected.
    if (isNamespaceTarget(res) && phase === 'namespaces') {
      // Namespaces are deleted after every other object of this cluster.
      deferred.push(() => task(res, 'objects'));
      return 'deferred';
    }
    const fo = federatedObjectOf(res);
    if (operation === 'removeManagedLabel' || (operation === 'delete' && res.era === 'v1beta1' && isOrphaning(fo))) {
      const action: PropagateAction = operation === 'removeManagedLabel' ? 'removeManagedLabel' : 'orphan';
      try {
        await sem.run(() => c.mergePatch(info, ref.namespace, ref.name, unlabelPatch(), { dryRun: opt.dryRun, fieldManager: opt.fieldManager, signal }), signal);
        return { ...b, action, result: 'orphaned', status: '' };
      } catch (e) {
        state.note(e);
        if (isCancelled(e) || (e instanceof ApiError && e.kind === 'cancelled')) throw e;
        return { ...b, action, result: 'failed', ...failureFields(failureOf('orphan', e), hintCtx(ref)) };
      }
    }
    if (operation === 'delete') {
      const dopt = res.era === 'v1beta1' ? deleteOptions(fo) : { deleteOptions: { propagationPolicy: 'Background' } };
      if ('error' in dopt) {
        return { ...b, action: 'delete', result: 'failed', status: 'DeletionFailed', reason: 'Invalid', message: dopt.error, hint: 'Fix the kubefed.io/deleteoption annotation of the federated resource (JSON of metav1.DeleteOptions).' };
      }
      try {
        const left = await sem.run(
          () => c.delete(info, ref.namespace, ref.name, { dryRun: opt.dryRun, signal, options: dopt.deleteOptions as JsonObject }),
          signal,
        );
        if (left && !opt.dryRun) {
          return { ...b, action: 'delete', result: 'deleted', status: 'WaitingForRemoval', message: `${describeRef(ref)} is being deleted`, hint: hintFor('WaitingForRemoval', undefined, hintCtx(ref, { finalizers: finalizersOf(left) })) };
        }
        return { ...b, action: 'delete', result: 'deleted', status: '' };
      } catch (e) {
        state.note(e);
        if (isCancelled(e) || (e instanceof ApiError && e.kind === 'cancelled')) throw e;
        if (e instanceof ApiError && e.status === 404) return { ...b, action: 'delete', result: 'deleted', status: '' };
        return { ...b, action: 'delete', result: 'failed', ...failureFields(failureOf('delete', e), hintCtx(ref)) };
      }
    }
    return null;
  };

  const nsResources = actionable.filter(isNamespaceTarget);
  const others = actionable.filter((r) => !isNamespaceTarget(r));
  for (const res of nsResources) if (res.placement.selected.includes(cluster)) live.plannedNamespace(res.name);
  await Promise.all(nsResources.map((r) => task(r, 'namespaces')));
  await Promise.all(others.map((r) => task(r, 'objects')));
  await Promise.all(deferred.map((f) => f()));
  if (opt.prune && !state.down && !signal?.aborted) {
    await prune(cluster, c, ws, resources, opt, sem, emit, state, hintCtx).catch((e) => {
      state.note(e);
      if (!isCancelled(e)) {
        const f = failureOf('read', e);
        emit(cluster, {
          cluster,
          resource: '',
          target: { apiVersion: '', kind: '', name: '' },
          action: 'prune',
          result: 'failed',
          ...failureFields(f, { cluster, context }),
          message: `prune: ${f.message}`,
        }, false);
      }
    });
  }
  return { name: cluster, context, reachable: !state.down, ...(state.down ? { error: state.down.message } : {}) };
}

function failureFields(f: Failure, ctx: Parameters<typeof hintFor>[2]): Pick<Outcome, 'status' | 'reason' | 'message' | 'hint' | 'conflicts'> {
  return {
    status: f.status,
    reason: f.reason,
    message: f.message,
    hint: hintFor(f.status, f.reason, ctx),
    ...(f.conflicts?.length ? { conflicts: f.conflicts } : {}),
  };
}

function finalizersOf(obj: JsonObject | null | undefined): string[] | undefined {
  const f = isObject(obj?.metadata) ? (obj!.metadata as JsonObject).finalizers : undefined;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : undefined;
}

function unlabelPatch(): JsonObject {
  return { metadata: { labels: { [MANAGED_LABEL]: null }, annotations: { [FEDERATED_RESOURCE_ANNOTATION]: null } } };
}

/** Whether an apply changed nothing: same resourceVersion, or (dry run) the same content. */
function unchanged(before: JsonObject, after: JsonObject, dryRun: boolean): boolean {
  const rv = (o: JsonObject) => (isObject(o.metadata) ? o.metadata.resourceVersion : undefined);
  if (!dryRun) return rv(before) !== undefined && rv(before) === rv(after);
  return deepEqual(normalize(before), normalize(after));
}

// ---------------------------------------------------------------------------------------------
// Prune

/** Every target type a federated resource can have: built-in configs of both eras and workspace FTCs. */
export function knownTargetTypes(ws: Workspace): TypeConfig[] {
  const all = [...builtinTypeConfigs('v1beta1'), ...builtinTypeConfigs('v1alpha1')];
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
 * Scope of --prune: managed objects carrying the federated-resource annotation, in the namespaces
 * of the given federated resources (and cluster-scoped ones when the inputs have cluster-scoped
 * federated resources), whose federated resource is not among the inputs.
 */
export function pruneScope(resources: FederatedResource[]): { namespaces: Set<string>; clusterScoped: boolean; keys: Set<string> } {
  const namespaces = new Set<string>();
  let clusterScoped = false;
  for (const r of resources) {
    if (r.namespace) namespaces.add(r.namespace);
    else clusterScoped = true;
  }
  return { namespaces, clusterScoped, keys: new Set(resources.map(resourceKeyOf)) };
}

async function prune(
  cluster: string,
  c: ClusterClient,
  ws: Workspace,
  resources: FederatedResource[],
  opt: PropagateOptions,
  sem: Semaphore,
  emit: Emit,
  state: ClusterState,
  hintCtx: (ref: ObjectRef) => Parameters<typeof hintFor>[2],
): Promise<void> {
  const scope = pruneScope(resources);
  const signal = opt.signal;
  const found: { info: ResourceInfo; obj: JsonObject; ref: ObjectRef; key: string }[] = [];
  const seen = new Set<string>();
  await Promise.all(
    knownTargetTypes(ws).map(async (tc) => {
      const av = apiVersionOf(tc.targetGroup, tc.targetVersion);
      const info = await sem.run(() => c.resourceFor(av, tc.targetKind, signal), signal);
      if (!info) return;
      const items = await sem.run(() => c.list(info, { labelSelector: `${MANAGED_LABEL}=true`, signal }), signal);
      for (const obj of items) {
        const md = isObject(obj.metadata) ? obj.metadata : {};
        const ann = isObject(md.annotations) ? md.annotations[FEDERATED_RESOURCE_ANNOTATION] : undefined;
        if (typeof ann !== 'string' || scope.keys.has(ann)) continue;
        if (md.deletionTimestamp) continue;
        const name = String(md.name ?? '');
        const namespace = typeof md.namespace === 'string' ? md.namespace : undefined;
        const inScope = info.namespaced
          ? !!namespace && scope.namespaces.has(namespace)
          : info.kind === 'Namespace' && !info.group
            ? scope.namespaces.has(name)
            : scope.clusterScoped;
        if (!inScope) continue;
        const dedupe = `${info.group}|${info.kind}|${namespace ?? ''}|${name}`;
        if (seen.has(dedupe)) continue;
        seen.add(dedupe);
        found.push({ info, obj, key: ann, ref: { apiVersion: apiVersionOf(info.group, info.version), kind: info.kind, ...(namespace ? { namespace } : {}), name } });
      }
    }),
  );
  const isNs = (f: (typeof found)[number]) => f.info.kind === 'Namespace' && !f.info.group;
  const run = async (f: (typeof found)[number]) => {
    if (state.down) return;
    try {
      const left = await sem.run(() => c.delete(f.info, f.ref.namespace, f.ref.name, { dryRun: opt.dryRun, signal, options: { propagationPolicy: 'Background' } }), signal);
      emit(cluster, {
        cluster,
        resource: f.key,
        target: f.ref,
        action: 'prune',
        result: 'pruned',
        status: left && !opt.dryRun ? 'WaitingForRemoval' : '',
        message: `${describeRef(f.ref)}: its federated resource ${f.key} is not in the inputs`,
      }, false);
    } catch (e) {
      state.note(e);
      if (isCancelled(e)) throw e;
      if (e instanceof ApiError && e.status === 404) return;
      emit(cluster, { cluster, resource: f.key, target: f.ref, action: 'prune', result: 'failed', ...failureFields(failureOf('prune', e), hintCtx(f.ref)) }, false);
    }
  };
  await Promise.all(found.filter((f) => !isNs(f)).map(run));
  await Promise.all(found.filter(isNs).map(run));
  if (signal?.aborted) throw new CancelledError();
}
