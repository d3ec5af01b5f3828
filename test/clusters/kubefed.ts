/**
 * KubeFed's own control plane for the local federation: the manifests shipped with the pinned
 * KubeFed module (its CRDs and the FederatedTypeConfigs of every type it enables by default, read
 * from the module's Helm chart in the Go module cache) and the controller-manager built from it by
 * ./build.mjs --kubefed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const buildScript = join(here, 'build.mjs');

export interface KubefedBinary {
  dir: string;
  version: string;
  controllerManager: string;
  moduleDir: string;
  present: boolean;
}

/** Where build.mjs puts (or would put) the controller-manager. */
export function kubefedBinary(): KubefedBinary {
  const r = spawnSync(process.execPath, [buildScript, '--print'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${buildScript} --print failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { kubefed: KubefedBinary }).kubefed;
}

/** Builds the controller-manager unless cached (synchronously; progress on stderr). */
export function ensureKubefedBinary(): KubefedBinary {
  const k = kubefedBinary();
  if (k.present) return k;
  const r = spawnSync(process.execPath, [buildScript, '--kubefed'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`cannot build KubeFed's controller-manager (build.mjs --kubefed exited with ${r.status})`);
  return kubefedBinary();
}

export interface KubefedManifests {
  version: string;
  /** Every CRD of the chart: core.kubefed.io, scheduling.kubefed.io and the federated types. */
  crds: Record<string, any>[];
  /** The FederatedTypeConfigs the chart installs (every type KubeFed enables by default). */
  typeConfigs: Record<string, any>[];
}

/** The pinned module's folder in the Go module cache (downloaded when missing). */
function moduleFolder(k: KubefedBinary): string {
  const r = spawnSync('go', ['mod', 'download', '-json', `sigs.k8s.io/kubefed@${k.version}`], {
    cwd: k.moduleDir,
    encoding: 'utf8',
    env: { ...process.env, GOWORK: 'off', GOFLAGS: '-mod=mod' },
  });
  if (r.error || r.status !== 0) throw new Error(`go mod download sigs.k8s.io/kubefed@${k.version} failed: ${r.error?.message ?? r.stdout + r.stderr}`);
  return (JSON.parse(r.stdout) as { Dir: string }).Dir;
}

function docs(file: string): Record<string, any>[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Record<string, any> | null)
    .filter((d): d is Record<string, any> => !!d && typeof d === 'object' && typeof d.kind === 'string');
}

export function kubefedManifests(k: KubefedBinary = kubefedBinary()): KubefedManifests {
  const dir = moduleFolder(k);
  const chart = join(dir, 'charts', 'kubefed');
  const crds = [...docs(join(chart, 'charts', 'controllermanager', 'crds', 'crds.yaml')), ...docs(join(chart, 'crds', 'crds.yaml'))];
  const typeConfigs = docs(join(chart, 'templates', 'federatedtypeconfig.yaml'));
  if (crds.length < 10 || typeConfigs.length === 0) throw new Error(`unexpected KubeFed chart in ${chart}`);
  return { version: k.version, crds, typeConfigs };
}
