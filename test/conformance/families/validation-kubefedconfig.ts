/** validation-kubefedconfig: KubeFedConfig admission validation (scope immutable on update). */
import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { validateKubeFedConfig } from '../../../server/engine/validation/kubefedconfig.ts';

export function run(c: VectorCase): void {
  const input = c.input;
  if (input.validate !== 'object' && input.validate !== 'spec' && input.validate !== 'status') {
    throw new Error(`input.validate ${JSON.stringify(input.validate)} does not apply to KubeFedConfig`);
  }
  // KubeFedConfig has no status validation upstream.
  const messages = input.validate === 'status' ? [] : validateKubeFedConfig(input.object, input.oldObject).map((e) => e.message);
  if (c.expected.valid) return assert.deepEqual(messages, []);
  assert.ok(messages.length > 0, 'expected validation errors');
  if (c.expected.errorContains !== undefined) {
    assert.ok(messages[0]!.includes(c.expected.errorContains), `first error ${JSON.stringify(messages[0])} lacks ${JSON.stringify(c.expected.errorContains)}`);
  }
}
