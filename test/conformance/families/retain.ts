/** Conformance adapter: fields retained from the live object on update (server/engine/retain.ts). */
import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { retainClusterFields } from '../../../server/engine/retain.ts';

export function run(c: VectorCase): void {
  const { targetKind, desired, clusterObject, federatedObject } = c.input;
  const r = retainClusterFields(targetKind ?? '', desired, clusterObject, federatedObject);
  if (c.expected.error) {
    assert.equal(r.ok, false, 'expected FieldRetentionFailed');
    if (!r.ok) assert.equal(r.status, c.expected.status ?? 'FieldRetentionFailed');
    return;
  }
  assert.ok(r.ok, r.ok ? '' : r.message);
  assert.deepStrictEqual(r.object, c.expected.desired);
}
