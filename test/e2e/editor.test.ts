/**
 * The extension in a real VS Code (code-server + Chromium), editing the sample workspace with no
 * cluster running: activation time, the injection grammar, diagnostics with their codes, a quick
 * fix, completion of a cluster name, hover previews, Preview for Cluster (following edits),
 * Federate / Convert, the placement view and the status bar.
 *
 *   npm run test:e2e         (or: node --import tsx --test test/e2e/editor.test.ts)
 *
 * Failures leave a screenshot, the browser console and code-server's log in .artifacts/e2e/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { ARTIFACTS, check, DOC_IMAGES, sleep, VSCode } from './harness.ts';

const TYPO = `# e2e: a placement with a misspelt cluster
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: settings
  namespace: shop
spec:
  template:
    data:
      color: blue
  placement:
    clusters:
    - name: clustr2
    - name: cluster1
`;

const PLAIN = `apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
  namespace: shop
data:
  greeting: hello
`;

let vs: VSCode | undefined;
const get = () => vs;

before(async () => {
  vs = await VSCode.start({
    name: 'editor',
    workspace: 'samples/workspace',
    files: { 'e2e/typo.yaml': TYPO, 'e2e/plain.yaml': PLAIN },
    // No cluster in this file: a kubeconfig that does not exist.
    settings: { 'kubefed.kubeconfig': 'no-such-kubeconfig.yaml' },
  });
});

after(async () => {
  await vs?.close();
});

check('activates on a federated YAML file and reports its activation time', get, async (vs) => {
  await vs.openFile('v1beta1/web.yaml');
  const line = () => vs.extensionHostLog(/\[kubefed\] activated in/).at(-1);
  for (let i = 0; i < 100 && !line(); i++) await sleep(200);
  const own = /activated in ([\d.]+) ms/.exec(line() ?? '');
  assert.ok(own, 'the extension logs its activation time');
  // VS Code's own measure (loading the bundle + activate), shown in Running Extensions. Both are
  // reported here, not held to a bound: the budget is checked by `npm run bench` (bench/activation.ts).
  await vs.command('Developer: Show Running Extensions');
  const row = vs.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'KubeFed Tools' }).first();
  // The list is sorted by activation time, slowest first, and virtualised: on a busy machine our
  // row can sit below the rows that are rendered. Scroll down until it is.
  const list = vs.page.locator('.runtime-extensions-editor .monaco-list').first();
  await list.waitFor({ timeout: 20_000 });
  for (let i = 0; i < 60 && !(await row.isVisible()); i++) {
    await list.hover();
    await vs.page.mouse.wheel(0, 120);
    await sleep(250);
  }
  await row.waitFor({ timeout: 5_000 });
  const text = await row.innerText();
  const m = /Activation:\s*(\d+)\s*ms/.exec(text);
  assert.ok(m, `activation time shown: ${text}`);
  console.log(`# activation: ${own[1]} ms evaluating the bundle and running activate(); ${m[1]} ms by VS Code's measure`);
  await vs.page.keyboard.press('Control+W');
});

check('federation keys and JSON-pointer override paths are highlighted (injection grammar)', get, async (vs) => {
  await vs.openFile('v1beta1/web.yaml');
  const cls = async (text: string) => (await vs.token(text).getAttribute('class')) ?? '';
  await vs.token('clusterName').waitFor();
  const key = await cls('clusterName');
  const plainKey = await cls('namespace');
  assert.notEqual(key, plainKey, `clusterName (${key}) is coloured unlike an ordinary key (${plainKey})`);
  assert.equal(await cls('placement'), key, 'placement is a federation key too');
  assert.equal(await cls('overrides'), key, 'overrides is a federation key too');
  // In "/spec/replicas" the segments are coloured unlike a plain string value.
  const segment = await cls('replicas');
  const stringValue = await cls('nginx:1.27-alpine');
  assert.notEqual(segment, stringValue, 'pointer segments differ from plain strings');
});

check('code lenses show where a resource goes', get, async (vs) => {
  await vs.openFile('v1beta1/web.yaml');
  // Lenses are resolved one by one: wait for both kinds before reading them.
  await vs.editor().locator('.codelens-decoration', { hasText: /of 3 clusters/ }).first().waitFor({ timeout: 30_000 });
  await vs.editor().locator('.codelens-decoration', { hasText: /overrides?/ }).first().waitFor({ timeout: 30_000 });
  const text = await vs.editor().locator('.codelens-decoration').allInnerTexts();
  assert.ok(text.some((t) => /cluster1, cluster2 \(2 of 3 clusters\)/.test(t)), text.join(' | '));
  assert.ok(text.some((t) => /2 overrides/.test(t)), text.join(' | '));
  // The README's picture: the lenses and the inlay hints of the override paths (template values).
  if (DOC_IMAGES) {
    // Inlay hints are drawn by CSS (not in the text): give them the moment the lenses took.
    await sleep(1500);
    await vs.docImage('lenses-and-inlay-hints', vs.editor(), { width: 720, height: 720 });
  }
});

check('hovering a cluster name shows the object that cluster receives', get, async (vs) => {
  await vs.openFile('v1beta1/web.yaml');
  const hover = await vs.hover('cluster2', /replicas: 5/);
  assert.match(hover, /FederatedDeployment shop\/web → cluster2/);
  assert.match(hover, /kind: Deployment/);
  assert.match(hover, /image: nginx:1\.27-alpine/);
  await vs.docImage('hover-preview', [vs.editor().locator('.view-line', { hasText: /clusterName:\s+cluster2/ }).first(), vs.page.locator('.monaco-hover:not(.hidden)').first()], { pad: 8, width: 660 });
  await vs.page.mouse.move(5, 5);
});

check('a federated file shows a diagnostic with its code', get, async (vs) => {
  await vs.openFile('e2e/typo.yaml');
  await vs.editor().locator('.squiggly-warning, .squiggly-error').first().waitFor({ state: 'attached', timeout: 30_000 });
  const rows = await vs.problems(/clustr2/);
  const row = rows.find((r) => /clustr2/.test(r)) ?? '';
  assert.match(row, /unknown-cluster/, `the Problems row names the code: ${row}`);
  assert.match(row, /kubefed/i, `and the source: ${row}`);
});

check('a quick fix corrects the misspelt cluster', get, async (vs) => {
  await vs.openFile('e2e/typo.yaml');
  const item = vs.page.locator('.action-widget .monaco-list-row, .context-view .monaco-list-row', { hasText: 'Change to cluster2' }).first();
  // The code actions arrive asynchronously; ask again when the menu opened before they did.
  for (let attempt = 1; ; attempt++) {
    await vs.cursorTo('e2e/typo.yaml', 'clustr2', 2);
    await vs.page.keyboard.press('Control+.');
    const shown = await item.waitFor({ timeout: 8_000 }).then(() => true, () => false);
    if (shown) break;
    if (attempt === 3) await vs.artifact('quick-fix-menu');
    assert.ok(attempt < 3, 'the quick fix "Change to cluster2" is offered');
    await vs.page.keyboard.press('Escape');
  }
  await item.click();
  await vs.editor().locator('.view-line', { hasText: '- name: cluster2' }).waitFor({ timeout: 10_000 });
  assert.doesNotMatch(await vs.editorText(), /clustr2/);
  // The diagnostic is gone.
  await vs.page.locator('.markers-panel .monaco-list-row', { hasText: 'clustr2' }).waitFor({ state: 'detached', timeout: 20_000 });
});

check('completion offers the member clusters in a placement', get, async (vs) => {
  await vs.openFile('e2e/typo.yaml');
  await vs.cursorTo('e2e/typo.yaml', '- name: cluster1', '- name: cluster1'.length);
  await vs.page.keyboard.press('Enter');
  await vs.page.keyboard.type('- name: ');
  await vs.page.keyboard.press('Control+Space');
  const suggest = vs.page.locator('.suggest-widget.visible .monaco-list-row', { hasText: 'cluster3' }).first();
  await suggest.waitFor({ timeout: 20_000 });
  const rows = await vs.page.locator('.suggest-widget.visible .monaco-list-row').allInnerTexts();
  assert.ok(rows.some((r) => r.includes('cluster2')), `cluster2 offered too: ${rows.join(' | ')}`);
  await suggest.click();
  await vs.editor().locator('.view-line', { hasText: '- name: cluster3' }).waitFor({ timeout: 10_000 });
  const text = await vs.editorText();
  assert.match(text, /- name: cluster1\s*\n\s*- name: cluster3/);
});

check('Preview for Cluster opens what a cluster receives and follows edits', get, async (vs) => {
  await vs.openFile('v1beta1/web.yaml');
  await vs.cursorTo('v1beta1/web.yaml', 'replicas: 3');
  await vs.command('KubeFed: Preview for Cluster…');
  await vs.pick('cluster2');
  const preview = vs.page.locator('.editor-group-container', { has: vs.page.locator('.tab.active[aria-label*="Deployment_shop_web"]') }).locator('.monaco-editor').first();
  await preview.locator('.view-line', { hasText: 'replicas: 5' }).waitFor({ timeout: 20_000 });
  const text = await vs.editorText(preview);
  assert.match(text, /FederatedDeployment shop\/web → cluster2/);
  assert.match(text, /image: nginx:1\.27-alpine/);
  // Edit the override in the source: the preview follows without saving.
  await vs.page.locator('.editor-group-container', { has: vs.page.locator('.tab.active[aria-label*="web.yaml"]') }).first().click({ position: { x: 200, y: 200 } });
  await vs.cursorTo('v1beta1/web.yaml', 'value: 5', 'value: '.length);
  await vs.page.keyboard.press('Shift+End');
  await vs.page.keyboard.type('9');
  await preview.locator('.view-line', { hasText: 'replicas: 9' }).waitFor({ timeout: 20_000 });
  // Read-only.
  await preview.locator('.view-lines').click();
  await vs.page.keyboard.type('x');
  assert.doesNotMatch(await vs.editorText(preview), /^x/m);
});

check('Federate Resource turns a plain object into its federated form', get, async (vs) => {
  await vs.openFile('e2e/plain.yaml');
  await vs.command('KubeFed: Federate Resource');
  await vs.editor().locator('.view-line', { hasText: 'kind: FederatedConfigMap' }).waitFor({ timeout: 20_000 });
  const text = await vs.editorText();
  assert.match(text, /apiVersion: types\.kubefed\.io\/v1beta1/);
  assert.match(text, /template:/);
});

check('Convert to v1beta1 merges a v1alpha1 template, placement and override', get, async (vs) => {
  await vs.openFile('v1alpha1/deployment-template.yaml');
  await vs.command('KubeFed: Convert to v1beta1');
  await vs.editor().locator('.view-line', { hasText: 'apiVersion: types.kubefed.io/v1beta1' }).waitFor({ timeout: 20_000 });
  assert.match(await vs.editorText(), /placement:/);
  // The end of the converted object: the override of cluster3.
  await vs.page.keyboard.press('Control+End');
  await vs.editor().locator('.view-line', { hasText: 'clusterOverrides:' }).first().waitFor({ timeout: 10_000 });
  assert.match(await vs.editorText(), /clusterName: cluster3/);
});

check('Show Placement opens the placement view', get, async (vs) => {
  await vs.openFile('v1beta1/web.yaml');
  await vs.command('KubeFed: Show Placement');
  const frame = vs.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await frame.locator('body', { hasText: /× 3 clusters/ }).waitFor({ timeout: 30_000 });
  const body = await frame.locator('body').innerText();
  assert.match(body, /\d+ federated resources × 3 clusters/);
  assert.match(body, /FederatedDeployment (shop\/)?web/);
  assert.match(body, /FederatedNamespace (shop\/)?shop/);
});

check('the placement view: reading the tree, clicking a cluster cell opens its preview, light and dark themes', get, async (vs) => {
  await vs.openFile('v1beta1/web.yaml');
  await vs.command('KubeFed: Show Placement');
  const view = vs.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  const web = view.locator('[role=treeitem][data-kind=resource][data-resource-id="v1beta1:Deployment:shop/web"]');
  await web.waitFor({ timeout: 30_000 });
  assert.match(await web.innerText(), /FederatedDeployment/);
  // The tree says why each cluster is in or out: the web Deployment is placed by the gold selector.
  if ((await web.getAttribute('aria-expanded')) !== 'true') await web.locator('.twisty').click();
  const id = await web.getAttribute('data-resource-id');
  assert.ok(id, 'resource rows carry their id');
  const cell = (cluster: string) => view.locator(`[role=treeitem][data-kind=cell][data-resource-id="${id}"][data-cluster="${cluster}"]`);
  await cell('cluster1').waitFor({ timeout: 10_000 });
  assert.match(await cell('cluster1').innerText(), /selector match/);
  assert.match(await cell('cluster3').innerText(), /selector mismatch|excluded/);
  // How many fields each cluster's overrides change comes with the placement.
  assert.match(await cell('cluster2').innerText(), /\b2 overrides\b/);
  assert.match(await cell('cluster1').innerText(), /\b0 overrides\b/);
  if (DOC_IMAGES) {
    // The view opened beside the source: the picture shows it alone, then the layout is restored.
    await vs.command('View: Toggle Maximize Editor Group');
    await sleep(800);
    await vs.docImage('placement-view', vs.page.locator('iframe.webview.ready:visible').first(), { width: 1000, height: 560 });
    await vs.command('View: Toggle Maximize Editor Group');
    await sleep(500);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  await vs.page.screenshot({ path: join(ARTIFACTS, 'placement-view-dark.png') });
  // A click on a cell opens what that cluster receives.
  await cell('cluster1').click();
  const preview = vs.page.locator('.editor-group-container', { has: vs.page.locator('.tab.active[aria-label*="Deployment_shop_web"]') }).locator('.monaco-editor').first();
  await preview.locator('.view-line', { hasText: 'cluster1' }).first().waitFor({ timeout: 20_000 });
  assert.match(await vs.editorText(preview), /FederatedDeployment shop\/web → cluster1/);
  // The light theme: the view follows VS Code's theme colours.
  await vs.command('Preferences: Color Theme');
  await vs.pick(/Light Modern/, { filter: 'Light Modern' });
  await vs.command('KubeFed: Show Placement');
  await view.locator('[role=treeitem][data-kind=resource]').first().waitFor({ timeout: 30_000 });
  const bg = await view.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
  const [r, g, bl] = (bg.match(/\d+/g) ?? ['0', '0', '0']).map(Number);
  assert.ok(r + g + bl > 600, `light theme background, got ${bg}`);
  await vs.page.screenshot({ path: join(ARTIFACTS, 'placement-view-light.png') });
  await vs.command('Preferences: Color Theme');
  await vs.pick(/Dark Modern/, { filter: 'Dark Modern' });
});

check('the status bar counts clusters and its click explains what is wrong', get, async (vs) => {
  const item = vs.statusItem('kubefed.clusters');
  await item.filter({ hasText: /reachable|no clusters/ }).waitFor({ timeout: 30_000 });
  assert.match(await item.innerText(), /3 clusters \/ 0 reachable/);
  await vs.closeQuickInput();
  await item.click();
  const rows = await vs.quickPickRows(/No usable kubeconfig/);
  assert.ok(rows.some((r) => /No usable kubeconfig/.test(r)), rows.join(' | '));
  assert.ok(rows.some((r) => /Select Clusters/.test(r)), rows.join(' | '));
  await vs.closeQuickInput();
});

check('the workspace on disk was edited only through the editor', get, async (vs) => {
  // The Federate edit is unsaved: the file on disk is unchanged.
  const disk = readFileSync(join(vs.server.workspace, 'e2e/plain.yaml'), 'utf8');
  assert.equal(disk, PLAIN);
});
