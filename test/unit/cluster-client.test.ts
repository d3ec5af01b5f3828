/** ClusterClient against a fake API server (plain HTTP): discovery, errors, timeouts, cancellation, auth refresh, redaction. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { loadKubeconfig } from '../../server/cluster/kubeconfig.ts';
import { ApiError, Connections, type ClusterClient } from '../../server/cluster/client.ts';
import { failureOf } from '../../server/cluster/status.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function fakeServer(handler: Handler): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function client(url: string, user: Record<string, unknown>, timeoutMs = 2000): ClusterClient {
  const kc = loadKubeconfig({
    text: stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'u' } }],
      'current-context': 'fake',
    }),
  });
  const c = new Connections(kc, { timeoutMs }).client('fake');
  assert.ok(!('error' in c));
  return c;
}

const discovery = {
  kind: 'APIResourceList',
  groupVersion: 'apps/v1',
  resources: [
    { name: 'deployments', kind: 'Deployment', namespaced: true },
    { name: 'deployments/scale', kind: 'Scale', namespaced: true },
  ],
};

test('discovery maps kind to resource once per group version; GET 404 is null', async () => {
  const srv = await fakeServer((req, res) => {
    if (req.url === '/apis/apps/v1') return json(res, 200, discovery);
    if (req.url === '/apis/batch/v1') return json(res, 404, { kind: 'Status', reason: 'NotFound', code: 404 });
    if (req.url === '/apis/apps/v1/namespaces/ns/deployments/web') return json(res, 200, { metadata: { name: 'web' } });
    json(res, 404, { kind: 'Status', reason: 'NotFound', message: 'not found', code: 404 });
  });
  try {
    const c = client(srv.url, { token: 'static-token-1' });
    const [a, b] = await Promise.all([c.resourceFor('apps/v1', 'Deployment'), c.resourceFor('apps/v1', 'Deployment')]);
    assert.deepEqual(a, { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true });
    assert.deepEqual(b, a);
    assert.equal(await c.resourceFor('apps/v1', 'Scale'), null, 'subresources are not kinds');
    assert.equal(await c.resourceFor('batch/v1', 'Job'), null, 'group version not served');
    assert.equal(srv.requests.filter((r) => r.startsWith('GET /apis/apps/v1 ')).length, 1);
    const got = await c.get(a!, 'ns', 'web');
    assert.equal(got?.kind, 'Deployment', 'kind and apiVersion filled in');
    assert.equal(got?.apiVersion, 'apps/v1');
    assert.equal(await c.get(a!, 'ns', 'nope'), null);
    assert.match(srv.requests[0]!, /Bearer static-token-1$/);
    c.close();
  } finally {
    await srv.close();
  }
});

test('apply sends an apply patch with the field manager; a conflict is parsed with its fields and managers', async () => {
  let seen: { url?: string; type?: string; body?: string } = {};
  const srv = await fakeServer((req, res, body) => {
    if (req.url === '/apis/apps/v1') return json(res, 200, discovery);
    seen = { url: req.url, type: req.headers['content-type'], body };
    json(res, 409, {
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using apps/v1', field: '.spec.replicas' }] },
    });
  });
  try {
    const c = client(srv.url, { token: 'static-token-2' });
    const info = (await c.resourceFor('apps/v1', 'Deployment'))!;
    const err = await c.apply(info, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ns' }, spec: { replicas: 3 } }, { dryRun: true }).catch((e) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(seen.url, '/apis/apps/v1/namespaces/ns/deployments/web?fieldManager=kubefed-tools&dryRun=All');
    assert.equal(seen.type, 'application/apply-patch+yaml');
    assert.equal(JSON.parse(seen.body!).spec.replicas, 3);
    const f = failureOf('update', err);
    assert.equal(f.status, 'UpdateFailed');
    assert.equal(f.reason, 'Conflict');
    assert.deepEqual(f.conflicts, [{ manager: 'kubectl-edit', field: '.spec.replicas' }]);
    c.close();
  } finally {
    await srv.close();
  }
});

test('an error message that echoes the credentials is redacted', async () => {
  const srv = await fakeServer((req, res) => json(res, 403, { kind: 'Status', reason: 'Forbidden', code: 403, message: `user with token ${req.headers.authorization} cannot list` }));
  try {
    const c = client(srv.url, { token: 'very-secret-token-xyz' });
    const err = await c.request('GET', '/api/v1/namespaces').catch((e) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 403);
    assert.ok(!err.message.includes('very-secret-token-xyz'), err.message);
    assert.match(err.message, /cannot list/);
    assert.equal(failureOf('create', err).reason, 'Forbidden');
    c.close();
  } finally {
    await srv.close();
  }
});

test('a request that gets no answer times out; an aborted one stops at once', async () => {
  const srv = await fakeServer(() => {
    /* never answers */
  });
  try {
    const c = client(srv.url, { token: 't-abcdefgh' }, 300);
    const t0 = Date.now();
    const err = await c.request('GET', '/version').catch((e) => e);
    assert.ok(err instanceof ApiError && err.kind === 'timeout', String(err));
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(failureOf('create', err).status, 'CreationTimedOut');
    const ctrl = new AbortController();
    const p = c.request('GET', '/version', { signal: ctrl.signal, timeoutMs: 60_000 }).catch((e) => e);
    setTimeout(() => ctrl.abort(), 50);
    const t1 = Date.now();
    const aborted = await p;
    assert.ok(aborted instanceof ApiError && aborted.kind === 'cancelled');
    assert.ok(Date.now() - t1 < 1000);
    c.close();
  } finally {
    await srv.close();
  }
});

test('a refused connection is a network error (Unreachable)', async () => {
  const srv = await fakeServer(() => {});
  const url = srv.url;
  await srv.close();
  const c = client(url, { token: 't-abcdefgh' });
  const err = await c.request('GET', '/version').catch((e) => e);
  assert.ok(err instanceof ApiError && err.kind === 'network');
  assert.equal(err.code, 'ECONNREFUSED');
  const f = failureOf('read', err);
  assert.deepEqual([f.status, f.reason], ['ClusterNotReady', 'Unreachable']);
  assert.equal(failureOf('create', err).status, 'CreationFailed');
  c.close();
});

test('exec plugin credentials: fetched once, refreshed once on 401', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfed-exec-'));
  try {
    const counter = join(dir, 'count');
    writeFileSync(counter, '0');
    const plugin = join(dir, 'plugin.sh');
    writeFileSync(
      plugin,
      `#!/bin/sh\nn=$(($(cat "${counter}") + 1))\necho $n > "${counter}"\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-token-%s"}}' "$n"\n`,
    );
    chmodSync(plugin, 0o755);
    const srv = await fakeServer((req, res) => {
      if (req.headers.authorization === 'Bearer exec-token-2') return json(res, 200, { ok: true });
      json(res, 401, { kind: 'Status', reason: 'Unauthorized', code: 401, message: 'Unauthorized' });
    });
    try {
      const c = client(srv.url, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } });
      assert.deepEqual(await c.request('GET', '/version'), { ok: true });
      assert.equal(readFileSync(counter, 'utf8').trim(), '2', 'plugin run twice: first token rejected');
      await Promise.all([c.request('GET', '/version'), c.request('GET', '/version'), c.request('GET', '/version')]);
      assert.equal(readFileSync(counter, 'utf8').trim(), '2', 'credential reused');
      assert.ok(srv.requests.every((r) => !r.includes('exec-token-3')));
      c.close();
    } finally {
      await srv.close();
    }
    // A static token is never retried.
    const srv2 = await fakeServer((req, res) => json(res, 401, { kind: 'Status', reason: 'Unauthorized', code: 401, message: 'Unauthorized' }));
    try {
      const c = client(srv2.url, { token: 'static-bad-token' });
      const err = await c.request('GET', '/version').catch((e) => e);
      assert.ok(err instanceof ApiError && err.kind === 'auth' && err.status === 401);
      assert.equal(srv2.requests.length, 1);
      c.close();
    } finally {
      await srv2.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
