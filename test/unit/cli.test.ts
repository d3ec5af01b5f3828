import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { run } from '../../server/cli/run.ts';

const root = resolve(import.meta.dirname, '..', '..');
const sample = join(root, 'samples', 'workspace');
const examples = resolve(root, '..', 'shared', 'reference', 'examples');
const clustersFile = join(sample, 'clusters.yaml');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'kfed-test-'));
}

test('validate: text lines file:line:col severity code message, exit 1 on errors', async () => {
  const dir = tmp();
  try {
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMapp\nmetadata: {name: x, namespace: y}\n');
    const r = await run(['validate', dir]);
    assert.equal(r.exit, 1);
    const line = r.stdout.split('\n').find((l) => l.includes('unknown-federated-kind'))!;
    assert.match(line, /bad\.yaml:2:7 error unknown-federated-kind .*Did you mean FederatedConfigMap\?/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('validate -o json and sarif carry 1-based positions', async () => {
  const r = await run(['validate', join(examples, 'v1alpha1', 'sample1'), '--clusters', clustersFile, '-o', 'json']);
  const list = JSON.parse(r.stdout) as { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; code: string }[];
  const typo = list.find((d) => d.file.endsWith('federatedserviceaccount-placement.yaml') && d.code === 'placement-empty');
  assert.ok(typo, 'the clusternames typo of the upstream sample is found');
  assert.equal(typo.severity, 'warning');
  assert.ok(typo.line >= 1 && typo.column >= 1 && typo.endLine >= typo.line);
  const s = JSON.parse((await run(['validate', join(examples, 'v1alpha1', 'sample1'), '--clusters', clustersFile, '-o', 'sarif'])).stdout);
  assert.equal(s.version, '2.1.0');
  assert.equal(s.runs[0].results.length, list.length);
});

test('render -o json gives each cluster its objects, with overrides applied', () => {
  const s1 = join(examples, 'v1beta1', 'sample1');
  const r = run(['render', join(s1, 'federateddeployment.yaml'), join(s1, 'federatednamespace.yaml'), '--clusters', clustersFile, '-o', 'json']);
  assert.equal(r.exit, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { clusters: Record<string, any[]> };
  assert.deepEqual(Object.keys(out.clusters).sort(), ['cluster1', 'cluster2', 'cluster3']);
  assert.equal(out.clusters.cluster3.length, 0);
  assert.equal(out.clusters.cluster2[0].kind, 'Namespace', 'namespaces come first');
  const d2 = out.clusters.cluster2.find((o) => o.kind === 'Deployment');
  assert.equal(d2.kind, 'Deployment');
  assert.equal(d2.spec.replicas, 5);
  assert.equal(d2.spec.template.spec.containers[0].image, 'nginx:1.17.0-alpine');
  assert.deepEqual(d2.metadata.annotations, {});
  assert.equal(out.clusters.cluster1.find((o) => o.kind === 'Deployment').spec.replicas, 3);
});

test('render of the v1alpha1 sample: the override object changes cluster2 only', () => {
  const r = run(['render', join(examples, 'v1alpha1', 'sample1'), '--clusters', clustersFile, '--cluster', 'cluster2', '-o', 'json']);
  const out = JSON.parse(r.stdout) as { clusters: Record<string, any[]> };
  assert.deepEqual(Object.keys(out.clusters), ['cluster2']);
  const dep = out.clusters.cluster2.find((o) => o.kind === 'Deployment');
  assert.equal(dep.spec.replicas, 5);
  assert.equal(dep.apiVersion, 'apps/v1');
});

test('render --out-dir writes <cluster>/<namespace or _cluster>/<kind>-<name>.yaml and never touches inputs', () => {
  const dir = tmp();
  try {
    const before = readFileSync(join(sample, 'v1beta1', 'web.yaml'), 'utf8');
    const r = run(['render', sample, '--out-dir', dir]);
    assert.equal(r.exit, 0, r.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ['cluster1', 'cluster2', 'cluster3']);
    const dep = parseYaml(readFileSync(join(dir, 'cluster2', 'shop', 'deployment-web.yaml'), 'utf8'));
    assert.equal(dep.spec.replicas, 5);
    assert.ok(statSync(join(dir, 'cluster1', '_cluster', 'namespace-shop.yaml')).isFile());
    assert.equal(readFileSync(join(sample, 'v1beta1', 'web.yaml'), 'utf8'), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('schedule: the RSP of the sample splits 10 replicas 4/6', () => {
  const r = run(['schedule', sample, '-o', 'json']);
  const rows = JSON.parse(r.stdout);
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0].schedule, { cluster1: 4, cluster2: 6, cluster3: 0 });
  assert.match(run(['schedule', sample]).stdout, /cluster2\s+6/);
});

test('federate and convert produce v1beta1 objects that validate cleanly', () => {
  const f = run(['federate', join(examples, 'v1beta1', 'sample1', 'deployment.yaml')]);
  const fo = parseAllDocuments(f.stdout).map((d) => d.toJS());
  assert.equal(fo[0].kind, 'FederatedDeployment');
  assert.deepEqual(fo[0].spec.placement, { clusterSelector: { matchLabels: {} } });
  const c = run(['convert', join(sample, 'v1alpha1')]);
  const objs = parseAllDocuments(c.stdout).map((d) => d.toJS());
  const dep = objs.find((o) => o.kind === 'FederatedDeployment');
  assert.equal(dep.apiVersion, 'types.kubefed.io/v1beta1');
  assert.deepEqual(dep.spec.placement, { clusters: [{ name: 'cluster1' }, { name: 'cluster3' }] });
  assert.deepEqual(dep.spec.overrides, [{ clusterName: 'cluster3', clusterOverrides: [{ path: '/spec/replicas', value: 4 }] }]);
  assert.ok(objs.some((o) => o.kind === 'FederatedNamespace' && o.metadata.name === 'legacy'));
  // The converted objects render the same per-cluster objects as the originals.
  const dir = tmp();
  try {
    writeFileSync(join(dir, 'converted.yaml'), c.stdout);
    const a = JSON.parse(run(['render', join(sample, 'v1alpha1'), '--clusters', clustersFile, '-o', 'json']).stdout).clusters;
    const b = JSON.parse(run(['render', dir, '--clusters', clustersFile, '-o', 'json']).stdout).clusters;
    for (const cl of ['cluster1', 'cluster3']) {
      const da = a[cl].find((o: any) => o.kind === 'Deployment');
      const db = b[cl].find((o: any) => o.kind === 'Deployment');
      assert.equal(db.spec.replicas, da.spec.replicas, cl);
      assert.deepEqual(db.spec.template, da.spec.template);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage and input errors exit 2 with one clear line', async () => {
  const u = await run(['validate', sample, '--bogus']);
  assert.equal(u.exit, 2);
  assert.match(u.stderr, /unknown flag: --bogus/);
  const m = run(['render', join(sample, 'nope.yaml')]);
  assert.equal(m.exit, 2);
  assert.match(m.stderr, /nope\.yaml: cannot read: no such file or folder/);
  const c = run(['render', sample, '--cluster', 'mars']);
  assert.equal(c.exit, 2);
  assert.match(c.stderr, /unknown cluster "mars"/);
  assert.equal(run(['frobnicate']).exit, 2);
});

test('the kfed entry point sets the exit code', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'server', 'cli', 'main.ts'), 'validate', sample], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /federated resources: 0 error\(s\)/);
});

// ---------------------------------------------------------------------------------------------
// `-` is standard input, in the built CLI (dist/cli.js): `helm template … | kfed validate -`.

const builtCli = join(root, 'dist', 'cli.js');

function piped(args: string[], input: string | Buffer): { status: number | null; stdout: string; stderr: string } {
  // npm test builds dist/ first; a single-file run builds the CLI bundle when it is missing.
  if (!existsSync(builtCli)) spawnSync(process.execPath, [join(root, 'esbuild.mjs'), 'cli'], { cwd: root, stdio: 'ignore' });
  return spawnSync(process.execPath, [builtCli, ...args], { input, encoding: 'utf8' });
}

const STDIN_FEDERATION = [
  'apiVersion: types.kubefed.io/v1beta1',
  'kind: FederatedNamespace',
  'metadata: {name: demo, namespace: demo}',
  'spec: {placement: {clusters: [{name: c1}, {name: c2}]}}',
  '---',
  'apiVersion: types.kubefed.io/v1beta1',
  'kind: FederatedConfigMap',
  'metadata: {name: cfg, namespace: demo}',
  'spec:',
  '  template: {data: {a: "1"}}',
  '  placement: {clusters: [{name: c1}, {name: c2}]}',
  '  overrides: [{clusterName: c2, clusterOverrides: [{path: /data/a, value: "2"}]}]',
  '---',
  'apiVersion: core.kubefed.io/v1beta1',
  'kind: KubeFedCluster',
  'metadata: {name: c1, namespace: kube-federation-system}',
  'spec: {apiEndpoint: "https://c1", secretRef: {name: c1}}',
  '---',
  'apiVersion: core.kubefed.io/v1beta1',
  'kind: KubeFedCluster',
  'metadata: {name: c2, namespace: kube-federation-system}',
  'spec: {apiEndpoint: "https://c2", secretRef: {name: c2}}',
  '',
].join('\n');

test('kfed validate - reads standard input and reports positions as <stdin>:line:col', () => {
  const bad = 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMapp\nmetadata: {name: x, namespace: y}\n';
  const v = piped(['validate', '-'], bad);
  assert.equal(v.status, 1, v.stderr);
  assert.match(v.stdout, /^<stdin>:2:7 error unknown-federated-kind .*Did you mean FederatedConfigMap\?/m);
  const json = JSON.parse(piped(['validate', '-', '-o', 'json'], bad).stdout) as { file: string; line: number; column: number; code: string }[];
  assert.deepEqual(json.map((d) => [d.file, d.line, d.column, d.code]), [['<stdin>', 2, 7, 'unknown-federated-kind']]);
  // A YAML syntax error of the piped text, and a clean federation.
  assert.match(piped(['validate', '-'], 'a: [\nb: 1\n').stdout, /^<stdin>:2:1 error yaml-syntax /m);
  // Bytes that are not UTF-8: one error at the first bad byte.
  const latin1 = piped(['validate', '-'], Buffer.concat([Buffer.from('a: b\nc: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
  assert.equal(latin1.status, 1, latin1.stderr);
  assert.match(latin1.stdout, /^<stdin>:2:7 error not-utf8 This file is not valid UTF-8/m);
  const ok = piped(['validate', '-'], STDIN_FEDERATION);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /1 file, 2 federated resources: 0 error\(s\)/);
});

test('kfed render - renders standard input (kubectl kustomize dir | kfed render -), with a file beside it', () => {
  const r = piped(['render', '-', '--cluster', 'c2'], STDIN_FEDERATION);
  assert.equal(r.status, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; data?: Record<string, string> });
  assert.deepEqual(docs.map((d) => d.kind), ['Namespace', 'ConfigMap']);
  assert.deepEqual(docs[1]!.data, { a: '2' }, 'the override of c2 is applied');
  assert.match(r.stdout, /^# cluster: c2 \(from <stdin>:5\)$/m); // the document that begins at the --- of line 5
  // Standard input and a file together: the clusters come from the file.
  const dir = tmp();
  try {
    const clusters = STDIN_FEDERATION.split('---\n').slice(2).join('---\n');
    writeFileSync(join(dir, 'clusters.yaml'), clusters);
    const resources = STDIN_FEDERATION.split('---\n').slice(0, 2).join('---\n');
    const j = piped(['render', '-', join(dir, 'clusters.yaml'), '-o', 'json'], resources);
    assert.equal(j.status, 0, j.stderr);
    const out = JSON.parse(j.stdout) as { clusters: Record<string, { kind: string }[]> };
    assert.deepEqual(Object.keys(out.clusters).sort(), ['c1', 'c2']);
    assert.deepEqual(out.clusters.c1!.map((o) => o.kind), ['Namespace', 'ConfigMap']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
