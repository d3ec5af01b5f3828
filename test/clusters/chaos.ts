/**
 * Making a member cluster of the local federation (./launcher.ts) misbehave in a test: stop its
 * kube-apiserver for good, or pause and resume it (a hung server: connections open, no answers).
 *
 *   import { killCluster, pauseCluster, resumeCluster } from '../clusters/chaos.ts';
 *   killCluster(fx.fed, 'cluster3');       // connections are refused from now on
 *
 * The apiserver of a cluster is found by its own command line (`--secure-port=<port>` and
 * `--etcd-prefix=/<name>`), so only the process this federation started is ever signalled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Federation } from './launcher.ts';

/** The pid of the kube-apiserver serving `cluster` (Linux /proc). */
export function apiserverPid(fed: Federation, cluster: string): number {
  const c = fed.clusters.find((x) => x.name === cluster);
  if (!c) throw new Error(`no cluster "${cluster}" in this federation`);
  const want = [`--secure-port=${c.port}`, `--etcd-prefix=/${cluster}`];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile
    }
    if (want.every((w) => args.includes(w))) return Number(entry);
  }
  throw new Error(`the kube-apiserver of ${cluster} (port ${c.port}) is not running`);
}

/** Kills the cluster's apiserver (SIGKILL) and waits until its port refuses connections. */
export async function killCluster(fed: Federation, cluster: string): Promise<void> {
  const pid = apiserverPid(fed, cluster);
  process.kill(pid, 'SIGKILL');
  const port = fed.clusters.find((x) => x.name === cluster)!.port;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (!(await accepts(port))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${cluster} still accepts connections after SIGKILL`);
}

/** Freezes the cluster's apiserver (SIGSTOP): the kernel still accepts connections, nothing answers. */
export function pauseCluster(fed: Federation, cluster: string): number {
  const pid = apiserverPid(fed, cluster);
  process.kill(pid, 'SIGSTOP');
  return pid;
}

/** Undoes pauseCluster (SIGCONT). */
export function resumeCluster(pid: number): void {
  process.kill(pid, 'SIGCONT');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
