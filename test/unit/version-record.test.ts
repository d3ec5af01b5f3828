/** The version record a controller keeps per federated object (KubeFed's VersionManager Get / Update). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordedFor, templateVersion, overrideVersion, versionRecord } from '../../server/engine/versions.ts';

const fcm = (data: Record<string, string>, overrides: unknown[] = []) => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedConfigMap',
  metadata: { name: 'web', namespace: 'ns1', uid: 'u-1' },
  spec: { template: { data }, placement: { clusters: [{ name: 'c1' }, { name: 'c2' }] }, overrides },
});

const stored = (obj: unknown, versions: [string, string][]) => ({
  apiVersion: 'core.kubefed.io/v1alpha1',
  kind: 'PropagatedVersion',
  metadata: { name: 'configmap-web', namespace: 'ns1', resourceVersion: '5' },
  status: { templateVersion: templateVersion(obj), overridesVersion: overrideVersion(obj), clusterVersions: versions.map(([clusterName, version]) => ({ clusterName, version })) },
});

test('a first record: named after the target kind, owned by the federated object, versions sorted', () => {
  const obj = fcm({ a: 'b' });
  const rec = versionRecord({ federatedObject: obj, targetKind: 'ConfigMap', stored: null, selectedClusters: ['c1', 'c2'], newVersions: { c2: 'rv:9', c1: 'rv:8' } })!;
  assert.deepEqual(rec.ref, { apiVersion: 'core.kubefed.io/v1alpha1', kind: 'PropagatedVersion', name: 'configmap-web', namespace: 'ns1' });
  assert.equal(rec.changed, true);
  assert.deepEqual(rec.status.clusterVersions, [{ clusterName: 'c1', version: 'rv:8' }, { clusterName: 'c2', version: 'rv:9' }]);
  assert.deepEqual((rec.object.metadata as any).ownerReferences, [{ apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedConfigMap', name: 'web', uid: 'u-1' }]);
  assert.match(rec.status.templateVersion, /^[0-9a-f]{32}$/);
});

test('nothing written this pass and the hashes match: unchanged, no write', () => {
  const obj = fcm({ a: 'b' });
  const rec = versionRecord({ federatedObject: obj, targetKind: 'ConfigMap', stored: stored(obj, [['c1', 'rv:8'], ['c2', 'rv:9']]), selectedClusters: ['c1', 'c2'], newVersions: {} })!;
  assert.equal(rec.changed, false);
  assert.deepEqual(recordedFor(obj, stored(obj, [['c1', 'rv:8']])), { c1: 'rv:8' });
});

test('a cluster no longer selected loses its version; an update replaces one', () => {
  const obj = fcm({ a: 'b' });
  const rec = versionRecord({ federatedObject: obj, targetKind: 'ConfigMap', stored: stored(obj, [['c1', 'rv:8'], ['c2', 'rv:9']]), selectedClusters: ['c1'], newVersions: { c1: 'rv:12' } })!;
  assert.equal(rec.changed, true);
  assert.deepEqual(rec.status.clusterVersions, [{ clusterName: 'c1', version: 'rv:12' }]);
});

test('a changed template invalidates what was recorded', () => {
  const before = fcm({ a: 'b' });
  const after = fcm({ a: 'c' });
  assert.deepEqual(recordedFor(after, stored(before, [['c1', 'rv:8']])), {});
  const rec = versionRecord({ federatedObject: after, targetKind: 'ConfigMap', stored: stored(before, [['c1', 'rv:8'], ['c2', 'rv:9']]), selectedClusters: ['c1', 'c2'], newVersions: { c1: 'rv:13' } })!;
  assert.deepEqual(rec.status.clusterVersions, [{ clusterName: 'c1', version: 'rv:13' }]);
  assert.notEqual(rec.status.templateVersion, stored(before, []).status.templateVersion);
});

test('a cluster-scoped federated object gets a ClusterPropagatedVersion', () => {
  const obj = { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedClusterRole', metadata: { name: 'reader', uid: 'u' }, spec: { template: {} } };
  const rec = versionRecord({ federatedObject: obj, targetKind: 'ClusterRole', stored: null, selectedClusters: [], newVersions: {} })!;
  assert.deepEqual(rec.ref, { apiVersion: 'core.kubefed.io/v1alpha1', kind: 'ClusterPropagatedVersion', name: 'clusterrole-reader' });
  assert.equal((rec.object.metadata as any).namespace, undefined);
});
