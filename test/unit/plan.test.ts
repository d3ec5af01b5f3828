import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { Workspace } from '../../server/engine/workspace.ts';
import { planCluster, planResource, pruneScope, prunedFor, statusOfPlans, type PlanPolicy } from '../../server/engine/plan.ts';
import type { FederatedResource } from '../../server/engine/resources.ts';
import type { JsonObject } from '../../server/engine/json.ts';

function workspace(...docs: object[]): Workspace {
  const ws = new Workspace();
  ws.setFile('a.yaml', docs.map((d) => '---\n' + stringify(d)).join(''));
  ws.setClusterSource('kubeconfig', ['c1', 'c2'].map((name) => ({ name, labels: {}, source: 'kubeconfig' as const })));
  return ws;
}

const fns = (clusters?: string[]) => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedNamespace',
  metadata: { name: 'ns', namespace: 'ns' },
  spec: { placement: clusters ? { clusters: clusters.map((name) => ({ name })) } : { clusterSelector: {} } },
});
const fcm = (clusters: string[], annotations?: Record<string, string>) => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedConfigMap',
  metadata: { name: 'cm', namespace: 'ns', ...(annotations ? { annotations } : {}) },
  spec: { template: { data: { a: '1' } }, placement: { clusters: clusters.map((name) => ({ name })) } },
});
const cm = (labels: Record<string, string> = {}, extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'ns', labels, resourceVersion: '7', ...extra },
  data: { a: 'live' },
});
const nsObj = (labels: Record<string, string> = {}): JsonObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', labels } });

const managed = { 'kubefed.io/managed': 'true' };
const onDemand: PlanPolicy = { adopt: false };

function res(ws: Workspace, kind: string): FederatedResource {
  const r = ws.resources().find((x) => x.kind === kind);
  assert.ok(r, kind);
  return r;
}

test('selected: absent → create, managed → update (on demand), unlabeled → AlreadyExists or adopt, managed=false → refused even with adopt', () => {
  const ws = workspace(fns(), fcm(['c1']));
  const r = res(ws, 'FederatedConfigMap');
  const plan = (object: JsonObject | null, policy = onDemand) => planCluster(r, { name: 'c1', object }, policy);
  assert.equal(plan(null).operation, 'create');
  assert.equal(plan(null).desired?.object?.data && (plan(null).desired!.object!.data as JsonObject).a, '1');
  const upd = plan(cm(managed));
  assert.deepEqual([upd.operation, upd.status, upd.adopting], ['update', '', false]);
  assert.equal((upd.desired!.object!.metadata as JsonObject).resourceVersion, '7', 'update path retains from the live object');
  const refused = plan(cm());
  assert.deepEqual([refused.operation, refused.status, refused.reason], ['none', 'AlreadyExists', 'Unmanaged']);
  assert.match(refused.message!, /without label kubefed.io\/managed=true/);
  const adopted = plan(cm(), { adopt: true });
  assert.deepEqual([adopted.operation, adopted.adopting], ['update', true]);
  // KubeFed checks adoptResources before the label: without adoption it is AlreadyExists.
  assert.deepEqual([plan(cm({ 'kubefed.io/managed': 'false' })).status], ['AlreadyExists']);
  const p = plan(cm({ 'kubefed.io/managed': 'false' }), { adopt: true });
  assert.deepEqual([p.operation, p.status], ['none', 'ManagedLabelFalse']);
});

test('an unlabeled or managed=false object with a failing override: the create path fails first, as KubeFed (whose caches hold only managed objects) reports', () => {
  const bad = { ...fcm(['c1']), spec: { ...fcm(['c1']).spec, overrides: [{ clusterName: 'c1', clusterOverrides: [{ op: 'remove', path: '/data/missing' }] }] } };
  const r = res(workspace(fns(), bad), 'FederatedConfigMap');
  const plan = (object: JsonObject | null, policy: PlanPolicy) => planCluster(r, { name: 'c1', object }, policy);
  for (const labels of [{}, { 'kubefed.io/managed': 'false' }] as Record<string, string>[]) {
    for (const adopt of [true, false]) {
      const p = plan(cm(labels), { adopt });
      assert.deepEqual([p.operation, p.status], ['none', 'ApplyOverridesFailed'], JSON.stringify({ labels, adopt }));
    }
  }
  // Managed: the update path, which fails the same way.
  assert.deepEqual([plan(cm(managed), { adopt: false }).status], ['ApplyOverridesFailed']);
});

test('recorded versions: a controller with the current version decides nothing', () => {
  const ws = workspace(fns(), fcm(['c1']));
  const r = res(ws, 'FederatedConfigMap');
  const live = cm(managed);
  const p = planCluster(r, { name: 'c1', object: live }, { adopt: false, recordedVersion: () => 'rv:7' });
  assert.deepEqual([p.operation, p.status], ['none', '']);
  assert.equal(planCluster(r, { name: 'c1', object: live }, { adopt: false, recordedVersion: () => 'rv:6' }).operation, 'update');
});

test('not selected: managed → delete with the deleteoption, also when orphan-annotated; unlabeled or absent → nothing listed', () => {
  const ws = workspace(fns(), fcm(['c1'], { 'kubefed.io/orphan': 'true', 'kubefed.io/deleteoption': '{"propagationPolicy":"Orphan"}' }));
  const r = res(ws, 'FederatedConfigMap');
  const del = planCluster(r, { name: 'c2', object: cm(managed) }, onDemand);
  assert.deepEqual([del.operation, del.status, del.deleteOptions], ['delete', 'WaitingForRemoval', { propagationPolicy: 'Orphan' }]);
  for (const object of [cm(), null]) {
    const p = planCluster(r, { name: 'c2', object }, onDemand);
    assert.deepEqual([p.operation, p.status], ['none', null]);
  }
  const dying = planCluster(r, { name: 'c2', object: cm(managed, { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['x/y'] }) }, onDemand);
  assert.deepEqual([dying.operation, dying.status, dying.finalizers], ['none', 'WaitingForRemoval', ['x/y']]);
});

test('a bad deleteoption is a DeletionFailed decision, nothing is deleted', () => {
  const ws = workspace(fns(), fcm(['c1'], { 'kubefed.io/deleteoption': '{not json' }));
  const p = planCluster(res(ws, 'FederatedConfigMap'), { name: 'c2', object: cm(managed) }, onDemand);
  assert.deepEqual([p.operation, p.status, p.reason], ['none', 'DeletionFailed', 'Invalid']);
});

test('host namespace: adopted without adopt, never deleted, only unlabeled (last)', () => {
  const ws = workspace(fns(['c2']));
  const r = res(ws, 'FederatedNamespace');
  const host = { adopt: false, hostCluster: 'c1' };
  const p = planCluster(r, { name: 'c1', object: nsObj(managed) }, host);
  assert.deepEqual([p.operation, p.status, p.last], ['removeManagedLabel', null, true]);
  assert.equal(planCluster(r, { name: 'c1', object: nsObj(managed) }, onDemand).operation, 'delete', 'elsewhere it is deleted');
  const ws2 = workspace(fns(['c1']));
  const adopt = planCluster(res(ws2, 'FederatedNamespace'), { name: 'c1', object: nsObj() }, host);
  assert.deepEqual([adopt.operation, adopt.adopting], ['update', true]);
  assert.equal(planCluster(res(ws2, 'FederatedNamespace'), { name: 'c1', object: nsObj() }, onDemand).status, 'AlreadyExists');
});

test('v1alpha1: the template Namespace in the host cluster is the template itself and never written', () => {
  const ws = workspace(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'legacy' } },
    { apiVersion: 'core.federation.k8s.io/v1alpha1', kind: 'FederatedNamespacePlacement', metadata: { name: 'legacy', namespace: 'legacy' }, spec: { clusterNames: ['c2'] } },
  );
  const r = ws.resources().find((x) => x.era === 'v1alpha1' && x.targetKind === 'Namespace');
  assert.ok(r);
  const live = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'legacy', uid: 'u1', labels: managed } };
  const host = { adopt: false, hostCluster: 'c1' };
  assert.equal(planCluster(r, { name: 'c1', object: live }, host).operation, 'none', 'not placed there, still not deleted');
  assert.equal(planCluster(r, { name: 'c2', object: live }, host).operation, 'update');
  assert.equal(planCluster(r, { name: 'c2', object: null }, host).operation, 'create');
});

test('unreadable cluster: a failure for selected clusters, nothing for the others; placement errors are never "placed nowhere"', () => {
  const ws = workspace(fns(), fcm(['c1']));
  const r = res(ws, 'FederatedConfigMap');
  const failure = { status: 'ClusterNotReady', reason: 'Unreachable', message: 'connection refused' };
  const [p1, p2] = planResource(r, [{ name: 'c1', object: null, failure }, { name: 'c2', object: cm(managed), failure }], onDemand);
  assert.deepEqual([p1!.operation, p1!.status, p1!.reason], ['none', 'ClusterNotReady', 'Unreachable']);
  assert.deepEqual([p2!.operation, p2!.status], ['none', null]);
  const bad = workspace(fns(), { ...fcm(['c1']), spec: { template: {}, placement: { clusterSelector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } } } });
  const p = planCluster(res(bad, 'FederatedConfigMap'), { name: 'c2', object: cm(managed) }, onDemand);
  assert.deepEqual([p.operation, p.status], ['none', 'ComputePlacementFailed']);
});

test('namespace not federated: reported, nothing deleted', () => {
  const ws = workspace(fcm(['c1']));
  const p = planCluster(res(ws, 'FederatedConfigMap'), { name: 'c2', object: cm(managed) }, onDemand);
  assert.deepEqual([p.operation, p.status], ['none', 'NamespaceNotFederated']);
});

test('prune: only annotated managed objects of resources not in the inputs, in scope, not already being deleted', () => {
  const ws = workspace(fns(), fcm(['c1']));
  const scope = pruneScope(ws.resources());
  const ann = (key: string) => ({ annotations: { 'kubefed-tools/federated-resource': key } });
  const ofType = { namespaced: true, isNamespace: false };
  const gone = { ...cm(managed), metadata: { name: 'x', namespace: 'ns', labels: managed, ...ann('FederatedConfigMap/ns/x') } };
  assert.equal(prunedFor(gone, scope, ofType), 'FederatedConfigMap/ns/x');
  assert.equal(prunedFor({ ...gone, metadata: { ...gone.metadata, namespace: 'other' } }, scope, ofType), undefined, 'out of scope');
  assert.equal(prunedFor({ ...gone, metadata: { ...gone.metadata, ...ann('FederatedConfigMap/ns/cm') } }, scope, ofType), undefined, 'still in the inputs');
  assert.equal(prunedFor({ ...gone, metadata: { name: 'x', namespace: 'ns', labels: managed } }, scope, ofType), undefined, 'not written by this tool');
  assert.equal(prunedFor({ ...gone, metadata: { ...gone.metadata, deletionTimestamp: 'now' } }, scope, ofType), undefined, 'already going');
});

test('verdicts of plans (what Compare shows for what Propagate does)', async () => {
  const { verdictOf, isReported } = await import('../../server/engine/plan.ts');
  const ws = workspace(fns(), fcm(['c1']));
  const r = res(ws, 'FederatedConfigMap');
  const v = (name: string, object: JsonObject | null, policy = onDemand) => verdictOf(planCluster(r, { name, object }, policy))?.verdict ?? null;
  assert.equal(v('c1', null), 'missing');
  assert.equal(v('c1', cm(managed)), 'compare');
  assert.equal(v('c1', cm()), 'compare', 'AlreadyExists: contents compared too');
  assert.equal(v('c1', cm({ 'kubefed.io/managed': 'false' }), { adopt: true }), 'error');
  assert.equal(v('c2', cm(managed)), 'unexpected');
  assert.equal(v('c2', cm()), null);
  assert.equal(v('c2', null), null);
  const failure = { status: 'ClusterNotReady', message: 'refused' };
  assert.equal(verdictOf(planCluster(r, { name: 'c1', object: null, failure }, onDemand))?.verdict, 'error');
  assert.equal(isReported(planCluster(r, { name: 'c2', object: null, failure }, onDemand)), false);
  const host = planCluster(res(workspace(fns(['c2'])), 'FederatedNamespace'), { name: 'c1', object: nsObj(managed) }, { adopt: false, hostCluster: 'c1' });
  assert.deepEqual([isReported(host), verdictOf(host)?.verdict], [true, 'unexpected']);
});

test('statusOfPlans: the Propagation reason and status.clusters KubeFed writes after the plans', () => {
  const ws = workspace(fns(), fcm(['c2']));
  const r = res(ws, 'FederatedConfigMap');
  const ok = planResource(r, [{ name: 'c2', object: null }, { name: 'c1', object: null }], onDemand);
  assert.deepEqual(statusOfPlans(ok), { reason: '', clusters: { c2: '' } }, 'c1 is not selected and holds nothing: not listed');
  const bad = planResource(r, [{ name: 'c1', object: null }, { name: 'c2', object: cm() }], onDemand);
  assert.deepEqual(statusOfPlans(bad), { reason: 'CheckClusters', clusters: { c2: 'AlreadyExists' } });
  // No FederatedNamespace: a resource-level reason, no cluster listed.
  const lone = res(workspace(fcm(['c1'])), 'FederatedConfigMap');
  assert.deepEqual(statusOfPlans(planResource(lone, [{ name: 'c1', object: null }], onDemand)), { reason: 'NamespaceNotFederated', clusters: {} });
});
