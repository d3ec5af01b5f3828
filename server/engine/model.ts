/**
 * What a YAML object is, in KubeFed terms, for both API eras.
 */
import type { JsonObject } from './json.ts';
import { isObject, own } from './json.ts';
import type { TypeConfig } from './typeconfigs.ts';
import { nearest } from './spelling.ts';
import { V1ALPHA1_CORE, V1ALPHA1_SCHEDULING, V1BETA1_CORE, V1BETA1_SCHEDULING, V1BETA1_TYPES, type Era } from './apiGroups.ts';

export type { Era };

export type ObjectRole =
  | { role: 'federated'; era: 'v1beta1'; typeConfig: TypeConfig }
  | { role: 'template'; era: 'v1alpha1'; typeConfig: TypeConfig }
  | { role: 'placement'; era: 'v1alpha1'; typeConfig: TypeConfig }
  | { role: 'override'; era: 'v1alpha1'; typeConfig: TypeConfig }
  /**
   * A Federated* kind no FederatedTypeConfig enables: in a group FTCs use (`unregisteredGroup`
   * unset), or shaped like a federated resource (a placement, or a template with overrides) in a group
   * no FTC of the workspace uses (`unregisteredGroup`: it may be enabled only on the host cluster).
   */
  | { role: 'unknown-federated'; era: Era; expectedGroup: string; suggestion?: string; unregisteredGroup?: true }
  | { role: 'ftc'; era: Era }
  | { role: 'kubefedcluster' }
  | { role: 'federatedcluster' }
  | { role: 'kubefedconfig' }
  | { role: 'rsp'; era: Era }
  | { role: 'namespace' }
  | { role: 'other' };

export interface Meta {
  apiVersion: string;
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace: string;
}

export function metaOf(o: JsonObject): Meta {
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const slash = apiVersion.lastIndexOf('/');
  const md = own(o, 'metadata');
  const name = own(md, 'name');
  const ns = own(md, 'namespace');
  return {
    apiVersion,
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    kind: typeof o.kind === 'string' ? o.kind : '',
    name: typeof name === 'string' ? name : '',
    namespace: typeof ns === 'string' ? ns : '',
  };
}

/** The v1beta1 shape: spec.placement, or spec.template with spec.overrides. */
function looksFederated(o: JsonObject): boolean {
  const spec = own(o, 'spec');
  return isObject(own(spec, 'placement')) || (isObject(own(spec, 'template')) && Array.isArray(own(spec, 'overrides')));
}

/** Type configs indexed by the kinds that refer to them. */
export class TypeIndex {
  private readonly federated = new Map<string, TypeConfig>(); // `${group}|${kind}` (v1beta1)
  private readonly v1alpha1Template = new Map<string, TypeConfig>();
  private readonly v1alpha1Placement = new Map<string, TypeConfig>();
  private readonly v1alpha1Override = new Map<string, TypeConfig>();
  private readonly federatedGroups = new Set<string>([V1BETA1_TYPES]);
  readonly all: TypeConfig[];

  constructor(configs: TypeConfig[]) {
    this.all = configs;
    for (const tc of configs) {
      if (tc.era === 'v1beta1') {
        this.federated.set(`${tc.federatedGroup}|${tc.federatedKind}`, tc);
        if (tc.federatedGroup) this.federatedGroups.add(tc.federatedGroup);
      } else {
        if (tc.templateKind) this.v1alpha1Template.set(tc.templateKind, tc);
        if (tc.placementKind) this.v1alpha1Placement.set(tc.placementKind, tc);
        if (tc.overrideKind) this.v1alpha1Override.set(tc.overrideKind, tc);
      }
    }
  }

  federatedKinds(): TypeConfig[] {
    return this.all.filter((t) => t.era === 'v1beta1');
  }

  /** What an object is: its kind's role, or a Federated* kind shaped like a federated resource. */
  classify(o: JsonObject): ObjectRole {
    const m = metaOf(o);
    const role = this.classifyKind(m.group, m.kind);
    if (role.role === 'other' && m.group && m.kind.startsWith('Federated') && looksFederated(o)) {
      return { role: 'unknown-federated', era: 'v1beta1', expectedGroup: m.group, unregisteredGroup: true };
    }
    return role;
  }

  /**
   * What a kind of an API group is (the apiVersion's version plays no part), without looking at
   * the object: the classifier of the engine, of the schema registry and of the quick fixes.
   */
  classifyKind(group: string, k: string): ObjectRole {
    switch (group) {
      case V1BETA1_CORE:
        if (k === 'FederatedTypeConfig') return { role: 'ftc', era: 'v1beta1' };
        if (k === 'KubeFedCluster') return { role: 'kubefedcluster' };
        if (k === 'KubeFedConfig') return { role: 'kubefedconfig' };
        return { role: 'other' };
      case V1BETA1_SCHEDULING:
        if (k === 'ReplicaSchedulingPreference') return { role: 'rsp', era: 'v1beta1' };
        return { role: 'other' };
      case V1ALPHA1_SCHEDULING:
        if (k === 'ReplicaSchedulingPreference') return { role: 'rsp', era: 'v1alpha1' };
        return { role: 'other' };
      case V1ALPHA1_CORE: {
        if (k === 'FederatedTypeConfig') return { role: 'ftc', era: 'v1alpha1' };
        if (k === 'FederatedCluster') return { role: 'federatedcluster' };
        if (k === 'PropagatedVersion') return { role: 'other' };
        const t = this.v1alpha1Template.get(k);
        if (t) return { role: 'template', era: 'v1alpha1', typeConfig: t };
        const p = this.v1alpha1Placement.get(k);
        if (p) return { role: 'placement', era: 'v1alpha1', typeConfig: p };
        const ov = this.v1alpha1Override.get(k);
        if (ov) return { role: 'override', era: 'v1alpha1', typeConfig: ov };
        if (k.startsWith('Federated')) {
          const names = [...this.v1alpha1Template.keys(), ...this.v1alpha1Placement.keys(), ...this.v1alpha1Override.keys()];
          return { role: 'unknown-federated', era: 'v1alpha1', expectedGroup: group, suggestion: nearest(k, names) };
        }
        return { role: 'other' };
      }
    }
    if (group === '' && k === 'Namespace') return { role: 'namespace' };
    const f = this.federated.get(`${group}|${k}`);
    if (f) return { role: 'federated', era: 'v1beta1', typeConfig: f };
    if (this.federatedGroups.has(group)) {
      const names = this.federatedKinds()
        .filter((t) => t.federatedGroup === group)
        .map((t) => t.federatedKind ?? '');
      return { role: 'unknown-federated', era: 'v1beta1', expectedGroup: group, suggestion: nearest(k, names) };
    }
    return { role: 'other' };
  }

  /** The type config whose federated kind (any group) is `kind`, used for suggestions. */
  byFederatedKind(kind: string): TypeConfig | undefined {
    return this.federatedKinds().find((t) => t.federatedKind === kind);
  }

  byTargetKind(era: Era, kind: string): TypeConfig | undefined {
    return this.all.find((t) => t.era === era && t.targetKind === kind);
  }
}

export function labelsOf(o: JsonObject): Record<string, string> {
  const l = own(own(o, 'metadata'), 'labels');
  const out: Record<string, string> = {};
  if (isObject(l)) for (const [k, v] of Object.entries(l)) if (typeof v === 'string') out[k] = v;
  return out;
}
