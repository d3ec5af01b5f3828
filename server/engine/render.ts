/**
 * The object KubeFed writes to one member cluster (semantics §6), both eras, create and update.
 *
 * v1beta1: template -> drop template annotations/finalizers (warning events) -> force name,
 * namespace (non-Namespace targets), kind, default apiVersion -> (update) retention from the live
 * object -> overrides -> managed label.
 * v1alpha1: template body (or the Namespace's own name/namespace/labels/annotations) -> override
 * field -> (update) resourceVersion and, for Services, clusterIP from the live object.
 */
import type { Json, JsonObject } from './json.ts';
import { deepClone, isObject } from './json.ts';
import { applyOverrideV1alpha1, applyOverrides } from './overrides.ts';
import { isExplicitlyUnmanaged, MANAGED_LABEL } from './managed.ts';
import {
  nestedMap,
  nestedSlice,
  nestedString,
  nestedStringMap,
  nestedStringSlice,
  removeNestedField,
  retainClusterFields,
  setNestedField,
  setOrRemoveString,
  valueOr,
} from './retain.ts';

export type RenderStatus =
  | 'ComputeResourceFailed'
  | 'FieldRetentionFailed'
  | 'ApplyOverridesFailed'
  | 'ManagedLabelFalse';

export type RenderResult =
  | { ok: true; object: JsonObject; events: string[] }
  | { ok: false; status: RenderStatus; message: string; events: string[] };

export interface TargetType {
  group?: string;
  version?: string;
  kind?: string;
  pluralName?: string;
  scope?: string;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** `<group>/<version>`, with the core group written as plain `v1`. */
export function targetApiVersion(target: unknown): string {
  const t = isObject(target) ? target : {};
  const group = str(t.group);
  const version = str(t.version);
  return group === '' ? version : `${group}/${version}`;
}

function getString(obj: unknown, fields: string[]): string {
  return valueOr(nestedString(obj, fields)) ?? '';
}

export interface RenderV1beta1Input {
  /** FTC spec.targetType. */
  targetType: unknown;
  federatedObject: unknown;
  clusterName: string;
  /** The live object in the member cluster; present only for the update path. */
  clusterObject?: unknown;
}

/**
 * ObjectForCluster (create path steps 1-4): the template body with name/namespace/kind/apiVersion.
 * `events` receives the warning reasons recorded on the federated object.
 */
export function objectForClusterV1beta1(
  targetType: unknown,
  federatedObject: unknown,
  events: string[],
): { ok: true; object: JsonObject } | { ok: false; message: string } {
  const body = nestedMap(federatedObject, ['spec', 'template']);
  if ('error' in body) return { ok: false, message: `Error retrieving template body: ${body.error}` };
  const obj: JsonObject = body.found ? body.value : {};
  const annotations = valueOr(nestedStringMap(obj, ['metadata', 'annotations']));
  if (annotations && Object.keys(annotations).length > 0) {
    events.push('AnnotationsNotSupported');
    removeNestedField(obj, ['metadata', 'annotations']);
  }
  const finalizers = valueOr(nestedStringSlice(obj, ['metadata', 'finalizers']));
  if (finalizers && finalizers.length > 0) {
    events.push('FinalizersNotSupported');
    removeNestedField(obj, ['metadata', 'finalizers']);
  }
  setOrRemoveString(obj, getString(federatedObject, ['metadata', 'name']), ['metadata', 'name']);
  const kind = str(isObject(targetType) ? targetType.kind : undefined);
  if (kind !== 'Namespace') {
    setOrRemoveString(obj, getString(federatedObject, ['metadata', 'namespace']), ['metadata', 'namespace']);
  }
  setNestedField(obj, kind, ['kind']);
  if (getString(obj, ['apiVersion']) === '') setNestedField(obj, targetApiVersion(targetType), ['apiVersion']);
  return { ok: true, object: obj };
}

export function renderV1beta1(input: RenderV1beta1Input): RenderResult {
  const events: string[] = [];
  const update = input.clusterObject !== undefined && input.clusterObject !== null;
  if (update && isExplicitlyUnmanaged(input.clusterObject)) {
    return {
      ok: false,
      status: 'ManagedLabelFalse',
      message: `Unable to manage the object which has label ${MANAGED_LABEL}: false`,
      events,
    };
  }
  const base = objectForClusterV1beta1(input.targetType, input.federatedObject, events);
  if (!base.ok) return { ok: false, status: 'ComputeResourceFailed', message: base.message, events };
  let obj = base.object;
  if (update) {
    const kind = str(isObject(input.targetType) ? input.targetType.kind : undefined);
    const retained = retainClusterFields(kind, obj, input.clusterObject, input.federatedObject);
    if (!retained.ok) return { ok: false, status: 'FieldRetentionFailed', message: `failed to retain fields: ${retained.message}`, events };
    obj = retained.object;
  }
  const spec = isObject(input.federatedObject) ? input.federatedObject.spec : undefined;
  const overrides = isObject(spec) && Object.prototype.hasOwnProperty.call(spec, 'overrides') ? spec.overrides : null;
  const applied = applyOverrides(obj, overrides, input.clusterName);
  if (!applied.ok) return { ok: false, status: 'ApplyOverridesFailed', message: applied.message, events };
  return { ok: true, object: applied.object, events };
}

// ---------------------------------------------------------------------------------------------
// v1alpha1
// ---------------------------------------------------------------------------------------------

export interface RenderV1alpha1Input {
  /** FTC spec.target {group?, version, kind}. */
  targetType: unknown;
  /** The FederatedX template object, or the Namespace itself for namespaces. */
  template: unknown;
  /** The FederatedXOverride object, or null. */
  override?: unknown;
  /** FTC spec.overridePath. */
  overridePath?: readonly string[] | null;
  clusterName: string;
  /** The live object in the member cluster; present only for the update path. */
  clusterObject?: unknown;
}

const NAMESPACE_FIELDS = ['name', 'namespace', 'labels', 'annotations'];

function fail(status: RenderStatus, message: string): RenderResult {
  return { ok: false, status, message, events: [] };
}

/** Service update in the v1alpha1 era: clusterIP is kept; the nodePort loop writes into the live port (no effect). */
function serviceForUpdateOp(desired: JsonObject, live: unknown): string | null {
  const ip = nestedString(live, ['spec', 'clusterIP'], 'legacy');
  if ('error' in ip) return `Error retrieving clusterIP from cluster service: ${ip.error}`;
  if (ip.found && ip.value !== '') {
    const err = setNestedField(desired, ip.value, ['spec', 'clusterIP']);
    if (err) return `Error setting clusterIP for service: ${err}`;
  }
  const livePorts = nestedSlice(live, ['spec', 'ports'], 'legacy');
  if ('error' in livePorts) return `Error retrieving ports from cluster service: ${livePorts.error}`;
  if (!livePorts.found) return null;
  const dp = nestedSlice(desired, ['spec', 'ports'], 'legacy');
  if ('error' in dp) return `Error retrieving ports from service: ${dp.error}`;
  const desiredPorts: Json[] = dp.found ? dp.value : [];
  if (livePorts.value.length > 0 && desiredPorts.some((p) => !isObject(p))) return 'Error retaining ports: a desired port is not an object';
  if (desiredPorts.length > 0 && livePorts.value.some((p) => !isObject(p))) return 'Error retaining ports: a live port is not an object';
  const err = setNestedField(desired, desiredPorts, ['spec', 'ports']);
  return err ? `Error setting ports for service: ${err}` : null;
}

export function renderV1alpha1(input: RenderV1alpha1Input): RenderResult {
  const kind = str(isObject(input.targetType) ? input.targetType.kind : undefined);
  let obj: JsonObject;
  if (kind === 'Namespace') {
    const md = nestedMap(input.template, ['metadata'], 'legacy');
    if ('error' in md) return fail('ComputeResourceFailed', `Error retrieving namespace metadata: ${md.error}`);
    if (!md.found) return fail('ComputeResourceFailed', 'Unable to retrieve namespace metadata');
    const metadata: JsonObject = {};
    for (const k of Object.keys(md.value)) {
      if (NAMESPACE_FIELDS.includes(k)) setNestedField(metadata, md.value[k]!, [k]);
    }
    obj = { metadata };
  } else {
    const body = nestedMap(input.template, ['spec', 'template'], 'legacy');
    if ('error' in body) return fail('ComputeResourceFailed', `Error retrieving template body: ${body.error}`);
    if (!body.found) return fail('ComputeResourceFailed', 'Unable to retrieve template body');
    obj = body.value;
    // The 2018 unstructured setters write the value even when it is empty.
    setNestedField(obj, getString(input.template, ['metadata', 'name']), ['metadata', 'name']);
    setNestedField(obj, getString(input.template, ['metadata', 'namespace']), ['metadata', 'namespace']);
    setNestedField(obj, kind, ['kind']);
    setNestedField(obj, targetApiVersion(input.targetType), ['apiVersion']);
  }
  const ov = applyOverrideV1alpha1(obj, input.override ?? null, input.overridePath ?? null, input.clusterName);
  if (!ov.ok) return fail('ComputeResourceFailed', `${ov.message} for "${kind}"`);
  obj = ov.object;
  if (input.clusterObject !== undefined && input.clusterObject !== null) {
    obj = deepClone(obj);
    setNestedField(obj, getString(input.clusterObject, ['metadata', 'resourceVersion']), ['metadata', 'resourceVersion']);
    if (kind === 'Service') {
      const err = serviceForUpdateOp(obj, input.clusterObject);
      if (err) return fail('FieldRetentionFailed', err);
    }
  }
  return { ok: true, object: obj, events: [] };
}
