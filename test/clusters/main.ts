/**
 * `npm run clusters`: starts the default local federation (cluster1 = KubeFed host, cluster2,
 * cluster3) in the foreground, prints `kubeconfig: <path>` once every cluster is ready and stops
 * everything on Ctrl+C or SIGTERM.
 *
 *   npm run clusters
 *   export KUBECONFIG=<the printed path>; kubectl --context cluster2 get ns
 *
 * Options: --clusters N | --clusters a,b,c, --host NAME, --kubeconfig PATH, --no-build.
 */
import { parseArgs } from 'node:util';
import { startFederation } from './launcher.ts';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string' },
    host: { type: 'string' },
    kubeconfig: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
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

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.error(`[clusters] ${signal}: stopping`);
  await fed?.stop();
  console.error('[clusters] stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  fed = await startFederation({
    clusters,
    hostCluster: values.host,
    kubeconfigPath: values.kubeconfig,
    build: !values['no-build'],
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
console.error(`[clusters] Kubernetes ${fed.version}, ${fed.clusters.length} clusters ready in ${seconds}s; Ctrl+C stops them`);
console.log(`kubeconfig: ${fed.kubeconfigPath}`);
// Keep the event loop alive until a signal arrives.
setInterval(() => {}, 1 << 30);
