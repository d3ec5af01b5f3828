/**
 * `kfed apply`: executes the engine's host apply plan against a KubeFed host cluster — host
 * Namespaces first where missing, then every object by server-side apply in the plan's order,
 * then the prune of the apply set's objects the inputs no longer hold.
 */
import { deepEqual, isObject, type JsonObject } from '../engine/json.ts';
import { createdNamespace, describeHostRef, hostRefKey, prunedHostObjects, APPLIED_SET_LABEL, DEFAULT_APPLY_SET, type HostApplyPlan, type HostItem, type HostRef } from '../engine/hostApply.ts';
import { ApiError, type ClusterClient, type ResourceInfo } from './client.ts';
import { failureOf, type Reason } from './status.ts';
import { isCancelled, mapSettled, safeProgress } from './pool.ts';

export type HostResult = 'created' | 'configured' | 'unchanged' | 'deleted' | 'failed' | 'cancelled';

export interface HostOutcome {
  ref: HostRef;
  action: 'namespace' | 'apply' | 'prune';
  result: HostResult;
  uri?: string;
  line?: number;
  reason?: Reason | 'TypeNotServed';
  message?: string;
  conflicts?: { manager: string; field: string }[];
}

export interface HostApplyReport {
  dryRun: boolean;
  outcomes: HostOutcome[];
  failed: boolean;
  cancelled: boolean;
}

export interface HostApplyOptions {
  dryRun?: boolean;
  prune?: boolean;
  set?: string;
  forceConflicts?: boolean;
  fieldManager?: string;
  concurrency?: number;
  signal?: AbortSignal;
  onOutcome?: (o: HostOutcome, done: number, total: number) => void;
}

const NAMESPACE: ResourceInfo = { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false };

function failed(ref: HostRef, action: HostOutcome['action'], e: unknown, item?: HostItem): HostOutcome {
  const where = item ? { uri: item.uri, line: item.line } : {};
  if (isCancelled(e) || (e instanceof ApiError && e.kind === 'cancelled')) return { ref, action, result: 'cancelled', ...where };
  const f = failureOf(action === 'prune' ? 'delete' : 'create', e);
  return { ref, action, result: 'failed', ...where, reason: f.reason, message: f.message, ...(f.conflicts ? { conflicts: f.conflicts } : {}) };
}

/** The object without what every write changes (managed fields, versions, status). */
function content(o: JsonObject): JsonObject {
  const { status: _status, ...rest } = o;
  const md = isObject(rest.metadata) ? { ...rest.metadata } : {};
  for (const k of ['managedFields', 'resourceVersion', 'generation']) delete md[k];
  return { ...rest, metadata: md };
}

async function typeOf(client: ClusterClient, ref: HostRef, signal?: AbortSignal): Promise<ResourceInfo | null> {
  return ref.kind === 'Namespace' && ref.apiVersion === 'v1' ? NAMESPACE : client.resourceFor(ref.apiVersion, ref.kind, signal);
}

async function ensureNamespace(client: ClusterClient, name: string, opt: HostApplyOptions): Promise<HostOutcome> {
  const ref: HostRef = { apiVersion: 'v1', kind: 'Namespace', namespace: '', name };
  try {
    if (await client.get(NAMESPACE, undefined, name, opt.signal)) return { ref, action: 'namespace', result: 'unchanged' };
    await client.request('POST', '/api/v1/namespaces', { body: createdNamespace(name), signal: opt.signal, query: { fieldManager: opt.fieldManager, dryRun: opt.dryRun ? 'All' : undefined } });
    return { ref, action: 'namespace', result: 'created', message: 'created for the federated objects in it' };
  } catch (e) {
    return failed(ref, 'namespace', e);
  }
}

async function applyItem(client: ClusterClient, item: HostItem, opt: HostApplyOptions, pendingNamespaces: ReadonlySet<string>): Promise<HostOutcome> {
  const { ref } = item;
  const where = { uri: item.uri, line: item.line };
  try {
    const info = await typeOf(client, ref, opt.signal);
    if (!info) {
      return { ref, action: 'apply', result: 'failed', ...where, reason: 'TypeNotServed', message: `the host does not serve ${ref.apiVersion} ${ref.kind}: install KubeFed's CRDs and enable the type (its FederatedTypeConfig), or apply with --control-plane` };
    }
    const ns = info.namespaced ? ref.namespace || 'default' : undefined;
    if (opt.dryRun && ns && pendingNamespaces.has(ns)) {
      return { ref, action: 'apply', result: 'created', ...where, message: `namespace ${ns} would be created first; not checked by the server` };
    }
    const before = await client.get(info, ns, ref.name, opt.signal);
    const body = ns && !ref.namespace ? { ...item.object, metadata: { ...(item.object.metadata as JsonObject), namespace: ns } } : item.object;
    const after = await client.apply(info, body, { dryRun: opt.dryRun, force: opt.forceConflicts, signal: opt.signal, fieldManager: opt.fieldManager });
    // By content, not resourceVersion: a server-side dry run never bumps the version.
    const result: HostResult = !before ? 'created' : deepEqual(content(before), content(after)) ? 'unchanged' : 'configured';
    return { ref, action: 'apply', result, ...where };
  } catch (e) {
    return failed(ref, 'apply', e, item);
  }
}

/** The types a prune looks through: the inputs' types and the federated types the host's FederatedTypeConfigs enable. */
async function pruneTypes(client: ClusterClient, plan: HostApplyPlan, signal?: AbortSignal): Promise<ResourceInfo[]> {
  const refs = new Map<string, { apiVersion: string; kind: string }>();
  for (const i of plan.items) refs.set(`${i.ref.apiVersion}|${i.ref.kind}`, i.ref);
  const ftcType = await client.resourceFor('core.kubefed.io/v1beta1', 'FederatedTypeConfig', signal);
  if (ftcType) {
    for (const ftc of await client.list(ftcType, { signal }).catch(() => [])) {
      const ft = isObject(ftc.spec) && isObject(ftc.spec.federatedType) ? ftc.spec.federatedType : undefined;
      if (ft && typeof ft.kind === 'string' && typeof ft.group === 'string' && typeof ft.version === 'string') refs.set(`${ft.group}/${ft.version}|${ft.kind}`, { apiVersion: `${ft.group}/${ft.version}`, kind: ft.kind });
    }
  }
  refs.set('scheduling.kubefed.io/v1alpha1|ReplicaSchedulingPreference', { apiVersion: 'scheduling.kubefed.io/v1alpha1', kind: 'ReplicaSchedulingPreference' });
  const out: ResourceInfo[] = [];
  for (const r of refs.values()) {
    if (r.kind === 'Namespace') continue;
    const info = await client.resourceFor(r.apiVersion, r.kind, signal).catch(() => null);
    if (info) out.push(info);
  }
  return out;
}

/**
 * A list that a fresh custom resource's storage may refuse for a moment (503 "storage is
 * (re)initializing", 429): tried again a few times, since a prune must see every object of its set.
 */
async function listPatiently(client: ClusterClient, info: ResourceInfo, labelSelector: string, signal?: AbortSignal): Promise<JsonObject[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.list(info, { labelSelector, signal });
    } catch (e) {
      if (!(e instanceof ApiError && (e.status === 503 || e.status === 429)) || attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}

async function prune(client: ClusterClient, plan: HostApplyPlan, opt: HostApplyOptions): Promise<HostOutcome[]> {
  const set = opt.set ?? DEFAULT_APPLY_SET;
  const live: JsonObject[] = [];
  const types = new Map<string, ResourceInfo>();
  for (const info of await pruneTypes(client, plan, opt.signal)) {
    for (const o of await listPatiently(client, info, `${APPLIED_SET_LABEL}=${set}`, opt.signal)) {
      live.push(o);
      types.set(`${o.apiVersion}|${o.kind}`, info);
    }
  }
  const gone = prunedHostObjects(live, plan, set);
  const settled = await mapSettled(gone, async (ref): Promise<HostOutcome> => {
    try {
      await client.delete(types.get(`${ref.apiVersion}|${ref.kind}`)!, ref.namespace || undefined, ref.name, { dryRun: opt.dryRun, signal: opt.signal });
      return { ref, action: 'prune', result: 'deleted' };
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return { ref, action: 'prune', result: 'deleted', message: 'already gone' };
      return failed(ref, 'prune', e);
    }
  }, { limit: opt.concurrency ?? 8, signal: opt.signal });
  return settled.map((s, i) => (s.status === 'fulfilled' ? s.value : failed(gone[i]!, 'prune', s.reason)));
}

/** Applies the plan to the host: Namespaces, then each order group in turn, then the prune. */
export async function applyToHost(client: ClusterClient, plan: HostApplyPlan, opt: HostApplyOptions = {}): Promise<HostApplyReport> {
  const outcomes: HostOutcome[] = [];
  const progress = safeProgress<HostOutcome>((o) => opt.onOutcome?.(o, outcomes.length, plan.items.length + plan.namespaces.length));
  const record = (o: HostOutcome) => {
    outcomes.push(o);
    progress(o);
  };
  const pending = new Set<string>();
  for (const ns of plan.namespaces) {
    const o = await ensureNamespace(client, ns, opt);
    if (o.result !== 'unchanged') record(o);
    if (opt.dryRun && o.result === 'created') pending.add(ns);
  }
  const orders = [...new Set(plan.items.map((i) => i.order))].sort((a, b) => a - b);
  for (const order of orders) {
    if (opt.signal?.aborted) break;
    const group = plan.items.filter((i) => i.order === order);
    const settled = await mapSettled(group, (item) => applyItem(client, item, opt, pending), { limit: opt.concurrency ?? 8, signal: opt.signal });
    settled.forEach((s, i) => record(s.status === 'fulfilled' ? s.value : failed(group[i]!.ref, 'apply', s.reason, group[i])));
  }
  const cancelled = !!opt.signal?.aborted;
  const failedAny = outcomes.some((o) => o.result === 'failed');
  if (opt.prune && !cancelled && !failedAny) {
    for (const o of await prune(client, plan, opt).catch((e) => [failed({ apiVersion: '', kind: 'prune', namespace: '', name: 'of the apply set' }, 'prune', e)])) record(o);
  }
  return { dryRun: !!opt.dryRun, outcomes, failed: outcomes.some((o) => o.result === 'failed'), cancelled: cancelled || outcomes.some((o) => o.result === 'cancelled') };
}

export function describeOutcome(o: HostOutcome): string {
  return `${describeHostRef(o.ref)}${o.action === 'prune' ? ' (pruned)' : ''}`;
}

export { hostRefKey };
