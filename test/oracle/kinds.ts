/** REST paths of the kinds the differential suite writes and reads, without discovery. */
export type Obj = Record<string, any>;

interface Kind {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

const KINDS: Record<string, Kind> = {
  Namespace: { group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  ConfigMap: { group: '', version: 'v1', plural: 'configmaps', namespaced: true },
  Secret: { group: '', version: 'v1', plural: 'secrets', namespaced: true },
  Service: { group: '', version: 'v1', plural: 'services', namespaced: true },
  ServiceAccount: { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true },
  Deployment: { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
  ReplicaSet: { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true },
  Job: { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true },
  ClusterRole: { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', namespaced: false },
  ReplicaSchedulingPreference: { group: 'scheduling.kubefed.io', version: 'v1alpha1', plural: 'replicaschedulingpreferences', namespaced: true },
};

function kindOf(kind: string): Kind {
  const k = KINDS[kind];
  if (k) return k;
  const m = /^Federated(.+)$/.exec(kind);
  if (m && KINDS[m[1]!]) {
    return { group: 'types.kubefed.io', version: 'v1beta1', plural: `federated${KINDS[m[1]!]!.plural}`, namespaced: true };
  }
  throw new Error(`the differential suite does not know kind ${kind}`);
}

export function isKnownKind(kind: string): boolean {
  try {
    kindOf(kind);
    return true;
  } catch {
    return false;
  }
}

/** The collection path of `kind` (in `namespace` when namespaced). */
export function collectionPath(kind: string, namespace?: string): string {
  const k = kindOf(kind);
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  return k.namespaced && namespace ? `${base}/namespaces/${namespace}/${k.plural}` : `${base}/${k.plural}`;
}

export function objectPath(obj: Obj): string {
  return `${collectionPath(obj.kind, obj.metadata?.namespace)}/${obj.metadata.name}`;
}

export function isNamespaced(kind: string): boolean {
  return kindOf(kind).namespaced;
}
