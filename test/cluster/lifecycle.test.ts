/**
 * Every way the local federation (`npm run clusters`, test/clusters/main.ts) can stop leaves
 * nothing behind: no etcd, kube-apiserver or watchdog whose command line names the run's folder,
 * and no folder. Each case starts its own one-cluster federation with the real binaries; the
 * cases run side by side to keep the suite short.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { startTimeoutMs } from '../clusters/fixtures.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const startMs = startTimeoutMs();

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm run clusters` without npm, in its own process group (as npm's would be), one cluster. */
function startClusters(extra: string[] = []): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/clusters/main.ts', '--clusters', '1', '--no-build', ...extra], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exit: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (run.stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (run.stderr += s));
  return run;
}

async function until<T>(what: string, run: Run, probe: () => T | undefined, timeoutMs = startMs): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void run.exit.then(() => (exited = true));
  while (Date.now() < deadline) {
    const v = probe();
    if (v !== undefined) return v;
    if (exited) break;
    await sleep(50);
  }
  throw new Error(`${what}: not seen\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
}

/** The run's folder, from its `[clusters] folder <path>` line. */
const folderOf = (run: Run) => until('the folder line', run, () => /\[clusters\] folder (\S+)/.exec(run.stderr)?.[1]);
const ready = (run: Run) => until('kubeconfig: (ready)', run, () => (/^kubeconfig: /m.test(run.stdout) ? true : undefined));

/** pid and command line of every process whose command line contains `text` (Linux /proc). */
function processesNaming(text: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(text)) out.push(`${entry} ${cmd.slice(0, 160)}`);
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** Waits until the process has exited and, within 5 s, nothing of the run remains. */
async function assertNothingLeft(run: Run, folder: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const timeout = new Promise<undefined>((res) => {
    const timer = setTimeout(res, 10_000);
    void run.exit.then(() => clearTimeout(timer));
  });
  const exited = await Promise.race([run.exit, timeout]);
  assert.ok(exited, `the process did not exit within 10 s\n${run.stderr}`);
  const deadline = Date.now() + 5000;
  let left = processesNaming(folder);
  while ((left.length > 0 || existsSync(folder)) && Date.now() < deadline) {
    await sleep(50);
    left = processesNaming(folder);
  }
  assert.deepEqual(left, [], `processes of ${folder} left running`);
  assert.equal(existsSync(folder), false, `${folder} was not removed`);
  return exited;
}

/** The run's kube-apiserver, as soon as it has been started (it is not ready yet). */
const apiserverOf = (run: Run, folder: string) =>
  until('a kube-apiserver of the run', run, () => {
    const line = processesNaming(folder).find((p) => p.includes('kube-apiserver'));
    return line ? Number(line.split(' ')[0]) : undefined;
  });

interface Case {
  name: string;
  /** More options of `npm run clusters`. */
  args?: string[];
  /** Stops the run its way once it is far enough (the name says whether before ready); returns the expected exit. */
  stop(run: Run, folder: string): Promise<{ code?: number; signal?: NodeJS.Signals; or?: { signal: NodeJS.Signals } }>;
}

const cases: Case[] = [
  {
    name: 'SIGTERM to the process group once ready, with KubeFed\'s controller-manager (--kubefed): it is gone too',
    args: ['--kubefed'],
    async stop(run, folder) {
      await ready(run);
      assert.ok(processesNaming(folder).some((p) => p.includes('controller-manager')), 'the controller-manager was running');
      process.kill(-run.child.pid!, 'SIGTERM');
      return { code: 143 };
    },
  },
  {
    name: 'Ctrl+C (SIGINT) once ready: exit code 130',
    async stop(run) {
      await ready(run);
      run.child.kill('SIGINT');
      return { code: 130 };
    },
  },
  {
    name: 'SIGTERM to the process group once ready: exit code 143',
    async stop(run) {
      await ready(run);
      process.kill(-run.child.pid!, 'SIGTERM');
      return { code: 143 };
    },
  },
  {
    name: 'SIGHUP (terminal closed) once ready: exit code 129',
    async stop(run) {
      await ready(run);
      run.child.kill('SIGHUP');
      return { code: 129 };
    },
  },
  {
    name: 'SIGTERM then SIGKILL 50 ms later, as a supervisor escalates',
    async stop(run) {
      await ready(run);
      process.kill(-run.child.pid!, 'SIGTERM');
      await sleep(50);
      try {
        process.kill(-run.child.pid!, 'SIGKILL');
      } catch {
        /* it had already exited */
      }
      return { code: 143, or: { signal: 'SIGKILL' } };
    },
  },
  {
    name: 'SIGKILL once ready (the process dies running no handler): the watchdog cleans up',
    async stop(run) {
      await ready(run);
      run.child.kill('SIGKILL');
      return { signal: 'SIGKILL' };
    },
  },
  {
    name: 'SIGTERM during start-up (etcd ready, the API server starting)',
    async stop(run, folder) {
      await apiserverOf(run, folder);
      run.child.kill('SIGTERM');
      return { code: 143 };
    },
  },
  {
    name: 'an error during start-up (the API server dies before it is ready): exit code 1',
    async stop(run, folder) {
      process.kill(await apiserverOf(run, folder), 'SIGKILL');
      return { code: 1 };
    },
  },
];

describe('stopping the local federation leaves nothing behind', { concurrency: true }, () => {
  for (const c of cases) {
    it(c.name, { timeout: startMs + 30_000 }, async (t) => {
      const run = startClusters(c.args);
      let folder: string | undefined;
      try {
        folder = await folderOf(run);
        const want = await c.stop(run, folder);
        const t0 = Date.now();
        const got = await assertNothingLeft(run, folder);
        t.diagnostic(`exit ${got.code ?? got.signal}; nothing left ${Date.now() - t0} ms after the stop`);
        const matches = (w: { code?: number; signal?: NodeJS.Signals }) =>
          w.code !== undefined ? got.code === w.code : got.signal === w.signal;
        assert.ok(matches(want) || (want.or !== undefined && matches(want.or)), `exit ${JSON.stringify(got)}, wanted ${JSON.stringify(want)}\n${run.stderr}`);
        if (c.name.includes('during start-up')) {
          assert.doesNotMatch(run.stdout, /^kubeconfig: /m, 'the case meant to stop it before it was ready');
        }
        if (want.code === 1) {
          assert.match(run.stderr, /\[clusters\] failed: kube-apiserver cluster1 failed: kube-apiserver cluster1 killed by SIGKILL/);
        }
      } finally {
        // A failed case must not leave its federation running either.
        for (const pid of [-run.child.pid!, ...(folder ? processesNaming(folder).map((p) => Number(p.split(' ')[0])) : [])]) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* exited */
          }
        }
        if (folder) rmSync(folder, { recursive: true, force: true });
      }
    });
  }
});
