/**
 * One case against the real KubeFed: apply it (members first, then the host), wait until KubeFed
 * has settled, then compare, for every federated resource and member cluster, KubeFed's result
 * with the engine's plan for that cluster given the live objects (through the product's own
 * cluster session, as `kfed diff` reads it): the object (both sides normalised by the API server:
 * the engine's object as a dry-run full update of the live one, the way KubeFed writes), whether
 * the engine would still create or delete anything, and the per-cluster status.
 */
import type { Federation } from '../clusters/launcher.ts';
import { kubeFedConfigDefaults } from '../../server/engine/kubefedconfig-defaults.ts';
import { Workspace } from '../../server/engine/workspace.ts';
import { federatedObjectOf, isPropagated } from '../../server/engine/resources.ts';
import { openRunClusters } from '../../server/cluster/clusters.ts';
import { ClusterSession } from '../../server/cluster/session.ts';
import { normalize } from '../../server/cluster/normalize.ts';
import type { JsonObject } from '../../server/engine/json.ts';
import { statusOfPlans, type ClusterPlan } from '../../server/engine/plan.ts';
import type { Kinds, Obj } from './kinds.ts';
import { caseFiles, type OracleCase } from './cases.ts';

/** Server-owned fields and status stripped, keys ordered: the cluster module's own normalisation, as `kfed diff` uses it. */
const normalised = (o: Obj): Obj => normalize(o as JsonObject);

export interface Difference {
  resource: string;
  cluster: string;
  what: 'object' | 'status' | 'operation' | 'host' | 'rsp';
  detail: string;
  /** The two values compared (rsp: the engine's and KubeFed's field). */
  values?: { engine: unknown; kubefed: unknown };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function create(fed: Federation, kinds: Kinds, cluster: string, obj: Obj): Promise<void> {
  const res = await fed.request(cluster, 'POST', await kinds.collectionPath(cluster, obj), obj);
  if (res.status === 409 && obj.kind === 'Namespace') return;
  if (res.status >= 300) throw new Error(`${cluster}: create ${obj.kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}: ${res.status} ${res.body.slice(0, 300)}`);
}

/** Members first, then the host namespaces (KubeFed keeps federated objects in host namespaces), then the host objects. */
export async function applyCase(fed: Federation, kinds: Kinds, c: OracleCase): Promise<void> {
  // Host inputs of a type the host does not serve (KubeFed does not enable it) are left out, by name.
  const served: Obj[] = [];
  for (const o of c.host) {
    if (await kinds.info(fed.hostCluster, o)) served.push(o);
    else (c.skipped ??= []).push(`${o.kind}/${o.metadata?.name ?? '?'}`);
  }
  c.host = served;
  for (const [cluster, objs] of Object.entries(c.members)) for (const o of objs) await create(fed, kinds, cluster, o);
  const namespaces = new Set(c.host.map((o) => o.metadata?.namespace).filter((n): n is string => !!n));
  for (const ns of namespaces) await create(fed, kinds, fed.hostCluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const o of c.host) await create(fed, kinds, fed.hostCluster, o);
}

/** A JSON merge patch (RFC 7386) applied to `target`. */
function merged(target: Obj, patch: Obj): Obj {
  const out: Obj = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' && !Array.isArray(out[k])) out[k] = merged(out[k], v);
    else out[k] = v;
  }
  return out;
}

/**
 * One step of a multi-step case: host objects of `host` that differ from `before` are written
 * (a full update of the live object's spec, or a create), host objects of `before` missing from
 * `host` are deleted; `members` merge-patches go to member objects first.
 */
export async function applyStep(fed: Federation, kinds: Kinds, before: Obj[], host: Obj[], members: Record<string, Obj[]> = {}): Promise<void> {
  const key = (o: Obj) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
  const old = new Map(before.map((o) => [key(o), o]));
  // Member edits first: the new generation that follows must find them (as a user's edit before the next apply).
  for (const [cluster, patches] of Object.entries(members)) {
    for (const p of patches) {
      const path = await kinds.objectPath(cluster, p);
      const live = await get(fed, cluster, path);
      if (!live) throw new Error(`${cluster}: ${key(p)} is not there to edit`);
      let r = await fed.request(cluster, 'PUT', path, merged(live, p));
      // KubeFed may write the object meanwhile: read it again and retry.
      for (let i = 0; r.status === 409 && i < 5; i++) r = await fed.request(cluster, 'PUT', path, merged((await get(fed, cluster, path))!, p));
      if (r.status !== 200) throw new Error(`${cluster}: edit ${key(p)}: ${r.status} ${r.body.slice(0, 300)}`);
    }
  }
  for (const o of host) {
    const prev = old.get(key(o));
    if (prev && JSON.stringify(prev) === JSON.stringify(o)) continue;
    if (!prev) {
      await create(fed, kinds, fed.hostCluster, o);
      continue;
    }
    const path = await kinds.objectPath(fed.hostCluster, o);
    const live = await get(fed, fed.hostCluster, path);
    const r = await fed.request(fed.hostCluster, 'PUT', path, { ...o, metadata: { ...live!.metadata, ...o.metadata, resourceVersion: live!.metadata.resourceVersion } });
    if (r.status !== 200) throw new Error(`update ${key(o)}: ${r.status} ${r.body.slice(0, 300)}`);
  }
  const now = new Set(host.map(key));
  for (const o of before) if (!now.has(key(o))) await fed.request(fed.hostCluster, 'DELETE', await kinds.objectPath(fed.hostCluster, o));
}

async function get(fed: Federation, cluster: string, path: string): Promise<Obj | null> {
  const r = await fed.request(cluster, 'GET', path);
  if (r.status === 404) return null;
  if (r.status !== 200) throw new Error(`${cluster} GET ${path}: ${r.status} ${r.body.slice(0, 200)}`);
  return r.json();
}

/** Host federated objects and the member objects they name, as a fingerprint of what KubeFed has done. */
async function snapshot(fed: Federation, kinds: Kinds, c: OracleCase, down: ReadonlySet<string>): Promise<{ settled: boolean; fingerprint: string; host: Obj[] }> {
  const host = await Promise.all(c.host.map(async (o) => get(fed, fed.hostCluster, await kinds.objectPath(fed.hostCluster, o))));
  const federated = host.filter((o): o is Obj => !!o && /^Federated/.test(o.kind));
  const observed = federated.every((o) => o.status?.observedGeneration === o.metadata.generation);
  const parts: string[] = host.map((o) => `${o?.metadata?.resourceVersion}`);
  for (const cl of fed.clusters) {
    if (down.has(cl.name)) continue;
    for (const o of federated) {
      const target = kinds.memberOf(o);
      if (!target) continue;
      const live = await get(fed, cl.name, await kinds.objectPath(cl.name, target));
      parts.push(`${cl.name}:${live?.metadata?.resourceVersion ?? '-'}`);
    }
  }
  return { settled: observed, fingerprint: parts.join(','), host: federated };
}

/** Waits until every federated object's status.observedGeneration equals its generation and nothing changed for `quietMs`. */
export async function waitSettled(
  fed: Federation,
  kinds: Kinds,
  c: OracleCase,
  { timeoutMs = 120_000, quietMs = 4_000, down = new Set<string>() }: { timeoutMs?: number; quietMs?: number; down?: ReadonlySet<string> } = {},
): Promise<Obj[]> {
  const until = Date.now() + timeoutMs;
  let last = '';
  let since = Date.now();
  for (;;) {
    const s = await snapshot(fed, kinds, c, down);
    if (s.fingerprint !== last || !s.settled) {
      last = s.fingerprint;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return s.host;
    if (Date.now() > until) throw new Error(`KubeFed did not settle in ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

/** KubeFed's Propagation condition and status.clusters against the engine's (statusOfPlans). */
function compareStatus(
  key: string,
  mine: { reason: string; clusters: Record<string, string> },
  fedObj: Obj | undefined,
  compared: Verdict['compared'],
  diffs: Difference[],
): void {
  const listed = (fedObj?.status?.clusters as { name: string; status?: string }[] | undefined) ?? [];
  const theirs = Object.fromEntries(listed.map((c) => [c.name, c.status ?? '']));
  for (const cluster of new Set([...Object.keys(mine.clusters), ...Object.keys(theirs)])) {
    const a = mine.clusters[cluster] ?? null;
    const b = theirs[cluster] ?? null;
    if (b !== null) compared.statuses++;
    if (b) compared.failures++;
    if (a !== b) diffs.push({ resource: key, cluster, what: 'status', detail: `engine ${JSON.stringify(a)}, KubeFed ${JSON.stringify(b)}` });
  }
  const cond = (fedObj?.status?.conditions as { type: string; status: string; reason?: string }[] | undefined)?.find((c) => c.type === 'Propagation');
  const want = { status: mine.reason === '' ? 'True' : 'False', reason: mine.reason };
  const got = { status: cond?.status ?? '', reason: cond?.reason ?? '' };
  compared.conditions++;
  if (want.status !== got.status || want.reason !== got.reason) {
    diffs.push({ resource: key, cluster: '-', what: 'status', detail: `Propagation: engine ${JSON.stringify(want)}, KubeFed ${JSON.stringify(got)}` });
  }
}

/** Keys sorted at every level, for comparing JSON as the API server stores it. */
export function sortedJson(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sort) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Obj)[k])])) : x;
  return JSON.stringify(sort(v));
}

/**
 * The RSP's outcome: the placement and overrides KubeFed's scheduler wrote into the federated
 * object in the host, against the engine's (the federated object as its RSP rewrites it).
 */
function compareRsp(key: string, mine: Obj, theirs: Obj, compared: Verdict['compared'], diffs: Difference[]): void {
  compared.rsps++;
  for (const field of ['placement', 'overrides'] as const) {
    const a = sortedJson(mine.spec?.[field] ?? null);
    const b = sortedJson(theirs.spec?.[field] ?? null);
    if (a !== b) {
      diffs.push({ resource: key, cluster: '-', what: 'rsp', detail: `spec.${field}: engine ${a}, KubeFed ${b}`, values: { engine: mine.spec?.[field] ?? null, kubefed: theirs.spec?.[field] ?? null } });
    }
  }
}

/** The engine's object for the live one, stored as a full update would store it (dry run). */
/**
 * What the server generated for a Job on create (its selector and the pod template's labels, from
 * its uid), given to the engine's object too: a full update cannot leave them out (the template is
 * immutable), and the create path the engine plans for a new Job would get them the same way.
 */
function withServerGeneratedJobFields(desired: Obj, live: Obj): Obj {
  if (live.kind !== 'Job' || desired.spec?.selector || live.spec?.manualSelector) return desired;
  const out = structuredClone(desired);
  out.spec = { ...out.spec, selector: live.spec?.selector };
  const generated = Object.fromEntries(Object.entries(live.spec?.template?.metadata?.labels ?? {}).filter(([k]) => /(^|\/)(controller-uid|job-name)$/.test(k)));
  out.spec.template = { ...out.spec.template, metadata: { ...out.spec.template?.metadata, labels: { ...out.spec.template?.metadata?.labels, ...generated } } };
  return out;
}

async function normalisedDesired(fed: Federation, kinds: Kinds, cluster: string, desired: Obj, live: Obj): Promise<Obj | string> {
  desired = withServerGeneratedJobFields(desired, live);
  const body = { ...desired, metadata: { ...desired.metadata, resourceVersion: live.metadata.resourceVersion } };
  const r = await fed.request(cluster, 'PUT', `${await kinds.objectPath(cluster, live)}?dryRun=All`, body);
  if (r.status !== 200) return `dry-run update refused: ${r.status} ${r.body.slice(0, 300)}`;
  return normalised(r.json());
}

export interface Verdict {
  differences: Difference[];
  /** How much was compared: member objects, per-cluster statuses (of them, statuses other than OK). */
  compared: { objects: number; statuses: number; failures: number; conditions: number; rsps: number };
}

/** A host object as an input of the engine: what a user writes (no status, no server-owned metadata). */
function asInput(o: Obj): Obj {
  const md = o.metadata ?? {};
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: md.name, namespace: md.namespace, ...(md.labels ? { labels: md.labels } : {}), ...(md.annotations ? { annotations: md.annotations } : {}) },
    spec: o.spec,
  };
}

/**
 * `fromHost`: keys (`Kind/namespace/name`) of inputs the engine reads from `before` (the host
 * objects as KubeFed left them before this step) instead of the case.
 */
export async function judge(
  fed: Federation,
  kinds: Kinds,
  c: OracleCase,
  hostObjects: Obj[],
  fromHost: readonly string[] = [],
  before: Obj[] = [],
): Promise<Verdict> {
  const compared = { objects: 0, statuses: 0, failures: 0, conditions: 0, rsps: 0 };
  const ws = new Workspace();
  const liveByKey = new Map(before.map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
  const inputs = c.host.map((o) => {
    const k = `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    return fromHost.includes(k) && liveByKey.has(k) ? asInput(liveByKey.get(k)!) : o;
  });
  for (const [uri, text] of Object.entries(caseFiles({ ...c, host: inputs }))) ws.setFile(uri, text);
  const run = await openRunClusters(ws, { kubeconfig: { path: fed.kubeconfigPath }, hostContext: fed.hostCluster });
  const diffs: Difference[] = [];
  try {
    const byKey = new Map(hostObjects.map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
    // Adoption as the host's KubeFedConfig says (KubeFed's defaults filled in), not assumed.
    const config = await fed.request(fed.hostCluster, 'GET', `/apis/core.kubefed.io/v1beta1/namespaces/${fed.kubefedNamespace}/kubefedconfigs/kubefed`);
    if (config.status !== 200) throw new Error(`the host's KubeFedConfig: HTTP ${config.status}`);
    const sync = kubeFedConfigDefaults(config.json()).spec as Obj;
    const policy = { adopt: sync.syncController?.adoptResources !== 'Disabled', hostCluster: run.hostCluster ?? fed.hostCluster };
    const sessions = new Map(ws.clusters().map((cl) => [cl.name, new ClusterSession(cl.name, run.connections, ws, policy)]));
    for (const res of ws.resources().filter(isPropagated)) {
      const key = `${res.kind}/${res.namespace}/${res.name}`;
      const fedObj = byKey.get(`${res.kind}/${res.namespace}/${res.name}`);
      if (!fedObj) diffs.push({ resource: key, cluster: '-', what: 'host', detail: 'not found in the host' });
      else if (res.rsp) compareRsp(key, federatedObjectOf(res) as Obj, fedObj, compared, diffs);
      const plans: ClusterPlan[] = [];
      for (const [cluster, s] of sessions) {
        const { plan, live } = await s.observe(res);
        plans.push(plan);
        if (plan.operation === 'create' || plan.operation === 'delete' || plan.operation === 'removeManagedLabel') {
          diffs.push({ resource: key, cluster, what: 'operation', detail: `the engine would still ${plan.operation} ${plan.target.kind} ${plan.target.name}` });
        } else if (plan.operation === 'update' && plan.desired?.object && live) {
          compared.objects++;
          const mine = await normalisedDesired(fed, kinds, cluster, plan.desired.object as Obj, live);
          const theirsObj = normalised(live);
          const a = JSON.stringify(mine);
          const b = JSON.stringify(theirsObj);
          if (a !== b) diffs.push({ resource: key, cluster, what: 'object', detail: `engine ${a}\n      KubeFed ${b}` });
        }
      }
      compareStatus(key, statusOfPlans(plans), fedObj, compared, diffs);
    }
  } finally {
    run.connections.close();
  }
  return { differences: diffs, compared };
}
