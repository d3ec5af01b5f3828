/**
 * Propagation speed: 100 federated resources to 3 real clusters (test/clusters/launcher.ts) with
 * `propagate`, against sequential `kubectl apply -f` of the same rendered objects to the same
 * clusters in the same run; then the compare-all (`diff`) time for the same set.
 *
 *   node --import tsx bench/propagate.ts
 *
 * Each contender writes into namespaces of its own (same objects, other namespace names), so
 * every run creates everything from scratch. Two kubectl baselines: one `kubectl apply -f` per
 * object (how a script pushes rendered files one by one) and one `kubectl apply -f DIR` per
 * cluster (kubectl's best case: a single process per cluster).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { build } from 'esbuild';
import { startFederation, type Federation } from '../test/clusters/launcher.ts';
import { Workspace } from '../server/engine/workspace.ts';
import { openRunClusters } from '../server/cluster/clusters.ts';
import { propagate } from '../server/cluster/propagate.ts';
import { diffClusters } from '../server/cluster/diff.ts';
import { applyBody } from '../server/cluster/desired.ts';

export interface PropagateBench {
  federatedResources: number;
  clusters: number;
  /** Objects written (sum over clusters). */
  objects: number;
  kubectlPerObjectMs: number;
  kubectlPerClusterMs: number;
  propagateMs: number;
  propagateCliMs: number;
  noopMs: number;
  diffMs: number;
  speedupVsPerObject: number;
  speedupVsPerCluster: number;
}

type Obj = Record<string, any>;

/** 1 FederatedNamespace + 99 federated resources (deployments, config maps, services), all placed everywhere. */
export function benchResources(ns: string, count = 100): Obj[] {
  const out: Obj[] = [{ apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: ns, namespace: ns }, spec: { placement: { clusterSelector: {} } } }];
  for (let i = 1; out.length < count; i++) {
    const kind = i % 3;
    const name = `app-${i}`;
    const placement = { clusterSelector: {} };
    if (kind === 0) {
      out.push({
        apiVersion: 'types.kubefed.io/v1beta1',
        kind: 'FederatedDeployment',
        metadata: { name, namespace: ns },
        spec: {
          template: {
            metadata: { labels: { app: name } },
            spec: {
              replicas: 2,
              selector: { matchLabels: { app: name } },
              template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
            },
          },
          placement,
          overrides: [{ clusterName: 'cluster2', clusterOverrides: [{ path: '/spec/replicas', value: 4 }] }],
        },
      });
    } else if (kind === 1) {
      out.push({
        apiVersion: 'types.kubefed.io/v1beta1',
        kind: 'FederatedConfigMap',
        metadata: { name, namespace: ns },
        spec: { template: { data: { index: String(i), text: 'x'.repeat(200) } }, placement },
      });
    } else {
      out.push({
        apiVersion: 'types.kubefed.io/v1beta1',
        kind: 'FederatedService',
        metadata: { name, namespace: ns },
        spec: { template: { spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } }, placement },
      });
    }
  }
  return out;
}

function workspaceOf(ns: string): { ws: Workspace; text: string } {
  const text = benchResources(ns).map((o) => '---\n' + stringify(o)).join('');
  const ws = new Workspace();
  ws.setFile('bench.yaml', text);
  return { ws, text };
}

/** The objects each cluster receives (as kubectl would be given them), namespaces first. */
function rendered(fed: Federation, ns: string): Map<string, Obj[]> {
  const { ws } = workspaceOf(ns);
  ws.setClusterSource('kubeconfig', fed.clusters.map((c) => ({ name: c.name, labels: c.labels, source: 'kubeconfig' as const })));
  const out = new Map<string, Obj[]>(fed.clusters.map((c) => [c.name, []]));
  const resources = [...ws.resources()].sort((a, b) => Number(b.targetKind === 'Namespace') - Number(a.targetKind === 'Namespace'));
  for (const res of resources) {
    for (const c of res.placement.selected) {
      const r = ws.render(res, c);
      if (!r.ok || !r.object) throw new Error(`cannot render ${res.id} for ${c}: ${r.message}`);
      out.get(c)!.push(applyBody(res, r.object));
    }
  }
  return out;
}

function kubectl(fed: Federation, context: string, file: string): void {
  const r = spawnSync('kubectl', ['--kubeconfig', fed.kubeconfigPath, '--context', context, 'apply', '-f', file], { encoding: 'utf8' });
  if (r.error) throw new Error(`kubectl: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`kubectl apply -f ${file} (${context}) failed: ${r.stderr}`);
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

export async function runPropagateBench(options: { log?: (line: string) => void; fed?: Federation } = {}): Promise<PropagateBench> {
  const log = options.log ?? ((l: string) => console.log(l));
  const fed = options.fed ?? (await startFederation());
  const tmp = mkdtempSync(join(tmpdir(), 'kfed-bench-'));
  try {
    const tag = Date.now().toString(36);
    const clusters = fed.clusters.map((c) => c.name);

    // 1. kubectl apply -f, one process per object, clusters one after the other.
    const nsA = `bench-each-${tag}`;
    const objsA = rendered(fed, nsA);
    let files = 0;
    for (const [c, list] of objsA) {
      mkdirSync(join(tmp, 'each', c), { recursive: true });
      list.forEach((o, i) => writeFileSync(join(tmp, 'each', c, `${String(i).padStart(3, '0')}.yaml`), stringify(o)));
      files += list.length;
    }
    let t0 = process.hrtime.bigint();
    for (const [c, list] of objsA) for (let i = 0; i < list.length; i++) kubectl(fed, c, join(tmp, 'each', c, `${String(i).padStart(3, '0')}.yaml`));
    const kubectlPerObjectMs = ms(t0);
    log(`kubectl apply -f, one object per process: ${files} objects in ${(kubectlPerObjectMs / 1000).toFixed(2)} s`);

    // 2. kubectl apply -f, one multi-document file per cluster (namespace first in it).
    const nsB = `bench-dir-${tag}`;
    const objsB = rendered(fed, nsB);
    for (const [c, list] of objsB) writeFileSync(join(tmp, `${c}.yaml`), list.map((o) => '---\n' + stringify(o)).join(''));
    t0 = process.hrtime.bigint();
    for (const c of objsB.keys()) kubectl(fed, c, join(tmp, `${c}.yaml`));
    const kubectlPerClusterMs = ms(t0);
    log(`kubectl apply -f, one file per cluster: ${files} objects in ${(kubectlPerClusterMs / 1000).toFixed(2)} s`);

    // 3. propagate, in process (what the editor does).
    const nsC = `bench-kfed-${tag}`;
    const c = workspaceOf(nsC);
    const run = await openRunClusters(c.ws, { kubeconfig: { path: fed.kubeconfigPath }, hostContext: fed.hostCluster });
    t0 = process.hrtime.bigint();
    const report = await propagate({ workspace: c.ws, connections: run.connections, hostCluster: run.hostCluster });
    const propagateMs = ms(t0);
    if (report.failed || report.summary.created !== files) throw new Error(`propagate failed: ${JSON.stringify(report.summary)}`);
    log(`propagate: ${report.summary.created} objects created in ${(propagateMs / 1000).toFixed(2)} s`);
    t0 = process.hrtime.bigint();
    const noop = await propagate({ workspace: c.ws, connections: run.connections, hostCluster: run.hostCluster });
    const noopMs = ms(t0);
    if (noop.summary.unchanged !== files) throw new Error(`second propagate changed something: ${JSON.stringify(noop.summary)}`);
    log(`propagate again (no-op): ${noop.summary.unchanged} unchanged in ${(noopMs / 1000).toFixed(2)} s`);
    t0 = process.hrtime.bigint();
    const diff = await diffClusters({ workspace: c.ws, connections: run.connections });
    const diffMs = ms(t0);
    if (diff.differs || diff.summary['in-sync'] !== files) throw new Error(`diff found differences: ${JSON.stringify(diff.summary)}`);
    log(`compare-all (diff): ${diff.entries.length} objects in sync in ${(diffMs / 1000).toFixed(2)} s`);
    run.connections.close();

    // 4. The kfed command, process start included.
    const nsD = `bench-cli-${tag}`;
    writeFileSync(join(tmp, 'cli.yaml'), workspaceOf(nsD).text);
    const root = resolve(import.meta.dirname, '..');
    // Bundled like dist/cli.js, so the time is the command's, not a TypeScript loader's.
    const bundle = join(tmp, 'cli.cjs');
    await build({
      entryPoints: [join(root, 'server', 'cli', 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: bundle,
      mainFields: ['module', 'main'],
      logLevel: 'error',
      define: { 'import.meta.url': '__importMetaUrl' },
      banner: { js: 'var __importMetaUrl=require("url").pathToFileURL(__filename).href;' },
    });
    t0 = process.hrtime.bigint();
    const cli = spawnSync(process.execPath, [bundle, 'propagate', join(tmp, 'cli.yaml'), '--kubeconfig', fed.kubeconfigPath, '--host-context', fed.hostCluster], {
      encoding: 'utf8',
      cwd: root,
    });
    const propagateCliMs = ms(t0);
    if (cli.status !== 0) throw new Error(`kfed propagate failed: ${cli.stderr}`);
    log(`kfed propagate (CLI, process start included): ${(propagateCliMs / 1000).toFixed(2)} s`);

    const result: PropagateBench = {
      federatedResources: benchResources(nsC).length,
      clusters: clusters.length,
      objects: files,
      kubectlPerObjectMs: Math.round(kubectlPerObjectMs),
      kubectlPerClusterMs: Math.round(kubectlPerClusterMs),
      propagateMs: Math.round(propagateMs),
      propagateCliMs: Math.round(propagateCliMs),
      noopMs: Math.round(noopMs),
      diffMs: Math.round(diffMs),
      speedupVsPerObject: Number((kubectlPerObjectMs / propagateMs).toFixed(1)),
      speedupVsPerCluster: Number((kubectlPerClusterMs / propagateMs).toFixed(1)),
    };
    log(
      `propagate is ${result.speedupVsPerObject}x faster than kubectl apply per object and ${result.speedupVsPerCluster}x faster than kubectl apply per cluster (target >= 3x)`,
    );
    return result;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    if (!options.fed) await fed.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await runPropagateBench();
  console.log(JSON.stringify(r, null, 2));
}
