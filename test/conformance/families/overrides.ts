/** Conformance adapter: v1beta1 overrides (server/engine/overrides.ts applyOverrides). */
import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { applyOverrides } from '../../../server/engine/overrides.ts';

export function run(c: VectorCase): void {
  const { object, overrides, clusterName } = c.input;
  const r = applyOverrides(object, overrides ?? null, clusterName);
  if (c.expected.error) {
    assert.equal(r.ok, false, 'expected ApplyOverridesFailed');
    if (!r.ok) assert.equal(r.status, c.expected.status ?? 'ApplyOverridesFailed');
    return;
  }
  // The format allows rejecting inputs that only work through a quirk of the pinned library.
  if (c.quirk && !r.ok) {
    assert.equal(r.status, 'ApplyOverridesFailed');
    return;
  }
  assert.ok(r.ok, r.ok ? '' : `${r.kind}: ${r.message}`);
  assert.deepStrictEqual(r.object, c.expected.object);
}
