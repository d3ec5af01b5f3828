/** server/cluster/schemas.ts against a fake API server: what is downloaded, cached on disk and reused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeApiServer, kubeconfigFor } from '../fixtures/fakeApiServer.ts';
import { loadKubeconfig } from '../../server/cluster/kubeconfig.ts';
import { Connections } from '../../server/cluster/client.ts';
import { documentName, memberSchemas, schemaCacheDir } from '../../server/cluster/schemas.ts';

function connections(url: string): Connections {
  return new Connections(loadKubeconfig({ text: kubeconfigFor({ member1: url, member2: 'http://127.0.0.1:1' }) }), { timeoutMs: 2000 });
}

test('document names of /openapi/v3 paths', () => {
  assert.equal(documentName('api/v1'), 'core.v1');
  assert.equal(documentName('apis/networking.k8s.io/v1'), 'networking.k8s.io.v1');
  assert.equal(documentName('apis'), undefined);
  assert.equal(documentName('.well-known/openid-configuration'), undefined);
  assert.equal(schemaCacheDir({ XDG_CACHE_HOME: '/c' }), join('/c', 'kubefed-tools', 'schemas'));
});

test('member schemas: downloaded once into the cache per host and version, again only where a hash or the version changed', async () => {
  const api = await fakeApiServer();
  const cacheDir = mkdtempSync(join(tmpdir(), 'kfed-schema-cache-'));
  const conns = connections(api.url);
  try {
    const first = await memberSchemas(conns, ['member1', 'member2', 'nowhere'], { cacheDir });
    assert.equal(first.fetched, 2, JSON.stringify(first.problems));
    assert.deepEqual(first.sets.map((s) => [s.cluster, s.version]), [['member1', 'v1.31.2']]);
    assert.ok(first.sets[0].bundle.kinds.some((k) => k.apiVersion === 'apps/v1' && k.kind === 'Deployment'));
    assert.deepEqual(first.problems.map((p) => p.cluster).sort(), ['member2', 'nowhere']);
    assert.ok(first.problems.every((p) => !p.message.includes('secret-token-value')));
    const dir = join(cacheDir, `127.0.0.1_${api.port}`, 'v1.31.2');
    assert.ok(existsSync(join(dir, 'apps.v1.json')) && existsSync(join(dir, 'core.v1.json')) && existsSync(join(dir, 'bundle.json')));

    // unchanged: two small requests, the same set object
    api.state.requests.length = 0;
    const again = await memberSchemas(conns, ['member1'], { cacheDir });
    assert.equal(again.fetched, 0);
    assert.equal(again.sets[0], first.sets[0]);
    assert.deepEqual(api.state.requests, ['/version', '/openapi/v3']);

    // one group-version changed (a CRD added, …): only that document is downloaded
    api.state.hashes['apis/apps/v1'] = 'B2';
    api.state.requests.length = 0;
    const changed = await memberSchemas(conns, ['member1'], { cacheDir });
    assert.equal(changed.fetched, 1);
    assert.notEqual(changed.sets[0], first.sets[0]);
    assert.ok(api.state.requests.includes('/openapi/v3/apis/apps/v1?hash=B2'));

    // another server version: its own cache folder
    api.state.gitVersion = 'v1.32.0';
    const upgraded = await memberSchemas(conns, ['member1'], { cacheDir });
    assert.equal(upgraded.fetched, 2);
    assert.equal(upgraded.sets[0].version, 'v1.32.0');
    assert.ok(existsSync(join(cacheDir, `127.0.0.1_${api.port}`, 'v1.32.0', 'bundle.json')));
  } finally {
    conns.close();
    await api.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
