/**
 * The language server in a real Emacs with eglot (batch mode), configured as the README shows
 * (test/editors/emacs/init.el): flymake diagnostics, the hover eldoc shows, a quick fix, completion.
 * test/editors/emacs/probe.el drives eglot and writes what it saw as JSON; this file asserts on it.
 * Emacs, eglot and yaml-mode come from Debian (test/editors/setup.mjs installs them as root); when
 * they cannot be had the test fails and names them.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ensureBuilt } from '../protocol/harness.ts';
import { EDITORS, runProbe, webLine } from './probe.ts';
// @ts-expect-error: plain ES module without types
import { ensureEmacs } from './setup.mjs';

interface Probe {
  error?: string;
  server: string;
  diagnostics: { line: number; col: number; type: string; text: string }[];
  hover: string;
  fixedLine: string;
  completion: string[];
  lenses: string;
}

describe('Emacs (eglot)', () => {
  before(() => {
    ensureBuilt();
    ensureEmacs();
  });

  it('diagnostics, hover, quick fix, completion', () => {
    const dir = join(EDITORS, 'emacs');
    const out = runProbe<Probe>('emacs', ['--batch', '-q', '-l', join(dir, 'init.el'), '-l', join(dir, 'probe.el')]);
    assert.equal(out.server, 'kubefed-language-server');
    const at = webLine('name: clustr2', 'clustr2');
    assert.deepEqual(out.diagnostics.map((d) => [d.line, d.col, d.type]), [[at.line, at.col, 'eglot-warning']]);
    assert.match(out.diagnostics[0].text, /^kubefed \[unknown-cluster\]: Unknown cluster "clustr2".*Did you mean cluster2\?$/);
    assert.match(out.hover, /FederatedDeployment shop\/web → cluster1/);
    assert.match(out.hover, /replicas: 4 {2}# ← overridden/);
    assert.equal(out.fixedLine, '    - name: cluster2');
    assert.deepEqual(out.completion.filter((l) => /^cluster\d$/.test(l)).sort(), ['cluster1', 'cluster2', 'cluster3']);
    // eglot has no code lenses (the server offers them)
    assert.equal(out.lenses, 'offered by the server; eglot shows none');
  });
});
