/**
 * Completion: kinds, cluster names with labels, label keys/values, override paths with element
 * hints, op values, snippets, and yaml-language-server's schema completion inside templates.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompletionItem } from 'vscode-languageserver-protocol';
import { applyEdits, Client, FIXTURES, positionOf, startServer, uriOf } from './harness.ts';

const folder = join(FIXTURES, 'v1beta1');
const scratch = (name: string) => uriOf(join(folder, `scratch-compl-${name}.yaml`));
const web = readFileSync(join(folder, 'web.yaml'), 'utf8').split('---\n')[0];

function labels(items: CompletionItem[]): string[] {
  return items.map((i) => i.label);
}

/** Opens `text` with the cursor at `|`, returns the completion items. */
async function complete(c: Client, name: string, textWithCursor: string): Promise<{ items: CompletionItem[]; text: string }> {
  const at = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  const uri = scratch(name);
  c.open(uri, text);
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  const items = await c.completion(uri, { line, character: at - (before.lastIndexOf('\n') + 1) });
  c.close(uri);
  return { items, text };
}

describe('completion', () => {
  let c: Client;
  before(async () => {
    c = await startServer({ folder });
  });
  after(async () => {
    await c?.stop();
  });

  it('offers federated kinds for kind, and sets apiVersion to match', async () => {
    const { items, text } = await complete(c, 'kind', 'apiVersion: v1\nkind: Fed|\n');
    const fd = items.find((i) => i.label === 'FederatedDeployment');
    assert.ok(fd);
    assert.equal(fd.detail, 'types.kubefed.io/v1beta1');
    assert.ok(labels(items).includes('FederatedNamespace'));
    assert.ok(labels(items).includes('KubeFedCluster'));
    assert.ok(labels(items).includes('FederatedDeploymentPlacement'));
    const edited = applyEdits(text, [fd.textEdit as { range: never; newText: string }, ...(fd.additionalTextEdits ?? [])]);
    assert.equal(edited, 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedDeployment\n');
  });

  it('offers apiVersions, the kind\'s own first', async () => {
    const { items } = await complete(c, 'apiversion', 'apiVersion: |\nkind: KubeFedCluster\n');
    assert.equal(items[0].label, 'core.kubefed.io/v1beta1');
    assert.ok(labels(items).includes('types.kubefed.io/v1beta1'));
    assert.ok(labels(items).includes('apps/v1'));
  });

  it('offers cluster names with their labels in placement.clusters', async () => {
    const { items } = await complete(c, 'placement', web.replace('    - name: cluster2\n', '    - name: cluster2\n    - name: |\n'));
    assert.deepEqual(labels(items), ['cluster1', 'cluster2', 'cluster3']);
    const c2 = items.find((i) => i.label === 'cluster2')!;
    assert.equal(c2.detail, 'region=eu-west, tier=gold');
    assert.match((c2.documentation as { value: string }).value, /region=eu-west/);
  });

  it('offers cluster names in overrides, placed clusters first', async () => {
    const { items } = await complete(c, 'override-cluster', web.replace('  - clusterName: cluster2', '  - clusterName: |'));
    assert.deepEqual(labels(items).slice(0, 2), ['cluster1', 'cluster2']);
    const c3 = items.find((i) => i.label === 'cluster3')!;
    assert.match(String(c3.detail), /not placed/);
  });

  it('flow style: cluster names wherever block style offers them', async () => {
    const block = '    clusters:\n    - name: cluster1\n    - name: cluster2\n';
    const placement = await complete(c, 'flow-placement', web.replace(block, '    clusters: [{name: cluster1}, {name: |}]\n'));
    assert.deepEqual(labels(placement.items), ['cluster1', 'cluster2', 'cluster3']);
    const edited = applyEdits(placement.text, [placement.items[1].textEdit as { range: never; newText: string }]);
    assert.match(edited, /clusters: \[\{name: cluster1\}, \{name: cluster2\}\]\n/);
    // a partly typed name is replaced, not the closing brackets
    const typed = await complete(c, 'flow-typed', web.replace(block, '    clusters: [{name: cluster1}, {name: clu|}]\n'));
    const e2 = applyEdits(typed.text, [typed.items[2].textEdit as { range: never; newText: string }]);
    assert.match(e2, /clusters: \[\{name: cluster1\}, \{name: cluster3\}\]\n/);
    // a flow item of a block sequence
    const item = await complete(c, 'flow-item', web.replace(block, '    clusters:\n    - name: cluster1\n    - {name: |}\n'));
    assert.deepEqual(labels(item.items), ['cluster1', 'cluster2', 'cluster3']);
    // override clusterName, placed clusters first
    const ov = await complete(c, 'flow-override', web.replace(/  overrides:\n[\s\S]*?(?=\n---|$)/, '  overrides: [{clusterName: |, clusterOverrides: []}]\n'));
    assert.deepEqual(labels(ov.items).slice(0, 2), ['cluster1', 'cluster2']);
    assert.match(String(ov.items.find((i) => i.label === 'cluster3')!.detail), /not placed/);
    // v1alpha1: clusterNames and an override's clusterName
    const alpha = 'apiVersion: core.federation.k8s.io/v1alpha1\nkind: FederatedDeploymentPlacement\nmetadata:\n  name: web\n  namespace: demo\nspec:\n';
    const names = await complete(c, 'flow-alpha-names', `${alpha}  clusterNames: [cluster1, |]\n`);
    assert.deepEqual(labels(names.items), ['cluster1', 'cluster2', 'cluster3']);
    const alphaOv = alpha.replace('Placement', 'Override');
    const ovNames = await complete(c, 'flow-alpha-override', `${alphaOv}  overrides: [{clusterName: "|"}]\n`);
    assert.deepEqual(labels(ovNames.items), ['cluster1', 'cluster2', 'cluster3']);
    // flow label values
    const values = await complete(c, 'flow-values', web.replace(block, '    clusterSelector:\n      matchExpressions: [{key: region, operator: In, values: [us-east, |]}]\n'));
    assert.deepEqual(labels(values.items), ['eu-west', 'us-east', 'us-west']);
    // a new item of a flow sequence is a flow mapping
    const bare = await complete(c, 'flow-new-item', web.replace(block, '    clusters: [{name: cluster1}, |]\n'));
    assert.equal((bare.items[1].textEdit as { newText: string }).newText, '{name: cluster2}');
    // RSP cluster keys in a flow mapping stay on the line
    const rsp = await complete(c, 'flow-rsp', 'apiVersion: scheduling.kubefed.io/v1alpha1\nkind: ReplicaSchedulingPreference\nmetadata:\n  name: web\n  namespace: demo\nspec:\n  targetKind: FederatedDeployment\n  totalReplicas: 4\n  clusters: {cluster1: {weight: 1}, |}\n');
    assert.equal((rsp.items[1].textEdit as { newText: string }).newText, 'cluster2: {weight: 1}');
    // flow collections across lines
    const multi = await complete(c, 'flow-multiline', web.replace(block, '    clusters: [\n      {name: cluster1},\n      {name: |}\n    ]\n'));
    assert.deepEqual(labels(multi.items), ['cluster1', 'cluster2', 'cluster3']);
    const multiEdited = applyEdits(multi.text, [multi.items[1].textEdit as { range: never; newText: string }]);
    assert.match(multiEdited, /clusters: \[\n {6}\{name: cluster1\},\n {6}\{name: cluster2\}\n {4}\]\n/);
    const multiTyped = await complete(c, 'flow-multiline-typed', web.replace(block, '    clusters: [  # members\n      {name: cluster1}, {\n        name: clu|\n      }\n    ]\n'));
    assert.deepEqual(labels(multiTyped.items), ['cluster1', 'cluster2', 'cluster3']);
    const e3 = applyEdits(multiTyped.text, [multiTyped.items[2].textEdit as { range: never; newText: string }]);
    assert.match(e3, /\n {8}name: cluster3\n/);
    const multiItem = await complete(c, 'flow-multiline-item', web.replace(block, '    clusters: [\n      {name: cluster1},\n      |\n    ]\n'));
    assert.equal((multiItem.items[1].textEdit as { newText: string }).newText, '{name: cluster2}');
    const multiOv = await complete(c, 'flow-multiline-override', web.replace(/  overrides:\n[\s\S]*?(?=\n---|$)/, '  overrides: [\n    {clusterName: cluster2, clusterOverrides: []},\n    {clusterName: |}\n  ]\n'));
    assert.deepEqual(labels(multiOv.items).slice(0, 2), ['cluster1', 'cluster2']);
    // below a flow collection closed on a later line: block style again
    const after = await complete(c, 'flow-multiline-after', web.replace(block, '    clusters: [\n      {name: cluster1}\n    ]\n').replace('  - clusterName: cluster2', '  - clusterName: |'));
    assert.deepEqual(labels(after.items).slice(0, 1), ['cluster1']);
    // after the flow collection closes: nothing of ours
    const closed = await complete(c, 'flow-closed', web.replace(block, '    clusters: [{name: cluster1}] |\n'));
    assert.ok(!labels(closed.items).includes('cluster2'), JSON.stringify(labels(closed.items)));
  });

  it('offers label keys and values of the inventory in clusterSelector', async () => {
    const base = web.replace('    clusters:\n    - name: cluster1\n    - name: cluster2\n', '    clusterSelector:\n      matchLabels:\n        |\n');
    const keys = await complete(c, 'label-keys', base);
    assert.deepEqual(labels(keys.items), ['region', 'tier']);
    assert.equal((keys.items[0].textEdit as { newText: string }).newText, 'region: ');
    const values = await complete(c, 'label-values', base.replace('        |\n', '        tier: |\n'));
    assert.deepEqual(labels(values.items), ['gold', 'silver']);
    assert.equal(values.items[0].detail, 'cluster1, cluster2');
    const expr = await complete(
      c,
      'label-expr',
      web.replace('    clusters:\n    - name: cluster1\n    - name: cluster2\n', '    clusterSelector:\n      matchExpressions:\n      - key: region\n        operator: |\n'),
    );
    assert.deepEqual(labels(expr.items), ['In', 'NotIn', 'Exists', 'DoesNotExist']);
    const exprValues = await complete(
      c,
      'label-expr-values',
      web.replace('    clusters:\n    - name: cluster1\n    - name: cluster2\n', '    clusterSelector:\n      matchExpressions:\n      - key: region\n        operator: In\n        values:\n        - |\n'),
    );
    assert.deepEqual(labels(exprValues.items), ['eu-west', 'us-east', 'us-west']);
  });

  it('offers override paths as JSON pointers into the template, with element hints', async () => {
    const { items } = await complete(c, 'paths', web.replace('    - path: /spec/replicas', '    - path: /spec/template/spec/containers/|'));
    const el = items.find((i) => i.label === '/spec/template/spec/containers/0');
    assert.ok(el, JSON.stringify(labels(items)));
    assert.equal(el.labelDetails?.detail, ' (nginx)');
    assert.equal(el.detail, 'containers/0 (nginx)');
    assert.ok(labels(items).includes('/spec/template/spec/containers/0/image'));
    assert.ok(labels(items).includes('/spec/template/spec/containers/-'));
    const top = await complete(c, 'paths-top', web.replace('    - path: /spec/replicas', '    - path: |'));
    assert.ok(labels(top.items).includes('/spec'));
    assert.ok(labels(top.items).includes('/metadata'));
    assert.ok(labels(top.items).includes('/spec/replicas'));
    // fields the template lacks but the schema allows
    const schema = await complete(c, 'paths-schema', web.replace('    - path: /spec/replicas', '    - path: /spec/|'));
    const mrs = schema.items.find((i) => i.label === '/spec/minReadySeconds');
    assert.ok(mrs);
    assert.equal(mrs.detail, 'not in the template');
  });

  it('offers op values', async () => {
    const { items } = await complete(c, 'op', web.replace('    - path: /spec/replicas\n', '    - path: /spec/replicas\n      op: |\n'));
    assert.deepEqual(labels(items), ['replace', 'add', 'remove']);
  });

  it('offers snippets for new federated resources of both eras', async () => {
    const { items } = await complete(c, 'snippets', 'apiVersion: v1\nkind: ConfigMap\n---\n|\n');
    const fd = items.find((i) => i.label === 'FederatedDeployment (v1beta1)');
    assert.ok(fd, JSON.stringify(labels(items)));
    assert.equal(fd.insertTextFormat, 2);
    assert.match((fd.textEdit as { newText: string }).newText, /^apiVersion: types\.kubefed\.io\/v1beta1\nkind: FederatedDeployment\n/);
    assert.match((fd.textEdit as { newText: string }).newText, /placement:\n    clusters:\n    - name: \$\{3:cluster1\}/);
    for (const k of ['FederatedNamespace (v1beta1)', 'FederatedClusterRole (v1beta1)', 'FederatedDeployment (v1alpha1)', 'FederatedConfigMap (v1alpha1)']) {
      assert.ok(labels(items).includes(k), k);
    }
    const alpha = items.find((i) => i.label === 'FederatedDeployment (v1alpha1)')!;
    assert.match((alpha.textEdit as { newText: string }).newText, /kind: FederatedDeploymentPlacement[\s\S]*kind: FederatedDeploymentOverride/);
  });

  it('falls back to schema completion from yaml-language-server inside the template', async () => {
    const { items } = await complete(c, 'schema', web.replace('            image: nginx:1.27\n', '            image: nginx:1.27\n            |\n'));
    for (const k of ['imagePullPolicy', 'env', 'resources', 'livenessProbe']) assert.ok(labels(items).includes(k), k);
    const { items: top } = await complete(c, 'schema-spec', web.replace('  placement:\n', '  |\n  placement:\n'));
    assert.ok(labels(top).includes('retainReplicas'), JSON.stringify(labels(top)));
  });

  it('completes the second document of a file (yaml-language-server upstream #869)', async () => {
    const { items } = await complete(c, 'second', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n${web.replace('      replicas: 3\n', '      replicas: 3\n      |\n')}`);
    assert.ok(labels(items).includes('minReadySeconds'), JSON.stringify(labels(items)));
  });

  it('offers cluster names (and "*") as keys of a ReplicaSchedulingPreference', async () => {
    const { items } = await complete(c, 'rsp', 'apiVersion: scheduling.kubefed.io/v1alpha1\nkind: ReplicaSchedulingPreference\nmetadata:\n  name: web\n  namespace: demo\nspec:\n  targetKind: FederatedDeployment\n  totalReplicas: 4\n  clusters:\n    |\n');
    assert.deepEqual(labels(items), ['cluster1', 'cluster2', 'cluster3', '"*"']);
    assert.equal((items[0].textEdit as { newText: string }).newText, 'cluster1:\n      weight: 1');
  });
});
