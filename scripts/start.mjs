// `npm start`: the whole product on its embedded default.
//   1. builds the bundles (dist/),
//   2. installs code-server (VS Code in the browser) into a cache folder outside the repo, once,
//   3. starts the local federation (three real kube-apiservers, test/clusters/launcher.ts) when
//      its binaries exist or can be built (`go` needed) — otherwise says why and goes on,
//   4. opens a copy of samples/workspace (the repo is never modified) in code-server with this
//      extension, `kubefed.kubeconfig` pointing at the federation,
//   5. prints the URL and stops everything on Ctrl+C.
//
//   npm start [-- --port 8080] [-- --no-clusters] [-- --kubefed]
//   --kubefed: the host also runs KubeFed v0.10.0's own controller-manager (built from Go modules once)
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'no-clusters': { type: 'boolean', default: false },
    kubefed: { type: 'boolean', default: false },
  },
});

const say = (line) => console.log(`[start] ${line}`);

// 1. Build.
say('building dist/ …');
const build = spawnSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('npm start: the build failed');
  process.exit(build.status ?? 1);
}

// 2. code-server (cached).
const { ensureCodeServer } = await import('../test/e2e/setup.mjs');
let cs;
try {
  cs = ensureCodeServer();
} catch (err) {
  console.error(`npm start: cannot install code-server: ${err.message}`);
  process.exit(1);
}
say(`code-server ${cs.version} (${cs.dir})`);

// TypeScript modules of the repo (the cluster launcher, the code-server runner).
register();

// 3. The local federation.
let fed;
const settings = {};
if (values['no-clusters']) {
  say('local clusters: not started (--no-clusters)');
} else {
  const { startFederation, binaryPaths } = await import('../test/clusters/launcher.ts');
  try {
    const bins = binaryPaths();
    if (!bins.present) say(`local clusters: building kube-apiserver and etcd into ${bins.dir} (first time only, several minutes; needs go)`);
    say('local clusters: starting cluster1 (KubeFed host), cluster2, cluster3 …');
    const t0 = Date.now();
    fed = await startFederation({ kubefedController: values.kubefed, log: (l) => process.env.KFED_CLUSTERS_LOG && say(`  ${l}`) });
    if (fed.controller) say(`local clusters: KubeFed controller-manager ${fed.controller.version} on the host (log ${fed.controller.log})`);
    say(`local clusters: ${fed.clusters.map((c) => `${c.name} ${c.server}`).join(', ')} (Kubernetes ${fed.version}) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    settings['kubefed.kubeconfig'] = fed.kubeconfigPath;
  } catch (err) {
    say(`local clusters: not started — ${err.message.split('\n')[0]}`);
    say('  the editor works without them (validation, previews, placement); Propagate and Compare need clusters');
  }
}

// 4. code-server on the sample workspace.
const { startCodeServer } = await import('../test/e2e/codeServer.ts');
let server;
try {
  server = await startCodeServer({
    name: 'start',
    workspace: 'samples/workspace',
    settings,
    port: values.port ? Number(values.port) : (await portFree(8080)) ? 8080 : undefined,
  });
} catch (err) {
  console.error(`npm start: code-server did not start: ${err.message}`);
  await fed?.stop();
  process.exit(1);
}

let stopping = false;

function portFree(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping …`);
  // The launcher's own signal handlers have already killed the clusters' processes and removed
  // their folder; fed.stop() only confirms it.
  await server?.stop();
  await fed?.stop();
  say('stopped');
  process.exit(128 + constants.signals[signal]);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGHUP', () => void stop('SIGHUP'));

const url = server.url;
console.log('');
say(`workspace: ${server.workspace} (a copy of samples/workspace)`);
if (fed) say(`kubeconfig: ${fed.kubeconfigPath} (contexts ${fed.contexts.join(', ')})`);
console.log('');
console.log(`  Open ${url}`);
console.log('');
say('Try: open v1beta1/web.yaml, hover a cluster name, click a code lens, run "KubeFed: Propagate Workspace" and "KubeFed: Compare Across Clusters" from the command palette (F1).');
say('Ctrl+C stops code-server and the clusters.');
// Keep running until a signal arrives.
setInterval(() => {}, 1 << 30);
