/**
 * What the language server may see of the settings in Restricted Mode (client/restricted.ts): no
 * kubeconfig at all, no host cluster, a clusters file only when it lies inside the folder (also
 * after symbolic links), and every workspace/configuration answer carries the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { configurationItem, insideFolders, serverSettingsFor, type TrustState } from '../../client/restricted.ts';
import type { KubefedSettings } from '../../client/config.ts';

const base: KubefedSettings = {
  kubeconfig: '.kube/exec-plugin.yaml',
  clusters: [{ name: 'east', context: 'ctx-east', labels: { tier: 'edge' } }],
  hostCluster: 'host-ctx',
  clustersFile: 'clusters.yaml',
  fieldManager: 'kubefed-tools',
  concurrency: 4,
  requestTimeout: 30,
  prune: false,
  adopt: false,
  confirmPropagate: true,
  schemaStrictness: 'strict',
  maskSecrets: true,
};

function withFolder(fn: (folder: string, outside: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'kfed-restricted-'));
  try {
    const folder = join(dir, 'ws');
    const outside = join(dir, 'elsewhere');
    mkdirSync(folder);
    mkdirSync(outside);
    fn(folder, outside);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function state(trusted: boolean, folder: string): TrustState {
  return { trusted, folders: [folder], resolve: (p) => (isAbsolute(p) ? p : join(folder, p)) };
}

test('a trusted folder: the server gets the settings as they are', () => {
  withFolder((folder) => {
    assert.deepEqual(serverSettingsFor(base, state(true, folder)), base);
  });
});

test('Restricted Mode: no kubeconfig, no host cluster; the data settings stay', () => {
  withFolder((folder) => {
    const s = serverSettingsFor({ ...base, kubeconfig: '' }, state(false, folder));
    // '' would mean $KUBECONFIG or ~/.kube/config to the server: false means none at all.
    assert.equal(s.kubeconfig, false);
    assert.equal(s.hostCluster, '');
    assert.deepEqual(s.clusters, base.clusters);
    assert.equal(s.schemaStrictness, 'strict');
    assert.equal(s.maskSecrets, true);
    assert.equal(serverSettingsFor(base, state(false, folder)).kubeconfig, false);
  });
});

test('Restricted Mode: a clusters file inside the folder is kept (made absolute), one outside is dropped', () => {
  withFolder((folder, outside) => {
    writeFileSync(join(folder, 'clusters.yaml'), '');
    writeFileSync(join(outside, 'clusters.yaml'), '');
    assert.equal(serverSettingsFor(base, state(false, folder)).clustersFile, join(folder, 'clusters.yaml'));
    assert.equal(serverSettingsFor({ ...base, clustersFile: join(outside, 'clusters.yaml') }, state(false, folder)).clustersFile, '');
    assert.equal(serverSettingsFor({ ...base, clustersFile: '../elsewhere/clusters.yaml' }, state(false, folder)).clustersFile, '');
    assert.equal(serverSettingsFor({ ...base, clustersFile: '' }, state(false, folder)).clustersFile, '');
    // Trusted: outside is fine.
    assert.equal(serverSettingsFor({ ...base, clustersFile: join(outside, 'clusters.yaml') }, state(true, folder)).clustersFile, join(outside, 'clusters.yaml'));
  });
});

test('a symbolic link inside the folder to a file outside counts as outside', () => {
  withFolder((folder, outside) => {
    writeFileSync(join(outside, 'secret.yaml'), '');
    symlinkSync(join(outside, 'secret.yaml'), join(folder, 'link.yaml'));
    symlinkSync(outside, join(folder, 'linked-dir'));
    assert.equal(insideFolders(join(folder, 'link.yaml'), [folder]), false);
    assert.equal(insideFolders(join(folder, 'linked-dir', 'secret.yaml'), [folder]), false);
    assert.equal(insideFolders(join(folder, 'not-yet.yaml'), [folder]), true, 'a file that does not exist yet, inside');
    assert.equal(insideFolders(folder, [folder]), false, 'the folder itself is no file in it');
    assert.equal(insideFolders(`${folder}-sibling/x.yaml`, [folder]), false, 'a sibling folder with the same prefix');
    assert.equal(insideFolders(join(folder, 'x.yaml'), []), false, 'no folder open');
  });
});

test('workspace/configuration answers carry the restricted settings however they are asked', () => {
  withFolder((folder) => {
    const safe = serverSettingsFor(base, state(false, folder));
    const raw = { ...base };
    assert.equal(configurationItem('kubefed', raw, safe), safe);
    assert.equal(configurationItem('kubefed.kubeconfig', raw.kubeconfig, safe), false);
    assert.equal(configurationItem('kubefed.hostCluster', raw.hostCluster, safe), '');
    assert.equal(configurationItem('kubefed.maskSecrets', raw.maskSecrets, safe), true);
    assert.equal(configurationItem('kubefed.noSuchKey', 'x', safe), null);
    const all = configurationItem(undefined, { kubefed: raw, editor: { tabSize: 2 } }, safe) as Record<string, unknown>;
    assert.equal(all.kubefed, safe);
    assert.deepEqual(all.editor, { tabSize: 2 });
    assert.deepEqual(configurationItem('yaml', { format: true }, safe), { format: true });
  });
});
