import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { enableType, ftcDefaults, ftcName, lookupType, pluralName, type DiscoveryList } from '../../server/engine/ftc.ts';
import { federate, federateDocument, guessPlural } from '../../server/engine/federate.ts';
import { builtinTypeConfigs, typeConfigFromFtc } from '../../server/engine/typeconfigs.ts';
import { validateFederatedTypeConfig } from '../../server/engine/validation/ftc.ts';

const kind = fc.stringMatching(/^[A-Z][a-z]{0,10}[A-Za-z]?$/);

test('pluralName rules of both eras', () => {
  assert.equal(pluralName('Gateway', 'v1beta1'), 'gatewaies');
  assert.equal(pluralName('NetworkPolicy', 'v1alpha1'), 'networkpolicys');
  assert.equal(pluralName('Quiz', 'v1alpha1'), 'quizes');
  assert.equal(pluralName('Bush', 'v1beta1'), 'bushes');
  fc.assert(
    fc.property(kind, (k) => {
      const lower = k.toLowerCase();
      const alpha = pluralName(k, 'v1alpha1');
      const beta = pluralName(k, 'v1beta1');
      if (lower.endsWith('y')) {
        assert.equal(alpha, `${lower}s`);
        assert.equal(beta, `${lower.slice(0, -1)}ies`);
      } else {
        assert.equal(alpha, beta);
        assert.equal(beta, /(s|x|ch|sh|z|o)$/.test(lower) ? `${lower}es` : `${lower}s`);
      }
    }),
  );
});

test('enable generates a valid, fully defaulted FTC named after the target', () => {
  const resource = fc.record({
    name: fc.stringMatching(/^[a-z]{1,12}s$/),
    group: fc.constantFrom('', 'apps', 'acme.io', 'networking.k8s.io'),
    version: fc.constantFrom('v1', 'v1beta1', 'v2alpha3'),
    kind,
    namespaced: fc.boolean(),
    shortNames: fc.array(fc.stringMatching(/^[a-z]{1,4}$/), { maxLength: 3 }),
  });
  fc.assert(
    fc.property(resource, fc.option(fc.constantFrom('types.example.io', 'fed.acme.io'), { nil: undefined }), (r, fedGroup) => {
      const { federatedTypeConfig: ftc, crd } = enableType(r, { federatedGroup: fedGroup });
      assert.deepEqual(validateFederatedTypeConfig(ftc).map((e) => e.message), []);
      assert.equal((ftc.metadata as { name: string }).name, ftcName(r.name, r.group));
      assert.deepEqual(ftcDefaults(ftc, 'v1beta1'), ftc);
      assert.equal(crd.name, `federated${r.name}.${fedGroup ?? 'types.kubefed.io'}`);
      assert.deepEqual(crd.shortNames, r.shortNames.map((s) => `f${s}`));
      const namespaceTarget = r.group === '' && r.name === 'namespaces';
      assert.equal(crd.scope, r.namespaced || namespaceTarget ? 'Namespaced' : 'Cluster');
    }),
  );
  const ns = enableType({ name: 'namespaces', version: 'v1', kind: 'Namespace', namespaced: false, shortNames: ['ns'] });
  assert.equal(ns.crd.scope, 'Namespaced');
  assert.deepEqual((ns.federatedTypeConfig.spec as { targetType: unknown }).targetType, { version: 'v1', kind: 'Namespace', scope: 'Cluster', pluralName: 'namespaces' });
});

test('ftcDefaults only fills empty fields and is idempotent', () => {
  const beta = ftcDefaults(
    {
      metadata: { name: 'gateways.networking.x-k8s.io' },
      spec: {
        targetType: { kind: 'Gateway', version: 'v1', pluralName: '' },
        federatedType: { kind: 'FederatedGateway', group: 'types.kubefed.io', version: 'v1beta1' },
        statusType: { kind: 'FederatedGatewayStatus' },
      },
    },
    'v1beta1',
  );
  assert.deepEqual(beta.spec, {
    targetType: { kind: 'Gateway', version: 'v1', pluralName: 'gateways', group: 'networking.x-k8s.io' },
    federatedType: { kind: 'FederatedGateway', group: 'types.kubefed.io', version: 'v1beta1', pluralName: 'federatedgatewaies' },
    statusType: { kind: 'FederatedGatewayStatus', pluralName: 'federatedgatewaystatuses', group: 'types.kubefed.io', version: 'v1beta1' },
  });
  const alpha = ftcDefaults(
    { metadata: { name: 'jobs.batch' }, spec: { target: { kind: 'Job', version: 'v1' }, template: { kind: 'FederatedJob', group: 'core.federation.k8s.io', version: 'v1alpha1' }, placement: { kind: 'FederatedJobPlacement', group: 'other.io' }, override: { kind: 'FederatedJobOverride' } } },
    'v1alpha1',
  );
  assert.deepEqual(alpha.spec, {
    target: { kind: 'Job', version: 'v1', pluralName: 'jobs', group: 'batch' },
    template: { kind: 'FederatedJob', group: 'core.federation.k8s.io', version: 'v1alpha1', pluralName: 'federatedjobs' },
    placement: { kind: 'FederatedJobPlacement', group: 'other.io', pluralName: 'federatedjobplacements', version: 'v1alpha1' },
    override: { kind: 'FederatedJobOverride', pluralName: 'federatedjoboverrides', group: 'core.federation.k8s.io', version: 'v1alpha1' },
  });
  fc.assert(
    fc.property(fc.constantFrom<'v1alpha1' | 'v1beta1'>('v1alpha1', 'v1beta1'), fc.stringMatching(/^[a-z]{1,8}(\.[a-z]{1,5}){0,2}$/), kind, (era, name, k) => {
      const spec = era === 'v1beta1' ? { targetType: { kind: k }, federatedType: { kind: `Federated${k}` } } : { target: { kind: k }, template: { kind: `Federated${k}` }, placement: { kind: `Federated${k}Placement` } };
      const input = { metadata: { name }, spec };
      const once = ftcDefaults(input, era);
      assert.deepEqual(ftcDefaults(once, era), once);
      assert.deepEqual(input.metadata, { name }); // the input is not modified
    }),
  );
});

const discovery: DiscoveryList[] = [
  { groupVersion: 'v1', resources: [{ name: 'services', singularName: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'] }] },
  { groupVersion: 'apps/v1', resources: [{ name: 'deployments', singularName: 'deployment', kind: 'Deployment', namespaced: true, shortNames: ['deploy'] }] },
  { groupVersion: 'apps/v1beta2', resources: [{ name: 'deployments', singularName: 'deployment', kind: 'Deployment', namespaced: true }] },
  { groupVersion: 'example.com/v1', resources: [{ name: 'services', singularName: 'service', kind: 'Service', namespaced: true }] },
];

test('lookup: core group first, ambiguity, version filter, qualified names', () => {
  const svc = lookupType(discovery, 'SVC');
  assert.ok(svc.ok);
  assert.equal(svc.resource.group, '');
  const amb = lookupType(discovery, 'deployment');
  assert.deepEqual(amb, { ok: false, error: 'Multiple resources are matched by "deployment": deployments.apps, deployments.apps. A group-qualified plural name must be provided.' });
  const v1 = lookupType(discovery, 'deploy', 'v1');
  assert.ok(v1.ok);
  assert.deepEqual([v1.resource.group, v1.resource.version], ['apps', 'v1']);
  const beta = lookupType(discovery, 'deployments', 'v1beta2');
  assert.ok(beta.ok);
  assert.equal(beta.resource.version, 'v1beta2');
  const q = lookupType(discovery, 'services.example.com');
  assert.ok(q.ok);
  assert.equal(q.resource.group, 'example.com');
  assert.deepEqual(lookupType(discovery, 'gizmo'), { ok: false, error: 'Unable to find api resource named "gizmo".' });
  assert.equal(lookupType([{ groupVersion: 'a/b/c', resources: [] }], 'x').ok, false);
});

test('federate strips server fields and keeps only non-empty labels', () => {
  const r = federateDocument({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', namespace: 'n', labels: {}, annotations: { b: '2', a: '1' }, uid: 'u' },
    spec: { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'], ports: [{ port: 80, nodePort: 30000 }] },
    status: {},
  });
  assert.deepEqual(r.federatedObject, {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedService',
    metadata: { name: 's', namespace: 'n' },
    spec: { template: { spec: { ports: [{ port: 80 }] } }, placement: { clusterSelector: { matchLabels: {} } } },
  });
  assert.deepEqual(r.warnings, ['Annotations defined for Service "n/s" will not appear in the template of the federated resource: map[a:1 b:2]']);
  assert.throws(() => federate({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: 'x' } }));
  assert.equal(guessPlural('Endpoints'), 'endpoints');
  assert.equal(guessPlural('Policy'), 'policies');
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), kind, fc.option(fc.stringMatching(/^[a-z]{1,6}$/), { nil: undefined }), (body, k, ns) => {
      const obj = { ...body, apiVersion: 'example.com/v1', kind: k, metadata: { name: 'x', ...(ns ? { namespace: ns } : {}), labels: { a: 'b' } }, status: { s: 1 } };
      const out = federate(obj) as { metadata: { namespace?: string }; spec: { template: Record<string, unknown> } };
      for (const key of ['apiVersion', 'kind', 'status']) assert.ok(!Object.prototype.hasOwnProperty.call(out.spec.template, key));
      assert.deepEqual(out.spec.template.metadata, { labels: { a: 'b' } });
      assert.equal(out.metadata.namespace, ns);
    }),
  );
});

test('built-in type configs of both eras', () => {
  const beta = builtinTypeConfigs('v1beta1');
  const alpha = builtinTypeConfigs('v1alpha1');
  assert.equal(beta.length, 10);
  assert.equal(alpha.length, 9);
  const dep = beta.find((t) => t.targetKind === 'Deployment')!;
  assert.deepEqual([dep.federatedKind, dep.targetGroup, dep.scalable, dep.namespaced, dep.source], ['FederatedDeployment', 'apps', true, true, 'builtin']);
  const ns = beta.find((t) => t.name === 'namespaces')!;
  assert.deepEqual([ns.namespaced, ns.federatedNamespaced], [false, true]);
  const cm = alpha.find((t) => t.targetKind === 'ConfigMap')!;
  assert.deepEqual([cm.templateKind, cm.placementKind, cm.overrideKind, cm.overridePath, cm.comparisonField, cm.federatedGroup], [
    'FederatedConfigMap',
    'FederatedConfigMapPlacement',
    'FederatedConfigMapOverride',
    ['data'],
    'ResourceVersion',
    'core.federation.k8s.io',
  ]);
  assert.equal(alpha.find((t) => t.targetKind === 'Service')!.overrideKind, undefined);
  const ws = typeConfigFromFtc(enableType({ name: 'widgets', group: 'acme.io', version: 'v1', kind: 'Widget', namespaced: true }).federatedTypeConfig);
  assert.deepEqual(ws && [ws.era, ws.name, ws.federatedKind, ws.targetPlural, ws.source, ws.scalable], ['v1beta1', 'widgets.acme.io', 'FederatedWidget', 'widgets', 'workspace', false]);
  assert.equal(typeConfigFromFtc({ apiVersion: 'v1', kind: 'ConfigMap' }), null);
});
