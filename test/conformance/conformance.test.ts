/**
 * KubeFed conformance: every case of every vector file in the vector directory
 * ($KFED_VECTORS or ../shared/reference/vectors) runs through the engine's public API,
 * one node:test test per case. A family without an adapter fails every one of its cases.
 *
 * Adapters live in ./families/<family>.ts and export `run(c: VectorCase): void | Promise<void>`,
 * throwing (node:assert) when the engine disagrees with the vector.
 * `npm run conformance` runs this file alone with ./reporter.mjs (per-family counts).
 */
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadFamilies, type VectorCase } from './vectors.ts';

type Adapter = (c: VectorCase) => void | Promise<void>;

const families = loadFamilies();
for (const fam of families) {
  const file = join(import.meta.dirname, 'families', `${fam.family}.ts`);
  const adapter: Adapter | undefined = existsSync(file)
    ? ((await import(pathToFileURL(file).href)) as { run: Adapter }).run
    : undefined;
  for (const vc of fam.cases) {
    test(`${fam.family}: ${vc.name}`, async () => {
      if (!adapter) throw new Error(`no adapter for vector family "${fam.family}"`);
      await adapter(vc);
    });
  }
}
