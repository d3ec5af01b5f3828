/**
 * Type configs: the FederatedTypeConfigs each era ships (as data) and the normalised record
 * built from any FTC, shipped or found in a workspace.
 *
 * v1beta1: kubefed charts/kubefed/templates/federatedtypeconfig.yaml at HEAD (what
 * `kubefedctl enable` produces for the default types). v1alpha1: config/federatedtypes at
 * 0d38cc775, as written (defaults are applied when the records are built).
 */
import { isObject, own, type Json, type JsonObject } from './json.ts';
import { V1ALPHA1_API, V1BETA1_CORE, type Era } from './apiGroups.ts';
import { ftcDefaults, ftcName } from './ftc.ts';

export interface TypeConfig {
  era: Era;
  /** FTC metadata.name, e.g. `deployments.apps`. */
  name: string;
  targetKind: string;
  /** '' for the core group. */
  targetGroup: string;
  targetVersion: string;
  targetPlural: string;
  /** Scope of the target type. */
  namespaced: boolean;
  /** v1beta1: the federated type. */
  federatedKind?: string;
  federatedPlural?: string;
  /** v1beta1: scope of the federated type (FederatedNamespace is namespaced). */
  federatedNamespaced?: boolean;
  /** v1alpha1: template / placement / override kinds (the Namespace template is core v1 Namespace). */
  templateKind?: string;
  templateGroup?: string;
  templateVersion?: string;
  placementKind?: string;
  overrideKind?: string;
  /** v1beta1: federatedType group/version; v1alpha1: the placement type's (the federation API group). */
  federatedGroup: string;
  federatedVersion: string;
  /** v1alpha1: path of the field the override object replaces. */
  overridePath?: string[];
  /** v1alpha1: how member objects are judged current. */
  comparisonField?: 'Generation' | 'ResourceVersion';
  propagationEnabled: boolean;
  /** The target has an int32 spec.replicas (federated type gets spec.retainReplicas). */
  scalable: boolean;
  source: 'builtin' | 'workspace';
}

const V1BETA1_FTC = `${V1BETA1_CORE}/v1beta1`;
const V1ALPHA1_FTC = V1ALPHA1_API;

const BUILTIN_V1BETA1: readonly { name: string; spec: JsonObject }[] = [
  { name: 'clusterroles.rbac.authorization.k8s.io', spec: { federatedType: { group: 'types.kubefed.io', kind: 'FederatedClusterRole', pluralName: 'federatedclusterroles', scope: 'Cluster', version: 'v1beta1' }, propagation: 'Enabled', targetType: { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', pluralName: 'clusterroles', scope: 'Cluster', version: 'v1' } } },
  { name: 'configmaps', spec: { federatedType: { group: 'types.kubefed.io', kind: 'FederatedConfigMap', pluralName: 'federatedconfigmaps', scope: 'Namespaced', version: 'v1beta1' }, propagation: 'Enabled', targetType: { kind: 'ConfigMap', pluralName: 'configmaps', scope: 'Namespaced', version: 'v1' } } },
  { name: 'deployments.apps', spec: { federatedType: { group: 'types.kubefed.io', kind: 'FederatedDeployment', pluralName: 'federateddeployments', scope: 'Namespaced', version: 'v1beta1' }, propagation: 'Enabled', targetType: { group: 'apps', kind: 'Deployment', pluralName: 'deployments', scope: 'Namespaced', version: 'v1' } } },
  { name: 'ingresses.extensions', spec: { federatedType: { group: 'types.kubefed.io', kind: 'FederatedIngress', pluralName: 'federatedingresses', scope: 'Namespaced', version: 'v1beta1' }, propagation: 'Enabled', targetType: { group: 'extensions', kind: 'Ingress', pluralName: 'ingresses', scope: 'Namespaced', version: 'v1beta1' } } },
  { name: 'jobs.batch', spec: { federatedType: { group: 'types.kubefed.io', kind: 'FederatedJob', pluralName: 'federatedjobs', scope: 'Namespaced', version: 'v1beta1' }, propagation: 'Enabled', targetType: { group: 'batch', kind: 'Job', pluralName: 'jobs', scope: 'Namespaced', version: 'v1' } } },
  { name: 'namespaces', spec: { federatedType: { group: 'types.kubefed.io', kind: 'FederatedNamespace', pluralName: 'federatednamespaces', scope: 'Namespaced', version: 'v1beta1' }, propagation: 'Enabled', targetType: { kind: 'Namespace', pluralName: 'namespaces', scope: 'Cluster', version: 'v1' } } },
  { name: 'replicasets.apps', spec: { federatedType: { group: 'types.kubefed.io', kind: 'FederatedReplicaSet', pluralName: 'federatedreplicasets', scope: 'Namespaced', version: 'v1beta1' }, propagation: 'Enabled', targetType: { group: 'apps', kind: 'ReplicaSet', pluralName: 'replicasets', scope: 'Namespaced', version: 'v1' } } },
  { name: 'secrets', spec: { federatedType: { group: 'types.kubefed.io', kind: 'FederatedSecret', pluralName: 'federatedsecrets', scope: 'Namespaced', version: 'v1beta1' }, propagation: 'Enabled', targetType: { kind: 'Secret', pluralName: 'secrets', scope: 'Namespaced', version: 'v1' } } },
  { name: 'serviceaccounts', spec: { federatedType: { group: 'types.kubefed.io', kind: 'FederatedServiceAccount', pluralName: 'federatedserviceaccounts', scope: 'Namespaced', version: 'v1beta1' }, propagation: 'Enabled', targetType: { kind: 'ServiceAccount', pluralName: 'serviceaccounts', scope: 'Namespaced', version: 'v1' } } },
  { name: 'services', spec: { federatedType: { group: 'types.kubefed.io', kind: 'FederatedService', pluralName: 'federatedservices', scope: 'Namespaced', version: 'v1beta1' }, propagation: 'Enabled', targetType: { kind: 'Service', pluralName: 'services', scope: 'Namespaced', version: 'v1' } } },
];

const BUILTIN_V1ALPHA1: readonly { name: string; spec: JsonObject }[] = [
  { name: 'configmaps', spec: { target: { version: 'v1', kind: 'ConfigMap' }, namespaced: true, comparisonField: 'ResourceVersion', propagationEnabled: true, template: { group: 'core.federation.k8s.io', version: 'v1alpha1', kind: 'FederatedConfigMap' }, placement: { kind: 'FederatedConfigMapPlacement' }, override: { kind: 'FederatedConfigMapOverride' }, overridePath: ['data'] } },
  { name: 'deployments.apps', spec: { target: { version: 'v1', kind: 'Deployment' }, namespaced: true, comparisonField: 'Generation', propagationEnabled: true, template: { group: 'core.federation.k8s.io', version: 'v1alpha1', kind: 'FederatedDeployment' }, placement: { kind: 'FederatedDeploymentPlacement' }, override: { kind: 'FederatedDeploymentOverride' }, overridePath: ['spec', 'replicas'] } },
  { name: 'ingresses.extensions', spec: { target: { version: 'v1beta1', kind: 'Ingress' }, namespaced: true, comparisonField: 'Generation', propagationEnabled: true, template: { group: 'core.federation.k8s.io', version: 'v1alpha1', kind: 'FederatedIngress' }, placement: { kind: 'FederatedIngressPlacement' } } },
  { name: 'jobs.batch', spec: { target: { version: 'v1', kind: 'Job' }, namespaced: true, comparisonField: 'Generation', propagationEnabled: true, template: { group: 'core.federation.k8s.io', version: 'v1alpha1', kind: 'FederatedJob' }, placement: { kind: 'FederatedJobPlacement' }, override: { kind: 'FederatedJobOverride' }, overridePath: ['spec', 'parallelism'] } },
  { name: 'namespaces', spec: { target: { version: 'v1', kind: 'Namespace' }, namespaced: false, comparisonField: 'ResourceVersion', propagationEnabled: true, template: { version: 'v1', kind: 'Namespace' }, placement: { group: 'core.federation.k8s.io', version: 'v1alpha1', kind: 'FederatedNamespacePlacement' } } },
  { name: 'replicasets.apps', spec: { target: { version: 'v1', kind: 'ReplicaSet' }, namespaced: true, comparisonField: 'Generation', propagationEnabled: true, template: { group: 'core.federation.k8s.io', version: 'v1alpha1', kind: 'FederatedReplicaSet' }, placement: { kind: 'FederatedReplicaSetPlacement' }, override: { kind: 'FederatedReplicaSetOverride' }, overridePath: ['spec', 'replicas'] } },
  { name: 'secrets', spec: { target: { version: 'v1', kind: 'Secret' }, namespaced: true, comparisonField: 'ResourceVersion', propagationEnabled: true, template: { group: 'core.federation.k8s.io', version: 'v1alpha1', kind: 'FederatedSecret' }, placement: { kind: 'FederatedSecretPlacement' }, override: { kind: 'FederatedSecretOverride' }, overridePath: ['data'] } },
  { name: 'services', spec: { target: { version: 'v1', kind: 'Service' }, namespaced: true, comparisonField: 'Generation', propagationEnabled: true, template: { group: 'core.federation.k8s.io', version: 'v1alpha1', kind: 'FederatedService' }, placement: { kind: 'FederatedServicePlacement' } } },
  { name: 'serviceaccounts', spec: { target: { version: 'v1', kind: 'ServiceAccount' }, namespaced: true, comparisonField: 'Generation', propagationEnabled: true, template: { group: 'core.federation.k8s.io', version: 'v1alpha1', kind: 'FederatedServiceAccount' }, placement: { kind: 'FederatedServiceAccountPlacement' } } },
];

/** Built-in workload kinds whose spec.replicas is an int32 (`<group>/<Kind>`, core group ''). */
const SCALABLE_TARGETS: ReadonlySet<string> = new Set([
  'apps/Deployment',
  'apps/ReplicaSet',
  'apps/StatefulSet',
  'extensions/Deployment',
  'extensions/ReplicaSet',
  '/ReplicationController',
]);

export function isScalableTarget(group: string, kind: string): boolean {
  return SCALABLE_TARGETS.has(`${group}/${kind}`);
}

function str(v: Json | undefined): string {
  return typeof v === 'string' ? v : '';
}

function ftcObject(era: Era, name: string, spec: JsonObject): JsonObject {
  return { apiVersion: era === 'v1beta1' ? V1BETA1_FTC : V1ALPHA1_FTC, kind: 'FederatedTypeConfig', metadata: { name }, spec };
}

function build(ftc: unknown, source: TypeConfig['source']): TypeConfig | null {
  if (!isObject(ftc) || own(ftc, 'kind') !== 'FederatedTypeConfig') return null;
  const apiVersion = own(ftc, 'apiVersion');
  const era: Era | undefined = apiVersion === V1BETA1_FTC ? 'v1beta1' : apiVersion === V1ALPHA1_FTC ? 'v1alpha1' : undefined;
  if (!era) return null;
  const d = ftcDefaults(ftc, era);
  const name = str(own(own(d, 'metadata'), 'name'));
  const spec = own(d, 'spec');
  const target = own(spec, era === 'v1beta1' ? 'targetType' : 'target');
  const targetKind = str(own(target, 'kind'));
  const targetVersion = str(own(target, 'version'));
  if (!targetKind || !targetVersion) return null;
  const targetGroup = str(own(target, 'group'));
  const base = {
    era,
    name: name || ftcName(str(own(target, 'pluralName')), targetGroup),
    targetKind,
    targetGroup,
    targetVersion,
    targetPlural: str(own(target, 'pluralName')),
    scalable: isScalableTarget(targetGroup, targetKind),
    source,
  };
  if (era === 'v1beta1') {
    const fed = own(spec, 'federatedType');
    const federatedKind = str(own(fed, 'kind'));
    if (!federatedKind) return null;
    return {
      ...base,
      namespaced: own(target, 'scope') === 'Namespaced',
      federatedKind,
      federatedPlural: str(own(fed, 'pluralName')),
      federatedNamespaced: own(fed, 'scope') === 'Namespaced',
      federatedGroup: str(own(fed, 'group')),
      federatedVersion: str(own(fed, 'version')),
      propagationEnabled: own(spec, 'propagation') === 'Enabled',
    };
  }
  const template = own(spec, 'template');
  const placement = own(spec, 'placement');
  const override = own(spec, 'override');
  const templateKind = str(own(template, 'kind'));
  const placementKind = str(own(placement, 'kind'));
  if (!templateKind || !placementKind) return null;
  const tc: TypeConfig = {
    ...base,
    namespaced: own(spec, 'namespaced') === true,
    templateKind,
    templateGroup: str(own(template, 'group')),
    templateVersion: str(own(template, 'version')),
    placementKind,
    federatedGroup: str(own(placement, 'group')),
    federatedVersion: str(own(placement, 'version')),
    propagationEnabled: own(spec, 'propagationEnabled') === true,
  };
  const overrideKind = str(own(override, 'kind'));
  if (overrideKind) tc.overrideKind = overrideKind;
  const path = own(spec, 'overridePath');
  if (Array.isArray(path) && path.length > 0 && path.every((p) => typeof p === 'string')) tc.overridePath = [...(path as string[])];
  const cmp = own(spec, 'comparisonField');
  if (cmp === 'Generation' || cmp === 'ResourceVersion') tc.comparisonField = cmp;
  return tc;
}

/** The type configs an era ships, defaulted and normalised. */
export function builtinTypeConfigs(era: Era): TypeConfig[] {
  const list = era === 'v1beta1' ? BUILTIN_V1BETA1 : BUILTIN_V1ALPHA1;
  return list.map((f) => build(ftcObject(era, f.name, structuredClone(f.spec)), 'builtin')!);
}

/** The type configs both eras ship (v1beta1 first). */
export function builtinTypeConfigsOfBothEras(): TypeConfig[] {
  return [...builtinTypeConfigs('v1beta1'), ...builtinTypeConfigs('v1alpha1')];
}

/** The target's apiVersion (`apps/v1`, `v1` for the core group). */
export function targetApiVersion(tc: TypeConfig): string {
  return tc.targetGroup ? `${tc.targetGroup}/${tc.targetVersion}` : tc.targetVersion;
}

/** apiVersion of the v1beta1 federated kind, or of the v1alpha1 placement and override kinds. */
export function federatedApiVersion(tc: TypeConfig): string {
  return `${tc.federatedGroup}/${tc.federatedVersion}`;
}

/**
 * The record for a FederatedTypeConfig found in a workspace (either era, defaulted first);
 * null when it is not an FTC or lacks the target kind/version or the federated/template/placement kinds.
 */
export function typeConfigFromFtc(ftc: unknown): TypeConfig | null {
  return build(ftc, 'workspace');
}
