/**
 * Where the cursor is in a YAML document, from the text alone (the document is usually
 * incomplete while typing, so the parser's tree cannot be trusted): the path of the collection
 * around the cursor, the key of the current line, and whether the cursor is on a key or a value.
 * Block style, and flow collections, on the cursor's line (`clusters: [{name: |}]`) or opened on
 * a line above (`clusters: [` … `{name: |}` … `]`).
 */
import type { PathSegment } from '../engine/index.ts';

export interface CursorContext {
  /** Path of the mapping (or sequence, for bare items) containing the current line's node. */
  parentPath: PathSegment[];
  /** Key of the current line (`key: …`), when there is one before the cursor. */
  key?: string;
  /** Cursor after `key:` (in the value), or on a bare sequence item (`- value`). */
  inValue: boolean;
  /** Current line is a bare sequence item `- value` (parentPath ends with its index). */
  seqItem: boolean;
  /** Text of the value or key typed so far (unquoted). */
  prefix: string;
  /** Columns [start, end) of the token to replace on the current line. */
  replaceStart: number;
  replaceEnd: number;
  /** Column where a key at this position starts. */
  column: number;
  /** Inside a flow collection (`[…]`, `{…}`): an inserted value must stay on the line. */
  flow?: boolean;
}

interface LineShape {
  blank: boolean;
  /** Columns of the `- ` markers at the start of the line. */
  dashes: number[];
  /** Column where the content after the dashes starts. */
  contentCol: number;
  /** Key of a `key:` pair starting the content. */
  key?: string;
  /** Something after `key:` on the same line (not a comment). */
  hasInlineValue: boolean;
}

const KEY_RE = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]][^#]*?)[ \t]*:(?=[ \t]|$)(.*)$/;

export function shapeOf(line: string): LineShape {
  const m = /^([ \t]*)/.exec(line)!;
  let col = m[1].length;
  const dashes: number[] = [];
  for (;;) {
    if (line[col] === '-' && (line[col + 1] === ' ' || line[col + 1] === '\t' || col + 1 === line.length)) {
      dashes.push(col);
      col++;
      while (line[col] === ' ' || line[col] === '\t') col++;
    } else break;
  }
  const rest = line.slice(col);
  const blank = rest.trim() === '' || rest.trimStart().startsWith('#');
  if (blank) return { blank: dashes.length === 0, dashes, contentCol: col, hasInlineValue: false };
  const km = KEY_RE.exec(rest);
  if (km) {
    const after = km[2].trim();
    return { blank: false, dashes, contentCol: col, key: unquote(km[1].trim()), hasInlineValue: after !== '' && !after.startsWith('#') };
  }
  return { blank: false, dashes, contentCol: col, hasInlineValue: true };
}

export function unquote(s: string): string {
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
  return s;
}

/**
 * Path of the collection that holds a node whose content starts at column `col` of line `at`
 * (the node itself is not part of the path).
 */
export function containerPath(lines: string[], at: number, col: number, depth = 0): PathSegment[] {
  if (depth > 64) return [];
  for (let i = Math.min(at, lines.length) - 1; i >= 0; i--) {
    const s = shapeOf(lines[i]);
    if (s.blank) continue;
    if (isDocMarker(lines[i])) return [];
    // A line whose own dash opens the item we are in: `  - name: x` above `    weight: 1`.
    if (s.dashes.length && s.contentCol === col && s.dashes[s.dashes.length - 1] < col) {
      return itemPath(lines, i, s.dashes[s.dashes.length - 1], depth);
    }
    if (s.contentCol < col) {
      if (s.key !== undefined && !s.hasInlineValue) {
        const base = s.dashes.length ? itemPath(lines, i, s.dashes[s.dashes.length - 1], depth + 1) : containerPath(lines, i, s.contentCol, depth + 1);
        return [...base, s.key];
      }
      if (s.dashes.length && s.dashes[s.dashes.length - 1] < col && s.contentCol < col) {
        return itemPath(lines, i, s.dashes[s.dashes.length - 1], depth);
      }
      return [];
    }
  }
  return [];
}

/** Path of the sequence item opened by the dash at column `dashCol` of line `at`. */
export function itemPath(lines: string[], at: number, dashCol: number, depth = 0): PathSegment[] {
  let index = 0;
  for (let i = Math.min(at, lines.length) - 1; i >= 0; i--) {
    const s = shapeOf(lines[i]);
    if (s.blank) continue;
    if (isDocMarker(lines[i])) return [index];
    if (s.dashes.length && s.dashes[0] === dashCol) {
      index++;
      continue;
    }
    if (s.dashes.length && s.dashes.includes(dashCol)) {
      // nested `- - x`: the outer dash is the item of an outer sequence
      index++;
      continue;
    }
    const firstCol = s.dashes.length ? s.dashes[0] : s.contentCol;
    if (firstCol > dashCol) continue; // content of a previous item
    if (s.key !== undefined && !s.hasInlineValue && s.contentCol <= dashCol) {
      return [...containerPath(lines, i, s.contentCol, depth + 1), s.key, index];
    }
    return [index];
  }
  return [index];
}

function isDocMarker(line: string): boolean {
  return /^(---|\.\.\.)([ \t]|$)/.test(line);
}

/** Lines above the cursor searched for the start of a flow collection that spans lines. */
const FLOW_LOOKBACK = 200;

/**
 * The cursor inside a flow collection opened on a line above (`clusters: [` / `- {`) and still
 * open at the cursor: the nearest such line, its collection read across the lines up to the cursor.
 */
export function multiLineFlowContext(lines: string[], line: number, character: number): CursorContext | undefined {
  for (let i = line - 1; i >= 0 && i >= line - FLOW_LOOKBACK; i--) {
    if (isDocMarker(lines[i])) return undefined;
    const s = shapeOf(lines[i]);
    if (s.blank) continue;
    const rest = lines[i].slice(s.contentCol);
    let from: number;
    let base: PathSegment[];
    const km = s.key !== undefined ? KEY_RE.exec(rest) : null;
    const lastDash = s.dashes.length ? s.dashes[s.dashes.length - 1] : undefined;
    const itemBase = () => (lastDash !== undefined ? itemPath(lines, i, lastDash) : containerPath(lines, i, s.contentCol));
    if (km && /^\s*[[{]/.test(km[2])) {
      from = lines[i].length - km[2].trimStart().length;
      base = [...itemBase(), s.key!];
    } else if (lastDash !== undefined && /^[[{]/.test(rest)) {
      from = s.contentCol;
      base = itemBase();
    } else continue;
    if (!flowContext(`${lines[i]}\n`, from, lines[i].length + 1, base)) continue; // closed on its own line
    const joined = lines.slice(i, line + 1).join('\n');
    const off = joined.length - (lines[line] ?? '').length;
    const f = flowContext(joined, from, off + character, base);
    if (!f) continue;
    const col = (n: number) => Math.max(0, n - off);
    return { ...f, replaceStart: col(f.replaceStart), replaceEnd: col(f.replaceEnd), column: col(f.column) };
  }
  return undefined;
}

/** The cursor context at `line`/`character` of a document's lines. */
export function cursorContext(lines: string[], line: number, character: number): CursorContext {
  const multi = multiLineFlowContext(lines, line, character);
  if (multi) return multi;
  const text = lines[line] ?? '';
  const before = text.slice(0, character);
  const s = shapeOf(before);
  const lastDash = s.dashes.length ? s.dashes[s.dashes.length - 1] : undefined;
  // Path of the node the current line belongs to.
  let parentPath: PathSegment[];
  if (lastDash !== undefined) parentPath = itemPath(lines, line, lastDash);
  else parentPath = containerPath(lines, line, s.blank ? character : s.contentCol);
  const rest = before.slice(s.contentCol);
  // End of the token under the cursor (to replace the whole word when completing mid-word).
  const tail = /^[^\s#]*/.exec(text.slice(character))![0];
  if (s.key !== undefined && KEY_RE.test(rest)) {
    const km = KEY_RE.exec(rest)!;
    const valueText = km[2];
    const lead = valueText.length - valueText.trimStart().length;
    const valueStart = character - valueText.length + lead;
    const raw = valueText.trimStart();
    if (raw.startsWith('[') || raw.startsWith('{')) {
      const f = flowContext(text, valueStart, character, [...parentPath, s.key]);
      if (f) return f;
    }
    let prefix = raw;
    let start = valueStart;
    if (raw.startsWith('"') || raw.startsWith("'")) {
      prefix = raw.slice(1);
    }
    // inside a flow sequence `[a, b` complete the last element
    const flow = /^\[(.*?)([^,\s\[]*)$/.exec(raw);
    if (flow) {
      prefix = flow[2];
      start = character - flow[2].length;
    }
    return {
      parentPath,
      key: s.key,
      inValue: true,
      seqItem: false,
      prefix,
      replaceStart: start,
      replaceEnd: character + tail.length,
      column: s.contentCol,
    };
  }
  if (lastDash !== undefined && (rest.startsWith('[') || rest.startsWith('{'))) {
    const f = flowContext(text, s.contentCol, character, parentPath);
    if (f) return f;
  }
  if (lastDash !== undefined && !rest.includes(':')) {
    // `- value` (or `- ` with nothing yet): a sequence scalar or the first key of an item mapping
    return {
      parentPath,
      inValue: true,
      seqItem: true,
      prefix: rest.trim(),
      replaceStart: s.contentCol,
      replaceEnd: character + tail.length,
      column: s.contentCol,
    };
  }
  return {
    parentPath,
    inValue: false,
    seqItem: false,
    prefix: rest.trim(),
    replaceStart: s.blank ? character : s.contentCol,
    replaceEnd: character + tail.length,
    column: s.blank ? character : s.contentCol,
  };
}

interface FlowFrame {
  seq: boolean;
  /** Index of the current item (sequence). */
  index: number;
  /** Key of the current pair (mapping), once its `:` is typed. */
  key?: string;
}

/**
 * The cursor inside a flow collection that starts at column `from` of the current line
 * (`clusters: [{name: cluster1}, {name: |`, `- {clusterName: |`): the path through the flow
 * collections to the cursor, below `base`, the path of the flow collection itself. Undefined when
 * the flow collection is closed before the cursor. `line` may hold several lines joined with `\n`
 * (a comment then ends at its line's end).
 */
export function flowContext(line: string, from: number, character: number, base: PathSegment[]): CursorContext | undefined {
  const stack: FlowFrame[] = [];
  let tokenStart = from;
  for (let i = from; i < character; i++) {
    const ch = line[i];
    if (ch === '"' || ch === "'") {
      const end = closingQuote(line, i, ch);
      if (end >= character) break;
      i = end;
      continue;
    }
    const top = stack[stack.length - 1];
    if (ch === '[' || ch === '{') {
      stack.push({ seq: ch === '[', index: 0 });
      tokenStart = i + 1;
    } else if (ch === ']' || ch === '}') {
      stack.pop();
      if (!stack.length) return undefined;
    } else if (ch === ',' && top) {
      if (top.seq) top.index++;
      else top.key = undefined;
      tokenStart = i + 1;
    } else if (ch === ':' && top && !top.seq && top.key === undefined && /[\s,\]}]/.test(line[i + 1] ?? ' ')) {
      top.key = unquote(line.slice(tokenStart, i).trim());
      tokenStart = i + 1;
    } else if (ch === '#' && /\s/.test(line[i - 1] ?? '')) {
      const eol = line.indexOf('\n', i);
      if (eol < 0 || eol >= character) return undefined; // the cursor is in the comment
      i = eol;
    }
  }
  if (!stack.length) return undefined;
  while (tokenStart < character && /\s/.test(line[tokenStart])) tokenStart++;
  const path = [...base];
  for (const f of stack.slice(0, -1)) path.push(f.seq ? f.index : (f.key ?? ''));
  const top = stack[stack.length - 1];
  const typed = line.slice(tokenStart, character);
  const prefix = typed.startsWith('"') || typed.startsWith("'") ? typed.slice(1) : typed;
  const tail = /^[^\s#,\]}]*/.exec(line.slice(character))![0];
  const at = { prefix, replaceStart: tokenStart, replaceEnd: character + tail.length, column: tokenStart, flow: true };
  if (top.seq) return { parentPath: [...path, top.index], inValue: true, seqItem: true, ...at };
  if (top.key !== undefined) return { parentPath: path, key: top.key, inValue: true, seqItem: false, ...at };
  return { parentPath: path, inValue: false, seqItem: false, ...at };
}

/** Index of the quote closing the one at `start` (the line's length when there is none). */
function closingQuote(line: string, start: number, q: string): number {
  for (let i = start + 1; i < line.length; i++) {
    if (q === '"' && line[i] === '\\') i++;
    else if (line[i] === q) {
      if (q === "'" && line[i + 1] === "'") i++;
      else return i;
    }
  }
  return line.length;
}
