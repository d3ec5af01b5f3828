import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { syncDecision } from '../../../server/engine/sync.ts';

export function run(c: VectorCase): void {
  assert.deepStrictEqual(syncDecision(c.input), c.expected);
}
