/**
 * Templates against the schemas each member cluster serves, over the bundled server: a fake API
 * server of an older version behind a kubeconfig context, another context that does not answer.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { Client, positionOf, startServer, uriOf } from './harness.ts';
import { fakeApiServer, fixtureDocument, kubeconfigFor } from '../fixtures/fakeApiServer.ts';

const MEMBERS = `${['cluster1', 'cluster2'].map((n) => `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata: {name: ${n}, namespace: kube-federation-system}
spec: {apiEndpoint: 'https://${n}.example.com', secretRef: {name: ${n}}}
---
`).join('')}apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: demo, namespace: demo}
spec: {placement: {clusters: [{name: cluster1}, {name: cluster2}]}}
`;

const DEPLOYMENT = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata: {name: web, namespace: demo}
spec:
  template:
    spec:
      minReadySeconds: 5
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: [{name: main, image: nginx}]
  placement:
    clusters: [{name: cluster1}, {name: cluster2}]
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedIngress
metadata: {name: web, namespace: demo}
spec:
  template:
    spec: {rules: []}
  placement:
    clusters: [{name: cluster1}]
`;

/** apps/v1 as an older server serves it: DeploymentSpec without minReadySeconds. */
function olderApps(): Record<string, unknown> {
  const doc = fixtureDocument('apps.v1') as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
  delete doc.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.minReadySeconds;
  return doc;
}

const about = (d: Diagnostic[]) => d.filter((x) => String(x.code).startsWith('cluster-'));

describe('member cluster schemas', () => {
  let c: Client;
  let api: Awaited<ReturnType<typeof fakeApiServer>>;
  let folder: string;
  let outside: string;
  const cacheBefore = process.env.XDG_CACHE_HOME;
  before(async () => {
    api = await fakeApiServer('v1.20.0');
    api.state.docs['apis/apps/v1'] = olderApps();
    folder = mkdtempSync(join(tmpdir(), 'kfed-members-'));
    outside = mkdtempSync(join(tmpdir(), 'kfed-members-config-'));
    writeFileSync(join(folder, 'members.yaml'), MEMBERS);
    const kubeconfig = join(outside, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigFor({ cluster1: api.url, cluster2: 'http://127.0.0.1:1' }));
    process.env.XDG_CACHE_HOME = join(outside, 'cache');
    c = await startServer({ folder, initializationOptions: { kubeconfig } });
  });
  after(async () => {
    await c?.stop();
    await api?.close();
    if (cacheBefore === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = cacheBefore;
    rmSync(folder, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('names the cluster and its version at a field it does not know and at a kind it does not serve; nothing about a cluster that does not answer', async () => {
    const uri = uriOf(join(folder, 'web.yaml'));
    c.open(uri, DEPLOYMENT);
    const d = about(await c.waitDiagnostics(uri, (x) => about(x).length >= 2, 20000));
    assert.equal(d.length, 2, JSON.stringify(d));
    const field = d.find((x) => x.code === 'cluster-schema')!;
    assert.match(String(field.message), /^cluster1 \(v1\.20\.0\) does not know the field spec\.minReadySeconds of apps\/v1 Deployment/);
    assert.deepEqual(field.range.start, positionOf(DEPLOYMENT, 'minReadySeconds'));
    assert.equal(field.severity, 2);
    const kind = d.find((x) => x.code === 'cluster-kind-not-served')!;
    assert.match(String(kind.message), /^cluster1 \(v1\.20\.0\) does not serve extensions\/v1beta1 Ingress/);
    assert.deepEqual(kind.range.start, positionOf(DEPLOYMENT, 'FederatedIngress'));
    const all = await c.waitDiagnostics(uri, () => true);
    assert.ok(!all.some((x) => String(x.message).includes('cluster2 (')), 'the unreachable cluster is not in the template');
  });

  it('kubefed/refreshSchemas reads what changed and re-validates', async () => {
    const uri = uriOf(join(folder, 'web.yaml'));
    delete api.state.docs['apis/apps/v1'];
    api.state.hashes['apis/apps/v1'] = 'B2';
    const r = (await c.request('kubefed/refreshSchemas', {})) as { clusters: { name: string; version: string }[]; unreachable: { name: string }[]; fetched: number };
    assert.deepEqual(r.clusters.map((x) => [x.name, x.version]), [['cluster1', 'v1.20.0']]);
    assert.deepEqual(r.unreachable.map((x) => x.name), ['cluster2']);
    assert.equal(r.fetched, 1);
    const d = about(await c.waitDiagnostics(uri, (x) => !x.some((y) => y.code === 'cluster-schema'), 20000));
    assert.deepEqual(d.map((x) => x.code), ['cluster-kind-not-served']);
    c.close(uri);
  });

  it('a field newer than the pinned schemas that every placed cluster serves gets no schema warning', async () => {
    const doc = fixtureDocument('apps.v1') as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    doc.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.newerField = { type: 'integer' };
    api.state.docs['apis/apps/v1'] = doc;
    api.state.hashes['apis/apps/v1'] = 'B3';
    await c.request('kubefed/refreshSchemas', {});
    const text = (clusters: string) => DEPLOYMENT.split('---')[0].replace('minReadySeconds: 5', 'newerField: 1').replace('[{name: cluster1}, {name: cluster2}]', clusters);
    const uri = uriOf(join(folder, 'newer.yaml'));
    // cluster2 does not answer: the pinned schemas decide, and they do not know the field
    const both = text('[{name: cluster1}, {name: cluster2}]');
    c.open(uri, both);
    const d = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'schema'), 20000);
    assert.deepEqual(d.find((y) => y.code === 'schema')!.range.start, positionOf(both, 'newerField'));
    // placed on cluster1 only, which serves it
    c.replace(uri, text('[{name: cluster1}]'));
    const only = await c.waitDiagnostics(uri, (x) => !x.some((y) => y.code === 'schema'), 20000);
    assert.deepEqual(about(only), []);
    c.close(uri);
  });
});
