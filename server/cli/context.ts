/** Builds the engine workspace for a command: input files plus clusters from --clusters / --kubeconfig. */
import { readFileSync } from 'node:fs';
import { Workspace } from '../engine/workspace.ts';
import { clustersFromFile, clustersFromKubeconfig } from '../engine/inventory.ts';
import type { Parsed } from './args.ts';
import { flag } from './args.ts';
import { readInputs, InputError, type InputFile } from './files.ts';

export interface Context {
  ws: Workspace;
  inputs: InputFile[];
  warnings: string[];
}

export function buildContext(p: Parsed): Context {
  const inputs = readInputs(p.positionals);
  const ws = new Workspace();
  const warnings: string[] = [];
  for (const f of inputs) ws.setFile(f.path, f.text);
  const clustersFile = flag(p, 'clusters');
  if (clustersFile) {
    const { clusters, errors } = clustersFromFile(readText(clustersFile), clustersFile);
    warnings.push(...errors);
    if (clusters.length === 0) warnings.push(`${clustersFile}: no KubeFedCluster objects found`);
    ws.setClusterSource('clusters-file', clusters);
  }
  const kubeconfig = flag(p, 'kubeconfig');
  if (kubeconfig) {
    const { clusters } = clustersFromKubeconfig(readText(kubeconfig));
    if (clusters.length === 0) warnings.push(`${kubeconfig}: no contexts found`);
    ws.setClusterSource('kubeconfig', clusters);
  }
  return { ws, inputs, warnings };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}
