/** kfed validate --kubeconfig: templates against the schemas each member serves (a fake API server). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../server/cli/run.ts';
import { fakeApiServer, fixtureDocument, kubeconfigFor } from '../fixtures/fakeApiServer.ts';

const INPUT = `${['cluster1', 'cluster2'].map((n) => `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata: {name: ${n}, namespace: kube-federation-system}
spec: {apiEndpoint: 'https://${n}.example.com', secretRef: {name: ${n}}}
---
`).join('')}apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: demo, namespace: demo}
spec: {placement: {clusters: [{name: cluster1}, {name: cluster2}]}}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata: {name: web, namespace: demo}
spec:
  template:
    spec:
      minReadySeconds: 5
      replicas: "two"
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: [{name: main, image: nginx}]
  placement:
    clusters: [{name: cluster1}, {name: cluster2}]
`;

test('validate --kubeconfig: a field a member does not know, a wrong type, notes for members that do not answer; --offline skips them', async () => {
  const api = await fakeApiServer('v1.20.0');
  const doc = fixtureDocument('apps.v1') as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
  delete doc.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.minReadySeconds;
  api.state.docs['apis/apps/v1'] = doc;
  const dir = mkdtempSync(join(tmpdir(), 'kfed-validate-clusters-'));
  const cacheBefore = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = join(dir, 'cache');
  try {
    writeFileSync(join(dir, 'kubeconfig'), kubeconfigFor({ cluster1: api.url, cluster2: 'http://127.0.0.1:1' }));
    writeFileSync(join(dir, 'web.yaml'), INPUT);
    const file = join(dir, 'web.yaml');
    const r = await run(['validate', file, '--kubeconfig', join(dir, 'kubeconfig')]);
    assert.equal(r.exit, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /web\.yaml:22:7 warning cluster-schema cluster1 \(v1\.20\.0\) does not know the field spec\.minReadySeconds of apps\/v1 Deployment/);
    assert.match(r.stdout, /web\.yaml:23:17 error cluster-schema cluster1 \(v1\.20\.0\) expects integer at spec\.replicas of apps\/v1 Deployment/);
    assert.doesNotMatch(r.stdout, /cluster2 \(/);
    assert.match(r.stderr, /^note: no schemas of cluster cluster2 /m);
    assert.doesNotMatch(r.stderr, /secret-token-value/);
    const offline = await run(['validate', file, '--kubeconfig', join(dir, 'kubeconfig'), '--offline']);
    assert.doesNotMatch(offline.stdout, /cluster-schema/);
    assert.equal(offline.exit, 0, offline.stdout);
  } finally {
    if (cacheBefore === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = cacheBefore;
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
