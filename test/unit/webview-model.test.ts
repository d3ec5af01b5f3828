/**
 * The placement webview's pure parts: the view model (both views, reasons, filters, expansion,
 * navigation), the text helpers, the message guards and the page's Content-Security-Policy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  buildTree,
  cellOf,
  compileFilters,
  displayText,
  EMPTY_FILTERS,
  escapeHtml,
  expandAll,
  expandableIds,
  filtersActive,
  findByPrefix,
  flatten,
  labelsMatch,
  liveKey,
  nodeId,
  parentIndex,
  panelNotice,
  parseLabelSelector,
  placementErrorText,
  pathTo,
  reasonCategory,
  reasonShort,
  relativeTime,
  reselect,
  summarize,
  termMatcher,
  type Filters,
  type Row,
  type TreeNode,
} from '../../webview/viewModel.ts';
import { isHostMessage, isWebviewMessage, type LiveState, type PlacementModel, type PlacementResource } from '../../webview/messages.ts';
import { contentSecurityPolicy, makeNonce, webviewHtml } from '../../webview/html.ts';
import type { PlacementWhy } from '../../server/engine/placement.ts';

const XSS = '<img src=x onerror=alert(1)>';

function res(ns: string, kind: string, name: string, selected: string[], reasons: Record<string, [PlacementWhy, string?]>, extra: Partial<PlacementResource> = {}): PlacementResource {
  return {
    id: `v1beta1:${kind.replace(/^Federated/, '')}:${ns}/${name}`,
    era: 'v1beta1',
    kind,
    targetKind: kind.replace(/^Federated/, ''),
    namespace: ns,
    name,
    location: { uri: `file:///ws/${ns}.yaml`, range: { start: { line: 1, character: 0 }, end: { line: 9, character: 0 } } },
    selected,
    reasons: Object.fromEntries(Object.entries(reasons).map(([c, [why, text]]) => [c, { selected: selected.includes(c), why, text: text ?? why }])),
    ...extra,
  };
}

/** eu1, eu2 (gold), us1 (not ready); three namespaces including cluster-scoped. */
function sample(): PlacementModel {
  return {
    clusters: ['eu1', 'eu2', 'us1'],
    clusterInfo: [
      { name: 'eu1', labels: { region: 'eu', tier: 'gold' }, ready: true, source: 'workspace' },
      { name: 'eu2', labels: { region: 'eu' }, ready: true, source: 'workspace' },
      { name: 'us1', labels: { region: 'us' }, ready: false, source: 'settings' },
    ],
    resources: [
      res('web', 'FederatedDeployment', 'frontend', ['eu1', 'eu2'], { eu1: ['explicit-list', 'listed in placement.clusters'], eu2: ['explicit-list', 'listed in placement.clusters'], us1: ['not-ready', 'cluster not ready'] }, {
        rsp: { totalReplicas: 9, schedule: { eu1: 6, eu2: 3 } },
        overrides: { eu1: 2, eu2: 0 },
      }),
      res('web', 'FederatedService', 'frontend', ['eu1'], { eu1: ['selector-match'], eu2: ['selector-mismatch'], us1: ['not-ready'] }),
      res('db', 'FederatedConfigMap', 'settings', [], { eu1: ['excluded-by-namespace', 'excluded by the FederatedNamespace placement'], eu2: ['excluded-by-namespace'], us1: ['not-ready'] }),
      res('', 'FederatedClusterRole', 'reader', ['eu1', 'eu2'], { eu1: ['selector-all'], eu2: ['selector-all'], us1: ['not-ready'] }),
      res('web', 'FederatedSecret', XSS, ['eu2'], { eu1: ['not-in-list'], eu2: ['explicit-list'], us1: ['not-ready'] }, { error: 'ComputePlacementFailed: <b>bad</b>' }),
    ],
  };
}

const cellsOf = (rows: Row[]) => rows.filter((r) => r.node.kind === 'cell').map((r) => `${r.node.resource!.name}@${r.node.cluster}`);
const labels = (rows: Row[]) => rows.map((r) => `${'  '.repeat(r.level - 1)}${r.node.label}`);
const ALL_OPEN = (tree: TreeNode[]) => expandAll(tree, {}, true);

// ---------------------------------------------------------------------------------------------

test('resources → clusters: namespace › resource › one cell per cluster, sorted, with tallies', () => {
  const tree = buildTree({ model: sample(), view: 'resources' });
  const rows = flatten(tree, ALL_OPEN(tree));
  assert.deepEqual(labels(rows).filter((l) => !l.startsWith('    ')), [
    '(cluster-scoped)',
    '  FederatedClusterRole reader',
    'db',
    '  FederatedConfigMap settings',
    'web',
    '  FederatedDeployment frontend',
    '  FederatedSecret <img src=x onerror=alert(1)>',
    '  FederatedService frontend',
  ]);
  const deploy = rows.find((r) => r.node.kind === 'resource' && r.node.label === 'FederatedDeployment frontend')!;
  assert.equal(deploy.id, nodeId.resource('v1beta1:Deployment:web/frontend'));
  assert.equal(deploy.level, 2);
  assert.equal(deploy.parentId, nodeId.namespace('web'));
  assert.deepEqual(deploy.node.tally, { cells: 3, placed: 2, live: { 'in-sync': 0, drifted: 0, missing: 0, error: 0, unchecked: 0 } });
  const i = rows.indexOf(deploy);
  assert.deepEqual(rows.slice(i + 1, i + 4).map((r) => [r.node.label, r.level, r.posinset, r.setsize, r.node.cell!.placed]), [
    ['eu1', 3, 1, 3, true],
    ['eu2', 3, 2, 3, true],
    ['us1', 3, 3, 3, false],
  ]);
  const web = rows.find((r) => r.id === nodeId.namespace('web'))!;
  assert.deepEqual([web.node.tally!.placed, web.node.tally!.cells], [4, 9]);
  assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'row ids are unique');
});

test('clusters → resources: cluster › namespace › one cell per resource; the same cells as the other view', () => {
  const model = sample();
  const tree = buildTree({ model, view: 'clusters' });
  const rows = flatten(tree, ALL_OPEN(tree));
  assert.deepEqual(rows.filter((r) => r.level === 1).map((r) => r.node.label), ['eu1', 'eu2', 'us1']);
  const eu1 = rows.filter((r) => r.node.cluster === 'eu1');
  assert.deepEqual(labels(eu1), [
    'eu1',
    '  (cluster-scoped)',
    '    FederatedClusterRole reader',
    '  db',
    '    FederatedConfigMap settings',
    '  web',
    '    FederatedDeployment frontend',
    `    FederatedSecret ${XSS}`,
    '    FederatedService frontend',
  ]);
  assert.equal(eu1[0].node.tally!.placed, 3);
  assert.equal(eu1[0].node.clusterInfo!.labels!.tier, 'gold');
  const cell = eu1.find((r) => r.node.kind === 'cell' && r.node.label === 'FederatedDeployment frontend')!;
  assert.equal(cell.id, nodeId.clusterCell('eu1', 'v1beta1:Deployment:web/frontend'));
  assert.equal(cell.parentId, nodeId.clusterNamespace('eu1', 'web'));
  const other = buildTree({ model, view: 'resources' });
  assert.deepEqual(cellsOf(rows).sort(), cellsOf(flatten(other, ALL_OPEN(other))).sort(), 'both views show the same cells');
});

test('cells: why in or out, override count, RSP replicas, live state, readiness', () => {
  const model = sample();
  const live = new Map<string, LiveState>([[liveKey(model.resources[0].id, 'eu1'), { resourceId: model.resources[0].id, cluster: 'eu1', state: 'drifted', outcome: 'drifted', at: 1000, source: 'compare' }]]);
  const info = new Map(model.clusterInfo!.map((c) => [c.name, c]));
  const eu1 = cellOf(model.resources[0], 'eu1', { live, clusterInfo: info });
  assert.deepEqual(eu1, {
    resourceId: model.resources[0].id,
    cluster: 'eu1',
    placed: true,
    why: 'explicit-list',
    category: 'list',
    reason: 'listed in placement.clusters',
    overrides: 2,
    replicas: 6,
    live: live.get(liveKey(model.resources[0].id, 'eu1')),
    clusterReady: true,
  });
  assert.equal(cellOf(model.resources[0], 'eu2').overrides, 0);
  const us1 = cellOf(model.resources[0], 'us1', { clusterInfo: info });
  assert.deepEqual([us1.placed, us1.category, us1.clusterReady, us1.replicas, us1.overrides], [false, 'not-ready', false, undefined, undefined]);
  // a cluster the server gave no reason for
  assert.deepEqual(cellOf(res('a', 'FederatedX', 'x', ['c9'], {}), 'c9').reason, 'placed');
  // KubeFed's own status from the watched host, per cluster
  const withHost = { ...model.resources[0], host: { state: 'failed' as const, clusters: { eu1: '', eu2: 'ApplyOverridesFailed' }, propagatedTo: 1, since: '2026-12-03T10:00:00Z', differs: [] } };
  assert.deepEqual(cellOf(withHost, 'eu2').kubefed, { status: 'ApplyOverridesFailed', since: '2026-12-03T10:00:00Z' });
  assert.deepEqual(cellOf(withHost, 'eu1').kubefed, { status: '', since: '2026-12-03T10:00:00Z' });
  assert.equal(cellOf(withHost, 'us1').kubefed, undefined);

  const cases: [PlacementWhy | undefined, boolean, string, string][] = [
    ['explicit-list', true, 'list', 'listed'],
    ['not-in-list', false, 'list', 'not listed'],
    ['empty-list', false, 'list', 'empty list'],
    ['cluster-names', true, 'list', 'listed'],
    ['selector-match', true, 'selector', 'selector match'],
    ['selector-all', true, 'selector', 'selector: all'],
    ['selector-mismatch', false, 'selector', 'selector mismatch'],
    ['excluded-by-namespace', false, 'namespace', 'excluded by namespace'],
    ['namespace-not-federated', false, 'namespace', 'namespace not federated'],
    ['namespace-without-placement', true, 'namespace', 'namespace placement'],
    ['not-ready', false, 'not-ready', 'not ready'],
    ['no-placement', false, 'none', 'no placement'],
    [undefined, true, 'other', 'placed'],
    [undefined, false, 'none', 'no placement'],
  ];
  for (const [why, placed, category, short] of cases) {
    const c = reasonCategory(why, placed);
    assert.equal(c, category, String(why));
    assert.equal(reasonShort({ why, placed, category: c }), short, String(why));
  }
});

test('filters: name, namespace, kind (words, globs, exclusions), cluster, cluster labels, placed only', () => {
  const model = sample();
  const rowsWith = (f: Partial<Filters>, view: 'resources' | 'clusters' = 'resources') => {
    const tree = buildTree({ model, view, filters: { ...EMPTY_FILTERS, ...f } });
    return flatten(tree, ALL_OPEN(tree));
  };
  const resources = (f: Partial<Filters>) => rowsWith(f).filter((r) => r.node.kind === 'resource').map((r) => r.node.label);

  assert.deepEqual(resources({ text: 'front' }), ['FederatedDeployment frontend', 'FederatedService frontend']);
  assert.deepEqual(resources({ text: 'web/front' }), ['FederatedDeployment frontend', 'FederatedService frontend']);
  assert.deepEqual(resources({ namespace: 'db' }), ['FederatedConfigMap settings']);
  assert.deepEqual(resources({ namespace: 'db, web', kind: '!Secret,!Service' }), ['FederatedConfigMap settings', 'FederatedDeployment frontend']);
  assert.deepEqual(resources({ kind: 'Federated*Role' }), ['FederatedClusterRole reader']);
  assert.deepEqual(resources({ kind: 'deployment' }), ['FederatedDeployment frontend'], 'target kind, any case');
  assert.deepEqual(resources({ text: '<img' }), [`FederatedSecret ${XSS}`]);

  // cluster filters restrict the cells; resources left without cells disappear
  assert.deepEqual(cellsOf(rowsWith({ cluster: 'eu2', placedOnly: true })), ['reader@eu2', 'frontend@eu2', `${XSS}@eu2`]);
  assert.deepEqual(cellsOf(rowsWith({ label: 'region=eu,tier=gold' })).map((c) => c.split('@')[1]), ['eu1', 'eu1', 'eu1', 'eu1', 'eu1']);
  assert.deepEqual(cellsOf(rowsWith({ label: '!tier' })).map((c) => c.split('@')[1]).sort(), ['eu2', 'eu2', 'eu2', 'eu2', 'eu2', 'us1', 'us1', 'us1', 'us1', 'us1']);
  assert.deepEqual(resources({ placedOnly: true }), ['FederatedClusterRole reader', 'FederatedDeployment frontend', `FederatedSecret ${XSS}`, 'FederatedService frontend'], 'settings is placed nowhere');
  // clusters view: a cluster with nothing left goes away when filtering by resource
  assert.deepEqual(rowsWith({ placedOnly: true }, 'clusters').filter((r) => r.level === 1).map((r) => r.node.label), ['eu1', 'eu2']);
  assert.deepEqual(rowsWith({}, 'clusters').filter((r) => r.level === 1).map((r) => r.node.label), ['eu1', 'eu2', 'us1']);
  // an unreadable selector filters nothing (the field shows the error)
  assert.equal(cellsOf(rowsWith({ label: 'region in (eu' })).length, 15);
  assert.match(compileFilters({ ...EMPTY_FILTERS, label: 'region in (eu' }).labelError!, /cannot read|not a label/);

  assert.equal(filtersActive(EMPTY_FILTERS), false);
  assert.equal(filtersActive({ ...EMPTY_FILTERS, kind: ' x ' }), true);
  assert.equal(filtersActive({ ...EMPTY_FILTERS, placedOnly: true }), true);
});

test('term matcher and label selectors', () => {
  const m = termMatcher(' web, !web-canary  api-* ');
  assert.equal(m('my-web'), true);
  assert.equal(m('web-canary'), false);
  assert.equal(m('api-gw'), true);
  assert.equal(m('gw-api'), false, 'a glob matches the whole value');
  assert.equal(termMatcher('')('anything'), true);
  assert.equal(termMatcher('!x')('y'), true);
  assert.equal(termMatcher('a.b')('aXb'), false, 'regex characters are literal');

  assert.deepEqual(parseLabelSelector('region=eu, tier != gold,gpu, !edge, env==prod, example.com/team=a_b').requirements, [
    { op: 'eq', key: 'region', value: 'eu' },
    { op: 'neq', key: 'tier', value: 'gold' },
    { op: 'exists', key: 'gpu' },
    { op: 'notExists', key: 'edge' },
    { op: 'eq', key: 'env', value: 'prod' },
    { op: 'eq', key: 'example.com/team', value: 'a_b' },
  ]);
  assert.ok(parseLabelSelector('region=e u').error);
  assert.ok(parseLabelSelector('-bad=x').error);
  assert.deepEqual(parseLabelSelector(' , ').requirements, []);
  const reqs = parseLabelSelector('region=eu,!edge,tier!=gold').requirements;
  assert.equal(labelsMatch({ region: 'eu' }, reqs), true);
  assert.equal(labelsMatch({ region: 'eu', tier: 'gold' }, reqs), false);
  assert.equal(labelsMatch({ region: 'eu', edge: '' }, reqs), false);
  assert.equal(labelsMatch(undefined, parseLabelSelector('!edge').requirements), true);
  assert.equal(labelsMatch({ constructor: 'x' } as Record<string, string>, parseLabelSelector('toString').requirements), false, 'own labels only');
});

test('expansion: defaults by kind, explicit choices by stable id, expand/collapse all, reveal', () => {
  const model = sample();
  const tree = buildTree({ model, view: 'resources' });
  // namespaces open, resources closed by default
  assert.deepEqual(labels(flatten(tree)), [
    '(cluster-scoped)',
    '  FederatedClusterRole reader',
    'db',
    '  FederatedConfigMap settings',
    'web',
    '  FederatedDeployment frontend',
    `  FederatedSecret ${XSS}`,
    '  FederatedService frontend',
  ]);
  const deployId = nodeId.resource(model.resources[0].id);
  const exp = { [nodeId.namespace('db')]: false, [deployId]: true };
  const rows = flatten(tree, exp);
  assert.equal(rows.find((r) => r.id === nodeId.namespace('db'))!.expanded, false);
  assert.equal(rows.find((r) => r.id === deployId)!.expanded, true);
  assert.equal(rows.length, 8 - 1 + 3);
  // the same expansion applies to a new model (an edit added a resource): ids are stable
  const edited = sample();
  edited.resources.push(res('db', 'FederatedConfigMap', 'aaa', [], {}));
  const rows2 = flatten(buildTree({ model: edited, view: 'resources' }), exp);
  assert.equal(rows2.find((r) => r.id === deployId)!.expanded, true);
  assert.equal(rows2.filter((r) => r.parentId === deployId).length, 3);

  const all = expandAll(tree, exp, true);
  assert.equal(flatten(tree, all).length, 8 + 15);
  assert.equal(flatten(tree, expandAll(tree, all, false)).length, 3);
  assert.deepEqual(expandableIds(tree).length, 3 + 5);
  assert.deepEqual(pathTo(tree, nodeId.cell(model.resources[0].id, 'us1')), [nodeId.namespace('web'), deployId]);
  assert.equal(pathTo(tree, 'nope'), undefined);
  // cells have no children: never expandable
  assert.ok(flatten(tree, all).filter((r) => r.node.kind === 'cell').every((r) => !r.expandable && !r.expanded));
});

test('navigation helpers: parent, type-ahead, reselect after a change', () => {
  const model = sample();
  const tree = buildTree({ model, view: 'resources' });
  const rows = flatten(tree, ALL_OPEN(tree));
  const cell = rows.findIndex((r) => r.id === nodeId.cell(model.resources[0].id, 'eu2'));
  assert.equal(rows[parentIndex(rows, cell)].id, nodeId.resource(model.resources[0].id));
  assert.equal(parentIndex(rows, 0), -1);
  // by label, by resource name, wrapping around
  assert.equal(rows[findByPrefix(rows, 'db', 0)].id, nodeId.namespace('db'));
  assert.equal(rows[findByPrefix(rows, 'sett', 0)].node.label, 'FederatedConfigMap settings');
  assert.equal(rows[findByPrefix(rows, 'EU2', cell)].node.label, 'eu2');
  assert.notEqual(findByPrefix(rows, 'eu2', cell), cell, 'starts after the current row');
  assert.equal(findByPrefix(rows, 'zzz', 0), -1);
  // a removed row: its nearest remaining ancestor, else the old position
  const gone = nodeId.cell('gone', 'eu1');
  assert.equal(reselect(rows, gone, [nodeId.namespace('web'), nodeId.resource('gone')], 3), rows.findIndex((r) => r.id === nodeId.namespace('web')));
  assert.equal(reselect(rows, gone, [], 3), 3);
  assert.equal(reselect(rows, gone, [], 999), rows.length - 1);
  assert.equal(reselect([], gone, [], 3), -1);
});

test('summary counts resources, clusters, placements, errors and live states', () => {
  const model = sample();
  const live = new Map<string, LiveState>([
    ['a', { resourceId: model.resources[0].id, cluster: 'eu1', state: 'in-sync', outcome: 'created', at: 1, source: 'propagate' }],
    ['b', { resourceId: model.resources[0].id, cluster: 'eu2', state: 'missing', outcome: 'would create', at: 1, source: 'propagate' }],
    ['c', { resourceId: 'deleted', cluster: 'eu2', state: 'error', outcome: 'failed', at: 1, source: 'propagate' }],
    ['d', { resourceId: model.resources[1].id, cluster: 'us1', state: 'unchecked', outcome: 'cancelled', at: 1, source: 'compare' }],
  ]);
  assert.deepEqual(summarize(model, live), { resources: 5, clusters: 3, placements: 6, errors: 1, live: { 'in-sync': 1, drifted: 0, missing: 1, error: 0, unchecked: 1 } });
});

test('a kubefed/placement error is shown with what to do next, never as "No federated resources"', () => {
  const none: PlacementModel = { clusters: ['eu1'], resources: [] };
  assert.deepEqual(panelNotice(undefined, '', 0), { banner: '', empty: '', clearFilters: false });
  assert.deepEqual(panelNotice(none, '', 0), { banner: '', empty: 'No federated resources in the workspace.', clearFilters: false });
  const error = placementErrorText('kubefed/placement failed: labels is not iterable');
  assert.match(error, /^The placement could not be computed: kubefed\/placement failed: labels is not iterable\n/);
  assert.match(error, /KubeFed: Show Output/);
  assert.match(error, /Refresh/);
  assert.match(placementErrorText('  '), /computed: no reason given/);
  // the first answer failed, or the last model had no resources: the error, nothing else
  for (const model of [undefined, none]) {
    const n = panelNotice(model, error, 0);
    assert.equal(n.banner, error);
    assert.doesNotMatch(`${n.banner} ${n.empty}`, /No federated resources/);
  }
  // an earlier placement stays under the banner, said to be the last one computed
  const model = sample();
  const rows = flatten(buildTree({ model, view: 'resources', filters: EMPTY_FILTERS }), {}).length;
  const stale = panelNotice(model, error, rows);
  assert.equal(stale.empty, '');
  assert.ok(stale.banner.startsWith(error) && /last placement that was computed/.test(stale.banner), stale.banner);
  assert.deepEqual(panelNotice(model, '', 0), { banner: '', empty: 'Nothing matches the filters.', clearFilters: true });
  assert.deepEqual(panelNotice(model, '', rows), { banner: '', empty: '', clearFilters: false });
});

test('text helpers: escaping, control and bidi characters, length, relative time', () => {
  assert.equal(escapeHtml(XSS), '&lt;img src=x onerror=alert(1)&gt;');
  assert.equal(escapeHtml(`"'&\`<>`), '&quot;&#39;&amp;&#96;&lt;&gt;');
  assert.equal(displayText(XSS), XSS, 'markup stays as it is (it is shown as text)');
  assert.equal(displayText('a\u202Eevil\u202Cb'), 'a\\u{202e}evil\\u{202c}b');
  assert.equal(displayText('x\u0000y\u001bz\u200f'), 'x\\u{0}y\\u{1b}z\\u{200f}');
  assert.equal(displayText('two\nlines\tand tab'), 'two lines and tab');
  assert.equal(displayText('x'.repeat(400)).length, 300);
  assert.ok(displayText('x'.repeat(400)).endsWith('…'));
  assert.equal(displayText(undefined), '');
  assert.equal(displayText(42), '42');
  const now = 1_000_000_000;
  assert.deepEqual([0, 4, 42, 60 * 5, 3600 * 3, 86400 * 3].map((s) => relativeTime(now - s * 1000, now)), ['just now', 'just now', '42 s ago', '5 min ago', '3 h ago', '3 d ago']);
  assert.equal(relativeTime(now + 10_000, now), 'just now');
});

test('messages: the host accepts only well-formed webview messages', () => {
  const loc = { uri: 'file:///a.yaml', range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } } };
  assert.ok(isWebviewMessage({ type: 'ready' }));
  assert.ok(isWebviewMessage({ type: 'openSource', location: loc }));
  assert.ok(isWebviewMessage({ type: 'openPreview', resourceId: 'r', cluster: 'c' }));
  assert.ok(isWebviewMessage({ type: 'openDiff', resourceId: 'r', cluster: 'c', preserveFocus: true }));
  for (const bad of [null, 'ready', [], { type: 'openSource' }, { type: 'openSource', location: { uri: 1 } }, { type: 'openSource', location: { ...loc, range: { start: { line: -1, character: 0 }, end: loc.range.end } } }, { type: 'openPreview', resourceId: 'r' }, { type: 'openDiff', resourceId: '', cluster: 'c' }, { type: 'exec', command: 'x' }]) {
    assert.equal(isWebviewMessage(bad), false, JSON.stringify(bad));
  }
  assert.ok(isHostMessage({ type: 'model', model: { clusters: [], resources: [] } }));
  assert.ok(isHostMessage({ type: 'liveState', states: [] }));
  assert.equal(isHostMessage({ type: 'model', model: { clusters: [] } }), false);
  assert.equal(isHostMessage({ type: 'other' }), false);
});

test('page: strict Content-Security-Policy with a nonce, no inline script or handler, attributes escaped', () => {
  const nonce = makeNonce();
  assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
  assert.notEqual(makeNonce(), nonce);
  const csp = contentSecurityPolicy('https://x.vscode-cdn.net', nonce);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, new RegExp(`script-src 'nonce-${nonce.replace(/[+/]/g, '\\$&')}'`));
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  const html = webviewHtml({ cspSource: 'https://x.vscode-cdn.net', nonce, scriptUri: 'https://x/main.js?a=1&b="2"', styleUri: 'https://x/s.css', codiconUri: 'https://x/c.css' });
  const scripts = html.match(/<script[^>]*>/g)!;
  assert.equal(scripts.length, 1);
  for (const s of scripts) {
    assert.match(s, new RegExp(`nonce="${nonce.replace(/[+/]/g, '\\$&')}"`));
    assert.match(s, / src="/);
  }
  assert.match(html, /src="https:\/\/x\/main.js\?a=1&amp;b=&quot;2&quot;"/);
  assert.doesNotMatch(html, /<style|style="| on[a-z]+=/i);
  assert.match(html, /id="vscode-codicon-stylesheet"/);
});

// ---------------------------------------------------------------------------------------------
// Property: flattening then filtering never loses or duplicates a row.

const arbModel: fc.Arbitrary<PlacementModel> = fc
  .record({
    clusters: fc.uniqueArray(fc.constantFrom('eu1', 'eu2', 'us1', 'ap1', 'x<y>'), { minLength: 0, maxLength: 5 }),
    resources: fc.array(
      fc.record({
        ns: fc.constantFrom('', 'web', 'db', 'web-canary', '<ns>'),
        kind: fc.constantFrom('FederatedDeployment', 'FederatedSecret', 'FederatedService'),
        name: fc.oneof(fc.constantFrom('a', 'api', 'web', XSS), fc.string({ maxLength: 6 })),
        placed: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        whys: fc.array(fc.constantFrom<PlacementWhy>('explicit-list', 'not-in-list', 'selector-match', 'selector-mismatch', 'excluded-by-namespace', 'not-ready'), { minLength: 6, maxLength: 6 }),
      }),
      { maxLength: 25 },
    ),
    labels: fc.array(fc.dictionary(fc.constantFrom('region', 'tier', 'gpu'), fc.constantFrom('eu', 'us', 'gold', '')), { minLength: 5, maxLength: 5 }),
  })
  .map(({ clusters, resources, labels: ls }) => {
    const seen = new Set<string>();
    const list: PlacementResource[] = [];
    for (const r of resources) {
      const id = `v1beta1:${r.kind}:${r.ns}/${r.name}`;
      if (seen.has(id)) continue; // ids are unique in a placement answer
      seen.add(id);
      const selected = clusters.filter((_, i) => r.placed[i]);
      list.push({
        id,
        era: 'v1beta1',
        kind: r.kind,
        targetKind: r.kind.slice(9),
        namespace: r.ns,
        name: r.name,
        selected,
        reasons: Object.fromEntries(clusters.map((c, i) => [c, { selected: r.placed[i], why: r.whys[i], text: r.whys[i] }])),
      });
    }
    return { clusters, resources: list, clusterInfo: clusters.map((name, i) => ({ name, labels: ls[i], ready: i !== 2, source: 'workspace' as const })) };
  });

const arbFilters: fc.Arbitrary<Filters> = fc.record({
  text: fc.constantFrom('', 'a', 'api', '!web', 'w*', '<img', 'web/'),
  namespace: fc.constantFrom('', 'web', '!web', 'db,web', 'web-*', '<'),
  kind: fc.constantFrom('', 'Secret', '!Service', 'Federated*'),
  cluster: fc.constantFrom('', 'eu', '!us1', 'eu*', 'x<'),
  label: fc.constantFrom('', 'region=eu', 'tier!=gold', 'gpu', '!gpu', 'region=us,tier', 'bad selector ('),
  placedOnly: fc.boolean(),
});

/** The filter as a plain predicate on one (resource, cluster) pair, written independently. */
function cellVisible(model: PlacementModel, f: Filters, r: PlacementResource, cluster: string): boolean {
  const sel = parseLabelSelector(f.label);
  const labelsOf = model.clusterInfo?.find((c) => c.name === cluster)?.labels;
  return (
    (termMatcher(f.text)(r.name) || termMatcher(f.text)(`${r.namespace}/${r.name}`)) &&
    termMatcher(f.namespace)(r.namespace) &&
    (termMatcher(f.kind)(r.kind) || termMatcher(f.kind)(r.targetKind)) &&
    termMatcher(f.cluster)(cluster) &&
    (!!sel.error || labelsMatch(labelsOf, sel.requirements)) &&
    (!f.placedOnly || r.selected.includes(cluster))
  );
}

test('property: flattening then filtering never loses or duplicates a row (both views)', () => {
  fc.assert(
    fc.property(arbModel, arbFilters, fc.constantFrom('resources' as const, 'clusters' as const), (model, filters, view) => {
      const tree = buildTree({ model, view, filters });
      const rows = flatten(tree, ALL_OPEN(tree));
      // no duplicate rows
      assert.equal(new Set(rows.map((r) => r.id)).size, rows.length);
      // exactly the cells the predicate admits, each once
      const got = rows.filter((r) => r.node.kind === 'cell').map((r) => liveKey(r.node.resource!.id, r.node.cluster!));
      assert.equal(new Set(got).size, got.length);
      const want = model.resources.flatMap((r) => model.clusters.filter((c) => cellVisible(model, filters, r, c)).map((c) => liveKey(r.id, c)));
      assert.deepEqual([...got].sort(), [...want].sort());
      // filtering the fully flattened unfiltered tree gives the same cells in the same order
      const all = buildTree({ model, view });
      const allRows = flatten(all, ALL_OPEN(all));
      const filteredAfter = allRows.filter((r) => r.node.kind === 'cell' && cellVisible(model, filters, r.node.resource!, r.node.cluster!)).map((r) => r.id);
      assert.deepEqual(rows.filter((r) => r.node.kind === 'cell').map((r) => r.id), filteredAfter);
      // every row's parent is the closest row above it one level up
      rows.forEach((r, i) => {
        const p = parentIndex(rows, i);
        if (r.level === 1) assert.equal(p, -1);
        else assert.equal(rows[p].level, r.level - 1);
      });
    }),
    { numRuns: 300 },
  );
});

test('property: any expansion shows a subsequence of the fully expanded rows, children only under open parents', () => {
  fc.assert(
    fc.property(arbModel, arbFilters, fc.constantFrom('resources' as const, 'clusters' as const), fc.func(fc.boolean()), (model, filters, view, choose) => {
      const tree = buildTree({ model, view, filters });
      const expansion: Record<string, boolean> = {};
      for (const id of expandableIds(tree)) expansion[id] = choose(id);
      const rows = flatten(tree, expansion);
      const full = flatten(tree, ALL_OPEN(tree)).map((r) => r.id);
      let k = 0;
      for (const r of rows) {
        k = full.indexOf(r.id, k);
        assert.ok(k >= 0, 'a subsequence');
        k++;
      }
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const r of rows) if (r.parentId !== undefined) assert.equal(byId.get(r.parentId)?.expanded, true);
      assert.equal(rows.filter((r) => r.level === 1).length, tree.length);
    }),
    { numRuns: 200 },
  );
});
