/** Conformance adapter: cluster selection of both eras (server/engine/placement.ts). */
import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { placeV1alpha1, placeV1beta1, type V1beta1PlacementInput } from '../../../server/engine/placement.ts';

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

export function run(c: VectorCase): void {
  const input = c.input;
  const expected = c.expected;
  if (input.era === 'v1alpha1') {
    const r = placeV1alpha1({ targetKind: input.targetKind, placement: input.placement ?? null, clusters: input.clusters ?? [] });
    if (expected.error) {
      assert.ok(r.error, 'expected placement to fail');
      return;
    }
    assert.equal(r.error, undefined, r.error);
    assert.deepStrictEqual(r.selected, sorted(expected.selectedClusters ?? []));
    if ('unselectedClusters' in expected) assert.deepStrictEqual(r.unselected, sorted(expected.unselectedClusters));
    return;
  }
  const args: V1beta1PlacementInput = {
    federatedObject: input.federatedObject,
    clusters: input.clusters ?? [],
    limitedScope: input.limitedScope ?? false,
    selectorOnly: input.selectorOnly ?? false,
  };
  if (Object.prototype.hasOwnProperty.call(input, 'federatedNamespace')) args.federatedNamespace = input.federatedNamespace;
  const r = placeV1beta1(args);
  if (expected.error) {
    assert.ok(r.error, 'expected ComputePlacementFailed');
    return;
  }
  assert.equal(r.error, undefined, r.error);
  assert.deepStrictEqual(r.selected, sorted(expected.selectedClusters ?? []));
  assert.equal(r.namespaceNotFederated === true, expected.namespaceNotFederated === true, 'namespaceNotFederated');
}
