import assert from 'node:assert/strict';
import type { VectorCase } from '../vectors.ts';
import {
  mergeVersions,
  needsUpdate,
  objectVersion,
  overrideVersion,
  seedObjectVersion,
  templateVersion,
  versionObjectRef,
} from '../../../server/engine/versions.ts';

export function run(c: VectorCase): void {
  const i = c.input;
  const e = c.expected;
  switch (i.function) {
    case 'hash':
      if (e.error) {
        assert.throws(() => [templateVersion(i.federatedObject), overrideVersion(i.federatedObject)]);
        return;
      }
      assert.deepStrictEqual(
        { templateVersion: templateVersion(i.federatedObject), overrideVersion: overrideVersion(i.federatedObject) },
        e,
      );
      return;
    case 'objectVersion':
      assert.equal(objectVersion(i.clusterObject), e.version);
      return;
    case 'needsUpdate':
      assert.equal(needsUpdate(i.desired, i.clusterObject, i.recordedVersion), e.needsUpdate);
      return;
    case 'mergeVersions':
      assert.deepStrictEqual({ status: mergeVersions(i) }, e);
      return;
    case 'versionName':
      assert.deepStrictEqual({ ...versionObjectRef(i.era, i.federatedObject, i.targetKind) }, e);
      return;
    case 'seedVersion':
      assert.equal(seedObjectVersion(i.clusterObject, i.comparisonField), e.version);
      return;
    default:
      throw new Error(`unknown versions function ${i.function}`);
  }
}
