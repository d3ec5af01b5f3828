/**
 * Cluster selection for federated resources (semantics §4).
 *
 * v1beta1: `spec.placement.clusters` (present, even empty, wins over the selector) or
 * `spec.placement.clusterSelector` against KubeFedCluster labels; namespaced types are
 * intersected with the FederatedNamespace placement. Readiness plays no part.
 * v1alpha1: ready FederatedClusters ∩ `spec.clusterNames` of the separate placement object;
 * a Namespace without placement goes to every ready cluster.
 */
import type { JsonObject } from './json.ts';
import { isObject, own, setOwn } from './json.ts';
import { isClusterReady } from './health.ts';
import { compileLabelSelector, describeRequirement, matchCompiled, type CompiledSelector } from './labelselector.ts';
import { nestedStringSlice, nestedString, valueOr } from './retain.ts';

export type PlacementWhy =
  | 'explicit-list'
  | 'not-in-list'
  | 'empty-list'
  | 'selector-match'
  | 'selector-mismatch'
  | 'selector-all'
  | 'no-placement'
  | 'excluded-by-namespace'
  | 'namespace-not-federated'
  | 'not-ready'
  | 'cluster-names'
  | 'not-in-cluster-names'
  | 'namespace-without-placement';

export interface ClusterReason {
  selected: boolean;
  why: PlacementWhy;
  detail?: string;
}

export type Reasons = Record<string, ClusterReason>;

/** Each reason in words, for every face (hover, placement view, CLI). */
export const REASON_TEXT: Record<PlacementWhy, string> = {
  'explicit-list': 'listed in placement.clusters',
  'not-in-list': 'not listed in placement.clusters',
  'empty-list': 'placement.clusters is empty',
  'selector-match': 'labels match the clusterSelector',
  'selector-mismatch': 'labels do not match the clusterSelector',
  'selector-all': 'the clusterSelector selects every cluster',
  'no-placement': 'no placement',
  'excluded-by-namespace': 'excluded by the FederatedNamespace placement',
  'namespace-not-federated': 'the namespace has no FederatedNamespace',
  'not-ready': 'cluster not ready',
  'cluster-names': 'listed in clusterNames',
  'not-in-cluster-names': 'not listed in clusterNames',
  'namespace-without-placement': 'a namespace without placement goes everywhere',
};

/** A reason as a sentence: its words, then its detail when that adds something. */
export function reasonText(r: { why: string; detail?: string }): string {
  const base = Object.prototype.hasOwnProperty.call(REASON_TEXT, r.why) ? REASON_TEXT[r.why as PlacementWhy] : r.why;
  return r.detail && !base.includes(r.detail) ? `${base} — ${r.detail}` : base;
}

function setReason(r: Reasons, name: string, reason: ClusterReason): void {
  setOwn(r, name, reason);
}

function hasOwn(o: JsonObject, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

function clusterName(cluster: unknown): string {
  return valueOr(nestedString(cluster, ['metadata', 'name'])) ?? '';
}

function clusterLabels(cluster: unknown): unknown {
  return isObject(cluster) && isObject(cluster.metadata) ? cluster.metadata.labels : undefined;
}

// ---------------------------------------------------------------------------------------------
// v1beta1
// ---------------------------------------------------------------------------------------------

export interface PlacementFields {
  /** null = `clusters` absent or null (the selector decides). */
  clusterNames: string[] | null;
  selector: CompiledSelector;
}

/**
 * Reads spec.placement of a federated object as Go's GenericPlacement decoding does.
 * Wrong JSON types and invalid selectors are errors (ComputePlacementFailed upstream).
 */
export function readPlacement(obj: unknown): { ok: true; placement: PlacementFields } | { ok: false; error: string } {
  const sub = (o: unknown, key: string, path: string): { ok: true; v: JsonObject | null } | { ok: false; error: string } => {
    if (!isObject(o) || !hasOwn(o, key) || o[key] === null) return { ok: true, v: null };
    const v = o[key];
    return isObject(v) ? { ok: true, v } : { ok: false, error: `${path} must be an object` };
  };
  const spec = sub(obj, 'spec', 'spec');
  if (!spec.ok) return spec;
  const placement = sub(spec.v, 'placement', 'spec.placement');
  if (!placement.ok) return placement;
  const p = placement.v ?? {};

  let clusterNames: string[] | null = null;
  const clusters = hasOwn(p, 'clusters') ? p.clusters : null;
  if (clusters !== null && clusters !== undefined) {
    if (!Array.isArray(clusters)) return { ok: false, error: 'spec.placement.clusters must be a list' };
    clusterNames = [];
    for (let i = 0; i < clusters.length; i++) {
      const c = clusters[i];
      if (c === null) {
        clusterNames.push('');
        continue;
      }
      if (!isObject(c)) return { ok: false, error: `spec.placement.clusters[${i}] must be an object` };
      const n = hasOwn(c, 'name') ? c.name : null;
      if (n !== null && typeof n !== 'string') return { ok: false, error: `spec.placement.clusters[${i}].name must be a string` };
      clusterNames.push(n ?? '');
    }
  }
  const compiled = compileLabelSelector(hasOwn(p, 'clusterSelector') ? p.clusterSelector : null);
  if (!compiled.ok) {
    return {
      ok: false,
      error: compiled.errors.map((e) => `spec.placement.clusterSelector.${e.path}: ${e.message}`).join('; '),
    };
  }
  return { ok: true, placement: { clusterNames, selector: compiled.selector } };
}

export type ComputedPlacement =
  | { ok: true; selected: Set<string>; reasons: Reasons }
  | { ok: false; error: string };

/** ComputePlacement for one object: the selected names among `clusters`, with a reason per cluster. */
export function computePlacement(obj: unknown, clusters: readonly unknown[], selectorOnly = false): ComputedPlacement {
  const read = readPlacement(obj);
  if (!read.ok) return read;
  const { clusterNames, selector } = read.placement;
  const selected = new Set<string>();
  const reasons: Reasons = {};
  if (selectorOnly || clusterNames === null) {
    const byName = new Map<string, ClusterReason>();
    for (const c of clusters) {
      const name = clusterName(c);
      const m = matchCompiled(selector, clusterLabels(c));
      let reason: ClusterReason;
      if (selector.kind === 'nothing') reason = { selected: false, why: 'no-placement', detail: 'no clusters list and no clusterSelector' };
      else if (selector.kind === 'everything') reason = { selected: true, why: 'selector-all', detail: 'clusterSelector without requirements selects every cluster' };
      else if (m.matches) reason = { selected: true, why: 'selector-match' };
      else reason = { selected: false, why: 'selector-mismatch', ...(m.failed ? { detail: `label requirement ${describeRequirement(m.failed)} does not hold` } : {}) };
      if (!byName.get(name)?.selected) byName.set(name, reason);
      if (m.matches) selected.add(name);
    }
    for (const [name, reason] of byName) setReason(reasons, name, reason);
  } else {
    const listed = new Set(clusterNames);
    for (const c of clusters) {
      const name = clusterName(c);
      if (listed.has(name)) {
        selected.add(name);
        setReason(reasons, name, { selected: true, why: 'explicit-list' });
      } else {
        setReason(reasons, name, clusterNames.length === 0
          ? { selected: false, why: 'empty-list', detail: 'clusters: [] selects nothing, even with a clusterSelector' }
          : { selected: false, why: 'not-in-list' });
      }
    }
  }
  return { ok: true, selected, reasons };
}

export interface V1beta1PlacementInput {
  federatedObject: unknown;
  /** KubeFedCluster objects (ready or not). */
  clusters: readonly unknown[];
  /** undefined = not a namespaced type; null = the FederatedNamespace does not exist. */
  federatedNamespace?: unknown;
  /** Namespace-scoped control plane. */
  limitedScope?: boolean;
  /** Evaluate selectors only, ignoring `clusters` lists (RSP intersectWithClusterSelector). */
  selectorOnly?: boolean;
}

export interface V1beta1Placement {
  /** Sorted selected cluster names. */
  selected: string[];
  /** Aggregate reason NamespaceNotFederated (cluster-scoped control plane, FederatedNamespace missing). */
  namespaceNotFederated?: true;
  /** Placement cannot be computed (ComputePlacementFailed). */
  error?: string;
  reasons: Reasons;
}

const sorted = (s: Iterable<string>): string[] => [...s].sort();

export function placeV1beta1(input: V1beta1PlacementInput): V1beta1Placement {
  const clusters = input.clusters ?? [];
  const selectorOnly = input.selectorOnly ?? false;
  const resource = computePlacement(input.federatedObject, clusters, selectorOnly);
  if (!resource.ok) return { selected: [], error: resource.error, reasons: {} };
  if (input.federatedNamespace === undefined) return { selected: sorted(resource.selected), reasons: resource.reasons };

  if (input.federatedNamespace === null) {
    if (input.limitedScope) return { selected: sorted(resource.selected), reasons: resource.reasons };
    const reasons: Reasons = {};
    for (const [name, r] of Object.entries(resource.reasons)) {
      setReason(reasons, name, {
        selected: false,
        why: 'namespace-not-federated',
        detail: `the resource's own placement: ${reasonText(r)}`,
      });
    }
    return { selected: [], namespaceNotFederated: true, reasons };
  }

  const ns = computePlacement(input.federatedNamespace, clusters, selectorOnly);
  if (!ns.ok) return { selected: [], error: `FederatedNamespace: ${ns.error}`, reasons: {} };
  const selected = [...resource.selected].filter((n) => ns.selected.has(n));
  const reasons: Reasons = {};
  for (const [name, r] of Object.entries(resource.reasons)) {
    const nr = Object.prototype.hasOwnProperty.call(ns.reasons, name) ? ns.reasons[name] : undefined;
    if (r.selected && !ns.selected.has(name)) {
      setReason(reasons, name, {
        selected: false,
        why: 'excluded-by-namespace',
        ...(nr ? { detail: `the FederatedNamespace's own placement: ${reasonText(nr)}` } : {}),
      });
    } else {
      setReason(reasons, name, r);
    }
  }
  return { selected: sorted(selected), reasons };
}

// ---------------------------------------------------------------------------------------------
// v1alpha1
// ---------------------------------------------------------------------------------------------

export interface V1alpha1PlacementInput {
  targetKind: string;
  /** The FederatedXPlacement object, or null when none exists. */
  placement: unknown;
  /** FederatedCluster objects with status.conditions. */
  clusters: readonly unknown[];
}

export interface V1alpha1Placement {
  /** Sorted; ready clusters only. */
  selected: string[];
  /** Sorted; ready clusters only (their copies get deleted). */
  unselected: string[];
  error?: string;
  reasons: Reasons;
}

export function placeV1alpha1(input: V1alpha1PlacementInput): V1alpha1Placement {
  const reasons: Reasons = {};
  const ready = new Set<string>();
  for (const c of input.clusters ?? []) {
    const name = clusterName(c);
    if (isClusterReady(own(c, 'status'))) ready.add(name);
    else if (!ready.has(name)) setReason(reasons, name, { selected: false, why: 'not-ready', detail: 'only ready clusters take part' });
  }
  const isNamespace = input.targetKind === 'Namespace';
  if (input.placement === null || input.placement === undefined) {
    for (const name of ready) {
      setReason(reasons, name, isNamespace
        ? { selected: true, why: 'namespace-without-placement', detail: 'a namespace without placement goes to every ready cluster' }
        : { selected: false, why: 'no-placement', detail: 'no placement object exists' });
    }
    return isNamespace
      ? { selected: sorted(ready), unselected: [], reasons }
      : { selected: [], unselected: sorted(ready), reasons };
  }
  const names = nestedStringSlice(input.placement, ['spec', 'clusterNames'], 'legacy');
  if ('error' in names) return { selected: [], unselected: [], error: names.error, reasons: {} };
  const listed = new Set(names.found ? names.value : []);
  const selected: string[] = [];
  const unselected: string[] = [];
  for (const name of ready) {
    if (listed.has(name)) {
      selected.push(name);
      setReason(reasons, name, { selected: true, why: 'cluster-names' });
    } else {
      unselected.push(name);
      setReason(reasons, name, {
        selected: false,
        why: 'not-in-cluster-names',
        ...(names.found ? {} : { detail: 'the placement has no spec.clusterNames (field names are case-sensitive)' }),
      });
    }
  }
  return { selected: sorted(selected), unselected: sorted(unselected), reasons };
}
