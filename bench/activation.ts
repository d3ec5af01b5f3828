/**
 * Activation cost of the VS Code extension (dist/client.js): in a fresh Node process each time,
 * `require()` of the bundle (reading, compiling, evaluating it) plus `activate()`, with a stand-in
 * for the `vscode` module (every API call answers at once, so only the extension's own work is
 * counted). The median of several runs is reported next to the budget (150 ms).
 *
 *   node --import tsx bench/activation.ts [runs]     (after `npm run build`)
 *
 * In a real VS Code, Developer: Show Running Extensions shows VS Code's own measure, and the
 * extension logs "activated in N ms" (bundle evaluation + activate()) in the KubeFed output.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bundle = join(root, 'dist', 'client.js');
const BUDGET_MS = 150;

/** Runs in the child: a `vscode` stand-in made of proxies, then require + activate, timed. */
const CHILD = String.raw`
const Module = require('module');
const fs = require('fs');
const dts = fs.readFileSync(require.resolve('@types/vscode/index.d.ts', { paths: [process.argv[2]] }), 'utf8');
const names = new Set([...dts.matchAll(/^(?:\t|\s{4})export (?:namespace|class|enum|function|const|let) (\w+)/gm)].map((m) => m[1]));
const handler = {
  set(t, p, v) { Object.defineProperty(t, p, { value: v, writable: true, configurable: true }); return true; },
  get(t, p) {
    if (p === 'then') return undefined;
    if (p === Symbol.toPrimitive) return () => '';
    if (!(p in t)) t[p] = stub();
    return t[p];
  },
  apply() { return stub(); },
  construct() { return stub(); },
};
function stub() { return new Proxy(function () {}, handler); }
const vscode = {};
for (const n of names) vscode[n] = stub();
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };
const origLog = console.log;
console.log = () => {};
const t0 = performance.now();
const ext = require(process.argv[1]);
const t1 = performance.now();
const api = ext.activate({ subscriptions: [], asAbsolutePath: (p) => p, extensionUri: stub(), extensionPath: '/' });
const t2 = performance.now();
origLog(JSON.stringify({ require: t1 - t0, activate: t2 - t1, own: api.activationTimeMs }));
`;

interface Sample {
  require: number;
  activate: number;
  own: number;
}

export function measureActivation(runs = 7): { median: Sample & { total: number }; samples: Sample[]; bytes: number } {
  if (!existsSync(bundle)) throw new Error('dist/client.js is missing: run `npm run build` first');
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['-e', CHILD, bundle, root], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`activation run failed: ${r.stderr}`);
    samples.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as Sample);
  }
  const med = (f: (s: Sample) => number) => {
    const v = samples.map(f).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)]!;
  };
  return {
    median: { require: med((s) => s.require), activate: med((s) => s.activate), own: med((s) => s.own), total: med((s) => s.require + s.activate) },
    samples,
    bytes: statSync(bundle).size,
  };
}

export function formatActivation(m: ReturnType<typeof measureActivation>): string {
  const f = (n: number) => `${n.toFixed(1)} ms`;
  return [
    `extension activation (dist/client.js, ${(m.bytes / 1024).toFixed(0)} KiB, median of ${m.samples.length} fresh processes)`,
    `  require (read + compile + evaluate)  ${f(m.median.require)}`,
    `  activate()                           ${f(m.median.activate)}`,
    `  total                                ${f(m.median.total)}  (budget ${BUDGET_MS} ms: ${m.median.total < BUDGET_MS ? 'ok' : 'OVER'})`,
    `  as the extension logs it             ${f(m.median.own)}  (evaluation + activate())`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/activation.ts')) {
  const runs = Number(process.argv[2]) || 7;
  console.log(formatActivation(measureActivation(runs)));
}
