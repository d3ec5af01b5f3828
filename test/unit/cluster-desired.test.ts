import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { Workspace } from '../../server/engine/workspace.ts';
import { applyBody, desiredFor, FEDERATED_RESOURCE_ANNOTATION, resourceKeyOf, retainedFields, targetRefOf } from '../../server/cluster/desired.ts';
import { changes, maskSecrets, normalize } from '../../server/cluster/normalize.ts';
import { failureOf, hintFor, KUBEFED_STATUSES } from '../../server/cluster/status.ts';
import { ApiError } from '../../server/cluster/client.ts';

function workspace(...docs: object[]): Workspace {
  const ws = new Workspace();
  ws.setFile('a.yaml', docs.map((d) => '---\n' + stringify(d)).join(''));
  ws.setClusterSource('kubeconfig', ['c1', 'c2'].map((name) => ({ name, labels: {}, source: 'kubeconfig' as const })));
  return ws;
}

const fns = { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: 'ns', namespace: 'ns' }, spec: { placement: { clusterSelector: {} } } };
const fsvc = {
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedService',
  metadata: { name: 'web', namespace: 'ns' },
  spec: {
    template: { metadata: { labels: { app: 'web' } }, spec: { type: 'NodePort', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } },
    placement: { clusterSelector: {} },
    overrides: [{ clusterName: 'c2', clusterOverrides: [{ path: '/metadata/annotations', op: 'add', value: { 'from-override': 'yes' } }] }],
  },
};
const fdep = {
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedDeployment',
  metadata: { name: 'api', namespace: 'ns' },
  spec: {
    retainReplicas: true,
    template: { spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'a', image: 'x' }] } } } },
    placement: { clusterSelector: {} },
  },
};

const liveSvc = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'ns', resourceVersion: '42', annotations: { 'cloud/lb': 'abc' }, finalizers: ['service.kubernetes.io/load-balancer-cleanup'], labels: { app: 'web', 'kubefed.io/managed': 'true' } },
  spec: { type: 'NodePort', clusterIP: '10.0.0.7', clusterIPs: ['10.0.0.7'], ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 31000 }] },
};

test('apply body: retained fields are left to the cluster, resourceVersion kept, marks added', () => {
  const ws = workspace(fns, fsvc);
  const res = ws.resources().find((r) => r.kind === 'FederatedService')!;
  const created = ws.render(res, 'c1');
  const update = desiredFor(ws, res, 'c1', liveSvc);
  assert.ok(update.ok);
  // The engine's update path retains, exactly as KubeFed would write the object.
  assert.equal(update.object!.spec && (update.object!.spec as any).clusterIP, '10.0.0.7');
  assert.deepEqual((update.object!.metadata as any).annotations, { 'cloud/lb': 'abc' });
  const retained = retainedFields(created.object, update.object).map((c) => c.path).sort();
  assert.deepEqual(retained, ['/metadata/annotations', '/metadata/finalizers', '/spec/clusterIP', '/spec/clusterIPs', '/spec/ports/0/nodePort']);
  const body = applyBody(res, update.object!, created.object) as any;
  assert.equal(body.metadata.resourceVersion, '42', 'concurrency guard kept');
  assert.equal(body.spec.clusterIP, undefined);
  assert.equal(body.spec.clusterIPs, undefined);
  assert.equal(body.spec.ports[0].nodePort, undefined);
  assert.equal(body.metadata.finalizers, undefined);
  assert.deepEqual(body.metadata.annotations, { [FEDERATED_RESOURCE_ANNOTATION]: 'FederatedService/ns/web' });
  assert.equal(body.metadata.labels['kubefed.io/managed'], 'true');
  // An override that sets annotations is applied on top of retention: it stays in the body.
  const c2 = applyBody(res, desiredFor(ws, res, 'c2', liveSvc).object!, ws.render(res, 'c2').object) as any;
  assert.deepEqual(c2.metadata.annotations, { 'from-override': 'yes', [FEDERATED_RESOURCE_ANNOTATION]: 'FederatedService/ns/web' });
});

test('apply body: replicas under retainReplicas are applied with the live value', () => {
  const ws = workspace(fns, fdep);
  const res = ws.resources().find((r) => r.kind === 'FederatedDeployment')!;
  const live = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'ns', resourceVersion: '7', labels: { 'kubefed.io/managed': 'true' } }, spec: { replicas: 9 } };
  const body = applyBody(res, desiredFor(ws, res, 'c1', live).object!, ws.render(res, 'c1').object) as any;
  assert.equal(body.spec.replicas, 9);
  assert.equal(resourceKeyOf(res), 'FederatedDeployment/ns/api');
  assert.deepEqual(targetRefOf(res, ws.render(res, 'c1')), { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'api' });
  // Create path: no live object, the template's replicas.
  assert.equal((applyBody(res, ws.render(res, 'c1').object!) as any).spec.replicas, 2);
});

test('v1alpha1 namespaces get apiVersion, kind and no namespace field', () => {
  const ws = workspace(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old', labels: { a: 'b' } } },
    { apiVersion: 'core.federation.k8s.io/v1alpha1', kind: 'FederatedNamespacePlacement', metadata: { name: 'old', namespace: 'old' }, spec: { clusterNames: ['c1'] } },
  );
  const res = ws.resources().find((r) => r.era === 'v1alpha1')!;
  const body = applyBody(res, ws.render(res, 'c1').object!) as any;
  assert.equal(body.apiVersion, 'v1');
  assert.equal(body.kind, 'Namespace');
  assert.equal(body.metadata.namespace, undefined);
  assert.equal(body.metadata.labels['kubefed.io/managed'], 'true');
  assert.equal(body.metadata.labels.a, 'b');
});

test('normalize strips what the server owns; changes are JSON pointers; Secrets are masked', () => {
  const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', uid: 'u', resourceVersion: '1', generation: 2, creationTimestamp: 't', managedFields: [{}] }, data: { 'a/b': '1' }, status: { x: 1 } };
  assert.deepEqual(normalize(live), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { 'a/b': '1' } });
  assert.deepEqual(changes({ data: { 'a/b': '1', k: [1, 2] } }, { data: { 'a/b': '2', k: [1, 3], n: true } }), [
    { path: '/data/a~1b', desired: '1', live: '2' },
    { path: '/data/k/1', desired: 2, live: 3 },
    { path: '/data/n', live: true },
  ]);
  const [d, l] = maskSecrets({ kind: 'Secret', apiVersion: 'v1', data: { same: 'QQ==', diff: 'Qg==' } }, { kind: 'Secret', apiVersion: 'v1', data: { same: 'QQ==', diff: 'Qw==' } });
  assert.deepEqual(d!.data, { same: '***', diff: '*** (desired)' });
  assert.deepEqual(l!.data, { same: '***', diff: '*** (live)' });
});

test('every KubeFed status and reason has something to say; errors map to statuses', () => {
  for (const s of KUBEFED_STATUSES) if (s) assert.ok(hintFor(s, undefined, { cluster: 'c1' }).length > 10, s);
  for (const r of ['Conflict', 'Modified', 'Forbidden', 'Unauthorized', 'Invalid', 'NamespaceMissing', 'TypeNotServed', 'Unreachable', 'Timeout', 'Cancelled', 'NoContext', 'Unmanaged']) {
    assert.ok(hintFor('UpdateFailed', r, { cluster: 'c1' }).length > 10, r);
  }
  const http = (status: number, message: string) => new ApiError('http', message, status);
  assert.deepEqual([failureOf('create', http(422, 'bad')).status, failureOf('create', http(422, 'bad')).reason], ['CreationFailed', 'Invalid']);
  assert.equal(failureOf('update', http(409, 'the object has been modified')).reason, 'Modified');
  assert.equal(failureOf('create', http(404, 'namespaces "x" not found')).reason, 'NamespaceMissing');
  assert.equal(failureOf('delete', http(500, 'etcd')).status, 'DeletionFailed');
  assert.equal(failureOf('removeManagedLabel', new ApiError('timeout', 't')).status, 'LabelRemovalTimedOut');
  assert.equal(failureOf('read', new ApiError('auth', 'no', 401)).status, 'ClusterNotReady');
});
