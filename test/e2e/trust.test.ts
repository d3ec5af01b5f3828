/**
 * An untrusted folder (Restricted Mode, workspace trust on as in a real VS Code): its
 * `.vscode/settings.json` points `kubefed.kubeconfig` at a kubeconfig whose user runs an `exec`
 * credential plugin — a script that leaves a marker file each time it runs. In Restricted Mode the
 * language features work on the files (diagnostics, hovers), the status bar says that cluster
 * features are off, neither the language server nor a command reads that kubeconfig (a context
 * named only there stays unknown) and the plugin never runs. Trusting the folder (from the status
 * bar's hint) turns it all on without a reload: the server knows the kubeconfig's contexts, the
 * status bar checks the clusters, and so the plugin runs.
 *
 *   npm run test:e2e         (or: node --import tsx --test test/e2e/trust.test.ts)
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { check, sleep, VSCode } from './harness.ts';

// No KubeFedCluster in the folder: the kubeconfig's contexts would be the clusters (when read).
// `replicas: three` is a schema error, found with or without clusters.
const WEB = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      replicas: three
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: [{name: nginx, image: nginx:1.27}]
  placement:
    clusters:
    - name: kc-edge
  overrides:
  - clusterName: kc-edge
    clusterOverrides:
    - path: /spec/replicas
      value: 5
`;

const NAMESPACE = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata:
  name: shop
  namespace: shop
spec:
  placement:
    clusters:
    - name: kc-edge
`;

/** The credential plugin: leaves a marker, answers with a token. */
function plugin(marker: string): string {
  return `#!/bin/sh
echo "ran $*" >> '${marker}'
echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"e2e"}}'
`;
}

function kubeconfig(pluginPath: string): string {
  // Nothing listens on port 9: a check fails at once, after the plugin ran.
  const ctx = (name: string) => `- name: ${name}\n  context:\n    cluster: ${name}\n    user: plugin-user\n`;
  const cluster = (name: string) => `- name: ${name}\n  cluster:\n    server: https://127.0.0.1:9\n    insecure-skip-tls-verify: true\n`;
  return `apiVersion: v1
kind: Config
current-context: cluster1
clusters:
${cluster('cluster1')}${cluster('kc-edge')}contexts:
${ctx('cluster1')}${ctx('kc-edge')}users:
- name: plugin-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ${pluginPath}
      args: [credential]
      interactiveMode: Never
`;
}

const dir = mkdtempSync(join(tmpdir(), 'kubefed-e2e-trust-'));
const marker = join(dir, 'plugin-ran.txt');
let vs: VSCode | undefined;
const get = () => vs;

before(async () => {
  const pluginPath = join(dir, 'credential-plugin.sh');
  writeFileSync(pluginPath, plugin(marker));
  chmodSync(pluginPath, 0o755);
  vs = await VSCode.start({
    name: 'trust',
    workspaceTrust: true,
    files: { 'apps/web.yaml': WEB, 'apps/namespace.yaml': NAMESPACE, '.kube/config.yaml': kubeconfig(pluginPath) },
    settings: { 'kubefed.kubeconfig': '.kube/config.yaml' },
  });
});

after(async () => {
  await vs?.close();
  rmSync(dir, { recursive: true, force: true });
});

check('an untrusted folder gets hovers: a cluster only the kubeconfig names is unknown', get, async (vs) => {
  await vs.openFile('apps/web.yaml');
  const hover = await vs.hover('kc-edge', /→ kc-edge/);
  assert.match(hover, /Not placed on kc-edge/, 'the language server read no kubeconfig context');
  await vs.editor().locator('.codelens-decoration', { hasText: /0 of 0 clusters/ }).first().waitFor({ timeout: 30_000 });
  await vs.page.mouse.move(5, 5);
});

check('an untrusted folder gets diagnostics', get, async (vs) => {
  await vs.openFile('apps/web.yaml');
  await vs.editor().locator('.squiggly-warning, .squiggly-error').first().waitFor({ state: 'attached', timeout: 60_000 });
  const rows = await vs.problems(/Expected "integer"/);
  assert.ok(rows.some((r) => /Expected "integer"[\s\S]*kubefed\s+schema/.test(r)), rows.join(' | '));
  await vs.command('View: Hide Panel');
});

check('the status bar says that cluster features are off in Restricted Mode', get, async (vs) => {
  const item = vs.statusItem('kubefed.clusters');
  await item.filter({ hasText: 'KubeFed: Restricted Mode' }).waitFor({ timeout: 30_000 });
  // The theme's warning colours, not a fixed colour.
  const [bg, warning] = await item.evaluate((e) => [getComputedStyle(e).backgroundColor, getComputedStyle(e).getPropertyValue('--vscode-statusBarItem-warningBackground').trim()]);
  assert.ok(warning, 'the theme has a warning background');
  assert.notEqual(bg, 'rgba(0, 0, 0, 0)', `the hint stands out (${bg})`);
});

check('cluster commands say why they do nothing, and no credential plugin ran', get, async (vs) => {
  await vs.openFile('apps/web.yaml');
  await vs.command('KubeFed: Compare Across Clusters');
  assert.match(await vs.waitNotification(/Compare is off in Restricted Mode/), /trust this folder/);
  await vs.command('KubeFed: Select Clusters…');
  await vs.waitNotification(/Select Clusters is off in Restricted Mode/);
  // Time for anything started on the folder's behalf (server, status bar, commands) to have run.
  await sleep(3000);
  assert.equal(existsSync(marker), false, "the kubeconfig's exec plugin never ran");
});

check('trusting the folder from the hint turns the cluster features on without a reload', get, async (vs) => {
  await vs.statusItem('kubefed.clusters').click();
  const trust = vs.page.locator('.workspace-trust-editor .workspace-trust-buttons .monaco-button', { hasText: /^Trust$/ }).first();
  await trust.waitFor({ timeout: 20_000 });
  await trust.click();
  await vs.page.locator('.workspace-trust-header', { hasText: 'You trust this folder' }).waitFor({ timeout: 20_000 });
  await vs.page.keyboard.press('Escape');
  await vs.page.locator('.workspace-trust-editor').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => vs.command('View: Close Editor'));
  // The status bar checks the clusters (the kubeconfig's exec plugin runs for that)...
  const item = vs.statusItem('kubefed.clusters');
  await item.filter({ hasText: /2 clusters \/ 0 reachable/ }).waitFor({ timeout: 60_000 });
  for (let i = 0; i < 50 && !existsSync(marker); i++) await sleep(200);
  assert.ok(existsSync(marker), 'with trust, the status bar check ran the credential plugin');
  // ...and the language server reads the kubeconfig: its context kc-edge is a cluster now.
  await vs.openFile('apps/web.yaml');
  await vs.editor().locator('.codelens-decoration', { hasText: /kc-edge \(1 of 2 clusters\)/ }).first().waitFor({ timeout: 30_000 });
  const hover = await vs.hover('kc-edge', /replicas: 5/);
  assert.match(hover, /FederatedDeployment shop\/web → kc-edge/);
});
