/**
 * Property test: no sequence of edits with arbitrary YAML crashes or hangs the server, and every
 * request keeps answering (within a deadline) without the server logging an error.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Position } from 'vscode-languageserver-protocol';
import { Client, FIXTURES, startServer, uriOf } from './harness.ts';

const folder = join(FIXTURES, 'v1beta1');
const base = readFileSync(join(folder, 'web.yaml'), 'utf8');

const token = fc.constantFrom(
  '\n', '\n  ', '\n    ', '\n- ', '---\n', '...\n', ': ', ':', '- ', '  ', '\t', '#', '"', "'", '{', '}', '[', ']', ',', '&a ', '*a', '<<: *a',
  '!!str ', '!!binary ', '|\n', '>-\n', '? ', '%YAML 1.2\n', 'apiVersion: ', 'kind: ', 'types.kubefed.io/v1beta1', 'FederatedDeployment',
  'spec:', 'template:', 'placement:', 'clusters:', 'overrides:', 'clusterOverrides:', 'clusterName: ', 'path: ', '/spec/replicas', '/spec/-',
  'value: ', 'op: ', 'remove', 'name: ', 'cluster1', 'cluster9', 'null', '~', '1e309', '0x1F', '-.inf', '__proto__', 'constructor', '\u0000',
  '\u2028', '😀', '\r\n', 'kind: List\nitems:\n- ', 'apiVersion: v1\nkind: Namespace\n',
);
const yamlish = fc.array(fc.oneof(token, fc.string({ maxLength: 6 })), { maxLength: 12 }).map((a) => a.join(''));

const edit = fc.record({
  at: fc.nat(),
  del: fc.nat({ max: 40 }),
  text: yamlish,
});

type Req = 'completion' | 'hover' | 'codeLens' | 'inlayHints' | 'codeActions' | 'definition' | 'references' | 'documentSymbols' | 'render';
const request = fc.record({
  kind: fc.constantFrom<Req>('completion', 'hover', 'codeLens', 'inlayHints', 'codeActions', 'definition', 'references', 'documentSymbols', 'render'),
  line: fc.integer({ min: 0, max: 80 }),
  character: fc.integer({ min: 0, max: 60 }),
});

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

async function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

describe('robustness', () => {
  let c: Client;
  before(async () => {
    c = await startServer({ folder });
  });
  after(async () => {
    await c?.stop();
  });

  it('survives arbitrary edit sequences and keeps answering every request', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 6 }), fc.array(request, { maxLength: 4 }), async (edits, requests) => {
        const uri = uriOf(join(folder, `scratch-fuzz-${n++}.yaml`));
        const seenNotifications = c.notifications.length;
        const seenStderr = c.stderr.length;
        let text = base;
        c.open(uri, text);
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          const end = Math.min(text.length, at + e.del);
          c.change(uri, [{ range: { start: positionAt(text, at), end: positionAt(text, end) }, text: e.text }]);
          text = text.slice(0, at) + e.text + text.slice(end);
        }
        for (const r of requests) {
          const p = { line: r.line, character: r.character };
          const range = { start: p, end: p };
          const call: Record<Req, () => Promise<unknown>> = {
            completion: () => c.completion(uri, p),
            hover: () => c.hover(uri, p),
            codeLens: () => c.codeLens(uri),
            inlayHints: () => c.inlayHints(uri, { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } }),
            codeActions: () => c.codeActions(uri, range, c.diagnostics.get(uri) ?? []),
            definition: () => c.definition(uri, p),
            references: () => c.references(uri, p),
            documentSymbols: () => c.documentSymbols(uri),
            render: () => c.request('kubefed/render', { uri }),
          };
          await withDeadline(call[r.kind](), 10_000, r.kind);
        }
        await withDeadline(c.request('kubefed/stats', {}), 20_000, 'stats');
        c.close(uri);
        assert.equal(c.proc.exitCode, null, 'server exited');
        const errors = c.notifications.slice(seenNotifications).filter((x) => x.method === 'window/logMessage' && (x.params as { type: number }).type === 1);
        if (errors.length) console.error(`server errors after ${JSON.stringify(edits)} / ${JSON.stringify(requests)}:\n${errors.map((x) => (x.params as { message: string }).message).join('\n')}`);
        assert.deepEqual(errors.map((x) => (x.params as { message: string }).message), []);
        assert.equal(c.stderr.slice(seenStderr).join(''), '');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60), interruptAfterTimeLimit: 240_000 },
    );
    // yaml-language-server itself may fail on odd input (it reports such failures to telemetry);
    // the server records them and answers with nothing for that document.
    const stats = await c.request<{ swallowedErrors: string[] }>('kubefed/stats', {});
    for (const e of stats.swallowedErrors) assert.match(e, /^(doValidation|doHover|doComplete|[\w.-]+): /);
  });
});

describe('binary and non-UTF-8 files in the workspace', () => {
  it('a file that is not UTF-8 gets one not-utf8 error at its first bad byte; an open binary file gets bounded messages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubefed-binary-'));
    try {
      writeFileSync(join(dir, 'latin1.yaml'), Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
      const c = await startServer({ folder: dir });
      try {
        const d = c.diagnostics.get(uriOf(join(dir, 'latin1.yaml'))) ?? [];
        assert.deepEqual(d.map((x) => [x.code, x.severity, x.range.start]), [['not-utf8', 1, { line: 3, character: 8 }]]);
        // the client decided how to decode an open binary file: no message quotes more than 80 characters of it
        const uri = uriOf(join(dir, 'blob.yaml'));
        let x = 7;
        const blob = Buffer.from(new Uint8Array(300_000).map(() => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24));
        c.open(uri, blob.toString('utf8'));
        const open = await c.waitDiagnostics(uri, (l) => l.length > 0, 60_000);
        for (const m of open.map((y) => String(y.message))) {
          assert.ok(m.length <= 1001, `message of ${m.length} characters`);
          for (const q of m.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) assert.ok(q[1].length <= 81, `quoted ${q[1].length} characters`);
        }
      } finally {
        await c.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
