import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CancelledError, linkSignal, mapSettled, safeProgress, Semaphore } from '../../server/cluster/pool.ts';

test('the semaphore never lets more than its limit run, and runs everything', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 40 }), async (limit, delays) => {
      const sem = new Semaphore(limit);
      let active = 0;
      let peak = 0;
      const done: number[] = [];
      await Promise.all(
        delays.map((d, i) =>
          sem.run(async () => {
            active++;
            peak = Math.max(peak, active);
            await new Promise((r) => setTimeout(r, d));
            active--;
            done.push(i);
          }),
        ),
      );
      assert.ok(peak <= limit, `peak ${peak} > ${limit}`);
      assert.equal(done.length, delays.length);
      assert.equal(sem.inUse, 0);
    }),
    { numRuns: 60 },
  );
});

test('aborting rejects the waiters at once and frees nothing it did not hold', async () => {
  const sem = new Semaphore(1);
  const ctrl = new AbortController();
  let release!: () => void;
  const holder = sem.run(() => new Promise<void>((r) => (release = r)));
  const waiting = sem.run(async () => 'ran', ctrl.signal);
  ctrl.abort();
  await assert.rejects(waiting, CancelledError);
  await assert.rejects(sem.run(async () => 1, ctrl.signal), CancelledError, 'already aborted: rejected without waiting');
  release();
  await holder;
  assert.equal(sem.inUse, 0);
  assert.equal(await sem.run(async () => 'next'), 'next');
  assert.throws(() => new Semaphore(0), RangeError);
});

test('mapSettled settles every item even when some fail', async () => {
  const r = await mapSettled([1, 2, 3, 4], async (x) => {
    if (x % 2) throw new Error(`odd ${x}`);
    return x * 10;
  }, { limit: 2 });
  assert.deepEqual(r.map((x) => x.status), ['rejected', 'fulfilled', 'rejected', 'fulfilled']);
});

test('a linked signal follows its source and takes any number of listeners', () => {
  const outer = new AbortController();
  const { signal, dispose } = linkSignal(outer.signal);
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  for (let i = 0; i < 50; i++) signal.addEventListener('abort', () => {});
  assert.equal(signal.aborted, false);
  outer.abort();
  assert.equal(signal.aborted, true);
  dispose();
  process.off('warning', onWarning);
  assert.deepEqual(warnings, []);
  assert.equal(linkSignal(AbortSignal.abort()).signal.aborted, true);
});

test('a throwing progress callback cannot break the run', () => {
  const cb = safeProgress<number>(() => {
    throw new Error('observer bug');
  });
  assert.doesNotThrow(() => cb(1));
});
