/**
 * Hover (per-cluster objects with overridden fields marked, masked Secret data, placement with
 * reasons, schema descriptions), code lenses and inlay hints.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, FIXTURES, hoverText, positionOf, startServer, uriOf } from './harness.ts';

const folder = join(FIXTURES, 'v1beta1');
const webUri = uriOf(join(folder, 'web.yaml'));
const web = readFileSync(join(folder, 'web.yaml'), 'utf8');
const schedUri = uriOf(join(folder, 'scheduling.yaml'));
const sched = readFileSync(join(folder, 'scheduling.yaml'), 'utf8');

describe('hover, code lens, inlay hints', () => {
  let c: Client;
  before(async () => {
    c = await startServer({ folder });
    c.open(webUri, web);
    c.open(schedUri, sched);
    await c.waitDiagnostics(webUri);
  });
  after(async () => {
    await c?.stop();
  });

  it('on a cluster name: the object that cluster receives, overridden fields marked', async () => {
    const h = await c.hover(webUri, positionOf(web, 'clusterName: cluster2', 15));
    const text = hoverText(h);
    assert.match(text, /^\*\*FederatedDeployment demo\/web → cluster2\*\* — 2 overrides/);
    assert.match(text, /```yaml\napiVersion: apps\/v1\nkind: Deployment\n/);
    assert.match(text, /  replicas: 5  # ← overridden\n/);
    assert.match(text, /image: nginx:1\.27-alpine  # ← overridden\n/);
    assert.match(text, /kubefed\.io\/managed: "true"/);
    assert.deepEqual(h!.range!.start, positionOf(web, 'cluster2', 0, 1));
    // a cluster without overrides: the template as is
    const h1 = hoverText(await c.hover(webUri, positionOf(web, 'name: cluster1', 7)));
    assert.match(h1, /→ cluster1\*\*\n/);
    assert.match(h1, /  replicas: 3\n/);
    assert.doesNotMatch(h1, /overridden/);
  });

  it('on the kind of a federated resource: placement and the per-cluster objects', async () => {
    const text = hoverText(await c.hover(webUri, positionOf(web, 'FederatedDeployment', 2)));
    assert.match(text, /\*\*Placement of FederatedDeployment demo\/web\*\*: 2 of 3 clusters/);
    assert.match(text, /\| cluster3 \| ✗ \| not listed in placement\.clusters \|/);
    assert.match(text, /→ cluster1\*\*/);
    assert.match(text, /→ cluster2\*\* — 2 overrides/);
  });

  it('masks Secret data', async () => {
    const text = hoverText(await c.hover(webUri, positionOf(web, 'FederatedSecret', 2)));
    assert.match(text, /password: ••••••••/);
    assert.doesNotMatch(text, /c2VjcmV0/);
    assert.match(text, /\| cluster2 \| ✗ \| labels do not match the clusterSelector — label requirement region=us-east does not hold \|/);
  });

  it('on a placement: the resolved clusters and why', async () => {
    const text = hoverText(await c.hover(webUri, positionOf(web, 'placement:', 3)));
    assert.match(text, /\| cluster1 \| ✓ \| listed in placement\.clusters \|/);
    assert.match(text, /\| cluster2 \| ✓ \| listed in placement\.clusters \|/);
    assert.match(text, /\| cluster3 \| ✗ \| not listed in placement\.clusters \|/);
    // a selector that matches everything, narrowed by the FederatedNamespace
    const s = hoverText(await c.hover(schedUri, positionOf(sched, 'clusterSelector', 3)));
    assert.match(s, /\| cluster3 \| ✗ \| excluded by the FederatedNamespace placement/);
  });

  it('on a template field some cluster overrides: its value per cluster', async () => {
    const text = hoverText(await c.hover(webUri, positionOf(web, 'replicas: 3', 2)));
    assert.match(text, /Number of desired pods/);
    assert.match(text, /\*\*Per cluster\*\*\n\n\| cluster \| value \| \|\n\|---\|---\|---\|\n\| cluster1 \| `3` \|  \|\n\| cluster2 \| `5` \| overridden \|/);
    const img = hoverText(await c.hover(webUri, positionOf(web, 'image: nginx:1.27', 2)));
    assert.match(img, /\| cluster2 \| `"nginx:1\.27-alpine"` \| overridden \|/);
  });

  it('elsewhere: the schema description from yaml-language-server', async () => {
    const text = hoverText(await c.hover(webUri, positionOf(web, 'selector:', 2)));
    assert.match(text, /Label selector for pods/);
    assert.doesNotMatch(text, /Per cluster/);
    const img = hoverText(await c.hover(webUri, positionOf(web, 'image: nginx:1.27', 2)));
    assert.match(img, /Container image name/);
  });

  // a client without the extension's commands: lenses carry the server's (lens-commands.test.ts)
  it('code lenses: clusters, overrides, preview, replica schedule', async () => {
    const lenses = await c.codeLens(webUri);
    const first = lenses.filter((l) => l.range.start.line === 0).map((l) => [l.command?.title, l.command?.command]);
    assert.deepEqual(first, [
      ['→ cluster1, cluster2 (2 of 3 clusters)', 'kubefed.server.showPlacement'],
      ['2 overrides', 'kubefed.server.showOverrides'],
      ['preview', 'kubefed.server.previewForCluster'],
    ]);
    const args = lenses[0].command!.arguments![0] as { uri: string; resourceId: string };
    assert.equal(args.uri, webUri);
    assert.equal(typeof args.resourceId, 'string');
    const secretLine = positionOf(web, 'apiVersion', 0, 1).line;
    assert.equal(lenses.find((l) => l.range.start.line === secretLine)?.command?.title, '→ cluster1 (1 of 3 clusters)');
    const rsp = await c.codeLens(schedUri);
    const titles = rsp.map((l) => l.command?.title);
    assert.ok(titles.includes('RSP: 10 replicas → 4 / 6'), JSON.stringify(titles));
    assert.equal(rsp.find((l) => l.command?.title?.startsWith('RSP'))?.command?.command, 'kubefed.server.showSchedule');
  });

  it('inlay hints: the template value each override replaces', async () => {
    const hints = await c.inlayHints(webUri, { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } });
    assert.deepEqual(
      hints.map((h) => [h.position, h.label]),
      [
        [positionOf(web, '/spec/replicas', 14), 'template: 3'],
        [positionOf(web, '/spec/template/spec/containers/0/image', 38), 'template: "nginx:1.27"'],
      ],
    );
    const uri = uriOf(join(folder, 'scratch-inlay.yaml'));
    const text = web.split('---\n')[0].replace('    - path: /spec/replicas\n      value: 5\n', '    - path: /spec/minReadySeconds\n      value: 5\n');
    c.open(uri, text);
    await c.waitDiagnostics(uri);
    const h2 = await c.inlayHints(uri, { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } });
    assert.equal(h2[0].label, 'template: ∅');
    c.close(uri);
  });

  it('hovers and inlay hints do not repeat Secret values', async () => {
    const uri = uriOf(join(folder, 'scratch-secret.yaml'));
    const text = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedSecret
metadata:
  name: creds
  namespace: demo
spec:
  template:
    type: Opaque
    data:
      password: c2VjcmV0
  placement:
    clusters:
    - name: cluster1
  overrides:
  - clusterName: cluster1
    clusterOverrides:
    - path: /data/password
      value: b3RoZXI=
    - path: /type
      value: kubernetes.io/basic-auth
`;
    c.open(uri, text);
    await c.waitDiagnostics(uri);
    // the per-cluster table of a hover on the overridden Secret field
    const hover = hoverText(await c.hover(uri, positionOf(text, 'password: c2VjcmV0', 2)));
    assert.match(hover, /\| cluster1 \| `"••••••••"` \| overridden \|/);
    assert.doesNotMatch(hover, /c2VjcmV0|b3RoZXI=/);
    const hints = await c.inlayHints(uri, { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } });
    assert.deepEqual(
      hints.map((h) => h.label),
      ['template: "••••••••"', 'template: "Opaque"'],
    );
    assert.doesNotMatch(JSON.stringify(hints), /c2VjcmV0/);
    c.close(uri);
  });
});
