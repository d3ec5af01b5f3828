import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/engine/workspace.ts';
import { convertResource } from '../../server/engine/convert.ts';

function resources(text: string) {
  const w = new Workspace();
  w.setFile('a.yaml', text);
  return w.analysis().resources;
}

test('convertResource: template without identity, clusterNames as clusters, first override per cluster', () => {
  const [res] = resources(`apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedDeployment
metadata: {name: web, namespace: demo, labels: {app: web}}
spec:
  template:
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: demo, annotations: {a: b}}
    spec: {replicas: 1}
---
apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedDeploymentPlacement
metadata: {name: web, namespace: demo}
spec:
  clusterNames: [c1, c2]
---
apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedDeploymentOverride
metadata: {name: web, namespace: demo}
spec:
  overrides:
  - {clusterName: c2, replicas: 3}
  - {clusterName: c2, replicas: 4}
  - {clusterName: c1}
`);
  const conv = convertResource(res);
  assert.deepEqual(conv.object, {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedDeployment',
    metadata: { name: 'web', namespace: 'demo', labels: { app: 'web' } },
    spec: {
      template: { metadata: { annotations: { a: 'b' } }, spec: { replicas: 1 } },
      placement: { clusters: [{ name: 'c1' }, { name: 'c2' }] },
      overrides: [{ clusterName: 'c2', clusterOverrides: [{ path: '/spec/replicas', value: 3 }] }],
    },
  });
  assert.equal(conv.sources.length, 3);
  assert.deepEqual(
    conv.warnings.map((w) => w.message.split(' ').slice(0, 4).join(' ')),
    ['Template annotations are dropped', 'A second override entry'],
  );
});

test('convertResource: a v1alpha1 namespace keeps its labels; without placement a deployment goes nowhere', () => {
  const all = resources(`apiVersion: v1
kind: Namespace
metadata: {name: demo, labels: {team: a}, annotations: {x: y}}
---
apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedNamespacePlacement
metadata: {name: demo}
spec: {}
---
apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedDeployment
metadata: {name: web, namespace: demo}
spec: {}
`);
  const ns = convertResource(all.find((r) => r.targetKind === 'Namespace')!);
  assert.deepEqual(ns.object.spec, { template: { metadata: { labels: { team: 'a' } } }, placement: { clusters: [] } });
  assert.equal(ns.object.kind, 'FederatedNamespace');
  assert.deepEqual(ns.object.metadata, { name: 'demo', namespace: 'demo' });
  assert.deepEqual(ns.warnings.map((w) => w.message.split(' ')[0] + ' ' + w.message.split(' ')[1]), ['Namespace annotations', 'FederatedNamespacePlacement has']);
  const web = convertResource(all.find((r) => r.targetKind === 'Deployment')!);
  assert.deepEqual(web.object.spec, { template: {}, placement: { clusters: [] } });
  assert.deepEqual(web.warnings.map((w) => w.message.split(' ').slice(0, 3).join(' ')), ['The template has', 'No FederatedDeploymentPlacement found:']);
});
