/**
 * JSON schemas of KubeFed's own kinds (both API eras), written from the Go types of
 * kubernetes-sigs/kubefed (v1alpha1 era at 0d38cc775, v1beta1 era at v0.8.1).
 * `#/definitions/...` references point into the Kubernetes definitions bundle.
 */
import { OVERRIDE_OPS } from '../engine/overrideCodec.ts';
import { RSP_TARGET_KINDS } from '../engine/rsp.ts';
export type Schema = Record<string, unknown>;

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
export const LABEL_SELECTOR = 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector';

const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, ...extra });
const int = (description: string, extra: Schema = {}): Schema => ({ type: 'integer', description, ...extra });
const bool = (description: string): Schema => ({ type: 'boolean', description });
const obj = (description: string, properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema => ({
  type: 'object',
  description,
  properties,
  additionalProperties: false,
  ...(required.length ? { required } : {}),
  ...extra,
});
const arr = (items: Schema, description: string): Schema => ({ type: 'array', description, items });
const ref = (name: string, description?: string): Schema =>
  description ? { $ref: `#/definitions/${name}`, description } : { $ref: `#/definitions/${name}` };
const enabled = (description: string): Schema => str(description, { enum: ['Enabled', 'Disabled'] });
const duration = (description: string): Schema => str(description + ' (Go duration, e.g. `10s`, `1500ms`).', { pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' });

/** A top-level kind: apiVersion/kind enums, metadata, and the given spec/status. */
export function topLevel(apiVersion: string, kind: string, description: string, props: Record<string, Schema>, required: string[] = []): Schema {
  return obj(
    description,
    {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.', { enum: [apiVersion] }),
      kind: str('Kind is a string value representing the REST resource this object represents.', { enum: [kind] }),
      metadata: ref(OBJECT_META, "Standard object's metadata."),
      ...props,
    },
    required,
  );
}

const apiResource = (what: string, groupRequired: boolean): Schema =>
  obj(
    what,
    {
      group: str('API group' + (groupRequired ? ' (required, must contain a dot).' : ' (empty for the core group).')),
      version: str('API version, e.g. `v1`.'),
      kind: str('Kind, e.g. `Deployment`.'),
      pluralName: str('Lower-case plural name, e.g. `deployments`.'),
      scope: str('`Namespaced` or `Cluster`.', { enum: ['Namespaced', 'Cluster'] }),
    },
    groupRequired ? ['group', 'version', 'kind', 'pluralName', 'scope'] : ['version', 'kind', 'pluralName', 'scope'],
  );

const conditions = (types: string[]): Schema =>
  arr(
    obj('A cluster condition.', {
      type: str('Condition type.', { enum: types }),
      status: str('`True`, `False` or `Unknown`.', { enum: ['True', 'False', 'Unknown'] }),
      lastProbeTime: str('Last time the condition was checked.'),
      lastTransitionTime: str('Last time the condition transitioned.'),
      reason: str('Reason for the last transition.'),
      message: str('Human readable message.'),
    }, ['type', 'status']),
    'Conditions of the cluster.',
  );

const rspSpec = (v1beta1: boolean): Schema =>
  obj(
    'How replicas of the federated object with the same namespace/name are spread over clusters.',
    {
      targetKind: str(`Kind of the federated object: ${RSP_TARGET_KINDS.map((k) => `\`${k}\``).join(' or ')}.`, { enum: [...RSP_TARGET_KINDS] }),
      totalReplicas: int('Total number of replicas over all clusters.', { minimum: 0 }),
      rebalance: bool('Move running replicas between clusters to reach the preferred distribution (default false).'),
      clusters: {
        type: 'object',
        description: 'Preferences per cluster name; `"*"` applies to clusters without their own entry.',
        additionalProperties: obj('Replica preferences of one cluster.', {
          minReplicas: int('Minimum number of replicas in this cluster (default 0).', { minimum: 0 }),
          maxReplicas: int('Maximum number of replicas in this cluster (default unbounded).', { minimum: 0 }),
          weight: int('Relative weight of this cluster (default 0).', { minimum: 0 }),
        }),
      },
      ...(v1beta1
        ? { intersectWithClusterSelector: bool("Only schedule to clusters selected by the federated object's clusterSelector.") }
        : {}),
    },
    ['targetKind', 'totalReplicas'],
  );

const anyStatus: Schema = { type: 'object', description: 'Written by KubeFed.' };

/** Static schemas of KubeFed kinds, keyed `${apiVersion}|${kind}`. */
export const KUBEFED_KINDS: Record<string, Schema> = {
  // ---- v1beta1 era ----
  'core.kubefed.io/v1beta1|FederatedTypeConfig': topLevel(
    'core.kubefed.io/v1beta1',
    'FederatedTypeConfig',
    'Enables propagation of one target type. Named `<plural>` or `<plural>.<group>` of the target.',
    {
      spec: obj(
        'FederatedTypeConfigSpec',
        {
          targetType: apiResource('The type written to member clusters.', false),
          federatedType: apiResource('The federated type (group defaults to `types.kubefed.io`).', true),
          propagation: enabled('Whether propagation is `Enabled`.'),
          statusType: apiResource('Legacy status type.', true),
          statusCollection: enabled('Whether status collection is `Enabled`.'),
        },
        ['targetType', 'federatedType', 'propagation'],
      ),
      status: anyStatus,
    },
    ['spec'],
  ),
  'core.kubefed.io/v1beta1|KubeFedCluster': topLevel(
    'core.kubefed.io/v1beta1',
    'KubeFedCluster',
    'A member cluster.',
    {
      spec: obj(
        'KubeFedClusterSpec',
        {
          apiEndpoint: str('Address of the API server: host, host:port or URL.'),
          caBundle: str('Base64 PEM CA bundle used to verify the API server certificate.'),
          secretRef: obj('Secret in the KubeFed namespace holding key `token`.', { name: str('Secret name.') }, ['name']),
          disabledTLSValidations: arr(str('TLS validation to skip.', { enum: ['*', 'SubjectName', 'ValidityPeriod'] }), 'TLS validations to skip (`*` alone skips all).'),
          proxyURL: str('Proxy URL (http, https or socks5).'),
        },
        ['apiEndpoint', 'secretRef'],
      ),
      status: obj('KubeFedClusterStatus', { conditions: conditions(['Ready', 'Offline']), zones: arr(str('zone'), 'Zones.'), region: str('Region.') }),
    },
    ['spec'],
  ),
  'core.kubefed.io/v1beta1|KubeFedConfig': topLevel(
    'core.kubefed.io/v1beta1',
    'KubeFedConfig',
    'Controller-manager configuration (named `kubefed`).',
    {
      spec: obj(
        'KubeFedConfigSpec',
        {
          scope: str('Scope of the control plane.', { enum: ['Cluster', 'Namespaced'] }),
          controllerDuration: obj('Controller delays.', { availableDelay: duration('Delay of the available check'), unavailableDelay: duration('Delay of the unavailable check') }),
          leaderElect: obj('Leader election.', {
            leaseDuration: duration('Lease duration'),
            renewDeadline: duration('Renew deadline'),
            retryPeriod: duration('Retry period'),
            resourceLock: str('Lock object kind.', { enum: ['configmaps', 'endpoints'] }),
          }),
          featureGates: arr(
            obj('A feature gate.', {
              name: str('Gate name.', { enum: ['PushReconciler', 'SchedulerPreferences', 'RawResourceStatusCollection'] }),
              configuration: enabled('`Enabled` or `Disabled`.'),
            }, ['name', 'configuration']),
            'Feature gates.',
          ),
          clusterHealthCheck: obj('Cluster health check.', {
            period: duration('Probe period'),
            failureThreshold: int('Failures before a cluster is not ready.', { minimum: 1 }),
            successThreshold: int('Successes before a cluster is ready.', { minimum: 1 }),
            timeout: duration('Probe timeout'),
          }),
          syncController: obj('Sync controller.', { maxConcurrentReconciles: int('Concurrent reconciles.', { minimum: 1 }), adoptResources: enabled('Adopt existing resources.') }),
          statusController: obj('Status controller.', { maxConcurrentReconciles: int('Concurrent reconciles.', { minimum: 1 }) }),
        },
        ['scope'],
      ),
    },
    ['spec'],
  ),
  'core.kubefed.io/v1beta1|EnableTypeDirective': topLevel(
    'core.kubefed.io/v1beta1',
    'EnableTypeDirective',
    'Input of `kubefedctl enable -f` (file format only).',
    {
      spec: obj('EnableTypeDirectiveSpec', {
        targetVersion: str('Version of the target type.'),
        federatedGroup: str('Group of the federated type (default `types.kubefed.io`).'),
        federatedVersion: str('Version of the federated type (default `v1beta1`).'),
      }),
    },
  ),
  'core.kubefed.io/v1alpha1|PropagatedVersion': topLevel('core.kubefed.io/v1alpha1', 'PropagatedVersion', 'Versions last propagated (written by KubeFed).', { status: anyStatus }),
  'core.kubefed.io/v1alpha1|ClusterPropagatedVersion': topLevel('core.kubefed.io/v1alpha1', 'ClusterPropagatedVersion', 'Versions last propagated (written by KubeFed).', { status: anyStatus }),
  'core.kubefed.io/v1alpha1|FederatedServiceStatus': topLevel('core.kubefed.io/v1alpha1', 'FederatedServiceStatus', 'Legacy service status collection.', { clusterStatus: { type: 'array' } }),
  'scheduling.kubefed.io/v1alpha1|ReplicaSchedulingPreference': topLevel(
    'scheduling.kubefed.io/v1alpha1',
    'ReplicaSchedulingPreference',
    'Replica distribution for the federated object with the same namespace/name.',
    { spec: rspSpec(true), status: anyStatus },
    ['spec'],
  ),
  // ---- v1alpha1 era ----
  'core.federation.k8s.io/v1alpha1|FederatedTypeConfig': topLevel(
    'core.federation.k8s.io/v1alpha1',
    'FederatedTypeConfig',
    'Enables propagation of one target type (v1alpha1 era).',
    {
      spec: obj(
        'FederatedTypeConfigSpec',
        {
          target: obj('Target type.', { group: str('Group.'), version: str('Version.'), kind: str('Kind.'), pluralName: str('Plural name.') }, ['version', 'kind']),
          namespaced: bool('Scope of the target and of the template/placement/override types.'),
          comparisonField: str('How a member object is judged current.', { enum: ['ResourceVersion', 'Generation'] }),
          propagationEnabled: bool('Whether propagation is enabled.'),
          template: obj('Template type.', { group: str('Group.'), version: str('Version.'), kind: str('Kind.'), pluralName: str('Plural name.') }, ['kind']),
          placement: obj('Placement type.', { group: str('Group.'), version: str('Version.'), kind: str('Kind.'), pluralName: str('Plural name.') }, ['kind']),
          override: obj('Override type.', { group: str('Group.'), version: str('Version.'), kind: str('Kind.'), pluralName: str('Plural name.') }, ['kind']),
          overridePath: arr(str('Path element.'), 'Path of the overridden field in the target, e.g. [spec, replicas].'),
        },
        ['target', 'namespaced', 'comparisonField', 'propagationEnabled', 'template', 'placement'],
      ),
      status: anyStatus,
    },
    ['spec'],
  ),
  'core.federation.k8s.io/v1alpha1|FederatedCluster': topLevel(
    'core.federation.k8s.io/v1alpha1',
    'FederatedCluster',
    'A member cluster (v1alpha1 era).',
    {
      spec: obj('FederatedClusterSpec', {
        clusterRef: obj('The cluster-registry Cluster.', { name: str('Cluster name.') }, ['name']),
        secretRef: obj('Credentials secret in the federation namespace.', { name: str('Secret name.') }, ['name']),
      }, ['clusterRef']),
      status: obj('FederatedClusterStatus', { conditions: conditions(['Ready', 'Offline']), zone: str('Zone.'), region: str('Region.') }),
    },
    ['spec'],
  ),
  'core.federation.k8s.io/v1alpha1|PropagatedVersion': topLevel('core.federation.k8s.io/v1alpha1', 'PropagatedVersion', 'Versions last propagated (written by KubeFed).', { status: anyStatus }),
  'scheduling.federation.k8s.io/v1alpha1|ReplicaSchedulingPreference': topLevel(
    'scheduling.federation.k8s.io/v1alpha1',
    'ReplicaSchedulingPreference',
    'Replica distribution for the federated object with the same namespace/name (v1alpha1 era).',
    { spec: rspSpec(false), status: anyStatus },
    ['spec'],
  ),
};

/** v1beta1 federated resource spec: placement and overrides (template added by the caller). */
export function v1beta1Placement(): Schema {
  return obj('Which clusters receive the resource. `clusters` wins over `clusterSelector` when present.', {
    clusters: arr(obj('A cluster by name.', { name: str('Name of a KubeFedCluster.') }, ['name']), 'Exactly these clusters (an empty list selects none).'),
    clusterSelector: ref(LABEL_SELECTOR, 'Clusters whose labels match (`{}` selects every cluster).'),
  });
}

export function v1beta1Overrides(clusterOverrideItem: Schema): Schema {
  return arr(
    obj('Overrides for one cluster.', {
      clusterName: str('Name of the cluster these overrides apply to.'),
      clusterOverrides: arr(clusterOverrideItem, 'JSON-patch operations applied to the template for this cluster.'),
    }),
    'Per-cluster JSON-patch overrides of the template.',
  );
}

export function clusterOverrideItem(extra: Schema = {}): Schema {
  return obj(
    'One JSON-patch operation.',
    {
      op: str('`add`, `remove` or `replace` (default `replace`).', { enum: [...OVERRIDE_OPS, ''] }),
      path: str('JSON pointer into the template, e.g. `/spec/replicas`.'),
      value: { description: 'New value (ignored by `remove`).' },
    },
    ['path'],
    extra,
  );
}

export function v1alpha1Placement(apiVersion: string, kind: string): Schema {
  return topLevel(apiVersion, kind, `Placement of the federated resource with the same namespace/name (v1alpha1 era).`, {
    spec: obj('Placement spec.', { clusterNames: arr(str('Name of a FederatedCluster.'), 'Names of the clusters that receive the resource.') }),
  });
}

export function v1alpha1Override(apiVersion: string, kind: string, field: string, valueSchema: Schema): Schema {
  return topLevel(apiVersion, kind, `Per-cluster value of \`${field}\` for the federated resource with the same namespace/name (v1alpha1 era).`, {
    spec: obj('Override spec.', {
      overrides: arr(
        obj('The override of one cluster; the first entry naming a cluster wins.', { clusterName: str('Name of the cluster.'), [field]: valueSchema }),
        'Per-cluster values.',
      ),
    }),
  });
}
