/**
 * How long the server was unresponsive: the event-loop delay (10 ms resolution) and the longest
 * garbage-collection pause since start or the last reset. Nothing is measured until `start()`
 * (the server calls it where it registers its requests; `kubefed/stats` reports it).
 */
import { monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';

export class LoopMonitor {
  private delay: IntervalHistogram | undefined;
  private gc: PerformanceObserver | undefined;
  private maxGcMs = 0;

  start(): this {
    if (this.delay) return this;
    this.delay = monitorEventLoopDelay({ resolution: 10 });
    this.delay.enable();
    this.gc = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) this.maxGcMs = Math.max(this.maxGcMs, e.duration);
    });
    this.gc.observe({ entryTypes: ['gc'] });
    return this;
  }

  /** Milliseconds, rounded to 0.1 (0 before `start()`). */
  stats(): { maxMs: number; p99Ms: number; maxGcPauseMs: number } {
    const d = this.delay;
    return {
      maxMs: d ? Math.round(d.max / 1e5) / 10 : 0,
      p99Ms: d ? Math.round(d.percentile(99) / 1e5) / 10 : 0,
      maxGcPauseMs: Math.round(this.maxGcMs * 10) / 10,
    };
  }

  reset(): void {
    this.delay?.reset();
    this.maxGcMs = 0;
  }

  stop(): void {
    this.delay?.disable();
    this.gc?.disconnect();
    this.delay = undefined;
    this.gc = undefined;
  }
}
