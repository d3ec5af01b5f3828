/**
 * A large document the server has not indexed (here: untitled) is parsed in steps after
 * didOpen. Requests that arrive meanwhile are answered on the whole text, edits made meanwhile
 * are not lost, and closing it meanwhile leaves nothing behind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, hoverText, positionOf, startServer } from './harness.ts';

const CLUSTERS = ['cluster1', 'cluster2', 'cluster3']
  .map((n) => `apiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata:\n  name: ${n}\n  namespace: kube-federation-system\nspec:\n  apiEndpoint: https://${n}.example:6443\n  secretRef:\n    name: ${n}-secret\n`)
  .join('---\n')
  .concat(`---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata:
  name: default
  namespace: default
spec:
  placement:
    clusterSelector: {}
`);

function configMap(i: number, cluster: string): string {
  return `---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: settings-${i}
  namespace: default
spec:
  template:
    data:
      index: "${i}"
      note: a line of text so that the file grows past the size parsed in one go
  placement:
    clusters:
    - name: ${cluster}
`;
}

/** ~400 resources (well over the size the server parses in one step); the last one names `last`. */
function bigFile(last: string): string {
  const docs = [CLUSTERS];
  for (let i = 0; i < 399; i++) docs.push(configMap(i, 'cluster1'));
  docs.push(configMap(399, last));
  return docs.join('');
}

const unknown = <T extends { code?: unknown }>(d: T[]): T[] => d.filter((x) => x.code === 'unknown-cluster');

describe('a large document opened without being indexed', () => {
  let c: Client;
  before(async () => {
    c = await startServer();
  });
  after(async () => {
    await c?.stop();
  });

  it('is larger than one parsing step', () => {
    assert.ok(bigFile('cluster2').length > 96 * 1024, `${bigFile('cluster2').length} bytes`);
  });

  it('answers a hover on its last document right after didOpen', async () => {
    const uri = 'untitled:hover.yaml';
    const text = bigFile('cluster2');
    c.open(uri, text);
    try {
      const h = hoverText(await c.hover(uri, positionOf(text, '- name: cluster2', 9)));
      assert.match(h, /FederatedConfigMap default\/settings-399 → cluster2/);
      assert.match(h, /index: "399"/);
    } finally {
      c.close(uri);
    }
  });

  it('keeps an edit made while it is being parsed', async () => {
    const uri = 'untitled:edit.yaml';
    const text = bigFile('clustr9');
    c.open(uri, text);
    try {
      // at once: misspell the cluster of the first resource too
      const at = positionOf(text, '- name: cluster1', 8);
      c.change(uri, [{ range: { start: at, end: { line: at.line, character: at.character + 'cluster1'.length } }, text: 'clustr8' }]);
      const diags = await c.waitDiagnostics(uri, (d) => unknown(d).length === 2, 30_000);
      const lines = unknown(diags).map((d) => d.range.start.line);
      assert.deepEqual(lines, [at.line, positionOf(text, 'clustr9').line]);
      assert.match(String(unknown(diags)[0].message), /clustr8/);
    } finally {
      c.close(uri);
    }
  });

  it('leaves nothing behind when closed while being parsed', async () => {
    const uri = 'untitled:closed.yaml';
    c.open(uri, bigFile('cluster3'));
    c.close(uri);
    const stats = await c.request<{ files: number; resources: number }>('kubefed/stats', {});
    assert.equal(stats.files, 0, 'no file is left in the index');
    assert.equal(stats.resources, 0);
    // and the same name opens fresh afterwards
    const small = configMap(1, 'clustr7');
    c.open(uri, CLUSTERS + small);
    const d = await c.waitDiagnostics(uri, (x) => unknown(x).length === 1);
    assert.match(String(unknown(d)[0].message), /clustr7/);
    c.close(uri);
  });
});
