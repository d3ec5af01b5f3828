/**
 * Objects of a workspace with their place in the source, and the locations of their fields.
 */
import type { JsonObject } from './json.ts';
import type { ParsedDoc, ParsedFile, PathSegment } from './parse.ts';
import { objectsOf } from './parse.ts';
import type { Location } from './text.ts';
import { metaOf, type Meta, type ObjectRole } from './model.ts';

export interface WsObject {
  uri: string;
  file: ParsedFile;
  doc: ParsedDoc;
  /** Path of the object inside its document (`[]`, or `['items', i]` in a List). */
  base: PathSegment[];
  object: JsonObject;
  meta: Meta;
  role: ObjectRole;
}

export function collectObjects(files: Iterable<ParsedFile>, classify: (o: JsonObject) => ObjectRole): WsObject[] {
  const out: WsObject[] = [];
  for (const file of files) {
    for (const doc of file.docs) {
      for (const d of objectsOf(doc)) {
        out.push({ uri: file.uri, file, doc, base: d.base, object: d.object, meta: metaOf(d.object), role: classify(d.object) });
      }
    }
  }
  return out;
}

/**
 * Location of a field of an object: the value at `path`, else the nearest existing ancestor's key
 * (so a diagnostic about a missing field points at its parent), else the object's `kind`.
 */
export function locate(o: WsObject, path: readonly PathSegment[], opts: { key?: boolean } = {}): Location {
  const full = [...o.base, ...path];
  for (let n = full.length; n >= o.base.length; n--) {
    const p = full.slice(0, n);
    const r = n === full.length && !opts.key ? o.doc.offsetsOf(p) : o.doc.keyOffsetsOf(p);
    if (r && n > o.base.length) return { uri: o.uri, range: o.file.range(r[0], r[1]) };
    if (n === o.base.length) break;
  }
  const k = o.doc.offsetsOf([...o.base, 'kind']) ?? o.doc.offsetsOf(o.base) ?? [o.doc.start, o.doc.start];
  return { uri: o.uri, range: o.file.range(k[0], k[1]) };
}

/** The range of the whole object (for symbols and code lenses). */
export function objectLocation(o: WsObject): Location {
  const r = o.doc.offsetsOf(o.base) ?? [o.doc.start, o.doc.end];
  return { uri: o.uri, range: o.file.range(r[0], r[1]) };
}

export function describe(o: WsObject): string {
  const ns = o.meta.namespace ? `${o.meta.namespace}/` : '';
  return `${o.meta.kind} ${ns}${o.meta.name}`;
}
