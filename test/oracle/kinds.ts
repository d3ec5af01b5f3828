/**
 * REST paths of the objects the differential suite writes and reads, found through the product's
 * cluster module: discovery of each cluster (`ClusterClient.resourceFor`) for an object's
 * apiVersion and kind, and the host's FederatedTypeConfigs for what a federated kind's target is.
 * Any type KubeFed enables (has an FTC for) works; nothing is listed by hand.
 */
import { loadKubeconfig } from '../../server/cluster/kubeconfig.ts';
import { Connections, resourcePath, type ClusterClient, type ResourceInfo } from '../../server/cluster/client.ts';

export type Obj = Record<string, any>;

export interface TargetType {
  apiVersion: string;
  kind: string;
  namespaced: boolean;
}

export class Kinds {
  private constructor(
    private readonly connections: Connections,
    /** Federated kind -> the target type, from the host's FederatedTypeConfigs. */
    private readonly targets: Map<string, TargetType>,
  ) {}

  /** Discovery through the kubeconfig of the federation, the targets from the host's FTCs in `kubefedNamespace`. */
  static async open(kubeconfigPath: string, hostCluster: string, kubefedNamespace: string): Promise<Kinds> {
    const connections = new Connections(loadKubeconfig({ path: kubeconfigPath }));
    const kinds = new Kinds(connections, new Map());
    const host = kinds.client(hostCluster);
    const ftc = await host.resourceFor('core.kubefed.io/v1beta1', 'FederatedTypeConfig');
    if (!ftc) throw new Error(`${hostCluster} serves no FederatedTypeConfig`);
    for (const t of await host.list(ftc, { namespace: kubefedNamespace })) {
      const spec = (t as Obj).spec ?? {};
      const tt = spec.targetType ?? {};
      const ft = spec.federatedType ?? {};
      if (!tt.kind || !ft.kind) continue;
      kinds.targets.set(ft.kind, { apiVersion: tt.group ? `${tt.group}/${tt.version}` : tt.version, kind: tt.kind, namespaced: tt.scope === 'Namespaced' });
    }
    return kinds;
  }

  close(): void {
    this.connections.close();
  }

  private client(cluster: string): ClusterClient {
    const c = this.connections.client(cluster);
    if ('error' in c) throw new Error(c.error);
    return c;
  }

  /** The federated kinds KubeFed enables here (those with a FederatedTypeConfig). */
  federatedKinds(): string[] {
    return [...this.targets.keys()].sort();
  }

  /** The target type of a federated kind, or undefined when no FTC names it. */
  targetOf(federatedKind: string): TargetType | undefined {
    return this.targets.get(federatedKind);
  }

  /** The resource of `obj` in `cluster` (discovery), null when that cluster does not serve it. */
  async info(cluster: string, obj: Obj): Promise<ResourceInfo | null> {
    return this.client(cluster).resourceFor(String(obj.apiVersion ?? ''), String(obj.kind ?? ''));
  }

  private async must(cluster: string, obj: Obj): Promise<ResourceInfo> {
    const info = await this.info(cluster, obj);
    if (!info) throw new Error(`${cluster} does not serve ${obj.apiVersion} ${obj.kind}`);
    return info;
  }

  /** The collection path of `obj`'s type (in its namespace when namespaced). */
  async collectionPath(cluster: string, obj: Obj): Promise<string> {
    return resourcePath(await this.must(cluster, obj), obj.metadata?.namespace);
  }

  async objectPath(cluster: string, obj: Obj): Promise<string> {
    return resourcePath(await this.must(cluster, obj), obj.metadata?.namespace, obj.metadata.name);
  }

  /** The member object a federated object names: its target type, its name, its namespace when namespaced. */
  memberOf(federated: Obj): Obj | undefined {
    const t = this.targetOf(String(federated.kind));
    if (!t) return undefined;
    return { apiVersion: t.apiVersion, kind: t.kind, metadata: { name: federated.metadata.name, ...(t.namespaced ? { namespace: federated.metadata.namespace } : {}) } };
  }
}
