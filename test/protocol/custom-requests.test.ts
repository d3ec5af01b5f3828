/**
 * The custom protocol through its typed request objects (server/lsp/protocol.ts), as the
 * extension sends them: answers carry the engine's vocabularies, and a `kubefed/placement` that
 * cannot be answered is an error response that says why, not an empty placement.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc';
import { REASON_TEXT } from '../../server/engine/placement.ts';
import { ClustersRequest, PlacementRequest, RenderRequest, StatsRequest } from '../../server/lsp/protocol.ts';
import { Client, FIXTURES, startServer, uriOf } from './harness.ts';

const folder = join(FIXTURES, 'v1beta1');

describe('custom requests typed once', () => {
  let c: Client;
  before(async () => {
    c = await startServer({ folder });
  });
  after(async () => {
    await c?.stop();
  });

  it('kubefed/placement answers with the engine reasons, eras and ids that kubefed/render uses', async () => {
    const p = await c.conn.sendRequest(PlacementRequest, {});
    assert.deepEqual(p.clusters, ['cluster1', 'cluster2', 'cluster3']);
    assert.ok(p.resources.length >= 3, `${p.resources.length} resources`);
    const whys = new Set<string>();
    for (const r of p.resources) {
      assert.ok(r.era === 'v1beta1' || r.era === 'v1alpha1', r.era);
      for (const [cluster, reason] of Object.entries(r.reasons)) {
        assert.ok(Object.prototype.hasOwnProperty.call(REASON_TEXT, reason.why), `${r.id} ${cluster}: ${reason.why}`);
        assert.equal(reason.selected, r.selected.includes(cluster));
        whys.add(reason.why);
      }
    }
    assert.ok(whys.has('explicit-list') && whys.has('not-in-list'), [...whys].join(', '));
    const web = p.resources.find((r) => r.kind === 'FederatedDeployment' && r.name === 'web')!;
    const rendered = await c.conn.sendRequest(RenderRequest, { uri: uriOf(join(folder, 'web.yaml')), resourceId: web.id });
    assert.deepEqual(rendered.resources.map((r) => r.id), [web.id]);
    const clusters = await c.conn.sendRequest(ClustersRequest, {});
    assert.deepEqual(clusters.clusters.map((x) => [x.name, x.source]), [['cluster1', 'workspace'], ['cluster2', 'workspace'], ['cluster3', 'workspace']]);
  });

  it('kubefed/placement with parameters it does not take is an InvalidParams error, not an empty answer', async () => {
    // `uri` is what kubefed/render takes; kubefed/placement always covers the whole workspace.
    const err = await c.conn.sendRequest(PlacementRequest, { uri: uriOf(join(folder, 'web.yaml')) } as never).then(
      (r) => assert.fail(`answered ${JSON.stringify(r).slice(0, 200)}`),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ResponseError, String(err));
    assert.equal(err.code, ErrorCodes.InvalidParams);
    assert.match(err.message, /kubefed\/placement takes no parameters.*"uri"/);
    // positional or scalar params as well
    const scalar = await c.request('kubefed/placement', 'everything').then(() => undefined, (e: unknown) => e);
    assert.ok(scalar instanceof ResponseError && scalar.code === ErrorCodes.InvalidParams, String(scalar));
    // the server goes on answering
    assert.equal((await c.conn.sendRequest(PlacementRequest, undefined)).clusters.length, 3);
  });

  it('kubefed/stats reports the event loop the server monitors since it registered its requests', async () => {
    const s = await c.conn.sendRequest(StatsRequest, {});
    assert.ok(s.eventLoop.maxMs > 0, JSON.stringify(s.eventLoop));
    assert.equal(s.clusters, 3);
    assert.ok(s.resources >= 3);
  });
});
