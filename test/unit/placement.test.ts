import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { JsonObject } from '../../server/engine/json.ts';
import { placeV1alpha1, placeV1beta1, reasonText, REASON_TEXT } from '../../server/engine/placement.ts';
import { isQualifiedName, isValidLabelValue, matchLabelSelector } from '../../server/engine/labelselector.ts';

const kfc = (name: string, labels?: Record<string, string>, ready = true): JsonObject => ({
  apiVersion: 'core.kubefed.io/v1beta1',
  kind: 'KubeFedCluster',
  metadata: { name, namespace: 'kube-federation-system', ...(labels ? { labels } : {}) },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const fed = (placement?: unknown): JsonObject => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedConfigMap',
  metadata: { name: 'cm', namespace: 'ns1' },
  spec: placement === undefined ? {} : { placement: placement as JsonObject },
});
const clusters = [kfc('eu1', { region: 'eu', tier: 'gold' }), kfc('eu2', { region: 'eu' }), kfc('us1', { region: 'us' }, false), kfc('bare')];
const sel = (placement: unknown, extra: Partial<Parameters<typeof placeV1beta1>[0]> = {}): string[] | 'error' => {
  const r = placeV1beta1({ federatedObject: fed(placement), clusters, ...extra });
  return r.error ? 'error' : r.selected;
};

test('v1beta1 nil-vs-empty truth table', () => {
  assert.deepStrictEqual(sel(undefined), []);
  assert.deepStrictEqual(sel({}), []);
  assert.deepStrictEqual(sel({ clusters: null }), []);
  assert.deepStrictEqual(sel({ clusters: null, clusterSelector: {} }), ['bare', 'eu1', 'eu2', 'us1']);
  assert.deepStrictEqual(sel({ clusters: [], clusterSelector: {} }), []);
  assert.deepStrictEqual(sel({ clusterSelector: { matchLabels: {} } }), ['bare', 'eu1', 'eu2', 'us1']);
  assert.deepStrictEqual(sel({ clusterSelector: null }), []);
  assert.deepStrictEqual(sel({ clusters: [{ name: 'us1' }, { name: 'ghost' }], clusterSelector: { matchLabels: { region: 'eu' } } }), ['us1']);
  assert.deepStrictEqual(sel({ Clusters: [{ name: 'eu1' }] }), [], 'field names are case-sensitive');
});

test('v1beta1 reasons explain each cluster', () => {
  const r = placeV1beta1({ federatedObject: fed({ clusterSelector: { matchLabels: { region: 'eu' } } }), clusters });
  assert.deepStrictEqual(r.reasons.eu1, { selected: true, why: 'selector-match' });
  assert.equal(r.reasons.us1!.why, 'selector-mismatch');
  assert.match(r.reasons.us1!.detail!, /region=eu/);
  const empty = placeV1beta1({ federatedObject: fed({ clusters: [], clusterSelector: {} }), clusters });
  assert.equal(empty.reasons.eu1!.why, 'empty-list');
  const ns = placeV1beta1({
    federatedObject: fed({ clusterSelector: {} }),
    clusters,
    federatedNamespace: { ...fed({ clusters: [{ name: 'eu1' }] }), kind: 'FederatedNamespace' },
  });
  assert.deepStrictEqual(ns.selected, ['eu1']);
  assert.equal(ns.reasons.eu2!.why, 'excluded-by-namespace');
  // in words, with the reason that comes from the other placement
  assert.equal(reasonText(ns.reasons.eu2!), "excluded by the FederatedNamespace placement — the FederatedNamespace's own placement: not listed in placement.clusters");
  assert.equal(reasonText(r.reasons.us1!), 'labels do not match the clusterSelector — label requirement region=eu does not hold');
  assert.equal(reasonText(r.reasons.eu1!), 'labels match the clusterSelector');
  const missing = placeV1beta1({ federatedObject: fed({ clusters: [{ name: 'eu1' }] }), clusters, federatedNamespace: null });
  assert.equal(reasonText(missing.reasons.eu1!), "the namespace has no FederatedNamespace — the resource's own placement: listed in placement.clusters");
  for (const why of Object.keys(REASON_TEXT)) assert.notEqual(reasonText({ why }), why, `${why} has words`);
});

test('v1beta1 namespace handling', () => {
  const missing = placeV1beta1({ federatedObject: fed({ clusterSelector: {} }), clusters, federatedNamespace: null });
  assert.deepStrictEqual(missing.selected, []);
  assert.equal(missing.namespaceNotFederated, true);
  assert.equal(missing.reasons.eu1!.why, 'namespace-not-federated');
  const limited = placeV1beta1({ federatedObject: fed({ clusterSelector: {} }), clusters, federatedNamespace: null, limitedScope: true });
  assert.deepStrictEqual(limited.selected, ['bare', 'eu1', 'eu2', 'us1']);
  assert.equal(limited.namespaceNotFederated, undefined);
  const badNs = placeV1beta1({ federatedObject: fed({ clusterSelector: {} }), clusters, federatedNamespace: fed({ clusterSelector: { matchLabels: { 'a/b/c': 'x' } } }) });
  assert.ok(badNs.error);
  const badRes = placeV1beta1({ federatedObject: fed({ clusterSelector: { matchExpressions: [{ key: 'k', operator: 'In', values: [] }] } }), clusters, federatedNamespace: null });
  assert.ok(badRes.error);
  assert.equal(badRes.namespaceNotFederated, undefined);
});

test('selector validation errors', () => {
  const bad = [
    { matchExpressions: [{ key: 'tier', operator: 'Gt', values: ['1'] }] },
    { matchExpressions: [{ key: 'tier', operator: 'in', values: ['a'] }] },
    { matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] },
    { matchExpressions: [{ key: 'tier', operator: 'NotIn' }] },
    { matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['x'] }] },
    { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist', values: [''] }] },
    { matchExpressions: [{ key: '-bad', operator: 'Exists' }] },
    { matchExpressions: [{ key: 'tier', operator: 'In', values: ['not ok'] }] },
    { matchLabels: { 'UPPER.example.com/x': 'y' } },
    { matchLabels: { k: 'v'.repeat(64) } },
    { matchLabels: { k: 5 } },
    { matchExpressions: 'x' },
  ];
  for (const s of bad) assert.equal(sel({ clusterSelector: s }), 'error', JSON.stringify(s));
  assert.deepStrictEqual(sel({ clusterSelector: { matchLabels: { region: '' } } }), []);
  assert.deepStrictEqual(sel({ clusterSelector: { matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['eu'] }] } }), ['bare', 'us1']);
  assert.deepStrictEqual(isQualifiedName('example.com/My_Name-1'), []);
  assert.notDeepStrictEqual(isQualifiedName('a'.repeat(64)), []);
  assert.notDeepStrictEqual(isQualifiedName('/x'), []);
  assert.deepStrictEqual(isValidLabelValue(''), []);
});

// --- properties ---------------------------------------------------------------------------

const labelKey = fc.constantFrom('region', 'tier', 'zone', 'example.com/env');
const labelValue = fc.constantFrom('eu', 'us', 'gold', 'x', '');
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 4 });
const clusterSet = fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'constructor'), labels, fc.boolean()), {
  selector: (t) => t[0],
  maxLength: 6,
}).map((cs) => cs.map(([n, l, r]) => kfc(n, l, r)));
const expression = fc.oneof(
  fc.record({ key: labelKey, operator: fc.constantFrom('In', 'NotIn'), values: fc.array(labelValue, { minLength: 1, maxLength: 3 }) }),
  fc.record({ key: labelKey, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const selector = fc.record({ matchLabels: labels, matchExpressions: fc.array(expression, { maxLength: 3 }) }, { requiredKeys: [] });
const names = fc.array(fc.constantFrom('a', 'b', 'c', 'x', 'constructor'), { maxLength: 5 }).map((ns) => ns.map((name) => ({ name })));
const placement = fc.record({ clusters: fc.oneof(names, fc.constant(null)), clusterSelector: fc.oneof(selector, fc.constant(null)) }, { requiredKeys: [] });

test('selection is a sorted subset of the clusters and honours the clusters list', () => {
  fc.assert(
    fc.property(placement, clusterSet, (p, cs) => {
      const r = placeV1beta1({ federatedObject: fed(p), clusters: cs });
      assert.equal(r.error, undefined);
      const all = cs.map((c) => (c.metadata as JsonObject).name as string);
      assert.deepStrictEqual(r.selected, [...r.selected].sort());
      for (const n of r.selected) assert.ok(all.includes(n));
      for (const n of all) assert.equal(r.reasons[n]!.selected, r.selected.includes(n));
      if (Array.isArray(p.clusters)) {
        const listed = new Set<string>(p.clusters.map((c) => c.name));
        assert.deepStrictEqual(r.selected, all.filter((n) => listed.has(n)).sort());
      } else if (p.clusterSelector === null || p.clusterSelector === undefined) {
        assert.deepStrictEqual(r.selected, []);
      }
    }),
  );
});

test('NotIn is the complement of In and DoesNotExist of Exists', () => {
  fc.assert(
    fc.property(labelKey, fc.array(labelValue, { minLength: 1, maxLength: 3 }), labels, (key, values, l) => {
      const m = (operator: string, vals?: string[]): boolean => {
        const r = matchLabelSelector({ matchExpressions: [{ key, operator, ...(vals ? { values: vals } : {}) }] }, l);
        assert.ok(r.ok);
        return r.matches;
      };
      assert.equal(m('NotIn', values), !m('In', values));
      assert.equal(m('DoesNotExist'), !m('Exists'));
      assert.equal(m('Exists'), Object.prototype.hasOwnProperty.call(l, key));
    }),
  );
});

test('namespace intersection and selector-only mode', () => {
  fc.assert(
    fc.property(placement, placement, clusterSet, fc.boolean(), (p, nsp, cs, selectorOnly) => {
      const alone = placeV1beta1({ federatedObject: fed(p), clusters: cs, selectorOnly });
      const ns = placeV1beta1({ federatedObject: fed(nsp), clusters: cs, selectorOnly });
      const both = placeV1beta1({ federatedObject: fed(p), clusters: cs, federatedNamespace: fed(nsp), selectorOnly });
      assert.deepStrictEqual(both.selected, alone.selected.filter((n) => ns.selected.includes(n)));
      if (selectorOnly) {
        const withoutList = placeV1beta1({ federatedObject: fed({ clusterSelector: p.clusterSelector }), clusters: cs });
        assert.deepStrictEqual(alone.selected, withoutList.selected);
      }
    }),
  );
});

test('v1alpha1 selected and unselected partition the ready clusters', () => {
  const fcl = (name: string, ready: boolean): JsonObject => ({ kind: 'FederatedCluster', metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.boolean()), { selector: (t) => t[0] }),
      fc.oneof(fc.constant(null), fc.record({ spec: fc.record({ clusterNames: fc.array(fc.constantFrom('a', 'b', 'x')) }) })),
      fc.constantFrom('Namespace', 'Deployment'),
      (cs, p, kind) => {
        const r = placeV1alpha1({ targetKind: kind, placement: p, clusters: cs.map(([n, rd]) => fcl(n, rd)) });
        const ready = cs.filter(([, rd]) => rd).map(([n]) => n).sort();
        assert.deepStrictEqual([...r.selected, ...r.unselected].sort(), ready);
        assert.deepStrictEqual(r.selected, [...r.selected].sort());
        if (p === null) assert.deepStrictEqual(r.selected, kind === 'Namespace' ? ready : []);
        else assert.deepStrictEqual(r.selected, ready.filter((n) => (p.spec.clusterNames as string[]).includes(n)));
      },
    ),
  );
  const misspelled = placeV1alpha1({ targetKind: 'ServiceAccount', placement: { spec: { clusternames: ['a'] } }, clusters: [fcl('a', true)] });
  assert.deepStrictEqual(misspelled.selected, []);
  assert.deepStrictEqual(misspelled.unselected, ['a']);
  const bad = placeV1alpha1({ targetKind: 'Secret', placement: { spec: { clusterNames: [1] } }, clusters: [fcl('a', true)] });
  assert.ok(bad.error);
});
