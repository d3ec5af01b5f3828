import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { deleteOptions, deletionFlow, isOrphaning, seedDeletionFlow } from '../../../server/engine/deletion.ts';

export function run(c: VectorCase): void {
  const i = c.input;
  const e = c.expected;
  switch (i.function) {
    case 'deleteOptions': {
      const got = deleteOptions(i.federatedObject);
      if (e.error) assert.ok('error' in got, 'expected an error');
      else assert.deepStrictEqual(got, { deleteOptions: e.deleteOptions });
      return;
    }
    case 'orphaning':
      assert.equal(isOrphaning(i.federatedObject), e.orphan);
      return;
    case 'flow': {
      const got = deletionFlow({ federatedObject: i.federatedObject, clusters: i.clusters ?? [] });
      assert.deepStrictEqual({ ...got, actions: { ...got.actions } }, e);
      return;
    }
    case 'seedFlow': {
      const got = seedDeletionFlow({ template: i.template, targetKind: i.targetKind, clusters: i.clusters ?? [] });
      assert.deepStrictEqual({ ...got, actions: { ...got.actions } }, e);
      return;
    }
    default:
      throw new Error(`unknown deletion function ${i.function}`);
  }
}
