/**
 * Schemas of the CustomResourceDefinitions of a workspace (apiextensions.k8s.io/v1): every served
 * version with a `schema.openAPIV3Schema` becomes a kind of a schema bundle, converted like the
 * OpenAPI documents of a kube-apiserver (openapi.ts), so a template of a custom kind is checked
 * the same way as one of a built-in kind.
 */
import type { JsonObject } from '../json.ts';
import { isObject } from '../json.ts';
import { fnv1_32 } from '../fnv.ts';
import { convertSchema, withTypeMeta, type KindInfo, type Schema, type SchemaBundle } from './openapi.ts';

export const CRD_API_VERSION = 'apiextensions.k8s.io/v1';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

export function isCrd(o: JsonObject): boolean {
  return o.apiVersion === CRD_API_VERSION && o.kind === 'CustomResourceDefinition';
}

/** The definition name of a CRD version (no `/`: it is a JSON pointer token in `$ref`s). */
export function crdDefinitionName(group: string, version: string, kind: string): string {
  return `crd.${group}.${version}.${kind}`;
}

/** The kinds and definitions of one CRD object; empty for one that is not well formed. */
export function crdSchemas(crd: JsonObject): { kinds: KindInfo[]; definitions: Record<string, Schema> } {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  const kind = typeof names.kind === 'string' ? names.kind : '';
  const out = { kinds: [] as KindInfo[], definitions: {} as Record<string, Schema> };
  if (!group || !kind || !Array.isArray(spec.versions)) return out;
  for (const v of spec.versions) {
    if (!isObject(v) || typeof v.name !== 'string' || v.served === false) continue;
    const raw = isObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isObject(raw)) continue;
    const definition = crdDefinitionName(group, v.name, kind);
    const schema = convertSchema(raw, new Set()) as Schema;
    const props = { ...((schema.properties as Record<string, Schema> | undefined) ?? {}) };
    // A CRD's metadata is the standard ObjectMeta whatever its schema says (`type: object`).
    props.metadata = { $ref: `#/definitions/${OBJECT_META}` };
    schema.properties = props;
    if (schema.type === undefined) schema.type = 'object';
    const info: KindInfo = {
      apiVersion: `${group}/${v.name}`,
      group,
      version: v.name,
      kind,
      definition,
      namespaced: spec.scope !== 'Cluster',
      hash: fnv1_32(JSON.stringify(raw)).toString(36),
    };
    withTypeMeta(schema, info);
    out.kinds.push(info);
    out.definitions[definition] = schema;
  }
  return out;
}

const converted = new WeakMap<JsonObject, ReturnType<typeof crdSchemas>>();
let last: { crds: JsonObject[]; bundle: SchemaBundle } | undefined;

/**
 * The schema bundle of every CRD among `objects` (the last one of an apiVersion/kind wins). The
 * same bundle object is returned while the CRD objects are the same, so callers can tell a change.
 */
export function crdBundle(objects: Iterable<JsonObject>): SchemaBundle {
  const crds = [...objects].filter(isCrd);
  if (last && last.crds.length === crds.length && last.crds.every((c, i) => c === crds[i])) return last.bundle;
  const kinds = new Map<string, KindInfo>();
  const definitions: Record<string, Schema> = {};
  for (const c of crds) {
    let s = converted.get(c);
    if (!s) {
      s = crdSchemas(c);
      converted.set(c, s);
    }
    for (const k of s.kinds) kinds.set(`${k.apiVersion}|${k.kind}`, k);
    Object.assign(definitions, s.definitions);
  }
  const bundle: SchemaBundle = { version: 'workspace CRDs', kinds: [...kinds.values()], definitions };
  last = { crds, bundle };
  return bundle;
}
