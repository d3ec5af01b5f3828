/**
 * The custom protocol module and its plumbing: server/lsp/protocol.ts pulls in nothing of the
 * server when imported (the extension and the webview bundle it), the client names no method by
 * a string, a failing request guarded with ANSWER_ERROR answers with an error, and the
 * event-loop monitor measures only once started.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { CancellationTokenSource, ErrorCodes, ResponseError } from 'vscode-jsonrpc';
import { ANSWER_ERROR, guard } from '../../server/lsp/cancel.ts';
import type { ServerContext } from '../../server/lsp/context.ts';
import { LoopMonitor } from '../../server/lsp/loopMonitor.ts';
import { PlacementRequest } from '../../server/lsp/protocol.ts';

const root = join(import.meta.dirname, '..', '..');

test('protocol.ts bundles to itself and vscode-jsonrpc only: no server code, no side effects', async () => {
  const r = await esbuild.build({
    entryPoints: [join(root, 'server/lsp/protocol.ts')],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const inputs = Object.keys(r.metafile.inputs).map((p) => relative(root, join(root, p)).replace(/\\/g, '/'));
  const own = inputs.filter((p) => !p.startsWith('node_modules/vscode-jsonrpc/'));
  assert.deepEqual(own, ['server/lsp/protocol.ts']);
  assert.equal(PlacementRequest.method, 'kubefed/placement');
});

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

test('the client and the webview write no custom method name as a string', () => {
  const found: string[] = [];
  for (const file of [...tsFiles('client'), ...tsFiles('webview')]) {
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, readFileSync(join(root, file), 'utf8'));
    for (let t = scanner.scan(); t !== ts.SyntaxKind.EndOfFileToken; t = scanner.scan()) {
      if ((t === ts.SyntaxKind.StringLiteral || t === ts.SyntaxKind.NoSubstitutionTemplateLiteral) && /^kubefed\/[a-z]/i.test(scanner.getTokenValue())) {
        found.push(`${file}: ${scanner.getTokenValue()}`);
      }
    }
  }
  assert.ok(tsFiles('client').length > 10);
  assert.deepEqual(found, []);
});

function fakeContext(logs: string[]): ServerContext {
  const ctx = { connection: { console: { error: (m: string) => logs.push(m) } }, docs: { feedingOf: () => undefined } };
  return ctx as unknown as ServerContext;
}

test('guard: a failing handler answers with its fallback, or with an error under ANSWER_ERROR; ResponseErrors pass', async () => {
  const logs: string[] = [];
  const ctx = fakeContext(logs);
  const token = new CancellationTokenSource().token;
  const failing = () => {
    throw new TypeError('labels is not iterable');
  };
  assert.deepEqual(await guard(ctx, 'kubefed/render', failing, { resources: [] })(undefined, token), { resources: [] });
  const err = await guard(ctx, 'kubefed/placement', failing, ANSWER_ERROR)(undefined, token).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof ResponseError, String(err));
  assert.equal(err.code, ErrorCodes.InternalError);
  assert.equal(err.message, 'kubefed/placement failed: labels is not iterable');
  assert.equal(logs.length, 2);
  assert.match(logs[1], /^kubefed\/placement failed: TypeError: labels is not iterable/);
  const invalid = new ResponseError(ErrorCodes.InvalidParams, 'no parameters');
  const passed = await guard(ctx, 'kubefed/placement', () => Promise.reject(invalid), ANSWER_ERROR)(undefined, token).then(() => undefined, (e: unknown) => e);
  assert.equal(passed, invalid);
  assert.equal(await guard(ctx, 'x', () => 7, ANSWER_ERROR)(undefined, token), 7);
});

function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

test('LoopMonitor measures nothing until started, then the longest event-loop block', async () => {
  const m = new LoopMonitor();
  block(40);
  await new Promise((r) => setTimeout(r, 30));
  assert.deepEqual(m.stats(), { maxMs: 0, p99Ms: 0, maxGcPauseMs: 0 });
  m.start();
  try {
    await new Promise((r) => setTimeout(r, 30));
    block(60);
    await new Promise((r) => setTimeout(r, 30));
    assert.ok(m.stats().maxMs >= 40, JSON.stringify(m.stats()));
    m.reset();
    assert.ok(m.stats().maxMs < 40, JSON.stringify(m.stats()));
  } finally {
    m.stop();
  }
});
