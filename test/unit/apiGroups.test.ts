import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FEDERATION_API_VERSION_LINE, FEDERATION_GROUPS, groupOf, isFederationApiVersion } from '../../server/engine/apiGroups.ts';
import { builtinTypeConfigs } from '../../server/engine/typeconfigs.ts';
import { KUBEFED_KINDS } from '../../server/lsp/kubefedSchemas.ts';

test('every apiVersion of KubeFed kinds and built-in federated types is a federation apiVersion', () => {
  const apiVersions = new Set(Object.keys(KUBEFED_KINDS).map((k) => k.split('|')[0]));
  for (const tc of [...builtinTypeConfigs('v1beta1'), ...builtinTypeConfigs('v1alpha1')]) apiVersions.add(`${tc.federatedGroup}/${tc.federatedVersion}`);
  assert.ok(apiVersions.size >= 6);
  for (const av of apiVersions) {
    assert.ok(isFederationApiVersion(av), av);
    for (const line of [`apiVersion: ${av}`, `  apiVersion: "${av}"`, `apiVersion:  '${av}'`]) {
      assert.ok(FEDERATION_API_VERSION_LINE.test(`kind: X\n${line}\n`), line);
    }
  }
});

test('other groups are not federation groups, and the line must start with apiVersion', () => {
  for (const av of ['v1', 'apps/v1', 'networking.k8s.io/v1', 'types.kubefed.io.example.com/v1', 'xtypes.kubefed.io/v1', 'kubefed.io/v1']) {
    assert.equal(isFederationApiVersion(av), false, av);
    assert.equal(FEDERATION_API_VERSION_LINE.test(`apiVersion: ${av}\n`), false, av);
  }
  assert.equal(FEDERATION_API_VERSION_LINE.test('# apiVersion: types.kubefed.io/v1beta1\n'), false);
  assert.equal(FEDERATION_API_VERSION_LINE.test('note: apiVersion: types.kubefed.io/v1beta1\n'), false);
  assert.equal(FEDERATION_API_VERSION_LINE.test('apiVersion: typesXkubefedXio/v1beta1\n'), false);
  assert.equal(groupOf('v1'), '');
  assert.equal(new Set(FEDERATION_GROUPS).size, FEDERATION_GROUPS.length);
});
