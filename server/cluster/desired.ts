/**
 * What a member cluster should hold for a federated resource, straight from the engine: the
 * create path (Workspace.render) or the update path with KubeFed's retention from the live object
 * (the engine's renderFor with the live object), plus the two marks this tool writes: the
 * managed label and the annotation naming the federated resource (used by --prune).
 */
import type { FederatedResource, RenderedObject } from '../engine/resources.ts';
import { renderFor, targetTypeOf } from '../engine/resources.ts';
import { resourceKeyOf } from '../engine/targets.ts';
import type { Workspace } from '../engine/workspace.ts';
import { targetApiVersion } from '../engine/render.ts';
import { MANAGED_LABEL } from '../engine/managed.ts';
import type { JsonObject } from '../engine/json.ts';
import { deepClone, isObject, kubernetesKeyOrder } from '../engine/json.ts';
import { changes, removeAt, setAt, type Change } from './normalize.ts';

export { FEDERATED_RESOURCE_ANNOTATION } from '../engine/managed.ts';
import { FEDERATED_RESOURCE_ANNOTATION } from '../engine/managed.ts';

export { describeRef, isNamespaceTarget, resourceKeyOf, sourceOf, targetRefOf, type ObjectRef } from '../engine/targets.ts';

/**
 * The object `cluster` should hold: the create path without a live object, the update path
 * (retention from `live`) with one. Both from the engine.
 */
export function desiredFor(ws: Workspace, res: FederatedResource, cluster: string, live?: JsonObject | null): RenderedObject {
  return live ? renderFor(res, cluster, live) : ws.render(res, cluster);
}

/** Retained fields that are applied with the live value rather than left out (see applyBody). */
const APPLY_RETAINED = new Set(['/spec/replicas', '/metadata/resourceVersion']);

/**
 * The body sent with server-side apply: the engine's object with kind/apiVersion filled in
 * (v1alpha1 namespaces have none), the managed label (v1alpha1 objects carry none upstream) and
 * the federated-resource annotation.
 *
 * KubeFed writes the whole object, so it copies the fields it retains from the live object into
 * it. Server-side apply keeps every field this tool does not apply, so with `createPath` (the
 * object without retention) the retained fields are left out instead, to stay with their owners
 * (annotations and finalizers of other controllers, Service IPs and node ports, ServiceAccount
 * secrets). Two are kept: `metadata.resourceVersion` (KubeFed's guard against concurrent
 * writers) and `spec.replicas` under retainReplicas (applied with the live value, so giving up
 * the field can never reset it to its default).
 */
export function applyBody(res: FederatedResource, obj: JsonObject, createPath?: JsonObject): JsonObject {
  const out = deepClone(obj);
  if (createPath) {
    for (const c of changes(createPath, obj)) {
      if (APPLY_RETAINED.has(c.path)) continue;
      if (c.desired === undefined) removeAt(out, c.path);
      else setAt(out, c.path, c.desired);
    }
  }
  const tc = res.typeConfig;
  if (typeof out.apiVersion !== 'string' || !out.apiVersion) out.apiVersion = targetApiVersion(targetTypeOf(tc));
  if (typeof out.kind !== 'string' || !out.kind) out.kind = tc.targetKind;
  const md: JsonObject = isObject(out.metadata) ? out.metadata : (out.metadata = {});
  if (!tc.namespaced) delete md.namespace;
  const labels: JsonObject = isObject(md.labels) ? md.labels : (md.labels = {});
  labels[MANAGED_LABEL] = 'true';
  const annotations: JsonObject = isObject(md.annotations) ? md.annotations : (md.annotations = {});
  annotations[FEDERATED_RESOURCE_ANNOTATION] = resourceKeyOf(res);
  return kubernetesKeyOrder(out);
}

/**
 * Fields KubeFed keeps from the live object on update (semantics §6.3): where the update-path
 * object differs from the create-path object, with the live value.
 */
export function retainedFields(createPath: JsonObject | undefined, updatePath: JsonObject | undefined): Change[] {
  if (!createPath || !updatePath) return [];
  return changes(createPath, updatePath)
    .filter((c) => c.path !== '/metadata/resourceVersion' && c.live !== undefined)
    .map((c) => ({ path: c.path, live: c.live }));
}
