import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TIMINGS, LeaderElection, microTime, timingsProblem, type LeaseSpec } from '../../server/engine/leaderElection.ts';

/** An in-memory Lease with optimistic concurrency: a write with a stale resourceVersion is a 409. */
class FakeLease {
  spec: LeaseSpec | null = null;
  rv = 0;
  writes = 0;
  read(): { spec: LeaseSpec | null; rv: number } {
    return { spec: this.spec ? { ...this.spec } : null, rv: this.rv };
  }
  write(kind: 'create' | 'update', spec: LeaseSpec, readRv: number): boolean {
    if (kind === 'create' ? this.spec !== null : this.rv !== readRv) return false; // 409 Conflict / AlreadyExists
    this.spec = { ...spec };
    this.rv++;
    this.writes++;
    return true;
  }
}

/** One tryAcquireOrRenew of `e` against `lease`; `reachable: false` = a partition (every request fails). */
function step(e: LeaderElection, lease: FakeLease, now: number, reachable = true): void {
  if (!reachable) return e.failed();
  const { spec, rv } = lease.read();
  const a = e.attempt(now, spec);
  if (a.write === 'none') return;
  if (lease.write(a.write, a.spec, rv)) e.written(a.spec);
  else e.failed();
}

const T0 = Date.UTC(2026, 0, 2, 15, 4, 5, 123);

test('microTime: RFC 3339 with microseconds, as Kubernetes writes MicroTime', () => {
  assert.equal(microTime(T0), '2026-01-02T15:04:05.123000Z');
});

test('the timings are checked like client-go: leaseDuration > renewDeadline > 1.2 × retryPeriod', () => {
  assert.equal(timingsProblem(DEFAULT_TIMINGS), undefined);
  assert.deepEqual(DEFAULT_TIMINGS, { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
  assert.match(timingsProblem({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 })!, /lease duration/);
  assert.match(timingsProblem({ leaseDurationMs: 15_000, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 })!, /renew deadline/);
  assert.throws(() => new LeaderElection('a', { leaseDurationMs: 1, renewDeadlineMs: 2, retryPeriodMs: 1 }), /lease duration/);
});

test('a free lease is acquired; a second candidate waits while it is renewed', () => {
  const lease = new FakeLease();
  const a = new LeaderElection('a');
  const b = new LeaderElection('b');
  step(a, lease, T0);
  assert.ok(a.isLeader(T0));
  assert.deepEqual(lease.spec, { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: microTime(T0), renewTime: microTime(T0), leaseTransitions: 0 });
  for (let t = T0 + 1000; t < T0 + 60_000; t += 2000) {
    step(b, lease, t + 500);
    step(a, lease, t + 1000);
    assert.ok(!b.isLeader(t + 1000), `b leads at +${t - T0} ms`);
    assert.ok(a.isLeader(t + 1000));
  }
  assert.equal(lease.spec!.holderIdentity, 'a');
  assert.equal(lease.spec!.acquireTime, microTime(T0), 'renewals keep acquireTime');
  assert.equal(lease.spec!.leaseTransitions, 0, 'renewals keep leaseTransitions');
  assert.notEqual(lease.spec!.renewTime, microTime(T0));
  assert.equal(b.observedHolder(), 'a');
});

test('takeover only after the lease expired on the taker\'s own clock; leaseTransitions counts it', () => {
  const lease = new FakeLease();
  const a = new LeaderElection('a');
  const b = new LeaderElection('b');
  step(a, lease, T0);
  step(b, lease, T0 + 100); // b sees a's record at T0+100
  // a dies: no more renewals. b retries every 2 s.
  let took: number | undefined;
  for (let t = T0 + 2100; t <= T0 + 30_000 && took === undefined; t += 2000) {
    step(b, lease, t);
    if (b.isLeader(t)) took = t;
  }
  assert.ok(took !== undefined);
  assert.ok(took - (T0 + 100) >= 15_000, `taken ${took - T0} ms after a's acquire, before the 15 s lease ran out on b's clock`);
  assert.ok(took - (T0 + 100) < 17_000, 'taken at the first retry after expiry');
  assert.equal(lease.spec!.holderIdentity, 'b');
  assert.equal(lease.spec!.leaseTransitions, 1);
  assert.equal(lease.spec!.acquireTime, microTime(took));
  // a comes back: it sees b's fresh record and does not lead
  step(a, lease, took + 1000);
  assert.ok(!a.isLeader(took + 1000));
  assert.equal(a.observedHolder(), 'b');
});

test('a leader whose renewals fail gives up after the renew deadline, before anyone else can take over', () => {
  const lease = new FakeLease();
  const a = new LeaderElection('a');
  const b = new LeaderElection('b');
  step(a, lease, T0);
  step(b, lease, T0 + 1);
  let lostAt: number | undefined;
  let tookAt: number | undefined;
  for (let t = T0 + 2000; t <= T0 + 40_000; t += 250) {
    if ((t - T0) % 2000 === 0) step(a, lease, t, false); // a is partitioned from the host
    if ((t - T0) % 2000 === 1000) step(b, lease, t);
    if (lostAt === undefined && !a.isLeader(t)) lostAt = t;
    if (tookAt === undefined && b.isLeader(t)) tookAt = t;
    assert.ok(!(a.isLeader(t) && b.isLeader(t)), `two leaders at +${t - T0} ms`);
  }
  assert.equal(lostAt, T0 + 10_000, 'a stops leading exactly at the renew deadline');
  assert.ok(tookAt !== undefined && tookAt >= T0 + 15_000, 'b takes over once the lease expired');
  assert.equal(a.deadline(), T0 + 10_000);
});

test('two candidates racing for a free lease: the loser gets a conflict and does not lead', () => {
  const lease = new FakeLease();
  const a = new LeaderElection('a');
  const b = new LeaderElection('b');
  const ra = lease.read();
  const rb = lease.read();
  const pa = a.attempt(T0, ra.spec);
  const pb = b.attempt(T0, rb.spec);
  assert.ok(pa.write === 'create' && pb.write === 'create');
  assert.ok(lease.write(pa.write, pa.spec, ra.rv));
  a.written(pa.spec);
  assert.ok(!lease.write(pb.write, pb.spec, rb.rv));
  b.failed();
  assert.ok(a.isLeader(T0) && !b.isLeader(T0));
  // An update from a stale read is a conflict too.
  step(a, lease, T0 + 2000);
  const stale = { spec: { ...lease.spec!, holderIdentity: '' }, rv: lease.rv - 1 };
  const p = b.attempt(T0 + 3000, stale.spec);
  assert.ok(p.write === 'update' && !lease.write('update', p.spec, stale.rv));
  assert.ok(!b.isLeader(T0 + 3000));
});

test('never two leaders over random schedules of crashes, partitions and restarts', () => {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let run = 0; run < 20; run++) {
    const lease = new FakeLease();
    const cands = ['a', 'b', 'c'].map((id) => ({ e: new LeaderElection(id), next: T0 + Math.floor(rand() * 2000), up: true }));
    let leaderships = 0;
    let prev: string | undefined;
    for (let t = T0; t < T0 + 300_000; t += 50) {
      for (const c of cands) {
        if (rand() < 0.002) c.up = !c.up; // partition starts or ends
        if (t >= c.next) {
          step(c.e, lease, t, c.up);
          c.next = t + 2000 + Math.floor(rand() * 2000 * 1.2);
        }
      }
      const leading = cands.filter((c) => c.e.isLeader(t));
      assert.ok(leading.length <= 1, `run ${run}: ${leading.map((c) => c.e.identity)} lead at +${t - T0} ms`);
      const now = leading[0]?.e.identity;
      if (now && now !== prev) leaderships++;
      prev = now;
    }
    assert.ok(leaderships >= 1, 'someone led');
  }
});

test('release hands the lease over at once', () => {
  const lease = new FakeLease();
  const a = new LeaderElection('a');
  const b = new LeaderElection('b');
  step(a, lease, T0);
  step(b, lease, T0 + 500);
  const r = a.release(T0 + 1000)!;
  assert.deepEqual({ holder: r.holderIdentity, duration: r.leaseDurationSeconds, transitions: r.leaseTransitions }, { holder: '', duration: 1, transitions: 0 });
  assert.ok(!a.isLeader(T0 + 1000));
  assert.ok(lease.write('update', r, lease.rv));
  a.written(r);
  step(b, lease, T0 + 1500);
  assert.ok(b.isLeader(T0 + 1500), 'no wait for the old 15 s lease');
  assert.equal(lease.spec!.leaseTransitions, 1);
  assert.equal(new LeaderElection('c').release(T0), undefined, 'a candidate that holds nothing releases nothing');
});
