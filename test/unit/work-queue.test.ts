import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from '../../server/engine/workQueue.ts';

test('a key is queued once; keys come out in the order they became due', () => {
  const q = new WorkQueue();
  q.add('a', 0);
  q.add('b', 1);
  q.add('a', 2);
  assert.equal(q.length, 2);
  assert.equal(q.next(5), 'a');
  assert.equal(q.next(5), 'b');
  assert.equal(q.next(5), undefined);
  assert.equal(q.nextDueIn(5), undefined);
});

test('delayed adds wait; the earlier of two times wins', () => {
  const q = new WorkQueue();
  q.addAfter('a', 1000, 0);
  assert.equal(q.next(999), undefined);
  assert.equal(q.nextDueIn(0), 1000);
  q.addAfter('a', 5000, 100); // later: ignored
  assert.equal(q.nextDueIn(0), 1000);
  q.addAfter('a', 200, 100); // earlier: wins
  assert.equal(q.nextDueIn(0), 300);
  q.add('b', 250);
  assert.equal(q.next(250), 'b', 'a is not due yet');
  assert.equal(q.next(300), 'a');
  assert.equal(q.length, 0);
});

test('a key added while processing runs again after done, never twice at once', () => {
  const q = new WorkQueue();
  q.add('a', 0);
  assert.equal(q.next(0), 'a');
  q.add('a', 1);
  assert.equal(q.next(1), undefined, 'a is still processing');
  assert.equal(q.processingCount, 1);
  q.done('a');
  assert.equal(q.next(2), 'a');
  q.done('a');
  assert.equal(q.next(3), undefined, 'done without a new add: nothing queued');
  // a delayed add during processing keeps its delay
  q.add('b', 10);
  q.next(10);
  q.addAfter('b', 100, 10);
  q.done('b');
  assert.equal(q.next(50), undefined);
  assert.equal(q.next(110), 'b');
});

test('per-key exponential backoff 5 ms × 2^n up to 1000 s; forget resets it; keys are independent', () => {
  const q = new WorkQueue();
  const delays: number[] = [];
  for (let i = 0; i < 20; i++) delays.push(q.addRateLimited('a', 0));
  assert.deepEqual(delays.slice(0, 5), [5, 10, 20, 40, 80]);
  assert.equal(delays[17], 655_360);
  assert.equal(delays[18], 1_000_000, 'capped at 1000 s');
  assert.equal(q.numRequeues('a'), 20);
  assert.equal(q.backoffOf('b'), 5, 'b has its own count');
  assert.equal(q.next(4), undefined);
  assert.equal(q.next(5), 'a', 'the earliest of the rate-limited adds');
  q.done('a');
  q.forget('a');
  assert.equal(q.numRequeues('a'), 0);
  assert.equal(q.addRateLimited('a', 100), 5);
  const custom = new WorkQueue({ baseDelayMs: 5000, maxDelayMs: 60_000 });
  assert.deepEqual([1, 2, 3, 4, 5].map(() => custom.addRateLimited('x', 0)), [5000, 10_000, 20_000, 40_000, 60_000]);
});

test('shut down: nothing more is queued, processing keys still finish', () => {
  const q = new WorkQueue();
  q.add('a', 0);
  q.add('b', 0);
  assert.equal(q.next(0), 'a');
  q.shutDown();
  q.add('c', 1);
  q.add('a', 1);
  q.done('a');
  assert.equal(q.next(2), undefined);
  assert.equal(q.length, 0);
  assert.ok(q.isShutDown);
});
