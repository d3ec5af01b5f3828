/**
 * The placement webview's page outside VS Code, for the standalone Chromium test and the webview
 * benchmark: the built bundle (dist/webview/) in the same page the panel uses (webview/html.ts,
 * same Content-Security-Policy with a nonce), served from 127.0.0.1; `acquireVsCodeApi` is a stub
 * script that records the posted messages and keeps the state in sessionStorage. Also a model
 * generator (n resources × c clusters with every kind of reason, RSPs and an evil name) and
 * measurements of rendering and scrolling in the page.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { contentSecurityPolicy, makeNonce, webviewHtml } from '../../webview/html.ts';
import type { PlacementModel, PlacementResource } from '../../webview/messages.ts';
import type { PlacementWhy } from '../../server/engine/placement.ts';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const XSS_NAME = '<img src=x onerror=alert(1)>';

export function chromiumPath(): string | undefined {
  if (process.env.KFED_CHROMIUM) return process.env.KFED_CHROMIUM;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
}

// ---------------------------------------------------------------------------------------------
// A federation of n resources × c clusters with every kind of reason, RSPs and an evil name.

const WHYS: [PlacementWhy, boolean, string][] = [
  ['explicit-list', true, 'listed in placement.clusters'],
  ['selector-match', true, 'labels match the clusterSelector'],
  ['not-in-list', false, 'not listed in placement.clusters'],
  ['selector-mismatch', false, 'labels do not match the clusterSelector'],
  ['excluded-by-namespace', false, 'excluded by the FederatedNamespace placement'],
  ['not-ready', false, 'cluster not ready'],
];
const KINDS = ['FederatedDeployment', 'FederatedService', 'FederatedConfigMap', 'FederatedSecret', 'FederatedIngress'];

export function makeModel(n: number, c: number, opts: { prefix?: string } = {}): PlacementModel {
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
  const clusterInfo = clusters.map((name, j) => ({ name, labels: { region: j % 2 ? 'us' : 'eu', tier: j < 3 ? 'gold' : 'std' }, ready: j !== c - 1, source: 'workspace' as const }));
  return { clusters, resources, clusterInfo };
}

// ---------------------------------------------------------------------------------------------
// Theme variables (a subset of VS Code's Light Modern / Dark Modern / High Contrast).

export const THEMES: Record<string, { bodyClass: string; vars: Record<string, string> }> = {
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

let server: Server | undefined;
/** The page server's origin (after startServer). */
export let origin = '';
let theme = 'dark';
/** The theme the next page load gets. */
export function setTheme(name: string): void {
  theme = name;
}
/** Paths the page asked for that do not exist. */
export const notFound: string[] = [];

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

/** Builds nothing: serves dist/webview/ (build it first), the stub and the theme files on 127.0.0.1. */
export async function startServer(): Promise<void> {
  const dist = join(root, 'dist', 'webview');
  const srv = createServer((req, res) => {
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
  server = srv;
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

export interface Watch {
  dialogs: string[];
  errors: string[];
}

export async function openPage(p: Page, w: Watch): Promise<void> {
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

export interface Painted {
  /** From posting the message until two animation frames after the view rendered it. */
  ms: number;
  /** The view's own measure of its render (build + flatten + rows). */
  renderMs: number;
  rows: number;
}

/** Posts a message as the extension would and waits until the rows are painted. */
export async function postAndPaint(p: Page, message: unknown): Promise<Painted> {
  return p.evaluate(
    (m) =>
      new Promise<Painted>((resolve) => {
        const t0 = performance.now();
        window.addEventListener(
          'kubefed-placement-rendered',
          () => requestAnimationFrame(() => requestAnimationFrame(() => resolve({ ms: performance.now() - t0, renderMs: Number(document.body.dataset.renderMs), rows: Number(document.body.dataset.rows) }))),
          { once: true },
        );
        // undefined: the model stored in the page (window.__model), so a large one is not sent each time
        window.postMessage(m ?? { type: 'model', model: (window as any).__model }, '*');
      }),
    message,
  );
}

/** postAndPaint with the model stored in the page as `window.__model`. */
export function postModelFromWindow(p: Page): Promise<Painted> {
  return postAndPaint(p, undefined);
}

export async function stopServer(): Promise<void> {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
}

export interface ScrollRun {
  mean: number;
  p95: number;
  max: number;
  /** Script time per animation frame (rAF callbacks, measured by openPage's init script). */
  scriptP95: number;
  maxRows: number;
}

/** Scrolls the tree by `px` per animation frame for 120 frames; frame times and rows in the DOM. */
export function scrollFrames(p: Page, px: number): Promise<ScrollRun> {
  return p.evaluate(
    (step) =>
      new Promise<ScrollRun>((resolve) => {
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
}
