/**
 * Runs an editor's probe script (test/editors/<editor>/probe.*) in a fresh copy of the fixture
 * workspace (test/editors/fixture, with a `.git` folder as its root marker) and returns the JSON
 * the probe wrote to $KUBEFED_OUT; any failure says what the editor printed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SERVER } from '../protocol/harness.ts';

export const FIXTURE = join(ROOT, 'test', 'editors', 'fixture');
export const EDITORS = join(ROOT, 'test', 'editors');
const web = readFileSync(join(FIXTURE, 'web.yaml'), 'utf8').split('\n');

/** 0-based line of the fixture's web.yaml holding `needle`, and the column of `at` in it. */
export function webLine(needle: string, at = needle): { line: number; col: number } {
  const line = web.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return { line, col: web[line].indexOf(at) };
}

export function runProbe<T extends { error?: string; steps?: string[] }>(cmd: string, args: string[], env: Record<string, string> = {}): T {
  const tmp = mkdtempSync(join(tmpdir(), 'kfed-editor-'));
  try {
    const ws = join(tmp, 'ws');
    cpSync(FIXTURE, ws, { recursive: true });
    mkdirSync(join(ws, '.git'));
    const outFile = join(tmp, 'out.json');
    const r = spawnSync(cmd, args, {
      cwd: tmp,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        KUBEFED_NODE: process.execPath,
        KUBEFED_SERVER: SERVER,
        KUBEFED_FILE: join(ws, 'web.yaml'),
        KUBEFED_OUT: outFile,
        XDG_STATE_HOME: join(tmp, 'state'), // editors' logs stay in the temporary folder
        ...env,
      },
    });
    const detail = `${cmd} exit ${r.status}${r.error ? ` (${r.error.message})` : ''}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
    assert.ok(existsSync(outFile), `the probe wrote no result\n${detail}`);
    const out = JSON.parse(readFileSync(outFile, 'utf8')) as T;
    assert.equal(out.error, undefined, `the probe failed${out.steps ? ` after ${JSON.stringify(out.steps)}` : ''}: ${out.error}\n${JSON.stringify(out).slice(0, 8000)}\n${detail}`);
    assert.equal(r.status, 0, detail);
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
