/**
 * Workspace awareness: go to definition, references, document and workspace symbols, the
 * custom requests and the inventory notification, files changing on disk.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DidChangeWatchedFilesNotification } from 'vscode-languageserver-protocol';
import { Client, FIXTURES, positionOf, startServer, uriOf } from './harness.ts';

const folder = join(FIXTURES, 'v1beta1');
const webUri = uriOf(join(folder, 'web.yaml'));
const web = readFileSync(join(folder, 'web.yaml'), 'utf8');
const clustersUri = uriOf(join(folder, 'clusters.yaml'));
const clusters = readFileSync(join(folder, 'clusters.yaml'), 'utf8');

describe('navigation and custom requests', () => {
  let c: Client;
  before(async () => {
    c = await startServer({ folder });
    c.open(webUri, web);
    await c.waitDiagnostics(webUri);
  });
  after(async () => {
    await c?.stop();
  });

  it('goes from a cluster name to its KubeFedCluster', async () => {
    const defs = await c.definition(webUri, positionOf(web, 'clusterName: cluster2', 15));
    assert.equal(defs.length, 1);
    assert.equal(defs[0].uri, clustersUri);
    assert.deepEqual(defs[0].range.start, positionOf(clusters, 'name: cluster2', 6));
  });

  it('finds every reference of a cluster name', async () => {
    const refs = await c.references(webUri, positionOf(web, 'name: cluster2', 7));
    const where = refs.map((r) => `${r.uri.split('/').pop()}:${r.range.start.line}`).sort();
    assert.deepEqual(where, [
      `clusters.yaml:${positionOf(clusters, 'name: cluster2').line}`,
      `namespace.yaml:9`,
      `scheduling.yaml:${positionOf(readFileSync(join(folder, 'scheduling.yaml'), 'utf8'), 'cluster2:').line}`,
      `web.yaml:${positionOf(web, 'name: cluster2').line}`,
      `web.yaml:${positionOf(web, 'clusterName: cluster2').line}`,
    ].sort());
    // from the declaration as well
    const fromDecl = await c.references(clustersUri, positionOf(clusters, 'name: cluster2', 7), false);
    assert.equal(fromDecl.length, 4);
  });

  it('lists document symbols with their sections', async () => {
    const syms = await c.documentSymbols(webUri);
    assert.deepEqual(
      syms.map((s) => [s.name, s.detail, s.children?.map((x) => x.name)]),
      [
        ['FederatedDeployment demo/web', 'types.kubefed.io/v1beta1', ['template', 'placement', 'overrides']],
        ['FederatedSecret demo/web-credentials', 'types.kubefed.io/v1beta1', ['template', 'placement']],
      ],
    );
    assert.deepEqual(syms[0].selectionRange.start, positionOf(web, 'web\n'));
  });

  it('finds workspace symbols across files', async () => {
    const all = await c.workspaceSymbols('cluster');
    const names = all.map((s) => s.name);
    for (const n of ['KubeFedCluster kube-federation-system/cluster1', 'KubeFedCluster kube-federation-system/cluster3']) assert.ok(names.includes(n), n);
    const api = await c.workspaceSymbols('fdeployapi');
    assert.deepEqual(api.map((s) => s.name), ['FederatedDeployment demo/api']);
    assert.equal(api[0].location.uri, uriOf(join(folder, 'scheduling.yaml')));
  });

  it('kubefed/render: per-cluster objects', async () => {
    const r = await c.request<{ resources: { kind: string; name: string; clusters: { cluster: string; object?: Record<string, unknown>; yaml?: string; overriddenPaths: string[] }[] }[] }>('kubefed/render', { uri: webUri });
    assert.deepEqual(r.resources.map((x) => `${x.kind}/${x.name}`), ['FederatedDeployment/web', 'FederatedSecret/web-credentials']);
    const dep = r.resources[0];
    assert.deepEqual(dep.clusters.map((x) => x.cluster), ['cluster1', 'cluster2']);
    const c2 = dep.clusters[1];
    assert.equal((c2.object as { spec: { replicas: number } }).spec.replicas, 5);
    assert.deepEqual(c2.overriddenPaths, ['/spec/replicas', '/spec/template/spec/containers/0/image']);
    assert.match(c2.yaml!, /replicas: 5  # ← overridden/);
    const secret = r.resources[1].clusters[0];
    assert.equal((secret.object as { data: { password: string } }).data.password, '••••••••');
    const one = await c.request<{ resources: { clusters: { cluster: string; selected: boolean; reason?: string }[] }[] }>('kubefed/render', {
      uri: webUri,
      position: positionOf(web, 'FederatedDeployment'),
      cluster: 'cluster3',
    });
    assert.equal(one.resources.length, 1);
    assert.deepEqual(one.resources[0].clusters, [{ cluster: 'cluster3', selected: false, reason: 'not listed in placement.clusters', ok: true, overriddenPaths: [] }]);
  });

  it('kubefed/placement: resources × clusters with reasons', async () => {
    const p = await c.request<{
      clusters: string[];
      resources: { id: string; kind: string; name: string; location?: { uri: string }; selected: string[]; reasons: Record<string, { selected: boolean; text: string }>; rsp?: { schedule: Record<string, number> }; overrides?: Record<string, number> }[];
    }>('kubefed/placement', {});
    assert.deepEqual(p.clusters, ['cluster1', 'cluster2', 'cluster3']);
    const byName = Object.fromEntries(p.resources.map((r) => [`${r.kind}/${r.name}`, r]));
    assert.deepEqual(byName['FederatedDeployment/web'].selected, ['cluster1', 'cluster2']);
    assert.equal(byName['FederatedDeployment/web'].reasons.cluster3.text, 'not listed in placement.clusters');
    assert.deepEqual(byName['FederatedDeployment/api'].rsp?.schedule, { cluster1: 4, cluster2: 6, cluster3: 0 });
    assert.ok(byName['FederatedNamespace/demo']);
    // How many fields each selected cluster's overrides change, as kubefed/render counts them.
    assert.deepEqual(byName['FederatedDeployment/web'].overrides, { cluster1: 0, cluster2: 2 });
    let compared = 0;
    for (const uri of new Set(p.resources.map((r) => r.location?.uri).filter((u): u is string => !!u))) {
      const rendered = await c.request<{ resources: { id: string; clusters: { cluster: string; selected: boolean; overriddenPaths: string[] }[] }[] }>('kubefed/render', { uri });
      for (const rr of rendered.resources) {
        const pr = p.resources.find((x) => x.id === rr.id)!;
        for (const cl of rr.clusters.filter((x) => x.selected)) {
          assert.equal(pr.overrides?.[cl.cluster], cl.overriddenPaths.length, `${rr.id} on ${cl.cluster}`);
          compared++;
        }
      }
    }
    assert.ok(compared >= 6, `compared ${compared} cells`);
  });

  it('kubefed/clusters and kubefed/inventoryChanged', async () => {
    const r = await c.request<{ clusters: { name: string; labels: Record<string, string>; source: string }[] }>('kubefed/clusters', {});
    assert.deepEqual(r.clusters.map((x) => [x.name, x.labels.region, x.source]), [
      ['cluster1', 'us-east', 'workspace'],
      ['cluster2', 'eu-west', 'workspace'],
      ['cluster3', 'us-west', 'workspace'],
    ]);
    // editing the clusters file changes the inventory: the client is told
    const before = c.notifications.filter((n) => n.method === 'kubefed/inventoryChanged').length;
    c.open(clustersUri, clusters);
    c.replace(clustersUri, clusters.replace('region: us-west', 'region: ap-south'));
    await c.waitDiagnostics(clustersUri);
    await c.request('kubefed/stats', {});
    const after = c.notifications.filter((n) => n.method === 'kubefed/inventoryChanged');
    assert.equal(after.length, before + 1);
    const last = after[after.length - 1].params as { clusters: { name: string; labels: Record<string, string> }[] };
    assert.equal(last.clusters.find((x) => x.name === 'cluster3')?.labels.region, 'ap-south');
    c.replace(clustersUri, clusters);
    c.close(clustersUri);
    await c.request('kubefed/stats', {});
  });
});

describe('files changing on disk', () => {
  let c: Client;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubefed-lsp-ws-'));
    cpSync(folder, dir, { recursive: true });
    c = await startServer({ folder: dir });
  });
  after(async () => {
    await c?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('indexes new, changed and deleted files (workspace/didChangeWatchedFiles)', async () => {
    const p0 = await c.request<{ resources: { name: string }[] }>('kubefed/placement', {});
    assert.ok(!p0.resources.some((r) => r.name === 'extra'));
    const file = join(dir, 'extra.yaml');
    writeFileSync(file, 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nmetadata:\n  name: extra\n  namespace: demo\nspec:\n  template:\n    data:\n      a: b\n  placement:\n    clusters:\n    - name: cluster1\n');
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(file), type: 1 }] });
    await c.request('kubefed/stats', {});
    const p1 = await c.request<{ resources: { name: string; selected: string[] }[] }>('kubefed/placement', {});
    assert.deepEqual(p1.resources.find((r) => r.name === 'extra')?.selected, ['cluster1']);
    // a file with a problem gets diagnostics without being open
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: cluster1', 'name: cluster9'));
    const d = c.waitDiagnostics(uriOf(file), (x) => x.some((y) => y.code === 'unknown-cluster'));
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(file), type: 2 }] });
    await d;
    rmSync(file);
    const cleared = c.waitDiagnostics(uriOf(file), (x) => x.length === 0);
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(file), type: 3 }] });
    await cleared;
    const p2 = await c.request<{ resources: { name: string }[] }>('kubefed/placement', {});
    assert.ok(!p2.resources.some((r) => r.name === 'extra'));
  });

  it('a watched change inside a skipped folder is not indexed (the loader rules)', async () => {
    const text = 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nmetadata:\n  name: NAME\n  namespace: demo\nspec:\n  template: {}\n  placement:\n    clusters:\n    - name: cluster1\n';
    const skipped = join(dir, 'node_modules', 'chart', 'dep.yaml');
    const kept = join(dir, 'charts', 'kept.yaml');
    mkdirSync(join(dir, 'node_modules', 'chart'), { recursive: true });
    mkdirSync(join(dir, 'charts'), { recursive: true });
    writeFileSync(skipped, text.replace('NAME', 'in-node-modules'));
    writeFileSync(kept, text.replace('NAME', 'in-charts'));
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(skipped), type: 1 }, { uri: uriOf(kept), type: 1 }] });
    await c.request('kubefed/stats', {});
    const names = (await c.request<{ resources: { name: string }[] }>('kubefed/placement', {})).resources.map((r) => r.name);
    assert.ok(names.includes('in-charts'), names.join());
    assert.ok(!names.includes('in-node-modules'), names.join());
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    rmSync(join(dir, 'charts'), { recursive: true, force: true });
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(kept), type: 3 }] });
  });

  it('watches the folders itself when the client cannot', async () => {
    const file = join(dir, 'sub', 'watched.yaml');
    cpSync(join(folder, 'namespace.yaml'), join(dir, 'sub', 'namespace-copy.yaml'));
    writeFileSync(file, 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nmetadata:\n  name: watched\n  namespace: demo\nspec:\n  template: {}\n  placement:\n    clusters:\n    - name: cluster7\n');
    const d = await c.waitDiagnostics(uriOf(file), (x) => x.some((y) => y.code === 'unknown-cluster'), 10_000).catch((e: Error) => {
      throw new Error(`${e.message}\nserver log: ${c.logs.filter((l) => /watch/.test(l)).join(' | ') || 'nothing about watching'}`);
    });
    assert.equal(d.find((y) => y.code === 'unknown-cluster')?.range.start.line, 9);
    rmSync(file);
    await c.waitDiagnostics(uriOf(file), (x) => x.length === 0, 10_000);
  });
});

describe('clusters from a kubeconfig and from settings', () => {
  let c: Client;
  let dir: string;
  const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: east-api
  cluster:
    server: https://east.example.com:6443
- name: west-api
  cluster:
    server: https://west.example.com:6443
contexts:
- name: east
  context:
    cluster: east-api
    user: admin
- name: west
  context:
    cluster: west-api
    user: admin
current-context: east
users:
- name: admin
  user: {}
`;
  const app = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: app
  namespace: apps
spec:
  template:
    data:
      a: b
  placement:
    clusters:
    - name: west
    - name: edge
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata:
  name: apps
  namespace: apps
spec:
  placement:
    clusterSelector: {}
`;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubefed-lsp-kc-'));
    writeFileSync(join(dir, 'kubeconfig.conf'), kubeconfig);
    writeFileSync(join(dir, 'app.yaml'), app);
    c = await startServer({
      folder: dir,
      initializationOptions: { kubeconfig: join(dir, 'kubeconfig.conf'), clusters: [{ name: 'edge', labels: { tier: 'edge' } }, { name: 'west' }] },
    });
  });
  after(async () => {
    await c?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows the setting clusters, takes their server from the kubeconfig context, and goes to the context', async () => {
    const r = await c.request<{ clusters: { name: string; source: string; server?: string; labels: Record<string, string> }[] }>('kubefed/clusters', {});
    // The settings declare the members: the kubeconfig's other context (east) is no member, as for Propagate.
    assert.deepEqual(r.clusters.map((x) => [x.name, x.source]), [['edge', 'settings'], ['west', 'settings']]);
    assert.equal(r.clusters.find((x) => x.name === 'west')?.server, 'https://west.example.com:6443');
    const uri = uriOf(join(dir, 'app.yaml'));
    c.open(uri, app);
    const d = await c.nextDiagnostics(uri);
    assert.deepEqual(d.map((x) => x.code), []);
    const defs = await c.definition(uri, positionOf(app, 'name: west', 7));
    assert.equal(defs[0].uri, uriOf(join(dir, 'kubeconfig.conf')));
    assert.deepEqual(defs[0].range.start, positionOf(kubeconfig, '- name: west\n', 8));
    const labels = await c.completion(uri, positionOf(app, 'edge', 4));
    assert.equal(labels.find((i) => i.label === 'edge')?.detail, 'tier=edge');
  });
});
