/**
 * Quick fixes on the cluster names of a placement never list a cluster twice: an unknown name
 * whose nearest known name is already listed is removed instead of changed, and a name listed
 * twice (duplicate-placement-cluster, both eras) is removed at its second entry. Block and flow style.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { applyEdits, Client, FIXTURES, positionOf, startServer, uriOf } from './harness.ts';

const folder = join(FIXTURES, 'v1beta1');
const scratch = (name: string) => uriOf(join(folder, `scratch-fix-${name}.yaml`));

const configMap = (name: string, placement: string) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: ${name}
  namespace: demo
spec:
  template:
    data:
      a: b
  placement:
${placement}`;

const v1alpha1Placement = (names: string) => `apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedConfigMap
metadata:
  name: legacy
  namespace: demo
spec:
  template:
    data:
      a: b
---
apiVersion: core.federation.k8s.io/v1alpha1
kind: FederatedConfigMapPlacement
metadata:
  name: legacy
  namespace: demo
spec:
  clusterNames:
${names}`;

function only(d: Diagnostic[], code: string): Diagnostic {
  const m = d.filter((x) => x.code === code);
  assert.equal(m.length, 1, `expected one ${code}, got ${JSON.stringify(d.map((x) => [x.code, x.message]))}`);
  return m[0];
}

function editOf(a: CodeAction, uri: string) {
  const e = a.edit?.changes?.[uri];
  assert.ok(e, `action "${a.title}" has no edit for ${uri}`);
  return e;
}

describe('placement quick fixes never list a cluster twice', () => {
  let c: Client;
  before(async () => {
    c = await startServer({ folder });
  });
  after(async () => {
    await c?.stop();
  });

  /** Opens `text`, takes the one `code` diagnostic, applies the one quick fix, returns the result once it is clean. */
  async function fixOnce(name: string, text: string, code: string, title: string): Promise<string> {
    const uri = scratch(name);
    c.open(uri, text);
    const d = only(await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === code)), code);
    const actions = await c.codeActions(uri, d.range, [d], ['quickfix']);
    assert.deepEqual(actions.map((a) => a.title), [title]);
    const fixed = applyEdits(text, editOf(actions[0], uri));
    c.replace(uri, fixed);
    assert.deepEqual(await c.waitDiagnostics(uri, (x) => !x.some((y) => y.code === code)), []);
    c.close(uri);
    return fixed;
  }

  it('unknown cluster whose suggestion is listed already (block style): removes the entry', async () => {
    const text = configMap('dup-block', '    clusters:\n    - name: cluster1\n    - name: clustr1\n    - name: cluster2\n');
    const fixed = await fixOnce('block', text, 'unknown-cluster', 'Remove clustr1 (cluster1 is already listed)');
    assert.equal(fixed, configMap('dup-block', '    clusters:\n    - name: cluster1\n    - name: cluster2\n'));
  });

  it('the same in flow style', async () => {
    const text = configMap('dup-flow', '    clusters: [{name: cluster1}, {name: clustr1}]\n');
    const fixed = await fixOnce('flow', text, 'unknown-cluster', 'Remove clustr1 (cluster1 is already listed)');
    assert.equal(fixed, configMap('dup-flow', '    clusters: [{name: cluster1}]\n'));
  });

  it('an unknown cluster whose suggestion is not listed is still changed to it', async () => {
    const text = configMap('change', '    clusters:\n    - name: cluster1\n    - name: clustr2\n');
    const fixed = await fixOnce('change', text, 'unknown-cluster', 'Change to cluster2');
    assert.match(fixed, /- name: cluster1\n    - name: cluster2\n$/);
  });

  it('duplicate-placement-cluster: flagged at the second entry, with the first as related; the fix removes it', async () => {
    const text = configMap('twice', '    clusters:\n    - name: cluster2\n    - name: cluster1\n    - name: cluster2\n');
    const uri = scratch('twice-diag');
    c.open(uri, text);
    const d = only(await c.waitDiagnostics(uri, (x) => x.length > 0), 'duplicate-placement-cluster');
    assert.deepEqual(d.range.start, positionOf(text, 'cluster2', 0, 1));
    assert.equal(d.severity, 2);
    assert.deepEqual(d.relatedInformation?.[0].location.range.start, positionOf(text, 'cluster2'));
    c.close(uri);
    const fixed = await fixOnce('twice', text, 'duplicate-placement-cluster', 'Remove the second cluster2');
    assert.equal(fixed, configMap('twice', '    clusters:\n    - name: cluster2\n    - name: cluster1\n'));
  });

  it('duplicate-placement-cluster in a v1alpha1 placement, flow and block style', async () => {
    const flow = await fixOnce('alpha-flow', v1alpha1Placement('  - cluster1\n').replace('clusterNames:\n  - cluster1\n', 'clusterNames: [cluster1, cluster2, cluster1]\n'), 'duplicate-placement-cluster', 'Remove the second cluster1');
    assert.match(flow, /clusterNames: \[cluster1, cluster2\]\n$/);
    const block = await fixOnce('alpha-block', v1alpha1Placement('  - cluster1\n  - cluster1\n  - cluster3\n'), 'duplicate-placement-cluster', 'Remove the second cluster1');
    assert.match(block, /clusterNames:\n  - cluster1\n  - cluster3\n$/);
  });
});
