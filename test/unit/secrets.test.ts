/** Which values are secret, and masking them (engine: secrets.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isSecretKind, isSecretPath, maskSecretValues, SECRET_MASK } from '../../server/engine/index.ts';
import type { JsonObject } from '../../server/engine/index.ts';

test('a core/v1 Secret is secret; a custom kind named Secret in another group is not', () => {
  assert.equal(isSecretKind('Secret'), true);
  assert.equal(isSecretKind('Secret', 'v1'), true);
  assert.equal(isSecretKind('Secret', 'vault.example.com/v1'), false);
  assert.equal(isSecretKind('ConfigMap', 'v1'), false);
});

test('secret paths: data and stringData and below, as segments, pointers or dotted paths', () => {
  assert.equal(isSecretPath('Secret', ['data', 'password']), true);
  assert.equal(isSecretPath('Secret', ['stringData']), true);
  assert.equal(isSecretPath('Secret', '/data/password'), true);
  assert.equal(isSecretPath('Secret', '/stringData'), true);
  assert.equal(isSecretPath('Secret', 'data.password'), true);
  assert.equal(isSecretPath('Secret', '/type'), false);
  assert.equal(isSecretPath('Secret', ['metadata', 'labels', 'data']), false);
  assert.equal(isSecretPath('ConfigMap', '/data/password'), false);
  assert.equal(isSecretPath('Secret', ''), false);
});

test('masking keeps keys, replaces values, leaves the input and other kinds alone', () => {
  const s: JsonObject = { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', data: { a: 'QQ==' }, stringData: { b: 'plain' } };
  const m = maskSecretValues(s);
  assert.deepEqual(m, { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', data: { a: SECRET_MASK }, stringData: { b: SECRET_MASK } });
  assert.equal((s.data as JsonObject).a, 'QQ==', 'the input is not changed');
  const cm: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'x' } };
  assert.equal(maskSecretValues(cm), cm);
  // a template has no kind of its own: the target kind says what it is
  assert.deepEqual(maskSecretValues({ data: { a: 'x' } }, 'Secret'), { data: { a: SECRET_MASK } });
  // a custom mask sees field, key and value
  assert.deepEqual(maskSecretValues(s, 'Secret', (f, k, v) => `${f}.${k}=${String(v).length}`).data, { a: 'data.a=4' });
});

test('property: masking changes nothing outside data and stringData and never shows a value', () => {
  const value = fc.string({ minLength: 1, maxLength: 12 }).map((v) => `v:${v}`);
  fc.assert(
    fc.property(fc.dictionary(fc.string({ maxLength: 6 }), value), fc.dictionary(fc.string({ maxLength: 6 }), value), fc.dictionary(fc.constantFrom('type', 'immutable', 'extra'), fc.string()), (data, stringData, rest) => {
      const s: JsonObject = { ...rest, apiVersion: 'v1', kind: 'Secret', data, stringData };
      const m = maskSecretValues(s);
      for (const k of Object.keys(rest)) assert.deepEqual(m[k], s[k]);
      assert.deepEqual(Object.keys(m.data as JsonObject), Object.keys(data));
      assert.deepEqual(Object.keys(m.stringData as JsonObject), Object.keys(stringData));
      const shown = JSON.stringify([m.data, m.stringData]);
      for (const v of [...Object.values(data), ...Object.values(stringData)]) assert.ok(!shown.includes(JSON.stringify(v)), `${v} is hidden`);
    }),
  );
});
