/**
 * `kubefedctl federate` (v1beta1): a plain Kubernetes object becomes its default-form
 * federated resource (kubefed pkg/kubefedctl/federate/{federate.go,util.go}, FederateResources
 * path: the object counts as namespaced iff it has a non-empty metadata.namespace).
 */
import { deepClone, isObject, own, type Json, type JsonObject } from './json.ts';
import { DEFAULT_FEDERATED_GROUP, DEFAULT_FEDERATED_VERSION, NAMESPACES_FTC_NAME, federatedKindFor, ftcName, parseGroupVersion } from './ftc.ts';

export interface FederateResult {
  federatedObject: JsonObject;
  /** Messages kubefedctl prints as warnings (dropped annotations). */
  warnings: string[];
}

/** apimeta.UnsafeGuessKindToResource: the plural kubefedctl guesses for a kind read from a file. */
export function guessPlural(kind: string): string {
  if (kind === '') return '';
  const singular = kind.toLowerCase();
  if (singular.endsWith('endpoints')) return singular;
  if (singular.endsWith('s')) return `${singular}es`;
  if (singular.endsWith('y')) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

/** Go's %v rendering of a JSON value (maps sorted by key, as fmt prints them). */
function goFormat(v: Json | undefined): string {
  if (v === undefined || v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${keys.map((k) => `${k}:${goFormat(v[k])}`).join(' ')}]`;
  }
  return String(v);
}

function goTypeName(v: Json | undefined): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
}

function accessorError(path: string[], v: Json | undefined, expected: string): Error {
  return new Error(`.${path.join('.')} accessor error: ${goFormat(v)} is of the type ${goTypeName(v)}, expected ${expected}`);
}

/** unstructured.NestedFieldNoCopy: undefined when not found, throws when an intermediate is not a map. */
function nested(obj: JsonObject, path: string[]): Json | undefined {
  let cur: Json | undefined = obj;
  for (let i = 0; i < path.length; i++) {
    if (cur === undefined || cur === null) return undefined;
    if (!isObject(cur)) throw accessorError(path.slice(0, i + 1), cur, 'map[string]interface{}');
    cur = own(cur, path[i]!);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** unstructured.NestedMap: undefined when absent; throws unless the value is a map. */
function nestedMap(obj: JsonObject, path: string[]): JsonObject | undefined {
  const v = nested(obj, path);
  if (v === undefined) return undefined;
  if (!isObject(v)) throw accessorError(path, v, 'map[string]interface{}');
  return v;
}

/** unstructured.RemoveNestedField: silently stops at a missing or non-map intermediate. */
function removeNested(obj: JsonObject, path: string[]): void {
  let m: JsonObject = obj;
  for (const k of path.slice(0, -1)) {
    const next = own(m, k);
    if (!isObject(next)) return;
    m = next;
  }
  delete m[path[path.length - 1]!];
}

function nestedString(obj: JsonObject, path: string[]): string {
  try {
    const v = nested(obj, path);
    return typeof v === 'string' ? v : '';
  } catch {
    return '';
  }
}

/** Per-kind removal of fields set by controllers (FederatedResourceFromTargetResource). */
function removeControllerFields(target: JsonObject, kind: string): void {
  switch (kind) {
    case 'Namespace':
      removeNested(target, ['spec', 'finalizers']);
      break;
    case 'ServiceAccount':
      removeNested(target, ['secrets']);
      break;
    case 'Service': {
      const ports = nested(target, ['spec', 'ports']);
      if (ports !== undefined) {
        if (!Array.isArray(ports)) throw accessorError(['spec', 'ports'], ports, '[]interface{}');
        for (const port of ports) {
          if (!isObject(port)) throw new Error(`spec.ports entry ${goFormat(port)} is not an object`);
          delete port.nodePort;
        }
      }
      removeNested(target, ['spec', 'clusterIP']);
      removeNested(target, ['spec', 'clusterIPs']);
      break;
    }
    default:
      break;
  }
}

/**
 * The federated resource and the warnings kubefedctl prints. Throws (like upstream's error
 * returns) when the object's metadata or Service ports have the wrong shape.
 */
export function federateDocument(object: unknown): FederateResult {
  if (!isObject(object)) throw new Error('object to federate must be a mapping');
  const target = deepClone(object);
  const gv = parseGroupVersion(nestedString(target, ['apiVersion']));
  const kind = gv ? nestedString(target, ['kind']) : '';
  const group = gv?.group ?? '';
  const name = nestedString(target, ['metadata', 'name']);
  const namespace = nestedString(target, ['metadata', 'namespace']);

  // The type config kubefedctl generates for the object's type.
  const isNamespaceType = ftcName(guessPlural(kind), group) === NAMESPACES_FTC_NAME;
  const federatedNamespaced = isNamespaceType || namespace !== '';

  removeControllerFields(target, kind);

  const fedNamespace = kind === 'Namespace' ? name : namespace;
  const metadata: JsonObject = {};
  if (name !== '') metadata.name = name;
  if (federatedNamespaced && fedNamespace !== '') metadata.namespace = fedNamespace;

  const warnings: string[] = [];
  const annotations = nestedMap(target, ['metadata', 'annotations']);
  if (annotations && Object.keys(annotations).length > 0) {
    const qualified = namespace === '' ? name : `${namespace}/${name}`;
    warnings.push(
      `Annotations defined for ${kind} "${qualified}" will not appear in the template of the federated resource: ${goFormat(annotations)}`,
    );
  }

  // RemoveUnwantedFields: apiVersion, kind, status and all metadata but non-empty labels.
  delete target.apiVersion;
  delete target.kind;
  delete target.status;
  const labels = nestedMap(target, ['metadata', 'labels']);
  delete target.metadata;
  if (labels && Object.keys(labels).length > 0) target.metadata = { labels };

  const federatedObject: JsonObject = {
    apiVersion: `${DEFAULT_FEDERATED_GROUP}/${DEFAULT_FEDERATED_VERSION}`,
    kind: federatedKindFor(kind),
  };
  if (Object.keys(metadata).length > 0) federatedObject.metadata = metadata;
  federatedObject.spec = { template: target, placement: { clusterSelector: { matchLabels: {} } } };
  return { federatedObject, warnings };
}

/** Alias of {@link federateDocument}. */
export const federateObject = federateDocument;

/** The federated resource alone (see {@link federateDocument}). */
export function federate(object: unknown): JsonObject {
  return federateDocument(object).federatedObject;
}
