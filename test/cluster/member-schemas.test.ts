/**
 * Per-cluster template checks through the language server against three real kube-apiservers:
 * a Widget CRD (example.com/v1) in cluster1, none in cluster2, an older one serving only
 * example.com/v1beta1 in cluster3. The built server (protocol client, a kubeconfig with a context
 * per local cluster) names the clusters that do not serve the template's kind, with their
 * versions, and follows a CRD added to a member after `kubefed/refreshSchemas`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { useFederation } from '../clusters/fixtures.ts';
import type { Federation } from '../clusters/launcher.ts';
import { Client, ROOT, positionOf, startServer, uriOf } from '../protocol/harness.ts';

const fx = useFederation();
const CRDS = join(ROOT, 'test', 'fixtures', 'crds');
const crdOf = (file: string) => parseAllDocuments(readFileSync(join(CRDS, file), 'utf8'))[0].toJSON();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates a CRD in one member and waits until that member lists its group-version on /openapi/v3. */
async function installCrd(fed: Federation, cluster: string, file: string, groupVersion: string): Promise<void> {
  const r = await fed.request(cluster, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crdOf(file));
  assert.equal(r.status, 201, `${cluster}: ${r.body}`);
  for (let i = 0; i < 150; i++) {
    const list = await fed.request(cluster, 'GET', '/openapi/v3');
    if (list.status === 200 && list.json().paths?.[`apis/${groupVersion}`]) return;
    await sleep(200);
  }
  assert.fail(`${cluster} never published apis/${groupVersion} on /openapi/v3`);
}

const WIDGET = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: demo, namespace: demo}
spec: {placement: {clusters: [{name: cluster1}, {name: cluster2}, {name: cluster3}]}}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedWidget
metadata: {name: w, namespace: demo}
spec:
  template:
    spec: {size: 3, color: red}
  placement:
    clusters: [{name: cluster1}, {name: cluster2}, {name: cluster3}]
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedIngress
metadata: {name: web, namespace: demo}
spec:
  template:
    spec: {rules: []}
  placement:
    clusters: [{name: cluster3}]
`;

/** waitDiagnostics, with the server's log in the failure. */
async function waitFor(c: Client, uri: string, ok: (d: Diagnostic[]) => boolean, ms: number): Promise<Diagnostic[]> {
  try {
    return await c.waitDiagnostics(uri, ok, ms);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nserver log:\n${c.logs.join('\n')}`);
  }
}

const served = (d: Diagnostic[]) => d.filter((x) => x.code === 'cluster-kind-not-served').map((x) => String(x.message)).sort();

let c: Client | undefined;
let folder: string;
const cacheBefore = process.env.XDG_CACHE_HOME;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'kfed-member-schemas-'));
  process.env.XDG_CACHE_HOME = join(folder, 'cache');
});
after(async () => {
  await c?.stop();
  if (cacheBefore === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = cacheBefore;
  rmSync(folder, { recursive: true, force: true });
});

test('a CRD missing in one member and served at another version in another: one diagnostic naming them with their versions, refreshed after the CRD is added', { timeout: 180_000 }, async () => {
  const fed = fx.fed;
  await installCrd(fed, 'cluster1', 'widgets.yaml', 'example.com/v1');
  await installCrd(fed, 'cluster3', 'widgets-v1beta1.yaml', 'example.com/v1beta1');
  const ws = join(folder, 'ws');
  mkdirSync(ws);
  writeFileSync(join(ws, 'widgets.yaml'), readFileSync(join(CRDS, 'widgets.yaml'), 'utf8'));
  c = await startServer({ folder: ws, initializationOptions: { kubeconfig: fed.kubeconfigPath } });
  const uri = uriOf(join(ws, 'w.yaml'));
  c.open(uri, WIDGET);
  const v = fed.version;
  const first = await waitFor(c, uri, (d) => served(d).length === 2, 60_000);
  assert.deepEqual(served(first), [
    `cluster2 (${v}) and cluster3 (${v}) do not serve example.com/v1 Widget (cluster3 serves example.com/v1beta1): KubeFed cannot propagate it there.`,
    `cluster3 (${v}) does not serve extensions/v1beta1 Ingress (cluster3 serves networking.k8s.io/v1): KubeFed cannot propagate it there.`,
  ]);
  const widget = first.find((x) => String(x.message).includes('Widget'))!;
  assert.deepEqual(widget.range.start, positionOf(WIDGET, 'FederatedWidget'));
  // the template itself is valid against the workspace CRD and cluster1's: no field findings
  assert.deepEqual(first.filter((x) => x.code === 'cluster-schema' || x.code === 'schema'), []);

  await installCrd(fed, 'cluster2', 'widgets.yaml', 'example.com/v1');
  const r = await c.request<{ clusters: { name: string; version: string }[]; unreachable: unknown[]; fetched: number }>('kubefed/refreshSchemas', {});
  assert.deepEqual(r.clusters.map((x) => [x.name, x.version]), [['cluster1', v], ['cluster2', v], ['cluster3', v]]);
  assert.deepEqual(r.unreachable, []);
  assert.ok(r.fetched >= 1 && r.fetched < 10, `only changed documents are downloaded again (${r.fetched})`);
  const after = await waitFor(c, uri, (d) => served(d).some((m) => m.startsWith('cluster3 (') && m.includes('Widget')), 30_000);
  assert.deepEqual(served(after), [
    `cluster3 (${v}) does not serve example.com/v1 Widget (cluster3 serves example.com/v1beta1): KubeFed cannot propagate it there.`,
    `cluster3 (${v}) does not serve extensions/v1beta1 Ingress (cluster3 serves networking.k8s.io/v1): KubeFed cannot propagate it there.`,
  ]);
  c.close(uri);
});
