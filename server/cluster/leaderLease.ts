/**
 * Leader election on a `coordination.k8s.io/v1` Lease of the host: the Lease I/O and the timers
 * around the engine's state machine (engine/leaderElection.ts). Writes carry the read
 * resourceVersion, so of two candidates writing at once one gets 409 Conflict (or AlreadyExists
 * on create) and stays a candidate.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isObject, type JsonObject } from '../engine/json.ts';
import { DEFAULT_TIMINGS, JITTER_FACTOR, LeaderElection, leaseSpecOf, type ElectionTimings, type LeaseSpec } from '../engine/leaderElection.ts';
import { ApiError, resourcePath, type ClusterClient, type ResourceInfo } from './client.ts';

export const LEASE: ResourceInfo = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true };

/** `hostname_uuid`, as KubeFed and client-go name candidates. */
export function candidateIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

export interface LeaseElectorOptions {
  namespace: string;
  name: string;
  identity?: string;
  timings?: ElectionTimings;
  log?: (line: string) => void;
}

export class LeaseElector {
  readonly election: LeaderElection;
  private rv: string | undefined;
  private exists = false;

  constructor(
    private readonly client: ClusterClient,
    private readonly opt: LeaseElectorOptions,
  ) {
    this.election = new LeaderElection(opt.identity ?? candidateIdentity(), opt.timings ?? DEFAULT_TIMINGS);
  }

  get identity(): string {
    return this.election.identity;
  }

  private get timings(): ElectionTimings {
    return this.election.timings;
  }

  /** One tryAcquireOrRenew: read, decide, write. Returns whether this candidate leads afterwards. */
  async tryAcquireOrRenew(signal?: AbortSignal): Promise<boolean> {
    const timeoutMs = Math.max(1_000, Math.floor(this.timings.renewDeadlineMs / 2));
    try {
      const lease = await this.client.get(LEASE, this.opt.namespace, this.opt.name, signal);
      this.exists = !!lease;
      this.rv = lease && isObject(lease.metadata) && typeof lease.metadata.resourceVersion === 'string' ? lease.metadata.resourceVersion : undefined;
      const a = this.election.attempt(Date.now(), lease ? leaseSpecOf(lease.spec) : null);
      if (a.write === 'none') return this.election.isLeader(Date.now());
      const stored = await this.write(a.spec, a.write === 'create', signal, timeoutMs);
      this.election.written(leaseSpecOf(stored.spec) ?? a.spec);
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'cancelled') throw e;
      if (!(e instanceof ApiError && e.status === 409)) this.opt.log?.(`lease ${this.opt.namespace}/${this.opt.name}: ${(e as Error).message}`);
      this.election.failed();
    }
    return this.election.isLeader(Date.now());
  }

  private async write(spec: LeaseSpec, create: boolean, signal: AbortSignal | undefined, timeoutMs: number): Promise<JsonObject> {
    const metadata: JsonObject = { name: this.opt.name, namespace: this.opt.namespace, ...(this.rv && !create ? { resourceVersion: this.rv } : {}) };
    const body = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec: spec as unknown as JsonObject };
    const path = create ? resourcePath(LEASE, this.opt.namespace) : resourcePath(LEASE, this.opt.namespace, this.opt.name);
    const out = await this.client.request<JsonObject>(create ? 'POST' : 'PUT', path, { body, signal, timeoutMs });
    this.rv = isObject(out.metadata) && typeof out.metadata.resourceVersion === 'string' ? out.metadata.resourceVersion : undefined;
    this.exists = true;
    return out;
  }

  /**
   * Tries every retryPeriod (with client-go's jitter) until this candidate leads. Resolves true
   * when it leads, false when `signal` aborted first.
   */
  async acquire(signal: AbortSignal): Promise<boolean> {
    let announced = '';
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew(signal).catch(() => false)) return true;
      const holder = this.election.observedHolder();
      if (holder && holder !== announced) this.opt.log?.(`lease ${this.opt.namespace}/${this.opt.name} is held by ${holder}; waiting`);
      announced = holder;
      await sleep(this.timings.retryPeriodMs * (1 + Math.random() * JITTER_FACTOR), signal);
    }
    return false;
  }

  /**
   * Renews every retryPeriod while leading. Resolves 'lost' as soon as the renew deadline passes
   * without a successful renewal (a timer, so a hanging request cannot stretch it), 'stopped'
   * when `signal` aborts.
   */
  async keep(signal: AbortSignal): Promise<'lost' | 'stopped'> {
    const round = new AbortController();
    const stop = () => round.abort();
    signal.addEventListener('abort', stop, { once: true });
    let lost = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      const d = this.election.deadline();
      timer = setTimeout(() => ((lost = true), round.abort()), Math.max(0, (d ?? 0) - Date.now()));
    };
    try {
      arm();
      while (!round.signal.aborted) {
        await sleep(this.timings.retryPeriodMs, round.signal);
        if (round.signal.aborted) break;
        await this.tryAcquireOrRenew(round.signal).catch(() => undefined);
        if (!round.signal.aborted) {
          if (this.election.isLeader(Date.now())) arm();
          else if (this.election.deadline() === undefined) lost = true; // someone else holds it now
          if (lost) break;
        }
      }
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    }
    return lost ? 'lost' : 'stopped';
  }

  /** Gives the lease up (no holder) when this candidate holds it. Errors are logged, not thrown. */
  async release(): Promise<void> {
    const spec = this.election.release(Date.now());
    if (!spec || !this.exists) return;
    try {
      const stored = await this.write(spec, false, undefined, 5_000);
      this.election.written(leaseSpecOf(stored.spec) ?? spec);
    } catch (e) {
      this.opt.log?.(`releasing lease ${this.opt.namespace}/${this.opt.name}: ${(e as Error).message}`);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
