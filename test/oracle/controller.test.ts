/**
 * `kfed controller` against KubeFed v0.10.0's own controller-manager, on three real API servers:
 * their PropagatedVersions agree (the engine's template / override hashes are KubeFed's, the
 * cluster versions those of the member objects), and switching from one controller to the other
 * — KubeFed's stopped, ours started, then back — updates no member object.
 *
 *   node --import tsx --test test/oracle/controller.test.ts
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFederation, type Federation } from '../clusters/launcher.ts';
import { uniqueName } from '../clusters/fixtures.ts';
import { fedConfigMap, fedDeployment, fedNamespace, paths, read, type Obj } from '../cluster/helpers.ts';
import { startController, stopChild, until, type Child } from '../cluster/controllerChild.ts';
import { overrideVersion, propagatedVersionName, templateVersion } from '../../server/engine/versions.ts';
import { objectVersion } from '../../server/engine/sync.ts';

const KFNS = 'kube-federation-system';
const ALL = ['cluster1', 'cluster2', 'cluster3'];

let fed: Federation;

before(async () => {
  fed = await startFederation({ kubefedController: true, readyTimeoutMs: 180_000 });
}, { timeout: 300_000 });

after(async () => {
  await fed?.stop();
});

/** A federated object of the case and where its target lives. */
interface Item {
  fedPath: string;
  targetKind: string;
  clusters: string[];
  memberPath: string;
  body: Obj;
}

const plural: Record<string, string> = { FederatedNamespace: 'federatednamespaces', FederatedConfigMap: 'federatedconfigmaps', FederatedDeployment: 'federateddeployments', FederatedSecret: 'federatedsecrets' };

function item(body: Obj, targetKind: string, clusters: string[], memberPath: string): Item {
  return { fedPath: `/apis/types.kubefed.io/v1beta1/namespaces/${body.metadata.namespace}/${plural[body.kind]}/${body.metadata.name}`, targetKind, clusters, memberPath, body };
}

function caseItems(ns: string): Item[] {
  const cm = fedConfigMap(ns, 'web', { color: 'blue', html: '<b>a & b</b>' });
  cm.spec.overrides = [{ clusterName: 'cluster2', clusterOverrides: [{ path: '/data/color', value: 'green' }] }];
  const dep = fedDeployment(ns, 'api', { overrides: [{ clusterName: 'cluster3', clusterOverrides: [{ path: '/spec/replicas', value: 5 }, { path: '/metadata/labels', value: { tier: 'edge' } }] }] });
  const secret = {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedSecret',
    metadata: { name: 'creds', namespace: ns },
    spec: { template: { type: 'Opaque', stringData: { user: 'admin' } }, placement: { clusters: [{ name: 'cluster1' }, { name: 'cluster3' }] } },
  };
  return [
    item(fedNamespace(ns), 'Namespace', ALL, paths.namespace(ns)),
    item(cm, 'ConfigMap', ALL, paths.configMap(ns, 'web')),
    item(dep, 'Deployment', ALL, paths.deployment(ns, 'api')),
    item(secret, 'Secret', ['cluster1', 'cluster3'], paths.secret(ns, 'creds')),
  ];
}

async function send(method: string, path: string, body?: unknown): Promise<Obj> {
  const r = await fed.request(fed.hostCluster, method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status}: ${r.body}`);
  return r.json();
}

const pvPath = (it: Item) => `/apis/core.kubefed.io/v1alpha1/namespaces/${it.body.metadata.namespace}/propagatedversions/${propagatedVersionName(it.targetKind, it.body.metadata.name)}`;

/**
 * The item is settled: its status is of its generation with Propagation True, its
 * PropagatedVersion carries the engine's hashes of the object as it is now and, for each selected
 * cluster, the version of the member object there. Returns the PropagatedVersion.
 */
async function settled(it: Item): Promise<Obj | undefined> {
  // (each unmet condition throws: until() reports the last one when it times out)
  const obj = await read(fed, fed.hostCluster, it.fedPath);
  if (!obj || obj.status?.observedGeneration !== obj.metadata.generation) throw new Error(`status of generation ${obj?.status?.observedGeneration}, not ${obj?.metadata.generation}`);
  if (obj.status?.conditions?.find((c: Obj) => c.type === 'Propagation')?.status !== 'True') throw new Error(`status ${JSON.stringify(obj.status)}`);
  const pv = await read(fed, fed.hostCluster, pvPath(it));
  if (!pv) throw new Error('no PropagatedVersion');
  if (pv.status?.templateVersion !== templateVersion(obj) || pv.status?.overridesVersion !== overrideVersion(obj)) {
    throw new Error(`PropagatedVersion hashes ${pv.status?.templateVersion}/${pv.status?.overridesVersion}, the engine's ${templateVersion(obj)}/${overrideVersion(obj)}`);
  }
  const members = await Promise.all(it.clusters.map((c) => read(fed, c, it.memberPath)));
  if (members.some((m) => !m)) throw new Error('a member object is missing');
  const expected = it.clusters.map((clusterName, i) => ({ clusterName, version: objectVersion(members[i]) }));
  if (JSON.stringify(pv.status.clusterVersions) !== JSON.stringify(expected)) throw new Error(`clusterVersions ${JSON.stringify(pv.status.clusterVersions)}, the members' ${JSON.stringify(expected)}`);
  return pv;
}

async function waitSettled(items: Item[], who: string, child?: Child): Promise<Obj[]> {
  return Promise.all(items.map((it) => until(`${who}: ${it.body.kind} ${it.body.metadata.name} settled with the engine's versions`, () => settled(it), 90_000, child)));
}

/** resourceVersion of every member object of the items, by `cluster path`. */
async function memberVersions(items: Item[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const it of items) for (const c of it.clusters) out[`${c} ${it.memberPath}`] = (await read(fed, c, it.memberPath))!.metadata.resourceVersion;
  return out;
}

/** Until KubeFed's ConfigMap lock is stale (kfed controller refuses to start next to a fresh one). */
async function lockStale(): Promise<void> {
  await until('KubeFed\'s lock to go stale', async () => {
    const cm = await read(fed, fed.hostCluster, `/api/v1/namespaces/${KFNS}/configmaps/kubefed-controller-manager`);
    const rec = cm?.metadata.annotations?.['control-plane.alpha.kubernetes.io/leader'];
    if (!rec) return true;
    const r = JSON.parse(rec);
    return Date.now() - Date.parse(r.renewTime) > (r.leaseDurationSeconds + 6) * 1000 ? true : undefined;
  }, 60_000);
}

/** A sentinel per federated type, created after everything else: once each is propagated, every older key of its queue was reconciled. */
async function sentinels(ns: string, tag: string, child?: Child): Promise<Item[]> {
  const sns = `${ns}-${tag}`;
  await send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: sns } });
  const items = [
    item(fedNamespace(sns), 'Namespace', ALL, paths.namespace(sns)),
    item(fedConfigMap(ns, `sentinel-${tag}`, { k: 'v' }), 'ConfigMap', ALL, paths.configMap(ns, `sentinel-${tag}`)),
    item(fedDeployment(ns, `sentinel-${tag}`), 'Deployment', ALL, paths.deployment(ns, `sentinel-${tag}`)),
    item({ apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedSecret', metadata: { name: `sentinel-${tag}`, namespace: ns }, spec: { template: { stringData: { a: 'b' } }, placement: { clusterSelector: {} } } }, 'Secret', ALL, paths.secret(ns, `sentinel-${tag}`)),
  ];
  for (const it of items) await send('POST', it.fedPath.replace(/\/[^/]+$/, ''), it.body);
  await Promise.all(items.map((it) => until(`sentinel ${it.body.kind} ${tag} propagated`, async () => {
    const o = await read(fed, fed.hostCluster, it.fedPath);
    const ok = o?.status?.observedGeneration === o?.metadata.generation && o?.status?.conditions?.[0]?.status === 'True' && (o?.status?.clusters ?? []).length === 3;
    return ok ? true : undefined;
  }, 90_000, child)));
  await new Promise((r) => setTimeout(r, 3_000)); // a reconcile in flight finishes
  return items;
}

function changed(before: Record<string, string>, now: Record<string, string>): string[] {
  return Object.keys(before).filter((k) => before[k] !== now[k]).map((k) => `${k}: ${before[k]} -> ${now[k]}`);
}

// long: one switch-over scenario, step after step, each bounded
test('PropagatedVersions agree with KubeFed\'s; switching controllers both ways updates no member object', { timeout: 600_000 }, async () => {
  const ns = uniqueName('pvswitch');
  const items = caseItems(ns);
  await send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const it of items) await send('POST', it.fedPath.replace(/\/[^/]+$/, ''), it.body);

  // 1. KubeFed propagates; its PropagatedVersions are what the engine computes.
  const pvs = await waitSettled(items, 'KubeFed');
  for (const [i, pv] of pvs.entries()) {
    const obj = (await read(fed, fed.hostCluster, items[i]!.fedPath))!;
    assert.deepEqual(pv.metadata.ownerReferences, [{ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, uid: obj.metadata.uid }]);
  }
  const deployment = pvs[2]!.status.clusterVersions;
  assert.ok(deployment.every((v: Obj) => v.version.startsWith('gen:')), 'a Deployment is recorded by generation');
  assert.ok(pvs[1]!.status.clusterVersions.every((v: Obj) => v.version.startsWith('rv:')), 'a ConfigMap by resourceVersion');

  // 2. KubeFed stops; kfed controller takes over and updates nothing.
  const beforeOurs = await memberVersions(items);
  const pvVersions = pvs.map((p) => p.metadata.resourceVersion);
  await fed.stopKubefedController();
  await lockStale();
  const ours = startController(fed, ['--leader-elect-retry-period', '1s']);
  let code: number | null;
  try {
    await until('kfed controller leading', async () => (ours.log().includes('leading: reconciling') ? true : undefined), 30_000, ours);
    await until('the propagated versions read', async () => (/read \d+ propagated versions/.test(ours.log()) ? true : undefined), 30_000, ours);
    const mine = await sentinels(ns, 'a', ours);
    assert.deepEqual(changed(beforeOurs, await memberVersions(items)), [], `kfed controller updated member objects KubeFed had written\n${ours.log()}`);
    for (const [i, it] of items.entries()) assert.equal((await read(fed, fed.hostCluster, pvPath(it)))!.metadata.resourceVersion, pvVersions[i], `${it.body.kind}: its PropagatedVersion is left as KubeFed wrote it`);

    // 3. kfed controller changes objects and records their versions as KubeFed would.
    const edit = async (i: number, change: (o: Obj) => void) => {
      const o = (await read(fed, fed.hostCluster, items[i]!.fedPath))!;
      change(o);
      await send('PUT', items[i]!.fedPath, o);
    };
    await edit(1, (o) => (o.spec.template.data = { color: 'red', html: '<i>&</i>' }));
    await edit(2, (o) => (o.spec.template.spec.template.spec.containers[0].image = 'nginx:1.28'));
    await waitSettled(items, 'kfed controller', ours);
    assert.equal((await read(fed, 'cluster1', paths.configMap(ns, 'web')))!.data.color, 'red');
    assert.equal((await read(fed, 'cluster2', paths.configMap(ns, 'web')))!.data.color, 'green', 'the override still applies');
    items.push(...mine);
  } finally {
    code = await stopChild(ours); // (asserted below, so that an earlier failure is the one reported)
  }
  assert.equal(code, 0, `kfed controller exited with ${code}\n${ours.log()}`);

  // 4. Back to KubeFed: it takes kfed controller's versions and updates nothing.
  await waitSettled(items, 'kfed controller (before switching back)');
  const beforeKubefed = await memberVersions(items);
  await fed.startKubefedController();
  await sentinels(ns, 'b');
  assert.deepEqual(changed(beforeKubefed, await memberVersions(items)), [], 'KubeFed updated member objects kfed controller had written');
});
