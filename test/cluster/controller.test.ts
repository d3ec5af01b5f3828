/**
 * `kfed controller` against real API servers, without KubeFed's controller: run as a child
 * process, it propagates a FederatedNamespace and a FederatedConfigMap (with an override) to the
 * Ready members, writes KubeFed's status on the host, follows a placement change and a deletion,
 * and stops on SIGTERM releasing its Lease. Next to a fresh KubeFed lock it refuses to start.
 *
 *   node --test --import tsx test/cluster/controller.test.ts
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { uniqueName, useFederation } from '../clusters/fixtures.ts';
import type { Federation } from '../clusters/launcher.ts';
import { fedConfigMap, fedNamespace, paths, read, yamlDocs, type Obj } from './helpers.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { run } from '../../server/cli/run.ts';
import { startController, stopChild, until, type Child } from './controllerChild.ts';
import { pauseCluster, resumeCluster } from '../clusters/chaos.ts';
import { overrideVersion, templateVersion } from '../../server/engine/versions.ts';
import { objectVersion } from '../../server/engine/sync.ts';

const fx = useFederation();
const KFNS = 'kube-federation-system';
const FCM = (ns: string, name: string) => `/apis/types.kubefed.io/v1beta1/namespaces/${ns}/federatedconfigmaps/${name}`;
const LEASE = `/apis/coordination.k8s.io/v1/namespaces/${KFNS}/leases/kubefed-tools-controller`;

async function send(fed: Federation, method: string, path: string, body?: unknown): Promise<Obj> {
  const r = await fed.request(fed.hostCluster, method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status}: ${r.body}`);
  return r.json();
}

/** KubeFed's cluster health controller does not run here: write each KubeFedCluster's Ready condition as it would. */
async function markClustersReady(fed: Federation, ready = true, clusters = fed.clusters.map((c) => c.name)): Promise<void> {
  for (const name of clusters) {
    const path = `/apis/core.kubefed.io/v1beta1/namespaces/${KFNS}/kubefedclusters/${name}`;
    const obj = await send(fed, 'GET', path);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const condition = ready
      ? { type: 'Ready', status: 'True', reason: 'ClusterReady', message: '/healthz responded with ok' }
      : { type: 'Ready', status: 'False', reason: 'ClusterNotReady', message: '/healthz responded without ok' };
    obj.status = { conditions: [{ ...condition, lastProbeTime: now, lastTransitionTime: now }] };
    await send(fed, 'PUT', `${path}/status`, obj);
  }
}

test('refuses to start while KubeFed\'s own controller-manager holds a fresh ConfigMap lock', { timeout: 60_000 }, async () => {
  const fed = fx.fed;
  const record = { holderIdentity: 'kubefed-controller-manager-0_abc', leaseDurationSeconds: 15, acquireTime: new Date().toISOString(), renewTime: new Date().toISOString(), leaderTransitions: 0 };
  const cmPath = `/api/v1/namespaces/${KFNS}/configmaps`;
  await send(fed, 'POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubefed-controller-manager', annotations: { 'control-plane.alpha.kubernetes.io/leader': JSON.stringify(record) } } });
  try {
    const c = startController(fed);
    const code = await Promise.race([c.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000))]);
    if (code === 'hung') c.proc.kill('SIGKILL');
    assert.equal(code, 2, c.log());
    assert.match(c.log(), /KubeFed's controller-manager runs on cluster1 .*kubefed-controller-manager-0_abc/);
    assert.equal((await fed.request(fed.hostCluster, 'GET', LEASE)).status, 404, 'no Lease was taken');
  } finally {
    await send(fed, 'DELETE', `${cmPath}/kubefed-controller-manager`);
  }
});

// long: one lifecycle, step after step, each bounded
test('propagates, writes status, follows placement and deletion, stops on SIGTERM', { timeout: 240_000 }, async () => {
  const fed = fx.fed;
  await markClustersReady(fed);
  const ns = uniqueName('ctrl');
  await send(fed, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const c = startController(fed, ['--healthz-addr', '127.0.0.1:0', '--leader-elect-retry-period', '1s']);
  try {
    const addr = await until('the health server', async () => /serving \/healthz and \/readyz on (\S+)/.exec(c.log())?.[1], 30_000, c);
    await until('leadership', async () => (c.log().includes('leading: reconciling') ? true : undefined), 30_000, c);
    const lease = await send(fed, 'GET', LEASE);
    assert.match(lease.spec.holderIdentity, /_[0-9a-f-]{36}$/);
    assert.match(lease.spec.renewTime, /\.\d{6}Z$/, 'MicroTime');

    await send(fed, 'POST', `/apis/types.kubefed.io/v1beta1/namespaces/${ns}/federatednamespaces`, fedNamespace(ns));
    const fcm = fedConfigMap(ns, 'web', { color: 'blue' }, ['cluster1', 'cluster2', 'cluster3']);
    fcm.spec.overrides = [{ clusterName: 'cluster2', clusterOverrides: [{ path: '/data/color', value: 'green' }] }];
    await send(fed, 'POST', `/apis/types.kubefed.io/v1beta1/namespaces/${ns}/federatedconfigmaps`, fcm);

    for (const [cluster, color] of [['cluster1', 'blue'], ['cluster2', 'green'], ['cluster3', 'blue']] as const) {
      const cm = await until(`the ConfigMap in ${cluster}`, () => read(fed, cluster, paths.configMap(ns, 'web')).then((o) => o ?? undefined), 30_000, c);
      assert.equal(cm.data.color, color, `${cluster}: the override applies to cluster2 only`);
      assert.equal(cm.metadata.labels['kubefed.io/managed'], 'true');
      // the host's own namespace is adopted, the others created
      await until(`the managed namespace in ${cluster}`, async () => ((await read(fed, cluster, paths.namespace(ns)))?.metadata.labels?.['kubefed.io/managed'] === 'true' ? true : undefined), 30_000, c);
    }
    const propagated = (o: Obj | null, clusters: string[]) =>
      o && o.status?.observedGeneration === o.metadata.generation && o.status?.conditions?.[0]?.type === 'Propagation' && o.status.conditions[0].status === 'True' && JSON.stringify(o.status.clusters) === JSON.stringify(clusters.map((name) => ({ name }))) ? o : undefined;
    const host = await until('the host status', async () => propagated(await read(fed, 'cluster1', FCM(ns, 'web')), ['cluster1', 'cluster2', 'cluster3']), 30_000, c);
    assert.deepEqual(host.metadata.finalizers, ['kubefed.io/sync-controller']);
    assert.equal(host.status.conditions.length, 1);
    // KubeFed's PropagatedVersion: the template and override hashes, the version written in each cluster.
    const pv = await until('the PropagatedVersion', async () => {
      const o = await read(fed, 'cluster1', `/apis/core.kubefed.io/v1alpha1/namespaces/${ns}/propagatedversions/configmap-web`);
      return o?.status?.clusterVersions?.length === 3 ? o : undefined;
    }, 30_000, c);
    assert.deepEqual([pv.status.templateVersion, pv.status.overridesVersion], [templateVersion(host), overrideVersion(host)]);
    assert.deepEqual(pv.metadata.ownerReferences, [{ apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedConfigMap', name: 'web', uid: host.metadata.uid }]);
    for (const [i, cluster] of ['cluster1', 'cluster2', 'cluster3'].entries()) {
      assert.deepEqual(pv.status.clusterVersions[i], { clusterName: cluster, version: objectVersion(await read(fed, cluster, paths.configMap(ns, 'web'))) });
    }
    const fns = await until('the FederatedNamespace status', async () => propagated(await read(fed, 'cluster1', `/apis/types.kubefed.io/v1beta1/namespaces/${ns}/federatednamespaces/${ns}`), ['cluster1', 'cluster2', 'cluster3']), 30_000, c);
    assert.ok(fns.metadata.finalizers.includes('kubefed.io/sync-controller'));
    assert.equal((await fetch(`http://${addr}/healthz`)).status, 200);
    assert.equal((await fetch(`http://${addr}/readyz`)).status, 200);
    // kfed treats this controller like KubeFed's: a direct propagate would fight it, status names it
    const dir = mkdtempSync(join(tmpdir(), 'kfed-ctrl-'));
    try {
      const file = join(dir, 'web.yaml');
      writeFileSync(file, yamlDocs(fedNamespace(ns), fcm));
      const refused = await run(['propagate', file, '--kubeconfig', fed.kubeconfigPath, '--host-context', 'cluster1']);
      assert.equal(refused.exit, 1, refused.stdout);
      assert.match(refused.stderr, /a KubeFed controller runs on cluster1/);
      const st = await run(['status', file, '--kubeconfig', fed.kubeconfigPath, '--host-context', 'cluster1']);
      assert.match(st.stdout, /KubeFed controller: running \(leader /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Status is written only when it changes: a reconcile of an unchanged object leaves it alone.
    const rv = host.metadata.resourceVersion;
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal((await read(fed, 'cluster1', FCM(ns, 'web')))!.metadata.resourceVersion, rv, 'nothing rewritten while nothing changed');

    // Placement drops cluster3: its copy is deleted, the others stay.
    host.spec.placement = { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] };
    await send(fed, 'PUT', FCM(ns, 'web'), host);
    await until('the copy in cluster3 deleted', async () => ((await read(fed, 'cluster3', paths.configMap(ns, 'web'))) === null ? true : undefined), 30_000, c);
    assert.equal((await read(fed, 'cluster2', paths.configMap(ns, 'web')))?.data.color, 'green');
    // Events with KubeFed's reasons on the federated object.
    const events = await until('the events of the placement change', async () => {
      const list = (await send(fed, 'GET', `/api/v1/namespaces/${ns}/events`)).items.filter((e: Obj) => e.involvedObject.kind === 'FederatedConfigMap' && e.involvedObject.name === 'web');
      return list.some((e: Obj) => e.reason === 'DeleteInCluster') ? list : undefined;
    }, 30_000, c);
    const messages = events.map((e: Obj) => `${e.type} ${e.reason} ${e.message}`);
    assert.ok(messages.includes(`Normal CreateInCluster Creating ConfigMap "${ns}/web" in cluster "cluster2"`), messages.join('\n'));
    assert.ok(messages.includes(`Normal DeleteInCluster Deleting ConfigMap "${ns}/web" in cluster "cluster3"`), messages.join('\n'));
    assert.equal(events[0].source.component, 'federatedconfigmap-controller');
    await until('the status after the placement change', async () => propagated(await read(fed, 'cluster1', FCM(ns, 'web')), ['cluster1', 'cluster2']), 40_000, c);

    // Deletion: the member copies go, then the finalizer, then the federated object.
    await send(fed, 'DELETE', FCM(ns, 'web'));
    await until('the federated object gone', async () => ((await read(fed, 'cluster1', FCM(ns, 'web'))) === null ? true : undefined), 40_000, c);
    for (const cluster of ['cluster1', 'cluster2', 'cluster3']) assert.equal(await read(fed, cluster, paths.configMap(ns, 'web')), null, `${cluster}: copy deleted`);
    const deletions = (await send(fed, 'GET', `/api/v1/namespaces/${ns}/events`)).items.filter((e: Obj) => e.involvedObject.name === 'web' && e.reason === 'DeleteInCluster').map((e: Obj) => e.message);
    assert.ok(deletions.includes(`Deleting ConfigMap "${ns}/web" in cluster "cluster1"`), deletions.join('\n'));
  } finally {
    const code = await stopChild(c);
    assert.equal(code, 0, c.log());
  }
  if (process.env.KFED_CONTROLLER_LOG) console.error(c.log());
  assert.match(c.log(), /SIGTERM: stopping/);
  const released = await send(fed, 'GET', LEASE);
  assert.equal(released.spec.holderIdentity ?? '', '', 'the Lease is released on SIGTERM');
});

test('two instances: one leads, the other takes over when it stops; a leader that loses its Lease stops all work', { timeout: 120_000 }, async () => {
  const fed = fx.fed;
  const flags = ['--leader-elect-retry-period', '1s', '--lease-name', 'kubefed-tools-failover'];
  const leasePath = `/apis/coordination.k8s.io/v1/namespaces/${KFNS}/leases/kubefed-tools-failover`;
  const a = startController(fed, flags);
  let b: Child | undefined;
  try {
    await until('a leading', async () => (a.log().includes('leading: reconciling') ? true : undefined), 30_000, a);
    b = startController(fed, flags);
    const holder = (await send(fed, 'GET', leasePath)).spec.holderIdentity;
    await until('b waiting for the lease', async () => (b!.log().includes(`is held by ${holder}; waiting`) ? true : undefined), 30_000, b);
    assert.ok(!b.log().includes('leading'), 'b does not lead while a renews');
    const transitions = (await send(fed, 'GET', leasePath)).spec.leaseTransitions ?? 0;
    const stopped = Date.now();
    assert.equal(await stopChild(a), 0, a.log());
    await until('b leading after a released the lease', async () => (b!.log().includes('leading: reconciling') ? true : undefined), 10_000, b);
    assert.ok(Date.now() - stopped < 10_000, 'taken over without waiting for the 15 s lease');
    const lease = await send(fed, 'GET', leasePath);
    assert.notEqual(lease.spec.holderIdentity, holder);
    assert.equal(lease.spec.leaseTransitions, transitions + 1);
    // Someone else writes the Lease (as if b had been partitioned and another instance took over): b stops.
    lease.spec = { ...lease.spec, holderIdentity: 'intruder', renewTime: new Date().toISOString().replace(/Z$/, '000Z') };
    await send(fed, 'PUT', leasePath, lease);
    const code = await Promise.race([b.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
    assert.equal(code, 1, b.log());
    assert.match(b.log(), /lost the lease: stopped all work/);
  } finally {
    if (a.proc.exitCode === null) await stopChild(a);
    if (b && b.proc.exitCode === null) await stopChild(b);
  }
});

// long: one outage and recovery, step after step, each bounded
test('cluster health: a paused member goes Offline, is reported ClusterNotReady and left alone; back, it is Ready and converges', { timeout: 180_000 }, async () => {
  const fed = fx.fed;
  await markClustersReady(fed);
  const cfgPath = `/apis/core.kubefed.io/v1beta1/namespaces/${KFNS}/kubefedconfigs/kubefed`;
  const cfg = await send(fed, 'GET', cfgPath);
  const original = cfg.spec.clusterHealthCheck;
  await send(fed, 'PATCH', cfgPath, { spec: { clusterHealthCheck: { period: '1s', timeout: '1s', failureThreshold: 2, successThreshold: 1 } } }).catch(async () => {
    cfg.spec.clusterHealthCheck = { period: '1s', timeout: '1s', failureThreshold: 2, successThreshold: 1 };
    await send(fed, 'PUT', cfgPath, cfg);
  });
  const ns = uniqueName('health');
  await send(fed, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const c = startController(fed, ['--leader-elect-retry-period', '1s']);
  const kfc = (name: string) => read(fed, fed.hostCluster, `/apis/core.kubefed.io/v1beta1/namespaces/${KFNS}/kubefedclusters/${name}`);
  const cond = (o: Obj | null, type: string) => (o?.status?.conditions ?? []).find((x: Obj) => x.type === type);
  let paused: number | undefined;
  try {
    await until('the health controller with the KubeFedConfig\'s settings', async () => (/probing the member clusters every 1 s \(timeout 1 s, failure threshold 2, success threshold 1\)/.test(c.log()) ? true : undefined), 30_000, c);
    // Every member is probed and Ready, the probe time moves on.
    const first = await until('cluster3 probed', async () => {
      const o = await kfc('cluster3');
      const r = cond(o, 'Ready');
      return r?.status === 'True' && r.reason === 'ClusterReady' && r.message === '/healthz responded with ok' ? r.lastProbeTime : undefined;
    }, 30_000, c);
    await until('a later probe', async () => (cond(await kfc('cluster3'), 'Ready')?.lastProbeTime !== first ? true : undefined), 10_000, c);

    paused = pauseCluster(fed, 'cluster3');
    const offline = await until('cluster3 Offline', async () => {
      const o = await kfc('cluster3');
      const off = cond(o, 'Offline');
      return off?.status === 'True' && !cond(o, 'Ready') ? off : undefined;
    }, 30_000, c);
    assert.equal(offline.reason, 'ClusterNotReachable');
    assert.match(offline.message, /^cluster is not reachable: /);
    for (const other of ['cluster1', 'cluster2']) assert.equal(cond(await kfc(other), 'Ready')?.status, 'True', `${other} stays Ready`);

    await send(fed, 'POST', `/apis/types.kubefed.io/v1beta1/namespaces/${ns}/federatednamespaces`, fedNamespace(ns));
    await send(fed, 'POST', `/apis/types.kubefed.io/v1beta1/namespaces/${ns}/federatedconfigmaps`, fedConfigMap(ns, 'app', { k: 'v' }));
    // (a first pass may report CreationFailed in cluster2 while its namespace is being created; it is retried)
    const expected = [{ name: 'cluster1' }, { name: 'cluster2' }, { name: 'cluster3', status: 'ClusterNotReady' }];
    const st = await until('the status with cluster3 not ready', async () => {
      const o = await read(fed, 'cluster1', FCM(ns, 'app'));
      return JSON.stringify(o?.status?.clusters) === JSON.stringify(expected) ? o!.status : undefined;
    }, 30_000, c);
    assert.deepEqual([st.conditions[0].status, st.conditions[0].reason], ['False', 'CheckClusters']);
    for (const cluster of ['cluster1', 'cluster2']) await until(`the copy in ${cluster}`, () => read(fed, cluster, paths.configMap(ns, 'app')).then((o) => o ?? undefined), 30_000, c);

    resumeCluster(paused);
    paused = undefined;
    assert.equal(await read(fed, 'cluster3', paths.namespace(ns)), null, 'nothing was written to cluster3 while it was not Ready');
    await until('cluster3 Ready again', async () => (cond(await kfc('cluster3'), 'Ready')?.status === 'True' ? true : undefined), 30_000, c);
    // KubeFed's cluster-available delay (20 s), then every object again.
    await until('the copy in cluster3', () => read(fed, 'cluster3', paths.configMap(ns, 'app')).then((o) => o ?? undefined), 60_000, c);
    await until('the status with every cluster OK', async () => {
      const o = await read(fed, 'cluster1', FCM(ns, 'app'));
      return JSON.stringify(o?.status?.clusters) === JSON.stringify([{ name: 'cluster1' }, { name: 'cluster2' }, { name: 'cluster3' }]) ? true : undefined;
    }, 30_000, c);
  } finally {
    if (paused !== undefined) resumeCluster(paused);
    assert.equal(await stopChild(c), 0, c.log());
    const now = await send(fed, 'GET', cfgPath);
    now.spec.clusterHealthCheck = original;
    await send(fed, 'PUT', cfgPath, now);
  }
});

test('member watches: an edit or a deletion in a member is reverted without waiting for a resync', { timeout: 120_000 }, async () => {
  const fed = fx.fed;
  await markClustersReady(fed);
  const ns = uniqueName('drift');
  await send(fed, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const c = startController(fed, ['--leader-elect-retry-period', '1s', '--resync-period', '10m']);
  try {
    await until('leadership', async () => (c.log().includes('leading: reconciling') ? true : undefined), 30_000, c);
    await send(fed, 'POST', `/apis/types.kubefed.io/v1beta1/namespaces/${ns}/federatednamespaces`, fedNamespace(ns));
    await send(fed, 'POST', `/apis/types.kubefed.io/v1beta1/namespaces/${ns}/federatedconfigmaps`, fedConfigMap(ns, 'app', { k: 'v' }));
    for (const cluster of ['cluster2', 'cluster3']) await until(`the copy in ${cluster}`, () => read(fed, cluster, paths.configMap(ns, 'app')).then((o) => o ?? undefined), 30_000, c);
    await new Promise((r) => setTimeout(r, 12_000)); // the watch events of its own writes have been handled

    const cm = (await read(fed, 'cluster2', paths.configMap(ns, 'app')))!;
    const r = await fed.request('cluster2', 'PUT', paths.configMap(ns, 'app'), { ...cm, data: { k: 'tampered' } });
    assert.equal(r.status, 200, r.body);
    const del = await fed.request('cluster3', 'DELETE', paths.configMap(ns, 'app'));
    assert.equal(del.status, 200, del.body);
    const edited = Date.now();
    await until('the edit in cluster2 reverted', async () => ((await read(fed, 'cluster2', paths.configMap(ns, 'app')))?.data?.k === 'v' ? true : undefined), 30_000, c);
    await until('the copy in cluster3 recreated', () => read(fed, 'cluster3', paths.configMap(ns, 'app')).then((o) => o ?? undefined), 30_000, c);
    // KubeFed's retry delay (10 s) after the member's event, far from the 10 min resync.
    assert.ok(Date.now() - edited < 25_000, `reverted after ${Date.now() - edited} ms`);
  } finally {
    assert.equal(await stopChild(c), 0, c.log());
  }
});
