/**
 * v1alpha1 (federation-v2) -> v1beta1 (KubeFed) conversion of federated resources and RSPs,
 * with a warning for everything the v1beta1 form cannot express the same way.
 */
import type { JsonObject } from './json.ts';
import { deepClone, getPath, isObject, own } from './json.ts';
import type { FederatedResource } from './resources.ts';
import type { WsObject } from './objects.ts';
import { locate } from './objects.ts';
import type { Location } from './text.ts';
import { escapeToken } from './pointer.ts';
import { V1BETA1_TYPES_API } from './apiGroups.ts';
import { federatedKindFor } from './ftc.ts';

export interface ConversionWarning {
  message: string;
  location?: Location;
}

export interface Conversion {
  /** The v1alpha1 objects this conversion replaces. */
  sources: WsObject[];
  object: JsonObject;
  warnings: ConversionWarning[];
}

export function convertResource(res: FederatedResource): Conversion {
  if (res.era !== 'v1alpha1' || !res.main) throw new Error(`${res.kind} ${res.name} is not a v1alpha1 federated resource`);
  const warnings: ConversionWarning[] = [];
  const main = res.main;
  const isNs = res.targetKind === 'Namespace';
  const metadata: JsonObject = { name: res.name, namespace: isNs ? res.name : res.namespace };
  const labels = getPath(main.object, ['metadata', 'labels']);
  if (!isNs && isObject(labels) && Object.keys(labels).length) metadata.labels = deepClone(labels);

  const template = isNs ? namespaceTemplate(main, warnings) : convertTemplate(main, warnings);
  const spec: JsonObject = { template, placement: convertPlacement(res, isNs, warnings) };
  const overrides = convertOverrides(res, template, warnings);
  if (overrides.length) spec.overrides = overrides;
  const object: JsonObject = {
    apiVersion: V1BETA1_TYPES_API,
    kind: isNs ? 'FederatedNamespace' : federatedKindFor(res.targetKind),
    metadata,
    spec,
  };
  const p = res.placementObject;
  const ov = res.overrideObject;
  const sources = [main, ...(p ? [p] : []), ...(ov ? [ov] : [])];
  return { sources, object, warnings };
}

/** The template of a v1alpha1 namespace (the Namespace itself): its labels. */
function namespaceTemplate(main: WsObject, warnings: ConversionWarning[]): JsonObject {
  let template: JsonObject = {};
  const nsLabels = getPath(main.object, ['metadata', 'labels']);
  if (isObject(nsLabels) && Object.keys(nsLabels).length) template = { metadata: { labels: deepClone(nsLabels) } };
  if (isObject(getPath(main.object, ['metadata', 'annotations']))) {
    warnings.push({ message: 'Namespace annotations are not propagated by v1beta1 KubeFed (template annotations are dropped); use an override of /metadata/annotations per cluster.', location: locate(main, ['metadata', 'annotations'], { key: true }) });
  }
  return template;
}

/** spec.template without name, namespace, apiVersion and kind (annotations and finalizers get a warning). */
function convertTemplate(main: WsObject, warnings: ConversionWarning[]): JsonObject {
  const t = getPath(main.object, ['spec', 'template']);
  if (!isObject(t)) {
    warnings.push({ message: 'The template has no spec.template; the converted object has an empty template.', location: locate(main, ['spec']) });
    return {};
  }
  const template = deepClone(t);
  const md = own(template, 'metadata');
  if (isObject(md)) {
    delete md.name;
    delete md.namespace;
    for (const f of ['annotations', 'finalizers']) {
      if (md[f] !== undefined) {
        warnings.push({ message: `Template ${f} are dropped by v1beta1 KubeFed (${f === 'annotations' ? 'AnnotationsNotSupported' : 'FinalizersNotSupported'}); they were kept in v1alpha1.`, location: locate(main, ['spec', 'template', 'metadata', f], { key: true }) });
      }
    }
    if (Object.keys(md).length === 0) delete template.metadata;
  }
  delete template.apiVersion;
  delete template.kind;
  return template;
}

/** spec.clusterNames as spec.placement.clusters (no placement: none, or every cluster for a namespace). */
function convertPlacement(res: FederatedResource, isNs: boolean, warnings: ConversionWarning[]): JsonObject {
  const p = res.placementObject;
  if (!p) {
    if (isNs) return { clusterSelector: {} };
    warnings.push({ message: `No ${res.typeConfig.placementKind ?? 'placement'} found: the converted object is placed on no cluster (as in v1alpha1).`, location: locate(res.main!, ['kind']) });
    return { clusters: [] };
  }
  const names = getPath(p.object, ['spec', 'clusterNames']);
  if (Array.isArray(names)) return { clusters: names.filter((n): n is string => typeof n === 'string').map((name) => ({ name })) };
  warnings.push({ message: `${p.meta.kind} has no spec.clusterNames (field names are case-sensitive): converted to an empty cluster list.`, location: locate(p, ['spec']) });
  return { clusters: [] };
}

/** Overrides of the type's overridePath as JSON-patch overrides; only the first entry per cluster counts in v1alpha1. */
function convertOverrides(res: FederatedResource, template: JsonObject, warnings: ConversionWarning[]): JsonObject[] {
  const overrides: JsonObject[] = [];
  const ov = res.overrideObject;
  const list = ov ? getPath(ov.object, ['spec', 'overrides']) : undefined;
  if (!ov || !Array.isArray(list)) return overrides;
  const path = res.typeConfig.overridePath;
  const field = path?.[path.length - 1];
  const seen = new Set<string>();
  list.forEach((e, i) => {
    const cn = own(e, 'clusterName');
    if (typeof cn !== 'string' || !isObject(e)) return;
    if (seen.has(cn)) {
      warnings.push({ message: `A second override entry for ${cn} is ignored by v1alpha1 and dropped.`, location: locate(ov, ['spec', 'overrides', i]) });
      return;
    }
    seen.add(cn);
    if (!path || !field) {
      warnings.push({ message: `The type has no overridePath; the override for ${cn} cannot be converted.`, location: locate(ov, ['spec', 'overrides', i]) });
      return;
    }
    if (!Object.prototype.hasOwnProperty.call(e, field)) return;
    const pointer = '/' + path.map(escapeToken).join('/');
    if (path.length > 1 && getPath(template, path.slice(0, -1)) === undefined) {
      warnings.push({ message: `The template has no ${path.slice(0, -1).join('.')}: a v1beta1 override of ${pointer} would fail (v1alpha1 created the missing parents).`, location: locate(ov, ['spec', 'overrides', i, field], { key: true }) });
    }
    overrides.push({ clusterName: cn, clusterOverrides: [{ path: pointer, value: deepClone(e[field]) }] });
  });
  return overrides;
}

/** A v1alpha1 ReplicaSchedulingPreference in the v1beta1 scheduling group. */
export function convertRsp(rsp: JsonObject): JsonObject {
  const out = deepClone(rsp);
  out.apiVersion = 'scheduling.kubefed.io/v1alpha1';
  const md = own(out, 'metadata');
  if (isObject(md)) {
    for (const k of ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink', 'managedFields']) delete md[k];
  }
  delete out.status;
  return out;
}
