/**
 * Reads a KubeFed host: whether a controller runs there (its leader lock), and each federated
 * resource's host object, whose status the engine reads (`hostStatusOf`).
 */
import { isObject, type JsonObject } from '../engine/json.ts';
import { isLeaderFresh, leaderRecordOf, KUBEFED_LOCK_NAME, PROJECT_LEASE_NAME, type LeaderRecord } from '../engine/leader.ts';
import { hostStatusOf, type HostStatus } from '../engine/hostStatus.ts';
import type { FederatedResource } from '../engine/resources.ts';
import { ApiError, type ClusterClient, type ResourceInfo } from './client.ts';
import { KUBEFED_SYSTEM_NAMESPACE } from './clusters.ts';

export interface ControllerInfo {
  running: boolean;
  /** The freshest leader record found (KubeFed's ConfigMap lock, or a Lease of the same name). */
  record?: LeaderRecord;
  namespace: string;
  /** Why nothing could be read (e.g. forbidden): the answer is then unknown, not "not running". */
  error?: string;
}

const CONFIGMAP: ResourceInfo = { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
const LEASE: ResourceInfo = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true };

/** Whether a KubeFed controller (KubeFed's own or one of this project) holds a fresh leader lock on the host. */
export async function detectController(
  client: ClusterClient,
  namespace = KUBEFED_SYSTEM_NAMESPACE,
  opt: { signal?: AbortSignal; now?: () => number; /** Only KubeFed's own lock, not this project's controller's Lease. */ kubefedOnly?: boolean } = {},
): Promise<ControllerInfo> {
  const now = (opt.now ?? Date.now)();
  const records: LeaderRecord[] = [];
  const errors: string[] = [];
  const locks: [ResourceInfo, string][] = [[CONFIGMAP, KUBEFED_LOCK_NAME], [LEASE, KUBEFED_LOCK_NAME], ...(opt.kubefedOnly ? [] : ([[LEASE, PROJECT_LEASE_NAME]] as [ResourceInfo, string][]))];
  for (const [info, name] of locks) {
    try {
      const rec = leaderRecordOf(await client.get(info, namespace, name, opt.signal));
      if (rec) records.push(rec);
    } catch (e) {
      if (e instanceof ApiError && (e.kind === 'network' || e.kind === 'timeout' || e.kind === 'cancelled')) throw e;
      errors.push((e as Error).message);
    }
  }
  const record = records.sort((a, b) => b.renewTime - a.renewTime)[0];
  const running = isLeaderFresh(record, now);
  return { running, namespace, ...(record ? { record } : {}), ...(!running && errors.length === locks.length ? { error: errors[0] } : {}) };
}

export interface HostResourceStatus {
  resource: FederatedResource;
  status: HostStatus;
  /** Why the host object could not be read (the status is then `missing` and not to be trusted). */
  error?: string;
}

/** The host objects of v1beta1 resources, read by one list per (type, namespace). */
export async function readHostStatuses(client: ClusterClient, resources: readonly FederatedResource[], signal?: AbortSignal): Promise<HostResourceStatus[]> {
  const groups = new Map<string, FederatedResource[]>();
  for (const r of resources) {
    if (r.era !== 'v1beta1' || !r.main) continue;
    const k = `${r.main.meta.apiVersion}|${r.main.meta.kind}|${r.namespace}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const out: HostResourceStatus[] = [];
  for (const list of groups.values()) {
    const m = list[0]!.main!.meta;
    let info: ResourceInfo | null;
    let byName = new Map<string, JsonObject>();
    let error: string | undefined;
    try {
      info = await client.resourceFor(m.apiVersion, m.kind, signal);
      if (!info) error = `the host does not serve ${m.apiVersion} ${m.kind} (KubeFed's CRD or its FederatedTypeConfig is missing)`;
      else {
        const items = await client.list(info, { namespace: info.namespaced ? m.namespace || 'default' : undefined, signal });
        byName = new Map(items.map((o) => [String(isObject(o.metadata) ? o.metadata.name : ''), o]));
      }
    } catch (e) {
      if (e instanceof ApiError && (e.kind === 'network' || e.kind === 'timeout' || e.kind === 'cancelled')) throw e;
      error = (e as Error).message;
    }
    for (const r of list) out.push({ resource: r, status: hostStatusOf(byName.get(r.name), r.main!.object), ...(error ? { error } : {}) });
  }
  return out;
}

/**
 * Every federated object of the host, of each type its FederatedTypeConfigs enable, with those
 * FederatedTypeConfigs (so a workspace made of them knows custom types too).
 */
export async function listHostFederated(client: ClusterClient, signal?: AbortSignal): Promise<JsonObject[]> {
  const ftcType = await client.resourceFor('core.kubefed.io/v1beta1', 'FederatedTypeConfig', signal);
  if (!ftcType) return [];
  const ftcs = await client.list(ftcType, { signal });
  const out: JsonObject[] = [...ftcs];
  for (const ftc of ftcs) {
    const ft = isObject(ftc.spec) && isObject(ftc.spec.federatedType) ? ftc.spec.federatedType : undefined;
    if (!ft || typeof ft.kind !== 'string' || typeof ft.group !== 'string' || typeof ft.version !== 'string') continue;
    const info = await client.resourceFor(`${ft.group}/${ft.version}`, ft.kind, signal);
    if (info) out.push(...(await client.list(info, { signal })));
  }
  return out;
}

export interface RunningController {
  cluster: string;
  context: string;
  holder: string;
  namespace: string;
  /** Seconds since the lock was last renewed. */
  ago: number;
}

/**
 * The first of `candidates` (a host, or the member clusters of a run: KubeFed's host is usually one
 * of its members) where a KubeFed controller holds a fresh leader lock. A cluster that does not
 * answer within `quickMs` counts as not running: the caller's own run reports it.
 */
export async function findRunningController(
  candidates: readonly { cluster: string; context: string; client: ClusterClient }[],
  opt: { namespace?: string; signal?: AbortSignal; quickMs?: number } = {},
): Promise<RunningController | undefined> {
  const quick = AbortSignal.timeout(opt.quickMs ?? 5_000);
  const signal = opt.signal ? AbortSignal.any([opt.signal, quick]) : quick;
  const found = await Promise.all(
    candidates.map(async (x) => {
      const info = await detectController(x.client, opt.namespace, { signal }).catch(() => undefined);
      if (!info?.running || !info.record) return undefined;
      return { cluster: x.cluster, context: x.context, holder: info.record.holder, namespace: info.namespace, ago: Math.max(0, Math.round((Date.now() - info.record.renewTime) / 1000)) };
    }),
  );
  return found.find((f) => f);
}
