/**
 * Leader election on a `coordination.k8s.io/v1` Lease, after client-go's algorithm
 * (tools/leaderelection/leaderelection.go `tryAcquireOrRenew`, `renew`). Pure: the caller reads
 * the Lease, asks `attempt` what to write, writes it with the read resourceVersion (a 409 means
 * another candidate won the race) and reports back with `written` or `failed`; time is passed
 * in, so tests drive it with a fake clock.
 *
 * Remote timestamps are never trusted: a holder is alive while the record this candidate last
 * saw change is younger than its lease duration on this candidate's own clock (clock-skew
 * tolerant, as client-go). A leader counts itself leader only until `renewDeadline` after the
 * start of its last successful write, which is shorter than the lease duration the others wait.
 */

export interface LeaseSpec {
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** MicroTime (RFC 3339 with microseconds). */
  acquireTime: string;
  renewTime: string;
  leaseTransitions: number;
}

export interface ElectionTimings {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** KubeFed's lease and renew deadline (15 s, 10 s) with client-go's retry period (2 s). */
export const DEFAULT_TIMINGS: ElectionTimings = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

/** client-go's JitterFactor: retries are spread over [retryPeriod, 2.2 × retryPeriod). */
export const JITTER_FACTOR = 1.2;

/** Why the timings cannot work (client-go's NewLeaderElector checks), or undefined. */
export function timingsProblem(t: ElectionTimings): string | undefined {
  if (!(t.leaseDurationMs > t.renewDeadlineMs)) return 'the lease duration must be greater than the renew deadline';
  if (!(t.renewDeadlineMs > JITTER_FACTOR * t.retryPeriodMs)) return `the renew deadline must be greater than ${JITTER_FACTOR} × the retry period`;
  if (!(t.retryPeriodMs > 0)) return 'the retry period must be positive';
  return undefined;
}

/** A time as a Kubernetes MicroTime: `2026-01-02T15:04:05.123000Z`. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The Lease's spec as a record; null when it holds none of the fields. */
export function leaseSpecOf(spec: unknown): LeaseSpec | null {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return null;
  const s = spec as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    holderIdentity: str(s.holderIdentity),
    leaseDurationSeconds: num(s.leaseDurationSeconds),
    acquireTime: str(s.acquireTime),
    renewTime: str(s.renewTime),
    leaseTransitions: num(s.leaseTransitions),
  };
}

function fingerprint(s: LeaseSpec): string {
  return JSON.stringify([s.holderIdentity, s.leaseDurationSeconds, s.acquireTime, s.renewTime, s.leaseTransitions]);
}

export type Attempt = { write: 'none'; holder: string } | { write: 'create' | 'update'; spec: LeaseSpec };

export class LeaderElection {
  private observed: LeaseSpec | null = null;
  private observedPrint: string | undefined;
  /** Local time when the observed record last changed. */
  private observedTime = 0;
  /** Start of the last successful write of our own record (undefined: not leading). */
  private renewedAt: number | undefined;
  private pendingAt = 0;

  constructor(
    readonly identity: string,
    readonly timings: ElectionTimings = DEFAULT_TIMINGS,
  ) {
    const problem = timingsProblem(timings);
    if (problem) throw new Error(`leader election: ${problem}`);
  }

  /** What to write after reading `current` (null: there is no Lease yet). */
  attempt(now: number, current: LeaseSpec | null): Attempt {
    this.pendingAt = now;
    const duration = Math.ceil(this.timings.leaseDurationMs / 1000);
    const t = microTime(now);
    if (!current) return { write: 'create', spec: { holderIdentity: this.identity, leaseDurationSeconds: duration, acquireTime: t, renewTime: t, leaseTransitions: 0 } };
    const print = fingerprint(current);
    if (print !== this.observedPrint) {
      this.observed = current;
      this.observedPrint = print;
      this.observedTime = now;
    }
    const ours = current.holderIdentity === this.identity;
    const heldFor = (current.leaseDurationSeconds || duration) * 1000;
    if (current.holderIdentity && !ours && this.observedTime + heldFor > now) {
      this.renewedAt = undefined; // someone else holds it: whatever we thought, we do not lead
      return { write: 'none', holder: current.holderIdentity };
    }
    return {
      write: 'update',
      spec: {
        holderIdentity: this.identity,
        leaseDurationSeconds: duration,
        acquireTime: ours && current.acquireTime ? current.acquireTime : t,
        renewTime: t,
        leaseTransitions: ours ? current.leaseTransitions : current.leaseTransitions + 1,
      },
    };
  }

  /** The write of the last attempt succeeded with `spec` (as the server stored it). */
  written(spec: LeaseSpec): void {
    this.observed = spec;
    this.observedPrint = fingerprint(spec);
    this.observedTime = this.pendingAt;
    this.renewedAt = spec.holderIdentity === this.identity ? this.pendingAt : undefined;
  }

  /** The read or the write of the last attempt failed (a 409: another candidate won). Nothing changes: the deadline runs on. */
  failed(): void {}

  /** Whether this candidate leads at `now`: its last renewal started less than renewDeadline ago. */
  isLeader(now: number): boolean {
    return this.renewedAt !== undefined && now - this.renewedAt < this.timings.renewDeadlineMs;
  }

  /** When leadership ends unless renewed (undefined: not leading). */
  deadline(): number | undefined {
    return this.renewedAt === undefined ? undefined : this.renewedAt + this.timings.renewDeadlineMs;
  }

  /** The holder last seen ('' when none). */
  observedHolder(): string {
    return this.observed?.holderIdentity ?? '';
  }

  /**
   * The record that gives the lease up (client-go's release: no holder, 1 s duration, so the next
   * candidate takes it at once); undefined when this candidate does not hold it. Leadership ends.
   */
  release(now: number): LeaseSpec | undefined {
    if (!this.observed || this.observed.holderIdentity !== this.identity) return undefined;
    this.renewedAt = undefined;
    this.pendingAt = now;
    const t = microTime(now);
    return { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: t, renewTime: t, leaseTransitions: this.observed.leaseTransitions };
  }
}
