/**
 * Diagnostics (schema, engine codes, ranges, related information) and their quick fixes, over
 * the bundled server and a real LSP client.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { applyEdits, Client, FIXTURES, positionOf, startServer, uriOf } from './harness.ts';

const folder = join(FIXTURES, 'v1beta1');
const scratch = (name: string) => uriOf(join(folder, `scratch-${name}.yaml`));

const deployment = (name: string, extra: { placement?: string; overrides?: string; template?: string; namespace?: string } = {}) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata:
  name: ${name}
  namespace: ${extra.namespace ?? 'demo'}
spec:
  template:
${extra.template ?? `    spec:
      replicas: 3
      selector:
        matchLabels:
          app: ${name}
      template:
        metadata:
          labels:
            app: ${name}
        spec:
          containers:
          - name: main
            image: nginx
`}  placement:
${extra.placement ?? `    clusters:
    - name: cluster1
    - name: cluster2
`}${extra.overrides ?? ''}`;

function codes(d: Diagnostic[]): string[] {
  return d.map((x) => String(x.code)).sort();
}

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

describe('diagnostics', () => {
  let c: Client;
  before(async () => {
    c = await startServer({ folder });
  });
  after(async () => {
    await c?.stop();
  });

  it('publishes nothing for the valid fixtures', async () => {
    const uri = uriOf(join(folder, 'web.yaml'));
    c.open(uri, readFileSync(join(folder, 'web.yaml'), 'utf8'));
    const d = await c.nextDiagnostics(uri);
    assert.deepEqual(d, []);
    c.close(uri);
  });

  it('reports schema errors in spec.template at the offending node', async () => {
    const uri = scratch('schema');
    const text = deployment('schema-a', {
      template: `    spec:
      replicas: three
      replicaz: 2
      selector:
        matchLabels:
          app: a
      template:
        spec:
          containers:
          - name: main
            image: nginx
            imagePullPolicy: Sometimes
`,
    });
    c.open(uri, text);
    const d = await c.waitDiagnostics(uri, (x) => x.filter((y) => y.code === 'schema').length >= 3);
    const schema = d.filter((x) => x.code === 'schema');
    const at = (needle: string, delta = 0) => positionOf(text, needle, delta);
    const replicas = schema.find((x) => x.range.start.line === at('replicas: three').line);
    assert.ok(replicas, 'type error on replicas');
    assert.deepEqual(replicas.range.start, at('three'));
    assert.match(String(replicas.message), /integer/);
    const unknown = schema.find((x) => x.range.start.line === at('replicaz').line);
    assert.ok(unknown, 'unknown field');
    assert.deepEqual(unknown.range.start, at('replicaz'));
    assert.match(String(unknown.message), /replicaz/);
    const policy = schema.find((x) => x.range.start.line === at('Sometimes').line);
    assert.ok(policy, 'enum error');
    assert.equal(policy.severity, 1);
    c.close(uri);
  });

  it('checks an override value against the schema of the field its path points to', async () => {
    const uri = scratch('override-value');
    const text = deployment('ovvalue', {
      overrides: `  overrides:
  - clusterName: cluster2
    clusterOverrides:
    - path: /spec/replicas
      value: five
    - path: /spec/template/spec/containers/0/image
      value: nginx:alpine
    - path: /spec/paused
      value: 7
`,
    });
    c.open(uri, text);
    const d = await c.waitDiagnostics(uri, (x) => x.filter((y) => y.code === 'schema').length >= 2);
    const schema = d.filter((x) => x.code === 'schema');
    assert.deepEqual(
      schema.map((x) => x.range.start).sort((a, b) => a.line - b.line),
      [positionOf(text, 'five'), positionOf(text, '7\n')],
    );
    assert.match(String(schema.find((x) => x.range.start.line === positionOf(text, 'five').line)!.message), /integer/);
    assert.match(String(schema.find((x) => x.range.start.line === positionOf(text, '7\n').line)!.message), /boolean/);
    // fixing the value clears the diagnostic
    c.replace(uri, text.replace('value: five', 'value: 5').replace('value: 7', 'value: true'));
    await c.waitDiagnostics(uri, (x) => !x.some((y) => y.code === 'schema'));
    c.close(uri);
  });

  it('flags an unknown cluster and offers the nearest known one', async () => {
    const uri = scratch('unknown-cluster');
    const text = deployment('unknowncl', { placement: '    clusters:\n    - name: cluster1\n    - name: clustr2\n' });
    c.open(uri, text);
    const d = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'unknown-cluster'));
    const u = only(d, 'unknown-cluster');
    assert.deepEqual(u.range.start, positionOf(text, 'clustr2'));
    assert.deepEqual(u.range.end, positionOf(text, 'clustr2', 7));
    assert.equal(u.severity, 2);
    assert.equal(u.source, 'kubefed');
    const actions = await c.codeActions(uri, u.range, [u], ['quickfix']);
    const fix = actions.find((a) => a.title === 'Change to cluster2');
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.isPreferred, true);
    const fixed = applyEdits(text, editOf(fix, uri));
    assert.match(fixed, /- name: cluster2\n/);
    c.replace(uri, fixed);
    await c.waitDiagnostics(uri, (x) => !x.some((y) => y.code === 'unknown-cluster'));
    c.close(uri);
  });

  it('flags a misspelled Kubernetes kind and fixes it', async () => {
    const uri = scratch('kind');
    const text = 'apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: x\n';
    c.open(uri, text);
    const d = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'unknown-kind'));
    const k = only(d, 'unknown-kind');
    assert.deepEqual(k.range, { start: { line: 1, character: 6 }, end: { line: 1, character: 16 } });
    assert.match(String(k.message), /Did you mean Deployment/);
    const [fix] = await c.codeActions(uri, k.range, [k], ['quickfix']);
    assert.equal(fix.title, 'Change to Deployment');
    assert.equal(applyEdits(text, editOf(fix, uri)), text.replace('Deploymnet', 'Deployment'));
    // a kind of another group: the fix changes apiVersion as well
    c.replace(uri, 'apiVersion: apps/v1\nkind: Ingress\nmetadata:\n  name: x\n');
    const d2 = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'unknown-kind' && /Ingress/.test(String(y.message))));
    const k2 = only(d2, 'unknown-kind');
    const [fix2] = await c.codeActions(uri, k2.range, [k2], ['quickfix']);
    assert.equal(fix2.title, 'Change to Ingress (networking.k8s.io/v1)');
    assert.equal(applyEdits('apiVersion: apps/v1\nkind: Ingress\nmetadata:\n  name: x\n', editOf(fix2, uri)), 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n');
    c.close(uri);
  });

  it('flags a known kind without apiVersion and adds it', async () => {
    const uri = scratch('noapiversion');
    const text = deployment('noapi').replace('apiVersion: types.kubefed.io/v1beta1\n', '');
    c.open(uri, text);
    const d = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'missing-apiversion'));
    const m = only(d, 'missing-apiversion');
    assert.deepEqual(m.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } });
    const [fix] = await c.codeActions(uri, m.range, [m], ['quickfix']);
    assert.equal(fix.title, 'Add apiVersion: types.kubefed.io/v1beta1');
    assert.equal(applyEdits(text, editOf(fix, uri)), deployment('noapi'));
    c.close(uri);
  });

  it('flags an unknown federated kind (engine code) with a fix', async () => {
    const uri = scratch('fedkind');
    const text = deployment('fedkind').replace('kind: FederatedDeployment', 'kind: FederatedDeploymnet');
    c.open(uri, text);
    const d = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'unknown-federated-kind'));
    const k = only(d, 'unknown-federated-kind');
    assert.deepEqual(k.range.start, positionOf(text, 'FederatedDeploymnet'));
    const actions = await c.codeActions(uri, k.range, [k], ['quickfix']);
    const fix = actions.find((a) => /FederatedDeployment$/.test(a.title));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(applyEdits(text, editOf(fix, uri)), deployment('fedkind'));
    c.close(uri);
  });

  it('override for a cluster the resource is not placed on: add the cluster, or remove the override', async () => {
    const uri = scratch('unplaced');
    const text = deployment('unplaced', {
      placement: '    clusters:\n    - name: cluster1\n',
      overrides: `  overrides:
  - clusterName: cluster1
    clusterOverrides:
    - path: /spec/replicas
      value: 2
  - clusterName: cluster2
    clusterOverrides:
    - path: /spec/replicas
      value: 4
`,
    });
    c.open(uri, text);
    const d = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'override-for-unplaced-cluster'));
    const u = only(d, 'override-for-unplaced-cluster');
    assert.deepEqual(u.range.start, positionOf(text, 'cluster2'));
    const actions = await c.codeActions(uri, u.range, [u], ['quickfix']);
    const add = actions.find((a) => a.title === 'Add cluster2 to the placement');
    const remove = actions.find((a) => a.title === 'Remove the overrides for cluster2');
    assert.ok(add && remove, JSON.stringify(actions.map((a) => a.title)));
    const added = applyEdits(text, editOf(add, uri));
    assert.match(added, /    - name: cluster1\n    - name: cluster2\n  overrides:/);
    const removed = applyEdits(text, editOf(remove, uri));
    assert.ok(!removed.includes('cluster2'));
    assert.match(removed, /value: 2\n$/);
    for (const t of [added, removed]) {
      c.replace(uri, t);
      const after = await c.waitDiagnostics(uri, (x) => !x.some((y) => y.code === 'override-for-unplaced-cluster'));
      assert.deepEqual(codes(after), []);
    }
    c.close(uri);
  });

  it('namespace without FederatedNamespace: creates one', async () => {
    const uri = scratch('nsfix');
    const text = deployment('nsfix', { namespace: 'lonely' });
    c.open(uri, text);
    const d = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'namespace-not-federated'));
    const n = only(d, 'namespace-not-federated');
    assert.deepEqual(n.range.start, positionOf(text, 'lonely'));
    const actions = await c.codeActions(uri, n.range, [n], ['quickfix']);
    const fix = actions.find((a) => a.title === 'Create FederatedNamespace lonely');
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const fixed = applyEdits(text, editOf(fix, uri));
    assert.match(fixed, /---\napiVersion: types\.kubefed\.io\/v1beta1\nkind: FederatedNamespace\nmetadata:\n  name: lonely\n  namespace: lonely\nspec:\n  placement:\n    clusters:\n      - name: cluster1\n      - name: cluster2\n$/);
    c.replace(uri, fixed);
    await c.waitDiagnostics(uri, (x) => x.length === 0);
    c.close(uri);
  });

  it('override path that does not exist: replaces it with the nearest valid path', async () => {
    const uri = scratch('badpath');
    const text = deployment('badpath', {
      overrides: `  overrides:
  - clusterName: cluster2
    clusterOverrides:
    - path: /spec/template/spec/containres/0/image
      value: nginx:alpine
`,
    });
    c.open(uri, text);
    const d = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'override-path-not-found'));
    const p = only(d, 'override-path-not-found');
    assert.deepEqual(p.range.start, positionOf(text, '/spec/template/spec/containres/0/image'));
    const actions = await c.codeActions(uri, p.range, [p], ['quickfix']);
    const fix = actions.find((a) => a.title === 'Change path to /spec/template/spec/containers/0/image');
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    c.replace(uri, applyEdits(text, editOf(fix, uri)));
    await c.waitDiagnostics(uri, (x) => x.length === 0);
    c.close(uri);
  });

  it('duplicate cluster overrides carry related information', async () => {
    const uri = scratch('dup');
    const text = deployment('dup', {
      overrides: `  overrides:
  - clusterName: cluster1
    clusterOverrides:
    - path: /spec/replicas
      value: 2
  - clusterName: cluster1
    clusterOverrides:
    - path: /spec/replicas
      value: 4
`,
    });
    c.open(uri, text);
    const d = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'duplicate-cluster-override'));
    const dup = only(d, 'duplicate-cluster-override');
    assert.deepEqual(dup.range.start, positionOf(text, 'cluster1', 0, 2));
    assert.equal(dup.severity, 1);
    assert.equal(dup.relatedInformation?.length, 1);
    assert.equal(dup.relatedInformation![0].location.uri, uri);
    assert.deepEqual(dup.relatedInformation![0].location.range.start, positionOf(text, 'cluster1', 0, 1));
    c.close(uri);
  });

  it('incremental edits: diagnostics follow the text, other documents keep their positions', async () => {
    const uri = scratch('incremental');
    const a = deployment('inc-a');
    const b = deployment('inc-b', { placement: '    clusters:\n    - name: nowhere\n' });
    const text = `${a}---\n${b}`;
    c.open(uri, text);
    const d1 = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'unknown-cluster'));
    assert.equal(only(d1, 'unknown-cluster').range.start.line, positionOf(text, 'nowhere').line);
    // insert two lines into the first document: the second document's diagnostic moves down
    const at = positionOf(text, '  name: inc-a');
    c.change(uri, [{ range: { start: at, end: at }, text: '  labels:\n    x: y\n' }]);
    const d2 = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'unknown-cluster' && y.range.start.line === positionOf(text, 'nowhere').line + 2));
    assert.equal(d2.filter((y) => y.code === 'unknown-cluster').length, 1);
    // a schema error typed into the first document appears; the second keeps its diagnostic
    const r = positionOf(text, 'replicas: 3', 10);
    c.change(uri, [{ range: { start: { line: r.line + 2, character: r.character }, end: { line: r.line + 2, character: r.character + 1 } }, text: 'x' }]);
    const d3 = await c.waitDiagnostics(uri, (x) => x.some((y) => y.code === 'schema'));
    assert.deepEqual(codes(d3), ['placement-empty', 'schema', 'unknown-cluster']);
    c.close(uri);
  });
});

describe('kubefed.schemaStrictness', () => {
  let c: Client;
  before(async () => {
    c = await startServer({ folder, initializationOptions: { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] } });
  });
  after(() => c?.stop());

  it('normal: unknown fields are warnings and type errors errors; off hides both; strict makes both errors', async () => {
    const uri = scratch('strictness');
    const text = deployment('strict', { template: '    spec:\n      replicas: three\n      bogusField: 1\n' });
    c.open(uri, text);
    const schema = (d: Diagnostic[]) => d.filter((x) => x.code === 'schema');
    const normal = schema(await c.waitDiagnostics(uri, (d) => schema(d).length >= 2));
    const unknown = normal.find((d) => /bogusField/.test(String(d.message)))!;
    const type = normal.find((d) => d.range.start.line === positionOf(text, 'three').line)!;
    assert.equal(unknown.severity, 2, 'unknown field: warning');
    assert.equal(type.severity, 1, 'wrong type: error');
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { kubefed: { schemaStrictness: 'off' } } });
    await c.waitDiagnostics(uri, (d) => schema(d).length === 0);
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { kubefed: { schemaStrictness: 'strict' } } });
    const strict = schema(await c.waitDiagnostics(uri, (d) => schema(d).length >= 2));
    assert.ok(strict.every((d) => d.severity === 1), JSON.stringify(strict));
    c.close(uri);
  });
});
