/** The KubeFed host of `kfed apply` and `kfed status`: its client, its clusters, the inputs' workspace. */
import { Workspace } from '../engine/workspace.ts';
import { inputWorkspace } from './context.ts';
import type { Parsed } from './args.ts';
import { flag, UsageError } from './args.ts';
import { InputError, type InputFile } from './files.ts';
import { timeoutMs } from './propagate.ts';
import { loadKubeconfig, KubeconfigError, type Kubeconfig } from '../cluster/kubeconfig.ts';
import { ApiError, ClusterClient } from '../cluster/client.ts';
import { clustersFromHost, KUBEFED_SYSTEM_NAMESPACE } from '../cluster/clusters.ts';

export interface HostRun {
  ws: Workspace;
  inputs: InputFile[];
  client: ClusterClient;
  kubeconfig: Kubeconfig;
  hostContext: string;
  kubefedNamespace: string;
  warnings: string[];
}

/** Opens the host named by `--host-context` and reads the inputs (optional when `inputsOptional`). */
export async function openHost(p: Parsed, opt: { inputsOptional?: boolean; signal?: AbortSignal } = {}): Promise<HostRun> {
  const hostContext = flag(p, 'host-context');
  if (!hostContext) throw new UsageError('--host-context CONTEXT is required: the kubeconfig context of the KubeFed host cluster');
  const { ws, inputs, warnings } = inputWorkspace(p, { inputsOptional: opt.inputsOptional });
  let kubeconfig: Kubeconfig;
  try {
    kubeconfig = loadKubeconfig({ path: flag(p, 'kubeconfig') });
    if (!kubeconfig.hasContext(hostContext)) throw new KubeconfigError(`--host-context ${hostContext} is not a context of ${kubeconfig.origin}`);
  } catch (e) {
    if (e instanceof KubeconfigError) throw new UsageError(e.message);
    throw e;
  }
  const kubefedNamespace = flag(p, 'kubefed-namespace') ?? KUBEFED_SYSTEM_NAMESPACE;
  const options = { timeoutMs: timeoutMs(p) };
  try {
    ws.setClusterSource('host', await clustersFromHost(kubeconfig, hostContext, { ...options, signal: opt.signal }));
  } catch (e) {
    if (e instanceof ApiError) throw new InputError(`cannot read the host ${hostContext}: ${e.message}`);
    throw e;
  }
  const client = new ClusterClient(hostContext, hostContext, kubeconfig.forContext(hostContext), kubeconfig.redactor, options);
  return { ws, inputs, client, kubeconfig, hostContext, kubefedNamespace, warnings };
}
