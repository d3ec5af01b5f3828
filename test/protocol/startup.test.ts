/**
 * Start-up: diagnostics published while the workspace index and the cluster inventory are still
 * being built must be true ones. The client answers `workspace/configuration` with `[null]` (as
 * Neovim and most clients do), opens documents right after `initialized` and the folder takes a
 * moment to index (many files; the clusters, the FederatedNamespace and the v1alpha1 placement are
 * indexed last). Every publication from the first `didOpen` on is recorded; none may contain a
 * diagnostic that the final state does not.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { Client, startServer, uriOf } from './harness.ts';

/** Files indexed before the ones that matter (sorted by name: `a-…` first). */
const FILLER_FILES = 1200;

const filler = (i: number) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: filler-${i}
  namespace: demo
spec:
  template:
    data:
      key: value-${i}
  placement:
    clusters:
    - name: cluster1
`;

const valid = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata:
  name: web
  namespace: demo
spec:
  template:
    spec:
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          containers:
          - name: web
            image: nginx
  placement:
    clusters:
    - name: cluster1
    - name: cluster2
  overrides:
  - clusterName: cluster2
    clusterOverrides:
    - path: /spec/replicas
      value: 2
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: web-config
  namespace: demo
spec:
  template:
    data:
      a: b
  placement:
    clusterSelector:
      matchLabels:
        tier: edge
`;

const wrongCluster = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: typo
  namespace: demo
spec:
  template:
    data:
      a: b
  placement:
    clusters:
    - name: cluster1
    - name: clustr2
`;

const v1alpha1Template = `apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedConfigMap
metadata:
  name: legacy
  namespace: demo
spec:
  template:
    data:
      a: b
`;
const v1alpha1Override = `apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedConfigMapOverride
metadata:
  name: legacy
  namespace: demo
spec:
  overrides:
  - clusterName: cluster2
    data:
      a: c
`;
const v1alpha1Placement = `apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedConfigMapPlacement
metadata:
  name: legacy
  namespace: demo
spec:
  clusterNames:
  - cluster1
  - cluster2
`;

const clusters = ['cluster1', 'cluster2']
  .map((n, i) => `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata:
  name: ${n}
  namespace: kube-federation-system
  labels:
    tier: ${i ? 'edge' : 'core'}
spec:
  apiEndpoint: https://${n}.example.com
  secretRef:
    name: ${n}-secret
`)
  .join('---\n');

const namespace = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata:
  name: demo
  namespace: demo
spec:
  placement:
    clusters:
    - name: cluster1
    - name: cluster2
`;

/** A diagnostic as the client would show it. */
const shown = (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${String(d.code)} ${d.message}`;

describe('start-up with a slow index and workspace/configuration answered with [null]', () => {
  let dir: string;
  let c: Client;
  const opened: Record<string, string> = {};
  let openedAt = 0;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubefed-startup-'));
    for (let i = 0; i < FILLER_FILES; i++) writeFileSync(join(dir, `a-filler-${String(i).padStart(4, '0')}.yaml`), filler(i));
    const files: Record<string, string> = {
      'b-valid.yaml': valid,
      'b-wrong-cluster.yaml': wrongCluster,
      'b-legacy-override.yaml': v1alpha1Override,
      'b-legacy-template.yaml': v1alpha1Template,
      'z-legacy-placement.yaml': v1alpha1Placement,
      'z-clusters.yaml': clusters,
      'z-namespace.yaml': namespace,
    };
    for (const [f, t] of Object.entries(files)) writeFileSync(join(dir, f), t);
    c = await startServer({ folder: dir, workspaceCapabilities: { configuration: true }, waitReady: false });
    openedAt = c.publications.length;
    for (const f of ['b-valid.yaml', 'b-wrong-cluster.yaml', 'b-legacy-override.yaml']) {
      opened[uriOf(join(dir, f))] = files[f];
      c.open(uriOf(join(dir, f)), files[f]);
    }
    // a new file, not on disk: its namespace is federated by a file indexed last
    const fresh = uriOf(join(dir, 'b-new.yaml'));
    opened[fresh] = wrongCluster.replace(/typo/, 'fresh').replace(/clustr2/, 'cluster2');
    c.open(fresh, opened[fresh]);
    await c.request('kubefed/stats', {});
  });
  after(async () => {
    await c?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asked for the configuration and got [null] (the situation of most clients)', () => {
    assert.ok(c.serverRequests.some((r) => r.method === 'workspace/configuration'));
  });

  it('opened the documents while the folder was still being indexed', () => {
    const indexedAt = c.logs.findIndex((l) => /^kubefed: indexed \d+ YAML files/.test(l));
    assert.ok(indexedAt >= 0, c.logs.join('\n'));
    const early = c.publications.filter((p) => p.uri in opened && p.logs <= indexedAt);
    assert.ok(early.length > 0, 'a publication for an opened document came before the index was complete');
  });

  it('respects dynamicRegistration: workspace/didChangeConfiguration is not registered when the client cannot', () => {
    const registered = c.serverRequests
      .filter((r) => r.method === 'client/registerCapability')
      .flatMap((r) => (r.params as { registrations: { method: string }[] }).registrations.map((x) => x.method));
    assert.ok(!registered.includes('workspace/didChangeConfiguration'), JSON.stringify(registered));
  });

  it('ends with the true diagnostics', () => {
    const final = (f: string) => (c.diagnostics.get(uriOf(join(dir, f))) ?? []).map((d) => String(d.code));
    assert.deepEqual(final('b-valid.yaml'), []);
    assert.deepEqual(final('b-wrong-cluster.yaml'), ['unknown-cluster']);
    assert.deepEqual(final('b-legacy-override.yaml'), []);
    assert.deepEqual(final('b-new.yaml'), []);
  });

  it('never published a diagnostic that the final state does not have', () => {
    const seen = c.publications.slice(openedAt);
    assert.ok(seen.length >= Object.keys(opened).length, 'every opened document got diagnostics');
    const wrong: string[] = [];
    for (const p of seen) {
      const final = new Set((c.diagnostics.get(p.uri) ?? []).map(shown));
      for (const d of p.diagnostics) if (!final.has(shown(d))) wrong.push(`${p.uri.slice(p.uri.lastIndexOf('/') + 1)}: ${shown(d)}`);
    }
    assert.deepEqual(wrong, []);
  });
});

describe('dynamic registration of workspace/didChangeConfiguration', () => {
  it('is registered when the client supports it', async () => {
    const c = await startServer({ workspaceCapabilities: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } });
    try {
      const registered = c.serverRequests
        .filter((r) => r.method === 'client/registerCapability')
        .flatMap((r) => (r.params as { registrations: { method: string }[] }).registrations.map((x) => x.method));
      assert.deepEqual(registered, ['workspace/didChangeConfiguration']);
    } finally {
      await c.stop();
    }
  });
});
