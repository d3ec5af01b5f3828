import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Json, JsonObject } from '../../server/engine/json.ts';
import { isObject } from '../../server/engine/json.ts';
import {
  applyOverrideV1alpha1,
  applyOverrides,
  checkOverridePath,
  validateOverrides,
} from '../../server/engine/overrides.ts';
import { applyPatch } from '../../server/engine/jsonpatch.ts';
import { formatPointer, parseArrayIndex, parsePointer } from '../../server/engine/pointer.ts';

const deployment = (): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'demo', labels: { app: 'web' } },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'c', image: 'nginx', args: ['a', 'b'] }] } } },
});

const prototypeKeys = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();

// --- arbitraries --------------------------------------------------------------------------

const segment = fc.oneof(
  fc.constantFrom('metadata', 'labels', 'annotations', 'spec', 'replicas', 'template', 'containers', 'args', 'image', 'kind', 'name'),
  fc.constantFrom('0', '1', '2', '-', '-1', '-2', '01', '+1', '99', ''),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'a~0b', 'x~1y', '~', '~2'),
  fc.string({ maxLength: 4 }),
);
const path = fc.oneof(
  fc.array(segment, { maxLength: 6 }).map((s) => '/' + s.join('/')),
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')),
  fc.constantFrom('', '/', '/kind', '/metadata/name', '/metadata/name/', '/__proto__/x', '/constructor/prototype/x'),
);
const op = fc.oneof(fc.constantFrom('', 'add', 'remove', 'replace', 'test', 'move', 'copy'), fc.string({ maxLength: 5 }));
const clusterOverride = fc.oneof(
  fc.record({ op, path, value: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: ['path'] }),
  fc.jsonValue({ maxDepth: 2 }),
);
const overrideItem = fc.oneof(
  fc.record(
    {
      clusterName: fc.oneof(fc.constantFrom('c1', 'c2', ''), fc.jsonValue({ maxDepth: 1 })),
      clusterOverrides: fc.oneof(fc.array(clusterOverride, { maxLength: 5 }), fc.jsonValue({ maxDepth: 1 })),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);
const overridesList = fc.oneof(fc.array(overrideItem, { maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), fc.constant(null));
const targetObject = fc.oneof(fc.constant(deployment()), fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })));

// --- properties ---------------------------------------------------------------------------

test('applyOverrides never throws and never mutates its inputs', () => {
  fc.assert(
    fc.property(targetObject, overridesList, fc.constantFrom('c1', 'c2', ''), (object, overrides, cluster) => {
      const objectBefore = JSON.stringify(object);
      const overridesBefore = JSON.stringify(overrides);
      const r = applyOverrides(object, overrides, cluster);
      assert.equal(JSON.stringify(object), objectBefore);
      assert.equal(JSON.stringify(overrides), overridesBefore);
      if (r.ok) {
        assert.notStrictEqual(r.object, object);
        const md = r.object.metadata;
        if (md === undefined || isObject(md)) {
          const labels = (r.object.metadata as JsonObject).labels;
          assert.ok(isObject(labels) && labels['kubefed.io/managed'] === 'true');
        }
      } else {
        assert.equal(r.status, 'ApplyOverridesFailed');
        assert.equal(typeof r.message, 'string');
      }
    }),
    { numRuns: 2000 },
  );
});

test('no override path reaches Object.prototype', () => {
  const before = prototypeKeys();
  const protoPaths = fc.oneof(
    fc.constantFrom('/__proto__/x', '/constructor/prototype/x', '/__proto__', '/metadata/__proto__/x', '/spec/constructor', 'spec/__proto__/x', '/prototype'),
    fc.array(fc.constantFrom('__proto__', 'constructor', 'prototype', 'metadata', 'x'), { minLength: 1, maxLength: 4 })
      .filter((s) => s.some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype'))
      .map((s) => '/' + s.join('/')),
  );
  fc.assert(
    fc.property(targetObject, protoPaths, fc.constantFrom('', 'add', 'replace', 'remove', 'test'), (object, p, o) => {
      const r = applyOverrides(object, [{ clusterName: 'c1', clusterOverrides: [{ op: o, path: p, value: { x: 1, polluted: true } }] }], 'c1');
      assert.equal(r.ok, false);
      if (!r.ok && (typeof object === 'object' && object !== null && !Array.isArray(object))) assert.equal(r.kind, 'prototype-path');
      assert.equal(({} as Record<string, unknown>).x, undefined);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.deepStrictEqual(prototypeKeys(), before);
    }),
    { numRuns: 500 },
  );
});

test('json patch itself keeps prototype keys away from Object.prototype even when allowed', () => {
  const r = applyPatch({ a: {} }, [{ op: 'add', path: '/a/__proto__', value: { x: 1 } }], { rejectPrototypeKeys: false });
  assert.ok(r.ok);
  assert.equal(({} as Record<string, unknown>).x, undefined);
  const a = (r.doc as JsonObject).a as JsonObject;
  assert.ok(Object.prototype.hasOwnProperty.call(a, '__proto__'));
  assert.equal(Object.getPrototypeOf(a), Object.prototype);
  const rejected = applyPatch({ a: {} }, [{ op: 'add', path: '/a/__proto__', value: 1 }]);
  assert.ok(!rejected.ok && rejected.kind === 'prototype-key');
});

const plainKey = fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));

test('add "/-" and add "-1" append; remove "-1" drops the last element', () => {
  fc.assert(
    fc.property(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), (arr, v) => {
      for (const idx of ['-', '-1', String(arr.length)]) {
        const r = applyPatch({ a: arr }, [{ op: 'add', path: `/a/${idx}`, value: v }]);
        assert.ok(r.ok);
        assert.deepStrictEqual((r.doc as JsonObject).a, [...arr, v]);
      }
      const rm = applyPatch({ a: arr }, [{ op: 'remove', path: '/a/-1' }]);
      if (arr.length === 0) assert.equal(rm.ok, false);
      else assert.deepStrictEqual(rm.ok && (rm.doc as JsonObject).a, arr.slice(0, -1));
      const beyond = applyPatch({ a: arr }, [{ op: 'add', path: `/a/${arr.length + 1}`, value: v }]);
      assert.equal(beyond.ok, false);
    }),
  );
});

test('replace upserts object members but never creates parents, and rejects negative indexes', () => {
  fc.assert(
    fc.property(fc.dictionary(plainKey, fc.jsonValue({ maxDepth: 2 })), plainKey, fc.jsonValue({ maxDepth: 2 }), (o, k, v) => {
      const path = formatPointer([k]);
      const r = applyPatch(o, [{ op: 'replace', path, value: v }]);
      assert.ok(r.ok);
      assert.deepStrictEqual((r.doc as JsonObject)[k], v);
      const deep = applyPatch({}, [{ op: 'replace', path: formatPointer(['missing', k]), value: v }]);
      assert.ok(!deep.ok && deep.kind === 'missing-path');
    }),
  );
  const neg = applyPatch({ a: [1, 2] }, [{ op: 'replace', path: '/a/-1', value: 0 }]);
  assert.ok(!neg.ok && neg.kind === 'negative-index');
});

test('a failing operation leaves nothing applied', () => {
  const obj = deployment();
  const r = applyOverrides(obj, [{ clusterName: 'c1', clusterOverrides: [
    { path: '/spec/replicas', value: 9 },
    { op: 'remove', path: '/spec/paused' },
  ] }], 'c1');
  assert.ok(!r.ok);
  assert.equal(r.kind, 'missing-key');
  assert.equal(r.index, 0);
  assert.equal(r.subIndex, 1);
  assert.equal((obj.spec as JsonObject).replicas, 3);
});

test('pointer escape round-trip and index syntax', () => {
  fc.assert(
    fc.property(fc.array(plainKey, { maxLength: 5 }), (tokens) => {
      const p = parsePointer(formatPointer(tokens));
      assert.ok(p.ok);
      assert.deepStrictEqual(p.tokens, tokens);
    }),
  );
  assert.deepStrictEqual(parsePointer('/a~1b/c~0d'), { ok: true, tokens: ['a/b', 'c~d'] });
  assert.equal(parsePointer('spec/replicas').ok, false);
  assert.equal(parsePointer('/a~2').ok, false);
  const proto = parsePointer('/x/__proto__');
  assert.ok(!proto.ok && proto.kind === 'prototype-key');
  assert.deepStrictEqual(parseArrayIndex('01'), { ok: true, index: 1, canonical: false });
  assert.deepStrictEqual(parseArrayIndex('7'), { ok: true, index: 7, canonical: true });
  assert.equal(parseArrayIndex('1a').ok, false);
  assert.equal(parseArrayIndex('-').ok, false);
});

// --- validation ---------------------------------------------------------------------------

test('validateOverrides reports upstream error kinds with positions', () => {
  const errs = validateOverrides([
    { clusterName: 'c1', clusterOverrides: [{ path: '/spec/replicas', value: 1 }, { path: '/metadata/name', value: 'x' }] },
    { clusterName: 'c2', clusterOverrides: [{ path: '/a' }, { op: 'remove', path: '/a' }] },
    { clusterName: 'c1' },
    { clusterOverrides: [{ path: '/constructor/prototype/x' }] },
  ]);
  assert.deepStrictEqual(
    errs.map((e) => [e.kind, e.index, e.subIndex]),
    [
      ['forbidden-path', 0, 1],
      ['duplicate-path', 1, 1],
      ['duplicate-cluster', 2, undefined],
      ['prototype-path', 3, 0],
    ],
  );
  assert.equal(errs[0]!.message, 'override[1] for cluster "c1" has an invalid path: /metadata/name');
  assert.equal(errs[2]!.message, 'cluster "c1" appears more than once');
  assert.deepStrictEqual(validateOverrides(null), []);
  assert.deepStrictEqual(validateOverrides([{ clusterName: 'c1', clusterOverrides: [{ path: '/metadata/name/' }] }]), []);
  const typeErr = validateOverrides([{ clusterName: 5 }]);
  assert.equal(typeErr[0]!.kind, 'invalid-type');
  assert.equal(validateOverrides({})[0]!.kind, 'invalid-type');
});

test('an invalid entry for another cluster fails every cluster', () => {
  const r = applyOverrides(deployment(), [
    { clusterName: 'c1', clusterOverrides: [{ path: '/spec/replicas', value: 1 }] },
    { clusterName: 'c2', clusterOverrides: [{ path: '/kind', value: 'Pod' }] },
  ], 'c1');
  assert.ok(!r.ok && r.kind === 'forbidden-path' && r.index === 1 && r.subIndex === 0);
});

test('overrides apply in order, default to replace, and the managed label is forced', () => {
  const r = applyOverrides(deployment(), [{ clusterName: 'c1', clusterOverrides: [
    { path: '/spec/replicas', value: 5 },
    { op: 'add', path: '/spec/template/spec/containers/0/args/0', value: '-q' },
    { op: 'add', path: '/metadata/labels/kubefed.io~1managed', value: 'false' },
    { op: 'replace', path: '/metadata/annotations', value: { a: 'b' } },
  ] }], 'c1');
  assert.ok(r.ok);
  const o = r.object as { spec: { replicas: Json; template: { spec: { containers: { args: string[] }[] } } }; metadata: JsonObject };
  assert.equal(o.spec.replicas, 5);
  assert.deepStrictEqual(o.spec.template.spec.containers[0]!.args, ['-q', 'a', 'b']);
  assert.deepStrictEqual(o.metadata.labels, { app: 'web', 'kubefed.io/managed': 'true' });
  assert.deepStrictEqual(o.metadata.annotations, { a: 'b' });
});

test('removing kind through a slash-less path fails when the result is decoded', () => {
  const r = applyOverrides(deployment(), [{ clusterName: 'c1', clusterOverrides: [{ op: 'remove', path: 'x/kind' }] }], 'c1');
  assert.ok(!r.ok && r.kind === 'missing-kind');
});

test('checkOverridePath explains what the controller would do', () => {
  const t = deployment();
  const problem = (op: string, p: string): string | undefined => {
    const r = checkOverridePath(t, op, p);
    return r.ok ? undefined : r.problem;
  };
  assert.equal(problem('', '/spec/replicas'), undefined);
  assert.equal(problem('', 'spec/replicas'), 'malformed');
  assert.equal(problem('', '/metadata/name'), 'forbidden');
  assert.equal(problem('add', '/__proto__/x'), 'prototype');
  assert.equal(problem('add', '/metadata/annotations/foo'), 'missing-parent');
  assert.equal(problem('remove', '/spec/paused'), 'not-found');
  assert.equal(problem('replace', '/spec/template/spec/containers/1/image'), 'missing-parent');
  assert.equal(problem('replace', '/spec/template/spec/containers/0/args/-1'), 'negative-index');
  assert.equal(problem('replace', '/spec/template/spec/containers/0/args/2'), 'not-found');
  assert.equal(problem('add', '/spec/template/spec/containers/0/args/x'), 'bad-index');
  assert.equal(problem('move', '/spec/replicas'), 'invalid-op');
  assert.equal(problem('add', '/spec/replicas/x'), 'missing-parent');
  const upsert = checkOverridePath(t, 'replace', '/spec/paused');
  assert.ok(upsert.ok && upsert.effect === 'create' && upsert.note);
  const append = checkOverridePath(t, 'add', '/spec/template/spec/containers/0/args/-');
  assert.ok(append.ok && append.effect === 'append');
  const leadingZero = checkOverridePath(t, 'replace', '/spec/template/spec/containers/0/args/01');
  assert.ok(leadingZero.ok && leadingZero.note);
});

// --- v1alpha1 -----------------------------------------------------------------------------

test('v1alpha1: first matching entry wins and replaces the whole field', () => {
  const cm = { kind: 'ConfigMap', metadata: { name: 'c' }, data: { A: '1', B: '2' } };
  const override = { spec: { overrides: [{ clusterName: 'c2', data: { X: 'y' } }, { clusterName: 'c2', data: { Z: 'z' } }] } };
  const r = applyOverrideV1alpha1(cm, override, ['data'], 'c2');
  assert.ok(r.ok);
  assert.deepStrictEqual(r.object.data, { X: 'y' });
  assert.equal(r.matchedIndex, 0);
  assert.deepStrictEqual(cm.data, { A: '1', B: '2' });
  const first = applyOverrideV1alpha1(cm, { spec: { overrides: [{ clusterName: 'c2' }, { clusterName: 'c2', data: {} }] } }, ['data'], 'c2');
  assert.ok(first.ok);
  assert.deepStrictEqual(first.object.data, { A: '1', B: '2' });
  const created = applyOverrideV1alpha1({ kind: 'Job' }, { spec: { overrides: [{ clusterName: 'c1', parallelism: 2 }] } }, ['spec', 'parallelism'], 'c1');
  assert.ok(created.ok);
  assert.deepStrictEqual(created.object, { kind: 'Job', spec: { parallelism: 2 } });
  const noPath = applyOverrideV1alpha1(cm, override, [], 'c2');
  assert.ok(!noPath.ok && noPath.kind === 'missing-override-path');
  const noOverrides = applyOverrideV1alpha1(cm, { spec: {} }, null, 'c2');
  assert.ok(noOverrides.ok);
});
