/**
 * Small builders shared by the propagate and diff cluster tests: federated objects as YAML, a
 * workspace plus connections for the local federation, and raw reads of member objects.
 */
import { stringify } from 'yaml';
import { Workspace } from '../../server/engine/workspace.ts';
import { openRunClusters, type RunClusters } from '../../server/cluster/clusters.ts';
import { PatchStrategy } from '@kubernetes/client-node';
import type { Federation } from '../clusters/launcher.ts';
import type { FederationFixture } from '../clusters/fixtures.ts';

export type Obj = Record<string, any>;

export function yamlDocs(...objs: Obj[]): string {
  return objs.map((o) => '---\n' + stringify(o)).join('');
}

export function fedNamespace(ns: string, clusters?: string[]): Obj {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedNamespace',
    metadata: { name: ns, namespace: ns },
    spec: { placement: clusters ? { clusters: clusters.map((name) => ({ name })) } : { clusterSelector: {} } },
  };
}

export function placementOf(clusters?: string[]): Obj {
  return clusters ? { clusters: clusters.map((name) => ({ name })) } : { clusterSelector: {} };
}

export function fedDeployment(ns: string, name: string, opt: { clusters?: string[]; image?: string; replicas?: number; overrides?: Obj[]; annotations?: Obj; retainReplicas?: boolean } = {}): Obj {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedDeployment',
    metadata: { name, namespace: ns, ...(opt.annotations ? { annotations: opt.annotations } : {}) },
    spec: {
      template: {
        metadata: { labels: { app: name } },
        spec: {
          replicas: opt.replicas ?? 2,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: opt.image ?? 'nginx:1.27' }] } },
        },
      },
      placement: placementOf(opt.clusters),
      ...(opt.overrides ? { overrides: opt.overrides } : {}),
      ...(opt.retainReplicas !== undefined ? { retainReplicas: opt.retainReplicas } : {}),
    },
  };
}

export function fedConfigMap(ns: string, name: string, data: Obj, clusters?: string[], annotations?: Obj): Obj {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedConfigMap',
    metadata: { name, namespace: ns, ...(annotations ? { annotations } : {}) },
    spec: { template: { data }, placement: placementOf(clusters) },
  };
}

export function fedSecret(ns: string, name: string, data: Obj, clusters?: string[]): Obj {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedSecret',
    metadata: { name, namespace: ns },
    spec: { template: { type: 'Opaque', data }, placement: placementOf(clusters) },
  };
}

export function fedService(ns: string, name: string, clusters?: string[]): Obj {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedService',
    metadata: { name, namespace: ns },
    spec: {
      template: { spec: { type: 'NodePort', selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } },
      placement: placementOf(clusters),
    },
  };
}

export interface Session extends RunClusters {
  ws: Workspace;
}

/** A workspace of the given files and the connections of the local federation (labels from the host). */
export async function session(
  fed: Federation,
  files: Record<string, string>,
  opt: { contextMap?: string[]; kubeconfigPath?: string; timeoutMs?: number; hostContext?: string | null } = {},
): Promise<Session> {
  const ws = new Workspace();
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  const run = await openRunClusters(ws, {
    kubeconfig: { path: opt.kubeconfigPath ?? fed.kubeconfigPath },
    hostContext: opt.hostContext === null ? undefined : (opt.hostContext ?? fed.hostCluster),
    contextMap: opt.contextMap,
    timeoutMs: opt.timeoutMs,
  });
  return { ...run, ws };
}

/** GET of one object as the admin (null on 404). */
export async function read(fed: Federation, cluster: string, path: string): Promise<Obj | null> {
  const r = await fed.request(cluster, 'GET', path);
  if (r.status === 404) return null;
  if (r.status !== 200) throw new Error(`${cluster} GET ${path} -> ${r.status}: ${r.body}`);
  return r.json();
}

export const paths = {
  deployment: (ns: string, name: string) => `/apis/apps/v1/namespaces/${ns}/deployments/${name}`,
  configMap: (ns: string, name: string) => `/api/v1/namespaces/${ns}/configmaps/${name}`,
  secret: (ns: string, name: string) => `/api/v1/namespaces/${ns}/secrets/${name}`,
  service: (ns: string, name: string) => `/api/v1/namespaces/${ns}/services/${name}`,
  namespace: (ns: string) => `/api/v1/namespaces/${ns}`,
};

/**
 * A merge patch by another field manager (an out-of-band edit, like `kubectl patch`): `patch`
 * must carry apiVersion, kind, metadata.name (and namespace).
 */
export async function editAs(fx: FederationFixture, cluster: string, patch: Obj, manager = 'intruder'): Promise<Obj> {
  return (await fx.objects(cluster).patch(patch as any, undefined, undefined, manager, undefined, PatchStrategy.MergePatch)) as Obj;
}
