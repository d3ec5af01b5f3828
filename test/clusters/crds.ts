/**
 * KubeFed v1beta1 CustomResourceDefinitions installed into the host cluster by the launcher,
 * plus the FederatedTypeConfigs that `kubefedctl enable` would create for the federated types
 * defined here.
 *
 * The schemas follow KubeFed's published CRDs in structure (same groups, kinds, scopes, required
 * fields and types) but carry no descriptions. The federated types keep `spec` open with
 * x-kubernetes-preserve-unknown-fields, as their template/overrides hold arbitrary objects.
 */

type Schema = Record<string, unknown>;

export interface Crd {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels?: Record<string, string> };
  spec: Schema;
}

const str: Schema = { type: 'string' };
const int64: Schema = { type: 'integer', format: 'int64' };
const strings: Schema = { type: 'array', items: str };
const open: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

function crd(opts: {
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: 'Namespaced' | 'Cluster';
  shortNames?: string[];
  schema: Schema;
  status?: boolean;
  printerColumns?: Schema[];
}): Crd {
  const version: Schema = {
    name: opts.version,
    served: true,
    storage: true,
    schema: { openAPIV3Schema: opts.schema },
  };
  if (opts.status) version.subresources = { status: {} };
  if (opts.printerColumns) version.additionalPrinterColumns = opts.printerColumns;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${opts.plural}.${opts.group}`, labels: { 'app.kubernetes.io/part-of': 'kubefed' } },
    spec: {
      group: opts.group,
      names: {
        kind: opts.kind,
        listKind: `${opts.kind}List`,
        plural: opts.plural,
        singular: opts.kind.toLowerCase(),
        ...(opts.shortNames ? { shortNames: opts.shortNames } : {}),
      },
      scope: opts.scope,
      versions: [version],
    },
  };
}

function object(properties: Record<string, Schema>, required?: string[]): Schema {
  return { type: 'object', properties, ...(required ? { required } : {}) };
}

/** The top level of every custom resource: apiVersion, kind, metadata, spec and status. */
function resource(spec: Schema, status?: Schema, required: string[] = ['spec']): Schema {
  return object(
    { apiVersion: str, kind: str, metadata: { type: 'object' }, spec, ...(status ? { status } : {}) },
    required,
  );
}

const apiResource = object(
  { group: str, version: str, kind: str, pluralName: str, scope: str },
  ['kind', 'pluralName', 'scope', 'version'],
);

const condition = object(
  {
    type: str,
    status: str,
    lastProbeTime: { type: 'string', format: 'date-time' },
    lastTransitionTime: { type: 'string', format: 'date-time' },
    reason: str,
    message: str,
  },
  ['lastProbeTime', 'status', 'type'],
);

export const kubeFedClusterCrd = crd({
  group: 'core.kubefed.io',
  version: 'v1beta1',
  kind: 'KubeFedCluster',
  plural: 'kubefedclusters',
  scope: 'Namespaced',
  status: true,
  printerColumns: [
    { name: 'age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'ready', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
  ],
  schema: resource(
    object(
      {
        apiEndpoint: str,
        caBundle: { type: 'string', format: 'byte' },
        disabledTLSValidations: strings,
        proxyURL: str,
        secretRef: object({ name: str }, ['name']),
      },
      ['apiEndpoint', 'secretRef'],
    ),
    object({ conditions: { type: 'array', items: condition }, region: str, zones: strings }, ['conditions']),
  ),
});

export const federatedTypeConfigCrd = crd({
  group: 'core.kubefed.io',
  version: 'v1beta1',
  kind: 'FederatedTypeConfig',
  plural: 'federatedtypeconfigs',
  scope: 'Namespaced',
  shortNames: ['ftc'],
  status: true,
  schema: resource(
    object(
      {
        targetType: apiResource,
        federatedType: apiResource,
        statusType: apiResource,
        propagation: str,
        statusCollection: str,
      },
      ['federatedType', 'propagation', 'targetType'],
    ),
    object(
      { observedGeneration: int64, propagationController: str, statusController: str },
      ['observedGeneration', 'propagationController'],
    ),
  ),
});

const duration = str;
export const kubeFedConfigCrd = crd({
  group: 'core.kubefed.io',
  version: 'v1beta1',
  kind: 'KubeFedConfig',
  plural: 'kubefedconfigs',
  scope: 'Namespaced',
  schema: resource(
    object(
      {
        scope: str,
        controllerDuration: object({ availableDelay: duration, unavailableDelay: duration, cacheSyncTimeout: duration }),
        leaderElect: object({
          leaseDuration: duration,
          renewDeadline: duration,
          retryPeriod: duration,
          resourceLock: str,
        }),
        featureGates: {
          type: 'array',
          items: object({ name: str, configuration: str }, ['configuration', 'name']),
        },
        clusterHealthCheck: object({
          period: duration,
          failureThreshold: int64,
          successThreshold: int64,
          timeout: duration,
        }),
        syncController: object({ maxConcurrentReconciles: int64, adoptResources: str }),
        statusController: object({ maxConcurrentReconciles: int64 }),
      },
      ['scope'],
    ),
  ),
});

const replicaPreferences = object({ minReplicas: int64, maxReplicas: int64, weight: int64 });
export const replicaSchedulingPreferenceCrd = crd({
  group: 'scheduling.kubefed.io',
  version: 'v1alpha1',
  kind: 'ReplicaSchedulingPreference',
  plural: 'replicaschedulingpreferences',
  scope: 'Namespaced',
  shortNames: ['rsp'],
  schema: object(
    {
      apiVersion: str,
      kind: str,
      metadata: { type: 'object' },
      spec: object(
        {
          targetKind: str,
          totalReplicas: { type: 'integer', format: 'int32' },
          rebalance: { type: 'boolean' },
          intersectWithClusterSelector: { type: 'boolean' },
          clusters: { type: 'object', additionalProperties: replicaPreferences },
        },
        ['targetKind', 'totalReplicas'],
      ),
      status: open,
    },
  ),
});

/** The federated types: `spec` (template, placement, overrides) is validated loosely on purpose. */
export interface FederatedType {
  kind: string;
  plural: string;
  scope: 'Namespaced' | 'Cluster';
  /** The target type federated by this kind, for its FederatedTypeConfig. */
  target: { group: string; version: string; kind: string; pluralName: string; scope: 'Namespaced' | 'Cluster' };
}

export const federatedTypes: FederatedType[] = [
  {
    kind: 'FederatedDeployment',
    plural: 'federateddeployments',
    scope: 'Namespaced',
    target: { group: 'apps', version: 'v1', kind: 'Deployment', pluralName: 'deployments', scope: 'Namespaced' },
  },
  {
    kind: 'FederatedConfigMap',
    plural: 'federatedconfigmaps',
    scope: 'Namespaced',
    target: { group: '', version: 'v1', kind: 'ConfigMap', pluralName: 'configmaps', scope: 'Namespaced' },
  },
  {
    kind: 'FederatedSecret',
    plural: 'federatedsecrets',
    scope: 'Namespaced',
    target: { group: '', version: 'v1', kind: 'Secret', pluralName: 'secrets', scope: 'Namespaced' },
  },
  {
    kind: 'FederatedService',
    plural: 'federatedservices',
    scope: 'Namespaced',
    target: { group: '', version: 'v1', kind: 'Service', pluralName: 'services', scope: 'Namespaced' },
  },
  {
    // KubeFed stores a FederatedNamespace inside the namespace it federates, so it is namespaced.
    kind: 'FederatedNamespace',
    plural: 'federatednamespaces',
    scope: 'Namespaced',
    target: { group: '', version: 'v1', kind: 'Namespace', pluralName: 'namespaces', scope: 'Cluster' },
  },
];

const federatedSpec: Schema = {
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
  properties: {
    template: open,
    placement: {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: {
        clusters: { type: 'array', items: object({ name: str }, ['name']) },
        clusterSelector: open,
      },
    },
    overrides: {
      type: 'array',
      items: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        properties: {
          clusterName: str,
          clusterOverrides: {
            type: 'array',
            items: {
              type: 'object',
              properties: { op: str, path: str, value: { 'x-kubernetes-preserve-unknown-fields': true } },
              required: ['path'],
            },
          },
        },
      },
    },
  },
};

export const federatedTypeCrds: Crd[] = federatedTypes.map((t) =>
  crd({
    group: 'types.kubefed.io',
    version: 'v1beta1',
    kind: t.kind,
    plural: t.plural,
    scope: t.scope,
    status: true,
    schema: resource(federatedSpec, open, []),
  }),
);

/** PropagatedVersion and ClusterPropagatedVersion (core.kubefed.io/v1alpha1): what the sync controller last wrote per cluster. */
const propagatedVersionStatus = object({
  templateVersion: str,
  overridesVersion: str,
  clusterVersions: { type: 'array', items: object({ clusterName: str, version: str }, ['clusterName', 'version']) },
}, ['overridesVersion', 'templateVersion']);
export const propagatedVersionCrds: Crd[] = (['Namespaced', 'Cluster'] as const).map((scope) =>
  crd({
    group: 'core.kubefed.io',
    version: 'v1alpha1',
    kind: scope === 'Cluster' ? 'ClusterPropagatedVersion' : 'PropagatedVersion',
    plural: scope === 'Cluster' ? 'clusterpropagatedversions' : 'propagatedversions',
    scope,
    status: true,
    schema: object({ apiVersion: str, kind: str, metadata: { type: 'object' }, spec: { type: 'object' }, status: propagatedVersionStatus }),
  }),
);

/** Every CRD the launcher installs into the host cluster. */
export const kubefedCrds: Crd[] = [
  kubeFedClusterCrd,
  federatedTypeConfigCrd,
  kubeFedConfigCrd,
  replicaSchedulingPreferenceCrd,
  ...propagatedVersionCrds,
  ...federatedTypeCrds,
];

/** The FederatedTypeConfig `kubefedctl enable` writes for a federated type, named like KubeFed does. */
export function federatedTypeConfig(t: FederatedType, namespace: string): Record<string, unknown> {
  const name = t.target.group ? `${t.target.pluralName}.${t.target.group}` : t.target.pluralName;
  const targetType: Record<string, string> = { ...t.target };
  if (!targetType.group) delete targetType.group;
  return {
    apiVersion: 'core.kubefed.io/v1beta1',
    kind: 'FederatedTypeConfig',
    metadata: { name, namespace },
    spec: {
      targetType,
      federatedType: {
        group: 'types.kubefed.io',
        version: 'v1beta1',
        kind: t.kind,
        pluralName: t.plural,
        scope: t.scope,
      },
      propagation: 'Enabled',
    },
  };
}

/** The KubeFedConfig named `kubefed` with KubeFed's defaults, cluster-scoped control plane. */
export function kubeFedConfig(namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'core.kubefed.io/v1beta1',
    kind: 'KubeFedConfig',
    metadata: { name: 'kubefed', namespace },
    spec: {
      scope: 'Cluster',
      controllerDuration: { availableDelay: '20s', unavailableDelay: '60s', cacheSyncTimeout: '5m' },
      leaderElect: { leaseDuration: '15s', renewDeadline: '10s', retryPeriod: '5s', resourceLock: 'configmaps' },
      featureGates: [
        { name: 'PushReconciler', configuration: 'Enabled' },
        { name: 'SchedulerPreferences', configuration: 'Enabled' },
        { name: 'RawResourceStatusCollection', configuration: 'Disabled' },
      ],
      clusterHealthCheck: { period: '10s', failureThreshold: 3, successThreshold: 1, timeout: '3s' },
      syncController: { maxConcurrentReconciles: 1, adoptResources: 'Enabled' },
      statusController: { maxConcurrentReconciles: 1 },
    },
  };
}
