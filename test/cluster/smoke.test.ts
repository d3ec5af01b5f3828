/**
 * Smoke test of the local federation: three real kube-apiservers (one etcd) started by
 * test/clusters/launcher.ts, driven through @kubernetes/client-node exactly as the extension
 * and the CLI will drive a user's clusters.
 *
 *   node --test --import tsx test/cluster/smoke.test.ts
 *
 * If the binaries are missing they are built first (several minutes from cold); if that is
 * impossible (no `go`), before() fails and every test fails with a message naming `go`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
  type V1Deployment,
} from '@kubernetes/client-node';
import { parse } from 'yaml';
import { binaryPaths } from '../clusters/launcher.ts';
import { freshNamespace, uniqueName, useFederation } from '../clusters/fixtures.ts';

const fx = useFederation();
const CLUSTERS = ['cluster1', 'cluster2', 'cluster3'];

/** Asserts that `p` rejects with an HTTP status `code` (client-node's ApiException.code). */
async function rejectsWith(p: Promise<unknown>, code: number, what: string): Promise<void> {
  await assert.rejects(p, (err: any) => {
    assert.equal(err?.code, code, `${what}: expected HTTP ${code}, got ${err?.code}: ${String(err?.message).slice(0, 300)}`);
    return true;
  });
}

function deployment(name: string, namespace: string, image = 'nginx:1.27'): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

test('three clusters with the pinned Kubernetes version and one kubeconfig', async () => {
  const fed = fx.fed;
  assert.deepEqual(fed.contexts, CLUSTERS);
  assert.equal(fed.hostCluster, 'cluster1');
  assert.equal(fed.version, binaryPaths().k8sVersion);
  const ports = new Set(fed.clusters.map((c) => c.port));
  assert.equal(ports.size, 3, 'every apiserver has its own port');

  const kc = parse(readFileSync(fed.kubeconfigPath, 'utf8'));
  assert.equal(kc['current-context'], 'cluster1');
  assert.deepEqual(kc.contexts.map((c: any) => c.name), CLUSTERS);
  for (const c of kc.clusters) {
    assert.match(c.cluster.server, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(c.cluster['certificate-authority-data'], 'CA data embedded');
  }
  for (const u of kc.users) assert.ok(u.user['client-certificate-data'] && u.user['client-key-data']);

  for (const name of CLUSTERS) {
    const res = await fed.request(name, 'GET', '/version');
    assert.equal(res.status, 200);
    assert.equal(res.json().gitVersion, fed.version, `${name} /version`);
    const ready = await fed.request(name, 'GET', '/readyz');
    assert.equal(ready.status, 200);
    // The bootstrap namespaces exist (created by the apiserver itself).
    const ns = await fx.api(name, CoreV1Api).listNamespace();
    const names = ns.items.map((n) => n.metadata?.name);
    for (const n of ['default', 'kube-system', 'kube-public']) assert.ok(names.includes(n), `${name} has ${n}`);
  }
});

test('the clusters are isolated from each other (separate etcd prefixes)', async () => {
  const ns = await freshNamespace(fx.fed, 'isolation');
  const name = uniqueName('only-in-2');
  await fx.api('cluster2', CoreV1Api).createNamespacedConfigMap({
    namespace: ns,
    body: { metadata: { name }, data: { where: 'cluster2' } },
  });
  const got = await fx.api('cluster2', CoreV1Api).readNamespacedConfigMap({ name, namespace: ns });
  assert.equal(got.data?.where, 'cluster2');
  for (const other of ['cluster1', 'cluster3']) {
    await rejectsWith(fx.api(other, CoreV1Api).readNamespacedConfigMap({ name, namespace: ns }), 404, other);
  }
  // A namespace created only in cluster3 is unknown to cluster1.
  const lonely = await freshNamespace(fx.fed, 'lonely', ['cluster3']);
  await rejectsWith(fx.api('cluster1', CoreV1Api).readNamespace({ name: lonely }), 404, 'cluster1 namespace');
});

for (const cluster of CLUSTERS) {
  test(`${cluster}: create, read, update, delete of ConfigMap, Secret, Service and Deployment`, async () => {
    const core = fx.api(cluster, CoreV1Api);
    const apps = fx.api(cluster, AppsV1Api);
    const ns = await freshNamespace(fx.fed, `crud-${cluster}`, [cluster]);

    // ConfigMap
    const cm = await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'settings' }, data: { color: 'blue' } },
    });
    assert.ok(cm.metadata?.uid && cm.metadata.resourceVersion);
    cm.data = { color: 'green', size: 'L' };
    const cm2 = await core.replaceNamespacedConfigMap({ name: 'settings', namespace: ns, body: cm });
    assert.notEqual(cm2.metadata?.resourceVersion, cm.metadata?.resourceVersion);
    assert.deepEqual((await core.readNamespacedConfigMap({ name: 'settings', namespace: ns })).data, {
      color: 'green',
      size: 'L',
    });
    // A stale resourceVersion is a conflict: real optimistic concurrency.
    await rejectsWith(core.replaceNamespacedConfigMap({ name: 'settings', namespace: ns, body: cm }), 409, 'stale update');
    await core.deleteNamespacedConfigMap({ name: 'settings', namespace: ns });
    await rejectsWith(core.readNamespacedConfigMap({ name: 'settings', namespace: ns }), 404, 'deleted configmap');

    // Secret: stringData is converted to base64 data by the server.
    await core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: 'creds' }, type: 'Opaque', stringData: { password: 's3cret' } },
    });
    const secret = await core.readNamespacedSecret({ name: 'creds', namespace: ns });
    assert.equal(Buffer.from(secret.data!.password!, 'base64').toString(), 's3cret');
    assert.equal(secret.stringData, undefined);
    await core.patchNamespacedSecret(
      { name: 'creds', namespace: ns, body: { data: { token: Buffer.from('abc').toString('base64') } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const patched = await core.readNamespacedSecret({ name: 'creds', namespace: ns });
    assert.equal(Buffer.from(patched.data!.token!, 'base64').toString(), 'abc');
    assert.ok(patched.data!.password, 'a patch keeps the other keys');
    await core.deleteNamespacedSecret({ name: 'creds', namespace: ns });
    await rejectsWith(core.readNamespacedSecret({ name: 'creds', namespace: ns }), 404, 'deleted secret');

    // Service: the apiserver allocates a ClusterIP from this cluster's own range.
    const svc = await core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 as any }] } },
    });
    const index = CLUSTERS.indexOf(cluster);
    assert.match(svc.spec?.clusterIP ?? '', new RegExp(`^10\\.${96 + index}\\.\\d+\\.\\d+$`), 'ClusterIP from the range');
    assert.equal(svc.spec?.type, 'ClusterIP');
    svc.spec!.ports![0]!.port = 8081;
    const svc2 = await core.replaceNamespacedService({ name: 'web', namespace: ns, body: svc });
    assert.equal(svc2.spec?.ports?.[0]?.port, 8081);
    assert.equal(svc2.spec?.clusterIP, svc.spec?.clusterIP, 'ClusterIP is kept on update');
    await core.deleteNamespacedService({ name: 'web', namespace: ns });
    await rejectsWith(core.readNamespacedService({ name: 'web', namespace: ns }), 404, 'deleted service');

    // Deployment: stored and defaulted; invalid ones are rejected by real validation.
    const dep = await apps.createNamespacedDeployment({ namespace: ns, body: deployment('web', ns) });
    assert.equal(dep.spec?.strategy?.type, 'RollingUpdate', 'defaulted by the apiserver');
    assert.equal(dep.spec?.template.spec?.containers[0]?.imagePullPolicy, 'IfNotPresent');
    dep.spec!.replicas = 5;
    await apps.replaceNamespacedDeployment({ name: 'web', namespace: ns, body: dep });
    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: ns });
    assert.equal(scale.spec?.replicas, 5);
    const bad = deployment('bad', ns);
    bad.spec!.selector = { matchLabels: { app: 'other' } };
    await rejectsWith(apps.createNamespacedDeployment({ namespace: ns, body: bad }), 422, 'selector mismatch');
    await apps.deleteNamespacedDeployment({ name: 'web', namespace: ns });
    await rejectsWith(apps.readNamespacedDeployment({ name: 'web', namespace: ns }), 404, 'deleted deployment');
    const list = await apps.listNamespacedDeployment({ namespace: ns });
    assert.equal(list.items.length, 0);
  });

  test(`${cluster}: namespace lifecycle (deleted namespaces stay Terminating without controllers)`, async () => {
    const core = fx.api(cluster, CoreV1Api);
    const name = uniqueName('ns-crud');
    const created = await core.createNamespace({ body: { metadata: { name, labels: { team: 'a' } } } });
    assert.equal(created.status?.phase, 'Active');
    created.metadata!.labels = { team: 'b' };
    await core.replaceNamespace({ name, body: created });
    assert.equal((await core.readNamespace({ name })).metadata?.labels?.team, 'b');
    await core.deleteNamespace({ name });
    const after = await core.readNamespace({ name });
    assert.equal(after.status?.phase, 'Terminating');
    assert.ok(after.metadata?.deletionTimestamp, 'deletionTimestamp set');
    // Creating objects in a terminating namespace is forbidden.
    await rejectsWith(
      core.createNamespacedConfigMap({ namespace: name, body: { metadata: { name: 'late' } } }),
      403,
      'create in terminating namespace',
    );
  });

  test(`${cluster}: custom resources (a CRD installed in the test)`, async () => {
    const ext = fx.api(cluster, ApiextensionsV1Api);
    const custom = fx.api(cluster, CustomObjectsApi);
    const group = `${uniqueName('smoke')}.kubefed-tools.test`;
    const crdName = `widgets.${group}`;
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: crdName },
        spec: {
          group,
          names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      required: ['size'],
                      properties: { size: { type: 'integer', minimum: 1 }, color: { type: 'string' } },
                    },
                  },
                },
              },
            },
          ],
        },
      },
    });
    // Wait until the CRD is established and served.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const crd = await ext.readCustomResourceDefinition({ name: crdName });
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      assert.ok(Date.now() < deadline, 'CRD established within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const ns = await freshNamespace(fx.fed, 'cr', [cluster]);
    const base = { group, version: 'v1', namespace: ns, plural: 'widgets' };
    let created: any;
    for (let i = 0; ; i++) {
      try {
        created = await custom.createNamespacedCustomObject({
          ...base,
          body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3, color: 'red' } },
        });
        break;
      } catch (err: any) {
        // Right after Established the new resource can briefly be 404 on some apiservers.
        if (err?.code !== 404 || i > 50) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.equal(created.spec.size, 3);
    const read: any = await custom.getNamespacedCustomObject({ ...base, name: 'w1' });
    assert.equal(read.spec.color, 'red');
    read.spec.size = 7;
    const updated: any = await custom.replaceNamespacedCustomObject({ ...base, name: 'w1', body: read });
    assert.equal(updated.spec.size, 7);
    // The CRD's schema is enforced.
    await rejectsWith(
      custom.createNamespacedCustomObject({
        ...base,
        body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w2' }, spec: { size: 0 } },
      }),
      422,
      'schema minimum',
    );
    await custom.deleteNamespacedCustomObject({ ...base, name: 'w1' });
    await rejectsWith(custom.getNamespacedCustomObject({ ...base, name: 'w1' }), 404, 'deleted widget');
  });

  test(`${cluster}: server-side apply and server-side dry-run`, async () => {
    const objects = fx.objects(cluster);
    const apps = fx.api(cluster, AppsV1Api);
    const ns = await freshNamespace(fx.fed, `ssa-${cluster}`, [cluster]);
    const applyPatch = (obj: KubernetesObject, manager: string, force = false, dryRun?: string) =>
      objects.patch(obj, undefined, dryRun, manager, force, PatchStrategy.ServerSideApply);

    // Apply creates.
    const first = (await applyPatch(deployment('api', ns) as KubernetesObject, 'kfed-smoke')) as V1Deployment;
    assert.equal(first.spec?.replicas, 2);
    const managers = first.metadata?.managedFields?.map((m) => `${m.manager}/${m.operation}`) ?? [];
    assert.ok(managers.includes('kfed-smoke/Apply'), `managedFields: ${managers.join(', ')}`);

    // Apply again with a change updates.
    const changed = deployment('api', ns, 'nginx:1.28');
    const second = (await applyPatch(changed as KubernetesObject, 'kfed-smoke')) as V1Deployment;
    assert.equal(second.spec?.template.spec?.containers[0]?.image, 'nginx:1.28');

    // Another manager changing an owned field conflicts unless it forces.
    const rival = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: ns }, spec: { replicas: 9 } };
    await rejectsWith(applyPatch(rival, 'rival'), 409, 'apply conflict');
    const forced = (await applyPatch(rival, 'rival', true)) as V1Deployment;
    assert.equal(forced.spec?.replicas, 9);

    // Dry-run apply: answered as if applied, nothing stored.
    const dry = (await applyPatch(deployment('api', ns, 'nginx:dry') as KubernetesObject, 'kfed-smoke', true, 'All')) as V1Deployment;
    assert.equal(dry.spec?.template.spec?.containers[0]?.image, 'nginx:dry');
    const stored = await apps.readNamespacedDeployment({ name: 'api', namespace: ns });
    assert.equal(stored.spec?.template.spec?.containers[0]?.image, 'nginx:1.28');

    // Dry-run create: validated and defaulted, not stored.
    const dryCreated = await apps.createNamespacedDeployment({ namespace: ns, body: deployment('ghost', ns), dryRun: 'All' });
    assert.equal(dryCreated.metadata?.name, 'ghost');
    assert.equal(dryCreated.spec?.strategy?.type, 'RollingUpdate');
    await rejectsWith(apps.readNamespacedDeployment({ name: 'ghost', namespace: ns }), 404, 'dry-run object not stored');
    // Dry-run still validates.
    const bad = deployment('bad', ns);
    bad.spec!.replicas = -1;
    await rejectsWith(apps.createNamespacedDeployment({ namespace: ns, body: bad, dryRun: 'All' }), 422, 'dry-run validation');
    // Dry-run delete keeps the object.
    await apps.deleteNamespacedDeployment({ name: 'api', namespace: ns, dryRun: 'All' });
    await apps.readNamespacedDeployment({ name: 'api', namespace: ns });
  });
}

test('cluster1 is the KubeFed host: CRDs, namespace and one KubeFedCluster per member', async () => {
  const fed = fx.fed;
  const custom = fx.api('cluster1', CustomObjectsApi);
  const list: any = await custom.listNamespacedCustomObject({
    group: 'core.kubefed.io',
    version: 'v1beta1',
    namespace: 'kube-federation-system',
    plural: 'kubefedclusters',
  });
  const byName = new Map<string, any>(list.items.map((i: any) => [i.metadata.name, i]));
  assert.deepEqual([...byName.keys()].sort(), CLUSTERS);
  const regions: Record<string, string> = { cluster1: 'us-east', cluster2: 'eu-west', cluster3: 'us-west' };
  for (const c of fed.clusters) {
    const kfc = byName.get(c.name);
    assert.equal(kfc.spec.apiEndpoint, c.server);
    assert.equal(kfc.metadata.labels.region, regions[c.name]);
    assert.ok(kfc.spec.secretRef.name);
    // The joined secret's token really authenticates against that member.
    const secret = await fx.api('cluster1', CoreV1Api).readNamespacedSecret({
      name: kfc.spec.secretRef.name,
      namespace: 'kube-federation-system',
    });
    const token = Buffer.from(secret.data!.token!, 'base64').toString();
    const res = await fetchWithToken(c.port, token, fed.credentials.ca);
    assert.equal(res, 200, `token of ${c.name} works`);
  }
  // Label selection as KubeFed placement does it.
  const usClusters: any = await custom.listNamespacedCustomObject({
    group: 'core.kubefed.io',
    version: 'v1beta1',
    namespace: 'kube-federation-system',
    plural: 'kubefedclusters',
    labelSelector: 'region in (us-east,us-west)',
  });
  assert.deepEqual(usClusters.items.map((i: any) => i.metadata.name).sort(), ['cluster1', 'cluster3']);

  // The federated types exist only in the host.
  const ext = (name: string) => fx.api(name, ApiextensionsV1Api);
  for (const crd of [
    'kubefedclusters.core.kubefed.io',
    'federatedtypeconfigs.core.kubefed.io',
    'kubefedconfigs.core.kubefed.io',
    'replicaschedulingpreferences.scheduling.kubefed.io',
    'federateddeployments.types.kubefed.io',
    'federatedconfigmaps.types.kubefed.io',
    'federatedsecrets.types.kubefed.io',
    'federatedservices.types.kubefed.io',
    'federatednamespaces.types.kubefed.io',
  ]) {
    await ext('cluster1').readCustomResourceDefinition({ name: crd });
    await rejectsWith(ext('cluster2').readCustomResourceDefinition({ name: crd }), 404, `${crd} in cluster2`);
  }
  const ftcs: any = await custom.listNamespacedCustomObject({
    group: 'core.kubefed.io',
    version: 'v1beta1',
    namespace: 'kube-federation-system',
    plural: 'federatedtypeconfigs',
  });
  assert.ok(ftcs.items.some((f: any) => f.metadata.name === 'deployments.apps' && f.spec.propagation === 'Enabled'));
});

test('cluster1: a FederatedDeployment can be created, read, updated and deleted', async () => {
  const ns = await freshNamespace(fx.fed, 'fed', ['cluster1']);
  const custom = fx.api('cluster1', CustomObjectsApi);
  const base = { group: 'types.kubefed.io', version: 'v1beta1', namespace: ns, plural: 'federateddeployments' };
  const template = deployment('web', ns);
  delete (template as any).apiVersion;
  delete (template as any).kind;
  delete (template as any).metadata;
  const body = {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedDeployment',
    metadata: { name: 'web', namespace: ns },
    spec: {
      template,
      placement: { clusterSelector: { matchLabels: { region: 'us-east' } } },
      overrides: [{ clusterName: 'cluster2', clusterOverrides: [{ path: '/spec/replicas', value: 5 }] }],
    },
  };
  const created: any = await custom.createNamespacedCustomObject({ ...base, body });
  assert.equal(created.spec.template.spec.replicas, 2, 'template kept as is (preserve-unknown-fields)');
  created.spec.placement = { clusters: [{ name: 'cluster1' }, { name: 'cluster3' }] };
  const updated: any = await custom.replaceNamespacedCustomObject({ ...base, name: 'web', body: created });
  assert.deepEqual(updated.spec.placement.clusters, [{ name: 'cluster1' }, { name: 'cluster3' }]);
  const read: any = await custom.getNamespacedCustomObject({ ...base, name: 'web' });
  assert.equal(read.spec.overrides[0].clusterOverrides[0].value, 5);
  // The schema rejects a malformed placement (clusters entries need a name).
  await rejectsWith(
    custom.createNamespacedCustomObject({
      ...base,
      body: { ...body, metadata: { name: 'bad', namespace: ns }, spec: { ...body.spec, placement: { clusters: [{}] } } },
    }),
    422,
    'placement schema',
  );
  await custom.deleteNamespacedCustomObject({ ...base, name: 'web' });
  await rejectsWith(custom.getNamespacedCustomObject({ ...base, name: 'web' }), 404, 'deleted FederatedDeployment');
});

test('memory of the running federation is reported', () => {
  const mem = fx.fed.memory();
  assert.deepEqual(Object.keys(mem).sort(), ['cluster1', 'cluster2', 'cluster3', 'etcd']);
  for (const [name, bytes] of Object.entries(mem)) assert.ok(bytes > 10 * 1024 * 1024, `${name} RSS ${bytes}`);
  const total = Object.values(mem).reduce((a, b) => a + b, 0);
  console.error(
    `[smoke] RSS: ${Object.entries(mem).map(([k, v]) => `${k} ${(v / 2 ** 20).toFixed(0)} MiB`).join(', ')}; total ${(total / 2 ** 20).toFixed(0)} MiB`,
  );
});

async function fetchWithToken(port: number, token: string, ca: string): Promise<number> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api/v1/namespaces', ca, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
