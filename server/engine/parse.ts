/**
 * Multi-document YAML parsing with exact source ranges.
 *
 * A file is cut into documents at `---` marker lines first, and each document is parsed on its
 * own: an edit re-parses only the documents whose text changed (see `reparse`), and a broken
 * document never hides the others. Alias expansion is bounded (no billion laughs).
 */
import { parseDocument, isMap, isSeq, isScalar, isAlias, type Document, type Node } from 'yaml';
import { fastTree, fastValue, type FastNode } from './fastyaml.ts';
import type { Json, JsonObject } from './json.ts';
import { isObject } from './json.ts';
import { LineIndex, type Range } from './text.ts';
import { boundMessage } from './diagnostics.ts';

export type PathSegment = string | number;

export interface YamlProblem {
  message: string;
  start: number;
  end: number;
}

/** Largest number of alias nodes one document may expand. */
export const MAX_ALIAS_COUNT = 100;

/** How `yaml` parses one document (the fast reader's fallback, and the reference it agrees with). */
const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: false, keepSourceTokens: false } as const;

/**
 * The syntax of one document, built when first asked for: the fast reader's node tree when it
 * reads the document, else `yaml`'s Document. Shared by the shifted copies of a ParsedDoc.
 */
class DocSyntax {
  private tree?: FastNode | null;
  constructor(
    private readonly text: string,
    private doc: Document.Parsed | undefined,
    /** Whether the fast reader reads the text (then `doc` is only made for `yaml`). */
    readonly fast: boolean,
  ) {}

  get yaml(): Document.Parsed {
    return (this.doc ??= parseDocument(this.text, YAML_OPTIONS));
  }

  /** Lookups on the tree, whichever kind it is. */
  view(): TreeView {
    if (this.fast && this.tree === undefined) this.tree = fastTree(this.text) ?? null;
    return this.tree ? fastView(this.tree) : yamlView(this.yaml);
  }
}

/** The steps `find` and `pathAt` take through a tree of either kind. */
interface TreeView {
  root: unknown;
  /** The pairs of a mapping (undefined for other nodes). */
  pairs(n: unknown): { key: string; keyRange?: [number, number]; value: unknown }[] | undefined;
  /** The items of a sequence (undefined for other nodes). */
  items(n: unknown): unknown[] | undefined;
  range(n: unknown): [number, number] | undefined;
  /** What an alias points to (the node itself otherwise). */
  deref(n: unknown): unknown;
}

function yamlView(doc: Document.Parsed): TreeView {
  const range = (n: unknown) => (n as Node | null)?.range as [number, number] | undefined;
  return {
    root: doc.contents,
    pairs: (n) => (isMap(n) ? n.items.map((it) => ({ key: keyString(it.key), keyRange: range(it.key), value: it.value })) : undefined),
    items: (n) => (isSeq(n) ? n.items : undefined),
    range,
    deref: (n) => {
      let cur = n;
      while (isAlias(cur)) cur = cur.resolve(doc);
      return cur;
    },
  };
}

function fastView(root: FastNode): TreeView {
  return {
    root,
    pairs: (n) => {
      const f = n as FastNode;
      return f.kind === 'map' ? f.keys!.map((key, i) => ({ key, keyRange: [f.keyNodes![i].start, f.keyNodes![i].end], value: f.items![i] })) : undefined;
    },
    items: (n) => ((n as FastNode).kind === 'seq' ? (n as FastNode).items : undefined),
    range: (n) => (n ? [(n as FastNode).start, (n as FastNode).end] : undefined),
    deref: (n) => n,
  };
}

export class ParsedDoc {
  /** Absolute offsets of this document's text in the file (including its `---` line). */
  constructor(
    readonly index: number,
    readonly start: number,
    readonly end: number,
    readonly text: string,
    private readonly syntax: DocSyntax,
    readonly value: Json | undefined,
    readonly problems: YamlProblem[],
  ) {}

  /** `yaml`'s Document of the text (parsed when first asked for when the fast reader read it). */
  get yaml(): Document.Parsed {
    return this.syntax.yaml;
  }

  /** Whether the fast reader read this document (else `yaml` did). */
  get fast(): boolean {
    return this.syntax.fast;
  }

  /** A copy at other offsets (the same text). */
  moved(index: number, s: DocSlice): ParsedDoc {
    const delta = s.start - this.start;
    const problems = this.problems.map((p) => ({ message: p.message, start: p.start + delta, end: p.end + delta }));
    return new ParsedDoc(index, s.start, s.end, this.text, this.syntax, this.value, problems);
  }

  /** The range of the node at a path of keys/indexes, with the key's range when the last step is a key. */
  private find(path: readonly PathSegment[]): { range?: [number, number]; keyRange?: [number, number] } | undefined {
    const t = this.syntax.view();
    let cur: unknown = t.root;
    let keyRange: [number, number] | undefined;
    let isPair = false;
    for (const seg of path) {
      cur = t.deref(cur);
      isPair = false;
      const pairs = t.pairs(cur);
      const items = pairs ? undefined : t.items(cur);
      if (pairs) {
        const p = pairs.find((it) => it.key === String(seg));
        if (!p) return undefined;
        isPair = true;
        keyRange = p.keyRange;
        cur = p.value;
      } else if (items && typeof seg === 'number') {
        if (seg < 0 || seg >= items.length) return undefined;
        cur = items[seg];
      } else {
        return undefined;
      }
    }
    return { range: t.range(cur ?? undefined), keyRange: isPair ? keyRange : undefined };
  }

  /** Absolute [start, end) of the value at `path`, falling back to its key for empty values. */
  offsetsOf(path: readonly PathSegment[]): [number, number] | undefined {
    const f = this.find(path);
    if (!f) return undefined;
    const r = f.range ?? f.keyRange;
    if (!r) return path.length === 0 ? [this.start, this.end] : undefined;
    return [this.start + r[0], this.start + r[1]];
  }

  /** Absolute [start, end) of the key of the pair at `path` (the value's range for sequence items). */
  keyOffsetsOf(path: readonly PathSegment[]): [number, number] | undefined {
    const f = this.find(path);
    if (!f) return undefined;
    const r = f.keyRange ?? f.range;
    if (!r) return undefined;
    return [this.start + r[0], this.start + r[1]];
  }

  /** Path of the innermost node containing an absolute offset, and whether the offset is on a key. */
  pathAt(offset: number): { path: PathSegment[]; isKey: boolean } {
    const rel = offset - this.start;
    const t = this.syntax.view();
    const path: PathSegment[] = [];
    const inside = (r: [number, number] | undefined) => r !== undefined && rel >= r[0] && rel <= r[1];
    let cur: unknown = t.root;
    for (;;) {
      const pairs = t.pairs(cur);
      const items = pairs ? undefined : t.items(cur);
      if (pairs) {
        let next: unknown;
        for (const it of pairs) {
          if (inside(it.keyRange)) {
            path.push(it.key);
            return { path, isKey: true };
          }
          if (inside(t.range(it.value ?? undefined))) {
            path.push(it.key);
            next = it.value;
            break;
          }
        }
        if (next === undefined) return { path, isKey: false };
        cur = next;
      } else if (items) {
        const i = items.findIndex((v) => inside(t.range(v ?? undefined)));
        if (i < 0) return { path, isKey: false };
        path.push(i);
        cur = items[i];
      } else {
        return { path, isKey: false };
      }
    }
  }
}

function keyString(k: unknown): string {
  if (isScalar(k)) return String(k.value);
  return String(k);
}

export interface DocSlice {
  start: number;
  end: number;
}

/**
 * Cuts a file into document slices at lines that start with `---` (document start markers).
 * Comments and blank lines before the first marker belong to the first document.
 */
export function sliceDocuments(text: string): DocSlice[] {
  const marks: number[] = [];
  const re = /^---(?=[ \t]|\r?$)/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) marks.push(m.index);
  if (marks.length === 0) return [{ start: 0, end: text.length }];
  if (marks[0] > 0 && isBlankOrComments(text.slice(0, marks[0]))) marks[0] = 0;
  else if (marks[0] > 0) marks.unshift(0);
  return marks.map((start, i) => ({ start, end: i + 1 < marks.length ? marks[i + 1] : text.length }));
}

function isBlankOrComments(s: string): boolean {
  return s.split('\n').every((l) => /^\s*(#.*)?$/.test(l));
}

/**
 * Parses one document: with the fast reader when it reads the text (see fastyaml.ts), else (and
 * always with `reader: 'yaml'`) with `yaml`, whose errors become the problems.
 */
export function parseSlice(text: string, slice: DocSlice, index: number, reader: 'fast' | 'yaml' = 'fast'): ParsedDoc {
  const src = text.slice(slice.start, slice.end);
  const fast = reader === 'fast' ? fastValue(src) : undefined;
  if (fast) return new ParsedDoc(index, slice.start, slice.end, src, new DocSyntax(src, undefined, true), fast.value, []);
  const doc = parseDocument(src, YAML_OPTIONS);
  const problems: YamlProblem[] = [];
  const lastChar = slice.start + Math.max(0, src.trimEnd().length - 1);
  for (const e of doc.errors) {
    const start = Math.min(slice.start + e.pos[0], lastChar);
    const end = Math.max(start + 1, Math.min(slice.start + e.pos[1], lastChar + 1));
    problems.push({ message: cleanMessage(e.message), start, end });
  }
  let value: Json | undefined;
  if (doc.errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Json;
    } catch (e) {
      const msg = (e as Error).message;
      problems.push({
        message: /alias/i.test(msg)
          ? `alias expansion exceeds the limit of ${MAX_ALIAS_COUNT} (resource exhaustion guard)`
          : msg,
        start: slice.start,
        end: Math.min(slice.end, slice.start + firstLineLength(src)),
      });
      value = undefined;
    }
  }
  return new ParsedDoc(index, slice.start, slice.end, src, new DocSyntax(src, doc, false), value === null ? undefined : value, problems);
}

function firstLineLength(s: string): number {
  const i = s.indexOf('\n');
  return i < 0 ? s.length : i;
}

function cleanMessage(m: string): string {
  return boundMessage(m.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''));
}

/** One object found in a document: the document's root, or an item of a `kind: List`. */
export interface DocObject {
  doc: ParsedDoc;
  /** Path inside the document (`[]` for the root, `['items', i]` for list items). */
  base: PathSegment[];
  object: JsonObject;
}

export function objectsOf(doc: ParsedDoc): DocObject[] {
  const v = doc.value;
  if (!isObject(v)) return [];
  if (typeof v.kind === 'string' && /List$/.test(v.kind) && Array.isArray(v.items) && !('spec' in v)) {
    const out: DocObject[] = [];
    v.items.forEach((it, i) => {
      if (isObject(it)) out.push({ doc, base: ['items', i], object: it });
    });
    return out;
  }
  return [{ doc, base: [], object: v }];
}

export class ParsedFile {
  readonly lines: LineIndex;
  constructor(
    readonly uri: string,
    readonly text: string,
    readonly docs: ParsedDoc[],
    /** The line index when the caller made it from a previous file's (else it is built). */
    lines?: LineIndex,
  ) {
    this.lines = lines ?? new LineIndex(text);
  }

  range(start: number, end: number): Range {
    return this.lines.range(start, end);
  }

  docAt(offset: number): ParsedDoc | undefined {
    let lo = 0;
    let hi = this.docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = this.docs[mid];
      if (offset < d.start) hi = mid - 1;
      else if (offset > d.end || (offset === d.end && mid < this.docs.length - 1)) lo = mid + 1;
      else return d;
    }
    return undefined;
  }
}

/** Parses a whole file. */
export function parseFile(uri: string, text: string): ParsedFile {
  return reparse(undefined, uri, text);
}

/**
 * Parses `text`, reusing every document of `previous` whose text is unchanged (documents are
 * matched by content, so an edit in one document re-parses that document only).
 */
export function reparse(previous: ParsedFile | undefined, uri: string, text: string): ParsedFile {
  const e = previous && previous.docs.length > 1 ? edited(previous, uri, text) : undefined;
  if (e) return e;
  const slices = sliceDocuments(text);
  const old = new Map<string, ParsedDoc[]>();
  if (previous) {
    for (const d of previous.docs) {
      const list = old.get(d.text);
      if (list) list.push(d);
      else old.set(d.text, [d]);
    }
  }
  const docs = slices.map((s, i) => {
    const src = text.slice(s.start, s.end);
    const reuse = old.get(src)?.shift();
    if (reuse) {
      if (reuse.start === s.start && reuse.index === i) return reuse;
      return shifted(reuse, s, i);
    }
    return parseSlice(text, s, i);
  });
  return new ParsedFile(uri, text, docs);
}

/**
 * An edit inside a file of several documents (a keystroke, a paste, text added at the end as when
 * a large file is handed over in growing prefixes): the documents before the changed line and
 * after the changed text stay (those after are shifted); only the text between them is sliced and
 * parsed again, and the line index is patched, not rebuilt. Undefined when the change touches the
 * first document (where leading comments decide the first slice): the caller then slices the
 * whole text.
 */
function edited(previous: ParsedFile, uri: string, text: string): ParsedFile | undefined {
  const old = previous.text;
  const p = commonPrefix(old, text);
  const s = commonSuffix(old, text, Math.min(old.length, text.length) - p);
  const oldTo = old.length - s;
  const delta = text.length - old.length;
  const lineStart = p === 0 ? 0 : old.lastIndexOf('\n', p - 1) + 1;
  const docs = previous.docs;
  // kept before: documents whose following `---` line lies wholly before the changed line
  let i = 0;
  while (i < docs.length && docs[i].end < lineStart) i++;
  // kept after: documents whose `---` line, and the newline before it, come after the change
  let j = docs.length;
  while (j > i && docs[j - 1].start > oldTo) j--;
  if (i === 0) return undefined;
  const from = docs[i - 1].end;
  const to = j < docs.length ? docs[j].start + delta : text.length;
  const middle = sliceDocuments(text.slice(from, to));
  const out = docs.slice(0, i);
  for (const m of middle) {
    const slice = { start: m.start + from, end: m.end + from };
    // the first one may still be the old document, wholly before the change (text added at the end)
    const same = out.length === i && slice.start === docs[i].start && slice.end === docs[i].end && slice.end <= p;
    out.push(same ? docs[i] : parseSlice(text, slice, out.length));
  }
  for (let k = j; k < docs.length; k++) {
    const d = docs[k];
    const index = out.length;
    out.push(delta === 0 && index === d.index ? d : shifted(d, { start: d.start + delta, end: d.end + delta }, index));
  }
  return new ParsedFile(uri, text, out, LineIndex.edited(previous.lines, text, p, oldTo));
}

/** Length of the longest common prefix (compared a chunk at a time, then a character at a time). */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  const CHUNK = 4096;
  let i = 0;
  while (i + CHUNK <= n && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the longest common suffix, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  const CHUNK = 4096;
  let k = 0;
  while (k + CHUNK <= max && a.slice(a.length - k - CHUNK, a.length - k) === b.slice(b.length - k - CHUNK, b.length - k)) k += CHUNK;
  while (k < max && a.charCodeAt(a.length - 1 - k) === b.charCodeAt(b.length - 1 - k)) k++;
  return k;
}

function shifted(d: ParsedDoc, s: DocSlice, index: number): ParsedDoc {
  return d.moved(index, s);
}
