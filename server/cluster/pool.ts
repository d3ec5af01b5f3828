import { setMaxListeners } from 'node:events';

/**
 * Bounded concurrency, cancellation and progress for cluster work: a semaphore shared by every
 * cluster of a run, and an error type for work stopped by an AbortSignal.
 */

/** Thrown (or used as a rejection) when a run is cancelled through its AbortSignal. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export function isCancelled(err: unknown): boolean {
  return err instanceof CancelledError || (err instanceof Error && err.name === 'AbortError');
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

/** At most `limit` holders at a time; waiters are served in order and leave when the signal aborts. */
export class Semaphore {
  private active = 0;
  private readonly waiters: { resolve: () => void; reject: (e: Error) => void; signal?: AbortSignal; onAbort?: () => void }[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, not ${limit}`);
  }

  get inUse(): number {
    return this.active;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const w: (typeof this.waiters)[number] = { resolve, reject, signal };
      if (signal) {
        w.onAbort = () => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new CancelledError());
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.waiters.push(w);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) {
      if (next.signal && next.onAbort) next.signal.removeEventListener('abort', next.onAbort);
      next.resolve();
    } else {
      this.active--;
    }
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

/**
 * Maps every item through `fn` with at most `limit` running at once (or through a shared
 * semaphore). Never rejects because of one item: each result is settled.
 */
export async function mapSettled<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  options: { limit?: number; semaphore?: Semaphore; signal?: AbortSignal } = {},
): Promise<PromiseSettledResult<R>[]> {
  const sem = options.semaphore ?? new Semaphore(Math.max(1, options.limit ?? 8));
  return Promise.allSettled(items.map((item, i) => sem.run(() => fn(item, i), options.signal)));
}

/** A progress callback that can never break the run it observes. */
export function safeProgress<E>(cb: ((e: E) => void) | undefined): (e: E) => void {
  return (e) => {
    if (!cb) return;
    try {
      cb(e);
    } catch {
      /* a failing observer does not stop propagation */
    }
  };
}

/**
 * A signal of the run's own that follows `outer`: every request listens on it, so it may have
 * any number of listeners (the caller's signal keeps one).
 */
export function linkSignal(outer?: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const ctrl = new AbortController();
  setMaxListeners(0, ctrl.signal);
  if (!outer) return { signal: ctrl.signal, dispose: () => {} };
  const onAbort = () => ctrl.abort(outer.reason);
  if (outer.aborted) ctrl.abort(outer.reason);
  else outer.addEventListener('abort', onAbort, { once: true });
  return { signal: ctrl.signal, dispose: () => outer.removeEventListener('abort', onAbort) };
}
