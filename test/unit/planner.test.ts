import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fnv1_32, fnv1_32Concat } from '../../server/engine/fnv.ts';
import { plan, type ClusterPreferences, type PlanInput } from '../../server/engine/planner.ts';
import { scheduleRsp } from '../../server/engine/rsp.ts';

test('fnv: FNV-1 (not 1a) over UTF-8 bytes', () => {
  assert.equal(fnv1_32(''), 2166136261);
  assert.equal(fnv1_32('A'), 84696414);
  assert.equal(fnv1_32('B'), 84696413);
  // FNV-1a of "A" would be 0xc40bf6cc.
  assert.notEqual(fnv1_32('A'), 0xc40bf6cc);
  assert.equal(fnv1_32Concat('c', 'demo/web'), 2436957262);
  assert.equal(fnv1_32('é'), fnv1_32(new Uint8Array([0xc3, 0xa9])));
});

test('planner: worked example of the reference', () => {
  const r = plan({
    preferences: { '*': { weight: 1 }, c: { weight: 2, minReplicas: 1, maxReplicas: 3 } },
    totalReplicas: 12,
    rebalance: true,
    availableClusters: ['a', 'b', 'c'],
    estimatedCapacity: { b: 2 },
    key: 'demo/web',
  });
  assert.deepEqual(r, { plan: { a: 7, b: 2, c: 3 }, overflow: { b: 1 } });
  assert.deepEqual(scheduleRsp({ rsp: { metadata: { namespace: 'demo', name: 'web' }, spec: { totalReplicas: 12, rebalance: true, clusters: { '*': { weight: 1 }, c: { weight: 2, minReplicas: 1, maxReplicas: 3 } } } }, clusters: ['a', 'b', 'c'], estimatedCapacity: { b: 2 } }).schedule, { a: 7, b: 3, c: 3 });
});

test('planner: cluster names that are Object.prototype members stay own keys', () => {
  const r = plan({ preferences: { '*': { weight: 1 } }, totalReplicas: 4, rebalance: true, availableClusters: ['__proto__', 'constructor'] });
  assert.deepEqual(Object.keys(r.plan).sort(), ['__proto__', 'constructor']);
  assert.equal(Object.values(r.plan).reduce((a, b) => a + b, 0), 4);
});

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/);

const prefArb: fc.Arbitrary<ClusterPreferences> = fc
  .record(
    {
      minReplicas: fc.nat(20),
      maxReplicas: fc.option(fc.nat(40), { nil: undefined }),
      weight: fc.nat(10),
    },
    { requiredKeys: [] },
  )
  .map((p) => (p.maxReplicas !== undefined && p.minReplicas !== undefined && p.minReplicas > p.maxReplicas ? { ...p, minReplicas: p.maxReplicas } : p));

const inputArb: fc.Arbitrary<PlanInput> = fc
  .uniqueArray(name, { minLength: 0, maxLength: 6 })
  .chain((clusters) =>
    fc.record({
      availableClusters: fc.constant(clusters),
      preferences: fc.dictionary(fc.oneof(fc.constantFrom(...clusters, '*'), name), prefArb, { maxKeys: 7 }),
      totalReplicas: fc.nat(200),
      rebalance: fc.boolean(),
      currentReplicas: fc.dictionary(fc.constantFrom(...clusters, 'x'), fc.nat(100), { maxKeys: 4 }),
      estimatedCapacity: fc.dictionary(fc.constantFrom(...clusters, 'x'), fc.nat(60), { maxKeys: 3 }),
      key: fc.string({ maxLength: 12 }),
    }),
  );

const sum = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);

function prefFor(input: PlanInput, c: string): ClusterPreferences | undefined {
  const p = input.preferences as Record<string, ClusterPreferences>;
  return Object.hasOwn(p, c) ? p[c] : Object.hasOwn(p, '*') ? p['*'] : undefined;
}

test('planner property: the plan never exceeds totalReplicas and is never negative', () => {
  fc.assert(
    fc.property(inputArb, (input) => {
      const r = plan(input);
      assert.ok(sum(r.plan) <= input.totalReplicas, `sum ${sum(r.plan)} > ${input.totalReplicas}`);
      for (const v of Object.values(r.plan)) assert.ok(v >= 0);
      for (const v of Object.values(r.overflow)) assert.ok(v > 0);
    }),
    { numRuns: 500 },
  );
});

test('planner property: maxReplicas and estimated capacity are respected', () => {
  fc.assert(
    fc.property(inputArb, (input) => {
      const r = plan(input);
      for (const c of input.availableClusters) {
        const max = prefFor(input, c)?.maxReplicas;
        if (typeof max === 'number') assert.ok(r.plan[c]! <= max, `${c}: ${r.plan[c]} > max ${max}`);
        const cap = input.estimatedCapacity?.[c];
        if (cap !== undefined) assert.ok(r.plan[c]! <= cap, `${c}: ${r.plan[c]} > capacity ${cap}`);
        if (!prefFor(input, c)) assert.equal(r.plan[c], 0);
      }
    }),
    { numRuns: 500 },
  );
});

test('planner property: every available cluster appears in the plan, and nothing else', () => {
  fc.assert(
    fc.property(inputArb, (input) => {
      const r = plan(input);
      assert.deepEqual(Object.keys(r.plan).sort(), [...input.availableClusters].sort());
      for (const c of Object.keys(r.overflow)) assert.ok(input.availableClusters.includes(c));
    }),
    { numRuns: 500 },
  );
});

test('planner property: deterministic and independent of the order of available clusters', () => {
  fc.assert(
    fc.property(inputArb, fc.nat(), (input, seed) => {
      const hashes = input.availableClusters.map((c) => fnv1_32Concat(c, input.key ?? ''));
      fc.pre(new Set(hashes).size === hashes.length);
      const a = plan(input);
      assert.deepEqual(plan(structuredClone(input)), a);
      const shuffled = [...input.availableClusters];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = (seed + i * 7) % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      assert.deepEqual(plan({ ...input, availableClusters: shuffled }), a);
    }),
    { numRuns: 300 },
  );
});

test('planner property: without limits every replica is placed', () => {
  fc.assert(
    fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 6 }), fc.nat(500), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 6, maxLength: 6 }), fc.string(), (clusters, total, weights, key) => {
      const preferences: Record<string, ClusterPreferences> = {};
      clusters.forEach((c, i) => (preferences[c] = { weight: weights[i]! }));
      const r = plan({ preferences, totalReplicas: total, rebalance: true, availableClusters: clusters, key });
      assert.equal(sum(r.plan), total);
      assert.deepEqual(r.overflow, {});
      // Shares are rounded up, so the first of the heaviest clusters gets at least its ceil share.
      const heaviest = Math.max(...clusters.map((c) => preferences[c]!.weight!));
      const wsum = clusters.reduce((a, c) => a + preferences[c]!.weight!, 0);
      const top = clusters.filter((c) => preferences[c]!.weight === heaviest).map((c) => r.plan[c]!);
      assert.ok(Math.max(...top) >= Math.min(total, Math.ceil((total * heaviest) / wsum)));
    }),
    { numRuns: 300 },
  );
});

// Upstream planner_test.go data (key ""), all of it: [preferences, total, clusters, existing, capacity, rebalance, plan, overflow].
type Row = [Record<string, ClusterPreferences>, number, string[], Record<string, number>, Record<string, number>, boolean, Record<string, number>, Record<string, number>];
const star1 = { '*': { weight: 1 } };
const UPSTREAM: Row[] = [
  [star1, 50, ['A', 'B', 'C'], {}, {}, false, { A: 16, B: 17, C: 17 }, {}],
  [star1, 50, ['A', 'B'], {}, {}, false, { A: 25, B: 25 }, {}],
  [star1, 1, ['A', 'B'], {}, {}, false, { A: 0, B: 1 }, {}],
  [star1, 1, ['A', 'B', 'C', 'D'], {}, {}, false, { A: 0, B: 0, C: 0, D: 1 }, {}],
  [star1, 1, ['A'], {}, {}, false, { A: 1 }, {}],
  [star1, 1, [], {}, {}, false, {}, {}],
  [star1, 50, ['A', 'B', 'C'], { C: 30 }, {}, false, { A: 10, B: 10, C: 30 }, {}],
  [star1, 50, ['A', 'B'], { A: 30 }, {}, false, { A: 30, B: 20 }, {}],
  [star1, 15, ['A', 'B'], { A: 0, B: 8 }, {}, false, { A: 7, B: 8 }, {}],
  [star1, 15, ['A', 'B'], { A: 1, B: 8 }, {}, false, { A: 7, B: 8 }, {}],
  [star1, 15, ['A', 'B'], { A: 4, B: 8 }, {}, false, { A: 7, B: 8 }, {}],
  [star1, 15, ['A', 'B'], { A: 5, B: 8 }, {}, false, { A: 7, B: 8 }, {}],
  [star1, 15, ['A', 'B'], { A: 6, B: 8 }, {}, false, { A: 7, B: 8 }, {}],
  [star1, 15, ['A', 'B'], { A: 7, B: 8 }, {}, false, { A: 7, B: 8 }, {}],
  [star1, 500000, ['A', 'B'], { A: 300000 }, {}, false, { A: 300000, B: 200000 }, {}],
  [star1, 50, ['A', 'B'], { A: 10 }, {}, false, { A: 25, B: 25 }, {}],
  [star1, 50, ['A', 'B'], { A: 10, B: 70 }, {}, false, { A: 0, B: 50 }, {}],
  [star1, 1, ['A', 'B'], { A: 30 }, {}, false, { A: 1, B: 0 }, {}],
  [star1, 50, ['A', 'B'], { A: 10, B: 20 }, {}, false, { A: 25, B: 25 }, {}],
  [star1, 50, ['A', 'B', 'C'], {}, { C: 10 }, true, { A: 20, B: 20, C: 10 }, { C: 7 }],
  [{ A: { weight: 10000 }, B: { weight: 1 } }, 50, ['B', 'C'], {}, { B: 10 }, true, { B: 10, C: 0 }, { B: 40 }],
  [{ A: { weight: 1 }, B: { weight: 2 } }, 60, ['A', 'B', 'C'], {}, { B: 10 }, true, { A: 50, B: 10, C: 0 }, { B: 30 }],
  [{ A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1, maxReplicas: 21 }, D: { weight: 1, maxReplicas: 10 } }, 71, ['A', 'B', 'C', 'D'], {}, { C: 10 }, true, { A: 10, B: 41, C: 10, D: 10 }, { C: 11 }],
  [{ A: { weight: 1 }, B: { weight: 1 } }, 60, ['A', 'B', 'C'], {}, { A: 10, B: 10 }, false, { A: 10, B: 10, C: 0 }, { A: 20, B: 20 }],
  [{ A: { weight: 1 }, B: { weight: 5 } }, 60, ['A', 'B', 'C'], {}, { B: 10 }, false, { A: 50, B: 10, C: 0 }, {}],
  [{ '*': { minReplicas: 20, weight: 0 } }, 50, ['A', 'B', 'C'], {}, { B: 10 }, false, { A: 20, B: 10, C: 20 }, {}],
  [{ '*': { minReplicas: 20, weight: 1 } }, 60, ['A', 'B'], {}, { B: 10 }, true, { A: 50, B: 10 }, { B: 15 }],
  [{ '*': { minReplicas: 2, weight: 0 } }, 50, ['A', 'B', 'C'], {}, {}, false, { A: 2, B: 2, C: 2 }, {}],
  [{ '*': { minReplicas: 20, weight: 0 } }, 50, ['A', 'B', 'C'], {}, {}, false, { A: 10, B: 20, C: 20 }, {}],
  [{ '*': { minReplicas: 20, weight: 0 }, A: { minReplicas: 100, weight: 1 } }, 50, ['A', 'B', 'C'], {}, {}, false, { A: 50, B: 0, C: 0 }, {}],
  [{ '*': { minReplicas: 10, weight: 1, maxReplicas: 12 } }, 50, ['A', 'B', 'C'], {}, {}, false, { A: 12, B: 12, C: 12 }, {}],
  [{ '*': { weight: 1, maxReplicas: 2 } }, 50, ['A', 'B', 'C'], {}, {}, false, { A: 2, B: 2, C: 2 }, {}],
  [{ '*': { weight: 0, maxReplicas: 2 } }, 50, ['A', 'B', 'C'], {}, {}, false, { A: 0, B: 0, C: 0 }, {}],
  [{ A: { weight: 1 }, B: { weight: 2 } }, 60, ['A', 'B', 'C'], {}, {}, false, { A: 20, B: 40, C: 0 }, {}],
  [{ A: { weight: 10000 }, B: { weight: 1 } }, 50, ['A', 'B', 'C'], {}, {}, false, { A: 50, B: 0, C: 0 }, {}],
  [{ A: { weight: 10000 }, B: { weight: 1 } }, 50, ['B', 'C'], {}, {}, false, { B: 50, C: 0 }, {}],
  [{ A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1 } }, 50, ['A', 'B', 'C'], {}, {}, false, { A: 10, B: 20, C: 20 }, {}],
  [{ A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1, maxReplicas: 10 } }, 50, ['A', 'B', 'C'], {}, {}, false, { A: 10, B: 30, C: 10 }, {}],
  [{ A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1, maxReplicas: 21 }, D: { weight: 1, maxReplicas: 10 } }, 71, ['A', 'B', 'C', 'D'], {}, {}, false, { A: 10, B: 30, C: 21, D: 10 }, {}],
  [{ A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1, maxReplicas: 21 }, D: { weight: 1, maxReplicas: 10 }, E: { weight: 1 } }, 91, ['A', 'B', 'C', 'D', 'E'], {}, {}, false, { A: 10, B: 25, C: 21, D: 10, E: 25 }, {}],
];

test('planner: every upstream planner_test.go case', () => {
  for (const [preferences, totalReplicas, availableClusters, currentReplicas, estimatedCapacity, rebalance, expPlan, expOverflow] of UPSTREAM) {
    const r = plan({ preferences, totalReplicas, availableClusters, currentReplicas, estimatedCapacity, rebalance, key: '' });
    const label = JSON.stringify({ preferences, totalReplicas, availableClusters, currentReplicas, estimatedCapacity, rebalance });
    assert.deepEqual(r.plan, expPlan, label);
    assert.deepEqual(r.overflow, expOverflow, label);
  }
});
