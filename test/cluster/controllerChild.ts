/**
 * `kfed controller` as a child process of a test, against a local federation: start it, poll
 * for what it should bring about, stop it (SIGTERM, bounded).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Federation } from '../clusters/launcher.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface Child {
  proc: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

export function startController(fed: Federation, extra: string[] = []): Child {
  const args = ['--import', 'tsx', join(ROOT, 'server', 'cli', 'main.ts'), 'controller', '--kubeconfig', fed.kubeconfigPath, '--context', fed.hostCluster, ...extra];
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout!.on('data', (d) => (log += d));
  proc.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return { proc, log: () => log, exited };
}

/** Polls `fn` until it returns a value other than undefined; fails with `what` and the last error after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000, child?: Child): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}${child ? `\ncontroller log:\n${child.log()}` : ''}`);
}

/** SIGTERM, then the exit code; fails (after SIGKILL) when it does not stop within 15 s. */
export async function stopChild(c: Child): Promise<number | null> {
  if (c.proc.exitCode === null) c.proc.kill('SIGTERM');
  const code = await Promise.race([c.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
  if (code === 'hung') {
    c.proc.kill('SIGKILL');
    assert.fail(`the controller did not stop within 15 s of SIGTERM\n${c.log()}`);
  }
  return code;
}
