/**
 * Cancellation: a long request (rendering every resource of a 2,000-document file) answers
 * RequestCancelled when the client cancels it, and the server keeps answering.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { generateFile } from '../../bench/lsp.ts';
import { Client, FIXTURES, startServer, uriOf } from './harness.ts';

describe('cancellation', () => {
  let c: Client;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubefed-lsp-cancel-'));
    copyFileSync(join(FIXTURES, 'v1beta1', 'clusters.yaml'), join(dir, 'clusters.yaml'));
    writeFileSync(join(dir, 'apps.yaml'), generateFile(2000));
    // the generated resources live in namespace bench: federate it, so every resource renders for its clusters
    writeFileSync(join(dir, 'namespace.yaml'), 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedNamespace\nmetadata:\n  name: bench\n  namespace: bench\nspec:\n  placement:\n    clusterSelector: {}\n');
    c = await startServer({ folder: dir });
  });
  after(async () => {
    await c?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cancels a long kubefed/render and keeps serving', async () => {
    const uri = uriOf(join(dir, 'apps.yaml'));
    let t = Date.now();
    const full = await c.conn.sendRequest<{ resources: { clusters: unknown[] }[] }>('kubefed/render', { uri });
    const fullMs = Date.now() - t;
    assert.equal(full.resources.length, 2000);
    assert.equal(full.resources[0].clusters.length, 2);
    // cancelled while it renders (it yields between slices of ~20 ms)
    const source = new CancellationTokenSource();
    t = Date.now();
    const p = c.conn.sendRequest('kubefed/render', { uri, unmasked: true }, source.token);
    setTimeout(() => source.cancel(), Math.min(50, fullMs / 4));
    await assert.rejects(p, (e: { code?: number }) => e.code === -32800);
    assert.ok(Date.now() - t < fullMs, `cancelled after ${Date.now() - t} ms, a full render takes ${fullMs} ms`);
    const r = await c.request<{ resources: unknown[] }>('kubefed/render', { uri, position: { line: 1, character: 2 } });
    assert.equal(r.resources.length, 1);
  });
});
