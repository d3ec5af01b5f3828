/**
 * Diagnostic messages stay readable whatever the input: quoted text is cut to QUOTED_MAX
 * characters with an ellipsis, a whole message to MESSAGE_MAX.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/engine/workspace.ts';
import { boundMessage, clip, MESSAGE_MAX, QUOTED_MAX } from '../../server/engine/diagnostics.ts';

/** Deterministic bytes that are mostly not YAML (a binary file). */
function binary(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const quoted = (m: string) => [...m.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)].map((q) => q[1]);

test('clip: short text unchanged; long text cut with an ellipsis, never in a surrogate pair or an escape', () => {
  assert.equal(clip('cluster1'), 'cluster1');
  assert.equal(clip('x'.repeat(200)), 'x'.repeat(QUOTED_MAX) + '…');
  assert.equal(clip('a'.repeat(QUOTED_MAX - 1) + '😀b'), 'a'.repeat(QUOTED_MAX - 1) + '…');
  assert.equal(clip('a'.repeat(QUOTED_MAX - 3) + '\\u0012'), 'a'.repeat(QUOTED_MAX - 3) + '…');
});

test('boundMessage: every quoted string and every run without spaces is bounded, and the whole', () => {
  const long = 'y'.repeat(5000);
  const m = boundMessage(`Unexpected scalar token in YAML stream: "${long}" and ${long}`);
  assert.equal(m, `Unexpected scalar token in YAML stream: "${'y'.repeat(QUOTED_MAX)}…" and ${'y'.repeat(QUOTED_MAX)}…`);
  const many = boundMessage(Array.from({ length: 500 }, (_, i) => `word${i}`).join(' '));
  assert.equal(many.length, MESSAGE_MAX + 1);
  assert.ok(many.endsWith('…'));
  assert.equal(boundMessage('Unknown cluster "clustr1": known clusters are cluster1.'), 'Unknown cluster "clustr1": known clusters are cluster1.');
});

test('a binary file: yaml-syntax messages quote at most 80 characters of it', () => {
  const w = new Workspace();
  w.setFile('blob.yaml', binary(400_000).toString('utf8'));
  const d = w.diagnostics('blob.yaml').filter((x) => x.code === 'yaml-syntax');
  assert.ok(d.length > 0);
  for (const x of d) {
    assert.ok(x.message.length <= MESSAGE_MAX + 1, `message of ${x.message.length} characters`);
    for (const q of quoted(x.message)) assert.ok(q.length <= QUOTED_MAX + 1, `quoted ${q.length} characters`);
  }
  assert.ok(d.some((x) => /…"/.test(x.message)), 'a long token was cut');
});

test('names in engine messages are bounded too', () => {
  const w = new Workspace();
  w.setFile('c.yaml', `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata: {name: cluster1, namespace: kube-federation-system}
spec: {apiEndpoint: https://x, secretRef: {name: s}}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: c, namespace: demo}
spec:
  template: {data: {a: b}}
  placement:
    clusters:
    - name: ${'n'.repeat(3000)}
`);
  const u = w.diagnostics('c.yaml').find((x) => x.code === 'unknown-cluster');
  assert.ok(u);
  assert.match(u.message, new RegExp(`^Unknown cluster "n{${QUOTED_MAX}}…": known clusters are cluster1\\.`));
});
