/**
 * Both API eras: the upstream KubeFed samples, the v1alpha1 template/placement/override triple
 * (hover, definitions, inlay hints, conversion to v1beta1) and federating plain resources.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { applyEdits, Client, FIXTURES, hoverText, positionOf, startServer, uriOf } from './harness.ts';

function editsOf(a: CodeAction): Record<string, { range: never; newText: string }[]> {
  return (a.edit?.changes ?? {}) as Record<string, { range: never; newText: string }[]>;
}

describe('upstream samples', () => {
  for (const era of ['v1beta1', 'v1alpha1']) {
    it(`${era}: only the known upstream quirks are reported`, async () => {
      const folder = join(FIXTURES, 'upstream', era);
      const c = await startServer({ folder, initializationOptions: { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] } });
      try {
        const found: string[] = [];
        for (const f of readdirSync(folder).filter((x) => x.endsWith('.yaml')).sort()) {
          const uri = uriOf(join(folder, f));
          c.open(uri, readFileSync(join(folder, f), 'utf8'));
          const d = await c.nextDiagnostics(uri);
          for (const x of d) found.push(`${f}:${x.range.start.line}:${x.code}`);
        }
        const expected =
          era === 'v1beta1'
            ? ['federatedclusterrolebinding.yaml:1:unknown-federated-kind']
            : ['federatedserviceaccount-placement.yaml:9:placement-empty', 'federatedserviceaccount-placement.yaml:9:schema'];
        assert.deepEqual(found, expected);
        assert.equal(c.stderr.join(''), '');
      } finally {
        await c.stop();
      }
    });
  }
});

describe('v1alpha1 triple', () => {
  const folder = join(FIXTURES, 'v1alpha1');
  const tUri = uriOf(join(folder, 'deployment-template.yaml'));
  const pUri = uriOf(join(folder, 'deployment-placement.yaml'));
  const oUri = uriOf(join(folder, 'deployment-override.yaml'));
  const template = readFileSync(join(folder, 'deployment-template.yaml'), 'utf8');
  const placement = readFileSync(join(folder, 'deployment-placement.yaml'), 'utf8');
  const override = readFileSync(join(folder, 'deployment-override.yaml'), 'utf8');
  let c: Client;
  before(async () => {
    c = await startServer({ folder });
    for (const [u, t] of [[tUri, template], [pUri, placement], [oUri, override]]) c.open(u, t);
    await c.waitDiagnostics(oUri);
  });
  after(async () => {
    await c?.stop();
  });

  it('publishes no diagnostics for a consistent triple', async () => {
    for (const u of [tUri, pUri, oUri]) assert.deepEqual(await c.waitDiagnostics(u), []);
  });

  it('hover on a placement cluster name shows that cluster\'s object with the override applied', async () => {
    const text = hoverText(await c.hover(pUri, positionOf(placement, '- west', 2)));
    assert.match(text, /→ west\*\* — 1 override/);
    assert.match(text, /  replicas: 4  # ← overridden/);
    assert.match(text, /apiVersion: apps\/v1/);
    const east = hoverText(await c.hover(pUri, positionOf(placement, '- east', 2)));
    assert.match(east, /  replicas: 2\n/);
  });

  it('goes from the template to its placement and override, and back', async () => {
    const defs = await c.definition(tUri, positionOf(template, 'FederatedDeployment', 3));
    assert.deepEqual(defs.map((d) => d.uri).sort(), [oUri, pUri].sort());
    const back = await c.definition(oUri, positionOf(override, 'name: shop', 7));
    assert.deepEqual(back.map((d) => d.uri), [tUri]);
    const cluster = await c.definition(oUri, positionOf(override, 'clusterName: west', 14));
    assert.equal(cluster[0].uri, uriOf(join(folder, 'clusters.yaml')));
  });

  it('inlay hint on the override: the template value it replaces', async () => {
    const hints = await c.inlayHints(oUri, { start: { line: 0, character: 0 }, end: { line: 50, character: 0 } });
    assert.deepEqual(hints.map((h) => [h.position, h.label]), [[positionOf(override, 'replicas: 4', 11), 'template: 2']]);
  });

  it('code lenses on every part of the triple', async () => {
    const titles = (await c.codeLens(oUri)).map((l) => l.command?.title);
    assert.deepEqual(titles, ['→ east, west (2 of 2 clusters)', '1 override']);
  });

  it('converts the triple to one v1beta1 object', async () => {
    const actions = await c.codeActions(tUri, { start: positionOf(template, 'kind'), end: positionOf(template, 'kind') }, [], ['refactor']);
    const conv = actions.find((a) => a.title.startsWith('Convert FederatedDeployment shop to v1beta1'));
    assert.ok(conv, JSON.stringify(actions.map((a) => a.title)));
    const e = editsOf(conv);
    assert.deepEqual(Object.keys(e).sort(), [oUri, pUri, tUri].sort());
    assert.equal(applyEdits(placement, e[pUri]), '');
    assert.equal(applyEdits(override, e[oUri]), '');
    const converted = applyEdits(template, e[tUri]);
    assert.match(converted, /^apiVersion: types\.kubefed\.io\/v1beta1\nkind: FederatedDeployment\nmetadata:\n  name: shop\n  namespace: retail\n/);
    assert.match(converted, /placement:\n    clusters:\n      - name: east\n      - name: west\n/);
    assert.match(converted, /overrides:\n    - clusterName: west\n      clusterOverrides:\n        - path: \/spec\/replicas\n          value: 4\n/);
    // the result is valid for the v1beta1 server (given a FederatedNamespace)
    const v1 = join(FIXTURES, 'v1beta1');
    const c2 = await startServer({ folder: v1 });
    try {
      const u = uriOf(join(v1, 'scratch-converted.yaml'));
      c2.open(u, converted.replace(/namespace: retail/, 'namespace: demo').replace(/east/g, 'cluster1').replace(/west/g, 'cluster2'));
      assert.deepEqual(await c2.nextDiagnostics(u), []);
    } finally {
      await c2.stop();
    }
  });
});

describe('federating plain resources', () => {
  const folder = join(FIXTURES, 'upstream', 'v1beta1');
  let c: Client;
  before(async () => {
    c = await startServer({ folder, initializationOptions: { clusters: [{ name: 'cluster1' }] } });
  });
  after(async () => {
    await c?.stop();
  });

  it('offers to federate a Deployment, in place or below', async () => {
    const uri = uriOf(join(folder, 'deployment.yaml'));
    const text = readFileSync(join(folder, 'deployment.yaml'), 'utf8');
    c.open(uri, text);
    await c.nextDiagnostics(uri);
    const actions = await c.codeActions(uri, { start: positionOf(text, 'replicas'), end: positionOf(text, 'replicas') }, [], ['refactor']);
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, ['Federate Deployment nginx → FederatedDeployment', 'Federate Deployment nginx: add FederatedDeployment below']);
    const replaced = applyEdits(text, editsOf(actions[0])[uri]);
    assert.match(replaced, /^apiVersion: types\.kubefed\.io\/v1beta1\nkind: FederatedDeployment\nmetadata:\n  name: nginx\nspec:\n  template:\n/);
    assert.match(replaced, /\n    metadata:\n      labels:\n        app: nginx\n/);
    assert.match(replaced, /placement:\n    clusterSelector:\n      matchLabels: \{\}\n$/);
    const below = applyEdits(text, editsOf(actions[1])[uri]);
    assert.ok(below.startsWith(text));
    assert.match(below.slice(text.length), /^---\napiVersion: types\.kubefed\.io\/v1beta1\nkind: FederatedDeployment\n/);
    c.replace(uri, replaced);
    const d = await c.nextDiagnostics(uri);
    assert.deepEqual(d.filter((x) => x.code === 'schema'), []);
  });

  it('offers nothing to federate on a federated resource', async () => {
    const uri = uriOf(join(folder, 'federatedconfigmap.yaml'));
    const text = readFileSync(join(folder, 'federatedconfigmap.yaml'), 'utf8');
    c.open(uri, text);
    const actions = await c.codeActions(uri, { start: positionOf(text, 'kind'), end: positionOf(text, 'kind') }, [], ['refactor']);
    assert.deepEqual(actions, []);
  });
});
