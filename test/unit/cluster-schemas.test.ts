import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import k8s from '../../server/schemas/k8s.json' with { type: 'json' };
import { Workspace } from '../../server/engine/workspace.ts';
import { deepClone, type JsonObject } from '../../server/engine/json.ts';
import type { SchemaBundle } from '../../server/engine/validation/openapi.ts';
import { fieldProblems, sourceOf } from '../../server/engine/validation/schemaSets.ts';
import { crdBundle } from '../../server/engine/validation/crds.ts';
import { parseAllDocuments } from 'yaml';

const PINNED = k8s as unknown as SchemaBundle;
const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'crds');

/** The pinned schemas as an older server would serve them: Deployment spec without minReadySeconds. */
function older(): SchemaBundle {
  const b = deepClone(PINNED as unknown as JsonObject) as unknown as SchemaBundle;
  delete (b.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties as JsonObject).minReadySeconds;
  return { ...b, version: 'v1.20.0' };
}

const CLUSTERS = ['cluster1', 'cluster2', 'cluster3'].map((n) => `---
apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata: {name: ${n}, namespace: kube-federation-system}
spec: {apiEndpoint: 'https://${n}:6443', secretRef: {name: ${n}}}
`).join('');

const NS = `---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: demo, namespace: demo}
spec: {placement: {clusters: [{name: cluster1}, {name: cluster2}, {name: cluster3}]}}
`;

const deployment = (extra: string, clusters = ['cluster1', 'cluster2', 'cluster3']) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata: {name: web, namespace: demo}
spec:
  template:
    spec:
${extra}      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - name: main
            image: nginx
  placement:
    clusters: [${clusters.map((c) => `{name: ${c}}`).join(', ')}]
`;

function workspace(text: string): Workspace {
  const ws = new Workspace();
  ws.setFile('file:///w/clusters.yaml', CLUSTERS + NS);
  ws.setFile('file:///w/web.yaml', text);
  return ws;
}

const of = (ws: Workspace, code: string) => ws.diagnostics('file:///w/web.yaml').filter((d) => d.code === code);

test('field problems: unknown fields and wrong types along the schema, not inside open maps', () => {
  const src = sourceOf(PINNED);
  const def = src.definition('io.k8s.api.apps.v1.Deployment');
  const problems = fieldProblems({ spec: { replicas: 'three', replicaz: 1, template: { metadata: { labels: { any: 'x' } } } } }, def, src);
  assert.deepEqual(problems, [
    { path: ['spec', 'replicas'], problem: 'type', expected: 'integer' },
    { path: ['spec', 'replicaz'], problem: 'unknown-field' },
  ]);
  assert.deepEqual(fieldProblems({ spec: { replicas: 3 } }, def, src), []);
});

test('a template field one placed cluster does not know: one warning at the field naming that cluster and its version', () => {
  const ws = workspace(deployment('      minReadySeconds: 5\n'));
  assert.deepEqual(of(ws, 'cluster-schema'), []);
  ws.setClusterSchemas([
    { cluster: 'cluster1', version: 'v1.34.4', bundle: PINNED },
    { cluster: 'cluster2', version: 'v1.20.0', bundle: older() },
    { cluster: 'cluster3', version: 'v1.20.0', bundle: older() },
  ], PINNED);
  const d = of(ws, 'cluster-schema');
  assert.equal(d.length, 1, JSON.stringify(d));
  assert.equal(d[0].severity, 'warning');
  assert.match(d[0].message, /^cluster2 \(v1\.20\.0\) and cluster3 \(v1\.20\.0\) do not know the field spec\.minReadySeconds of apps\/v1 Deployment/);
  assert.deepEqual(d[0].range.start, { line: 6, character: 6 });
  assert.deepEqual(d[0].data, { clusters: ['cluster2', 'cluster3'] });
});

test('only clusters the template is placed on count; problems the reference schemas find too are not repeated', () => {
  const ws = workspace(deployment('      minReadySeconds: 5\n      replicaz: 1\n', ['cluster1']));
  ws.setClusterSchemas([
    { cluster: 'cluster1', version: 'v1.34.4', bundle: PINNED },
    { cluster: 'cluster2', version: 'v1.20.0', bundle: older() },
  ], PINNED);
  assert.deepEqual(of(ws, 'cluster-schema'), []);
  // without a reference (kfed validate) the unknown field is the cluster's finding
  ws.setClusterSchemas([{ cluster: 'cluster1', version: 'v1.34.4', bundle: PINNED }]);
  assert.deepEqual(of(ws, 'cluster-schema').map((d) => d.message.split(':')[0]), ['cluster1 (v1.34.4) does not know the field spec.replicaz of apps/v1 Deployment']);
});

test('a target kind a cluster does not serve: the default FederatedIngress (extensions/v1beta1) on a modern cluster', () => {
  const ws = workspace(`apiVersion: types.kubefed.io/v1beta1
kind: FederatedIngress
metadata: {name: web, namespace: demo}
spec:
  template:
    spec: {rules: []}
  placement:
    clusters: [{name: cluster3}]
`);
  ws.setClusterSchemas([{ cluster: 'cluster3', version: 'v1.34.4', bundle: PINNED }], PINNED);
  const d = of(ws, 'cluster-kind-not-served');
  assert.equal(d.length, 1);
  assert.equal(d[0].severity, 'error');
  assert.equal(d[0].message, 'cluster3 (v1.34.4) does not serve extensions/v1beta1 Ingress (cluster3 serves networking.k8s.io/v1): KubeFed cannot propagate it there.');
  assert.deepEqual(d[0].range.start, { line: 1, character: 6 });
  // no cluster schemas (offline): nothing about clusters
  ws.setClusterSchemas([], PINNED);
  assert.deepEqual(of(ws, 'cluster-kind-not-served'), []);
});

test('a CRD missing in one member and served at another version in another', () => {
  const crd = (f: string) => crdBundle(parseAllDocuments(readFileSync(join(FIXTURES, f), 'utf8')).map((d) => d.toJSON() as JsonObject));
  const v1 = { ...crd('widgets.yaml'), definitions: { ...PINNED.definitions, ...crd('widgets.yaml').definitions } };
  const v1beta1 = crd('widgets-v1beta1.yaml');
  const ws = workspace(readFileSync(join(FIXTURES, 'widgets.yaml'), 'utf8').split('\n---\n')[1] + `---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedWidget
metadata: {name: w, namespace: demo}
spec:
  template:
    spec: {size: 3, color: red}
  placement:
    clusters: [{name: cluster1}, {name: cluster2}, {name: cluster3}]
`);
  ws.setClusterSchemas([
    { cluster: 'cluster1', version: 'v1.34.4', bundle: { ...PINNED, kinds: [...PINNED.kinds, ...v1.kinds], definitions: v1.definitions } },
    { cluster: 'cluster2', version: 'v1.34.4', bundle: PINNED },
    { cluster: 'cluster3', version: 'v1.33.0', bundle: { ...PINNED, kinds: [...PINNED.kinds, ...v1beta1.kinds], definitions: { ...PINNED.definitions, ...v1beta1.definitions } } },
  ], PINNED);
  const d = of(ws, 'cluster-kind-not-served');
  assert.equal(d.length, 1, JSON.stringify(ws.diagnostics('file:///w/web.yaml')));
  assert.equal(d[0].message, 'cluster2 (v1.34.4) and cluster3 (v1.33.0) do not serve example.com/v1 Widget (cluster3 serves example.com/v1beta1): KubeFed cannot propagate it there.');
  assert.deepEqual(of(ws, 'cluster-schema'), []);
});

test('a field newer than the pinned version that every placed cluster serves is accepted: where the editor drops the pinned finding', () => {
  const newer = deepClone(PINNED as unknown as JsonObject) as unknown as SchemaBundle;
  (newer.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties as JsonObject).newerField = { type: 'integer' };
  const ws = workspace(deployment('      newerField: 1\n', ['cluster1', 'cluster2']));
  ws.setClusterSchemas([
    { cluster: 'cluster1', version: 'v1.36.0', bundle: newer },
    { cluster: 'cluster2', version: 'v1.36.0', bundle: newer },
  ], PINNED);
  assert.deepEqual(of(ws, 'cluster-schema'), []);
  assert.deepEqual(ws.analysis().clusterAccepted.get('file:///w/web.yaml')?.map((r) => r.start), [{ line: 6, character: 6 }]);
  // one placed cluster without schemas (not answering): nothing is accepted
  ws.setClusterSchemas([{ cluster: 'cluster1', version: 'v1.36.0', bundle: newer }], PINNED);
  assert.equal(ws.analysis().clusterAccepted.size, 0);
  // one placed cluster of the pinned version: it does not know the field either, nothing accepted
  ws.setClusterSchemas([
    { cluster: 'cluster1', version: 'v1.36.0', bundle: newer },
    { cluster: 'cluster2', version: 'v1.34.4', bundle: PINNED },
  ], PINNED);
  assert.equal(ws.analysis().clusterAccepted.size, 0);
  assert.deepEqual(of(ws, 'cluster-schema'), []);
});

test('per-cluster field findings follow schemaStrictness in the language server; a kind not served does not', async () => {
  const { clusterSchemaStrictness } = await import('../../server/lsp/diagnostics.ts');
  const field = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'm', code: 'cluster-schema', severity: 2 as const };
  assert.deepEqual(clusterSchemaStrictness('off', field), []);
  assert.equal(clusterSchemaStrictness('strict', field)[0].severity, 1);
  assert.equal(clusterSchemaStrictness('normal', field)[0].severity, 2);
  const kind = { ...field, code: 'cluster-kind-not-served', severity: 1 as const };
  assert.deepEqual(clusterSchemaStrictness('off', kind), [kind]);
});
