/** validation-kubefedcluster: KubeFedCluster admission validation. */
import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import type { FieldError } from '../../../server/engine/validation/fielderrors.ts';
import { validateKubeFedCluster, validateKubeFedClusterSpec } from '../../../server/engine/validation/kubefedcluster.ts';

function errorsFor(input: any): FieldError[] {
  switch (input.validate) {
    case 'object':
      return validateKubeFedCluster(input.object, false);
    case 'status':
      return validateKubeFedCluster(input.object, true);
    case 'spec':
      return validateKubeFedClusterSpec(input.object?.spec, 'spec');
    default:
      throw new Error(`input.validate ${JSON.stringify(input.validate)} does not apply to KubeFedCluster`);
  }
}

/** Per the family format, endpoint and proxy cases only need the text in some error. */
function anyErrorCounts(c: VectorCase): boolean {
  return c.upstreamTest === 'TestValidateAPIEndpoint' || c.upstreamTest === 'TestProxyURL' || /endpoint|proxy/i.test(c.name);
}

export function run(c: VectorCase): void {
  const messages = errorsFor(c.input).map((e) => e.message);
  if (c.expected.valid) return assert.deepEqual(messages, []);
  assert.ok(messages.length > 0, 'expected validation errors');
  const want = c.expected.errorContains;
  if (want === undefined) return;
  if (anyErrorCounts(c)) assert.ok(messages.some((m) => m.includes(want)), `no error contains ${JSON.stringify(want)}: ${JSON.stringify(messages)}`);
  else assert.ok(messages[0]!.includes(want), `first error ${JSON.stringify(messages[0])} lacks ${JSON.stringify(want)}`);
}
