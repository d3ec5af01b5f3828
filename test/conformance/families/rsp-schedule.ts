import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import { podAnalysis, reconcileRsp, replicaState, updateOverrides } from '../../../server/engine/rsp.ts';

/** Sorts the Go-map-ordered lists of a federated object (placement clusters, overrides entries). */
function canonical(obj: any): any {
  if (!obj || typeof obj !== 'object') return obj;
  const out = structuredClone(obj);
  const clusters = out.spec?.placement?.clusters;
  if (Array.isArray(clusters)) clusters.sort((a: any, b: any) => String(a?.name).localeCompare(String(b?.name)));
  if (Array.isArray(out.spec?.overrides)) out.spec.overrides = sortOverrides(out.spec.overrides);
  return out;
}

function sortOverrides(list: any[]): any[] {
  return [...list].sort((a, b) => String(a?.clusterName).localeCompare(String(b?.clusterName)));
}

export function run(c: VectorCase): void {
  const i = c.input;
  const e = c.expected;
  switch (i.kind) {
    case 'updateOverrides':
      assert.deepStrictEqual(sortOverrides(updateOverrides(i.overrides, i.replicas)), sortOverrides(e.overrides));
      return;
    case 'reconcile': {
      const got = reconcileRsp({
        rsp: i.rsp,
        federatedObject: i.federatedObject,
        readyClusters: i.readyClusters ?? [],
        currentReplicas: i.currentReplicas ?? {},
        estimatedCapacity: i.estimatedCapacity ?? {},
        selectorClusters: i.selectorClusters,
        era: i.era,
      });
      assert.deepStrictEqual(got.schedule === null ? null : { ...got.schedule }, e.schedule);
      assert.deepStrictEqual(canonical(got.federatedObject), canonical(e.federatedObject));
      return;
    }
    case 'podAnalysis':
      assert.deepStrictEqual({ ...podAnalysis(i.pods ?? [], i.now) }, e);
      return;
    case 'replicaState': {
      if (e.error) {
        assert.throws(() => replicaState(i.clusterObjects ?? {}, i.pods ?? {}, i.now, i.era));
        return;
      }
      const got = replicaState(i.clusterObjects ?? {}, i.pods ?? {}, i.now, i.era);
      assert.deepStrictEqual({ currentReplicas: { ...got.currentReplicas }, estimatedCapacity: { ...got.estimatedCapacity } }, e);
      return;
    }
    default:
      throw new Error(`unknown rsp-schedule kind ${i.kind}`);
  }
}
