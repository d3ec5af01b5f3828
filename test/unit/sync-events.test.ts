/** The Events KubeFed's sync controller records for what it did in a member cluster. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncEvents } from '../../server/engine/syncEvents.ts';

const cm = { kind: 'ConfigMap', namespace: 'ns1', name: 'web' };

test('create, update, delete and label removal: Normal <Op>InCluster with KubeFed\'s message', () => {
  assert.deepEqual(syncEvents({ cluster: 'c1', action: 'create', result: 'created', status: '' }, cm), [{ type: 'Normal', reason: 'CreateInCluster', message: 'Creating ConfigMap "ns1/web" in cluster "c1"' }]);
  assert.equal(syncEvents({ cluster: 'c1', action: 'update', result: 'updated', status: '' }, cm)[0]!.message, 'Updating ConfigMap "ns1/web" in cluster "c1"');
  assert.equal(syncEvents({ cluster: 'c1', action: 'delete', result: 'deleted', status: '' }, cm)[0]!.reason, 'DeleteInCluster');
  assert.deepEqual(syncEvents({ cluster: 'c2', action: 'removeManagedLabel', result: 'orphaned', status: '' }, { kind: 'Namespace', name: 'ns1' }), [
    { type: 'Normal', reason: 'RemoveManagedLabelFromInCluster', message: 'Removing managed label from Namespace "ns1" in cluster "c2"' },
  ]);
});

test('failures are Warnings <Op>InClusterFailed; adoption warns, then updates; nothing done, no event', () => {
  assert.deepEqual(syncEvents({ cluster: 'c1', action: 'update', result: 'failed', status: 'UpdateFailed', message: 'denied' }, cm), [{ type: 'Warning', reason: 'UpdateInClusterFailed', message: 'Failed to update ConfigMap "ns1/web" in cluster "c1": denied' }]);
  assert.deepEqual(syncEvents({ cluster: 'c1', action: 'update', result: 'adopted', status: '' }, cm).map((e) => e.reason), ['CreateInClusterFailed', 'UpdateInCluster']);
  assert.deepEqual(syncEvents({ cluster: 'c1', action: 'none', result: 'unchanged', status: '' }, cm), []);
  assert.deepEqual(syncEvents({ cluster: 'c3', action: 'none', result: 'failed', status: 'ClusterNotReady' }, cm), [{ type: 'Warning', reason: 'ClusterNotReady', message: 'Cluster not ready' }]);
});
