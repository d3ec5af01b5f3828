/** kubefedconfig-defaults: KubeFedConfig defaulting. */
import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { kubeFedConfigDefaults } from '../../../server/engine/kubefedconfig-defaults.ts';

export function run(c: VectorCase): void {
  assert.deepEqual(kubeFedConfigDefaults(c.input.object), c.expected.object);
}
