import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import fc from 'fast-check';
import { Workspace } from '../../server/engine/workspace.ts';
import { hostApplyPlan, prunedHostObjects, APPLIED_SET_LABEL, CREATED_FOR_ANNOTATION, createdNamespace } from '../../server/engine/hostApply.ts';
import { hostStatusOf, hostStatusHint, hostClusterHint, hostDifferences } from '../../server/engine/hostStatus.ts';
import type { JsonObject } from '../../server/engine/json.ts';
import { isLeaderFresh, leaderRecordOf, LEADER_ANNOTATION } from '../../server/engine/leader.ts';

function ws(...docs: object[]): Workspace {
  const w = new Workspace();
  w.setFile('a.yaml', docs.map((d) => '---\n' + stringify(d)).join(''));
  return w;
}

const fns = { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: 'demo', namespace: 'demo' }, spec: { placement: { clusterSelector: {} } } };
const fcm = (name: string, ns = 'demo') => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedConfigMap',
  metadata: { name, namespace: ns, resourceVersion: '7', uid: 'u' },
  spec: { template: { data: { a: '1' } }, placement: { clusters: [{ name: 'cluster1' }] } },
  status: { observedGeneration: 1 },
});
const rsp = { apiVersion: 'scheduling.kubefed.io/v1alpha1', kind: 'ReplicaSchedulingPreference', metadata: { name: 'web', namespace: 'demo' }, spec: { targetKind: 'FederatedDeployment', totalReplicas: 3 } };
const kfc = { apiVersion: 'core.kubefed.io/v1beta1', kind: 'KubeFedCluster', metadata: { name: 'cluster1', namespace: 'kube-federation-system' }, spec: { apiEndpoint: 'https://x', secretRef: { name: 's' } } };
const plainCm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', namespace: 'demo' }, data: {} };
const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'given' } };

test('host apply plan: order, server fields and status dropped, the apply-set label, what is skipped', () => {
  const plan = hostApplyPlan(ws(rsp, fcm('app'), kfc, plainCm, fns, ns).analysis(), { set: 'team-a' });
  assert.deepEqual(plan.items.map((i) => i.ref.kind), ['Namespace', 'FederatedNamespace', 'FederatedConfigMap', 'ReplicaSchedulingPreference']);
  const cm = plan.items.find((i) => i.ref.kind === 'FederatedConfigMap')!;
  assert.equal(cm.object.status, undefined);
  assert.deepEqual(cm.object.metadata, { name: 'app', namespace: 'demo', labels: { [APPLIED_SET_LABEL]: 'team-a' } });
  assert.deepEqual(plan.skipped.map((s) => [s.ref.kind, /control-plane|not a federated/.test(s.why)]), [['KubeFedCluster', true], ['ConfigMap', true]]);
  assert.deepEqual(plan.namespaces, ['demo']);
  // the control plane only when asked
  const cp = hostApplyPlan(ws(kfc, fns).analysis(), { controlPlane: true });
  assert.deepEqual(cp.items.map((i) => i.ref.kind), ['KubeFedCluster', 'FederatedNamespace']);
  assert.deepEqual(cp.namespaces, ['demo', 'kube-federation-system']);
});

test('host apply plan: a namespace given as a Namespace object is not created again; a duplicate is skipped', () => {
  const given = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } };
  const plan = hostApplyPlan(ws(given, fcm('app'), fcm('app')).analysis());
  assert.deepEqual(plan.namespaces, []);
  assert.equal(plan.items.filter((i) => i.ref.kind === 'FederatedConfigMap').length, 1);
  assert.match(plan.skipped[0]!.why, /given twice/);
  const text = ws(given, fcm('app'), fcm('app')).getFile('a.yaml')!.text.split('\n');
  assert.equal(text[plan.skipped[0]!.line], 'apiVersion: types.kubefed.io/v1beta1');
  assert.ok(plan.skipped[0]!.line > plan.items.find((i) => i.ref.kind === 'FederatedConfigMap')!.line);
  assert.equal((createdNamespace('x').metadata as any).annotations[CREATED_FOR_ANNOTATION] !== undefined, true);
});

test('prune: only objects of the same apply set that the inputs no longer hold, never a Namespace', () => {
  const plan = hostApplyPlan(ws(fcm('kept')).analysis(), { set: 's' });
  const live = (name: string, set?: string, kind = 'FederatedConfigMap', apiVersion = 'types.kubefed.io/v1beta1') => ({
    apiVersion,
    kind,
    metadata: { name, namespace: kind === 'Namespace' ? undefined : 'demo', labels: set ? { [APPLIED_SET_LABEL]: set } : {} },
  });
  const gone = prunedHostObjects([live('kept', 's'), live('old', 's'), live('other-set', 't'), live('unlabelled'), live('demo', 's', 'Namespace', 'v1')] as any, plan, 's');
  assert.deepEqual(gone.map((r) => r.name), ['old']);
});

test('prune property: nothing outside the apply set, nothing the inputs hold', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd'), set: fc.option(fc.constantFrom('s', 't')) })), fc.subarray(['a', 'b', 'c', 'd']), (live, inputs) => {
      const plan = hostApplyPlan(ws(...inputs.map((n) => fcm(n))).analysis(), { set: 's' });
      const objs = live.map((l) => ({ apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedConfigMap', metadata: { name: l.name, namespace: 'demo', labels: l.set ? { [APPLIED_SET_LABEL]: l.set } : {} } }));
      for (const r of prunedHostObjects(objs as unknown as JsonObject[], plan, 's')) {
        assert.ok(!inputs.includes(r.name));
        assert.ok(live.some((l) => l.name === r.name && l.set === 's'));
      }
    }),
  );
});

const host = (status: object, generation = 2, spec: object = fcm('app').spec): JsonObject => ({ ...fcm('app'), metadata: { name: 'app', namespace: 'demo', generation }, spec, status }) as unknown as JsonObject;

test("host status: KubeFed's condition, clusters sorted, observed generation", () => {
  const ok = hostStatusOf(host({ observedGeneration: 2, conditions: [{ type: 'Propagation', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }], clusters: [{ name: 'cluster2' }, { name: 'cluster1' }] }), fcm('app'));
  assert.equal(ok.state, 'propagated');
  assert.deepEqual(ok.clusters, [{ name: 'cluster1', status: '' }, { name: 'cluster2', status: '' }]);
  assert.equal(ok.propagatedTo, 2);
  assert.deepEqual(ok.differs, []);
  const bad = hostStatusOf(host({ observedGeneration: 2, conditions: [{ type: 'Propagation', status: 'False', reason: 'CheckClusters' }], clusters: [{ name: 'cluster1' }, { name: 'cluster2', status: 'ApplyOverridesFailed' }] }));
  assert.equal(bad.state, 'failed');
  assert.equal(bad.propagatedTo, 1);
  assert.match(hostClusterHint('ApplyOverridesFailed', 'cluster2'), /override for cluster2/);
  const old = hostStatusOf(host({ observedGeneration: 1, conditions: [{ type: 'Propagation', status: 'True' }] }, 2));
  assert.equal(old.state, 'pending');
  assert.match(hostStatusHint(old, { kind: 'FederatedConfigMap', namespace: 'demo', name: 'app' }), /not seen your last change yet \(generation 2, observed 1\)/);
  const never = hostStatusOf(host({}, 1));
  assert.equal(never.state, 'pending');
  assert.match(hostStatusHint(never, { kind: 'K', namespace: '', name: 'n' }), /has not reconciled/);
  const nsnf = hostStatusOf(host({ observedGeneration: 2, conditions: [{ type: 'Propagation', status: 'False', reason: 'NamespaceNotFederated' }] }));
  assert.match(hostStatusHint(nsnf, { kind: 'FederatedConfigMap', namespace: 'demo', name: 'app' }), /no FederatedNamespace/);
  assert.equal(hostStatusOf(undefined).state, 'missing');
});

test('host differences: spec fields and metadata, ignoring nulls the server drops and our own label', () => {
  const mine = { ...fcm('app'), metadata: { name: 'app', labels: { x: '1' } }, spec: { template: { data: { a: '1', b: null } }, placement: { clusters: [] } } };
  const theirs = { metadata: { name: 'app', labels: { x: '1', [APPLIED_SET_LABEL]: 'default' } }, spec: { template: { data: { a: '1' } }, placement: { clusters: [] } } };
  assert.deepEqual(hostDifferences(mine as any, theirs as any), []);
  const edited = { ...theirs, spec: { ...theirs.spec, overrides: [{ clusterName: 'c' }] }, metadata: { name: 'app', annotations: { y: '2' } } };
  assert.deepEqual(hostDifferences(mine as any, edited as any), ['spec.overrides', 'metadata.labels', 'metadata.annotations']);
});

test('leader records: KubeFed ConfigMap lock and Lease, freshness within the lease duration', () => {
  const renew = '2026-12-03T10:00:00Z';
  const t = Date.parse(renew);
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations: { [LEADER_ANNOTATION]: JSON.stringify({ holderIdentity: 'host_abc', leaseDurationSeconds: 15, renewTime: renew }) } } };
  const rec = leaderRecordOf(cm)!;
  assert.deepEqual(rec, { holder: 'host_abc', leaseDurationSeconds: 15, renewTime: t, lock: 'configmap' });
  assert.ok(isLeaderFresh(rec, t + 10_000));
  assert.ok(!isLeaderFresh(rec, t + 30_000));
  const lease = { kind: 'Lease', spec: { holderIdentity: 'kfed-1', leaseDurationSeconds: 30, renewTime: '2026-12-03T10:00:00.000000Z' } };
  assert.equal(leaderRecordOf(lease)!.lock, 'lease');
  assert.ok(isLeaderFresh(leaderRecordOf(lease), t + 31_000));
  // released or broken records hold no leader
  assert.equal(leaderRecordOf({ kind: 'Lease', spec: { holderIdentity: '' } }), undefined);
  assert.equal(leaderRecordOf({ kind: 'ConfigMap', metadata: { annotations: { [LEADER_ANNOTATION]: '{not json' } } }), undefined);
  assert.equal(leaderRecordOf(null), undefined);
});

test('status hints: one table; with KubeFed acting, no hint tells the user to re-run this tool', async () => {
  const { KUBEFED_STATUSES, hintFor } = await import('../../server/engine/statusHints.ts');
  for (const s of KUBEFED_STATUSES) {
    const kubefed = hintFor(s, undefined, { cluster: 'c1' }, 'kubefed');
    const tool = hintFor(s, undefined, { cluster: 'c1' }, 'tool');
    assert.doesNotMatch(kubefed, /re-run|--adopt|--context-map|propagate to complete/, s);
    if (s && s !== 'WaitingForRemoval') assert.ok(kubefed.length > 10 && tool.length > 10, s);
  }
  assert.match(hintFor('AlreadyExists', undefined, { cluster: 'c1' }, 'kubefed'), /adoptResources/);
  assert.match(hintFor('AlreadyExists', undefined, { cluster: 'c1' }, 'tool'), /--adopt/);
  // A finer reason only this tool knows wins when it acts; KubeFed's status does not carry one.
  assert.match(hintFor('UpdateFailed', 'Forbidden', { cluster: 'c1', context: 'ctx' }), /RBAC/);
  assert.match(hintFor('UpdateFailed', 'Forbidden', { cluster: 'c1' }, 'kubefed'), /KubeFed could not write to c1/);
});
