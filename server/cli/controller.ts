/**
 * `kfed controller`: runs the push reconciler against a KubeFed host until SIGINT/SIGTERM (then
 * it stops its work and releases its Lease) or until it loses the Lease.
 */
import type { Parsed } from './args.ts';
import { flag, UsageError } from './args.ts';
import type { CliIO } from './propagate.ts';
import { timeoutMs } from './propagate.ts';
import { loadKubeconfig, KubeconfigError, type Kubeconfig } from '../cluster/kubeconfig.ts';
import { KUBEFED_SYSTEM_NAMESPACE } from '../cluster/clusters.ts';
import { parseAddr } from '../cluster/healthz.ts';
import { runController, CONTROLLER_LEASE_NAME } from '../cluster/controllerRun.ts';
import { DEFAULT_TIMINGS, timingsProblem, type ElectionTimings } from '../engine/leaderElection.ts';

/** `15s`, `500ms`, `2m` → milliseconds (undefined when the flag is absent). */
function durationFlag(p: Parsed, name: string): number | undefined {
  const v = flag(p, name);
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(v.trim());
  if (!m) throw new UsageError(`--${name} must look like 15s, 500ms or 10m (got "${v}")`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

function timingsOf(p: Parsed): ElectionTimings {
  const t: ElectionTimings = {
    leaseDurationMs: durationFlag(p, 'leader-elect-lease-duration') ?? DEFAULT_TIMINGS.leaseDurationMs,
    renewDeadlineMs: durationFlag(p, 'leader-elect-renew-deadline') ?? DEFAULT_TIMINGS.renewDeadlineMs,
    retryPeriodMs: durationFlag(p, 'leader-elect-retry-period') ?? DEFAULT_TIMINGS.retryPeriodMs,
  };
  const problem = timingsProblem(t);
  if (problem) throw new UsageError(`leader election: ${problem}`);
  return t;
}

function openKubeconfig(p: Parsed, context: string): Kubeconfig {
  try {
    const kc = loadKubeconfig({ path: flag(p, 'kubeconfig') });
    if (!kc.hasContext(context)) throw new KubeconfigError(`--context ${context} is not a context of ${kc.origin}`);
    return kc;
  } catch (e) {
    if (e instanceof KubeconfigError) throw new UsageError(e.message);
    throw e;
  }
}

export async function controllerCommand(p: Parsed, io: CliIO): Promise<{ out: string; err: string; exit: number }> {
  const context = flag(p, 'context');
  if (!context) throw new UsageError('--context CONTEXT is required: the kubeconfig context of the KubeFed host cluster');
  if (p.positionals.length) throw new UsageError(`unexpected argument: ${p.positionals[0]}`);
  const healthzAddr = flag(p, 'healthz-addr');
  if (healthzAddr) {
    try {
      parseAddr(healthzAddr);
    } catch (e) {
      throw new UsageError(`--healthz-addr: ${(e as Error).message}`);
    }
  }
  const timings = timingsOf(p);
  const resyncMs = durationFlag(p, 'resync-period');
  const kubeconfig = openKubeconfig(p, context);
  const log = (line: string) => (io.stderr ?? ((s: string) => process.stderr.write(s)))(`${new Date().toISOString()} ${line}\n`);
  const stop = new AbortController();
  const onTerm = () => {
    log('SIGTERM: stopping');
    stop.abort();
  };
  const onAbort = () => stop.abort();
  process.on('SIGTERM', onTerm);
  io.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const r = await runController({
      kubeconfig,
      hostContext: context,
      kubefedNamespace: flag(p, 'kubefed-namespace') ?? KUBEFED_SYSTEM_NAMESPACE,
      healthzAddr,
      leaseName: flag(p, 'lease-name') ?? CONTROLLER_LEASE_NAME,
      timings,
      resyncMs,
      timeoutMs: timeoutMs(p),
      signal: stop.signal,
      log,
    });
    return { out: '', err: `kfed controller: ${r.reason}\n`, exit: r.code };
  } finally {
    process.off('SIGTERM', onTerm);
    io.signal?.removeEventListener('abort', onAbort);
  }
}
