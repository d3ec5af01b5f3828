/**
 * Templates of custom kinds against the CustomResourceDefinitions of the workspace, over the
 * bundled server: a FederatedWidget's template is checked like a built-in kind's.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, ROOT, positionOf, startServer, uriOf } from './harness.ts';

const CRDS = join(ROOT, 'test', 'fixtures', 'crds');
const FTC = `apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata:
  name: widgets.example.com
  namespace: kube-federation-system
spec:
  federatedType: {group: types.kubefed.io, kind: FederatedWidget, pluralName: federatedwidgets, scope: Namespaced, version: v1beta1}
  propagation: Enabled
  targetType: {group: example.com, kind: Widget, pluralName: widgets, scope: Namespaced, version: v1}
`;

const widget = (size: string) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedWidget
metadata:
  name: w
  namespace: default
spec:
  template:
    spec:
      size: ${size}
      color: red
      parts:
      - name: wheel
  placement:
    clusters: []
`;

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kfed-crds-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('templates of custom kinds', () => {
  let c: Client;
  let withCrd: string;
  before(async () => {
    withCrd = folderWith({});
    copyFileSync(join(CRDS, 'widgets.yaml'), join(withCrd, 'widgets.yaml'));
    c = await startServer({ folder: withCrd });
  });
  after(async () => {
    await c?.stop();
    rmSync(withCrd, { recursive: true, force: true });
  });

  it('reports a wrong field type in the template at the field, from the CRD of the workspace', async () => {
    const uri = uriOf(join(withCrd, 'w.yaml'));
    const text = widget('big');
    c.open(uri, text);
    const d = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'schema'));
    const schema = d.filter((x) => x.code === 'schema');
    assert.equal(schema.length, 1, JSON.stringify(schema));
    assert.deepEqual(schema[0].range.start, positionOf(text, 'big'));
    assert.match(String(schema[0].message), /integer/);
    // fixed: nothing left
    c.replace(uri, widget('3'));
    await c.waitDiagnostics(uri, (x) => !x.some((y) => y.code === 'schema'));
    // an unknown field of the custom kind is reported too
    const typo = widget('3').replace('color: red', 'colour: red');
    c.replace(uri, typo);
    const d2 = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'schema'));
    assert.deepEqual(d2.find((y) => y.code === 'schema')!.range.start, positionOf(typo, 'colour'));
    c.close(uri);
  });

  it('gives no schema errors to a custom kind when the workspace has no CRD for it', async () => {
    const dir = folderWith({ 'ftc.yaml': FTC });
    const other = await startServer({ folder: dir });
    try {
      const uri = uriOf(join(dir, 'w.yaml'));
      other.open(uri, widget('big'));
      const d = await other.nextDiagnostics(uri);
      assert.deepEqual(d.filter((x) => x.code === 'schema' || x.code === 'unknown-kind'), []);
    } finally {
      await other.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
