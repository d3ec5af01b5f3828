import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaRegistry } from '../../server/lsp/schemas.ts';
import { TypeIndex } from '../../server/engine/model.ts';
import { groupOf } from '../../server/engine/apiGroups.ts';
import { builtinTypeConfigsOfBothEras, typeConfigFromFtc, type TypeConfig } from '../../server/engine/typeconfigs.ts';

const CATEGORY_OF_ROLE: Record<string, string> = {
  federated: 'federated',
  template: 'v1alpha1-template',
  placement: 'v1alpha1-placement',
  override: 'v1alpha1-override',
};

function widgetFtc(era: 'v1beta1' | 'v1alpha1'): TypeConfig {
  const ftc =
    era === 'v1beta1'
      ? {
          apiVersion: 'core.kubefed.io/v1beta1',
          kind: 'FederatedTypeConfig',
          metadata: { name: 'statefulsets.apps' },
          spec: {
            targetType: { group: 'apps', kind: 'StatefulSet', version: 'v1', scope: 'Namespaced' },
            federatedType: { group: 'fed.example.io', kind: 'MultiStatefulSet', version: 'v1', scope: 'Namespaced' },
            propagation: 'Enabled',
          },
        }
      : {
          apiVersion: 'core.federation.k8s.io/v1alpha1',
          kind: 'FederatedTypeConfig',
          metadata: { name: 'statefulsets.apps' },
          spec: {
            target: { kind: 'StatefulSet', version: 'v1' },
            namespaced: true,
            propagationEnabled: true,
            template: { group: 'core.federation.k8s.io', version: 'v1alpha1', kind: 'FederatedStatefulSet' },
            placement: { kind: 'FederatedStatefulSetPlacement' },
            override: { kind: 'FederatedStatefulSetOverride' },
            overridePath: ['spec', 'replicas'],
          },
        };
  return typeConfigFromFtc(ftc)!;
}

test('schema registry: the kinds of every type config get the category of their engine role and the type config target', () => {
  const configs = [...builtinTypeConfigsOfBothEras(), widgetFtc('v1beta1'), widgetFtc('v1alpha1')];
  const types = new TypeIndex(configs);
  const reg = new SchemaRegistry();
  assert.equal(reg.setTypes(types), true);
  let checked = 0;
  for (const tc of configs) {
    const kinds: [string, string][] =
      tc.era === 'v1beta1'
        ? [[`${tc.federatedGroup}/${tc.federatedVersion}`, tc.federatedKind!]]
        : [
            [`${tc.templateGroup}/${tc.templateVersion}`, tc.templateKind!],
            [`${tc.federatedGroup}/${tc.federatedVersion}`, tc.placementKind!],
            ...(tc.overrideKind ? [[`${tc.federatedGroup}/${tc.federatedVersion}`, tc.overrideKind] as [string, string]] : []),
          ];
    for (const [apiVersion, kind] of kinds) {
      const role = types.classifyKind(groupOf(apiVersion), kind);
      const c = reg.categorize(apiVersion, kind);
      if (!(role.role in CATEGORY_OF_ROLE)) continue; // core v1 Namespace: the v1alpha1 Namespace template
      assert.equal(c?.type, CATEGORY_OF_ROLE[role.role], `${apiVersion} ${kind}`);
      const target = (c as { target?: { kind: string; group: string } }).target;
      assert.deepEqual([target?.group, target?.kind], [tc.targetGroup, tc.targetKind], `${apiVersion} ${kind}`);
      if (c?.type === 'v1alpha1-override') assert.deepEqual(c.field, tc.overridePath);
      checked++;
    }
  }
  assert.ok(checked >= 30, `checked ${checked}`);
  assert.ok(reg.v1alpha1Kinds().some((k) => k.kind === 'FederatedStatefulSetOverride' && k.role === 'override'));
  assert.ok(reg.federatedKinds().some((k) => k.apiVersion === 'fed.example.io/v1' && k.kind === 'MultiStatefulSet'));
  assert.ok(reg.schemaIdFor('fed.example.io/v1', 'MultiStatefulSet'));
});

test('schema registry: without the workspace type config the kind has no schema; the same types again change nothing', () => {
  const reg = new SchemaRegistry();
  assert.equal(reg.categorize('fed.example.io/v1', 'MultiStatefulSet'), undefined);
  assert.equal(reg.setTypes(new TypeIndex(builtinTypeConfigsOfBothEras())), false);
  assert.equal(reg.setTypes(new TypeIndex([...builtinTypeConfigsOfBothEras(), widgetFtc('v1beta1')])), true);
  assert.equal(reg.categorize('fed.example.io/v1', 'MultiStatefulSet')?.type, 'federated');
  // A kind the engine reports itself (unknown-federated-kind) is left to the engine's diagnostic.
  assert.equal(reg.engineReportsKind('fed.example.io/v1', 'MultiStatefulSe'), true);
  assert.equal(reg.engineReportsKind('apps/v1', 'Deploymnet'), false);
  // kubefedctl enable names: Federated<Kind> in types.kubefed.io has its target's schema even when not enabled.
  const c = reg.categorize('types.kubefed.io/v1beta1', 'FederatedStatefulSet');
  assert.equal(c?.type === 'federated' && c.target.kind, 'StatefulSet');
  assert.equal(reg.categorize('types.kubefed.io/v1beta1', 'FederatedNoSuchKind')?.type, 'unknown-kind');
});
