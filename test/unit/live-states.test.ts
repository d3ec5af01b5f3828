/**
 * The live-state pipeline from Propagate and Compare to the placement view (client/liveStates.ts):
 * every outcome kind is shown (a dry run as what it would do), resources are matched by the
 * engine's resource id (the id of kubefed/placement), and the store forgets on Clear Results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace } from '../../server/engine/workspace.ts';
import type { DiffEntry, DiffReport } from '../../server/cluster/diff.ts';
import type { Outcome, PropagateReport } from '../../server/cluster/propagate.ts';
import { placementOf } from '../../server/lsp/requests.ts';
import { liveStateOfEntry, liveStateOfOutcome, liveStatesOfCompare, liveStatesOfPropagate, LiveStateStore, outcomeWords } from '../../client/liveStates.ts';
import type { LiveState } from '../../webview/messages.ts';
import { buildTree, flatten, liveKey, type TreeNode } from '../../webview/viewModel.ts';

const folder = join(import.meta.dirname, '..', 'fixtures', 'lsp', 'v1beta1');

function workspace(): Workspace {
  const ws = new Workspace();
  for (const f of readdirSync(folder)) ws.setFile(`file:///ws/${f}`, readFileSync(join(folder, f), 'utf8'));
  return ws;
}

const target = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'demo', name: 'web' };

function outcome(result: Outcome['result'], extra: Partial<Outcome> = {}): Outcome {
  return { cluster: 'cluster1', resource: 'FederatedDeployment/demo/web', resourceId: 'v1beta1:Deployment:demo/web', target, action: 'none', result, status: '', ...extra };
}

function entry(state: DiffEntry['state'], extra: Partial<DiffEntry> = {}): DiffEntry {
  return { cluster: 'cluster2', resource: 'FederatedDeployment/demo/web', resourceId: 'v1beta1:Deployment:demo/web', target, state, ...extra };
}

/** Every PropagateResult (a Record, so that a new result fails to compile here). */
const RESULTS: Record<Outcome['result'], { done: [string, LiveState['state']]; dry: [string, LiveState['state']] }> = {
  created: { done: ['created', 'in-sync'], dry: ['would create', 'missing'] },
  updated: { done: ['updated', 'in-sync'], dry: ['would update', 'drifted'] },
  adopted: { done: ['adopted', 'in-sync'], dry: ['would adopt', 'drifted'] },
  unchanged: { done: ['unchanged', 'in-sync'], dry: ['unchanged', 'in-sync'] },
  deleted: { done: ['deleted', 'in-sync'], dry: ['would delete', 'drifted'] },
  orphaned: { done: ['orphaned', 'in-sync'], dry: ['would orphan', 'drifted'] },
  pruned: { done: ['pruned', 'in-sync'], dry: ['would prune', 'drifted'] },
  skipped: { done: ['skipped', 'error'], dry: ['would skip', 'error'] },
  failed: { done: ['failed', 'error'], dry: ['would fail', 'error'] },
  cancelled: { done: ['cancelled', 'unchecked'], dry: ['cancelled', 'unchecked'] },
};

test('every Propagate result is a live state, a dry run worded as what it would do', () => {
  for (const [result, want] of Object.entries(RESULTS) as [Outcome['result'], (typeof RESULTS)[Outcome['result']]][]) {
    const status = result === 'skipped' || result === 'failed' ? 'CreationFailed' : '';
    for (const dryRun of [false, true]) {
      const l = liveStateOfOutcome(outcome(result, { status }), dryRun, 42);
      const [words, state] = dryRun ? want.dry : want.done;
      assert.ok(l, `${result} dryRun=${dryRun}`);
      assert.deepEqual([l.outcome, l.state, l.source, l.at, l.resourceId, l.cluster], [words, state, 'propagate', 42, 'v1beta1:Deployment:demo/web', 'cluster1'], `${result} dryRun=${dryRun}`);
      assert.equal(outcomeWords(result, dryRun), words);
    }
  }
  // what the detail says
  const failed = liveStateOfOutcome(outcome('failed', { status: 'UpdateFailed', reason: 'Conflict', message: 'field owned by kubectl', hint: 'Propagate with "Overwriting Their Changes"' }), false, 1)!;
  assert.equal(failed.detail, 'UpdateFailed / Conflict: field owned by kubectl\n→ Propagate with "Overwriting Their Changes"');
  assert.equal(liveStateOfOutcome(outcome('deleted', { status: 'WaitingForRemoval', message: 'Deployment demo/web is being deleted' }), false, 1)!.detail, 'Deployment demo/web is being deleted (waiting for finalizers)');
  assert.equal(liveStateOfOutcome(outcome('created'), false, 1)!.detail, undefined);
  // a skip without a status says nothing about the cluster
  assert.equal(liveStateOfOutcome(outcome('skipped'), false, 1)!.state, 'unchecked');
  // prune outcomes name no workspace resource
  assert.equal(liveStateOfOutcome(outcome('pruned', { resourceId: undefined, action: 'prune' }), false, 1), undefined);
});

test('every Compare state is a live state', () => {
  const view = (e: DiffEntry) => {
    const l = liveStateOfEntry(e, 7)!;
    return [l.state, l.outcome, l.detail ?? '', l.source];
  };
  assert.deepEqual(view(entry('in-sync')), ['in-sync', 'in sync', '', 'compare']);
  assert.deepEqual(view(entry('drifted', { changes: [{ path: '/spec/replicas', desired: 3, live: 5 }] })), ['drifted', 'drifted', 'changed: /spec/replicas', 'compare']);
  assert.deepEqual(view(entry('drifted', { unmanaged: true })), ['drifted', 'unmanaged', 'exists without the managed label', 'compare']);
  const many = Array.from({ length: 10 }, (_, i) => ({ path: `/data/k${i}`, desired: 'a', live: 'b' }));
  assert.match(view(entry('drifted', { changes: many }))[2], /^changed: \/data\/k0, .*\/data\/k7 \(\+2\)$/);
  assert.deepEqual(view(entry('missing')), ['missing', 'missing', 'placed but absent (Propagate creates it)', 'compare']);
  assert.deepEqual(view(entry('unexpected', { message: 'managed in cluster2 but no longer placed there' })), ['drifted', 'unexpected', 'managed in cluster2 but no longer placed there', 'compare']);
  assert.deepEqual(view(entry('error', { status: 'ClusterNotReady', reason: 'Unreachable', message: 'connection refused', hint: 'check the cluster' })), ['error', 'error', 'ClusterNotReady / Unreachable: connection refused\n→ check the cluster', 'compare']);
  assert.deepEqual(view(entry('error', { status: '', reason: 'Cancelled', message: 'cancelled' })), ['unchecked', 'cancelled', 'Cancelled: cancelled', 'compare']);
  assert.equal(liveStateOfEntry(entry('in-sync', { resourceId: undefined }), 7), undefined);
});

/** The cells of a tree with their live states' words, `<resource id> @ <cluster>: <words>`. */
function liveCells(nodes: TreeNode[]): string[] {
  const rows = flatten(nodes, Object.fromEntries(nodes.flatMap(function ids(n): [string, boolean][] {
    return [[n.id, true], ...(n.children ?? []).flatMap(ids)];
  })));
  return rows.filter((r) => r.node.kind === 'cell' && r.node.cell?.live).map((r) => `${r.node.cell!.resourceId} @ ${r.node.cluster}: ${r.node.cell!.live!.outcome}`);
}

test('reports are matched to the placement by the engine resource id, dry runs included', () => {
  const ws = workspace();
  const placement = placementOf(ws, undefined);
  const web = ws.resources().find((r) => r.kind === 'FederatedDeployment' && r.name === 'web')!;
  const secret = ws.resources().find((r) => r.kind === 'FederatedSecret')!;
  assert.ok(placement.resources.some((r) => r.id === web.id) && placement.resources.some((r) => r.id === secret.id));
  // What server/cluster reports: `resource` is kind/ns/name, `resourceId` the engine's id.
  const dry: PropagateReport = {
    dryRun: true,
    cancelled: false,
    failed: false,
    clusters: [{ name: 'cluster1', reachable: true }, { name: 'cluster2', reachable: true }],
    summary: { created: 1, updated: 1, adopted: 0, unchanged: 0, deleted: 0, orphaned: 0, pruned: 1, skipped: 0, failed: 0, cancelled: 0 },
    outcomes: [
      outcome('created', { cluster: 'cluster1', resourceId: web.id, action: 'create' }),
      outcome('updated', { cluster: 'cluster2', resourceId: secret.id, resource: 'FederatedSecret/demo/web-credentials', action: 'update' }),
      outcome('pruned', { cluster: 'cluster2', resourceId: undefined, resource: 'FederatedDeployment/demo/old', action: 'prune' }),
    ],
  };
  const compare: DiffReport = {
    clusters: ['cluster1', 'cluster2'],
    differs: true,
    cancelled: false,
    summary: { 'in-sync': 0, drifted: 1, missing: 0, unexpected: 0, error: 0 },
    entries: [entry('drifted', { cluster: 'cluster2', resourceId: web.id, changes: [{ path: '/spec/replicas', desired: 5, live: 4 }] })],
  };
  const store = new LiveStateStore();
  store.record(liveStatesOfPropagate(dry, 1));
  store.record(liveStatesOfCompare(compare, 2));
  assert.equal(store.size, 3);
  const live = new Map(store.all().map((l) => [liveKey(l.resourceId, l.cluster), l]));
  const model = { ...placement, clusterInfo: [] };
  assert.deepEqual(liveCells(buildTree({ model, view: 'resources', live })).sort(), [
    `${secret.id} @ cluster2: would update`,
    `${web.id} @ cluster1: would create`,
    `${web.id} @ cluster2: drifted`,
  ].sort());
  // the same cells in the clusters view
  assert.equal(liveCells(buildTree({ model, view: 'clusters', live })).length, 3);
});

test('the store keeps the newest state of each resource and cluster, at most max, and clears', () => {
  const s = (resourceId: string, cluster: string, outcome: string, at: number): LiveState => ({ resourceId, cluster, state: 'in-sync', outcome, at, source: 'propagate' });
  const store = new LiveStateStore(3);
  store.record([s('a', 'c1', 'created', 1), s('b', 'c1', 'created', 1), s('a', 'c2', 'created', 1)]);
  store.record([s('a', 'c1', 'unchanged', 2)]);
  assert.deepEqual(store.all().map((l) => `${l.resourceId}@${l.cluster}:${l.outcome}`), ['b@c1:created', 'a@c2:created', 'a@c1:unchanged']);
  store.record([s('c', 'c1', 'created', 3)]);
  assert.deepEqual(store.all().map((l) => `${l.resourceId}@${l.cluster}`), ['a@c2', 'a@c1', 'c@c1'], 'the oldest went first');
  store.clear();
  assert.equal(store.size, 0);
  assert.deepEqual(store.all(), []);
});
