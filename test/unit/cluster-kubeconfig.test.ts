import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { contextFor, KubeconfigError, loadKubeconfig, parseContextMap, redact, Redactor } from '../../server/cluster/kubeconfig.ts';
import { Connections } from '../../server/cluster/client.ts';

const PEM_KEY = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oMRx8NMIhd5AoAoGCCqGSM49\nAwEHoUQDQgAEYx7nmXf4G9k0s1dQ6cqmGqvbZ8gk9m3fPDmcXrJY0rRduUNdEvMT\n-----END EC PRIVATE KEY-----\n';

function kubeconfig(users: Record<string, unknown>[]): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'a',
    clusters: [
      { name: 'a', cluster: { server: 'https://127.0.0.1:6443', 'insecure-skip-tls-verify': true } },
      { name: 'b', cluster: { server: 'https://127.0.0.1:6444', 'insecure-skip-tls-verify': true } },
    ],
    users,
    contexts: users.map((u, i) => ({ name: `ctx${i}`, context: { cluster: i % 2 ? 'b' : 'a', user: u.name } })),
  });
}

test('redactor hides known secrets, their base64 and decoded forms, and generic credential shapes', () => {
  const r = new Redactor();
  const token = 'sha256~AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
  const keyData = Buffer.from(PEM_KEY).toString('base64');
  r.add(token);
  r.add(keyData);
  const text = [
    `failed with token ${token}`,
    `key data ${keyData}`,
    `decoded ${PEM_KEY}`,
    `raw line MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oMRx8NMIhd5AoAoGCCqGSM49`,
    'Authorization: Bearer abc.def.ghi-unknown-token',
    'password=hunter22 token: "qwertyuiop"',
    'jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
  ].join('\n');
  const out = r.redact(text);
  for (const s of [token, keyData, 'MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oMRx8NMIhd5AoAoGCCqGSM49', 'abc.def.ghi-unknown-token', 'hunter22', 'qwertyuiop', 'eyJhbGciOiJSUzI1NiJ9', 'PRIVATE KEY-----\nMH']) {
    assert.ok(!out.includes(s), `${s} leaked in:\n${out}`);
  }
  assert.match(out, /\[REDACTED\]/);
  assert.match(out, /failed with token \[REDACTED\]/, 'the rest of the message stays readable');
});

test('redactor: any registered secret is gone from any text it is embedded in', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 8, maxLength: 40 }).filter((s) => s.trim().length >= 8), fc.string(), fc.string(), (secret, pre, post) => {
      const r = new Redactor();
      r.add(secret);
      assert.ok(!r.redact(pre + secret.trim() + post).includes(secret.trim()));
    }),
    { numRuns: 500 },
  );
});

test('generic redaction without known secrets still removes PEM blocks and bearer tokens', () => {
  const out = redact(`x ${PEM_KEY} y Bearer zzzzzzzzzzzz`);
  assert.ok(!out.includes('MHcCAQ'));
  assert.ok(!out.includes('zzzzzzzzzzzz'));
});

test('loadKubeconfig collects the credentials of every user (tokens, key data, exec env, auth-provider tokens)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfed-kc-'));
  try {
    const users = [
      { name: 'tok', user: { token: 'tok-secret-123456' } },
      { name: 'cert', user: { 'client-key-data': Buffer.from(PEM_KEY).toString('base64'), 'client-certificate-data': Buffer.from('CERTCERTCERTCERT').toString('base64') } },
      { name: 'exec', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'true', env: [{ name: 'X', value: 'exec-env-secret-42' }] } } },
      { name: 'oidc', user: { 'auth-provider': { name: 'oidc', config: { 'id-token': 'oidc-id-token-777', 'refresh-token': 'oidc-refresh-888', 'client-id': 'visible' } } } },
      { name: 'basic', user: { username: 'admin', password: 'basic-pass-999' } },
    ];
    const path = join(dir, 'config');
    writeFileSync(path, kubeconfig(users));
    const kc = loadKubeconfig({ path });
    assert.deepEqual(kc.contexts().map((c) => c.name), ['ctx0', 'ctx1', 'ctx2', 'ctx3', 'ctx4']);
    assert.equal(kc.contexts()[1]!.server, 'https://127.0.0.1:6444');
    const text = 'tok-secret-123456 exec-env-secret-42 oidc-id-token-777 oidc-refresh-888 basic-pass-999 CERTCERTCERTCERT client visible';
    const out = kc.redactor.redact(text);
    for (const s of ['tok-secret-123456', 'exec-env-secret-42', 'oidc-id-token-777', 'oidc-refresh-888', 'basic-pass-999', 'CERTCERTCERTCERT']) assert.ok(!out.includes(s), s);
    assert.match(out, /visible/);
    // Each context gets a KubeConfig of its own.
    assert.equal(kc.forContext('ctx3').currentContext, 'ctx3');
    assert.equal(kc.currentContext, 'a');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a malformed kubeconfig is reported without quoting its content', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfed-kc-'));
  try {
    const path = join(dir, 'config');
    writeFileSync(path, 'users:\n- name: x\n  user: {token: "leaky-token-abcdef"\ncontexts: [\n');
    assert.throws(() => loadKubeconfig({ path }), (e: Error) => e instanceof KubeconfigError && !e.message.includes('leaky-token-abcdef'));
    assert.throws(() => loadKubeconfig({ path: join(dir, 'missing') }), /no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('context map: parsing, repetition, errors, and name resolution', () => {
  const m = parseContextMap(['cluster1=ctxA,cluster2=ctxB', 'cluster3 = ctxC']);
  assert.deepEqual([...m], [['cluster1', 'ctxA'], ['cluster2', 'ctxB'], ['cluster3', 'ctxC']]);
  assert.throws(() => parseContextMap(['cluster1']), /CLUSTER=CONTEXT/);
  assert.throws(() => parseContextMap(['=x']), /CLUSTER=CONTEXT/);
  assert.throws(() => parseContextMap(['a=x', 'a=y']), /twice/);
  const kc = loadKubeconfig({ text: kubeconfig([{ name: 'u', user: { token: 'abcdefgh' } }, { name: 'v', user: { token: 'ijklmnop' } }]) });
  assert.equal(contextFor('ctx1', new Map(), kc), 'ctx1', 'same name by default');
  assert.equal(contextFor('member', new Map([['member', 'ctx0']]), kc), 'ctx0');
  assert.equal(contextFor('member', new Map(), kc), undefined);
  const conns = new Connections(kc, { contextMap: new Map([['m2', 'nope']]) });
  const none = conns.client('member');
  assert.ok('error' in none && /no kubeconfig context for cluster member/.test(none.error));
  const bad = conns.client('m2');
  assert.ok('error' in bad && /context "nope"/.test(bad.error));
  const ok = conns.client('ctx0');
  assert.ok(!('error' in ok) && ok.context === 'ctx0' && ok.server === 'https://127.0.0.1:6443');
});
