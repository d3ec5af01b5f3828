/** Conformance adapter: the object sent to a member cluster, both eras (server/engine/render.ts). */
import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { renderV1alpha1, renderV1beta1, type RenderResult } from '../../../server/engine/render.ts';

export function run(c: VectorCase): void {
  const input = c.input;
  const expected = c.expected;
  let r: RenderResult;
  if (input.era === 'v1alpha1') {
    r = renderV1alpha1({
      targetType: input.targetType,
      template: input.template,
      override: input.override ?? null,
      overridePath: input.overridePath ?? null,
      clusterName: input.clusterName,
      clusterObject: input.clusterObject,
    });
  } else {
    r = renderV1beta1({
      targetType: input.targetType,
      federatedObject: input.federatedObject,
      clusterName: input.clusterName,
      clusterObject: input.clusterObject,
    });
  }
  if (expected.error) {
    assert.equal(r.ok, false, 'expected a per-cluster failure');
    if (!r.ok && expected.status) assert.equal(r.status, expected.status);
  } else {
    assert.ok(r.ok, r.ok ? '' : `${r.status}: ${r.message}`);
    assert.deepStrictEqual(r.object, expected.object);
  }
  if (Array.isArray(expected.events)) assert.deepStrictEqual(r.events, expected.events);
}
