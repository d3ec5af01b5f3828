/**
 * Scale benchmark (issue 16): `kfed validate` of a generated 20,000-resource federation, as one
 * file and split into 2,000 files, beside the reference — `yaml`'s parseAllDocuments + toJS of the
 * same text — and candidate parsers, each in its own process (time inside it, peak RSS of it).
 *
 *   node --import tsx bench/scale.ts [--resources 20000]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateClusters, joinDocuments, scaleDocuments, splitDocuments } from './scaleGenerate.ts';

const SELF = fileURLToPath(import.meta.url);

/** Texts of the files under `dir` (a folder of YAML files, or one file). */
function texts(dir: string): string[] {
  return readdirSync(dir).sort().map((f) => readFileSync(join(dir, f), 'utf8'));
}

/** In the child: one measurement, printed as JSON. */
async function child(mode: string, dir: string, clusters: string): Promise<void> {
  // modules are loaded before the clock starts (tsx compiles them on the first load)
  const { parseAllDocuments, Parser } = await import('yaml');
  const { fastValue } = await import('../server/engine/fastyaml.ts');
  const { sliceDocuments } = await import('../server/engine/parse.ts');
  const { run } = await import('../server/cli/run.ts');
  const t0 = performance.now();
  if (mode === 'reference') {
    for (const t of texts(dir)) for (const d of parseAllDocuments(t)) d.toJS();
  } else if (mode === 'cst') {
    for (const t of texts(dir)) for (const _ of new Parser().parse(t));
  } else if (mode === 'fast') {
    for (const t of texts(dir)) for (const s of sliceDocuments(t)) fastValue(t.slice(s.start, s.end));
  } else {
    const r = await run(['validate', dir, '--clusters', clusters, '-o', 'json']);
    if (r.exit > 1) throw new Error(r.stderr);
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024 }));
}

export interface ScaleRow {
  layout: string;
  mode: string;
  ms: number;
  rssMb: number;
}

function measure(mode: string, dir: string, clusters: string): ScaleRow & { layout: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', mode, dir, clusters], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${mode}: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; rssMb: number };
  return { layout: '', mode, ...out };
}

/** A node process that only loads the engine and the CLI: the fixed base of peak RSS. */
function baseRssMb(): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', "await import('./server/cli/run.ts'); console.log(process.resourceUsage().maxRSS / 1024)"], { encoding: 'utf8', cwd: join(SELF, '..', '..') });
  return Number(r.stdout.trim());
}

export function runScaleBench(resources = 20000): { bytes: number; base: number; rows: ScaleRow[] } {
  const root = mkdtempSync(join(tmpdir(), 'kfed-scale-'));
  try {
    const docs = scaleDocuments(resources, 50);
    const text = joinDocuments(docs);
    const clusters = join(root, 'clusters.yaml');
    writeFileSync(clusters, generateClusters(50));
    mkdirSync(join(root, 'one'));
    writeFileSync(join(root, 'one', 'all.yaml'), text);
    mkdirSync(join(root, 'split'));
    for (const [name, t] of splitDocuments(docs, 2000)) writeFileSync(join(root, 'split', name), t);
    const rows: ScaleRow[] = [];
    for (const layout of ['one', 'split']) {
      for (const mode of ['reference', 'cst', 'fast', 'validate']) rows.push({ ...measure(mode, join(root, layout), clusters), layout });
    }
    return { bytes: Buffer.byteLength(text), base: baseRssMb(), rows };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const LABELS: Record<string, string> = {
  reference: "yaml parseAllDocuments + toJS (reference)",
  cst: "candidate: yaml Parser (CST only, no Documents)",
  fast: "candidate: fast reader (values only)",
  validate: 'kfed validate',
};

export function formatScaleBench(b: { bytes: number; base: number; rows: ScaleRow[] }, resources = 20000): string {
  const mb = b.bytes / 1048576;
  const out = [`scale: ${resources} federated resources, 50 clusters, ${mb.toFixed(1)} MB of YAML; fixed base (node + kfed loaded) ${b.base.toFixed(0)} MB RSS`];
  for (const layout of ['one', 'split']) {
    const rows = b.rows.filter((r) => r.layout === layout);
    const ref = rows.find((r) => r.mode === 'reference')!;
    out.push(`  ${layout === 'one' ? 'one file' : '2,000 files'}:`);
    for (const r of rows) {
      let goal = '';
      if (r.mode === 'validate') {
        const ratio = r.ms / ref.ms;
        const rssGoal = 1.5 * mb + b.base;
        goal = `  goal ≤ 0.3× reference: ${ratio.toFixed(2)}× ${ratio <= 0.3 ? 'met' : 'NOT met'}; goal RSS ≤ ${rssGoal.toFixed(0)} MB (1.5× text + base): ${r.rssMb <= rssGoal ? 'met' : 'NOT met'}`;
      } else if (r.mode !== 'reference') goal = `  (${(r.ms / ref.ms).toFixed(2)}× reference)`;
      out.push(`    ${LABELS[r.mode].padEnd(50)} ${r.ms.toFixed(0).padStart(7)} ms  ${r.rssMb.toFixed(0).padStart(5)} MB${goal}`);
    }
  }
  return out.join('\n');
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv[5]);
} else if (process.argv[1] === SELF) {
  const i = process.argv.indexOf('--resources');
  const n = i > 0 ? Number(process.argv[i + 1]) : 20000;
  console.log(formatScaleBench(runScaleBench(n), n));
}
