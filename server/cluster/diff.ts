/**
 * Comparison of what is desired with what the member clusters hold, and of two clusters with
 * each other. Desired objects are normalised by a server-side dry-run apply (the server's defaults
 * apply), both sides are stripped of server-owned fields, and the fields KubeFed retains from the
 * cluster are reported as retained, never as drift.
 */
import type { FederatedResource } from '../engine/resources.ts';
import { isPropagated } from '../engine/resources.ts';
import type { Workspace } from '../engine/workspace.ts';
import type { JsonObject } from '../engine/json.ts';
import { isObject } from '../engine/json.ts';
import { hasManagedLabel } from '../engine/managed.ts';
import { ApiError, isClusterDown, type ClusterClient, type Connections, type ResourceInfo } from './client.ts';
import {
  applyBody,
  desiredFor,
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
import { LiveCache } from './live.ts';

export type DiffState = 'in-sync' | 'drifted' | 'missing' | 'unexpected' | 'error';

export interface DiffEntry {
  cluster: string;
  resource: string;
  /** The engine's id of the federated resource. */
  resourceId?: string;
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
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (e: { done: number; total: number; cluster: string; entry?: DiffEntry }) => void;
  /** Context lines of the unified diffs (default 3). */
  context?: number;
  /** Field manager of the dry-run applies that normalise desired objects (default `kubefed-tools`). */
  fieldManager?: string;
  timeoutMs?: number;
}

const STATES: DiffState[] = ['in-sync', 'drifted', 'missing', 'unexpected', 'error'];

function errorEntry(base: Omit<DiffEntry, 'state'>, e: unknown, cluster: string, context?: string): DiffEntry {
  const f = failureOf('read', e);
  const t = base.target;
  return {
    ...base,
    state: 'error',
    status: f.status,
    reason: f.reason,
    message: f.message,
    hint: hintFor(f.status, f.reason, { cluster, context, kind: t.kind, apiVersion: t.apiVersion, namespace: t.namespace, name: t.name }),
  };
}

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
  const resources = ws.resources().filter(isPropagated);
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
  const ws = opt.workspace;
  const c = opt.connections.client(cluster);
  const context = opt.connections.contextOf(cluster);
  const sem = new Semaphore(Math.max(1, opt.concurrency ?? 8));
  const signal = opt.signal;
  let down: unknown;
  const live = 'error' in c ? undefined : new LiveCache(c, sem, signal);
  if (live) {
    await live.prefetch(resources.filter((r) => !r.placement.error && !r.placement.namespaceNotFederated).map((r) => targetRefOf(r, ws.render(r, cluster)))).catch((e) => {
      if (isClusterDown(e)) down ??= e;
    });
  }
  await Promise.all(
    resources.map(async (res) => {
      const selected = res.placement.selected.includes(cluster);
      const created = ws.render(res, cluster);
      const base: Omit<DiffEntry, 'state'> = { cluster, resource: resourceKeyOf(res), resourceId: res.id, source: sourceOf(res), target: targetRefOf(res, created) };
      if (res.placement.error || res.placement.namespaceNotFederated) {
        const status = res.placement.error ? 'ComputePlacementFailed' : 'NamespaceNotFederated';
        return push(cluster, { ...base, state: 'error', status, message: res.placement.error ?? `namespace ${res.namespace} has no FederatedNamespace in the inputs`, hint: hintFor(status, undefined, { cluster }) });
      }
      if ('error' in c) {
        if (!selected) return push(cluster);
        return push(cluster, { ...base, state: 'error', status: 'ClientRetrievalFailed', reason: 'NoContext', message: c.error, hint: hintFor('ClientRetrievalFailed', 'NoContext', { cluster }) });
      }
      if (down) return push(cluster, selected ? errorEntry(base, down, cluster, context) : undefined);
      try {
        push(cluster, await compareOne(c, live!, ws, res, cluster, base, selected, sem, opt));
      } catch (e) {
        if (isClusterDown(e)) down ??= e;
        if (!selected && e === down) return push(cluster);
        if (isCancelled(e) || (e instanceof ApiError && e.kind === 'cancelled')) {
          return push(cluster, selected ? { ...base, state: 'error', reason: 'Cancelled', status: '', message: 'cancelled', hint: hintFor('', 'Cancelled', { cluster }) } : undefined);
        }
        push(cluster, errorEntry(base, e, cluster, context));
      }
    }),
  );
}

async function compareOne(
  c: ClusterClient,
  cache: LiveCache,
  ws: Workspace,
  res: FederatedResource,
  cluster: string,
  base: Omit<DiffEntry, 'state'>,
  selected: boolean,
  sem: Semaphore,
  opt: DiffOptions,
): Promise<DiffEntry | undefined> {
  const signal = opt.signal;
  const ref = base.target;
  const info = await sem.run(() => c.resourceFor(ref.apiVersion, ref.kind, signal), signal);
  const hctx = { cluster, context: c.context, kind: ref.kind, apiVersion: ref.apiVersion, namespace: ref.namespace, name: ref.name, timeoutMs: opt.timeoutMs };
  if (!info) {
    if (!selected) return undefined;
    return { ...base, state: 'error', status: 'RetrievalFailed', reason: 'TypeNotServed', message: `${cluster} does not serve ${ref.apiVersion} ${ref.kind}`, hint: hintFor('RetrievalFailed', 'TypeNotServed', hctx) };
  }
  const live = await cache.get(info, ref);
  const created = ws.render(res, cluster);
  if (!selected) {
    if (live && hasManagedLabel(live)) {
      return { ...base, state: 'unexpected', message: `${ref.kind} ${ref.name} is managed in ${cluster} but its federated resource no longer places it there (propagate deletes it)` };
    }
    return undefined;
  }
  const overridden = created.overriddenPaths.length ? created.overriddenPaths : undefined;
  if (!live) {
    if (!created.ok) return { ...base, state: 'error', status: created.status, message: created.message, hint: hintFor(created.status ?? '', undefined, hctx) };
    const [d] = maskSecrets(applyBody(res, created.object!), null);
    return { ...base, state: 'missing', desired: d ?? undefined, overridden };
  }
  const desired = desiredFor(ws, res, cluster, live);
  if (!desired.ok) return { ...base, state: 'error', status: desired.status, message: desired.message, hint: hintFor(desired.status ?? '', undefined, hctx), overridden };
  const dry = await dryRunApply(c, info, applyBody(res, desired.object!, created.ok ? created.object : undefined), sem, signal, opt.fieldManager).catch((e: unknown) => {
    if (e instanceof ApiError && e.kind === 'http') {
      const f = failureOf('update', e);
      return { failure: f };
    }
    throw e;
  });
  if ('failure' in dry) {
    const f = dry.failure;
    return { ...base, state: 'error', status: f.status, reason: f.reason, message: f.message, hint: hintFor(f.status, f.reason, hctx), overridden };
  }
  return compareObjects(base, dry.object, live, {
    retained: retained(created.object, desired.object),
    overridden,
    unmanaged: !hasManagedLabel(live),
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
