/** Offsets <-> LSP-style positions (0-based line and UTF-16 character). */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface Location {
  uri: string;
  range: Range;
}

export class LineIndex {
  /** Offsets where lines start. */
  private readonly starts: number[];
  constructor(
    readonly text: string,
    /** Line starts already known (LineIndex.edited). */
    known?: number[],
  ) {
    if (known) {
      this.starts = known;
      return;
    }
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  /**
   * The index of `text`, made from `prev`'s: `text` is `prev.text` with [from, oldTo) replaced.
   * Lines that start before the change are kept, lines after it shifted; only the replacement is
   * scanned.
   */
  static edited(prev: LineIndex, text: string, from: number, oldTo: number): LineIndex {
    const delta = text.length - prev.text.length;
    const old = prev.starts;
    // lines starting at or before `from` (their newline is before the change)
    let keep = prev.lineIndexAt(from) + 1;
    const starts = old.slice(0, keep);
    const newTo = oldTo + delta;
    for (let i = text.indexOf('\n', from); i >= 0 && i < newTo; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    // lines whose newline comes after the change
    keep = prev.lineIndexAt(oldTo) + 1;
    for (let k = keep; k < old.length; k++) starts.push(old[k] + delta);
    return new LineIndex(text, starts);
  }

  /** The line that `offset` is on. */
  private lineIndexAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineIndexAt(o);
    return { line, character: o - this.starts[line] };
  }

  offset(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const lineStart = this.starts[Math.max(0, pos.line)];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length + 1;
    return Math.min(lineStart + Math.max(0, pos.character), next - 1);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}

/** Text decoded from bytes; `notUtf8At`: the text offset of the first byte that is not UTF-8. */
export interface DecodedText {
  text: string;
  notUtf8At?: number;
  /** The byte offset of that byte. */
  byteOffset?: number;
}

// (a byte order mark stays in the text, as with fs.readFile(path, 'utf8'))
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Bytes as UTF-8. When they are not valid UTF-8 the text has replacement characters and
 * `notUtf8At` says where the first bad byte is (as an offset into the text).
 */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  try {
    return { text: strictUtf8.decode(bytes) };
  } catch {
    const bad = firstBadUtf8Byte(bytes);
    return { text: lenientUtf8.decode(bytes), notUtf8At: lenientUtf8.decode(bytes.subarray(0, bad)).length, byteOffset: bad };
  }
}

/** Offset of the first byte of the first ill-formed UTF-8 sequence (RFC 3629), or bytes.length. */
function firstBadUtf8Byte(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    // the second byte's range excludes overlong forms, surrogates and code points over U+10FFFF
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}
