/**
 * Per-member-cluster decision of the sync (push propagation) controller.
 * v1beta1: kubefed pkg/controller/sync/controller.go (syncToClusters), dispatch/managed.go
 * (Create/Update/Wait) and util/propagatedversion.go (ObjectNeedsUpdate) at HEAD.
 * v1alpha1: pkg/controller/sync/controller.go (clusterOperations) at 0d38cc775.
 */
import type { Era } from './apiGroups.ts';
import { deepEqual, own } from './json.ts';
import { isExplicitlyUnmanaged, stringMap } from './managed.ts';

export type V1beta1Operation = 'create' | 'update' | 'none' | 'delete' | 'removeManagedLabel';
export type V1alpha1Operation = 'add' | 'update' | 'none' | 'delete';

export interface SyncDecisionInput {
  era?: Era;
  clusterReady: boolean;
  /** Placement result for this cluster. */
  selected: boolean;
  /** Object of that name in the member cluster that is cached (v1beta1: labeled managed=true). */
  cachedObject?: unknown;
  /** v1beta1: the pre-existing object found when a create fails with AlreadyExists. */
  createConflict?: unknown;
  /** v1beta1 FederatedNamespace: the object is the host cluster's own namespace.
   *  v1alpha1 Namespace: the copy in the primary cluster (same UID as the template). */
  isHostNamespace?: boolean;
  isPrimaryCluster?: boolean;
  /** KubeFedConfig spec.syncController.adoptResources: 'Enabled' (default) | 'Disabled'. */
  adoptResources?: string;
  /** Version recorded for this cluster; '' or null = none (or invalidated). */
  recordedVersion?: string | null;
  /** The object KubeFed would write. */
  desired?: unknown;
  /** Per-cluster status raised while computing the desired object or contacting the cluster
   *  (ComputeResourceFailed, ApplyOverridesFailed, FieldRetentionFailed, VersionRetrievalFailed,
   *  CachedRetrievalFailed, ClientRetrievalFailed, ...). */
  computeError?: string | null;
  /** v1alpha1 FTC spec.comparisonField: 'Generation' (default) | 'ResourceVersion'. */
  comparisonField?: string;
  /** v1alpha1: target kind (Namespace enables the primary-cluster rule). */
  targetKind?: string;
}

export type SyncDecision =
  | { operation: V1beta1Operation; status: string | null }
  | { operation: V1alpha1Operation };

// ---------------------------------------------------------------------------------------------
// Object metadata helpers (unstructured accessors)

/** unstructured NestedString: the string value or ''. */
function metaString(obj: unknown, key: string): string {
  const v = own(own(obj, 'metadata'), key);
  return typeof v === 'string' ? v : '';
}

/** unstructured GetGeneration: an integer or 0. */
export function generationOf(obj: unknown): number {
  const v = own(own(obj, 'metadata'), 'generation');
  return typeof v === 'number' && Number.isInteger(v) ? v : 0;
}

function isBeingDeleted(obj: unknown): boolean {
  const v = own(own(obj, 'metadata'), 'deletionTimestamp');
  return v !== undefined && v !== null;
}

function mapsEquivalent(a: Record<string, string> | null, b: Record<string, string> | null): boolean {
  const la = a ? Object.keys(a).length : 0;
  const lb = b ? Object.keys(b).length : 0;
  if (la === 0 && lb === 0) return true;
  return deepEqual(a, b);
}

/** ObjectMetaObjEquivalent: name, namespace, labels, annotations (nil and empty maps are equal). */
export function objectMetaEquivalent(a: unknown, b: unknown): boolean {
  return (
    metaString(a, 'name') === metaString(b, 'name') &&
    metaString(a, 'namespace') === metaString(b, 'namespace') &&
    mapsEquivalent(stringMap(a, 'labels'), stringMap(b, 'labels')) &&
    mapsEquivalent(stringMap(a, 'annotations'), stringMap(b, 'annotations'))
  );
}

// ---------------------------------------------------------------------------------------------
// Versions (§8.1.3)

/** util.ObjectVersion: 'gen:<generation>' when generation != 0, else 'rv:<resourceVersion>'. */
export function objectVersion(clusterObject: unknown): string {
  const gen = generationOf(clusterObject);
  return gen !== 0 ? `gen:${gen}` : `rv:${metaString(clusterObject, 'resourceVersion')}`;
}

/** util.ObjectNeedsUpdate: recorded version differs, or a gen: version matches but metadata differs. */
export function needsUpdate(desired: unknown, clusterObject: unknown, recordedVersion: string | null | undefined): boolean {
  const target = objectVersion(clusterObject);
  if ((recordedVersion ?? '') !== target) return true;
  return target.startsWith('gen:') && !objectMetaEquivalent(desired, clusterObject);
}

/** v1alpha1 ComparisonHelper.GetVersion: decimal generation or the resourceVersion. */
export function seedObjectVersion(clusterObject: unknown, comparisonField: string): string {
  if (comparisonField === 'Generation') return String(generationOf(clusterObject));
  if (comparisonField === 'ResourceVersion') return metaString(clusterObject, 'resourceVersion');
  throw new Error(`Unrecognized version comparison field ${comparisonField}`);
}

// ---------------------------------------------------------------------------------------------
// Decisions

/** Statuses raised before any create/update call (ObjectForCluster, ApplyOverrides). */
const CREATE_STAGE_ERRORS = new Set(['ComputeResourceFailed', 'ApplyOverridesFailed']);
/** Statuses raised only on the update path (after the managed-label check). */
const UPDATE_STAGE_ERRORS = new Set(['ComputeResourceFailed', 'ApplyOverridesFailed', 'FieldRetentionFailed', 'VersionRetrievalFailed']);

const present = (o: unknown): boolean => o !== undefined && o !== null;

function v1beta1Update(input: SyncDecisionInput, clusterObj: unknown): { operation: V1beta1Operation; status: string | null } {
  if (isExplicitlyUnmanaged(clusterObj)) return { operation: 'none', status: 'ManagedLabelFalse' };
  const err = input.computeError ?? '';
  if (UPDATE_STAGE_ERRORS.has(err)) return { operation: 'none', status: err };
  const desired = present(input.desired) ? input.desired : {};
  return { operation: needsUpdate(desired, clusterObj, input.recordedVersion) ? 'update' : 'none', status: '' };
}

function v1beta1Decision(input: SyncDecisionInput): { operation: V1beta1Operation; status: string | null } {
  const err = input.computeError ?? '';
  if (!input.clusterReady) return { operation: 'none', status: input.selected ? 'ClusterNotReady' : null };
  if (err === 'CachedRetrievalFailed') return { operation: 'none', status: err };
  const cached = input.cachedObject;
  if (!input.selected) {
    if (!present(cached)) return { operation: 'none', status: null };
    if (isBeingDeleted(cached)) return { operation: 'none', status: 'WaitingForRemoval' };
    if (input.isHostNamespace) {
      if (err === 'ClientRetrievalFailed') return { operation: 'none', status: err };
      return { operation: 'removeManagedLabel', status: null };
    }
    if (err === 'ClientRetrievalFailed') return { operation: 'none', status: err };
    return { operation: 'delete', status: 'WaitingForRemoval' };
  }
  if (err === 'ClientRetrievalFailed') return { operation: 'none', status: err };
  if (present(cached)) return v1beta1Update(input, cached);

  // Create path.
  if (CREATE_STAGE_ERRORS.has(err)) return { operation: 'none', status: err };
  const conflict = input.createConflict;
  if (!present(conflict)) return { operation: 'create', status: '' };
  // AlreadyExists: the object was read back; adopt it unless adoption is disabled.
  if (input.adoptResources === 'Disabled' && !input.isHostNamespace) return { operation: 'none', status: 'AlreadyExists' };
  return v1beta1Update(input, conflict);
}

function v1alpha1Decision(input: SyncDecisionInput): { operation: V1alpha1Operation } {
  if (!input.clusterReady) return { operation: 'none' };
  const cached = input.cachedObject;
  if (!input.selected) return { operation: present(cached) ? 'delete' : 'none' };
  // An error computing the desired object aborts the operations of every cluster.
  if (present(input.computeError) && input.computeError !== '') return { operation: 'none' };
  if (!present(cached)) return { operation: 'add' };
  const primary = input.isPrimaryCluster ?? input.isHostNamespace ?? false;
  if (primary && (input.targetKind === undefined || input.targetKind === 'Namespace')) return { operation: 'none' };
  const recorded = input.recordedVersion;
  if (recorded === undefined || recorded === null || recorded === '') return { operation: 'update' };
  const field = input.comparisonField ?? 'Generation';
  if (recorded !== seedObjectVersion(cached, field)) return { operation: 'update' };
  if (field === 'Generation') {
    // The desired object carries the live resourceVersion; metadata compare ignores it anyway.
    const desired = present(input.desired) ? input.desired : {};
    if (!objectMetaEquivalent(desired, cached)) return { operation: 'update' };
  }
  return { operation: 'none' };
}

/**
 * What the sync controller does in one member cluster and the per-cluster status reported after a
 * successful pass (v1beta1; '' = OK, null = not listed in status.clusters). v1alpha1 reports no status.
 */
export function syncDecision(input: SyncDecisionInput): SyncDecision {
  return input.era === 'v1alpha1' ? v1alpha1Decision(input) : v1beta1Decision(input);
}
