/**
 * Transports: the bundle serves LSP over --node-ipc as well as --stdio (any LSP client).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { InitializeRequest, InitializedNotification, HoverRequest, DidOpenTextDocumentNotification, ShutdownRequest, ExitNotification } from 'vscode-languageserver-protocol/node';
import { ensureBuilt, FIXTURES, SERVER, uriOf, positionOf, hoverText } from './harness.ts';

describe('transports', () => {
  it('--node-ipc: initialize, hover, shutdown', async () => {
    ensureBuilt();
    const proc = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const conn = createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
    conn.onNotification(() => {});
    conn.onRequest(() => null);
    conn.listen();
    try {
      const folder = join(FIXTURES, 'v1beta1');
      const init = await conn.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: uriOf(folder),
        workspaceFolders: [{ uri: uriOf(folder), name: 'ws' }],
        capabilities: {},
        initializationOptions: { kubeconfig: false },
      });
      assert.equal(init.serverInfo?.name, 'kubefed-language-server');
      assert.ok(init.capabilities.hoverProvider);
      await conn.sendNotification(InitializedNotification.type, {});
      await conn.sendRequest('kubefed/stats', {});
      const uri = uriOf(join(folder, 'web.yaml'));
      const text = readFileSync(join(folder, 'web.yaml'), 'utf8');
      await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      const h = await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(text, 'clusterName: cluster2', 15) });
      assert.match(hoverText(h), /replicas: 5  # ← overridden/);
      await conn.sendRequest(ShutdownRequest.type);
      await conn.sendNotification(ExitNotification.type);
      await new Promise((r) => proc.once('exit', r));
      assert.equal(proc.exitCode, 0);
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      conn.dispose();
    }
  });
});
