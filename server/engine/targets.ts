/**
 * The object a federated resource stands for in a member cluster, and how it is named in reports.
 */
import type { FederatedResource, RenderedObject } from './resources.ts';
import { targetTypeOf } from './resources.ts';
import { targetApiVersion } from './render.ts';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** `<federated kind>/<namespace>/<name>` (namespace empty for cluster-scoped federated types). */
export function resourceKeyOf(res: FederatedResource): string {
  return `${res.kind}/${res.namespace}/${res.name}`;
}

/** The target is a core Namespace (a FederatedNamespace, or a v1alpha1 Namespace template). */
export function isNamespaceTarget(res: FederatedResource): boolean {
  return res.targetKind === 'Namespace' && !res.typeConfig.targetGroup;
}

/** The object in the member cluster that belongs to `res`. */
export function targetRefOf(res: FederatedResource, rendered?: RenderedObject): ObjectRef {
  const tc = res.typeConfig;
  const av = rendered?.object && typeof rendered.object.apiVersion === 'string' && rendered.object.apiVersion ? rendered.object.apiVersion : targetApiVersion(targetTypeOf(tc));
  return {
    apiVersion: av,
    kind: tc.targetKind,
    ...(tc.namespaced ? { namespace: res.namespace } : {}),
    name: res.name,
  };
}

/** Where the resource is declared, `file:line`. */
export function sourceOf(res: FederatedResource): string | undefined {
  const m = res.main;
  if (!m) return undefined;
  return `${m.uri}:${m.file.range(m.doc.start, m.doc.start).start.line + 1}`;
}

export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}
