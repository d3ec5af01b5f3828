import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { controllerErrors, decodeOverrides, validateOverrides } from '../../server/engine/overrideCodec.ts';
import { applyOverrides } from '../../server/engine/overrides.ts';
import { getOverridesMap, OverridesError, rspClobberedOverrides, updateOverrides } from '../../server/engine/rsp.ts';
import { overrideVersion } from '../../server/engine/versions.ts';

const template = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 } };

test('keys match exactly: a differently spelled key is what the API server prunes, for every reader', () => {
  const list = [{ ClusterName: 'c1', clusterOverrides: [{ Path: '/spec/replicas', value: 3 }] }];
  const { items, errors } = decodeOverrides(list);
  assert.equal(items[0]!.clusterName, '');
  assert.equal(items[0]!.clusterOverrides![0]!.path, '');
  assert.deepEqual(errors.map((e) => [e.kind, e.field]), [['rejected', 'path']]);
  // The override applier, the RSP write-back and the version hash agree: no cluster c1 entry.
  const applied = applyOverrides(template, list, 'c1');
  assert.ok(applied.ok);
  assert.equal((applied.object.spec as { replicas: number }).replicas, 1);
  assert.equal(getOverridesMap(list).has('c1'), false);
  assert.deepEqual(rspClobberedOverrides({ spec: { overrides: list } }), []);
  assert.equal(overrideVersion({ spec: { overrides: list } }), overrideVersion({ spec: { overrides: [{ clusterOverrides: [{ value: 3 }] }] } }));
});

test('admission errors are reported by validation but not taken as controller errors', () => {
  const list = [{ clusterName: 'c1', clusterOverrides: [{ op: 'move', path: '/spec/replicas' }, { value: 2 }] }];
  assert.deepEqual(validateOverrides(list).map((e) => [e.kind, e.index, e.subIndex, e.field]), [
    ['rejected', 0, 0, 'op'],
    ['rejected', 0, 1, 'path'],
  ]);
  assert.deepEqual(controllerErrors(list), []);
});

test('the RSP write-back and the override applier refuse the same lists', () => {
  const dupCluster = [{ clusterName: 'c1' }, { clusterName: 'c1' }];
  const forbidden = [{ clusterName: 'c1', clusterOverrides: [{ path: '/metadata/name', value: 'x' }] }];
  const dupPath = [{ clusterName: 'c1', clusterOverrides: [{ path: '/spec/replicas', value: 1 }, { path: '/spec/replicas', value: 2 }] }];
  for (const list of [dupCluster, forbidden, dupPath]) {
    const applied = applyOverrides(template, list, 'c1');
    assert.equal(applied.ok, false);
    assert.throws(() => updateOverrides(list, { c1: 1 }), (e: unknown) => e instanceof OverridesError && e.message === (applied as { message: string }).message);
  }
});

const key = fc.constantFrom('clusterName', 'ClusterName', 'clusterOverrides', 'op', 'path', 'Path', 'value');
const scalar = fc.oneof(fc.constantFrom('c1', 'c2', '', '/spec/replicas', '/metadata/name', 'add', 'remove', 'bogus'), fc.integer(), fc.constant(null));
const overrideArb = fc.dictionary(key, scalar, { maxKeys: 4 });
const itemArb = fc.oneof(
  fc.constant(null),
  fc.record({ clusterName: fc.oneof(fc.constantFrom('c1', 'c2'), fc.integer()), clusterOverrides: fc.oneof(fc.constant(null), fc.array(fc.oneof(overrideArb, fc.constant(null)), { maxLength: 3 })) }, { requiredKeys: [] }),
);

test('property: applyOverrides fails exactly when the controller errors say so, and with the first one', () => {
  fc.assert(
    fc.property(fc.array(itemArb, { maxLength: 4 }), (list) => {
      const errs = controllerErrors(list);
      const r = applyOverrides(template, list, 'c1');
      if (errs.length) {
        assert.equal(r.ok, false);
        assert.equal((r as { message: string }).message, errs[0]!.message);
      } else if (!r.ok) {
        // Only the patch itself may fail then.
        assert.ok(!['invalid-type', 'duplicate-cluster', 'duplicate-path', 'forbidden-path', 'prototype-path'].includes(r.kind), r.kind);
      }
    }),
    { numRuns: 300 },
  );
});
