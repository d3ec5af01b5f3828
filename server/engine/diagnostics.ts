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
  'duplicate-placement-cluster': 'A cluster listed twice in one placement (spec.placement.clusters, v1alpha1 spec.clusterNames): the second entry adds nothing.',
  'not-utf8': 'A file that is not valid UTF-8, at its first bad byte: kubectl and KubeFed cannot read it, so its content is not analysed.',
  'kubefed-status': "What KubeFed itself reports about the resource in the host cluster: a cluster it could not propagate to, a failed Propagation, a host version that differs from the file, a change not yet seen.",
  'cluster-kind-not-served': 'A member cluster the resource is placed on does not serve its target kind and version (the schemas that cluster serves, with its version).',
  'cluster-schema': 'A template field unknown to a member cluster it is placed on (warning), or of another type there (error), by the schemas that cluster serves.',
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
  const d: EngineDiagnostic = { uri: loc.uri, range: loc.range, severity, code, message: boundMessage(message) };
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

/** The most characters of quoted text (and of any run without spaces) a message shows. */
export const QUOTED_MAX = 80;
const LONG_RUN = new RegExp(`[^\\s"]{${QUOTED_MAX + 1},}`, 'g');
/** The most characters of a whole message. */
export const MESSAGE_MAX = 1000;

/** `s` cut to `max` characters with an ellipsis (never inside a surrogate pair or a `\u` escape). */
export function clip(s: string, max = QUOTED_MAX): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  cut = cut.replace(/\\(u[0-9a-fA-F]{0,3})?$/, '');
  return cut + '…';
}

/**
 * A message with its quoted text bounded: a message quotes names, values and source tokens (the
 * YAML parser quotes a whole unexpected scalar, megabytes of a binary file), so every quoted
 * string and every run without spaces is cut to QUOTED_MAX characters, and the whole to MESSAGE_MAX.
 */
export function boundMessage(m: string): string {
  if (m.length <= QUOTED_MAX) return m;
  const out = m
    .replace(/"((?:[^"\\\n]|\\.)*)"/g, (all: string, inner: string) => (inner.length > QUOTED_MAX ? `"${clip(inner)}"` : all))
    .replace(LONG_RUN, (run) => clip(run));
  return clip(out, MESSAGE_MAX);
}
