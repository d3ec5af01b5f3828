/**
 * A virtualised list of fixed-height rows: the viewport scrolls a spacer as tall as all rows, and
 * only the rows in view (plus some overscan) exist in the DOM, absolutely positioned with a
 * transform. Row elements are pooled and refilled, so scrolling creates no elements.
 */
export interface VirtualListOptions<T> {
  /** The scroll container (overflow: auto). */
  viewport: HTMLElement;
  rowHeight: number;
  /** Extra rows rendered above and below the visible ones. */
  overscan?: number;
  create(): HTMLElement;
  update(el: HTMLElement, item: T, index: number): void;
  /** After the rows in the DOM changed (e.g. a scroll brought others in). */
  rendered?(): void;
}

export class VirtualList<T> {
  readonly viewport: HTMLElement;
  readonly spacer: HTMLElement;
  private readonly rowHeight: number;
  private readonly overscan: number;
  private items: readonly T[] = [];
  /** Row index → the element showing it. */
  private readonly bound = new Map<number, HTMLElement>();
  private readonly free: HTMLElement[] = [];
  private frame = 0;
  private lastHeight = 0;
  private readonly resize: ResizeObserver | undefined;

  constructor(private readonly opts: VirtualListOptions<T>) {
    this.viewport = opts.viewport;
    this.rowHeight = opts.rowHeight;
    this.overscan = opts.overscan ?? 8;
    this.spacer = document.createElement('div');
    this.spacer.className = 'vlist-spacer';
    this.spacer.setAttribute('role', 'none');
    this.viewport.append(this.spacer);
    this.viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    if (typeof ResizeObserver !== 'undefined') {
      this.resize = new ResizeObserver(() => {
        const h = this.viewport.clientHeight;
        if (h !== this.lastHeight) {
          this.lastHeight = h;
          this.schedule();
        }
      });
      this.resize.observe(this.viewport);
    }
  }

  get length(): number {
    return this.items.length;
  }

  item(i: number): T | undefined {
    return this.items[i];
  }

  /** Replaces the rows and renders the visible ones now (every visible row is refilled). */
  setItems(items: readonly T[]): void {
    this.items = items;
    this.spacer.style.height = `${items.length * this.rowHeight}px`;
    this.render(true);
  }

  /** Refills the visible rows (e.g. the selection or the clock changed). */
  refresh(): void {
    this.render(true);
  }

  /** Refills some rows if they are in the DOM. */
  refreshIndexes(indexes: Iterable<number>): void {
    for (const i of indexes) {
      const el = this.bound.get(i);
      if (el && i < this.items.length) this.opts.update(el, this.items[i], i);
    }
  }

  get scrollTop(): number {
    return this.viewport.scrollTop;
  }

  set scrollTop(v: number) {
    this.viewport.scrollTop = v;
    this.render(false);
  }

  /** Rows (first, last) at least partly visible. */
  visibleRange(): { first: number; last: number } {
    const top = this.viewport.scrollTop;
    const h = this.viewport.clientHeight || this.rowHeight * 20;
    const first = Math.max(0, Math.floor(top / this.rowHeight));
    const last = Math.min(this.items.length - 1, Math.ceil((top + h) / this.rowHeight) - 1);
    return { first, last };
  }

  /** Rows that fit in the viewport (for Page Up/Down). */
  pageSize(): number {
    return Math.max(1, Math.floor((this.viewport.clientHeight || this.rowHeight * 20) / this.rowHeight) - 1);
  }

  /** Scrolls the least needed to show row i completely. */
  reveal(i: number, align: 'nearest' | 'center' = 'nearest'): void {
    if (i < 0 || i >= this.items.length) return;
    const top = i * this.rowHeight;
    const bottom = top + this.rowHeight;
    const h = this.viewport.clientHeight;
    const st = this.viewport.scrollTop;
    let next = st;
    if (align === 'center') next = top - Math.max(0, (h - this.rowHeight) / 2);
    else if (top < st) next = top;
    else if (bottom > st + h) next = bottom - h;
    if (next !== st) this.scrollTop = Math.max(0, next);
    // A scroll not yet rendered (its frame is pending) may have left row i out of the DOM.
    else if (!this.bound.has(i)) this.render(false);
  }

  elementAt(i: number): HTMLElement | undefined {
    return this.bound.get(i);
  }

  /** The index of a row element (or of an element inside one). */
  indexOf(target: EventTarget | null): number {
    let el = target instanceof Element ? target : null;
    while (el && el !== this.viewport) {
      if (el instanceof HTMLElement && el.parentElement === this.spacer) {
        for (const [i, e] of this.bound) if (e === el) return i;
        return -1;
      }
      el = el.parentElement;
    }
    return -1;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render(false);
    });
  }

  private render(force: boolean): void {
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    const n = this.items.length;
    const { first, last } = this.visibleRange();
    const from = Math.max(0, first - this.overscan);
    const to = Math.min(n - 1, last + this.overscan);
    for (const [i, el] of this.bound) {
      if (i < from || i > to) {
        this.bound.delete(i);
        // Out of the DOM (not just hidden): only rows in view exist for queries and assistive tech.
        el.remove();
        this.free.push(el);
      }
    }
    for (let i = from; i <= to; i++) {
      let el = this.bound.get(i);
      const fresh = !el;
      if (!el) {
        el = this.free.pop() ?? this.opts.create();
        this.spacer.appendChild(el);
        el.style.transform = `translateY(${i * this.rowHeight}px)`;
        this.bound.set(i, el);
      }
      if (fresh || force) this.opts.update(el, this.items[i], i);
    }
    // Keep a bounded pool after a big shrink.
    if (this.free.length > 64) this.free.length = 64;
    this.opts.rendered?.();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.resize?.disconnect();
  }
}
