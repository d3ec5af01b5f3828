/**
 * Code-lens commands for clients without the extension's client-side commands (lensCommands.ts):
 * a plain client gets lenses carrying `kubefed.server.*` commands, listed in
 * `executeCommandProvider` and run by the server (a message, or a preview document shown with
 * `window/showDocument`); a client that says `clientCommands: true` (the VS Code extension) gets
 * its own commands and no `executeCommandProvider`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecuteCommandRequest, ShowDocumentRequest, type CodeLens, type ShowDocumentParams } from 'vscode-languageserver-protocol/node';
import { Client, FIXTURES, startServer, uriOf } from './harness.ts';

const folder = join(FIXTURES, 'v1beta1');
const webUri = uriOf(join(folder, 'web.yaml'));
const web = readFileSync(join(folder, 'web.yaml'), 'utf8');
const schedUri = uriOf(join(folder, 'scheduling.yaml'));
const sched = readFileSync(join(folder, 'scheduling.yaml'), 'utf8');

interface Result {
  text: string;
  uri?: string;
}

function lensOf(lenses: CodeLens[], title: RegExp): CodeLens {
  const l = lenses.find((x) => title.test(x.command?.title ?? ''));
  assert.ok(l, `no lens ${title} in ${JSON.stringify(lenses.map((x) => x.command?.title))}`);
  return l;
}

function messages(c: Client): string[] {
  return c.notifications.filter((n) => n.method === 'window/showMessage').map((n) => (n.params as { message: string }).message);
}

describe('code-lens commands of a plain client (window/showDocument supported)', () => {
  let c: Client;
  const shown: ShowDocumentParams[] = [];
  before(async () => {
    c = await startServer({ folder, windowCapabilities: { showDocument: { support: true } } });
    c.conn.onRequest(ShowDocumentRequest.type, (p) => {
      shown.push(p);
      return { success: true };
    });
    c.open(webUri, web);
    c.open(schedUri, sched);
    await c.waitDiagnostics(webUri);
  });
  after(async () => {
    await c?.stop();
  });

  it('lists the server commands and puts them on the lenses', async () => {
    assert.deepEqual(c.initializeResult?.capabilities.executeCommandProvider?.commands, [
      'kubefed.server.showPlacement',
      'kubefed.server.showOverrides',
      'kubefed.server.showSchedule',
      'kubefed.server.previewForCluster',
    ]);
    const lenses = [...(await c.codeLens(webUri)), ...(await c.codeLens(schedUri))];
    assert.ok(lenses.length >= 4);
    for (const l of lenses) assert.match(l.command!.command, /^kubefed\.server\./);
  });

  it('placement, overrides and schedule lenses answer with their text and show it as a message', async () => {
    const lenses = await c.codeLens(webUri);
    const before = messages(c).length;
    const placement = await c.conn.sendRequest(ExecuteCommandRequest.type, lensOf(lenses, /2 of 3 clusters/).command!) as Result;
    assert.match(placement.text, /Placement of FederatedDeployment demo\/web\*\*: 2 of 3 clusters/);
    assert.match(placement.text, /\| cluster3 \| ✗ \|/);
    const overrides = await c.conn.sendRequest(ExecuteCommandRequest.type, lensOf(lenses, /^2 overrides$/).command!) as Result;
    assert.equal(overrides.text, 'Overrides of FederatedDeployment demo/web\n  cluster1: none\n  cluster2: /spec/replicas, /spec/template/spec/containers/0/image');
    const schedule = await c.conn.sendRequest(ExecuteCommandRequest.type, lensOf(await c.codeLens(schedUri), /^RSP:/).command!) as Result;
    assert.match(schedule.text, /^Replica schedule of FederatedDeployment demo\/api \(10 replicas\): cluster1: 4, cluster2: 6/);
    // the notifications were sent before the answers
    assert.deepEqual(messages(c).slice(before), [placement.text, overrides.text, schedule.text]);
  });

  it('the preview lens writes what the cluster receives to a read-only file and shows it', async () => {
    const lens = lensOf(await c.codeLens(webUri), /^preview$/);
    assert.deepEqual(lens.command!.arguments, [{ uri: webUri, resourceId: (lens.command!.arguments![0] as { resourceId: string }).resourceId, cluster: 'cluster1' }]);
    const r = await c.conn.sendRequest(ExecuteCommandRequest.type, lens.command!) as Result;
    assert.deepEqual(shown.at(-1), { uri: r.uri, takeFocus: true });
    const file = fileURLToPath(r.uri!);
    assert.equal(readFileSync(file, 'utf8'), r.text);
    assert.match(r.text, /^# What cluster1 receives from FederatedDeployment demo\/web/);
    assert.match(r.text, /\nkind: Deployment\n/);
    assert.equal(statSync(file).mode & 0o222, 0, 'read-only');
    // another cluster (as a client passing its own argument would)
    const r2 = await c.conn.sendRequest(ExecuteCommandRequest.type, { command: lens.command!.command, arguments: [{ ...(lens.command!.arguments![0] as object), cluster: 'cluster2' }] }) as Result;
    assert.match(r2.text, /replicas: 5 {2}# ← overridden/);
    assert.equal(dirname(dirname(fileURLToPath(r2.uri!))), dirname(dirname(file)));
    // a cluster that receives nothing: a message saying why, no document
    const n = shown.length;
    const r3 = await c.conn.sendRequest(ExecuteCommandRequest.type, { command: lens.command!.command, arguments: [{ ...(lens.command!.arguments![0] as object), cluster: 'cluster3' }] }) as Result;
    assert.equal(shown.length, n);
    assert.equal(r3.uri, undefined);
    assert.match(r3.text, /→ cluster3: not listed/);
    // the server removes its preview folder when it exits
    await c.stop();
    assert.equal(existsSync(dirname(dirname(file))), false);
  });
});

describe('code-lens commands of a client without window/showDocument', () => {
  let c: Client;
  before(async () => {
    c = await startServer({ folder });
    c.open(webUri, web);
    await c.waitDiagnostics(webUri);
  });
  after(async () => {
    await c?.stop();
  });

  it('the preview comes as a message', async () => {
    const lens = lensOf(await c.codeLens(webUri), /^preview$/);
    const r = await c.conn.sendRequest(ExecuteCommandRequest.type, lens.command!) as Result;
    assert.equal(r.uri, undefined);
    assert.match(r.text, /^# What cluster1 receives/);
    assert.equal(messages(c).at(-1), r.text);
  });

  it('an unknown command or resource is answered with an error / a warning', async () => {
    await assert.rejects(c.conn.sendRequest(ExecuteCommandRequest.type, { command: 'kubefed.server.nothing', arguments: [] }), /unknown command kubefed\.server\.nothing/);
    const r = await c.conn.sendRequest(ExecuteCommandRequest.type, { command: 'kubefed.server.showPlacement', arguments: [{ uri: webUri, resourceId: 'gone' }] }) as Result;
    assert.match(r.text, /no longer in the workspace/);
  });
});

describe('code-lens commands of the VS Code extension (clientCommands: true)', () => {
  let c: Client;
  before(async () => {
    c = await startServer({ folder, initializationOptions: { clientCommands: true } });
    c.open(webUri, web);
    c.open(schedUri, sched);
    await c.waitDiagnostics(webUri);
  });
  after(async () => {
    await c?.stop();
  });

  it('lenses carry the extension commands and the server offers none', async () => {
    assert.equal(c.initializeResult?.capabilities.executeCommandProvider, undefined);
    const lenses = [...(await c.codeLens(webUri)), ...(await c.codeLens(schedUri))];
    assert.deepEqual([...new Set(lenses.map((l) => l.command!.command))].sort(), ['kubefed.previewForCluster', 'kubefed.showOverrides', 'kubefed.showPlacement', 'kubefed.showSchedule']);
  });
});
