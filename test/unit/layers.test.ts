/**
 * The layer rules of .dependency-cruiser.cjs hold for the repository, and they do fire: a copy of
 * the config run over a small tree that breaks each rule reports every break.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

function cruise(cwd: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [depcruise, 'server', 'client', 'webview', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('the repository keeps its layers', () => {
  const r = cruise(root);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /no dependency violations/);
});

test('each layer rule fires on a tree that breaks it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfed-layers-'));
  try {
    const file = (p: string, text: string) => {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), text);
    };
    copyFileSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    file('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'nodenext', allowImportingTsExtensions: true, noEmit: true } }));
    file('server/engine/pure.ts', "import * as http from 'node:http';\nimport { readFileSync } from 'node:fs';\nimport { x } from '../lsp/face.ts';\nexport const y = [http, readFileSync, x];\n");
    file('server/lsp/face.ts', "import * as vscode from 'vscode';\nimport { request } from 'node:https';\nexport const x = [vscode, request];\n");
    file('webview/view.ts', "import type { T } from '../server/engine/types.ts';\nimport { y } from '../server/engine/pure.ts';\nexport const z: T = y;\n");
    file('server/engine/types.ts', 'export type T = unknown;\n');
    file('client/a.ts', "import { b } from './b.ts';\nexport const a = b;\n");
    file('client/b.ts', "import { a } from './a.ts';\nexport const b = () => a;\n");
    const r = cruise(dir);
    assert.notEqual(r.status, 0, r.out);
    const count = (rule: string) => r.out.split('\n').filter((l) => l.includes(`error ${rule}:`)).length;
    assert.equal(count('engine-is-pure'), 3, r.out); // http, fs, a face
    assert.equal(count('only-client-imports-vscode'), 1, r.out);
    assert.equal(count('only-server-cluster-talks-to-clusters'), 2, r.out); // engine http, lsp https
    assert.equal(count('webview-imports-only-types-from-server'), 1, r.out); // the value import, not the type one
    assert.ok(count('no-circular') >= 1, r.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
