import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dispatchedStatus, nextAfter, reconcileFingerprint, syncFinalizerPatch } from '../../server/engine/reconcile.ts';

test('dispatchedStatus: what KubeFed lists for a cluster after an executed operation', () => {
  assert.equal(dispatchedStatus('create', '', true), '');
  assert.equal(dispatchedStatus('update', '', true), '');
  assert.equal(dispatchedStatus('delete', '', true), 'WaitingForRemoval', 'a deletion is waited for until the next reconcile sees it gone');
  assert.equal(dispatchedStatus('removeManagedLabel', '', true), null, 'a label removal is not listed');
  assert.equal(dispatchedStatus('create', 'CreationFailed', false), 'CreationFailed');
  assert.equal(dispatchedStatus('none', 'AlreadyExists', true), 'AlreadyExists');
  assert.equal(dispatchedStatus('none', '', true), '');
});

test('nextAfter: backoff on a recoverable failure, recheck while waiting for removal, else done', () => {
  assert.equal(nextAfter({ a: '', b: '' }), 'done');
  assert.equal(nextAfter({ a: '', b: 'WaitingForRemoval' }), 'recheck');
  assert.equal(nextAfter({ a: 'UpdateFailed', b: 'WaitingForRemoval' }), 'backoff');
  assert.equal(nextAfter({ a: 'ClusterNotReady' }), 'done', 'ClusterNotReady waits for the cluster fan-out, not backoff');
  assert.equal(nextAfter({ a: 'AlreadyExists' }), 'done');
});

test('syncFinalizerPatch adds or removes kubefed.io/sync-controller under the resourceVersion, keeping other finalizers', () => {
  const obj = { metadata: { name: 'x', resourceVersion: '7', finalizers: ['other'] } };
  assert.deepEqual(syncFinalizerPatch(obj, true), { metadata: { resourceVersion: '7', finalizers: ['other', 'kubefed.io/sync-controller'] } });
  assert.equal(syncFinalizerPatch(obj, false), null);
  const held = { metadata: { resourceVersion: '8', finalizers: ['kubefed.io/sync-controller', 'other'] } };
  assert.equal(syncFinalizerPatch(held, true), null);
  assert.deepEqual(syncFinalizerPatch(held, false), { metadata: { resourceVersion: '8', finalizers: ['other'] } });
});

test('reconcileFingerprint ignores status and resourceVersion, not spec generation, annotations, finalizers or deletion', () => {
  const base = { metadata: { name: 'x', generation: 1, resourceVersion: '1', annotations: { a: '1' } }, status: { observedGeneration: 1 } };
  const fp = reconcileFingerprint(base);
  assert.equal(reconcileFingerprint({ ...base, metadata: { ...base.metadata, resourceVersion: '2' }, status: { observedGeneration: 2 } }), fp);
  assert.notEqual(reconcileFingerprint({ ...base, metadata: { ...base.metadata, generation: 2 } }), fp);
  assert.notEqual(reconcileFingerprint({ ...base, metadata: { ...base.metadata, annotations: { 'kubefed.io/orphan': 'true' } } }), fp);
  assert.notEqual(reconcileFingerprint({ ...base, metadata: { ...base.metadata, finalizers: ['kubefed.io/sync-controller'] } }), fp);
  assert.notEqual(reconcileFingerprint({ ...base, metadata: { ...base.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }), fp);
});
