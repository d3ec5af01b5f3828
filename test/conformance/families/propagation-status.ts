import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { isRecoverable, statusAfterWait, updateFederatedStatus } from '../../../server/engine/status.ts';

/** status.clusters order is not significant upstream (Go map iteration). */
function canonical(status: any): any {
  if (!status || typeof status !== 'object' || !Array.isArray(status.clusters)) return status;
  const clusters = [...status.clusters].sort((a: any, b: any) => (String(a?.name) < String(b?.name) ? -1 : String(a?.name) > String(b?.name) ? 1 : 0));
  return { ...status, clusters };
}

export function run(c: VectorCase): void {
  const i = c.input;
  const e = c.expected;
  switch (i.function) {
    case 'update': {
      const got = updateFederatedStatus({ ...i, now: '<now>' });
      assert.equal(got.changed, e.changed);
      if ('status' in e) assert.deepStrictEqual(canonical(got.status), canonical(e.status));
      return;
    }
    case 'isRecoverable':
      assert.equal(isRecoverable(i.status), e.recoverable);
      return;
    case 'afterWait':
      assert.equal(statusAfterWait(i.status, i.timedOut === true), e.status);
      return;
    default:
      throw new Error(`unknown propagation-status function ${i.function}`);
  }
}
