import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { editDistance, nearest } from '../../server/engine/spelling.ts';

test('editDistance: Levenshtein distance', () => {
  assert.equal(editDistance('', ''), 0);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('deploymnet', 'deployment'), 2);
  assert.equal(editDistance('', 'abc'), 3);
  const word = fc.string({ maxLength: 8 });
  fc.assert(
    fc.property(word, word, word, (a, b, c) => {
      const ab = editDistance(a, b);
      assert.equal(ab, editDistance(b, a));
      assert.ok(ab >= Math.abs(a.length - b.length) && ab <= Math.max(a.length, b.length));
      assert.equal(ab === 0, a === b);
      assert.ok(editDistance(a, c) <= ab + editDistance(b, c));
    }),
  );
});

test('nearest: a close enough name, case-insensitively, else none', () => {
  assert.equal(nearest('FederatedDeploymnet', ['FederatedService', 'FederatedDeployment']), 'FederatedDeployment');
  assert.equal(nearest('federateddeployment', ['FederatedDeployment']), 'FederatedDeployment');
  assert.equal(nearest('Foo', ['FederatedDeployment']), undefined);
  assert.equal(nearest('Foo', []), undefined);
});
