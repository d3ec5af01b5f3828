/**
 * `npm run package` makes a .vsix that installs and works on its own: packaged with
 * @vscode/vsce, installed into a fresh code-server with --install-extension (no link to the
 * repo), then the language server answers in a federated file (a diagnostic with its code) and
 * the commands are there.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { check, ROOT, VSCode } from './harness.ts';

let vs: VSCode | undefined;
let vsix = '';
let files: string[] = [];
const out = mkdtempSync(join(tmpdir(), 'kubefed-vsix-'));
const get = () => vs;

before(
  async () => {
    vsix = join(out, 'kubefed-tools.vsix');
    const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '-o', vsix], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `vsce package failed: ${r.stderr}\n${r.stdout}`);
    const ls = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    files = ls.stdout.split('\n').filter(Boolean);
    vs = await VSCode.start({
      name: 'package',
      vsix,
      files: {
        'app.yaml': 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nmetadata:\n  name: app\n  namespace: default\nspec:\n  template:\n    data:\n      a: b\n  placement:\n    clusters:\n    - name: nowhere\n',
      },
      settings: { 'kubefed.kubeconfig': 'none.yaml' },
    });
  },
  { timeout: 300_000 },
);

after(async () => {
  await vs?.close();
  rmSync(out, { recursive: true, force: true });
});

check('the .vsix holds the bundles, the grammar and the manifest, and no sources', get, async () => {
  for (const f of ['package.json', 'dist/client.js', 'dist/server.js', 'dist/package.json', 'syntaxes/kubefed.injection.tmLanguage.json', 'client/media/kubefed.svg']) {
    assert.ok(files.includes(f), `${f} is packaged (${files.join(', ')})`);
  }
  assert.ok(!files.some((f) => f.endsWith('.ts') || f.startsWith('node_modules/') || f.startsWith('test/') || f.endsWith('.map')), files.join(', '));
});

check('installed from the .vsix, the extension is a real copy (not a link to the repo)', get, async (vs) => {
  const dirs = readdirSync(vs.server.extensions).filter((d) => d.startsWith('kubefed-tools.kubefed-tools'));
  assert.equal(dirs.length, 1, readdirSync(vs.server.extensions).join(', '));
  const dir = join(vs.server.extensions, dirs[0]!);
  assert.ok(existsSync(join(dir, 'dist', 'server.js')));
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  assert.equal(manifest.main, './dist/client.js');
});

check('the installed extension validates a federated file', get, async (vs) => {
  await vs.openFile('app.yaml');
  // No cluster is known here, and namespace "default" has no FederatedNamespace.
  const rows = await vs.problems(/namespace-not-federated/, 60_000);
  assert.ok(rows.some((r) => /Namespace "default"/.test(r)), rows.join(' | '));
});

check('its commands are in the palette', get, async (vs) => {
  await vs.page.keyboard.press('F1');
  const input = vs.page.locator('.quick-input-widget input');
  await input.fill('>KubeFed:');
  await vs.page.locator('.quick-input-list .monaco-list-row', { hasText: 'KubeFed: Propagate' }).first().waitFor({ timeout: 15_000 });
  const rows = await vs.page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
  for (const c of ['Compare Across Clusters', 'Preview for Cluster', 'Select Clusters', 'Convert to v1beta1', 'Federate Resource', 'Show Placement']) {
    assert.ok(rows.some((r) => r.includes(c)), `${c} in ${rows.join(' | ')}`);
  }
  await vs.closeQuickInput();
});
