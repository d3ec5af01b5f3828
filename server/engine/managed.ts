/**
 * The managed label: `kubefed.io/managed: "true"` marks an object KubeFed (or this tool) manages in
 * a member cluster; `"false"` is the user's refusal, which KubeFed honours even with adoption.
 */
import { isObject, own } from './json.ts';

export const MANAGED_LABEL = 'kubefed.io/managed';

/** Written by this tool (not KubeFed): which federated resource an object came from, `<kind>/<namespace>/<name>` (--prune reads it). */
export const FEDERATED_RESOURCE_ANNOTATION = 'kubefed-tools/federated-resource';

/** unstructured GetLabels/GetAnnotations: a string map, or null when absent or not all strings. */
export function stringMap(obj: unknown, key: 'labels' | 'annotations'): Record<string, string> | null {
  const v = own(own(obj, 'metadata'), key);
  if (!isObject(v)) return null;
  for (const x of Object.values(v)) if (typeof x !== 'string') return null;
  return v as Record<string, string>;
}

/** Label kubefed.io/managed is "false": KubeFed refuses to manage the object. */
export function isExplicitlyUnmanaged(obj: unknown): boolean {
  return stringMap(obj, 'labels')?.[MANAGED_LABEL] === 'false';
}

/** Label kubefed.io/managed is "true": the object is managed (KubeFed's informers see only these). */
export function hasManagedLabel(obj: unknown): boolean {
  return stringMap(obj, 'labels')?.[MANAGED_LABEL] === 'true';
}
