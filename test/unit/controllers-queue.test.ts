// The mechanics under the import controllers: token buckets, retry back-off, the work queue and the bucket
// scheduler (client-go workqueue and openshift-controller-manager scheduler_test.go cases).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BucketScheduler } from '../../src/controllers/bucket-scheduler.js';
import { bucketRateLimiter, defaultControllerRateLimiter, exponentialFailureRateLimiter, maxOfRateLimiter } from '../../src/controllers/rate-limiter.js';
import { TokenBucket } from '../../src/machinery/token-bucket.js';
import { RateLimitingQueue } from '../../src/controllers/work-queue.js';

const fakeClock = () => {
  let now = 0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
};
const alwaysLimiter = { accept: async () => undefined };

test('token bucket: a burst, then qps; tryAccept refuses, reserve lends ahead with the wait', () => {
  const clock = fakeClock();
  const bucket = new TokenBucket(2, 3, clock.now);
  assert.deepEqual([bucket.tryAccept(), bucket.tryAccept(), bucket.tryAccept(), bucket.tryAccept()], [true, true, true, false]);
  clock.advance(500);
  assert.equal(bucket.tryAccept(), true);
  assert.equal(bucket.tryAccept(), false);
  assert.equal(bucket.reserve(), 500);
  assert.equal(bucket.reserve(), 1000);
  clock.advance(10_000);
  // Refills cap at the burst.
  assert.deepEqual([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()], [0, 0, 0, 500]);
  assert.throws(() => new TokenBucket(0, 1), /qps > 0/);
});

test('token bucket accept waits for its token and gives up when aborted', async () => {
  const bucket = new TokenBucket(20, 1);
  const started = performance.now();
  await bucket.accept();
  await bucket.accept();
  assert.ok(performance.now() - started >= 40, 'the second token takes 1/qps');
  const abort = new AbortController();
  const waiting = bucket.accept(abort.signal);
  abort.abort(new Error('stopped'));
  await assert.rejects(waiting, /stopped/);
});

test('per-item back-off doubles from the base up to the cap; forget starts over', () => {
  const limiter = exponentialFailureRateLimiter(5, 100);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => limiter.when('a')), [5, 10, 20, 40, 80, 100]);
  assert.equal(limiter.retries('a'), 6);
  assert.equal(limiter.when('b'), 5, 'items back off apart');
  limiter.forget('a');
  assert.equal(limiter.retries('a'), 0);
  assert.equal(limiter.when('a'), 5);
  const huge = exponentialFailureRateLimiter(5, 1_000_000);
  for (let i = 0; i < 2000; i++) huge.when('x');
  assert.equal(huge.when('x'), 1_000_000, 'no overflow past the cap');
});

test('the controller limiter is the larger of the item back-off and the overall bucket', () => {
  const clock = fakeClock();
  const limiter = maxOfRateLimiter(exponentialFailureRateLimiter(5, 1000), bucketRateLimiter(10, 2, clock.now));
  // Two tokens of burst, then 100 ms per retry overall, whichever item.
  assert.deepEqual([limiter.when('a'), limiter.when('b'), limiter.when('c'), limiter.when('a')], [5, 5, 100, 200]);
  assert.equal(limiter.retries('a'), 2);
  limiter.forget('a');
  assert.equal(limiter.retries('a'), 0);
  const defaults = defaultControllerRateLimiter(clock.now);
  assert.deepEqual([defaults.when('k'), defaults.when('k'), defaults.when('k')], [5, 10, 20]);
});

test('work queue: a key is queued once and never handed to two workers at a time', async () => {
  const queue = new RateLimitingQueue(exponentialFailureRateLimiter(5, 1000));
  queue.add('ns/a');
  queue.add('ns/b');
  queue.add('ns/a');
  assert.equal(queue.len(), 2);
  const first = await queue.get();
  assert.equal(first, 'ns/a');
  // Added while a worker holds it: queued again only once the worker is done.
  queue.add('ns/a');
  queue.add('ns/a');
  assert.equal(queue.len(), 1);
  assert.equal(await queue.get(), 'ns/b');
  assert.equal(queue.len(), 0);
  queue.done('ns/a');
  assert.equal(queue.len(), 1);
  assert.equal(await queue.get(), 'ns/a');
  queue.done('ns/a');
  queue.done('ns/b');
  assert.equal(queue.len(), 0);

  // A waiting worker gets the next key as soon as it is added.
  const waiting = queue.get();
  queue.add('ns/c');
  assert.equal(await waiting, 'ns/c');
  queue.done('ns/c');
  const idle = queue.get();
  queue.shutDown();
  assert.equal(await idle, undefined);
  assert.equal(await queue.get(), undefined);
  queue.add('ns/d');
  assert.equal(queue.len(), 0, 'nothing is queued after shutting down');
});

test('work queue: delayed adds (the earliest wins) and rate-limited retries', async () => {
  const queue = new RateLimitingQueue(exponentialFailureRateLimiter(20, 1000));
  queue.addAfter('ns/late', 5_000);
  queue.addAfter('ns/late', 30);
  queue.addAfter('ns/late', 10_000);
  queue.addRateLimited('ns/retry');
  assert.equal(queue.len(), 0);
  assert.equal(queue.retries('ns/retry'), 1);
  const started = performance.now();
  const got = [await queue.get(), await queue.get()];
  assert.deepEqual(got.sort(), ['ns/late', 'ns/retry']);
  assert.ok(performance.now() - started < 2000, 'the shorter delay of ns/late applied');
  queue.forget('ns/retry');
  assert.equal(queue.retries('ns/retry'), 0);
  queue.addAfter('ns/never', 50);
  queue.shutDown();
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(queue.len(), 0, 'pending delayed adds are dropped on shutdown');
});

test('scheduler: empty buckets advance the position; a key is never put in the current bucket; delay pushes it back', async () => {
  const keys: string[] = [];
  const s = new BucketScheduler<string>(2, alwaysLimiter, (key) => void keys.push(key));
  for (let i = 0; i < 6; i++) {
    await s.runOnce();
    assert.deepEqual(keys, []);
    assert.equal(s.currentBucket(), (i + 1) % 3);
  }
  s.add('first', 'test');
  assert.notEqual(s.bucketOf('first'), -1);
  assert.notEqual(s.bucketOf('first'), s.currentBucket());
  s.delay('first');
  for (let i = 0; i < 2; i++) await s.runOnce();
  assert.deepEqual(keys, []);
  await s.runOnce();
  assert.deepEqual(keys, ['first']);
});

test('scheduler: add fills the emptiest bucket furthest from the current one; delay moves to the last bucket', () => {
  const s = new BucketScheduler<string>(3, alwaysLimiter, () => undefined);
  const placed = (key: string) => s.bucketOf(key);
  s.add('first', 'other');
  assert.equal(placed('first'), 3);
  s.add('second', 'other');
  assert.equal(placed('second'), 2);
  s.add('third', 'other');
  assert.equal(placed('third'), 1);
  s.add('fourth', 'other');
  assert.equal(placed('fourth'), 3);
  s.add('fifth', 'other');
  assert.equal(placed('fifth'), 2);
  s.remove('third', 'other');
  s.add('sixth', 'other');
  assert.equal(placed('sixth'), 1);
  s.delay('second');
  assert.equal(placed('second'), 3);
  s.delay('third');
  assert.equal(placed('third'), -1, 'delaying a key that is not scheduled does nothing');
  s.delay('fourth');
  assert.equal(placed('fourth'), 3);
});

test('scheduler: remove with a value only takes that version; add replaces the value', () => {
  const s = new BucketScheduler<string>(2, alwaysLimiter, () => undefined);
  s.add('test', 'other');
  assert.equal(s.remove('test', 'value'), false);
  assert.equal(s.remove('test', 'other'), true);
  assert.equal(s.len(), 0);
  s.add('test', 'other');
  s.add('test', 'new');
  assert.equal(s.len(), 1);
  assert.equal(s.remove('test', 'other'), false);
  assert.equal(s.remove('test', 'new'), true);
});

test('scheduler: with one limiter token per bucket, every key comes up once per round of buckets', async () => {
  const clock = fakeClock();
  // The limiter advances the fake clock instead of sleeping: one bucket per second.
  const bucket = new TokenBucket(1, 1, clock.now);
  const limiter = {
    accept: async () => {
      const wait = bucket.reserve();
      clock.advance(wait);
    },
  };
  const seen = new Map<string, number[]>();
  const s = new BucketScheduler<null>(4, limiter, (key) => void seen.set(key, [...(seen.get(key) ?? []), clock.now()]));
  for (let i = 0; i < 10; i++) s.add(String(i), null);
  // Upstream's TestSchedulerSanity: in (2 × buckets − 1) s every key comes up exactly twice.
  while (clock.now() <= (2 * 4 - 1) * 1000) await s.runOnce();
  for (let i = 0; i < 10; i++) {
    const times = seen.get(String(i)) ?? [];
    assert.equal(times.length, 2, `key ${i} came up at ${times.join(', ')}`);
    assert.equal(times[1] - times[0], 4000, 'four bucket turns between two turns of a key');
  }
});
