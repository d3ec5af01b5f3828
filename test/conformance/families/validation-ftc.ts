/** validation-ftc: FederatedTypeConfig admission validation. */
import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import type { FieldError } from '../../../server/engine/validation/fielderrors.ts';
import {
  validateAPIResource,
  validateFederatedTypeConfig,
  validateFederatedTypeConfigName,
  validateFederatedTypeConfigSpec,
} from '../../../server/engine/validation/ftc.ts';

function errorsFor(input: any): FieldError[] {
  switch (input.validate) {
    case 'object':
      return validateFederatedTypeConfig(input.object, false);
    case 'status':
      return validateFederatedTypeConfig(input.object, true);
    case 'apiResource':
      return validateAPIResource(input.apiResource);
    case 'name':
      return validateFederatedTypeConfigName(input.object);
    case 'spec':
      return validateFederatedTypeConfigSpec(input.object?.spec, 'spec');
    default:
      throw new Error(`unknown input.validate ${JSON.stringify(input.validate)}`);
  }
}

export function run(c: VectorCase): void {
  const messages = errorsFor(c.input).map((e) => e.message);
  if (c.expected.valid) return assert.deepEqual(messages, []);
  assert.ok(messages.length > 0, 'expected validation errors');
  if (c.expected.errorContains !== undefined) {
    assert.ok(messages[0]!.includes(c.expected.errorContains), `first error ${JSON.stringify(messages[0])} lacks ${JSON.stringify(c.expected.errorContains)}`);
  }
}
