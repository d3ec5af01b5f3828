/**
 * Comparison of what is desired with what the member clusters hold, and of two clusters with
 * each other. Desired objects are normalised by a server-side dry-run apply (the server's defaults
 * apply), both sides are stripped of server-owned fields, and the fields KubeFed retains from the
 * cluster are reported as retained, never as drift.
 */
import type { DifferenceCause, HostState } from '../engine/hostStatus.ts';
import type { FederatedResource } from '../engine/resources.ts';
import { isPropagated } from '../engine/resources.ts';
import type { Workspace } from '../engine/workspace.ts';
import type { JsonObject } from '../engine/json.ts';
import { isObject } from '../engine/json.ts';
import { hasManagedLabel } from '../engine/managed.ts';
import { ApiError, type ClusterClient, type Connections, type ResourceInfo } from './client.ts';
import {
  applyBody,
  FEDERATED_RESOURCE_ANNOTATION,
  resourceKeyOf,
  retainedFields,
  sourceOf,
  targetRefOf,
  type ObjectRef,
} from './desired.ts';
import { changes, maskChanges, maskSecrets, normalize, removeAt, toYaml, under, type Change } from './normalize.ts';
import { Semaphore, isCancelled, linkSignal, safeProgress } from './pool.ts';
import { failureOf, hintFor, type Reason } from './status.ts';
import { unifiedDiff } from './unified.ts';
import { ClusterSession, type Observation } from './session.ts';
import { verdictOf, type PlanOperation } from '../engine/plan.ts';
import { describeRef } from '../engine/targets.ts';

export type DiffState = 'in-sync' | 'drifted' | 'missing' | 'unexpected' | 'error';

export interface DiffEntry {
  cluster: string;
  resource: string;
  /** The engine's id of the federated resource. */
  resourceId?: string;
  /** What propagate does here (the engine's plan). */
  operation?: PlanOperation;
  source?: string;
  target: ObjectRef;
  state: DiffState;
  /** Unified diff, `--- desired` / `+++ live` (drifted only). */
  diff?: string;
  /** Leaf changes as JSON pointers: `desired` and/or `live` value (drifted only). */
  changes?: Change[];
  /** Fields KubeFed keeps from the cluster's object: not drift. */
  retained?: Change[];
  /** JSON pointers set by this cluster's overrides. */
  overridden?: string[];
  /** The live object exists but lacks the managed label (propagate reports AlreadyExists without --adopt). */
  unmanaged?: boolean;
  /** The desired object (missing only), Secret values masked. */
  desired?: JsonObject;
  status?: string;
  reason?: Reason;
  message?: string;
  hint?: string;
  /** With a KubeFed host (`kfed diff --kubefed`): where a difference comes from, and KubeFed's status here. */
  kubefed?: { cause?: DifferenceCause; status?: string; hostState: HostState };
}

export interface DiffReport {
  clusters: string[];
  entries: DiffEntry[];
  summary: Record<DiffState, number>;
  /** Something is drifted, missing, unexpected or could not be compared. */
  differs: boolean;
  cancelled: boolean;
}

export interface DiffOptions {
  workspace: Workspace;
  connections: Connections;
  clusters?: string[];
  /** Ids of the federated resources to compare (default: every one); the rest of the workspace is context. */
  only?: ReadonlySet<string>;
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (e: { done: number; total: number; cluster: string; entry?: DiffEntry }) => void;
  /** Context lines of the unified diffs (default 3). */
  context?: number;
  /** Field manager of the dry-run applies that normalise desired objects (default `kubefed-tools`). */
  fieldManager?: string;
  timeoutMs?: number;
  /** Plan as `propagate --adopt` would (an unmanaged object is taken over, not refused). */
  adopt?: boolean;
  /** The KubeFed host cluster (host-namespace rule), as for propagate. */
  hostCluster?: string;
}

const STATES: DiffState[] = ['in-sync', 'drifted', 'missing', 'unexpected', 'error'];

/** Per cluster: desired (dry-run applied) against live. */
export async function diffClusters(options: DiffOptions): Promise<DiffReport> {
  const link = linkSignal(options.signal);
  try {
    return await diffAll({ ...options, signal: link.signal });
  } finally {
    link.dispose();
  }
}

async function diffAll(opt: DiffOptions): Promise<DiffReport> {
  const ws = opt.workspace;
  const resources = ws.resources().filter((r) => isPropagated(r) && (!opt.only || opt.only.has(r.id)));
  const clusters = opt.clusters?.length ? opt.clusters : ws.clusters().map((c) => c.name);
  const progress = safeProgress(opt.onProgress);
  const total = resources.length * clusters.length;
  let done = 0;
  const entries: DiffEntry[] = [];
  const push = (cluster: string, e?: DiffEntry) => {
    if (e) entries.push(e);
    done++;
    progress({ done, total, cluster, entry: e });
  };
  await Promise.all(clusters.map((cluster) => diffCluster(cluster, resources, opt, push)));
  const order = new Map(resources.map((r, i) => [resourceKeyOf(r), i]));
  entries.sort((a, b) => (order.get(a.resource) ?? 0) - (order.get(b.resource) ?? 0) || clusters.indexOf(a.cluster) - clusters.indexOf(b.cluster));
  const summary = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<DiffState, number>;
  for (const e of entries) summary[e.state]++;
  return { clusters, entries, summary, differs: entries.some((e) => e.state !== 'in-sync'), cancelled: !!opt.signal?.aborted };
}

async function diffCluster(cluster: string, resources: FederatedResource[], opt: DiffOptions, push: (c: string, e?: DiffEntry) => void): Promise<void> {
  const s = new ClusterSession(cluster, opt.connections, opt.workspace, { adopt: !!opt.adopt, hostCluster: opt.hostCluster }, {
    concurrency: opt.concurrency,
    signal: opt.signal,
    timeoutMs: opt.timeoutMs,
  });
  await s.prefetch(resources);
  await Promise.all(
    resources.map(async (res) => {
      try {
        push(cluster, (await compareOne(s, res, await s.observe(res), opt)) ?? undefined);
      } catch (e) {
        s.note(e);
        if (!(isCancelled(e) || (e instanceof ApiError && e.kind === 'cancelled'))) throw e;
        const base = entryBase(res, cluster, s.target(res));
        push(cluster, res.placement.selected.includes(cluster) ? { ...base, state: 'error', reason: 'Cancelled', status: '', message: 'cancelled', hint: hintFor('', 'Cancelled', { cluster }) } : undefined);
      }
    }),
  );
}

function entryBase(res: FederatedResource, cluster: string, target: ObjectRef): Omit<DiffEntry, 'state'> {
  return { cluster, resource: resourceKeyOf(res), resourceId: res.id, source: sourceOf(res), target };
}

/**
 * The verdict for one resource in one cluster, read off the engine's plan — the same plan
 * propagate executes: create → missing; delete / managed-label removal → unexpected; a refusal
 * or failure → error (AlreadyExists: drifted and unmanaged, with the contents compared);
 * update → the dry-run-applied object against the live one (in-sync or drifted).
 */
async function compareOne(s: ClusterSession, res: FederatedResource, obs: Observation, opt: DiffOptions): Promise<DiffEntry | null> {
  const { plan, info, live } = obs;
  const cluster = s.cluster;
  const overridden = plan.created.overriddenPaths.length && plan.selected ? plan.created.overriddenPaths : undefined;
  const base = { ...entryBase(res, cluster, plan.target), operation: plan.operation, ...(plan.status ? { status: plan.status } : {}) };
  const error = (): DiffEntry => ({
    ...base,
    state: 'error',
    status: plan.status ?? '',
    ...(plan.reason ? { reason: plan.reason as Reason } : {}),
    ...(plan.message ? { message: plan.message } : {}),
    ...(s.hintOf(plan) ? { hint: s.hintOf(plan) } : {}),
    ...(overridden ? { overridden } : {}),
  });
  const v = verdictOf(plan);
  if (!v) return null;
  switch (v.verdict) {
    case 'missing': {
      const [d] = maskSecrets(applyBody(res, plan.desired!.object!), null);
      return { ...base, state: 'missing', desired: d ?? undefined, overridden };
    }
    case 'unexpected':
      return { ...base, state: 'unexpected', ...(v.message ? { message: v.message } : {}) };
    case 'in-sync':
      return { ...base, state: 'in-sync' };
    case 'error':
      return error();
    case 'compare':
      if (plan.operation === 'update') {
        return compareContents(s, res, info!, live!, plan.desired!.object!, plan.created.ok ? plan.created.object : undefined, opt, overridden, base, plan.adopting);
      }
      // Refused (AlreadyExists): the contents are compared as they are, nothing retained.
      if (!live || !info) return error();
      return { ...(await compareContents(s, res, info, live, plan.created.object!, plan.created.object!, opt, overridden, base)), status: 'AlreadyExists', reason: 'Unmanaged', message: v.message, hint: s.hintOf(plan) };
  }
}

async function compareContents(
  s: ClusterSession,
  res: FederatedResource,
  info: ResourceInfo,
  live: JsonObject,
  desired: JsonObject,
  created: JsonObject | undefined,
  opt: DiffOptions,
  overridden: string[] | undefined,
  base: Omit<DiffEntry, 'state'>,
  adopting = false,
): Promise<DiffEntry> {
  const dry = await dryRunApply(s.client!, info, applyBody(res, desired, created), s.sem, s.signal, opt.fieldManager).catch((e: unknown) => {
    if (e instanceof ApiError && e.kind === 'http') return { failure: failureOf('update', e) };
    throw e;
  });
  if ('failure' in dry) {
    const f = dry.failure;
    return { ...base, state: 'error', status: f.status, reason: f.reason, message: f.message, hint: hintFor(f.status, f.reason, s.hintContext(base.target)), overridden };
  }
  return compareObjects(base, dry.object, live, {
    retained: retained(created, desired),
    overridden,
    unmanaged: adopting || !hasManagedLabel(live),
    context: opt.context,
  });
}

async function dryRunApply(c: ClusterClient, info: ResourceInfo, body: JsonObject, sem: Semaphore, signal?: AbortSignal, fieldManager?: string): Promise<{ object: JsonObject }> {
  // Forced: the result is what the object would be if this tool's values won every field.
  const object = await sem.run(() => c.apply(info, body, { dryRun: true, force: true, fieldManager, signal }), signal);
  return { object };
}

function retained(createPath: JsonObject | undefined, updatePath: JsonObject | undefined): Change[] | undefined {
  const list = retainedFields(createPath, updatePath)
    .map((c) => {
      if (c.path === '/metadata/annotations' && isObject(c.live)) {
        const rest = { ...c.live };
        delete rest[FEDERATED_RESOURCE_ANNOTATION];
        return Object.keys(rest).length ? { path: c.path, live: rest } : null;
      }
      if (c.path === `/metadata/annotations/${FEDERATED_RESOURCE_ANNOTATION.replace(/\//g, '~1')}`) return null;
      return c;
    })
    .filter((c): c is Change => c !== null);
  return list.length ? list : undefined;
}

/** Compares a desired object (already normalised by the server) with a live one. */
export function compareObjects(
  base: Omit<DiffEntry, 'state'>,
  desiredObj: JsonObject,
  liveObj: JsonObject,
  extra: { retained?: Change[]; overridden?: string[]; unmanaged?: boolean; context?: number } = {},
): DiffEntry {
  const d = normalize(desiredObj);
  const l = normalize(liveObj);
  const kind = String(l.kind ?? d.kind ?? '');
  const list = maskChanges(kind, changes(d, l));
  const meta = {
    ...(extra.retained ? { retained: maskChanges(kind, extra.retained) } : {}),
    ...(extra.overridden ? { overridden: extra.overridden } : {}),
    ...(extra.unmanaged ? { unmanaged: true } : {}),
  };
  if (list.length === 0) return { ...base, state: 'in-sync', ...meta };
  const [md, ml] = maskSecrets(d, l);
  const diff = unifiedDiff(toYaml(md), toYaml(ml), { from: `desired ${base.cluster}`, to: `live ${base.cluster}` }, extra.context ?? 3);
  return {
    ...base,
    state: 'drifted',
    diff,
    changes: list,
    ...meta,
    ...(extra.unmanaged ? { message: `the object lacks label kubefed.io/managed=true: propagate leaves it alone unless --adopt` } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Cluster against cluster

export type BetweenState = 'same' | 'different' | 'only-in-a' | 'only-in-b' | 'error';

export interface BetweenEntry {
  resource: string;
  source?: string;
  target: ObjectRef;
  state: BetweenState;
  /** Unified diff, `--- <a>` / `+++ <b>`. */
  diff?: string;
  /** Leaf changes: `desired` holds cluster a's value, `live` cluster b's. */
  changes?: (Change & { override?: boolean })[];
  /** Fields each cluster allocates for itself (Service IPs and node ports): not compared. */
  ignored?: string[];
  errors?: { cluster: string; status: string; reason?: string; message: string }[];
}

export interface BetweenReport {
  a: string;
  b: string;
  entries: BetweenEntry[];
  summary: Record<BetweenState, number>;
  differs: boolean;
}

/** Fields a cluster allocates itself; they always differ between clusters. */
const CLUSTER_ALLOCATED: Record<string, RegExp> = {
  Service: /^\/spec\/(clusterIP|clusterIPs|healthCheckNodePort)(\/|$)|^\/spec\/ports\/\d+\/nodePort$/,
};

/** What differs between the live objects of two clusters right now. */
export async function diffBetween(options: DiffOptions & { a: string; b: string }): Promise<BetweenReport> {
  const link = linkSignal(options.signal);
  try {
    return await betweenAll({ ...options, signal: link.signal });
  } finally {
    link.dispose();
  }
}

async function betweenAll(opt: DiffOptions & { a: string; b: string }): Promise<BetweenReport> {
  const ws = opt.workspace;
  const resources = ws.resources().filter(isPropagated);
  const ca = opt.connections.client(opt.a);
  const cb = opt.connections.client(opt.b);
  const sema = new Semaphore(Math.max(1, opt.concurrency ?? 8));
  const semb = new Semaphore(Math.max(1, opt.concurrency ?? 8));
  const signal = opt.signal;
  const read = async (c: ClusterClient | { error: string }, sem: Semaphore, ref: ObjectRef) => {
    if ('error' in c) throw new ApiError('auth', c.error);
    const info = await sem.run(() => c.resourceFor(ref.apiVersion, ref.kind, signal), signal);
    if (!info) return null;
    return sem.run(() => c.get(info, ref.namespace, ref.name, signal), signal);
  };
  const entries = await Promise.all(
    resources.map(async (res): Promise<BetweenEntry | undefined> => {
      const target = targetRefOf(res, ws.render(res, opt.a));
      const base = { resource: resourceKeyOf(res), source: sourceOf(res), target };
      const [ra, rb] = await Promise.allSettled([read(ca, sema, target), read(cb, semb, target)]);
      const errors: NonNullable<BetweenEntry['errors']> = [];
      for (const [r, name] of [[ra, opt.a], [rb, opt.b]] as const) {
        if (r.status === 'rejected') {
          const f = failureOf('read', r.reason);
          errors.push({ cluster: name, status: f.status, reason: f.reason, message: f.message });
        }
      }
      if (errors.length) return { ...base, state: 'error', errors };
      const la = (ra as PromiseFulfilledResult<JsonObject | null>).value;
      const lb = (rb as PromiseFulfilledResult<JsonObject | null>).value;
      if (!la && !lb) return undefined;
      if (!la) return { ...base, state: 'only-in-b' };
      if (!lb) return { ...base, state: 'only-in-a' };
      const na = normalize(la);
      const nb = normalize(lb);
      const allocated = CLUSTER_ALLOCATED[target.kind];
      const all = changes(na, nb);
      const ignored = allocated ? all.filter((c) => allocated.test(c.path)).map((c) => c.path) : [];
      for (const p of ignored) {
        removeAt(na, p);
        removeAt(nb, p);
      }
      const overridden = new Set([...ws.render(res, opt.a).overriddenPaths, ...ws.render(res, opt.b).overriddenPaths]);
      const list = maskChanges(target.kind, changes(na, nb)).map((c) =>
        [...overridden].some((p) => under(c.path, p)) ? { ...c, override: true } : c,
      );
      const ig = ignored.length ? { ignored } : {};
      if (!list.length) return { ...base, state: 'same', ...ig };
      const [ma, mb] = maskSecrets(na, nb);
      return {
        ...base,
        state: 'different',
        diff: unifiedDiff(toYaml(ma), toYaml(mb), { from: opt.a, to: opt.b }, opt.context ?? 3),
        changes: list,
        ...ig,
      };
    }),
  );
  const list = entries.filter((e): e is BetweenEntry => !!e);
  const summary = { same: 0, different: 0, 'only-in-a': 0, 'only-in-b': 0, error: 0 } as Record<BetweenState, number>;
  for (const e of list) summary[e.state]++;
  return { a: opt.a, b: opt.b, entries: list, summary, differs: list.some((e) => e.state !== 'same') };
}
