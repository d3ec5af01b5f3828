/** federate: kubefedctl federate conversion of a plain object. */
import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { federate } from '../../../server/engine/federate.ts';

export function run(c: VectorCase): void {
  assert.deepEqual(federate(c.input.object), c.expected.federatedObject);
}
