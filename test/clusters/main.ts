/**
 * `npm run clusters`: starts the default local federation (cluster1 = KubeFed host, cluster2,
 * cluster3) in the foreground, prints `kubeconfig: <path>` once every cluster is ready and stops
 * everything on Ctrl+C, SIGTERM or SIGHUP (exit code 128+n, as if killed by the signal), on a
 * start-up error (exit code 1) and, through the launcher's watchdog, when this process is killed.
 *
 *   npm run clusters
 *   export KUBECONFIG=<the printed path>; kubectl --context cluster2 get ns
 *
 * Options: --clusters N | --clusters a,b,c, --host NAME, --kubeconfig PATH, --no-build,
 * --kubefed (run KubeFed's own controller-manager v0.10.0 on the host; built from Go modules when missing).
 */
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { startFederation } from './launcher.ts';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string' },
    host: { type: 'string' },
    kubeconfig: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    kubefed: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

const clusters = values.clusters
  ? /^\d+$/.test(values.clusters)
    ? Number(values.clusters)
    : values.clusters.split(',').map((s) => s.trim()).filter(Boolean)
  : undefined;

const log = values.quiet ? undefined : (line: string) => console.error(`[clusters] ${line}`);
const t0 = Date.now();
let fed: Awaited<ReturnType<typeof startFederation>> | undefined;
let stopping = false;

// The launcher's own handlers have already killed everything when these run (also during
// start-up, before `fed` exists); stop() then only confirms it.
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.error(`[clusters] ${signal}: stopping`);
  await fed?.stop();
  console.error('[clusters] stopped');
  process.exit(128 + constants.signals[signal]);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));

try {
  fed = await startFederation({
    clusters,
    hostCluster: values.host,
    kubeconfigPath: values.kubeconfig,
    build: !values['no-build'],
    kubefedController: values.kubefed,
    log,
  });
} catch (err) {
  console.error(`[clusters] failed: ${(err as Error).message}`);
  process.exit(1);
}

const seconds = ((Date.now() - t0) / 1000).toFixed(1);
for (const c of fed.clusters) {
  const labels = Object.entries(c.labels).map(([k, v]) => `${k}=${v}`).join(',');
  console.error(`[clusters] ${c.context.padEnd(10)} ${c.server}${c.host ? '  (KubeFed host)' : ''}${labels ? `  ${labels}` : ''}`);
}
if (fed.controller) console.error(`[clusters] KubeFed controller-manager ${fed.controller.version} (log: ${fed.controller.log})`);
console.error(`[clusters] Kubernetes ${fed.version}, ${fed.clusters.length} clusters ready in ${seconds}s; Ctrl+C stops them`);
console.log(`kubeconfig: ${fed.kubeconfigPath}`);
// Keep the event loop alive until a signal arrives.
setInterval(() => {}, 1 << 30);
