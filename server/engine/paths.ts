/**
 * JSON pointers into an object: for completion of override paths (with a hint naming array
 * elements, e.g. `containers/0 (nginx)`) and for suggesting the nearest valid path.
 */
import type { Json } from './json.ts';
import { isObject } from './json.ts';
import { escapeToken } from './pointer.ts';
import { editDistance } from './spelling.ts';

export interface PointerEntry {
  pointer: string;
  /** Short description: the element's name for array items, the value for scalars. */
  hint?: string;
  kind: 'object' | 'array' | 'scalar';
  value: Json;
}

const MAX_ENTRIES = 5000;

/** Every pointer of `root` (not `""` itself), depth first, bounded in number. */
export function listPointers(root: Json | undefined, maxDepth = 12): PointerEntry[] {
  const out: PointerEntry[] = [];
  const walk = (v: Json, ptr: string, depth: number) => {
    if (out.length >= MAX_ENTRIES || depth > maxDepth) return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const p = `${ptr}/${i}`;
        out.push({ pointer: p, hint: elementHint(item), kind: kindOf(item), value: item });
        walk(item, p, depth + 1);
      });
    } else if (isObject(v)) {
      for (const k of Object.keys(v)) {
        const p = `${ptr}/${escapeToken(k)}`;
        const item = v[k];
        out.push({ pointer: p, hint: scalarHint(item), kind: kindOf(item), value: item });
        walk(item, p, depth + 1);
      }
    }
  };
  if (root !== undefined) walk(root, '', 0);
  return out;
}

function kindOf(v: Json): PointerEntry['kind'] {
  return Array.isArray(v) ? 'array' : isObject(v) ? 'object' : 'scalar';
}

/** `nginx` for `{name: nginx, …}`, else the first short string field, else nothing. */
export function elementHint(v: Json): string | undefined {
  if (isObject(v)) {
    for (const k of ['name', 'key', 'containerPort', 'port', 'path', 'type', 'host']) {
      const x = v[k];
      if (typeof x === 'string' || typeof x === 'number') return `${x}`;
    }
    return undefined;
  }
  return scalarHint(v);
}

function scalarHint(v: Json): string | undefined {
  if (v === null || typeof v === 'object') return undefined;
  const s = JSON.stringify(v);
  return s.length > 40 ? s.slice(0, 37) + '…' : s;
}

/** The existing pointer closest to `path` (edit distance), when it is plausibly what was meant. */
export function nearestPointer(root: Json | undefined, path: string): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const e of listPointers(root)) {
    const d = editDistance(path, e.pointer);
    if (d < bestD) {
      bestD = d;
      best = e.pointer;
    }
  }
  return best !== undefined && bestD <= Math.max(3, Math.floor(path.length / 3)) ? best : undefined;
}
