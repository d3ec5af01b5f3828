/**
 * The extension next to a running KubeFed (v0.10.0's controller-manager on three local API
 * servers) in a real VS Code: with `kubefed.hostCluster` set, KubeFed's own report of a failing
 * override shows as a diagnostic in the file, in the placement view's cell and in the status bar;
 * after the fix is applied (KubeFed: Apply to Host), all three clear.
 *
 *   node --import tsx --test test/e2e/host.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { stringify } from 'yaml';
import { startFederation, type Federation } from '../clusters/launcher.ts';
import { startTimeoutMs } from '../clusters/fixtures.ts';
import { run } from '../../server/cli/run.ts';
import { check, VSCode } from './harness.ts';

let fed: Federation | undefined;
let vs: VSCode | undefined;
const get = () => vs;

const NS = 'e2e-host';
const fns = { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: NS, namespace: NS }, spec: { placement: { clusterSelector: {} } } };
const app = (overrides: unknown[]) => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedConfigMap',
  metadata: { name: 'settings', namespace: NS },
  spec: {
    template: { data: { mode: 'a' } },
    placement: { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] },
    ...(overrides.length ? { overrides } : {}),
  },
});
const broken = [{ clusterName: 'cluster2', clusterOverrides: [{ op: 'replace', path: '/data/missing/deeper', value: 'x' }] }];
const text = (overrides: unknown[]) => [fns, app(overrides)].map((o) => '---\n' + stringify(o)).join('');

before(
  async () => {
    fed = await startFederation({ kubefedController: true, readyTimeoutMs: 180_000 });
    vs = await VSCode.start({
      name: 'host',
      files: { 'app.yaml': text(broken) },
      settings: { 'kubefed.kubeconfig': fed.kubeconfigPath, 'kubefed.hostCluster': 'cluster1', 'kubefed.confirmPropagate': true },
    });
    // The broken version is in the host already (applied from a terminal, as a team mate would).
    const r = await run(['apply', join(vs.server.workspace, 'app.yaml'), '--kubeconfig', fed.kubeconfigPath, '--host-context', 'cluster1', '--force']);
    assert.equal(r.exit, 0, r.stderr + r.stdout);
  },
  { timeout: startTimeoutMs() + 240_000 },
);

after(async () => {
  await vs?.close();
  await fed?.stop();
});

const ID = `v1beta1:ConfigMap:${NS}/settings`;

async function placementCell(vs: VSCode, cluster: string) {
  const view = vs.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await vs.command('KubeFed: Show Placement');
  const res = view.locator(`[role=treeitem][data-kind=resource][data-resource-id="${ID}"]`);
  await res.waitFor({ timeout: 30_000 });
  if ((await res.getAttribute('aria-expanded')) !== 'true') await res.locator('.twisty').click();
  return view.locator(`[role=treeitem][data-kind=cell][data-resource-id="${ID}"][data-cluster="${cluster}"] .badge.kubefed`);
}

check("KubeFed's failure shows as a diagnostic, in the placement cell and in the status bar", get, async (vs) => {
  await vs.openFile('app.yaml');
  await vs.statusItem('kubefed.host').filter({ hasText: 'KubeFed cluster1: 3/3 Ready · 1 not propagated' }).waitFor({ timeout: 90_000 });
  const rows = await vs.problems(/KubeFed: ApplyOverridesFailed in cluster2/, 90_000);
  assert.ok(rows.some((r) => /override for cluster2 cannot be applied/.test(r)), rows.join(' | '));
  // (KFED_SCREENSHOTS=1) the README's picture: KubeFed's report in the Problems panel and the status bar
  await vs.docImage('kubefed-status', [vs.page.locator('.markers-panel .monaco-list-row', { hasText: 'KubeFed: ApplyOverridesFailed' }).first(), vs.statusItem('kubefed.host')], { pad: 6, width: 1100 });
  const badge = await placementCell(vs, 'cluster2');
  await badge.filter({ hasText: 'KubeFed: ApplyOverridesFailed' }).waitFor({ timeout: 30_000 });
  assert.equal(await badge.getAttribute('data-kubefed'), 'ApplyOverridesFailed');
  const ok = await placementCell(vs, 'cluster1');
  await ok.filter({ hasText: 'KubeFed: propagated' }).waitFor({ timeout: 30_000 });
});

check('fixed in the file and applied to the host: the diagnostic, the cell and the status bar clear', get, async (vs) => {
  // The fix, saved as a user would (outside the editor here; the file watcher updates the editor).
  writeFileSync(join(vs.server.workspace, 'app.yaml'), text([]));
  await vs.openFile('app.yaml');
  const deadline = Date.now() + 30_000;
  while ((await vs.editorText()).includes('deeper') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.ok(!(await vs.editorText()).includes('deeper'), 'the editor shows the fixed file');
  await vs.command('KubeFed: Apply to Host');
  const box = vs.page.locator('.monaco-dialog-box');
  await box.waitFor({ timeout: 120_000 });
  const dialog = (await box.innerText()).replace(/\u00a0/g, ' ');
  assert.match(dialog, /Apply \d object\(s\) from app\.yaml to the KubeFed host cluster1\?/);
  assert.match(dialog, /would configure FederatedConfigMap e2e-host\/settings/);
  await box.locator('.monaco-button', { hasText: /^Apply$/ }).first().click();
  await vs.waitNotification(/applied app\.yaml to cluster1/, 60_000);
  // KubeFed propagates the fix; its report clears everything.
  const host = await fed!.request('cluster1', 'GET', `/apis/types.kubefed.io/v1beta1/namespaces/${NS}/federatedconfigmaps/settings`);
  assert.equal(host.json().spec.overrides, undefined, 'the host has the fixed version');
  const badge = await placementCell(vs, 'cluster2');
  await badge.filter({ hasText: 'KubeFed: propagated' }).waitFor({ timeout: 90_000 });
  const item = vs.statusItem('kubefed.host');
  await item.filter({ hasText: /^\S*\s*KubeFed cluster1: 3\/3 Ready$/ }).waitFor({ timeout: 30_000 });
  const rows = await vs.problems(undefined, 5_000).catch(() => [] as string[]);
  assert.ok(!rows.some((r) => /ApplyOverridesFailed/.test(r)), rows.join(' | '));
  const member = await fed!.request('cluster2', 'GET', `/api/v1/namespaces/${NS}/configmaps/settings`);
  assert.equal(member.status, 200);
  assert.deepEqual(member.json().data, { mode: 'a' });
  assert.equal(readFileSync(join(vs.server.workspace, 'app.yaml'), 'utf8'), text([]), 'the file is untouched');
});
