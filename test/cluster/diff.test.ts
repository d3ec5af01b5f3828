/**
 * kfed diff against three real kube-apiservers: nothing right after a propagate, exactly an
 * out-of-band edit afterwards, retained fields shown as retained, missing / unexpected / error
 * states, Secret values never shown, and cluster against cluster.
 *
 *   node --test --import tsx test/cluster/diff.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { uniqueName, useFederation } from '../clusters/fixtures.ts';
import { propagate } from '../../server/cluster/propagate.ts';
import { diffBetween, diffClusters, type DiffEntry, type DiffReport } from '../../server/cluster/diff.ts';
import { run } from '../../server/cli/run.ts';
import { editAs, fedConfigMap, fedDeployment, fedNamespace, fedSecret, fedService, paths, read, session, yamlDocs } from './helpers.ts';

const fx = useFederation();
const ALL = ['cluster1', 'cluster2', 'cluster3'];

async function pushAndDiff(files: Record<string, string>, doPush = true, contextMap?: string[]): Promise<DiffReport> {
  const s = await session(fx.fed, files, { contextMap, timeoutMs: 5000 });
  try {
    if (doPush) {
      const r = await propagate({ workspace: s.ws, connections: s.connections, hostCluster: s.hostCluster });
      assert.equal(r.failed, false, JSON.stringify(r.outcomes.filter((o) => o.result === 'failed'), null, 1));
    }
    return await diffClusters({ workspace: s.ws, connections: s.connections });
  } finally {
    s.connections.close();
  }
}

function entry(r: DiffReport, resource: string, cluster: string): DiffEntry {
  const e = r.entries.find((x) => x.resource === resource && x.cluster === cluster);
  assert.ok(e, `no entry for ${resource} in ${cluster}`);
  return e;
}

/** The changed lines of a unified diff (without the ---/+++ headers). */
function changedLines(diff: string): string[] {
  return diff.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));
}

function app(ns: string): Record<string, string> {
  return {
    'app.yaml': yamlDocs(
      fedNamespace(ns),
      fedDeployment(ns, 'web', { overrides: [{ clusterName: 'cluster2', clusterOverrides: [{ path: '/spec/replicas', value: 5 }] }] }),
      fedService(ns, 'web'),
      fedConfigMap(ns, 'cfg', { a: '1' }),
      fedSecret(ns, 'creds', { password: Buffer.from('hunter2-secret').toString('base64') }),
    ),
  };
}

test('right after a propagate there is no diff at all', async () => {
  const ns = uniqueName('clean');
  const r = await pushAndDiff(app(ns));
  assert.equal(r.differs, false, JSON.stringify(r.entries.filter((e) => e.state !== 'in-sync'), null, 1));
  assert.equal(r.summary['in-sync'], 15);
  assert.ok(r.entries.every((e) => e.state === 'in-sync' && e.diff === undefined));
  // Service IPs and node ports are the cluster's: shown as retained, not drift.
  const svc = entry(r, `FederatedService/${ns}/web`, 'cluster3');
  assert.deepEqual(svc.retained?.map((c) => c.path).sort(), ['/spec/clusterIP', '/spec/clusterIPs', '/spec/ports/0/nodePort']);
  assert.deepEqual(entry(r, `FederatedDeployment/${ns}/web`, 'cluster2').overridden, ['/spec/replicas']);
  // The CLI agrees: --exit-code exits 0.
  const dir = mkdtempSync(join(tmpdir(), 'kfed-diff-'));
  try {
    writeFileSync(join(dir, 'app.yaml'), app(ns)['app.yaml']!);
    const cli = await run(['diff', dir, '--kubeconfig', fx.fed.kubeconfigPath, '--host-context', 'cluster1', '--exit-code']);
    assert.equal(cli.exit, 0, cli.stdout + cli.stderr);
    assert.doesNotMatch(cli.stdout, /^[-+]/m);
    assert.match(cli.stdout, /3 cluster\(s\): 15 in sync/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an out-of-band edit shows up as exactly that edit, in that cluster only', async () => {
  const ns = uniqueName('edit');
  assert.equal((await pushAndDiff(app(ns))).differs, false);
  await editAs(fx, 'cluster2', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:tampered' }] } } },
  });
  const r = await pushAndDiff(app(ns), false);
  const drifted = r.entries.filter((e) => e.state !== 'in-sync');
  assert.equal(drifted.length, 1, JSON.stringify(drifted, null, 1));
  const d = drifted[0]!;
  assert.equal(d.cluster, 'cluster2');
  assert.equal(d.resource, `FederatedDeployment/${ns}/web`);
  assert.equal(d.state, 'drifted');
  assert.deepEqual(d.changes, [{ path: '/spec/template/spec/containers/0/image', desired: 'nginx:1.27', live: 'nginx:tampered' }]);
  assert.deepEqual(changedLines(d.diff!), ['-        - image: nginx:1.27', '+        - image: nginx:tampered']);
  assert.match(d.diff!, /^--- desired cluster2\n\+\+\+ live cluster2\n@@ /);

  // A field this tool does not set but KubeFed retains (an annotation) is not drift.
  await editAs(fx, 'cluster1', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: ns, annotations: { 'team/owner': 'ops' } } });
  const r2 = await pushAndDiff(app(ns), false);
  const cfg = entry(r2, `FederatedConfigMap/${ns}/cfg`, 'cluster1');
  assert.equal(cfg.state, 'in-sync');
  assert.deepEqual(cfg.retained, [{ path: '/metadata/annotations', live: { 'team/owner': 'ops' } }]);

  // CLI: --exit-code exits 1 and prints the edit; -o json carries the same entry.
  const dir = mkdtempSync(join(tmpdir(), 'kfed-diff-'));
  try {
    writeFileSync(join(dir, 'app.yaml'), app(ns)['app.yaml']!);
    const cli = await run(['diff', dir, '--kubeconfig', fx.fed.kubeconfigPath, '--host-context', 'cluster1', '--exit-code']);
    assert.equal(cli.exit, 1);
    assert.match(cli.stdout, /cluster2 +drifted/);
    assert.match(cli.stdout, /^ +-        - image: nginx:1\.27$/m);
    assert.match(cli.stdout, /^ +\+        - image: nginx:tampered$/m);
    const noExit = await run(['diff', dir, '--kubeconfig', fx.fed.kubeconfigPath, '--host-context', 'cluster1']);
    assert.equal(noExit.exit, 0, 'differences alone exit 0 without --exit-code');
    const json = JSON.parse((await run(['diff', dir, '--kubeconfig', fx.fed.kubeconfigPath, '--host-context', 'cluster1', '-o', 'json'])).stdout) as DiffReport;
    assert.deepEqual(json.summary, { 'in-sync': 14, drifted: 1, missing: 0, unexpected: 0, error: 0 });
    assert.deepEqual(json.entries.find((e) => e.state === 'drifted')?.changes, d.changes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Propagating with --force-conflicts puts it back; then no diff again.
  const s = await session(fx.fed, app(ns));
  const back = await propagate({ workspace: s.ws, connections: s.connections, forceConflicts: true });
  s.connections.close();
  assert.equal(back.summary.updated, 1);
  assert.equal((await pushAndDiff(app(ns), false)).differs, false);
});

test('missing, unexpected and error states', async () => {
  const ns = uniqueName('states');
  assert.equal((await pushAndDiff(app(ns))).differs, false);
  const del = await fx.fed.request('cluster3', 'DELETE', paths.configMap(ns, 'cfg'));
  assert.equal(del.status, 200);
  // cluster1 removed from the deployment's placement in the files, not propagated yet.
  const files = {
    'app.yaml': yamlDocs(
      fedNamespace(ns),
      fedDeployment(ns, 'web', { clusters: ['cluster2', 'cluster3'], overrides: [{ clusterName: 'cluster2', clusterOverrides: [{ path: '/spec/replicas', value: 5 }] }] }),
      fedConfigMap(ns, 'cfg', { a: '1' }),
    ),
  };
  const r = await pushAndDiff(files, false);
  const missing = entry(r, `FederatedConfigMap/${ns}/cfg`, 'cluster3');
  assert.equal(missing.state, 'missing');
  assert.deepEqual(missing.desired?.data, { a: '1' });
  assert.equal(entry(r, `FederatedDeployment/${ns}/web`, 'cluster1').state, 'unexpected');
  assert.equal(entry(r, `FederatedDeployment/${ns}/web`, 'cluster2').state, 'in-sync');

  // An unreachable cluster is an error for that cluster only.
  const r2 = await pushAndDiff(files, false, ['cluster2=nowhere']);
  const e = entry(r2, `FederatedConfigMap/${ns}/cfg`, 'cluster2');
  assert.equal(e.state, 'error');
  assert.equal(e.status, 'ClientRetrievalFailed');
  assert.match(e.hint ?? '', /--context-map/);
  assert.equal(entry(r2, `FederatedConfigMap/${ns}/cfg`, 'cluster1').state, 'in-sync');

  // An object that exists unlabeled is drift (the managed label), flagged unmanaged.
  const cm = await fx.fed.request('cluster2', 'POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hand' }, data: { a: '1' } });
  assert.equal(cm.status, 201);
  const withHand = { 'app.yaml': files['app.yaml'] + yamlDocs(fedConfigMap(ns, 'hand', { a: '1' }, ['cluster2'])) };
  const r3 = await pushAndDiff(withHand, false);
  const hand = entry(r3, `FederatedConfigMap/${ns}/hand`, 'cluster2');
  assert.equal(hand.state, 'drifted');
  assert.equal(hand.unmanaged, true);
  assert.ok(hand.changes?.some((c) => c.path.startsWith('/metadata/labels')), JSON.stringify(hand.changes));
});

test('Secret values never appear in a diff', async () => {
  const ns = uniqueName('secret');
  assert.equal((await pushAndDiff(app(ns))).differs, false);
  const tampered = Buffer.from('tampered-value-xyz').toString('base64');
  await editAs(fx, 'cluster3', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: ns }, data: { password: tampered } });
  const r = await pushAndDiff(app(ns), false);
  const e = entry(r, `FederatedSecret/${ns}/creds`, 'cluster3');
  assert.equal(e.state, 'drifted');
  assert.deepEqual(e.changes, [{ path: '/data/password', desired: '***', live: '***' }]);
  const text = JSON.stringify(r);
  for (const s of [tampered, Buffer.from('hunter2-secret').toString('base64'), 'hunter2-secret', 'tampered-value-xyz']) assert.ok(!text.includes(s), s);
  assert.deepEqual(changedLines(e.diff!), ['-  password: "*** (desired)"', '+  password: "*** (live)"']);
});

test('cluster against cluster: overrides and edits differ, allocated fields are not compared', async () => {
  const ns = uniqueName('between');
  assert.equal((await pushAndDiff(app(ns))).differs, false);
  const s = await session(fx.fed, app(ns));
  try {
    const r = await diffBetween({ workspace: s.ws, connections: s.connections, a: 'cluster1', b: 'cluster2' });
    const dep = r.entries.find((e) => e.resource === `FederatedDeployment/${ns}/web`)!;
    assert.equal(dep.state, 'different');
    assert.deepEqual(dep.changes, [{ path: '/spec/replicas', desired: 2, live: 5, override: true }]);
    const svc = r.entries.find((e) => e.resource === `FederatedService/${ns}/web`)!;
    assert.equal(svc.state, 'same');
    assert.ok(svc.ignored?.includes('/spec/clusterIP'), JSON.stringify(svc));
    assert.equal(r.entries.find((e) => e.resource === `FederatedConfigMap/${ns}/cfg`)!.state, 'same');

    await editAs(fx, 'cluster3', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: ns }, data: { a: 'changed' } });
    const r2 = await diffBetween({ workspace: s.ws, connections: s.connections, a: 'cluster1', b: 'cluster3' });
    const cfg = r2.entries.find((e) => e.resource === `FederatedConfigMap/${ns}/cfg`)!;
    assert.equal(cfg.state, 'different');
    assert.deepEqual(cfg.changes, [{ path: '/data/a', desired: '1', live: 'changed' }]);
    assert.deepEqual(changedLines(cfg.diff!), ['-  a: "1"', '+  a: changed']);
    assert.equal(r2.entries.find((e) => e.resource === `FederatedDeployment/${ns}/web`)!.state, 'same');
  } finally {
    s.connections.close();
  }
  // CLI form: --between cluster1 cluster2 <files…>
  const dir = mkdtempSync(join(tmpdir(), 'kfed-between-'));
  try {
    writeFileSync(join(dir, 'app.yaml'), app(ns)['app.yaml']!);
    const cli = await run(['diff', '--between', 'cluster1', 'cluster3', dir, '--kubeconfig', fx.fed.kubeconfigPath, '--host-context', 'cluster1', '--exit-code']);
    assert.equal(cli.exit, 1, cli.stderr);
    assert.match(cli.stdout, /ConfigMap .*\/cfg .*: different/);
    assert.match(cli.stdout, /^ +\+  a: changed$/m);
    const same = await run(['diff', '--between', 'cluster1,cluster1', dir, '--kubeconfig', fx.fed.kubeconfigPath]);
    assert.equal(same.exit, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compare-all: every cluster compared in parallel, each resource once per cluster', async () => {
  const ns = uniqueName('all');
  const docs = [fedNamespace(ns), ...Array.from({ length: 20 }, (_, i) => fedConfigMap(ns, `cm${i}`, { i: String(i) }))];
  const r = await pushAndDiff({ 'a.yaml': yamlDocs(...docs) });
  assert.equal(r.entries.length, 21 * ALL.length);
  assert.equal(r.differs, false);
  const cm = await read(fx.fed, 'cluster2', paths.configMap(ns, 'cm3'));
  assert.equal(cm?.data.i, '3');
});
