import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { isClusterReady, probeStatus, thresholdStatus } from '../../../server/engine/health.ts';

export function run(c: VectorCase): void {
  const i = c.input;
  const e = c.expected;
  switch (i.function) {
    case 'threshold':
      assert.deepStrictEqual(thresholdStatus(i), e);
      return;
    case 'probe':
      assert.deepStrictEqual({ status: probeStatus(i.healthz, i.now) }, e);
      return;
    case 'ready':
      assert.equal(isClusterReady(i.status), e.ready);
      return;
    default:
      throw new Error(`unknown cluster-health function ${i.function}`);
  }
}
