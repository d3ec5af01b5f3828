import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pointerTokens, valueAtPointer } from '../../server/engine/pointer.ts';

test('valueAtPointer reads own properties and in-range indexes only', () => {
  const doc = { spec: { replicas: 3, containers: [{ name: 'a/b', image: 'x' }] }, 'a~b': { 'c/d': 1 } };
  assert.equal(valueAtPointer(doc, '/spec/replicas'), 3);
  assert.equal(valueAtPointer(doc, '/spec/containers/0/image'), 'x');
  assert.equal(valueAtPointer(doc, '/a~0b/c~1d'), 1);
  assert.equal(valueAtPointer(doc, '/spec/containers/1/image'), undefined);
  assert.equal(valueAtPointer(doc, '/spec/containers/-/image'), undefined);
  assert.equal(valueAtPointer(doc, '/spec/missing'), undefined);
  assert.equal(valueAtPointer(doc, '/constructor'), undefined, 'never the prototype');
  assert.equal(valueAtPointer(doc, '/__proto__/toString'), undefined);
  assert.equal(valueAtPointer(doc, 'spec/replicas'), undefined, 'no leading slash: not a pointer');
  assert.equal(valueAtPointer(doc, ''), undefined);
});

test('pointerTokens decodes escapes and rejects malformed pointers', () => {
  assert.deepEqual(pointerTokens('/a~1b/c~0d'), ['a/b', 'c~d']);
  assert.deepEqual(pointerTokens('/'), ['']);
  assert.equal(pointerTokens('/a~2'), undefined);
  assert.equal(pointerTokens('x'), undefined);
});
