/**
 * The placement webview in headless Chromium (the standalone page of test/e2e/webviewPage.ts):
 * 2,000 resources × 10 clusters — first render until painted, re-render of a new model (what every
 * edit sends), expand all, and frame times while scrolling. Targets: render < 1 s, script per frame
 * well inside a 16 ms frame.
 *
 *   npm run bench:webview     (also part of npm run bench)
 */
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildWebview } from '../webview/build.mjs';
import { chromiumPath, makeModel, openPage, postModelFromWindow, root, scrollFrames, setTheme, startServer, stopServer, type ScrollRun } from '../test/e2e/webviewPage.ts';

export interface WebviewBenchResult {
  resources: number;
  clusters: number;
  /** Median over fresh pages: posting the model until the rows are painted. */
  firstRenderMs: number;
  firstRenderMaxMs: number;
  reRenderMs: number;
  expandAllMs: number;
  /** Resources shown open in the DOM after expand all (only visible rows exist). */
  expandedRows: number;
  wheel: ScrollRun;
  flick: ScrollRun;
}

const median = (a: number[]) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];

export async function runWebviewBench(opts: { resources?: number; clusters?: number; pages?: number } = {}): Promise<WebviewBenchResult | undefined> {
  const exe = chromiumPath();
  if (!exe) return undefined;
  const n = opts.resources ?? 2000;
  const c = opts.clusters ?? 10;
  await buildWebview({ base: root });
  await startServer();
  setTheme('dark');
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const model = makeModel(n, c);
    const first: number[] = [];
    const again: number[] = [];
    let expandAllMs = 0;
    let expandedRows = 0;
    let wheel: ScrollRun | undefined;
    let flick: ScrollRun | undefined;
    for (let i = 0; i < (opts.pages ?? 5); i++) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const p = await ctx.newPage();
      await openPage(p, { dialogs: [], errors: [] });
      await p.evaluate((m) => ((window as any).__model = m), model);
      first.push((await postModelFromWindow(p)).ms);
      again.push((await postModelFromWindow(p)).ms);
      if (i === 0) {
        // The click handler flattens the whole tree synchronously; then two frames paint it.
        expandAllMs = await p.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const t0 = performance.now();
              (document.getElementById('btn-expand') as HTMLElement).click();
              requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
            }),
        );
        expandedRows = await p.evaluate(() => document.querySelectorAll('[role=treeitem][data-kind=resource][aria-expanded=true]').length);
        wheel = await scrollFrames(p, 5 * 22);
        flick = await scrollFrames(p, 600);
      }
      await ctx.close();
    }
    return {
      resources: n,
      clusters: c,
      firstRenderMs: Math.round(median(first)),
      firstRenderMaxMs: Math.round(Math.max(...first)),
      reRenderMs: Math.round(median(again)),
      expandAllMs: Math.round(expandAllMs),
      expandedRows,
      wheel: wheel!,
      flick: flick!,
    };
  } finally {
    await browser.close();
    await stopServer();
  }
}

export function formatWebviewBench(r: WebviewBenchResult | undefined): string {
  if (!r) return 'Placement webview: skipped (no Chromium: set KFED_CHROMIUM or apt-get install chromium)';
  const f = (x: number) => x.toFixed(1);
  return [
    `Placement webview, ${r.resources.toLocaleString('en')} resources × ${r.clusters} clusters, headless Chromium (targets: render < 1 s, script per frame < 16 ms):`,
    `  first render until painted: median ${r.firstRenderMs} ms, max ${r.firstRenderMaxMs} ms; re-render ${r.reRenderMs} ms`,
    `  expand all (every resource open, ${(r.resources * (r.clusters + 1) + Math.min(20, r.resources)).toLocaleString('en')} rows; ${r.expandedRows} open resources in view): ${r.expandAllMs} ms until painted`,
    `  scrolling 110 px/frame: frame mean ${f(r.wheel.mean)} ms, p95 ${f(r.wheel.p95)} ms, script p95 ${f(r.wheel.scriptP95)} ms, ≤ ${r.wheel.maxRows} rows in the DOM`,
    `  scrolling 600 px/frame: frame mean ${f(r.flick.mean)} ms, p95 ${f(r.flick.p95)} ms, script p95 ${f(r.flick.scriptP95)} ms, ≤ ${r.flick.maxRows} rows in the DOM`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(formatWebviewBench(await runWebviewBench()));
}
