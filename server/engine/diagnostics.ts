/**
 * Diagnostics with stable codes, precise ranges and related locations.
 */
import type { Location, Range } from './text.ts';

export type Severity = 'error' | 'warning' | 'info';

export const DIAGNOSTIC_CODES = {
  'yaml-syntax': 'The YAML of a document cannot be parsed (or expands too many aliases).',
  'unknown-federated-kind': 'A federated kind (or v1alpha1 template/placement/override kind) that no FederatedTypeConfig enables; information only for a Federated* kind shaped like one (spec.placement) in a group no FederatedTypeConfig of the workspace uses.',
  'duplicate-object': 'One object (group, kind, namespace, name) defined twice in one file: applied, the later one replaces the earlier.',
  'template-missing': 'A federated resource without spec.template.',
  'placement-empty': 'The placement selects no cluster, so the resource goes nowhere.',
  'unknown-cluster': 'A cluster name that is not a known member cluster.',
  'duplicate-cluster-override': 'Two override entries for one cluster: KubeFed fails the resource in every cluster.',
  'duplicate-override-path': 'One path overridden twice for one cluster: KubeFed fails the resource in every cluster.',
  'override-for-unplaced-cluster': 'An override for a cluster the resource is not placed on: it has no effect.',
  'override-path-invalid': 'An override path or op that is not a valid JSON pointer/operation.',
  'override-path-not-found': 'An override that fails on the template (ApplyOverridesFailed): a missing parent or index.',
  'override-forbidden-path': 'An override of a field KubeFed forbids (/metadata/name, /metadata/namespace, /metadata/generateName, /kind) or of an object prototype.',
  'namespace-not-federated': 'A namespaced federated resource whose namespace has no FederatedNamespace: it is removed from every cluster.',
  'namespace-not-placed': 'Clusters selected by the resource but not by its FederatedNamespace: it does not go there.',
  'orphan-placement': 'A v1alpha1 placement without a template of the same namespace/name.',
  'orphan-override': 'A v1alpha1 override without a template of the same namespace/name.',
  'rsp-target-missing': 'A ReplicaSchedulingPreference without a federated object of its targetKind and name.',
  'rsp-overrides-clobbered': 'Replica overrides or placement that a ReplicaSchedulingPreference rewrites.',
  'invalid-kubefedcluster': 'A KubeFedCluster that KubeFed admission would reject.',
  'invalid-federatedtypeconfig': 'A FederatedTypeConfig that KubeFed admission would reject.',
  'invalid-kubefedconfig': 'A KubeFedConfig that KubeFed admission would reject.',
  'placement-invalid': 'A placement that cannot be computed (ComputePlacementFailed), e.g. a bad label selector.',
  'render-failed': 'The object for a cluster cannot be computed (e.g. FieldRetentionFailed or an override error).',
  'template-annotations-dropped': 'Template annotations or finalizers that v1beta1 KubeFed drops (AnnotationsNotSupported / FinalizersNotSupported).',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface RelatedInfo {
  location: Location;
  message: string;
}

export interface EngineDiagnostic {
  uri: string;
  range: Range;
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  related?: RelatedInfo[];
  /** Data for quick fixes (e.g. the cluster to add, the suggested path). */
  data?: Record<string, unknown>;
}

export function diag(
  loc: Location,
  severity: Severity,
  code: DiagnosticCode,
  message: string,
  extra: { related?: RelatedInfo[]; data?: Record<string, unknown> } = {},
): EngineDiagnostic {
  const d: EngineDiagnostic = { uri: loc.uri, range: loc.range, severity, code, message };
  if (extra.related?.length) d.related = extra.related;
  if (extra.data) d.data = extra.data;
  return d;
}

export function compareDiagnostics(a: EngineDiagnostic, b: EngineDiagnostic): number {
  return (
    (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}
