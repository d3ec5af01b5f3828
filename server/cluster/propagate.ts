/**
 * Propagation on demand: what KubeFed's sync controller does in each member cluster, done once.
 * For every federated resource and every member cluster: the desired object (engine render, the
 * update path with retention when the object exists), the live object, the controller's decision
 * (the engine's plan, engine/plan.ts), then server-side apply / delete / managed-label removal:
 * this module executes plans and reports, it decides nothing.
 *
 * Clusters run in parallel, each with a bound on operations in flight; an unreachable or denying
 * cluster never stops the others; namespaces go first and are deleted last; every outcome carries
 * KubeFed's status vocabulary and what to do.
 */
import type { FederatedResource } from '../engine/resources.ts';
import { isPropagated } from '../engine/resources.ts';
import type { Workspace } from '../engine/workspace.ts';
import type { Era } from '../engine/model.ts';
import type { JsonObject } from '../engine/json.ts';
import { deepEqual, isObject } from '../engine/json.ts';
import { MANAGED_LABEL, FEDERATED_RESOURCE_ANNOTATION } from '../engine/managed.ts';
import { objectVersion } from '../engine/sync.ts';
import { isReported, pruneScope, prunedFor, pruneTargetTypes, type ClusterPlan } from '../engine/plan.ts';
import { describeRef, isNamespaceTarget, resourceKeyOf, sourceOf, targetRefOf, type ObjectRef } from '../engine/targets.ts';
import { ApiError, apiVersionOf, type Connections, type ResourceInfo } from './client.ts';
import { applyBody } from './desired.ts';
import { normalize } from './normalize.ts';
import { ClusterSession, type Observation } from './session.ts';
import { CancelledError, Semaphore, isCancelled, linkSignal, safeProgress } from './pool.ts';
import { failureOf, hintFor, isFailure, type Failure, type Operation, type Reason } from './status.ts';

export type PropagateAction = 'create' | 'update' | 'none' | 'delete' | 'removeManagedLabel' | 'prune';
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
  /** Created or updated (not a dry run): the version of the object written (`gen:N` / `rv:X`), as KubeFed records it. */
  version?: string;
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
  /** Ids of the federated resources to act on (default: every one); the rest of the workspace is context. */
  only?: ReadonlySet<string>;
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
  /** The version a controller recorded for a resource in a cluster (PropagatedVersion): a managed object at that version is not updated. */
  recordedVersion?: (cluster: string, resourceId: string) => string | null;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** Request timeout in ms, for hints. */
  timeoutMs?: number;
}

const RESULTS: PropagateResult[] = ['created', 'updated', 'adopted', 'unchanged', 'deleted', 'orphaned', 'pruned', 'skipped', 'failed', 'cancelled'];

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
  const resources = ws.resources().filter((r) => isPropagated(r) && (!opt.only || opt.only.has(r.id)));
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
    ...outcomeBase(res, cluster, targetRefOf(res, ws.render(res, cluster))),
    action: 'none',
    result: 'cancelled',
    status: '',
    reason: 'Cancelled',
    message: 'cancelled before it started',
    hint: hintFor('', 'Cancelled', { cluster }),
  };
}

function outcomeBase(res: FederatedResource, cluster: string, target: ObjectRef): Pick<Outcome, 'cluster' | 'resource' | 'resourceId' | 'era' | 'source' | 'target'> {
  return { cluster, resource: resourceKeyOf(res), resourceId: res.id, era: res.era, source: sourceOf(res), target };
}

type Emit = (cluster: string, o?: Outcome, count?: boolean) => void;

/** The outcome of a plan that writes nothing (its status is the report). null: nothing to report. */
function outcomeOfNone(s: ClusterSession, res: FederatedResource, plan: ClusterPlan): Outcome | null {
  if (!isReported(plan) || plan.status === null) return null;
  const base = { ...outcomeBase(res, s.cluster, plan.target), ...(plan.events ? { events: plan.events } : {}) };
  const hint = s.hintOf(plan);
  if (plan.status === '') return { ...base, action: 'none', result: 'unchanged', status: '' };
  const skipped = plan.status === 'ComputePlacementFailed' || plan.status === 'NamespaceNotFederated';
  return {
    ...base,
    action: 'none',
    result: skipped ? 'skipped' : plan.status === 'WaitingForRemoval' ? 'unchanged' : 'failed',
    status: plan.status,
    ...(plan.reason ? { reason: plan.reason as Reason } : {}),
    ...(plan.message ? { message: plan.message } : {}),
    ...(hint ? { hint } : {}),
  };
}

async function propagateCluster(cluster: string, resources: FederatedResource[], opt: PropagateOptions, emit: Emit): Promise<ClusterSummary> {
  const ws = opt.workspace;
  const s = new ClusterSession(cluster, opt.connections, ws, { adopt: !!opt.adopt, hostCluster: opt.hostCluster, recordedVersion: opt.recordedVersion }, {
    concurrency: opt.concurrency,
    signal: opt.signal,
    timeoutMs: opt.timeoutMs,
  });
  if (s.clientError !== undefined) {
    for (const res of resources) emit(cluster, outcomeOfNone(s, res, (await s.observe(res)).plan) ?? undefined);
    return { name: cluster, context: s.context, reachable: false, error: s.clientError };
  }
  await s.prefetch(resources);
  const deferred: (() => Promise<void>)[] = [];
  const task = async (res: FederatedResource, mayDefer: boolean): Promise<void> => {
    try {
      const obs = await s.observe(res);
      if (mayDefer && obs.plan.last && obs.plan.operation !== 'none') {
        deferred.push(() => task(res, false));
        return;
      }
      emit(cluster, (await execute(s, res, obs, opt)) ?? undefined);
    } catch (e) {
      s.note(e);
      if (!(isCancelled(e) || (e instanceof ApiError && e.kind === 'cancelled'))) throw e;
      emit(cluster, res.placement.selected.includes(cluster) ? cancelledOutcome(res, cluster, ws) : undefined);
    }
  };
  const namespaces = resources.filter(isNamespaceTarget);
  const others = resources.filter((r) => !isNamespaceTarget(r));
  for (const res of namespaces) if (res.placement.selected.includes(cluster)) s.live!.plannedNamespace(res.name);
  await Promise.all(namespaces.map((r) => task(r, true)));
  await Promise.all(others.map((r) => task(r, true)));
  await Promise.all(deferred.map((f) => f()));
  if (opt.prune && !s.down && !opt.signal?.aborted) {
    await prune(s, ws, resources, opt, emit).catch((e) => {
      s.note(e);
      if (isCancelled(e)) return;
      const f = failureOf('read', e);
      const target = { apiVersion: '', kind: '', name: '' };
      emit(cluster, { cluster, resource: '', target, action: 'prune', result: 'failed', ...failureFields(f, { cluster, context: s.context }), message: `prune: ${f.message}` }, false);
    });
  }
  return { name: cluster, context: s.context, reachable: !s.down, ...(s.down ? { error: s.down.message } : {}) };
}

/** Carries out one plan. */
async function execute(s: ClusterSession, res: FederatedResource, obs: Observation, opt: PropagateOptions): Promise<Outcome | null> {
  const { plan, info, live } = obs;
  if (plan.operation === 'none') return outcomeOfNone(s, res, plan);
  const ref = plan.target;
  const base = { ...outcomeBase(res, s.cluster, ref), ...(plan.events ? { events: plan.events } : {}) };
  const c = s.client!;
  const signal = opt.signal;
  const op: Operation = plan.operation === 'create' ? 'create' : plan.operation === 'update' ? 'update' : plan.operation;
  const action: PropagateAction = plan.operation;
  try {
    if (plan.operation === 'create' || plan.operation === 'update') {
      const body = applyBody(res, plan.desired!.object!, live && plan.created.ok ? plan.created.object : undefined);
      const out = await s.sem.run(() => c.apply(info!, body, { dryRun: opt.dryRun, force: opt.forceConflicts, fieldManager: opt.fieldManager, signal }), signal);
      s.live!.remember(ref, out);
      const result: PropagateResult = !live ? 'created' : plan.adopting ? 'adopted' : unchanged(live, out, !!opt.dryRun) ? 'unchanged' : 'updated';
      return { ...base, action, result, status: '', ...(opt.dryRun ? {} : { version: objectVersion(out) }) };
    }
    if (plan.operation === 'removeManagedLabel') {
      await s.sem.run(() => c.mergePatch(info!, ref.namespace, ref.name, unlabelPatch(), { dryRun: opt.dryRun, fieldManager: opt.fieldManager, signal }), signal);
      return { ...base, action, result: 'orphaned', status: '' };
    }
    const left = await s.sem.run(() => c.delete(info!, ref.namespace, ref.name, { dryRun: opt.dryRun, signal, options: plan.deleteOptions }), signal);
    if (left && !opt.dryRun) {
      return { ...base, action, result: 'deleted', status: 'WaitingForRemoval', message: `${describeRef(ref)} is being deleted`, hint: hintFor('WaitingForRemoval', undefined, s.hintContext(ref, { finalizers: finalizersOf(left) })) };
    }
    return { ...base, action, result: 'deleted', status: '' };
  } catch (e) {
    s.note(e);
    if (isCancelled(e) || (e instanceof ApiError && e.kind === 'cancelled')) throw e;
    if (op === 'delete' && e instanceof ApiError && e.status === 404) return { ...base, action, result: 'deleted', status: '' };
    const f = failureOf(op, e);
    if (opt.dryRun && (op === 'create' || op === 'update') && f.reason === 'NamespaceMissing' && ref.namespace && s.live!.namespaceCreatedInRun(ref.namespace)) {
      return { ...base, action, result: op === 'create' ? 'created' : 'updated', status: '', message: `not validated: namespace ${ref.namespace} does not exist yet (this run would create it)` };
    }
    return { ...base, action, result: 'failed', ...failureFields(f, s.hintContext(ref)) };
  }
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

/** The merge patch that removes the managed label (and the federated-resource annotation) from a member object. */
export function unlabelPatch(): JsonObject {
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

async function prune(s: ClusterSession, ws: Workspace, resources: FederatedResource[], opt: PropagateOptions, emit: Emit): Promise<void> {
  const scope = pruneScope(resources);
  const signal = opt.signal;
  const c = s.client!;
  const found: { info: ResourceInfo; ref: ObjectRef; key: string }[] = [];
  const seen = new Set<string>();
  await Promise.all(
    pruneTargetTypes(ws).map(async (tc) => {
      const av = apiVersionOf(tc.targetGroup, tc.targetVersion);
      const info = await s.sem.run(() => c.resourceFor(av, tc.targetKind, signal), signal);
      if (!info) return;
      const items = await s.sem.run(() => c.list(info, { labelSelector: `${MANAGED_LABEL}=true`, signal }), signal);
      for (const obj of items) {
        const key = prunedFor(obj, scope, { namespaced: info.namespaced, isNamespace: info.kind === 'Namespace' && !info.group });
        if (key === undefined) continue;
        const md = obj.metadata as JsonObject;
        const name = String(md.name ?? '');
        const namespace = typeof md.namespace === 'string' ? md.namespace : undefined;
        const dedupe = `${info.group}|${info.kind}|${namespace ?? ''}|${name}`;
        if (seen.has(dedupe)) continue;
        seen.add(dedupe);
        found.push({ info, key, ref: { apiVersion: apiVersionOf(info.group, info.version), kind: info.kind, ...(namespace ? { namespace } : {}), name } });
      }
    }),
  );
  const isNs = (f: (typeof found)[number]) => f.info.kind === 'Namespace' && !f.info.group;
  const run = async (f: (typeof found)[number]) => {
    if (s.down) return;
    const base = { cluster: s.cluster, resource: f.key, target: f.ref, action: 'prune' as const };
    try {
      const left = await s.sem.run(() => c.delete(f.info, f.ref.namespace, f.ref.name, { dryRun: opt.dryRun, signal, options: { propagationPolicy: 'Background' } }), signal);
      const status = left && !opt.dryRun ? 'WaitingForRemoval' : '';
      emit(s.cluster, { ...base, result: 'pruned', status, message: `${describeRef(f.ref)}: its federated resource ${f.key} is not in the inputs` }, false);
    } catch (e) {
      s.note(e);
      if (isCancelled(e)) throw e;
      if (e instanceof ApiError && e.status === 404) return;
      emit(s.cluster, { ...base, result: 'failed', ...failureFields(failureOf('prune', e), s.hintContext(f.ref)) }, false);
    }
  };
  await Promise.all(found.filter((f) => !isNs(f)).map(run));
  await Promise.all(found.filter(isNs).map(run));
  if (signal?.aborted) throw new CancelledError();
}
