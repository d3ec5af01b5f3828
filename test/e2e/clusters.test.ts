/**
 * The extension against real local clusters (three kube-apiservers from test/clusters/launcher.ts)
 * in a real VS Code: the status bar reaches them, Propagate (dry-run confirmation, then the run)
 * puts each cluster's objects there and reports each cluster's outcome, an out-of-band change
 * shows up in Compare's diff editor, and Select Clusters writes the federation's members.
 *
 *   npm run test:e2e         (or: node --import tsx --test test/e2e/clusters.test.ts)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startFederation, type Federation } from '../clusters/launcher.ts';
import { startTimeoutMs } from '../clusters/fixtures.ts';
import { pauseCluster, resumeCluster } from '../clusters/chaos.ts';
import { check, DOC_IMAGES, sleep, VSCode } from './harness.ts';

let fed: Federation | undefined;
let vs: VSCode | undefined;
const get = () => vs;

before(
  async () => {
    fed = await startFederation({ log: process.env.KFED_CLUSTERS_LOG ? (l) => console.error(`[clusters] ${l}`) : undefined });
    vs = await VSCode.start({
      name: 'clusters',
      workspace: 'samples/workspace',
      // A hung cluster (the Cancel test) is reported after 8 s instead of the default 30 s.
      settings: { 'kubefed.kubeconfig': fed.kubeconfigPath, 'kubefed.requestTimeout': 8 },
    });
  },
  { timeout: startTimeoutMs() + 120_000 },
);

after(async () => {
  await vs?.close();
  await fed?.stop();
});

async function deployment(cluster: string, ns: string, name: string): Promise<any | undefined> {
  const r = await fed!.request(cluster, 'GET', `/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
  if (r.status === 404) return undefined;
  assert.equal(r.status, 200, `GET deployment ${ns}/${name} in ${cluster}: ${r.body.slice(0, 200)}`);
  return r.json();
}

/** The text of a modal dialog and a click on one of its buttons. */
async function dialog(vs: VSCode, button: string): Promise<string> {
  const box = vs.page.locator('.monaco-dialog-box');
  await box.waitFor({ timeout: 120_000 });
  const text = (await box.innerText()).replace(/\u00a0/g, ' ');
  await box.locator('.monaco-button', { hasText: new RegExp(`^${button}$`) }).first().click();
  await box.waitFor({ state: 'hidden' });
  return text;
}

check('the status bar finds every cluster reachable', get, async (vs) => {
  await vs.openFile('v1beta1/web.yaml');
  const item = vs.statusItem('kubefed.clusters');
  await item.filter({ hasText: '3 clusters / 3 reachable' }).waitFor({ timeout: 60_000 });
});

check('Propagate Workspace confirms what changes per cluster, then reports each cluster', get, async (vs) => {
  await vs.command('KubeFed: Propagate Workspace');
  const text = await dialog(vs, 'Propagate');
  assert.match(text, /Propagate \d+ federated resources from the workspace to 3 clusters\?/);
  assert.match(text, /cluster1: .*create Namespace shop/);
  assert.match(text, /cluster2: .*create Deployment shop\/web/);
  assert.match(text, /cluster3: .*create Namespace legacy/);
  assert.doesNotMatch(text, /cluster3: .*Deployment shop\/web/, 'web is not placed on cluster3');
  // Nothing exists before the confirmation (the plan was a dry run).
  const msg = await vs.waitNotification(/KubeFed: propagated the workspace/, 120_000);
  assert.match(msg, /3 clusters: .*created/);
  // What each cluster received.
  const web1 = await deployment('cluster1', 'shop', 'web');
  const web2 = await deployment('cluster2', 'shop', 'web');
  assert.ok(web1 && web2, 'web is in cluster1 and cluster2');
  assert.equal(web1.spec.replicas, 3);
  assert.equal(web2.spec.replicas, 5, 'the cluster2 override');
  assert.equal(web2.spec.template.spec.containers[0].image, 'nginx:1.27-alpine');
  assert.equal(await deployment('cluster3', 'shop', 'web'), undefined, 'not placed on cluster3');
  const legacy3 = await deployment('cluster3', 'legacy', 'legacy');
  assert.equal(legacy3?.spec.replicas, 4, 'v1alpha1 override for cluster3');
  // The Results view lists each cluster's outcome.
  const view = vs.page.locator('.pane', { has: vs.page.locator('.pane-header', { hasText: /Results/i }) });
  await view.locator('.monaco-list-row', { hasText: 'cluster3' }).first().waitFor({ timeout: 20_000 });
  const rows = await view.locator('.monaco-list-row').allInnerTexts();
  const row = (c: string) => rows.find((r) => r.startsWith(c) || r.includes(`${c}\n`) || new RegExp(`^${c}\\b`).test(r.trim())) ?? '';
  for (const c of ['cluster1', 'cluster2', 'cluster3']) assert.match(row(c), /\d+ created/, `${c}: ${rows.join(' | ')}`);
  assert.ok(rows.some((r) => /Deployment shop\/web/.test(r) && /created/.test(r)), rows.join(' | '));
});

check('a second Propagate finds nothing to change', get, async (vs) => {
  await vs.command('KubeFed: Propagate Workspace');
  const text = await dialog(vs, 'Dry Run Only');
  assert.match(text, /Nothing to change/);
  assert.match(text, /cluster2: \d+ unchanged/);
  await vs.waitNotification(/dry run of the workspace: 0 changes/);
});

check('an out-of-band change shows in Compare\'s diff editor', get, async (vs) => {
  // Someone edits the Deployment in cluster2 directly.
  const live = await deployment('cluster2', 'shop', 'web');
  live.spec.template.spec.containers[0].image = 'nginx:out-of-band';
  const put = await fed!.request('cluster2', 'PUT', '/apis/apps/v1/namespaces/shop/deployments/web', live);
  assert.equal(put.status, 200, put.body.slice(0, 300));

  await vs.openFile('v1beta1/web.yaml');
  await vs.command('KubeFed: Compare Across Clusters');
  // The diff editor of cluster2: desired (left) ↔ live (right).
  const tab = vs.page.locator('.tabs-container .tab', { hasText: 'cluster2: desired ↔ live' }).first();
  await tab.waitFor({ timeout: 120_000 });
  const diff = vs.page.locator('.editor-group-container.active .monaco-diff-editor').first();
  await diff.waitFor();
  await diff.locator('.editor.modified .view-line', { hasText: 'nginx:out-of-band' }).first().waitFor({ timeout: 20_000 });
  await diff.locator('.editor.original .view-line', { hasText: 'nginx:1.27-alpine' }).first().waitFor({ timeout: 20_000 });
  // The change is marked as a change, not just shown.
  assert.ok((await diff.locator('.char-insert, .line-insert, .gutter-insert').count()) > 0, 'the diff marks the changed line');
  // No diff for cluster1 (in sync).
  assert.equal(await vs.page.locator('.tabs-container .tab', { hasText: 'cluster1: desired ↔ live' }).count(), 0);
  // The summary quick pick.
  const rows = await vs.quickPickRows(/drifted/);
  assert.ok(rows.some((r) => /cluster2/.test(r) && /drifted/.test(r)), rows.join(' | '));
  assert.ok(rows.some((r) => /Deployment shop\/web/.test(r) && /containers\/0\/image/.test(r)), rows.join(' | '));
  assert.ok(rows.some((r) => /cluster1/.test(r) && /in-sync/.test(r)), rows.join(' | '));
  await vs.closeQuickInput();
  if (DOC_IMAGES) {
    await vs.page.mouse.move(5, 5); // no tab tooltip in the picture
    await sleep(600);
    await vs.docImage('compare-diff', diff, { width: 1000, height: 620 });
  }
});

check('the placement view shows what Compare and a dry run saw, matched by resource id; Clear Results clears it', get, async (vs) => {
  const view = vs.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  const id = 'v1beta1:Deployment:shop/web';
  const badge = (cluster: string) => view.locator(`[role=treeitem][data-kind=cell][data-resource-id="${id}"][data-cluster="${cluster}"] .badge.live`);
  const showWeb = async () => {
    await vs.command('KubeFed: Show Placement');
    const web = view.locator(`[role=treeitem][data-kind=resource][data-resource-id="${id}"]`);
    await web.waitFor({ timeout: 30_000 });
    if ((await web.getAttribute('aria-expanded')) !== 'true') await web.locator('.twisty').click();
  };
  // Compare (the check before): cluster2 drifted, cluster1 in sync.
  await showWeb();
  await badge('cluster2').filter({ hasText: /^drifted · / }).waitFor({ timeout: 20_000 });
  assert.equal(await badge('cluster2').getAttribute('data-live'), 'drifted');
  assert.match(await badge('cluster1').innerText(), /^in sync · /);
  // A dry run of the file: what Propagate would do there (cluster2's image belongs to another
  // field manager now, so server-side apply would refuse: the next check takes it back).
  await vs.openFile('v1beta1/web.yaml');
  await vs.command('KubeFed: Propagate');
  await dialog(vs, 'Dry Run Only');
  await vs.waitNotification(/dry run of v1beta1\/web.yaml: [1-9]\d* changes?/);
  await showWeb();
  await badge('cluster2').filter({ hasText: /^would fail · / }).waitFor({ timeout: 20_000 });
  assert.equal(await badge('cluster2').getAttribute('data-live'), 'error');
  assert.match((await badge('cluster2').getAttribute('title')) ?? '', /UpdateFailed/);
  assert.match(await badge('cluster1').innerText(), /^unchanged · /);
  // Clear Results forgets them in the view as well.
  await vs.command('KubeFed: Clear Results');
  await view.locator('.badge.live').first().waitFor({ state: 'detached', timeout: 10_000 });
  assert.equal(await view.locator('.badge.live').count(), 0);
});

check('Propagate on a selection acts on the selected resource only and repairs the drift', get, async (vs) => {
  await vs.openFile('v1beta1/web.yaml');
  // Select a few lines of the FederatedDeployment (the first document), not the Service.
  await vs.goTo(3, 1);
  for (let i = 0; i < 6; i++) await vs.page.keyboard.press('Shift+ArrowDown');
  await vs.command('KubeFed: Propagate');
  // The image was changed in cluster2 by another field manager: server-side apply reports a
  // conflict, and the dialog offers to take the field back (what KubeFed would do).
  const text = await dialog(vs, 'Propagate, Overwriting Their Changes');
  assert.match(text, /Propagate 1 federated resource from the selection in v1beta1\/web\.yaml to 3 clusters\?/);
  assert.match(text, /cluster2: would fail Deployment shop\/web \(UpdateFailed: .*image.*\)/);
  assert.match(text, /cluster1: 1 unchanged/);
  assert.match(text, /changed in the cluster by another field manager/);
  assert.doesNotMatch(text, /Service/);
  await vs.waitNotification(/propagated the selection in v1beta1\/web\.yaml/, 120_000);
  const web2 = await deployment('cluster2', 'shop', 'web');
  assert.equal(web2.spec.template.spec.containers[0].image, 'nginx:1.27-alpine', 'the out-of-band change is undone');
});

check('Preview for Cluster shows what Propagate sent', get, async (vs) => {
  await vs.openFile('v1beta1/web.yaml');
  await vs.command('KubeFed: Preview for Cluster…');
  await vs.pick('cluster1');
  const preview = vs.page.locator('.editor-group-container', { has: vs.page.locator('.tab.active[aria-label*="Deployment_shop_web"]') }).locator('.monaco-editor').first();
  await preview.locator('.view-line', { hasText: 'replicas: 3' }).waitFor({ timeout: 20_000 });
  const web1 = await deployment('cluster1', 'shop', 'web');
  assert.match(await vs.editorText(preview), new RegExp(`image: ${web1.spec.template.spec.containers[0].image.replace(/\./g, '\\.')}`));
});

check('Select Clusters writes the chosen contexts and the host to the workspace settings', get, async (vs) => {
  await vs.command('KubeFed: Select Clusters…');
  // Uncheck cluster3 (all are checked by default), accept.
  await vs.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'cluster3' }).first().waitFor({ timeout: 20_000 });
  await vs.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'cluster3' }).first().locator('.quick-input-list-checkbox, input[type=checkbox], .monaco-custom-toggle').first().click();
  await vs.page.locator('.quick-input-widget input').press('Enter');
  await vs.pick('cluster1');
  await vs.waitNotification(/2 member clusters selected, host cluster1/);
  let settings: any;
  for (let i = 0; i < 50; i++) {
    settings = JSON.parse(readFileSync(join(vs.server.workspace, '.vscode', 'settings.json'), 'utf8'));
    if (settings['kubefed.clusters']) break;
    await sleep(100);
  }
  assert.deepEqual(settings['kubefed.clusters'], [
    { name: 'cluster1', context: 'cluster1' },
    { name: 'cluster2', context: 'cluster2' },
  ]);
  assert.equal(settings['kubefed.hostCluster'], 'cluster1');
  // Applied without a reload: the status bar counts two clusters.
  await vs.statusItem('kubefed.clusters').filter({ hasText: '2 clusters / 2 reachable' }).waitFor({ timeout: 30_000 });
});

check('Cancel stops a Propagate that waits for a hung cluster; nothing is asked or changed', get, async (vs) => {
  // cluster2 stops answering (connections are accepted, nothing comes back): its requests wait for
  // kubefed.requestTimeout (8 s here), so the run is still busy when Cancel is clicked.
  const before = await deployment('cluster1', 'shop', 'web');
  const pid = pauseCluster(fed!, 'cluster2');
  try {
    await vs.openFile('v1beta1/web.yaml');
    const toast = vs.page.locator('.notifications-toasts .notification-toast', { hasText: 'KubeFed: Propagate the workspace' }).first();
    await vs.command('KubeFed: Propagate Workspace');
    await toast.waitFor({ timeout: 20_000 });
    await toast.hover();
    const t = Date.now();
    await toast.locator('.monaco-button, .action-label', { hasText: /^Cancel$/ }).first().click();
    await toast.waitFor({ state: 'hidden', timeout: 4_000 });
    console.log(`# cancelled: the progress closed ${Date.now() - t} ms after Cancel`);
    // Not cancelled, the run goes on past cluster2's timeout and asks for confirmation (below):
    // after Cancel nothing is asked.
    await sleep(15_000);
    assert.equal(await vs.page.locator('.monaco-dialog-box').count(), 0, 'no confirmation is asked after Cancel');
    assert.ok(!(await vs.notifications()).some((n) => /propagated/.test(n)), (await vs.notifications()).join(' | '));

    // The same run, not cancelled: the dry run reports cluster2 as not answering within 8 s.
    await vs.command('KubeFed: Propagate Workspace');
    const text = await dialog(vs, 'Cancel');
    assert.match(text, /cluster2: not reachable — .*no answer to .* within 8 s/);
  } finally {
    resumeCluster(pid);
  }
  const after = await deployment('cluster1', 'shop', 'web');
  assert.equal(after?.metadata.resourceVersion, before?.metadata.resourceVersion, 'cluster1 was not touched');
});
