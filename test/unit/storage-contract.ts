// The behaviour every Storage backend must show, written only against the Storage interface so that
// each backend (LevelDB, etcd) runs the same suite: storageContract('level', openFreshLevelStore).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  StorageError,
  type Storage,
  type StorageEvent,
  type StoredValue,
  type Watcher,
} from '../../src/storage/storage.js';

export interface OpenedStorage {
  /** A store with no data written by any other test. */
  storage: Storage;
  /** Closes the store (if still open) and removes its data. */
  cleanup: () => Promise<void>;
  /**
   * Discards history so that compactedRevision() moves past at least the oldest writes while the newest
   * few events (at least 3) stay. Backends that cannot do this on demand leave it out; the TooOld test is
   * then skipped.
   */
  compact?: () => Promise<void>;
}

interface Obj extends StoredValue {
  metadata: { name: string; resourceVersion?: string };
  spec?: Record<string, unknown>;
}

function obj(name: string, spec: Record<string, unknown> = {}): Obj {
  return { metadata: { name }, spec };
}

function nameOf(value: StoredValue): unknown {
  return (value.metadata as { name?: unknown } | undefined)?.name;
}

async function rejectsWith(promise: Promise<unknown>, code: StorageError['code']): Promise<StorageError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof StorageError, `expected a StorageError, got ${String(err)}`);
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return err;
  }
  assert.fail(`expected a StorageError ${code}, but the call succeeded`);
}

/** Records a watch's events and lets a test wait until a number of them arrived. */
async function recordWatch(storage: Storage, prefix: string, fromRevision: number) {
  const events: StorageEvent[] = [];
  const errors: StorageError[] = [];
  let wake: (() => void) | undefined;
  const watcher: Watcher = await storage.watch(prefix, {
    fromRevision,
    onEvent: (ev) => {
      events.push(ev);
      wake?.();
    },
    onError: (err) => errors.push(err),
  });
  async function waitFor(count: number, timeoutMs = 2000): Promise<StorageEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (events.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`timed out waiting for ${count} events, got ${events.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return events.slice(0, count);
  }
  return { events, errors, watcher, waitFor };
}

/** Gives pending deliveries a chance to arrive before asserting that nothing more came. */
function settle(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function storageContract(
  name: string,
  open: () => Promise<{ storage: Storage; cleanup: () => Promise<void>; compact?: () => Promise<void> }>,
): void {
  async function withStorage(fn: (s: Storage, opened: OpenedStorage) => Promise<void>): Promise<void> {
    const opened = await open();
    try {
      await fn(opened.storage, opened);
    } finally {
      await opened.cleanup();
    }
  }

  test(`${name}: create then get returns the object with its revision; create on an existing key is KeyExists`, () =>
    withStorage(async (s) => {
      const before = await s.currentRevision();
      assert.equal(await s.get('/g/r/ns/a'), undefined);
      const input = obj('a', { x: 1 });
      const created = await s.create('/g/r/ns/a', input);
      assert.equal(created.key, '/g/r/ns/a');
      assert.ok(created.revision > before);
      assert.equal(created.object.metadata?.resourceVersion, String(created.revision));
      assert.deepEqual(created.object.spec, { x: 1 });
      assert.equal(input.metadata.resourceVersion, undefined, 'the caller object is not mutated');
      assert.equal(await s.currentRevision(), created.revision);

      const got = await s.get('/g/r/ns/a');
      assert.deepEqual(got, created);
      (got!.object.spec as Record<string, unknown>).x = 99;
      assert.deepEqual((await s.get('/g/r/ns/a'))!.object.spec, { x: 1 }, 'callers own what they read');

      const err = await rejectsWith(s.create('/g/r/ns/a', obj('a', { x: 2 })), 'KeyExists');
      assert.equal(err.key, '/g/r/ns/a');
      assert.deepEqual((await s.get('/g/r/ns/a'))!.object.spec, { x: 1 });
      assert.equal(await s.currentRevision(), created.revision, 'a failed create does not bump the revision');
    }));

  test(`${name}: update is compare-and-swap on the revision (Conflict, KeyNotFound)`, () =>
    withStorage(async (s) => {
      const created = await s.create('/g/r/ns/a', obj('a', { v: 1 }));
      const updated = await s.update('/g/r/ns/a', obj('a', { v: 2 }), created.revision);
      assert.ok(updated.revision > created.revision);
      assert.equal(updated.object.metadata?.resourceVersion, String(updated.revision));
      assert.deepEqual(updated.object.spec, { v: 2 });

      const conflict = await rejectsWith(s.update('/g/r/ns/a', obj('a', { v: 3 }), created.revision), 'Conflict');
      assert.equal(conflict.key, '/g/r/ns/a');
      assert.deepEqual((await s.get('/g/r/ns/a'))!.object.spec, { v: 2 });

      await rejectsWith(s.update('/g/r/ns/missing', obj('missing'), updated.revision), 'KeyNotFound');
      assert.equal(await s.get('/g/r/ns/missing'), undefined, 'update does not create');
      assert.equal(await s.currentRevision(), updated.revision);
    }));

  test(`${name}: delete with and without an expected revision returns the last state at the deletion revision`, () =>
    withStorage(async (s) => {
      const a = await s.create('/g/r/ns/a', obj('a', { v: 'a' }));
      const b = await s.create('/g/r/ns/b', obj('b', { v: 'b' }));

      await rejectsWith(s.delete('/g/r/ns/a', a.revision + 1000), 'Conflict');
      assert.ok(await s.get('/g/r/ns/a'), 'a conflicting delete leaves the object');

      const deletedA = await s.delete('/g/r/ns/a', a.revision);
      assert.ok(deletedA.revision > b.revision);
      assert.equal(deletedA.object.metadata?.resourceVersion, String(deletedA.revision));
      assert.deepEqual(deletedA.object.spec, { v: 'a' });
      assert.equal(await s.get('/g/r/ns/a'), undefined);

      const deletedB = await s.delete('/g/r/ns/b');
      assert.ok(deletedB.revision > deletedA.revision);
      assert.equal(deletedB.object.metadata?.resourceVersion, String(deletedB.revision));
      assert.equal(await s.get('/g/r/ns/b'), undefined);
      assert.equal(await s.currentRevision(), deletedB.revision);

      await rejectsWith(s.delete('/g/r/ns/b'), 'KeyNotFound');
      await rejectsWith(s.delete('/g/r/ns/never', 1), 'KeyNotFound');

      const again = await s.create('/g/r/ns/a', obj('a', { v: 'again' }));
      assert.ok(again.revision > deletedB.revision, 'a deleted key can be created again');
    }));

  test(`${name}: revisions strictly increase across keys and writes`, () =>
    withStorage(async (s) => {
      const revisions: number[] = [];
      const x = await s.create('/g/r/ns/x', obj('x'));
      revisions.push(x.revision);
      const y = await s.create('/g/r/other/y', obj('y'));
      revisions.push(y.revision);
      const x2 = await s.update('/g/r/ns/x', obj('x', { n: 2 }), x.revision);
      revisions.push(x2.revision);
      revisions.push((await s.delete('/g/r/other/y')).revision);
      revisions.push((await s.create('/h/other/z', obj('z'))).revision);
      for (let i = 1; i < revisions.length; i++) {
        assert.ok(revisions[i] > revisions[i - 1], `revisions ${revisions.join(',')} are not increasing`);
      }
      assert.equal(await s.currentRevision(), revisions[revisions.length - 1]);
      assert.equal((await s.get('/g/r/ns/x'))!.revision, x2.revision);
    }));

  test(`${name}: list returns keys under the prefix in byte order and nothing from sibling prefixes`, () =>
    withStorage(async (s) => {
      for (const key of ['/a/b/z', '/a/bc/x', '/a/b/a', '/a/b/M', '/a/b/a-1', '/a/b/a/deep', '/a/a/q', '/a/b']) {
        await s.create(key, obj(key));
      }
      const listed = await s.list('/a/b/');
      assert.deepEqual(
        listed.items.map((i) => i.key),
        ['/a/b/M', '/a/b/a', '/a/b/a-1', '/a/b/a/deep', '/a/b/z'],
      );
      assert.equal(listed.revision, await s.currentRevision());
      assert.equal(listed.more, false);
      assert.equal(listed.lastKey, undefined);
      for (const item of listed.items) {
        assert.equal(nameOf(item.object), item.key);
        assert.equal(item.object.metadata?.resourceVersion, String(item.revision));
      }
      assert.deepEqual(
        (await s.list('/a/bc/')).items.map((i) => i.key),
        ['/a/bc/x'],
      );
      assert.deepEqual((await s.list('/nothing/')).items, []);
      assert.equal(await s.count('/a/b/'), 5);
      assert.equal(await s.count('/a/'), 8);
      assert.equal(await s.count('/nothing/'), 0);
    }));

  test(`${name}: list pages with limit and startKey, reporting more and remaining; filter applies before limit`, () =>
    withStorage(async (s) => {
      for (let i = 0; i < 10; i++) await s.create(`/p/k${i}`, obj(`k${i}`, { even: i % 2 === 0 }));
      await s.create('/q/k', obj('outside'));

      const first = await s.list('/p/', { limit: 4 });
      assert.deepEqual(first.items.map((i) => i.key), ['/p/k0', '/p/k1', '/p/k2', '/p/k3']);
      assert.equal(first.more, true);
      assert.equal(first.lastKey, '/p/k3');
      assert.equal(first.remaining, 6);

      const second = await s.list('/p/', { limit: 4, startKey: first.lastKey + '\u0000', revision: first.revision });
      assert.deepEqual(second.items.map((i) => i.key), ['/p/k4', '/p/k5', '/p/k6', '/p/k7']);
      assert.equal(second.remaining, 2);
      assert.equal(second.revision, first.revision);

      const last = await s.list('/p/', { limit: 4, startKey: second.lastKey + '\u0000' });
      assert.deepEqual(last.items.map((i) => i.key), ['/p/k8', '/p/k9']);
      assert.equal(last.more, false);
      assert.equal(last.remaining, undefined);

      assert.deepEqual((await s.list('/p/', { startKey: '/p/k7' })).items.map((i) => i.key), ['/p/k7', '/p/k8', '/p/k9']);
      assert.deepEqual((await s.list('/p/', { limit: 10 })).more, false, 'exactly limit items: no more');

      const even = (o: StoredValue) => (o.spec as { even: boolean }).even;
      const filtered = await s.list('/p/', { limit: 2, filter: even });
      assert.deepEqual(filtered.items.map((i) => i.key), ['/p/k0', '/p/k2']);
      assert.equal(filtered.more, true);
      assert.equal(filtered.lastKey, '/p/k2');
      assert.equal(filtered.remaining, 3);
      const allEven = await s.list('/p/', { filter: even });
      assert.deepEqual(allEven.items.map((i) => i.key), ['/p/k0', '/p/k2', '/p/k4', '/p/k6', '/p/k8']);
    }));

  test(`${name}: list at an older revision shows the state of that revision`, () =>
    withStorage(async (s) => {
      const a = await s.create('/o/a', obj('a', { v: 1 }));
      const b = await s.create('/o/b', obj('b', { v: 1 }));
      const snapshot = await s.currentRevision();
      const before = await s.list('/o/');

      await s.update('/o/a', obj('a', { v: 2 }), a.revision);
      await s.delete('/o/b', b.revision);
      await s.create('/o/c', obj('c', { v: 1 }));
      await s.create('/o/0', obj('0', { v: 1 }));
      const a3 = await s.update('/o/a', obj('a', { v: 3 }), (await s.get('/o/a'))!.revision);
      await s.create('/o/b', obj('b', { v: 'recreated' }));

      const old = await s.list('/o/', { revision: snapshot });
      assert.equal(old.revision, snapshot);
      assert.deepEqual(old.items, before.items);

      const afterFirstUpdate = await s.list('/o/', { revision: a.revision });
      assert.deepEqual(afterFirstUpdate.items.map((i) => [i.key, i.object.spec]), [['/o/a', { v: 1 }]]);

      const current = await s.list('/o/');
      assert.deepEqual(
        current.items.map((i) => [i.key, i.object.spec]),
        [['/o/0', { v: 1 }], ['/o/a', { v: 3 }], ['/o/b', { v: 'recreated' }], ['/o/c', { v: 1 }]],
      );
      assert.equal(current.items[1].revision, a3.revision);

      const oldPage = await s.list('/o/', { revision: snapshot, limit: 1 });
      assert.deepEqual(oldPage.items.map((i) => i.key), ['/o/a']);
      assert.equal(oldPage.remaining, 1);
      const oldNext = await s.list('/o/', { revision: snapshot, startKey: oldPage.lastKey + '\u0000' });
      assert.deepEqual(oldNext.items.map((i) => [i.key, i.revision]), [['/o/b', b.revision]]);
    }));

  test(`${name}: a revision newer than the store is TooLarge`, () =>
    withStorage(async (s) => {
      await s.create('/t/a', obj('a'));
      const current = await s.currentRevision();
      const err = await rejectsWith(s.list('/t/', { revision: current + 5 }), 'TooLarge');
      assert.equal(err.revision, current);
      assert.equal(err.message, `Too large resource version: ${current + 5}, current: ${current}`);
      assert.equal((await s.list('/t/', { revision: current })).items.length, 1);
    }));

  test(`${name}: after compaction, lists and watches before the compacted revision are TooOld`, async (t) => {
    const opened = await open();
    try {
      if (!opened.compact) {
        t.skip('the backend cannot compact on demand');
        return;
      }
      const s = opened.storage;
      const first = await s.create('/c/a', obj('a', { v: 0 }));
      let rev = first.revision;
      for (let i = 1; i <= 8; i++) rev = (await s.update('/c/a', obj('a', { v: i }), rev)).revision;
      await opened.compact();
      const compacted = await s.compactedRevision();
      assert.ok(compacted > first.revision, `compacted revision ${compacted} did not move past ${first.revision}`);
      assert.ok(compacted <= rev);

      const listErr = await rejectsWith(s.list('/c/', { revision: compacted - 1 }), 'TooOld');
      assert.equal(listErr.revision, compacted);
      const watchErr = await rejectsWith(
        s.watch('/c/', { fromRevision: compacted - 1, onEvent: () => undefined }),
        'TooOld',
      );
      assert.equal(watchErr.revision, compacted);

      const atCompacted = await s.list('/c/', { revision: compacted });
      assert.equal(atCompacted.items[0].revision, compacted);
      const watch = await recordWatch(s, '/c/', compacted);
      const replayed = await watch.waitFor(rev - compacted);
      assert.deepEqual(replayed.map((e) => e.revision), Array.from({ length: rev - compacted }, (_, i) => compacted + 1 + i));
      watch.watcher.stop();
    } finally {
      await opened.cleanup();
    }
  });

  test(`${name}: watch replays events after a revision, then delivers live events in order`, () =>
    withStorage(async (s) => {
      const a = await s.create('/w/a', obj('a', { v: 1 }));
      const b = await s.create('/w/b', obj('b', { v: 1 }));
      const a2 = await s.update('/w/a', obj('a', { v: 2 }), a.revision);
      await s.create('/wx/other', obj('other'));

      const watch = await recordWatch(s, '/w/', a.revision);
      const replayed = await watch.waitFor(2);
      assert.deepEqual(replayed.map((e) => [e.type, e.key, e.revision]), [
        ['ADDED', '/w/b', b.revision],
        ['MODIFIED', '/w/a', a2.revision],
      ]);
      assert.equal(replayed[0].prevObject, undefined);
      assert.equal(replayed[0].object.metadata?.resourceVersion, String(b.revision));
      assert.deepEqual(replayed[1].object, a2.object);
      assert.deepEqual(replayed[1].prevObject, a.object);

      const c = await s.create('/w/c', obj('c'));
      await s.create('/wx/other2', obj('other2'));
      const b2 = await s.update('/w/b', obj('b', { v: 2 }), b.revision);
      const live = await watch.waitFor(4);
      assert.deepEqual(live.slice(2).map((e) => [e.type, e.key, e.revision]), [
        ['ADDED', '/w/c', c.revision],
        ['MODIFIED', '/w/b', b2.revision],
      ]);
      assert.equal(live[3].object.metadata?.resourceVersion, String(b2.revision));
      assert.equal(live[3].prevObject?.metadata?.resourceVersion, String(b.revision));
      assert.deepEqual(live[3].prevObject, b.object);

      watch.watcher.stop();
      await s.create('/w/d', obj('d'));
      await settle();
      assert.equal(watch.events.length, 4, 'no events after stop()');
      assert.deepEqual(watch.errors, []);
    }));

  test(`${name}: a watch from the current revision sees only later changes; concurrent writes arrive in order`, () =>
    withStorage(async (s) => {
      await s.create('/wc/old', obj('old'));
      const watch = await recordWatch(s, '/wc/', await s.currentRevision());
      const written = await Promise.all(Array.from({ length: 30 }, (_, i) => s.create(`/wc/k${i}`, obj(`k${i}`))));
      const events = await watch.waitFor(30);
      const revisions = events.map((e) => e.revision);
      assert.deepEqual(revisions, [...revisions].sort((x, y) => x - y));
      assert.deepEqual(new Set(revisions), new Set(written.map((w) => w.revision)));
      for (const ev of events) assert.equal(ev.object.metadata?.resourceVersion, String(ev.revision));
      await settle();
      assert.equal(watch.events.length, 30);
      watch.watcher.stop();
    }));

  test(`${name}: DELETED carries the last state with the deletion revision and the previous state`, () =>
    withStorage(async (s) => {
      const created = await s.create('/d/a', obj('a', { v: 'last' }));
      const watch = await recordWatch(s, '/d/', created.revision);
      const deleted = await s.delete('/d/a');
      const [ev] = await watch.waitFor(1);
      assert.equal(ev.type, 'DELETED');
      assert.equal(ev.key, '/d/a');
      assert.equal(ev.revision, deleted.revision);
      assert.equal(ev.object.metadata?.resourceVersion, String(deleted.revision));
      assert.deepEqual(ev.object.spec, { v: 'last' });
      assert.deepEqual(ev.object, deleted.object);
      assert.deepEqual(ev.prevObject, created.object);
      watch.watcher.stop();

      const replay = await recordWatch(s, '/d/', created.revision - 1);
      const replayed = await replay.waitFor(2);
      assert.deepEqual(replayed.map((e) => e.type), ['ADDED', 'DELETED']);
      assert.deepEqual(replayed[1].object, deleted.object);
      replay.watcher.stop();
    }));

  test(`${name}: guaranteedUpdate under 20 concurrent incrementers loses no update`, () =>
    withStorage(async (s) => {
      await s.create('/gu/counter', { metadata: { name: 'counter' }, spec: { n: 0 } });
      let attempts = 0;
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          s.guaranteedUpdate('/gu/counter', async (current) => {
            attempts++;
            assert.ok(current, 'the counter exists');
            // Yield so that the incrementers interleave and really conflict.
            await new Promise((resolve) => setImmediate(resolve));
            const n = (current.object.spec as { n: number }).n;
            return { ...current.object, spec: { n: n + 1 } };
          }),
        ),
      );
      const final = await s.get('/gu/counter');
      assert.deepEqual(final!.object.spec, { n: 20 });
      const counts = results.map((r) => (r!.object.spec as { n: number }).n).sort((x, y) => x - y);
      assert.deepEqual(counts, Array.from({ length: 20 }, (_, i) => i + 1));
      assert.ok(attempts > 20, 'the incrementers did conflict and retry');
    }));

  test(`${name}: guaranteedUpdate creates a missing key, and a no-op leaves the revision alone`, () =>
    withStorage(async (s) => {
      const created = await s.guaranteedUpdate('/gu/new', (current) => {
        assert.equal(current, undefined);
        return obj('new', { v: 1 });
      });
      assert.ok(created);
      assert.deepEqual((await s.get('/gu/new'))!.object, created.object);

      const revision = await s.currentRevision();
      const watch = await recordWatch(s, '/gu/', revision);
      const unchanged = await s.guaranteedUpdate('/gu/new', () => undefined);
      assert.deepEqual(unchanged, created);
      assert.equal(await s.currentRevision(), revision);
      assert.equal(await s.guaranteedUpdate('/gu/missing', () => undefined), undefined);
      assert.equal(await s.get('/gu/missing'), undefined);

      const boom = new Error('abort');
      await assert.rejects(s.guaranteedUpdate('/gu/new', () => {
        throw boom;
      }), boom);
      assert.equal(await s.currentRevision(), revision);
      await settle();
      assert.deepEqual(watch.events, [], 'no event for a no-op or an aborted update');
      watch.watcher.stop();
    }));

  test(`${name}: 200 concurrent creates all succeed with distinct revisions`, () =>
    withStorage(async (s) => {
      const before = await s.currentRevision();
      const created = await Promise.all(Array.from({ length: 200 }, (_, i) => s.create(`/many/k${String(i).padStart(3, '0')}`, obj(`k${i}`))));
      const revisions = new Set(created.map((c) => c.revision));
      assert.equal(revisions.size, 200);
      for (const c of created) {
        assert.ok(c.revision > before);
        assert.equal(c.object.metadata?.resourceVersion, String(c.revision));
      }
      assert.equal(await s.currentRevision(), Math.max(...revisions));
      const listed = await s.list('/many/');
      assert.equal(listed.items.length, 200);
      const revisionByKey = new Map(created.map((c) => [c.key, c.revision]));
      for (const item of listed.items) assert.equal(item.revision, revisionByKey.get(item.key));
      assert.equal(await s.count('/many/'), 200);

      const dup = await Promise.allSettled([s.create('/many/dup', obj('x')), s.create('/many/dup', obj('y'))]);
      assert.deepEqual(dup.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    }));
}
