/**
 * The placement webview in a real Chromium, outside VS Code: the built bundle (dist/webview/, built
 * here by webview/build.mjs) in the same page the panel uses (webview/html.ts, same
 * Content-Security-Policy with a nonce), served from 127.0.0.1; `acquireVsCodeApi` is a stub
 * script that records the posted messages and keeps the state in sessionStorage.
 *
 *   node --import tsx --test test/e2e/webview-standalone.test.ts
 *
 * Checks: 2,000 resources × 10 clusters render in under 1 s, scrolling only keeps the visible
 * rows, keyboard navigation and the messages it sends, a resource named like markup shows as text
 * (no element, no dialog, no CSP violation), filters, live state, a new model keeps expansion,
 * selection and scroll, and a reload keeps them too. Screenshots (light, dark, high contrast) go
 * to .artifacts/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildWebview } from '../../webview/build.mjs';
import { contentSecurityPolicy, makeNonce, webviewHtml } from '../../webview/html.ts';
import type { LiveState, PlacementModel, PlacementResource } from '../../webview/messages.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = join(root, '.artifacts');
const XSS_NAME = '<img src=x onerror=alert(1)>';

function chromiumPath(): string | undefined {
  if (process.env.KFED_CHROMIUM) return process.env.KFED_CHROMIUM;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
}

// ---------------------------------------------------------------------------------------------
// A federation of n resources × c clusters with every kind of reason, RSPs and an evil name.

const WHYS: [string, boolean, string][] = [
  ['explicit-list', true, 'listed in placement.clusters'],
  ['selector-match', true, 'labels match the clusterSelector'],
  ['not-in-list', false, 'not listed in placement.clusters'],
  ['selector-mismatch', false, 'labels do not match the clusterSelector'],
  ['excluded-by-namespace', false, 'excluded by the FederatedNamespace placement'],
  ['not-ready', false, 'cluster not ready'],
];
const KINDS = ['FederatedDeployment', 'FederatedService', 'FederatedConfigMap', 'FederatedSecret', 'FederatedIngress'];

function makeModel(n: number, c: number, opts: { prefix?: string } = {}): PlacementModel {
  const clusters = Array.from({ length: c }, (_, i) => `cluster-${String(i + 1).padStart(2, '0')}`);
  const resources: PlacementResource[] = [];
  for (let i = 0; i < n; i++) {
    const kind = KINDS[i % KINDS.length];
    const ns = `team-${String(i % 20).padStart(2, '0')}`;
    const name = i === 7 ? XSS_NAME : `${opts.prefix ?? 'app'}-${String(i).padStart(4, '0')}`;
    const reasons: PlacementResource['reasons'] = {};
    const selected: string[] = [];
    clusters.forEach((cl, j) => {
      const [why, sel, text] = j === c - 1 ? WHYS[5] : WHYS[(i + j) % 5];
      reasons[cl] = { selected: sel, why, text: i === 7 ? `${text} <b onmouseover=alert(2)>` : text };
      if (sel) selected.push(cl);
    });
    const deploy = kind === 'FederatedDeployment';
    resources.push({
      id: `v1beta1:${kind.slice(9)}:${ns}/${name}`,
      era: 'v1beta1',
      kind,
      targetKind: kind.slice(9),
      namespace: ns,
      name,
      location: { uri: `file:///ws/${ns}/${i}.yaml`, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } } },
      selected,
      reasons,
      ...(deploy ? { rsp: { totalReplicas: 9, schedule: Object.fromEntries(selected.map((s, k) => [s, k + 1])) } } : {}),
      overrides: Object.fromEntries(selected.map((s, k) => [s, (i + k) % 4])),
      ...(i === 11 ? { error: 'ComputePlacementFailed: <script>alert(3)</script>' } : {}),
    });
  }
  const clusterInfo = clusters.map((name, j) => ({ name, labels: { region: j % 2 ? 'us' : 'eu', tier: j < 3 ? 'gold' : 'std' }, ready: j !== c - 1 }));
  return { clusters, resources, clusterInfo };
}

// ---------------------------------------------------------------------------------------------
// Theme variables (a subset of VS Code's Light Modern / Dark Modern / High Contrast).

const THEMES: Record<string, { bodyClass: string; vars: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      'font-family': 'system-ui, -apple-system, "Segoe UI", sans-serif', 'font-size': '13px', 'font-weight': 'normal',
      foreground: '#3b3b3b', 'editor-background': '#ffffff', descriptionForeground: '#3b3b3b', disabledForeground: 'rgba(97, 97, 97, 0.5)', errorForeground: '#f85149', focusBorder: '#005fb8',
      'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000', 'list-inactiveSelectionBackground': '#e4e6f1', 'list-hoverBackground': '#f2f2f2', 'list-focusOutline': '#005fb8',
      'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'testing-iconPassed': '#388a34', 'editorWarning-foreground': '#bf8803', 'gitDecoration-modifiedResourceForeground': '#895503',
      'settings-textInputBackground': '#ffffff', 'settings-textInputBorder': '#cecece', 'settings-textInputForeground': '#3b3b3b', 'input-placeholderForeground': '#767676', 'settings-headerBorder': '#e5e5e5',
      'panel-background': '#f8f8f8', 'panel-border': '#e5e5e5', 'panelTitle-activeBorder': '#005fb8', 'panelTitle-activeForeground': '#3b3b3b', 'panelTitle-inactiveForeground': '#3b3b3b',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'settings-checkboxBackground': '#f8f8f8', 'settings-checkboxBorder': '#cecece', 'settings-checkboxForeground': '#3b3b3b', 'widget-border': '#e5e5e5', 'toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)', 'icon-foreground': '#3b3b3b',
      'inputValidation-errorBorder': '#be1100', 'inputValidation-errorBackground': '#f2dede',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      'font-family': 'system-ui, -apple-system, "Segoe UI", sans-serif', 'font-size': '13px', 'font-weight': 'normal',
      foreground: '#cccccc', 'editor-background': '#1f1f1f', descriptionForeground: '#9d9d9d', disabledForeground: 'rgba(204, 204, 204, 0.5)', errorForeground: '#f85149', focusBorder: '#0078d4',
      'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff', 'list-inactiveSelectionBackground': '#37373d', 'list-hoverBackground': '#2a2d2e', 'list-focusOutline': '#0078d4',
      'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'testing-iconPassed': '#73c991', 'editorWarning-foreground': '#cca700', 'gitDecoration-modifiedResourceForeground': '#e2c08d',
      'settings-textInputBackground': '#313131', 'settings-textInputBorder': '#3c3c3c', 'settings-textInputForeground': '#cccccc', 'input-placeholderForeground': '#989898', 'settings-headerBorder': '#2b2b2b',
      'panel-background': '#181818', 'panel-border': '#2b2b2b', 'panelTitle-activeBorder': '#0078d4', 'panelTitle-activeForeground': '#e7e7e7', 'panelTitle-inactiveForeground': '#9d9d9d',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'settings-checkboxBackground': '#313131', 'settings-checkboxBorder': '#3c3c3c', 'settings-checkboxForeground': '#cccccc', 'widget-border': '#313131', 'toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)', 'icon-foreground': '#cccccc',
      'inputValidation-errorBorder': '#be1100', 'inputValidation-errorBackground': '#5a1d1d',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      'font-family': 'system-ui, -apple-system, "Segoe UI", sans-serif', 'font-size': '13px', 'font-weight': 'normal',
      foreground: '#ffffff', 'editor-background': '#000000', descriptionForeground: 'rgba(255, 255, 255, 0.7)', disabledForeground: '#a5a5a5', errorForeground: '#f48771', focusBorder: '#f38518',
      contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518', 'list-focusOutline': '#f38518', 'list-hoverBackground': 'transparent',
      'badge-background': '#000000', 'badge-foreground': '#ffffff', 'testing-iconPassed': '#73c991', 'editorWarning-foreground': '#ff0000', 'gitDecoration-modifiedResourceForeground': '#e2c08d',
      'settings-textInputBackground': '#000000', 'settings-textInputBorder': '#6fc3df', 'settings-textInputForeground': '#ffffff', 'settings-headerBorder': '#6fc3df', 'panel-background': '#000000', 'panel-border': '#6fc3df',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', 'widget-border': '#6fc3df', 'icon-foreground': '#ffffff',
      'inputValidation-errorBorder': '#f48771', 'inputValidation-errorBackground': '#000000',
    },
  },
};

function themeCss(name: string): string {
  const t = THEMES[name];
  return `:root {\n${Object.entries(t.vars).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n')}\n}\n`;
}

// The stand-in for VS Code's `acquireVsCodeApi` (a file, so it runs under the same nonce policy).
const STUB = `(() => {
  window.__posted = [];
  window.__csp = window.__csp || [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => { const s = sessionStorage.getItem('kfp-state'); return s ? JSON.parse(s) : undefined; },
    setState: (s) => sessionStorage.setItem('kfp-state', JSON.stringify(s)),
  });
})();`;

// ---------------------------------------------------------------------------------------------

let server: Server;
let origin = '';
let browser: Browser;
const exe = chromiumPath();
let theme = 'dark';
/** Paths the page asked for that do not exist. */
const notFound: string[] = [];

function page(): string {
  const nonce = makeNonce();
  return webviewHtml({
    cspSource: origin,
    nonce,
    scriptUri: '/webview/main.js',
    styleUri: '/webview/styles.css',
    codiconUri: '/webview/codicon.css',
    extraStyles: [`/theme/${theme}.css`],
    extraScripts: ['/stub.js'],
    bodyClass: THEMES[theme].bodyClass,
  });
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };

async function startServer(): Promise<void> {
  const dist = join(root, 'dist', 'webview');
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    if (url.pathname === '/') {
      const html = page();
      const nonce = /nonce="([^"]+)"/.exec(html)![1];
      // The same policy as a header too (a meta policy cannot be weakened by the page).
      return send(200, 'text/html; charset=utf-8', html, { 'content-security-policy': contentSecurityPolicy(origin, nonce) });
    }
    if (url.pathname === '/stub.js') return send(200, 'text/javascript', STUB);
    const t = /^\/theme\/([a-z-]+)\.css$/.exec(url.pathname);
    if (t && THEMES[t[1]]) return send(200, 'text/css', themeCss(t[1]));
    const w = /^\/webview\/([\w.-]+)$/.exec(url.pathname);
    if (w && existsSync(join(dist, w[1]))) return send(200, TYPES[extname(w[1])] ?? 'application/octet-stream', readFileSync(join(dist, w[1])));
    if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
    notFound.push(url.pathname);
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Watch {
  dialogs: string[];
  errors: string[];
}

async function openPage(p: Page, w: Watch): Promise<void> {
  // The test runner (tsx) wraps named functions in `__name(…)`, also in the ones given to evaluate().
  await p.addInitScript('window.__name = (f) => f;');
  // Script time of every animation frame callback (for the scrolling measurement).
  await p.addInitScript(`(() => {
    const raf = window.requestAnimationFrame.bind(window);
    window.__rafTimes = [];
    window.requestAnimationFrame = (cb) => raf((t) => { const t0 = performance.now(); cb(t); window.__rafTimes.push(performance.now() - t0); });
  })();`);
  p.on('dialog', (d) => {
    w.dialogs.push(d.message());
    void d.dismiss();
  });
  p.on('pageerror', (e) => w.errors.push(String(e)));
  p.on('console', (m) => {
    if (m.type() === 'error') w.errors.push(m.text());
  });
  await p.goto(origin + '/');
  await p.waitForFunction(() => (window as any).__posted?.some((m: any) => m.type === 'ready'));
}

/** Posts a message as the extension would and waits until the rows are painted. */
async function postAndPaint(p: Page, message: unknown): Promise<{ ms: number; renderMs: number; rows: number }> {
  return p.evaluate(
    (m) =>
      new Promise<{ ms: number; renderMs: number; rows: number }>((resolve) => {
        const t0 = performance.now();
        window.addEventListener(
          'kubefed-placement-rendered',
          () => requestAnimationFrame(() => requestAnimationFrame(() => resolve({ ms: performance.now() - t0, renderMs: Number(document.body.dataset.renderMs), rows: Number(document.body.dataset.rows) }))),
          { once: true },
        );
        window.postMessage(m, '*');
      }),
    message,
  );
}

async function postModelFromWindow(p: Page): Promise<{ ms: number; renderMs: number; rows: number }> {
  return p.evaluate(
    () =>
      new Promise<{ ms: number; renderMs: number; rows: number }>((resolve) => {
        const t0 = performance.now();
        window.addEventListener(
          'kubefed-placement-rendered',
          () => requestAnimationFrame(() => requestAnimationFrame(() => resolve({ ms: performance.now() - t0, renderMs: Number(document.body.dataset.renderMs), rows: Number(document.body.dataset.rows) }))),
          { once: true },
        );
        window.postMessage({ type: 'model', model: (window as any).__model }, '*');
      }),
  );
}

const selectedRow = (p: Page) =>
  p.evaluate(() => {
    const tree = document.querySelector('[role=tree]')!;
    const id = tree.getAttribute('aria-activedescendant');
    const el = id ? document.getElementById(id) : null;
    return el
      ? { kind: el.dataset.kind, id: el.dataset.id, resourceId: el.dataset.resourceId, cluster: el.dataset.cluster, selected: el.getAttribute('aria-selected'), expanded: el.getAttribute('aria-expanded'), level: el.getAttribute('aria-level'), label: el.querySelector('.label')?.textContent }
      : undefined;
  });

const posted = (p: Page) => p.evaluate(() => (window as any).__posted as any[]);
const clearPosted = (p: Page) => p.evaluate(() => ((window as any).__posted.length = 0));

describe('placement webview in Chromium (standalone)', { skip: exe ? false : 'no Chromium (set KFED_CHROMIUM or apt-get install chromium)' }, () => {
  before(async () => {
    await buildWebview({ base: root });
    await startServer();
    mkdirSync(artifacts, { recursive: true });
    browser = await chromium.launch({
      executablePath: exe,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  test('2,000 resources × 10 clusters: renders in under 1 s, keyboard, XSS, live, filters, state', async (t) => {
    theme = 'dark';
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await ctx.newPage();
    const w: Watch = { dialogs: [], errors: [] };
    await openPage(p, w);
    const model = makeModel(2000, 10);
    await p.evaluate((m) => ((window as any).__model = m), model);

    // -- first render
    const first = await postModelFromWindow(p);
    t.diagnostic(`first render of 2,000 × 10: ${first.ms.toFixed(0)} ms until painted (build + flatten + rows ${first.renderMs} ms), ${first.rows} rows`);
    assert.ok(first.ms < 1000, `render took ${first.ms.toFixed(0)} ms`);
    const domRows = await p.locator('[role=treeitem]').count();
    assert.ok(domRows > 10 && domRows < 120, `only the visible rows are in the DOM (${domRows})`);
    // 20 namespaces + 2,000 resources (namespaces open, resources closed by default)
    assert.equal(first.rows, 2020);

    // -- re-render of the same model (what every edit does)
    const again = await postModelFromWindow(p);
    t.diagnostic(`re-render: ${again.ms.toFixed(0)} ms`);
    assert.ok(again.ms < 1000);

    // -- expand everything: 22,020 rows
    const t0 = Date.now();
    await p.locator('#btn-expand').click();
    await p.waitForFunction(() => document.body.dataset.rows === '22020' || document.querySelectorAll('[role=treeitem][aria-expanded=true][data-kind=resource]').length > 0);
    t.diagnostic(`expand all (22,020 rows): ${Date.now() - t0} ms`);

    // -- smooth scrolling: frames while scrolling 5 rows per frame (a fast wheel) and 27 rows per
    // frame (a flick), and the script time of each frame (rAF callbacks, measured by the init script)
    const scrollRun = (px: number) =>
      p.evaluate(
        (step) =>
          new Promise<{ mean: number; p95: number; max: number; scriptP95: number; maxRows: number }>((resolve) => {
            const tree = document.querySelector('[role=tree]') as HTMLElement;
            const w = window as any;
            w.__rafTimes.length = 0;
            const times: number[] = [];
            let maxRows = 0;
            let last = performance.now();
            let n = 0;
            const pct = (a: number[], q: number) => a.slice().sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * q))];
            const frame = () => {
              const now = performance.now();
              if (n > 0) times.push(now - last);
              last = now;
              maxRows = Math.max(maxRows, document.querySelectorAll('[role=treeitem]').length);
              if (n++ >= 120) {
                resolve({ mean: times.reduce((a, b) => a + b, 0) / times.length, p95: pct(times, 0.95), max: pct(times, 1), scriptP95: pct(w.__rafTimes, 0.95), maxRows });
                return;
              }
              tree.scrollTop += step;
              requestAnimationFrame(frame);
            };
            requestAnimationFrame(frame);
          }),
        px,
      );
    const wheel = await scrollRun(5 * 22);
    const flick = await scrollRun(600);
    t.diagnostic(`scrolling 110 px/frame: frame mean ${wheel.mean.toFixed(1)} ms, p95 ${wheel.p95.toFixed(1)} ms; script per frame p95 ${wheel.scriptP95.toFixed(1)} ms; ≤ ${wheel.maxRows} rows in the DOM`);
    t.diagnostic(`scrolling 600 px/frame: frame mean ${flick.mean.toFixed(1)} ms, p95 ${flick.p95.toFixed(1)} ms; script per frame p95 ${flick.scriptP95.toFixed(1)} ms; ≤ ${flick.maxRows} rows in the DOM`);
    assert.ok(wheel.maxRows < 120 && flick.maxRows < 120, 'virtualised while scrolling');
    // The row updates fit easily in a frame (the hard bound). Frame times also include software
    // painting (headless, no GPU) and whatever else runs on the machine: only a sanity bound.
    assert.ok(wheel.scriptP95 < 16 && flick.scriptP95 < 16, `script per frame p95 ${wheel.scriptP95} / ${flick.scriptP95} ms`);
    assert.ok(wheel.mean < 100, `frame mean while scrolling ${wheel.mean.toFixed(1)} ms`);
    await p.locator('#btn-collapse').click();
    await p.evaluate(() => ((document.querySelector('[role=tree]') as HTMLElement).scrollTop = 0));

    // -- the evil name is text
    const xss = await p.evaluate((name) => {
      const labels = Array.from(document.querySelectorAll('[role=treeitem] .label')).map((e) => e.textContent);
      return { found: labels.some((l) => l?.includes(name)), imgs: document.querySelectorAll('img').length, bold: document.querySelectorAll('#app b, #app script').length };
    }, XSS_NAME);
    // It is in team-07 (row 7 of the model): expand the filters to be sure it is in view.
    if (!xss.found) {
      await p.locator('#f-text input').fill('img');
      await p.waitForFunction(() => document.querySelectorAll('[role=treeitem][data-kind=resource]').length === 1);
    }
    const shown = await p.evaluate(() => Array.from(document.querySelectorAll('[role=treeitem][data-kind=resource] .label')).map((e) => e.textContent));
    assert.ok(shown.some((l) => l === `FederatedConfigMap ${XSS_NAME}`), `the name shows as text: ${JSON.stringify(shown.slice(0, 3))}`);
    // its cells (reason text with markup) too
    await p.locator('[role=treeitem][data-kind=resource] .twisty').first().click();
    const cellDesc = await p.locator('[role=treeitem][data-kind=cell] .desc').first().textContent();
    assert.match(cellDesc ?? '', /<b onmouseover=alert\(2\)>/);
    const injected = await p.evaluate(() => ({ imgs: document.querySelectorAll('img').length, markup: document.querySelectorAll('#app b, #app script, [onerror], [onmouseover]').length }));
    assert.deepEqual(injected, { imgs: 0, markup: 0 });
    await p.locator('#f-text input').fill('');
    await p.locator('#f-text input').press('Enter');

    // -- keyboard navigation
    await p.locator('[role=tree]').focus();
    await p.keyboard.press('Home');
    let s = await selectedRow(p);
    assert.equal(s?.kind, 'namespace');
    assert.equal(s?.selected, 'true');
    assert.equal(s?.expanded, 'false'); // collapsed by "Collapse all" above
    await p.keyboard.press('ArrowRight'); // expand team-00
    assert.equal((await selectedRow(p))?.expanded, 'true');
    await p.keyboard.press('ArrowLeft'); // collapse team-00
    assert.equal((await selectedRow(p))?.expanded, 'false');
    await p.keyboard.press('ArrowRight'); // expand again
    await p.keyboard.press('ArrowRight'); // to its first child
    s = await selectedRow(p);
    assert.equal(s?.kind, 'resource');
    assert.equal(s?.level, '2');
    const resourceId = s!.resourceId!;
    await p.keyboard.press('ArrowRight'); // expand the resource
    assert.equal((await selectedRow(p))?.expanded, 'true');
    await p.keyboard.press('ArrowDown'); // first cell
    s = await selectedRow(p);
    assert.equal(s?.kind, 'cell');
    assert.equal(s?.resourceId, resourceId);
    assert.equal(s?.cluster, 'cluster-01');
    await clearPosted(p);
    await p.keyboard.press('Enter');
    await p.keyboard.press('Shift+Enter');
    await p.keyboard.press('ArrowLeft'); // back to the resource
    assert.equal((await selectedRow(p))?.kind, 'resource');
    await p.keyboard.press('Enter'); // its source
    let msgs = await posted(p);
    assert.deepEqual(msgs[0], { type: 'openPreview', resourceId, cluster: 'cluster-01' });
    assert.deepEqual(msgs[1], { type: 'openDiff', resourceId, cluster: 'cluster-01' });
    assert.equal(msgs[2].type, 'openSource');
    assert.equal(msgs[2].location.uri, model.resources.find((r) => r.id === resourceId)!.location!.uri);
    await p.keyboard.press('End');
    assert.equal((await selectedRow(p))?.label, 'team-19'); // the last namespace, collapsed
    await p.keyboard.press('Home');
    // type-ahead: "team-05"
    await p.keyboard.type('team-05', { delay: 20 });
    assert.equal((await selectedRow(p))?.label, 'team-05');

    // -- mouse: a cell opens its preview
    await clearPosted(p);
    const cell = p.locator('[role=treeitem][data-kind=cell]').nth(2);
    const cellCluster = await cell.getAttribute('data-cluster');
    const cellResource = await cell.getAttribute('data-resource-id');
    await cell.locator('.label').click();
    msgs = await posted(p);
    assert.deepEqual(msgs.at(-1), { type: 'openPreview', resourceId: cellResource, cluster: cellCluster, preserveFocus: true });

    // -- live state after a Compare
    const at = Date.now() - 90_000;
    const states: LiveState[] = [
      { resourceId, cluster: 'cluster-01', state: 'drifted', at, detail: 'spec.replicas: 3 → 5', source: 'compare' },
      { resourceId, cluster: 'cluster-02', state: 'in-sync', at, source: 'compare' },
    ];
    await postAndPaint(p, { type: 'liveState', states });
    await p.locator('[role=tree]').focus();
    await p.keyboard.press('Home'); // the resource's cells are at the top
    await p.waitForFunction(() => document.querySelector('[role=treeitem][data-kind=cell] .badge.live'));
    const live = await p.evaluate((id) => Array.from(document.querySelectorAll(`[role=treeitem][data-kind=cell]`)).filter((e) => (e as HTMLElement).dataset.resourceId === id).map((e) => e.querySelector('.badge.live')?.textContent ?? ''), resourceId);
    assert.match(live[0], /^drifted · 1 min ago$/);
    assert.match(live[1], /^in sync · 1 min ago$/);

    // -- a new model (an edit) keeps expansion, selection and scroll
    await p.locator('[role=tree]').focus();
    await p.keyboard.press('Home');
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowDown'); // a cell of the expanded resource
    const before = await selectedRow(p);
    await p.evaluate(() => ((document.querySelector('[role=tree]') as HTMLElement).scrollTop = 0));
    const edited = structuredClone(model);
    // a resource added at the top of team-00 (sorted first), and one of the cells changes reason
    edited.resources.unshift({ ...structuredClone(model.resources[0]), id: 'v1beta1:Deployment:team-00/aaa-new', name: 'aaa-new' });
    await postAndPaint(p, { type: 'model', model: edited });
    const afterEdit = await selectedRow(p);
    assert.equal(afterEdit?.id, before?.id, 'selection kept');
    const expandedIds = await p.evaluate(() => Array.from(document.querySelectorAll('[role=treeitem][aria-expanded=true]')).map((e) => (e as HTMLElement).dataset.id));
    assert.ok(expandedIds.includes(`r\u001f${resourceId}`), 'expansion kept');
    // scrolled down the list: the row at the top stays at the top
    await p.evaluate(() => ((document.querySelector('[role=tree]') as HTMLElement).scrollTop = 22 * 300 + 5));
    await p.waitForTimeout(50);
    const topBefore = await p.evaluate(() => (document.elementFromPoint(200, (document.querySelector('[role=tree]') as HTMLElement).getBoundingClientRect().top + 12) as HTMLElement)?.closest<HTMLElement>('[role=treeitem]')?.dataset.id);
    edited.resources.unshift({ ...structuredClone(model.resources[0]), id: 'v1beta1:Deployment:team-00/aab-new', name: 'aab-new' });
    await postAndPaint(p, { type: 'model', model: edited });
    const topAfter = await p.evaluate(() => (document.elementFromPoint(200, (document.querySelector('[role=tree]') as HTMLElement).getBoundingClientRect().top + 12) as HTMLElement)?.closest<HTMLElement>('[role=treeitem]')?.dataset.id);
    assert.equal(topAfter, topBefore, 'scroll anchored to the same row');

    // -- reload: the state comes back from getState
    await p.evaluate(() => ((document.querySelector('[role=tree]') as HTMLElement).scrollTop = 0));
    await p.locator('[role=tree]').focus();
    await p.keyboard.press('Home');
    await p.keyboard.press('ArrowDown');
    const sel = await selectedRow(p);
    await p.waitForTimeout(300); // state saved (throttled)
    await p.reload();
    await p.waitForFunction(() => (window as any).__posted?.some((m: any) => m.type === 'ready'));
    await p.evaluate((m) => ((window as any).__model = m), edited);
    await postModelFromWindow(p);
    assert.equal((await selectedRow(p))?.id, sel?.id, 'selection restored after reload');
    const expandedAfterReload = await p.evaluate(() => Array.from(document.querySelectorAll('[role=treeitem][aria-expanded=true]')).map((e) => (e as HTMLElement).dataset.id));
    assert.ok(expandedAfterReload.includes(`r\u001f${resourceId}`), 'expansion restored after reload');

    // -- filters: namespace + placed only; cluster label selector
    await p.locator('#f-namespace input').fill('team-03');
    await p.locator('#f-namespace input').press('Enter');
    let kinds = await p.evaluate(() => Array.from(document.querySelectorAll('[role=treeitem][data-kind=namespace]')).map((e) => e.querySelector('.label')?.textContent));
    assert.deepEqual(kinds, ['team-03']);
    await p.locator('#f-label input').fill('region=us,tier=gold');
    await p.locator('#f-label input').press('Enter');
    await p.locator('#btn-expand').click();
    const clustersShown = await p.evaluate(() => [...new Set(Array.from(document.querySelectorAll('[role=treeitem][data-kind=cell]')).map((e) => (e as HTMLElement).dataset.cluster))]);
    assert.deepEqual(clustersShown, ['cluster-02']);
    await p.locator('#f-clear').click();
    await p.locator('#btn-collapse').click();

    // -- the other view: clusters → resources
    await p.locator('vscode-tab-header[data-view=clusters]').click();
    await p.waitForFunction(() => document.querySelector('[role=treeitem][data-kind=cluster]'));
    // 10 clusters (open) × 20 namespaces (closed)
    assert.equal(await p.evaluate(() => document.body.dataset.rows), '210');
    await p.locator('#btn-collapse').click();
    const clusterRows = await p.evaluate(() => Array.from(document.querySelectorAll('[role=treeitem][data-kind=cluster]')).map((e) => e.querySelector('.label')?.textContent));
    assert.deepEqual(clusterRows, model.clusters);
    // the last cluster is not ready: its cells say so
    await p.locator('[role=tree]').focus();
    await p.keyboard.press('End');
    await p.keyboard.press('ArrowRight');
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowRight');
    await p.keyboard.press('ArrowDown');
    s = await selectedRow(p);
    assert.equal(s?.kind, 'cell');
    assert.equal(s?.cluster, 'cluster-10');
    assert.equal(await p.locator(`[role=treeitem][aria-selected=true] .chip`).textContent(), 'not ready');
    await p.locator('vscode-tab-header[data-view=resources]').click();
    await p.waitForFunction(() => document.querySelector('[role=treeitem][data-kind=namespace]'));

    assert.deepEqual(w.dialogs, [], 'no dialog opened');
    assert.deepEqual(await p.evaluate(() => (window as any).__csp), [], 'no Content-Security-Policy violation');
    assert.deepEqual(w.errors, [], 'no page errors');
    assert.deepEqual(notFound, [], 'every file the page loads exists');
    await ctx.close();
  });

  for (const name of ['light', 'dark', 'high-contrast']) {
    test(`screenshot: ${name} theme`, async () => {
      theme = name;
      const ctx = await browser.newContext({ viewport: { width: 1100, height: 640 }, deviceScaleFactor: 1 });
      const p = await ctx.newPage();
      const w: Watch = { dialogs: [], errors: [] };
      await openPage(p, w);
      const model = makeModel(60, 6);
      await postAndPaint(p, { type: 'model', model });
      // open the first deployment and the XSS resource, select a cell, add live states
      await p.locator('[role=tree]').focus();
      await p.keyboard.press('Home');
      await p.keyboard.press('ArrowDown');
      await p.keyboard.press('ArrowRight');
      await p.keyboard.press('ArrowDown');
      await p.keyboard.press('ArrowDown');
      const r = model.resources[0];
      const at = Date.now() - 42_000;
      await postAndPaint(p, {
        type: 'liveState',
        states: [
          { resourceId: r.id, cluster: 'cluster-01', state: 'in-sync', at },
          { resourceId: r.id, cluster: 'cluster-02', state: 'drifted', at, detail: 'spec.replicas' },
          { resourceId: r.id, cluster: 'cluster-04', state: 'missing', at },
          { resourceId: model.resources[20].id, cluster: 'cluster-03', state: 'error', at, detail: 'Forbidden' },
        ],
      });
      await p.waitForFunction(() => document.querySelector('.badge.live'));
      await p.evaluate(() => document.fonts.ready);
      await p.screenshot({ path: join(artifacts, `webview-placement-${name}.png`) });
      if (name === 'dark') {
        await p.locator('vscode-tab-header[data-view=clusters]').click();
        await p.waitForFunction(() => document.querySelector('[role=treeitem][data-kind=cluster]'));
        await p.locator('[role=tree]').focus();
        await p.keyboard.press('ArrowDown');
        await p.keyboard.press('ArrowRight');
        await p.keyboard.press('ArrowDown');
        await p.keyboard.press('ArrowDown');
        await p.screenshot({ path: join(artifacts, `webview-placement-${name}-clusters.png`) });
      }
      assert.deepEqual(w.dialogs, []);
      assert.deepEqual(await p.evaluate(() => (window as any).__csp), []);
      assert.deepEqual(w.errors, []);
      await ctx.close();
    });
  }
});
