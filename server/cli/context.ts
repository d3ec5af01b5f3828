/** Builds the engine workspace for a command: input files plus clusters from --clusters / --kubeconfig. */
import { Workspace } from '../engine/workspace.ts';
import { clustersFromFile, clustersFromKubeconfig } from '../engine/inventory.ts';
import type { Parsed } from './args.ts';
import { flag } from './args.ts';
import { readInputs, InputError, type InputFile } from './files.ts';
import { readYamlFileSync } from '../files/yamlFiles.ts';

export interface Context {
  ws: Workspace;
  inputs: InputFile[];
  warnings: string[];
}

/**
 * The inputs (positionals; none when `inputsOptional` and none given) in a new engine Workspace,
 * with the clusters of `--clusters FILE`: how every command starts.
 */
export function inputWorkspace(p: Parsed, opt: { inputsOptional?: boolean } = {}): Context {
  const inputs = p.positionals.length || !opt.inputsOptional ? readInputs(p.positionals) : [];
  const ws = new Workspace();
  const warnings: string[] = [];
  for (const f of inputs) ws.setFile(f.path, f.text, { notUtf8At: f.notUtf8At });
  const clustersFile = flag(p, 'clusters');
  if (clustersFile) addClustersFile(ws, clustersFile, warnings);
  return { ws, inputs, warnings };
}

export function buildContext(p: Parsed): Context {
  const { ws, inputs, warnings } = inputWorkspace(p);
  const kubeconfig = flag(p, 'kubeconfig');
  if (kubeconfig) {
    const { clusters } = clustersFromKubeconfig(readText(kubeconfig));
    if (clusters.length === 0) warnings.push(`${kubeconfig}: no contexts found`);
    ws.setClusterSource('kubeconfig', clusters);
  }
  return { ws, inputs, warnings };
}

/** `--clusters FILE`: its KubeFedCluster objects become the `clusters-file` source of `ws` (every command). */
export function addClustersFile(ws: Workspace, path: string, warnings: string[]): void {
  const { clusters, errors } = clustersFromFile(readText(path), path);
  warnings.push(...errors);
  if (clusters.length === 0) warnings.push(`${path}: no KubeFedCluster objects found`);
  ws.setClusterSource('clusters-file', clusters);
}

/** A file named by a flag, by the loader's rules (size limit, messages). */
function readText(path: string): string {
  const r = readYamlFileSync(path);
  if ('error' in r) throw new InputError(r.error);
  return r.text;
}
