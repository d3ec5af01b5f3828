/**
 * The engine's checks of the cluster names a resource lists: overrides for clusters it is not
 * placed on (alike in both eras), unknown clusters and their suggestions, clusters listed twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace } from '../../server/engine/workspace.ts';
import { clustersFromSettings } from '../../server/engine/inventory.ts';
import type { EngineDiagnostic } from '../../server/engine/diagnostics.ts';

const UPSTREAM = join(import.meta.dirname, '..', 'fixtures', 'lsp', 'upstream');

function upstream(era: string, clusters: string[]): Workspace {
  const w = new Workspace();
  const dir = join(UPSTREAM, era);
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) w.setFile(f, readFileSync(join(dir, f), 'utf8'));
  w.setClusterSource('settings', clustersFromSettings(clusters.map((name) => ({ name }))));
  return w;
}

const ofCode = (w: Workspace, code: string) => w.allDiagnostics().filter((d) => d.code === code);

/** The text a diagnostic's range covers. */
function textOf(w: Workspace, d: EngineDiagnostic): string {
  const f = w.getFile(d.uri)!;
  return f.text.slice(f.lines.offset(d.range.start), f.lines.offset(d.range.end));
}

test('upstream sample1 with no cluster known: no override is said to be for an unplaced cluster, in either era', () => {
  for (const era of ['v1alpha1', 'v1beta1']) {
    const w = upstream(era, []);
    const withOverrides = w.resources().filter((r) => r.overrideObject ?? (r.main?.object.spec as { overrides?: unknown } | undefined)?.overrides);
    assert.ok(withOverrides.length >= 4, `${era}: the sample has overrides`);
    assert.deepEqual(ofCode(w, 'override-for-unplaced-cluster').map((d) => d.message), [], era);
  }
});

test('v1alpha1 like v1beta1: an override for a known cluster the placement leaves out has no effect', () => {
  const w = upstream('v1alpha1', ['cluster1', 'cluster2', 'cluster3']);
  w.setFile('extra-override.yaml', `apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedSecretOverride
metadata:
  name: test-secret
  namespace: test-namespace
spec:
  overrides:
  - clusterName: cluster3
    data:
      A: null
`);
  w.deleteFile('federatedsecret-override.yaml');
  const d = ofCode(w, 'override-for-unplaced-cluster');
  assert.deepEqual(d.map((x) => [x.uri, textOf(w, x)]), [['extra-override.yaml', 'cluster3']]);
});

const placed = (clusters: string, overrides = '') => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: c, namespace: demo}
spec:
  template:
    data: {a: b}
  placement:
    clusters:
${clusters}${overrides}`;

const FNS = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: demo, namespace: demo}
spec:
  placement:
    clusterSelector: {}
`;

function ws(files: Record<string, string>): Workspace {
  const w = new Workspace();
  w.setClusterSource('settings', clustersFromSettings([{ name: 'cluster1' }, { name: 'cluster2' }]));
  w.setFile('ns.yaml', FNS);
  for (const [k, v] of Object.entries(files)) w.setFile(k, v);
  return w;
}

test('duplicate-placement-cluster: v1beta1, on the second entry, with the first as related location', () => {
  const w = ws({ 'c.yaml': placed('    - name: cluster1\n    - name: cluster2\n    - name: cluster1\n') });
  const d = w.diagnostics('c.yaml');
  assert.deepEqual(d.map((x) => x.code), ['duplicate-placement-cluster']);
  assert.equal(d[0].range.start.line, 10);
  assert.equal(textOf(w, d[0]), 'cluster1');
  assert.equal(d[0].related?.[0].location.range.start.line, 8);
  assert.deepEqual(d[0].data, { cluster: 'cluster1', first: 0, entry: ['spec', 'placement', 'clusters', 2] });
});

test('duplicate-placement-cluster: v1alpha1 clusterNames, also inside a List (the entry path includes the item)', () => {
  const w = upstream('v1alpha1', ['cluster1', 'cluster2']);
  w.setFile('federatedsecret-placement.yaml', readFileSync(join(UPSTREAM, 'v1alpha1', 'federatedsecret-placement.yaml'), 'utf8') + '    - cluster2\n');
  const d = ofCode(w, 'duplicate-placement-cluster');
  assert.equal(d.length, 1);
  assert.equal(d[0].uri, 'federatedsecret-placement.yaml');
  assert.equal(d[0].range.start.line, 12);
  assert.deepEqual(d[0].data?.entry, ['items', 0, 'spec', 'clusterNames', 2]);
});

test('unknown-cluster: says when the suggested name is already listed, and which entry to remove instead', () => {
  const w = ws({ 'c.yaml': placed('    - name: cluster1\n    - name: clustr1\n    - name: clustr2\n') });
  const d = w.diagnostics('c.yaml').filter((x) => x.code === 'unknown-cluster');
  assert.deepEqual(d.map((x) => x.data), [
    { cluster: 'clustr1', suggestion: 'cluster1', suggestionListed: true, entry: ['spec', 'placement', 'clusters', 1] },
    { cluster: 'clustr2', suggestion: 'cluster2' },
  ]);
  assert.match(d[0].message, /Did you mean cluster1\? \(it is already listed here\)/);
  // the same for an override entry whose suggested cluster already has overrides
  const o = ws({
    'o.yaml': placed('    - name: cluster1\n', `  overrides:
  - clusterName: cluster1
    clusterOverrides: [{path: /data/a, value: x}]
  - clusterName: clustr1
    clusterOverrides: [{path: /data/a, value: y}]
`),
  });
  const u = o.diagnostics('o.yaml').find((x) => x.code === 'unknown-cluster');
  assert.deepEqual(u?.data, { cluster: 'clustr1', suggestion: 'cluster1', suggestionListed: true, entry: ['spec', 'overrides', 1] });
});
