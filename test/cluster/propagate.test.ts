/**
 * kfed propagate against three real kube-apiservers (test/clusters/launcher.ts): create, update,
 * no-op, deletion on placement removal, orphaning, prune, adoption refusal and --adopt, a
 * server-side-apply conflict, dry run, a type missing in one cluster, unreachable, hung, denying and
 * stopped clusters, cancellation, auth methods, and credentials never shown.
 *
 *   node --test --import tsx test/cluster/propagate.test.ts
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { freshNamespace, uniqueName, useFederation } from '../clusters/fixtures.ts';
import { killCluster, pauseCluster, resumeCluster } from '../clusters/chaos.ts';
import { propagate, type Outcome, type PropagateReport } from '../../server/cluster/propagate.ts';
import { FEDERATED_RESOURCE_ANNOTATION } from '../../server/cluster/desired.ts';
import { run } from '../../server/cli/run.ts';
import {
  editAs,
  fedConfigMap,
  fedDeployment,
  fedNamespace,
  fedSecret,
  fedService,
  paths,
  read,
  session,
  yamlDocs,
  type Obj,
} from './helpers.ts';

const fx = useFederation();
const ALL = ['cluster1', 'cluster2', 'cluster3'];

async function push(files: Record<string, string>, opt: Partial<Parameters<typeof propagate>[0]> & { contextMap?: string[]; timeoutMs?: number; kubeconfigPath?: string } = {}): Promise<PropagateReport> {
  const s = await session(fx.fed, files, { contextMap: opt.contextMap, timeoutMs: opt.timeoutMs, kubeconfigPath: opt.kubeconfigPath });
  try {
    return await propagate({ workspace: s.ws, connections: s.connections, hostCluster: s.hostCluster, ...opt });
  } finally {
    s.connections.close();
  }
}

function outcome(r: PropagateReport, resource: string, cluster: string): Outcome {
  const o = r.outcomes.find((x) => x.resource === resource && x.cluster === cluster);
  assert.ok(o, `no outcome for ${resource} in ${cluster}: ${JSON.stringify(r.outcomes.map((x) => `${x.resource}@${x.cluster}=${x.result}`))}`);
  return o;
}

function results(r: PropagateReport, resource: string): Record<string, string> {
  return Object.fromEntries(r.outcomes.filter((o) => o.resource === resource).map((o) => [o.cluster, o.result]));
}

const labels = (o: Obj | null) => o?.metadata?.labels ?? {};
const annotations = (o: Obj | null) => o?.metadata?.annotations ?? {};

test('create: namespaces first, objects where placed, overrides applied, managed label and annotation', async () => {
  const ns = uniqueName('create');
  const files = {
    'app.yaml': yamlDocs(
      fedNamespace(ns),
      fedDeployment(ns, 'web', { overrides: [{ clusterName: 'cluster2', clusterOverrides: [{ path: '/spec/replicas', value: 5 }] }] }),
      fedConfigMap(ns, 'cfg', { a: '1' }, ['cluster1', 'cluster3']),
      fedService(ns, 'web', ['cluster1']),
      // Placement by label: region us-east (cluster1) and us-west (cluster3), from the host's KubeFedClusters.
      {
        ...fedSecret(ns, 'creds', { password: Buffer.from('s3cret').toString('base64') }),
        spec: {
          template: { type: 'Opaque', data: { password: Buffer.from('s3cret').toString('base64') } },
          placement: { clusterSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['us-east', 'us-west'] }] } },
        },
      },
    ),
  };
  const order: string[] = [];
  const r = await push(files, { onProgress: (e) => e.outcome && order.push(`${e.outcome.cluster}:${e.outcome.target.kind}`) });
  assert.equal(r.failed, false, JSON.stringify(r.outcomes, null, 1));
  assert.deepEqual(results(r, `FederatedNamespace/${ns}/${ns}`), { cluster1: 'created', cluster2: 'created', cluster3: 'created' });
  assert.deepEqual(results(r, `FederatedDeployment/${ns}/web`), { cluster1: 'created', cluster2: 'created', cluster3: 'created' });
  assert.deepEqual(results(r, `FederatedConfigMap/${ns}/cfg`), { cluster1: 'created', cluster3: 'created' });
  assert.deepEqual(results(r, `FederatedService/${ns}/web`), { cluster1: 'created' });
  assert.deepEqual(results(r, `FederatedSecret/${ns}/creds`), { cluster1: 'created', cluster3: 'created' });
  // Progress: in every cluster the namespace came before any namespaced object.
  for (const c of ALL) {
    const mine = order.filter((x) => x.startsWith(`${c}:`));
    assert.equal(mine[0], `${c}:Namespace`, `${c}: ${mine.join(', ')}`);
  }
  for (const c of ALL) {
    const d = await read(fx.fed, c, paths.deployment(ns, 'web'));
    assert.equal(d?.spec.replicas, c === 'cluster2' ? 5 : 2, `${c} replicas`);
    assert.equal(labels(d)['kubefed.io/managed'], 'true');
    assert.equal(annotations(d)[FEDERATED_RESOURCE_ANNOTATION], `FederatedDeployment/${ns}/web`);
    const managers = (d?.metadata.managedFields ?? []).map((m: Obj) => `${m.manager}/${m.operation}`);
    assert.ok(managers.includes('kubefed-tools/Apply'), managers.join(','));
    assert.equal(labels(await read(fx.fed, c, paths.namespace(ns)))['kubefed.io/managed'], 'true');
  }
  assert.equal(await read(fx.fed, 'cluster2', paths.configMap(ns, 'cfg')), null, 'not placed on cluster2');
  assert.equal(await read(fx.fed, 'cluster2', paths.secret(ns, 'creds')), null, 'label selector excludes eu-west');
  assert.equal((await read(fx.fed, 'cluster3', paths.secret(ns, 'creds')))?.data.password, Buffer.from('s3cret').toString('base64'));
});

test('update, then no-op: only what changed is written; a second run changes nothing', async () => {
  const ns = uniqueName('update');
  const v1 = { 'app.yaml': yamlDocs(fedNamespace(ns), fedDeployment(ns, 'web'), fedConfigMap(ns, 'cfg', { a: '1' }), fedService(ns, 'web')) };
  const first = await push(v1);
  assert.equal(first.failed, false);
  const v2 = { 'app.yaml': yamlDocs(fedNamespace(ns), fedDeployment(ns, 'web', { image: 'nginx:1.28' }), fedConfigMap(ns, 'cfg', { a: '1' }), fedService(ns, 'web')) };
  const rvBefore = Object.fromEntries(await Promise.all(ALL.map(async (c) => [c, (await read(fx.fed, c, paths.configMap(ns, 'cfg')))!.metadata.resourceVersion])));
  const second = await push(v2);
  assert.equal(second.failed, false, JSON.stringify(second.outcomes, null, 1));
  assert.deepEqual(results(second, `FederatedDeployment/${ns}/web`), { cluster1: 'updated', cluster2: 'updated', cluster3: 'updated' });
  assert.deepEqual(results(second, `FederatedConfigMap/${ns}/cfg`), { cluster1: 'unchanged', cluster2: 'unchanged', cluster3: 'unchanged' });
  assert.deepEqual(results(second, `FederatedService/${ns}/web`), { cluster1: 'unchanged', cluster2: 'unchanged', cluster3: 'unchanged' });
  for (const c of ALL) {
    assert.equal((await read(fx.fed, c, paths.deployment(ns, 'web')))?.spec.template.spec.containers[0].image, 'nginx:1.28');
    assert.equal((await read(fx.fed, c, paths.configMap(ns, 'cfg')))!.metadata.resourceVersion, rvBefore[c], `${c}: configmap not rewritten`);
  }
  // No-op: every object unchanged, no resourceVersion moves.
  const rvs = async () =>
    Promise.all(ALL.flatMap((c) => [paths.deployment(ns, 'web'), paths.configMap(ns, 'cfg'), paths.service(ns, 'web'), paths.namespace(ns)].map(async (p) => (await read(fx.fed, c, p))!.metadata.resourceVersion)));
  const before = await rvs();
  const third = await push(v2);
  assert.equal(third.failed, false);
  assert.deepEqual([...new Set(third.outcomes.map((o) => o.result))], ['unchanged']);
  assert.equal(third.summary.unchanged, 12);
  assert.deepEqual(await rvs(), before);
  // Fields the cluster owns stay: the Service keeps its ClusterIP and node port.
  const svc = await read(fx.fed, 'cluster2', paths.service(ns, 'web'));
  assert.match(svc!.spec.clusterIP, /^10\.97\./);
  assert.ok(svc!.spec.ports[0].nodePort > 0);
});

test('placement removal deletes the managed copy, with or without kubefed.io/orphan (KubeFed honours it only when the federated object is deleted)', async () => {
  const ns = uniqueName('remove');
  const base = [fedNamespace(ns)];
  const r1 = await push({ 'a.yaml': yamlDocs(...base, fedDeployment(ns, 'gone'), fedDeployment(ns, 'orphan-annotated')) });
  assert.equal(r1.failed, false);
  const r2 = await push({
    'a.yaml': yamlDocs(
      ...base,
      fedDeployment(ns, 'gone', { clusters: ['cluster1'] }),
      fedDeployment(ns, 'orphan-annotated', { clusters: ['cluster1'], annotations: { 'kubefed.io/orphan': 'true' } }),
    ),
  });
  assert.equal(r2.failed, false, JSON.stringify(r2.outcomes, null, 1));
  for (const name of ['gone', 'orphan-annotated']) {
    assert.deepEqual(results(r2, `FederatedDeployment/${ns}/${name}`), { cluster1: 'unchanged', cluster2: 'deleted', cluster3: 'deleted' });
    assert.equal(outcome(r2, `FederatedDeployment/${ns}/${name}`, 'cluster2').action, 'delete');
    for (const c of ['cluster2', 'cluster3']) assert.equal(await read(fx.fed, c, paths.deployment(ns, name)), null, `${c}: ${name} deleted`);
  }
  assert.ok(await read(fx.fed, 'cluster1', paths.deployment(ns, 'orphan-annotated')), 'the selected cluster keeps its copy');
  // Nothing left to do: a later run reports only the selected cluster.
  const r3 = await push({ 'a.yaml': yamlDocs(...base, fedDeployment(ns, 'gone', { clusters: ['cluster1'] })) });
  assert.deepEqual(results(r3, `FederatedDeployment/${ns}/gone`), { cluster1: 'unchanged' });
});

test('--prune removes managed objects whose federated resource is gone, only in the namespaces of the inputs', async () => {
  const ns = uniqueName('prune');
  const other = uniqueName('prune-other');
  assert.equal((await push({ 'a.yaml': yamlDocs(fedNamespace(ns), fedConfigMap(ns, 'stay', { x: '1' }), fedConfigMap(ns, 'drop', { x: '2' }), fedDeployment(ns, 'drop-too', { clusters: ['cluster2'] })) })).failed, false);
  assert.equal((await push({ 'b.yaml': yamlDocs(fedNamespace(other), fedConfigMap(other, 'elsewhere', { x: '3' })) })).failed, false);
  // An object someone created by hand in the same namespace, unlabeled: never pruned.
  const hand = await fx.fed.request('cluster1', 'POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'by-hand' }, data: { y: '1' } });
  assert.equal(hand.status, 201);

  const inputs = { 'a.yaml': yamlDocs(fedNamespace(ns), fedConfigMap(ns, 'stay', { x: '1' })) };
  const dry = await push(inputs, { prune: true, dryRun: true });
  assert.deepEqual(
    dry.outcomes.filter((o) => o.action === 'prune').map((o) => `${o.cluster}:${o.target.kind}/${o.target.name}:${o.result}`).sort(),
    ['cluster1:ConfigMap/drop:pruned', 'cluster2:ConfigMap/drop:pruned', 'cluster2:Deployment/drop-too:pruned', 'cluster3:ConfigMap/drop:pruned'],
  );
  assert.ok(await read(fx.fed, 'cluster1', paths.configMap(ns, 'drop')), 'dry run deletes nothing');

  // Without --prune nothing is deleted.
  const plain = await push(inputs);
  assert.equal(plain.outcomes.filter((o) => o.action === 'prune').length, 0);
  assert.ok(await read(fx.fed, 'cluster1', paths.configMap(ns, 'drop')));

  const r = await push(inputs, { prune: true });
  assert.equal(r.failed, false, JSON.stringify(r.outcomes, null, 1));
  const pruned = r.outcomes.filter((o) => o.action === 'prune');
  assert.equal(pruned.length, 4);
  assert.ok(pruned.every((o) => o.resource === `FederatedConfigMap/${ns}/drop` || o.resource === `FederatedDeployment/${ns}/drop-too`));
  for (const c of ALL) {
    assert.equal(await read(fx.fed, c, paths.configMap(ns, 'drop')), null, `${c}: drop pruned`);
    assert.ok(await read(fx.fed, c, paths.configMap(ns, 'stay')), `${c}: stay kept`);
    assert.ok(await read(fx.fed, c, paths.configMap(other, 'elsewhere')), `${c}: other namespace untouched`);
  }
  assert.equal(await read(fx.fed, 'cluster2', paths.deployment(ns, 'drop-too')), null);
  assert.ok(await read(fx.fed, 'cluster1', paths.configMap(ns, 'by-hand')), 'unlabeled object kept');
});

test('an existing unlabeled object is refused (AlreadyExists) and left alone; --adopt takes it over; managed=false is never taken', async () => {
  const ns = uniqueName('adopt');
  await freshNamespace(fx.fed, 'unused'); // keep the namespace list varied
  const pre = await push({ 'n.yaml': yamlDocs(fedNamespace(ns)) });
  assert.equal(pre.failed, false);
  for (const [c, name, lbl] of [
    ['cluster2', 'cfg', {}],
    ['cluster3', 'optout', { 'kubefed.io/managed': 'false' }],
  ] as const) {
    const res = await fx.fed.request(c, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: lbl }, data: { mine: 'yes' } });
    assert.equal(res.status, 201);
  }
  const files = { 'a.yaml': yamlDocs(fedNamespace(ns), fedConfigMap(ns, 'cfg', { a: '1' }), fedConfigMap(ns, 'optout', { a: '1' })) };
  const r = await push(files);
  assert.equal(r.failed, true);
  const refused = outcome(r, `FederatedConfigMap/${ns}/cfg`, 'cluster2');
  assert.equal(refused.result, 'failed');
  assert.equal(refused.status, 'AlreadyExists');
  assert.match(refused.hint ?? '', /--adopt/);
  assert.deepEqual(results(r, `FederatedConfigMap/${ns}/cfg`), { cluster1: 'created', cluster2: 'failed', cluster3: 'created' });
  // Adoption disabled: KubeFed answers AlreadyExists before it looks at the label.
  assert.equal(outcome(r, `FederatedConfigMap/${ns}/optout`, 'cluster3').status, 'AlreadyExists');
  const untouched = await read(fx.fed, 'cluster2', paths.configMap(ns, 'cfg'));
  assert.deepEqual(untouched!.data, { mine: 'yes' });
  assert.equal(labels(untouched)['kubefed.io/managed'], undefined);
  assert.ok(!(untouched!.metadata.managedFields ?? []).some((m: Obj) => m.manager === 'kubefed-tools'), 'not even co-owned');

  const adopted = await push(files, { adopt: true });
  assert.equal(outcome(adopted, `FederatedConfigMap/${ns}/cfg`, 'cluster2').result, 'adopted');
  assert.equal(outcome(adopted, `FederatedConfigMap/${ns}/optout`, 'cluster3').status, 'ManagedLabelFalse', '--adopt never overrides managed=false');
  const now = await read(fx.fed, 'cluster2', paths.configMap(ns, 'cfg'));
  assert.equal(labels(now)['kubefed.io/managed'], 'true');
  assert.equal(now!.data.a, '1');
  assert.deepEqual((await read(fx.fed, 'cluster3', paths.configMap(ns, 'optout')))!.data, { mine: 'yes' });
  // Adopted: the next run without --adopt treats it as managed.
  const again = await push(files);
  assert.equal(outcome(again, `FederatedConfigMap/${ns}/cfg`, 'cluster2').result, 'unchanged');
});

test('a server-side apply conflict is reported with its field and manager, never forced unless --force-conflicts', async () => {
  const ns = uniqueName('conflict');
  const files = { 'a.yaml': yamlDocs(fedNamespace(ns), fedDeployment(ns, 'web', { replicas: 2 })) };
  assert.equal((await push(files)).failed, false);
  await editAs(fx, 'cluster2', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns }, spec: { replicas: 7 } }, 'night-shift');
  const changed = { 'a.yaml': yamlDocs(fedNamespace(ns), fedDeployment(ns, 'web', { replicas: 3 })) };
  const r = await push(changed);
  const o = outcome(r, `FederatedDeployment/${ns}/web`, 'cluster2');
  assert.equal(o.result, 'failed');
  assert.equal(o.status, 'UpdateFailed');
  assert.equal(o.reason, 'Conflict');
  assert.deepEqual(o.conflicts, [{ manager: 'night-shift', field: '.spec.replicas' }]);
  assert.match(o.hint ?? '', /--force-conflicts/);
  assert.equal(outcome(r, `FederatedDeployment/${ns}/web`, 'cluster1').result, 'updated', 'other clusters go on');
  assert.equal((await read(fx.fed, 'cluster2', paths.deployment(ns, 'web')))!.spec.replicas, 7, 'not forced');

  const forced = await push(changed, { forceConflicts: true });
  assert.equal(outcome(forced, `FederatedDeployment/${ns}/web`, 'cluster2').result, 'updated');
  assert.equal((await read(fx.fed, 'cluster2', paths.deployment(ns, 'web')))!.spec.replicas, 3);
});

test('retainReplicas keeps the cluster replicas (applied with the live value, never reset)', async () => {
  const ns = uniqueName('retain');
  assert.equal((await push({ 'a.yaml': yamlDocs(fedNamespace(ns), fedDeployment(ns, 'web', { replicas: 2 })) })).failed, false);
  await editAs(fx, 'cluster1', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns }, spec: { replicas: 9 } }, 'autoscaler');
  const r = await push({ 'a.yaml': yamlDocs(fedNamespace(ns), fedDeployment(ns, 'web', { replicas: 4, retainReplicas: true, image: 'nginx:1.29' })) });
  assert.equal(r.failed, false, JSON.stringify(r.outcomes, null, 1));
  const d1 = await read(fx.fed, 'cluster1', paths.deployment(ns, 'web'));
  assert.equal(d1!.spec.replicas, 9, 'cluster1 keeps its replicas');
  assert.equal(d1!.spec.template.spec.containers[0].image, 'nginx:1.29');
  assert.equal((await read(fx.fed, 'cluster2', paths.deployment(ns, 'web')))!.spec.replicas, 2, 'retained, not reset to the template');
  // Turning retainReplicas off again: the template value wins where this tool owns the field.
  const off = await push({ 'a.yaml': yamlDocs(fedNamespace(ns), fedDeployment(ns, 'web', { replicas: 4, image: 'nginx:1.29' })) });
  assert.equal(outcome(off, `FederatedDeployment/${ns}/web`, 'cluster2').result, 'updated');
  assert.equal((await read(fx.fed, 'cluster2', paths.deployment(ns, 'web')))!.spec.replicas, 4);
});

test('the field manager of the applies is kubefed-tools, or the one asked for', async () => {
  const ns = uniqueName('manager');
  const managers = async (name: string) =>
    ((await read(fx.fed, 'cluster1', paths.configMap(ns, name)))!.metadata.managedFields as { manager: string; operation: string }[])
      .filter((m) => m.operation === 'Apply')
      .map((m) => m.manager);
  assert.equal((await push({ 'a.yaml': yamlDocs(fedNamespace(ns), fedConfigMap(ns, 'one', { a: '1' }, ['cluster1'])) })).failed, false);
  assert.deepEqual(await managers('one'), ['kubefed-tools']);
  const r = await push({ 'a.yaml': yamlDocs(fedNamespace(ns), fedConfigMap(ns, 'two', { a: '1' }, ['cluster1'])) }, { fieldManager: 'team-a' });
  assert.equal(r.failed, false, JSON.stringify(r.outcomes, null, 1));
  assert.deepEqual(await managers('two'), ['team-a']);
});

test('--dry-run=server changes nothing and shows every decision and server-side validation error', async () => {
  const ns = uniqueName('dry');
  assert.equal((await push({ 'a.yaml': yamlDocs(fedNamespace(ns), fedDeployment(ns, 'web')) })).failed, false);
  const fresh = uniqueName('dry-new');
  const r = await push(
    {
      'a.yaml': yamlDocs(
        fedNamespace(ns),
        fedDeployment(ns, 'web', { image: 'nginx:dry', overrides: [{ clusterName: 'cluster3', clusterOverrides: [{ path: '/spec/replicas', value: -1 }] }] }),
        fedConfigMap(ns, 'new', { a: '1' }, ['cluster2']),
      ),
      'b.yaml': yamlDocs(fedNamespace(fresh, ['cluster1']), fedConfigMap(fresh, 'cm', { b: '2' }, ['cluster1'])),
    },
    { dryRun: true },
  );
  assert.equal(r.dryRun, true);
  assert.deepEqual(results(r, `FederatedDeployment/${ns}/web`), { cluster1: 'updated', cluster2: 'updated', cluster3: 'failed' });
  const bad = outcome(r, `FederatedDeployment/${ns}/web`, 'cluster3');
  assert.equal(bad.status, 'UpdateFailed');
  assert.equal(bad.reason, 'Invalid');
  assert.match(bad.message ?? '', /replicas/);
  assert.deepEqual(results(r, `FederatedConfigMap/${ns}/new`), { cluster2: 'created' });
  assert.deepEqual(results(r, `FederatedNamespace/${fresh}/${fresh}`), { cluster1: 'created' });
  const inNew = outcome(r, `FederatedConfigMap/${fresh}/cm`, 'cluster1');
  assert.equal(inNew.result, 'created');
  assert.match(inNew.message ?? '', /not validated/);
  for (const c of ALL) assert.equal((await read(fx.fed, c, paths.deployment(ns, 'web')))!.spec.template.spec.containers[0].image, 'nginx:1.27');
  assert.equal(await read(fx.fed, 'cluster2', paths.configMap(ns, 'new')), null);
  assert.equal(await read(fx.fed, 'cluster1', paths.namespace(fresh)), null);
  // The CLI says so.
  const dir = mkdtempSync(join(tmpdir(), 'kfed-dry-'));
  try {
    writeFileSync(join(dir, 'a.yaml'), yamlDocs(fedNamespace(ns), fedDeployment(ns, 'web', { image: 'nginx:dry' })));
    const cli = await run(['propagate', dir, '--kubeconfig', fx.fed.kubeconfigPath, '--host-context', 'cluster1', '--dry-run=server']);
    assert.equal(cli.exit, 0, cli.stderr);
    assert.match(cli.stdout, /dry run \(server\): nothing was changed/);
    assert.match(cli.stdout, /cluster2 +would update/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a type missing in one cluster is reported for that cluster only', async () => {
  const group = `${uniqueName('w')}.kubefed-tools.test`;
  const crd = {
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
    },
  };
  for (const c of ['cluster1', 'cluster2']) {
    const ext = fx.api(c, ApiextensionsV1Api);
    await ext.createCustomResourceDefinition({ body: crd });
    for (let i = 0; ; i++) {
      const got = await ext.readCustomResourceDefinition({ name: crd.metadata.name });
      if (got.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True')) break;
      assert.ok(i < 300, 'CRD established');
      await new Promise((res) => setTimeout(res, 100));
    }
  }
  const ns = uniqueName('types');
  const ftc = {
    apiVersion: 'core.kubefed.io/v1beta1',
    kind: 'FederatedTypeConfig',
    metadata: { name: `widgets.${group}`, namespace: 'kube-federation-system' },
    spec: {
      federatedType: { group: 'types.kubefed.io', kind: 'FederatedWidget', pluralName: 'federatedwidgets', scope: 'Namespaced', version: 'v1beta1' },
      propagation: 'Enabled',
      targetType: { group, kind: 'Widget', pluralName: 'widgets', scope: 'Namespaced', version: 'v1' },
    },
  };
  const widget = { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedWidget', metadata: { name: 'w1', namespace: ns }, spec: { template: { spec: { size: 3 } }, placement: { clusterSelector: {} } } };
  let r: PropagateReport | undefined;
  for (let i = 0; i < 50; i++) {
    r = await push({ 'ftc.yaml': yamlDocs(ftc), 'w.yaml': yamlDocs(fedNamespace(ns), widget, fedConfigMap(ns, 'cm', { a: '1' })) });
    // Right after Established a new type can briefly be missing from discovery.
    if (outcome(r, `FederatedWidget/${ns}/w1`, 'cluster2').result !== 'failed' && outcome(r, `FederatedWidget/${ns}/w1`, 'cluster1').result !== 'failed') break;
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.ok(r);
  assert.equal(outcome(r, `FederatedWidget/${ns}/w1`, 'cluster1').result, 'created');
  assert.equal(outcome(r, `FederatedWidget/${ns}/w1`, 'cluster2').result, 'created');
  const missing = outcome(r, `FederatedWidget/${ns}/w1`, 'cluster3');
  assert.equal(missing.result, 'failed');
  assert.equal(missing.reason, 'TypeNotServed');
  assert.match(missing.hint ?? '', /install the CRD/);
  assert.deepEqual(results(r, `FederatedConfigMap/${ns}/cm`), { cluster1: 'created', cluster2: 'created', cluster3: 'created' });
});

test('v1alpha1 resources propagate too (template, placement and override), with the managed label', async () => {
  const ns = await freshNamespace(fx.fed, 'alpha');
  const docs = yamlDocs(
    { apiVersion: 'core.federation.k8s.io/v1alpha1', kind: 'FederatedConfigMap', metadata: { name: 'cm', namespace: ns }, spec: { template: { data: { A: 'ala ma kota' } } } },
    { apiVersion: 'core.federation.k8s.io/v1alpha1', kind: 'FederatedConfigMapPlacement', metadata: { name: 'cm', namespace: ns }, spec: { clusterNames: ['cluster1', 'cluster2'] } },
    { apiVersion: 'core.federation.k8s.io/v1alpha1', kind: 'FederatedConfigMapOverride', metadata: { name: 'cm', namespace: ns }, spec: { overrides: [{ clusterName: 'cluster2', data: { foo: 'bar' } }] } },
  );
  const r = await push({ 'alpha.yaml': docs });
  assert.equal(r.failed, false, JSON.stringify(r.outcomes, null, 1));
  assert.deepEqual(results(r, `FederatedConfigMap/${ns}/cm`), { cluster1: 'created', cluster2: 'created' });
  assert.deepEqual((await read(fx.fed, 'cluster1', paths.configMap(ns, 'cm')))!.data, { A: 'ala ma kota' });
  const c2 = await read(fx.fed, 'cluster2', paths.configMap(ns, 'cm'));
  assert.deepEqual(c2!.data, { foo: 'bar' });
  assert.equal(labels(c2)['kubefed.io/managed'], 'true');
  assert.equal(await read(fx.fed, 'cluster3', paths.configMap(ns, 'cm')), null);
  const again = await push({ 'alpha.yaml': docs });
  assert.deepEqual(results(again, `FederatedConfigMap/${ns}/cm`), { cluster1: 'unchanged', cluster2: 'unchanged' });
});

/** The federation's kubeconfig with extra users and contexts. */
function kubeconfigWith(extra: { users?: Obj[]; contexts?: Obj[] }): { path: string; text: string; cleanup: () => void } {
  const kc = parse(readFileSync(fx.fed.kubeconfigPath, 'utf8'));
  kc.users.push(...(extra.users ?? []));
  kc.contexts.push(...(extra.contexts ?? []));
  const dir = mkdtempSync(join(tmpdir(), 'kfed-kc-'));
  const path = join(dir, 'kubeconfig');
  const text = stringify(kc);
  writeFileSync(path, text, { mode: 0o600 });
  return { path, text, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function serviceAccountToken(cluster: string, ns: string, name: string): Promise<string> {
  const sa = await fx.fed.request(cluster, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
  assert.ok(sa.status === 201 || sa.status === 409, sa.body);
  const tok = await fx.fed.request(cluster, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } });
  assert.equal(tok.status, 201, tok.body);
  return tok.json().status.token;
}

test('an unreachable cluster and a denying cluster never stop the others', async () => {
  const ns = uniqueName('partial');
  // cluster2 through a service account without any rights; cluster3 through a closed port.
  const token = await serviceAccountToken('cluster2', 'default', uniqueName('nobody'));
  const kc = parse(readFileSync(fx.fed.kubeconfigPath, 'utf8'));
  kc.clusters.push({ name: 'nowhere', cluster: { server: 'https://127.0.0.1:1', 'certificate-authority-data': kc.clusters[0].cluster['certificate-authority-data'] } });
  writeFileSync(fx.fed.kubeconfigPath + '.partial', stringify({
    ...kc,
    users: [...kc.users, { name: 'nobody', user: { token } }],
    contexts: [...kc.contexts, { name: 'denied', context: { cluster: 'cluster2', user: 'nobody' } }, { name: 'gone', context: { cluster: 'nowhere', user: 'cluster3-admin' } }],
  }), { mode: 0o600 });
  const t0 = Date.now();
  const r = await push(
    { 'a.yaml': yamlDocs(fedNamespace(ns), fedConfigMap(ns, 'a', { x: '1' }), fedConfigMap(ns, 'b', { x: '2' }), fedDeployment(ns, 'web')) },
    { kubeconfigPath: fx.fed.kubeconfigPath + '.partial', contextMap: ['cluster2=denied,cluster3=gone'] },
  );
  assert.ok(Date.now() - t0 < 15_000, 'no waiting on the dead cluster');
  assert.equal(r.failed, true);
  for (const res of [`FederatedNamespace/${ns}/${ns}`, `FederatedConfigMap/${ns}/a`, `FederatedConfigMap/${ns}/b`, `FederatedDeployment/${ns}/web`]) {
    assert.equal(outcome(r, res, 'cluster1').result, 'created', res);
    const denied = outcome(r, res, 'cluster2');
    assert.equal(denied.result, 'failed');
    assert.equal(denied.reason, 'Forbidden', JSON.stringify(denied));
    assert.match(denied.hint ?? '', /RBAC/);
    const gone = outcome(r, res, 'cluster3');
    assert.equal(gone.status, 'ClusterNotReady', JSON.stringify(gone));
    assert.equal(gone.reason, 'Unreachable');
  }
  assert.deepEqual(r.clusters.map((c) => [c.name, c.reachable]), [['cluster1', true], ['cluster2', true], ['cluster3', false]]);
  assert.ok(await read(fx.fed, 'cluster1', paths.configMap(ns, 'b')));
  rmSync(fx.fed.kubeconfigPath + '.partial', { force: true });
});

test('a hung cluster times out without holding up the others', async () => {
  const ns = uniqueName('hung');
  const pid = pauseCluster(fx.fed, 'cluster2');
  let r: PropagateReport;
  const t0 = Date.now();
  try {
    r = await push({ 'a.yaml': yamlDocs(fedNamespace(ns), fedConfigMap(ns, 'a', { x: '1' }), fedConfigMap(ns, 'b', { x: '1' })) }, { timeoutMs: 1500 });
  } finally {
    resumeCluster(pid);
  }
  assert.ok(Date.now() - t0 < 12_000, `took ${Date.now() - t0} ms`);
  assert.deepEqual(results(r, `FederatedConfigMap/${ns}/a`), { cluster1: 'created', cluster2: 'failed', cluster3: 'created' });
  const o = outcome(r, `FederatedConfigMap/${ns}/b`, 'cluster2');
  assert.equal(o.reason, 'Timeout');
  assert.match(o.hint ?? '', /--request-timeout/);
});

test('cancellation: outcomes so far are kept, the rest are reported as cancelled', async () => {
  const ns = uniqueName('cancel');
  const docs = [fedNamespace(ns), ...Array.from({ length: 30 }, (_, i) => fedConfigMap(ns, `cm${i}`, { i: String(i) }))];
  const ctrl = new AbortController();
  let events = 0;
  const r = await push({ 'a.yaml': yamlDocs(...docs) }, { signal: ctrl.signal, concurrency: 1, onProgress: () => ++events === 8 && ctrl.abort() });
  assert.equal(r.cancelled, true);
  assert.equal(r.failed, true);
  assert.ok(r.summary.created >= 8, JSON.stringify(r.summary));
  assert.ok(r.summary.cancelled > 0, JSON.stringify(r.summary));
  assert.equal(r.summary.created + r.summary.cancelled, 31 * 3, 'every placed object has an outcome');
  // What was reported as created exists.
  for (const o of r.outcomes.filter((x) => x.result === 'created' && x.target.kind === 'ConfigMap')) {
    assert.ok(await read(fx.fed, o.cluster, paths.configMap(ns, o.target.name)), `${o.cluster}/${o.target.name}`);
  }
});

test('auth: exec plugins and tokens work; credentials never appear in output or errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfed-auth-'));
  const ns = uniqueName('auth');
  try {
    // cluster3 through an exec plugin that prints a working service-account token.
    const execToken = await serviceAccountToken('cluster3', 'kube-federation-system', 'cluster3-cluster1');
    const plugin = join(dir, 'plugin.sh');
    writeFileSync(plugin, `#!/bin/sh\nprintf '%s' '${JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: execToken } })}'\n`);
    chmodSync(plugin, 0o755);
    // A failing exec plugin that leaks its secret env var to stderr.
    const leaky = join(dir, 'leaky.sh');
    const envSecret = `envsecret-${uniqueName('x')}`;
    writeFileSync(leaky, '#!/bin/sh\necho "login failed for $LOGIN_SECRET" >&2\nexit 1\n');
    chmodSync(leaky, 0o755);
    const badToken = `kfedbadtoken${uniqueName('t').replace(/-/g, '')}`;
    const kc = kubeconfigWith({
      users: [
        { name: 'exec-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } },
        { name: 'bad-token', user: { token: badToken } },
        { name: 'leaky-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: leaky, env: [{ name: 'LOGIN_SECRET', value: envSecret }], interactiveMode: 'Never' } } },
      ],
      contexts: [
        { name: 'via-exec', context: { cluster: 'cluster3', user: 'exec-user' } },
        { name: 'bad', context: { cluster: 'cluster2', user: 'bad-token' } },
        { name: 'leaky', context: { cluster: 'cluster2', user: 'leaky-user' } },
      ],
    });
    const secrets = [execToken, badToken, envSecret];
    const kcObj = parse(kc.text);
    const admin = kcObj.users.find((u: Obj) => u.name === 'cluster1-admin').user;
    for (const k of ['client-certificate-data', 'client-key-data']) {
      secrets.push(admin[k]);
      const pem = Buffer.from(admin[k], 'base64').toString('utf8');
      for (const line of pem.split('\n')) if (line.length > 20 && !line.startsWith('-----')) secrets.push(line);
    }
    writeFileSync(join(dir, 'a.yaml'), yamlDocs(fedNamespace(ns), fedConfigMap(ns, 'cm', { a: '1' })));
    const input = join(dir, 'a.yaml');
    const outputs: string[] = [];
    for (const [map, format] of [
      ['cluster2=bad,cluster3=via-exec', 'text'],
      ['cluster2=bad,cluster3=via-exec', 'json'],
      ['cluster2=leaky,cluster3=via-exec', 'text'],
      ['cluster2=leaky,cluster3=via-exec', 'json'],
    ] as const) {
      const progress: string[] = [];
      const r = await run(['propagate', input, '--kubeconfig', kc.path, '--host-context', 'cluster1', '--context-map', map, '-o', format], { stderr: (s) => progress.push(s) });
      assert.equal(r.exit, 1, r.stderr);
      outputs.push(r.stdout, r.stderr, progress.join(''));
      const d = await run(['diff', input, '--kubeconfig', kc.path, '--host-context', 'cluster1', '--context-map', map, '-o', format]);
      outputs.push(d.stdout, d.stderr);
    }
    const all = outputs.join('\n');
    for (const s of secrets) assert.ok(!all.includes(s), `a credential leaked: ${s.slice(0, 12)}…`);
    assert.ok(!/BEGIN [A-Z ]*PRIVATE KEY/.test(all));
    assert.match(all, /Unauthorized/, 'the bad token is reported');
    assert.match(all, /cannot get credentials/, 'the failing plugin is reported');
    assert.match(all, /\[REDACTED\]/, 'the plugin message was redacted, not dropped');
    // The exec plugin's token works: cluster3 got the objects.
    assert.ok(await read(fx.fed, 'cluster3', paths.configMap(ns, 'cm')));
    assert.equal(await read(fx.fed, 'cluster2', paths.configMap(ns, 'cm')), null);
    kc.cleanup();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI: progress lines on stderr, JSON report on stdout, exit codes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfed-cli-'));
  const ns = uniqueName('cli');
  try {
    writeFileSync(join(dir, 'a.yaml'), yamlDocs(fedNamespace(ns), fedConfigMap(ns, 'cm', { a: '1' }, ['cluster2'])));
    const lines: string[] = [];
    const r = await run(['propagate', dir, '--kubeconfig', fx.fed.kubeconfigPath, '--host-context', 'cluster1', '-o', 'json', '--concurrency', '4'], { stderr: (s) => lines.push(s) });
    assert.equal(r.exit, 0, r.stderr);
    const report = JSON.parse(r.stdout) as PropagateReport;
    assert.equal(report.summary.created, 4);
    assert.equal(lines.length, 4);
    assert.match(lines.join(''), /^\[\d\/6\] cluster2: ConfigMap .*\/cm created$/m);
    const bad = await run(['propagate', dir, '--kubeconfig', fx.fed.kubeconfigPath, '--cluster', 'nope']);
    assert.equal(bad.exit, 2);
    assert.match(bad.stderr, /unknown cluster "nope"/);
    const badFlag = await run(['propagate', dir, '--dry-run=client']);
    assert.equal(badFlag.exit, 2);
    // Only the named cluster is touched.
    writeFileSync(join(dir, 'a.yaml'), yamlDocs(fedNamespace(ns), fedConfigMap(ns, 'cm', { a: '2' }), fedConfigMap(ns, 'other', { b: '1' })));
    const one = await run(['propagate', dir, '--kubeconfig', fx.fed.kubeconfigPath, '--host-context', 'cluster1', '--cluster', 'cluster3']);
    assert.equal(one.exit, 0, one.stderr);
    assert.equal(await read(fx.fed, 'cluster1', paths.configMap(ns, 'other')), null);
    assert.ok(await read(fx.fed, 'cluster3', paths.configMap(ns, 'other')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Ctrl+C cancels kfed propagate: exit 130, outcomes so far reported, no waiting for a hung cluster', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfed-sigint-'));
  const ns = uniqueName('sigint');
  const pid = pauseCluster(fx.fed, 'cluster2');
  try {
    writeFileSync(join(dir, 'a.yaml'), yamlDocs(fedNamespace(ns), ...Array.from({ length: 10 }, (_, i) => fedConfigMap(ns, `cm${i}`, { i: String(i) }))));
    const root = join(import.meta.dirname, '..', '..');
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'cli', 'main.ts'), 'propagate', dir, '--kubeconfig', fx.fed.kubeconfigPath, '--host-context', 'cluster1', '--request-timeout', '120s'], { cwd: root });
    let stdout = '';
    let stderr = '';
    let sent = 0;
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      void exited.then(() => resolve());
      child.stderr.on('data', (d) => {
        stderr += d;
        // cluster1 and cluster3 are done (11 objects each); cluster2 hangs.
        if (!sent && (stderr.match(/^\[\d+\/33\]/gm) ?? []).length >= 22) {
          sent = Date.now();
          child.kill('SIGINT');
          resolve();
        }
      });
    });
    const code = await exited;
    assert.ok(Date.now() - sent < 5000, `exited ${Date.now() - sent} ms after SIGINT`);
    assert.equal(code, 130, stderr);
    assert.match(stderr, /cancelling/);
    assert.match(stdout, /cluster2 +cancelled/);
    assert.match(stdout, /cluster3 +created/);
    assert.match(stdout, /\(cancelled\)$/m);
  } finally {
    resumeCluster(pid);
    rmSync(dir, { recursive: true, force: true });
  }
});

// Last: this kills cluster3 for the rest of the file.
test('one cluster stopped mid-run: the others finish and every outcome is reported', async () => {
  const ns = uniqueName('chaos');
  const docs = [fedNamespace(ns), ...Array.from({ length: 40 }, (_, i) => fedConfigMap(ns, `cm${i}`, { i: String(i) }))];
  let seen3 = 0;
  let killing: Promise<void> | undefined;
  const t0 = Date.now();
  const r = await push(
    { 'a.yaml': yamlDocs(...docs) },
    {
      concurrency: 2,
      timeoutMs: 5000,
      onProgress: (e) => {
        if (e.cluster === 'cluster3' && e.outcome?.result === 'created' && ++seen3 === 5) killing = killCluster(fx.fed, 'cluster3');
      },
    },
  );
  await killing;
  assert.ok(killing, 'cluster3 was killed during the run');
  assert.ok(Date.now() - t0 < 30_000);
  assert.equal(r.failed, true);
  const by = (c: string) => r.outcomes.filter((o) => o.cluster === c);
  for (const c of ['cluster1', 'cluster2']) {
    assert.equal(by(c).length, 41);
    assert.ok(by(c).every((o) => o.result === 'created'), `${c}: ${JSON.stringify(by(c).filter((o) => o.result !== 'created'))}`);
    const list = await fx.fed.request(c, 'GET', `/api/v1/namespaces/${ns}/configmaps?labelSelector=kubefed.io%2Fmanaged%3Dtrue`);
    assert.equal(list.json().items.length, 40);
  }
  const c3 = by('cluster3');
  assert.equal(c3.length, 41, 'every object of the stopped cluster has an outcome');
  const created = c3.filter((o) => o.result === 'created').length;
  const failed = c3.filter((o) => o.result === 'failed');
  assert.ok(created >= 5 && created < 41, `created ${created}`);
  assert.equal(created + failed.length, 41);
  for (const o of failed) {
    assert.ok(['ClusterNotReady', 'CreationFailed'].includes(o.status), JSON.stringify(o));
    assert.equal(o.reason, 'Unreachable');
  }
  assert.equal(r.clusters.find((c) => c.name === 'cluster3')?.reachable, false);
});
