/**
 * KubeFed's API eras and API groups, the one place they are written down. No imports: the VS Code
 * client bundles this file to recognise federation documents before the language server starts.
 */

/** v1alpha1: the federation-v2 API (core.federation.k8s.io); v1beta1: KubeFed (core.kubefed.io). */
export type Era = 'v1alpha1' | 'v1beta1';

export const V1ALPHA1_CORE = 'core.federation.k8s.io';
export const V1ALPHA1_SCHEDULING = 'scheduling.federation.k8s.io';
export const V1ALPHA1_MULTICLUSTERDNS = 'multiclusterdns.federation.k8s.io';
export const V1BETA1_CORE = 'core.kubefed.io';
/** The group of the federated types `kubefedctl enable` creates by default. */
export const V1BETA1_TYPES = 'types.kubefed.io';
export const V1BETA1_SCHEDULING = 'scheduling.kubefed.io';
export const V1BETA1_MULTICLUSTERDNS = 'multiclusterdns.kubefed.io';

/** apiVersion of the v1alpha1 template, placement and override kinds (and FederatedTypeConfig). */
export const V1ALPHA1_API = `${V1ALPHA1_CORE}/v1alpha1`;
/** apiVersion of the federated kinds `kubefedctl enable` creates by default. */
export const V1BETA1_TYPES_API = `${V1BETA1_TYPES}/v1beta1`;

/** Every API group KubeFed (either era) serves. */
export const FEDERATION_GROUPS: readonly string[] = [
  V1BETA1_TYPES,
  V1BETA1_CORE,
  V1BETA1_SCHEDULING,
  V1BETA1_MULTICLUSTERDNS,
  V1ALPHA1_CORE,
  V1ALPHA1_SCHEDULING,
  V1ALPHA1_MULTICLUSTERDNS,
];

/** The group of an apiVersion ('' for the core group: `v1`). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** True for an apiVersion in one of KubeFed's own API groups. */
export function isFederationApiVersion(apiVersion: string): boolean {
  return FEDERATION_GROUPS.includes(groupOf(apiVersion));
}

/** A line `apiVersion: <federation group>/...` in YAML text (quoted or not). */
export const FEDERATION_API_VERSION_LINE = new RegExp(
  `^\\s*apiVersion:\\s*["']?(?:${FEDERATION_GROUPS.map((g) => g.replace(/\./g, '\\.')).join('|')})/`,
  'm',
);
