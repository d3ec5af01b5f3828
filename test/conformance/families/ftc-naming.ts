/** ftc-naming: kubefedctl enable, FTC defaulting, PluralName and discovery lookup. */
import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { enableType, ftcDefaults, lookupType, pluralName } from '../../../server/engine/ftc.ts';

export function run(c: VectorCase): void {
  const input = c.input;
  switch (input.function) {
    case 'enable': {
      const r = enableType(input.apiResource, { federatedGroup: input.federatedGroup, federatedVersion: input.federatedVersion });
      assert.deepEqual(r.federatedTypeConfig, c.expected.federatedTypeConfig);
      assert.deepEqual(r.crd, c.expected.crd);
      return;
    }
    case 'defaults':
      assert.deepEqual(ftcDefaults(input.federatedTypeConfig, input.era), c.expected.federatedTypeConfig);
      return;
    case 'pluralName':
      assert.equal(pluralName(input.kind, input.era), c.expected.pluralName);
      return;
    case 'lookup': {
      const r = lookupType(input.discovery, input.key, input.targetVersion);
      if (c.expected.error) assert.equal(r.ok, false, `expected an error, got ${JSON.stringify(r)}`);
      else {
        assert.ok(r.ok, r.ok ? '' : r.error);
        assert.deepEqual(r.resource, c.expected.resource);
      }
      return;
    }
    default:
      throw new Error(`unknown input.function ${JSON.stringify(input.function)}`);
  }
}
