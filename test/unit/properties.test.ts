import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { Workspace } from '../../server/engine/workspace.ts';
import { deepEqual, deepClone } from '../../server/engine/json.ts';

const CLUSTERS = `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata: {name: c1, labels: {region: eu}}
spec: {apiEndpoint: https://127.0.0.1:1, secretRef: {name: s}}
---
apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata: {name: c2, labels: {region: us}}
spec: {apiEndpoint: https://127.0.0.1:2, secretRef: {name: s}}
`;

const json = fc.jsonValue({ maxDepth: 4 });
const key = fc.constantFrom('spec', 'metadata', 'replicas', 'data', 'a', '__proto__', 'constructor', 'containers', '0', '-');
const pointer = fc.oneof(
  fc.array(key, { maxLength: 4 }).map((k) => '/' + k.join('/')),
  fc.string(),
  fc.constantFrom('/metadata/name', '/__proto__/polluted', '/constructor/prototype/polluted', 'spec/replicas', '/spec/replicas/-1'),
);
const clusterOverride = fc.record({ op: fc.constantFrom('add', 'remove', 'replace', '', 'move', undefined), path: pointer, value: json }, { requiredKeys: [] });
const override = fc.record({ clusterName: fc.constantFrom('c1', 'c2', 'c9', ''), clusterOverrides: fc.oneof(fc.array(clusterOverride, { maxLength: 4 }), json) }, { requiredKeys: [] });
const placement = fc.oneof(
  json,
  fc.record({
    clusters: fc.oneof(fc.constant(null), fc.array(fc.record({ name: fc.constantFrom('c1', 'c2', 'x') }), { maxLength: 3 })),
    clusterSelector: fc.oneof(json, fc.record({ matchLabels: fc.dictionary(fc.constantFrom('region', 'bad key!'), fc.constantFrom('eu', 'us')) })),
  }, { requiredKeys: [] }),
);
const kind = fc.constantFrom('FederatedDeployment', 'FederatedConfigMap', 'FederatedService', 'FederatedNamespace', 'FederatedSecret', 'FederatedServiceAccount', 'FederatedThing');
const federated = fc.record({
  apiVersion: fc.constantFrom('types.kubefed.io/v1beta1', 'core.federation.k8s.io/v1alpha1'),
  kind,
  metadata: fc.record({ name: fc.constantFrom('a', 'b', 'ns'), namespace: fc.constantFrom('ns', 'other') }, { requiredKeys: [] }),
  spec: fc.oneof(json, fc.record({ template: json, placement, overrides: fc.oneof(fc.array(override, { maxLength: 3 }), json), retainReplicas: json }, { requiredKeys: [] })),
}, { requiredKeys: ['apiVersion', 'kind'] });

test('rendering and diagnostics never throw on any parsed input, and never mutate it', () => {
  fc.assert(
    fc.property(fc.array(federated, { maxLength: 4 }), (objs) => {
      const before = deepClone(objs);
      const w = new Workspace();
      w.setFile('clusters.yaml', CLUSTERS);
      w.setFile('f.yaml', objs.map((o) => stringify(o)).join('---\n'));
      w.allDiagnostics();
      for (const res of w.resources()) {
        for (const c of ['c1', 'c2', 'c9']) {
          const r = w.render(res, c);
          assert.equal(typeof r.ok, 'boolean');
          if (!r.ok) assert.ok(r.status, 'a failed render names its status');
        }
      }
      assert.ok(deepEqual(objs, before));
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    }),
    { numRuns: 300 },
  );
});

test('arbitrary text never breaks the workspace', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (a, b) => {
      const w = new Workspace();
      w.setFile('x.yaml', a);
      w.allDiagnostics();
      w.setFile('x.yaml', `${a}\n---\n${b}`);
      for (const d of w.allDiagnostics()) assert.ok(d.range.start.line >= 0);
      for (const res of w.resources()) w.renderAll(res);
    }),
    { numRuns: 300 },
  );
});
