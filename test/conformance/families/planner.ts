import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { planRsp } from '../../../server/engine/planner.ts';

export function run(c: VectorCase): void {
  const { rsp, availableClusters, currentReplicas, estimatedCapacity, key } = c.input;
  const got = planRsp(rsp, availableClusters ?? [], currentReplicas ?? {}, estimatedCapacity ?? {}, key ?? '');
  assert.deepStrictEqual({ ...got.plan }, c.expected.plan);
  assert.deepStrictEqual({ ...got.overflow }, c.expected.overflow ?? {});
}
