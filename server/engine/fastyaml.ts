/**
 * A fast reader for the block-style YAML most manifests are written in: block mappings and
 * sequences, single-line plain and quoted scalars, literal and simple folded block scalars,
 * single-line flow collections, comments. Anything else (anchors, aliases, tags, multi-line plain
 * or quoted scalars, explicit keys, directives, tabs, duplicate keys, every error) makes it give up
 * (`undefined`) and the caller parses the document with the `yaml` library, so the two always
 * agree: the values are what `yaml`'s `toJS` gives (plain scalars are resolved by `yaml`'s own core
 * schema tags) and the ranges are `yaml`'s node ranges (start, value end).
 *
 * Two passes share the code: `fastValue` builds only the JSON value (what validation needs);
 * `fastTree` builds the node tree with ranges, on demand, for positions and lookups.
 */
import { Document, isScalar } from 'yaml';
import type { Json, JsonObject } from './json.ts';

/** A node of the tree: a scalar, a mapping (keys, their nodes, the values) or a sequence. */
export interface FastNode {
  kind: 'scalar' | 'map' | 'seq';
  /** Offset of the node's first character in the document text. */
  start: number;
  /** Offset just after the node's value (for block collections: after their last line). */
  end: number;
  keys?: string[];
  keyNodes?: FastNode[];
  items?: FastNode[];
}

/** Thrown inside the reader when the text is outside what it reads exactly. */
const GIVE_UP: unique symbol = Symbol('give up');

interface ScalarTag {
  default?: boolean | 'key';
  test?: RegExp;
  resolve: (value: string, onError: (msg: string) => void, options: object) => unknown;
}

const schema = new Document().schema as unknown as { tags: ScalarTag[] };
const defaultTags = schema.tags.filter((t) => t.default === true && t.test);
const docOptions = new Document().options;

/** Characters that, starting a plain scalar in block context, make it something else (or an error). */
const BLOCK_INDICATOR = new Set([..."[]{},#&*!|>'\"%@`"]);
const FLOW_STOP = new Set([...',[]{}']);
/** Characters the reader gives up on anywhere: tabs, CR, other controls, BOM, line separators. */
const UNUSUAL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029]/;

/** A plain scalar's value, resolved like `yaml` (core schema); GIVE_UP when it reports an error. */
function plainValue(s: string): Json {
  const c = s.charCodeAt(0);
  // Only digits, signs, dots, ~ and n/t/f/N/T/F can start a null, bool, int or float.
  const maybe = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126 || 'nNtTfF'.includes(s[0]);
  if (!maybe) return s;
  const tag = defaultTags.find((t) => t.test!.test(s));
  if (!tag) return s;
  let failed = false;
  const r = tag.resolve(s, () => (failed = true), docOptions);
  if (failed) throw GIVE_UP;
  return (isScalar(r) ? r.value : r) as Json;
}

class Reader {
  pos = 0;
  /** Offset after the last content line read (its newline included). */
  lastEnd = 0;
  constructor(
    readonly src: string,
    readonly tree: boolean,
  ) {}

  fail(): never {
    throw GIVE_UP;
  }

  /** End of the line at `p` (the newline's offset, or the text's end). */
  eol(p: number): number {
    const i = this.src.indexOf('\n', p);
    return i < 0 ? this.src.length : i;
  }

  /** After the line at `p` (past its newline). */
  nextLine(p: number): number {
    const i = this.src.indexOf('\n', p);
    return i < 0 ? this.src.length : i + 1;
  }

  /**
   * From the line start `this.pos`, skips blank and comment lines; returns the indentation of the
   * next content line (this.pos at its start), or -1 at the end.
   */
  nextContent(): number {
    const s = this.src;
    while (this.pos < s.length) {
      let p = this.pos;
      while (s.charCodeAt(p) === 32) p++;
      const c = s.charCodeAt(p);
      if (p >= s.length) return -1;
      if (c === 10 || c === 35) {
        this.pos = this.nextLine(p);
        continue;
      }
      return p - this.pos;
    }
    return -1;
  }

  /** After a value at `p`: only spaces and a comment may follow on the line; moves to the next line. */
  endLine(p: number): void {
    const s = this.src;
    let q = p;
    while (s.charCodeAt(q) === 32) q++;
    if (q < s.length && s.charCodeAt(q) !== 10) {
      if (s.charCodeAt(q) !== 35 || q === p) this.fail();
    }
    this.pos = this.nextLine(q);
    this.lastEnd = this.pos;
  }

  /** A node in block context whose first line is the current one (indentation `ind`). */
  block(ind: number, parent: number): { value: Json; node?: FastNode } {
    const p = this.pos + ind;
    if (ind <= parent) this.fail();
    if (this.isDash(p)) return this.seq(ind, p);
    return this.map(ind, p);
  }

  isDash(p: number): boolean {
    const s = this.src;
    if (s.charCodeAt(p) !== 45) return false;
    const n = s.charCodeAt(p + 1);
    return p + 1 >= s.length || n === 32 || n === 10;
  }

  // long: one loop over the items of a block sequence, with each kind of item
  seq(ind: number, first: number): { value: Json; node?: FastNode } {
    const s = this.src;
    const value: Json[] = [];
    const items: FastNode[] | undefined = this.tree ? [] : undefined;
    let p = first;
    for (;;) {
      let q = p + 1;
      while (s.charCodeAt(q) === 32) q++;
      const c = s.charCodeAt(q);
      let item: { value: Json; node?: FastNode };
      if (q >= s.length || c === 10 || c === 35) {
        this.pos = this.nextLine(q);
        const n = this.nextContent();
        if (n <= ind) this.fail();
        item = this.block(n, ind);
      } else if (this.isDash(q)) {
        this.fail();
      } else if (this.isKeyLine(q)) {
        item = this.map(q - this.lineStart(q), q);
      } else {
        item = this.inline(q, ind);
      }
      value.push(item.value);
      items?.push(item.node!);
      const n = this.nextContent();
      if (n < ind) break;
      if (n > ind) this.fail();
      p = this.pos + n;
      if (!this.isDash(p)) break;
    }
    return { value, node: items && { kind: 'seq', start: first, end: this.lastEnd, items } };
  }

  lineStart(p: number): number {
    return this.src.lastIndexOf('\n', p - 1) + 1;
  }

  /** Whether the text at `q` starts a `key: value` pair (else it is a scalar or a flow collection). */
  isKeyLine(q: number): boolean {
    const s = this.src;
    const c = s[q];
    if (c === '"' || c === "'") {
      const close = this.quoteEnd(q);
      let k = close;
      while (s.charCodeAt(k) === 32) k++;
      return s[k] === ':';
    }
    if (c === '[' || c === '{' || c === '|' || c === '>') return false;
    const e = this.eol(q);
    for (let k = q; k < e; k++) {
      const ch = s.charCodeAt(k);
      if (ch === 58) {
        const n = s.charCodeAt(k + 1);
        if (k + 1 >= s.length || n === 32 || n === 10) return true;
      } else if (ch === 35 && s.charCodeAt(k - 1) === 32) return false;
    }
    return false;
  }

  /** Offset after the closing quote of the quoted scalar at `q` (on its line), else gives up. */
  quoteEnd(q: number): number {
    const s = this.src;
    const quote = s[q];
    for (let k = q + 1; k < s.length; k++) {
      const c = s[k];
      if (c === '\n') this.fail();
      if (quote === '"' && c === '\\') k++;
      else if (c === quote) {
        if (quote === "'" && s[k + 1] === "'") k++;
        else return k + 1;
      }
    }
    return this.fail();
  }

  quoted(q: number): { value: string; end: number } {
    const s = this.src;
    const end = this.quoteEnd(q);
    const inner = s.slice(q + 1, end - 1);
    if (s[q] === "'") return { value: inner.includes("''") ? inner.replace(/''/g, "'") : inner, end };
    if (!inner.includes('\\')) return { value: inner, end };
    if (/\\[^"\\/bfnrtu]/.test(inner)) this.fail();
    try {
      return { value: JSON.parse(s.slice(q, end)) as string, end };
    } catch {
      return this.fail();
    }
  }

  /** The key at `q`: its string and the offset of its `:`. */
  key(q: number): { key: string; colon: number } {
    const s = this.src;
    let key: string;
    let end: number;
    if (s[q] === '"' || s[q] === "'") {
      ({ value: key, end } = this.quoted(q));
    } else {
      if (this.indicator(q)) this.fail();
      end = q;
      for (;;) {
        const c = s.charCodeAt(end);
        if (end >= s.length || c === 10) this.fail();
        if (c === 58) {
          const n = s.charCodeAt(end + 1);
          if (end + 1 >= s.length || n === 32 || n === 10) break;
        }
        if (c === 35 && s.charCodeAt(end - 1) === 32) this.fail();
        end++;
      }
      if (s.charCodeAt(end - 1) === 32) this.fail();
      key = s.slice(q, end);
      if (typeof plainValue(key) !== 'string') this.fail();
    }
    if (s[end] !== ':' || end - q > 1024) this.fail();
    const n = s.charCodeAt(end + 1);
    if (end + 1 < s.length && n !== 32 && n !== 10) this.fail();
    if (key === '__proto__' || key === '<<') this.fail();
    return { key, colon: end };
  }

  // long: one loop over the pairs of a block mapping, with each kind of value
  map(ind: number, first: number): { value: Json; node?: FastNode } {
    const s = this.src;
    const value: JsonObject = {};
    const keys: string[] | undefined = this.tree ? [] : undefined;
    const keyNodes: FastNode[] | undefined = this.tree ? [] : undefined;
    const items: FastNode[] | undefined = this.tree ? [] : undefined;
    let p = first;
    let empty = false;
    for (;;) {
      const { key, colon } = this.key(p);
      if (Object.prototype.hasOwnProperty.call(value, key)) this.fail();
      let q = colon + 1;
      while (s.charCodeAt(q) === 32) q++;
      const c = s.charCodeAt(q);
      let v: { value: Json; node?: FastNode };
      if (q >= s.length || c === 10 || c === 35) {
        this.pos = this.nextLine(q);
        this.lastEnd = this.pos;
        const n = this.nextContent();
        if (n > ind || (n === ind && this.isDash(this.pos + n))) {
          v = n > ind ? this.block(n, ind) : this.seq(n, this.pos + n);
        } else {
          v = { value: null, node: this.tree ? { kind: 'scalar', start: q, end: q } : undefined };
          empty = true;
        }
      } else {
        v = this.inline(q, ind);
      }
      value[key] = v.value;
      const last = empty;
      empty = false;
      if (keys) {
        keys.push(key);
        keyNodes!.push({ kind: 'scalar', start: p, end: colon });
        items!.push(v.node!);
      }
      const n = this.nextContent();
      // (where `yaml` ends a mapping whose last value is empty depends on the comments after it)
      if (n < ind || (n === ind && this.isDash(this.pos + n))) {
        if (last) this.fail();
        break;
      }
      if (n > ind) this.fail();
      p = this.pos + n;
    }
    return { value, node: keys && { kind: 'map', start: first, end: this.lastEnd, keys, keyNodes, items } };
  }

  /** A value that starts on the current line at `q` (a scalar, a flow collection or a block scalar). */
  inline(q: number, parent: number): { value: Json; node?: FastNode } {
    const s = this.src;
    const c = s[q];
    if (c === '|' || c === '>') return this.blockScalar(q, parent);
    if (c === '[' || c === '{') {
      const r = this.flow(q);
      this.endLine(r.end);
      return r;
    }
    let value: Json;
    let end: number;
    if (c === '"' || c === "'") {
      ({ value, end } = this.quoted(q));
    } else {
      if (this.indicator(q)) this.fail();
      const e = this.eol(q);
      end = e;
      for (let k = q; k < e; k++) {
        const ch = s.charCodeAt(k);
        if (ch === 35 && s.charCodeAt(k - 1) === 32) {
          end = k;
          break;
        }
        if (ch === 58 && (k + 1 >= e || s.charCodeAt(k + 1) === 32)) this.fail();
      }
      while (s.charCodeAt(end - 1) === 32) end--;
      value = plainValue(s.slice(q, end));
    }
    this.endLine(end);
    return { value, node: this.tree ? { kind: 'scalar', start: q, end } : undefined };
  }

  // long: the header, the lines and the chomping of a literal or folded block scalar
  blockScalar(q: number, parent: number): { value: Json; node?: FastNode } {
    const s = this.src;
    const literal = s[q] === '|';
    let h = q + 1;
    const strip = s[h] === '-';
    if (strip) h++;
    if (h < s.length && s[h] !== '\n') this.fail();
    let p = h + 1;
    if (p > s.length) this.fail();
    // the first line sets the indentation; it must be a content line
    let m = 0;
    while (s.charCodeAt(p + m) === 32) m++;
    if (m <= parent || p + m >= s.length || s.charCodeAt(p + m) === 10) this.fail();
    const lines: string[] = [];
    let end = p;
    let blanks = 0;
    while (p < s.length) {
      const e = this.eol(p);
      let k = p;
      while (k < e && s.charCodeAt(k) === 32) k++;
      if (k === e) {
        if (k - p > m) this.fail();
        blanks++;
      } else if (k - p < m) {
        break;
      } else {
        if (e === s.length) this.fail();
        for (; blanks > 0; blanks--) lines.push('');
        lines.push(s.slice(p + m, e));
        end = e + 1;
      }
      p = e + 1;
    }
    let value: string;
    if (literal) value = lines.join('\n');
    else {
      if (lines.some((l) => l === '' || l.charCodeAt(0) === 32)) this.fail();
      value = lines.join(' ');
    }
    if (!strip) value += '\n';
    this.pos = end;
    this.lastEnd = end;
    return { value, node: this.tree ? { kind: 'scalar', start: q, end } : undefined };
  }

  /** A flow collection on one line at `q`. */
  // long: sequences and mappings of flow scalars and nested collections
  flow(q: number): { value: Json; node?: FastNode; end: number } {
    const s = this.src;
    const isMap = s[q] === '{';
    const close = isMap ? '}' : ']';
    const value: Json = isMap ? {} : [];
    const keys: string[] | undefined = this.tree && isMap ? [] : undefined;
    const keyNodes: FastNode[] | undefined = this.tree && isMap ? [] : undefined;
    const items: FastNode[] | undefined = this.tree ? [] : undefined;
    let p = this.skipSpaces(q + 1);
    if (s[p] === close) return { value, end: p + 1, node: this.tree ? { kind: isMap ? 'map' : 'seq', start: q, end: p + 1, keys, keyNodes, items } : undefined };
    for (;;) {
      if (isMap) {
        const k = this.flowScalar(p);
        if (typeof k.value !== 'string' || k.value === '__proto__' || k.value === '<<') this.fail();
        if (s[k.end] !== ':' || s[k.end + 1] !== ' ') this.fail();
        if (Object.prototype.hasOwnProperty.call(value, k.value)) this.fail();
        const v = this.flowItem(this.skipSpaces(k.end + 1));
        (value as JsonObject)[k.value] = v.value;
        keys?.push(k.value);
        keyNodes?.push(k.node!);
        items?.push(v.node!);
        p = this.skipSpaces(v.end);
      } else {
        const v = this.flowItem(p);
        (value as Json[]).push(v.value);
        items?.push(v.node!);
        p = this.skipSpaces(v.end);
        if (s[p] === ':') this.fail();
      }
      if (s[p] === close) {
        const end = p + 1;
        return { value, end, node: this.tree ? { kind: isMap ? 'map' : 'seq', start: q, end, keys, keyNodes, items } : undefined };
      }
      if (s[p] !== ',') this.fail();
      p = this.skipSpaces(p + 1);
      if (s[p] === close || s[p] === ',') this.fail();
    }
  }

  /** Whether the character at `q` cannot start a plain scalar (an indicator, or `-?:` before a space). */
  indicator(q: number, inFlow = false): boolean {
    const s = this.src;
    const c = s[q];
    if (BLOCK_INDICATOR.has(c)) return true;
    if (c !== '?' && c !== ':' && c !== '-') return false;
    const n = s[q + 1];
    return n === undefined || n === ' ' || n === '\n' || (inFlow && FLOW_STOP.has(n));
  }

  skipSpaces(p: number): number {
    while (this.src.charCodeAt(p) === 32) p++;
    return p;
  }

  flowItem(p: number): { value: Json; node?: FastNode; end: number } {
    const c = this.src[p];
    if (c === '[' || c === '{') return this.flow(p);
    return this.flowScalar(p);
  }

  flowScalar(p: number): { value: Json; node?: FastNode; end: number } {
    const s = this.src;
    const c = s[p];
    let value: Json;
    let end: number;
    if (c === '"' || c === "'") {
      ({ value, end } = this.quoted(p));
    } else {
      if (c === ' ' || c === '\n' || c === undefined || this.indicator(p, true)) this.fail();
      end = p;
      for (;;) {
        const ch = s[end];
        if (ch === undefined || ch === '\n') this.fail();
        if (FLOW_STOP.has(ch)) break;
        if (ch === ':') {
          const n = s[end + 1];
          if (n === ' ' || FLOW_STOP.has(n) || n === '\n' || n === undefined) break;
        }
        if (ch === '#' && s[end - 1] === ' ') this.fail();
        end++;
      }
      while (s.charCodeAt(end - 1) === 32) end--;
      value = plainValue(s.slice(p, end));
    }
    return { value, end, node: this.tree ? { kind: 'scalar', start: p, end } : undefined };
  }

  /** The whole document: an optional `---` line, then one block mapping or sequence at column 0. */
  document(): { value: Json; node?: FastNode } {
    const s = this.src;
    if (UNUSUAL.test(s)) this.fail();
    let n = this.nextContent();
    if (n === 0 && s.startsWith('---', this.pos)) {
      this.endLine(this.pos + 3);
      n = this.nextContent();
    }
    if (n !== 0) this.fail();
    const c = s[this.pos];
    if (c === '%' || s.startsWith('---', this.pos) || s.startsWith('...', this.pos)) this.fail();
    const r = this.block(0, -1);
    if (this.nextContent() >= 0) this.fail();
    return r;
  }
}

function read(src: string, tree: boolean): { value: Json; node?: FastNode } | undefined {
  try {
    return new Reader(src, tree).document();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

/** The document's value as `yaml`'s toJS gives it, or undefined when the fast reader gives up. */
export function fastValue(src: string): { value: Json } | undefined {
  return read(src, false);
}

/** The document's node tree with `yaml`'s ranges, or undefined when the fast reader gives up. */
export function fastTree(src: string): FastNode | undefined {
  return read(src, true)?.node;
}
