/**
 * The work queue of a controller, with client-go's semantics (util/workqueue: queue, delaying
 * queue, ItemExponentialFailureRateLimiter). Pure: time is passed in, the caller owns the timers.
 *
 * - A key is held once: adding a queued key again does nothing, a delayed add of a queued or
 *   waiting key keeps the earlier time (KubeFed's DelayingDeliverer does the same).
 * - A key handed out by `next` is processing until `done`; adding it meanwhile makes it due again
 *   after `done` (so no two workers hold one key and no change is lost).
 * - `addRateLimited` delays a key by base × 2^failures (5 ms … 1000 s by default), counting the
 *   failures per key until `forget`.
 */

export interface WorkQueueOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export class WorkQueue<K = string> {
  /** Key -> the time it is due (queued when due <= now). */
  private readonly due = new Map<K, number>();
  private readonly processing = new Set<K>();
  /** Added while processing: key -> due time, moved to `due` on `done`. */
  private readonly dirty = new Map<K, number>();
  private readonly failures = new Map<K, number>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private shut = false;

  constructor(opt: WorkQueueOptions = {}) {
    this.baseDelayMs = opt.baseDelayMs ?? 5;
    this.maxDelayMs = opt.maxDelayMs ?? 1_000_000;
  }

  /** Queues `key` now. */
  add(key: K, now: number): void {
    this.addAfter(key, 0, now);
  }

  /** Queues `key` once `delayMs` has passed (an earlier pending time wins). */
  addAfter(key: K, delayMs: number, now: number): void {
    if (this.shut) return;
    const at = now + Math.max(0, delayMs);
    const target = this.processing.has(key) ? this.dirty : this.due;
    const prev = target.get(key);
    if (prev === undefined || at < prev) target.set(key, at);
  }

  /** Queues `key` after its backoff and counts a failure. */
  addRateLimited(key: K, now: number): number {
    const delay = this.backoffOf(key);
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
    this.addAfter(key, delay, now);
    return delay;
  }

  /** The delay the next `addRateLimited` of `key` waits. */
  backoffOf(key: K): number {
    const n = this.failures.get(key) ?? 0;
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(n, 62));
  }

  /** Failures counted for `key` since the last `forget`. */
  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** Stops counting failures of `key` (after a success). */
  forget(key: K): void {
    this.failures.delete(key);
  }

  /** The due key that waited longest, now processing; undefined when none is due. */
  next(now: number): K | undefined {
    let best: K | undefined;
    let bestAt = Infinity;
    for (const [k, at] of this.due) {
      if (at <= now && at < bestAt) {
        best = k;
        bestAt = at;
      }
    }
    if (best === undefined) return undefined;
    this.due.delete(best);
    this.processing.add(best);
    return best;
  }

  /** `key` is processed; if it was added meanwhile it is queued again. */
  done(key: K): void {
    if (!this.processing.delete(key)) return;
    const again = this.dirty.get(key);
    if (again === undefined) return;
    this.dirty.delete(key);
    const prev = this.due.get(key);
    if (!this.shut && (prev === undefined || again < prev)) this.due.set(key, again);
  }

  /** Milliseconds until the next key is due (0: one is due now); undefined when nothing waits. */
  nextDueIn(now: number): number | undefined {
    let min = Infinity;
    for (const at of this.due.values()) if (at < min) min = at;
    return min === Infinity ? undefined : Math.max(0, min - now);
  }

  /** Keys queued or waiting (not those processing). */
  get length(): number {
    return this.due.size;
  }

  get processingCount(): number {
    return this.processing.size;
  }

  /** Nothing more is queued; keys processing may still call `done`. */
  shutDown(): void {
    this.shut = true;
    this.due.clear();
    this.dirty.clear();
  }

  get isShutDown(): boolean {
    return this.shut;
  }
}
