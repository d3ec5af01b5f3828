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
