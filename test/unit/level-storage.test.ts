import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Level } from 'level';
import { LevelStorage, droppableEventCount, type LevelStorageOptions } from '../../src/storage/level.js';
import { StorageError, type StorageEvent, type StoredValue } from '../../src/storage/storage.js';
import { storageContract } from './storage-contract.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'level-storage-'));
}

async function closeQuietly(storage: LevelStorage): Promise<void> {
  await storage.close().catch((err: unknown) => {
    if (!(err instanceof StorageError && err.code === 'Closed')) throw err;
  });
}

/** A store in a fresh directory, removed (with the store closed) when `fn` ends. */
async function withStore(
  options: LevelStorageOptions,
  fn: (storage: LevelStorage, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await tempDir();
  const storage = await LevelStorage.open(dir, { compactIntervalMs: 0, ...options });
  try {
    await fn(storage, dir);
  } finally {
    await closeQuietly(storage);
    await rm(dir, { recursive: true, force: true });
  }
}

type BatchFn = (this: unknown, ...args: unknown[]) => Promise<void>;

/** Replaces LevelDB's batch() for every database until the returned restore function is called. */
function replaceBatch(wrap: (original: BatchFn) => BatchFn): () => void {
  const proto = Level.prototype as unknown as { batch: BatchFn };
  const own = Object.getOwnPropertyDescriptor(proto, 'batch');
  const original = proto.batch;
  proto.batch = wrap(original);
  return () => {
    if (own) Object.defineProperty(proto, 'batch', own);
    else delete (proto as Partial<typeof proto>).batch;
  };
}

function obj(name: string, spec: Record<string, unknown> = {}): StoredValue {
  return { metadata: { name }, spec };
}

function ticks(n = 5): Promise<void> {
  return n === 0 ? Promise.resolve() : new Promise((resolve) => setImmediate(() => resolve(ticks(n - 1))));
}

storageContract('level', async () => {
  const dir = await tempDir();
  const storage = await LevelStorage.open(dir, { compactIntervalMs: 0, eventRetentionCount: 3 });
  return {
    storage,
    cleanup: async () => {
      await closeQuietly(storage);
      await rm(dir, { recursive: true, force: true });
    },
    compact: async () => {
      await storage.compact();
    },
  };
});

test('level: a new store starts at revision 0 and numbers the first write 1', () =>
  withStore({}, async (s) => {
    assert.equal(await s.currentRevision(), 0);
    assert.equal(await s.compactedRevision(), 0);
    assert.equal((await s.create('/x/a', obj('a'))).revision, 1);
    assert.equal((await s.create('/x/b', obj('b'))).revision, 2);
    assert.equal((await s.delete('/x/a')).revision, 3);
    assert.equal(await s.currentRevision(), 3);
  }));

test('level: reopening keeps objects, the revision and the event log', async () => {
  const dir = await tempDir();
  try {
    const first = await LevelStorage.open(dir, { compactIntervalMs: 0 });
    const a = await first.create('/r/a', obj('a', { v: 1 }));
    await first.create('/r/b', obj('b'));
    await first.update('/r/a', obj('a', { v: 2 }), a.revision);
    await first.delete('/r/b');
    await first.close();

    const second = await LevelStorage.open(dir, { compactIntervalMs: 0 });
    try {
      assert.equal(await second.currentRevision(), 4);
      assert.deepEqual((await second.get('/r/a'))!.object, { metadata: { name: 'a', resourceVersion: '3' }, spec: { v: 2 } });
      assert.equal(await second.get('/r/b'), undefined);
      assert.deepEqual((await second.list('/r/', { revision: 2 })).items.map((i) => [i.key, i.revision]), [
        ['/r/a', 1],
        ['/r/b', 2],
      ]);

      const events: StorageEvent[] = [];
      const watcher = await second.watch('/r/', { fromRevision: 1, onEvent: (ev) => events.push(ev) });
      const c = await second.create('/r/c', obj('c'));
      assert.equal(c.revision, 5);
      assert.deepEqual(events.map((e) => [e.type, e.key, e.revision]), [
        ['ADDED', '/r/b', 2],
        ['MODIFIED', '/r/a', 3],
        ['DELETED', '/r/b', 4],
        ['ADDED', '/r/c', 5],
      ]);
      assert.deepEqual(events[1].prevObject, a.object);
      assert.equal(events[2].object.metadata?.resourceVersion, '4');
      assert.equal(events[2].prevObject?.metadata?.resourceVersion, '2');
      watcher.stop();
    } finally {
      await second.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('level: compaction by count drops old events, makes old revisions TooOld and survives a reopen', async () => {
  const dir = await tempDir();
  try {
    const s = await LevelStorage.open(dir, { compactIntervalMs: 0, eventRetentionCount: 5 });
    for (let i = 0; i < 12; i++) await s.create(`/c/k${String(i).padStart(2, '0')}`, obj(`k${i}`));
    assert.equal(await s.compactedRevision(), 0);
    assert.equal(await s.compact(), 7);
    assert.equal(await s.compactedRevision(), 7);
    assert.equal(await s.compact(), 7, 'compacting again drops nothing');

    const listErr = await s.list('/c/', { revision: 6 }).catch((e: unknown) => e);
    assert.ok(listErr instanceof StorageError && listErr.code === 'TooOld');
    assert.equal(listErr.message, 'The resourceVersion for the provided list is too old.');
    assert.equal(listErr.revision, 7);
    const watchErr = await s.watch('/c/', { fromRevision: 6, onEvent: () => undefined }).catch((e: unknown) => e);
    assert.ok(watchErr instanceof StorageError && watchErr.code === 'TooOld');
    assert.equal(watchErr.message, 'The resourceVersion for the provided watch is too old.');
    assert.equal((await s.list('/c/', { revision: 7 })).items.length, 7);
    assert.equal((await s.list('/c/')).items.length, 12, 'compaction drops history, not objects');
    await s.close();

    const raw = new Level<string, string>(dir, { valueEncoding: 'utf8' });
    const logKeys = await raw.keys({ gte: 'e/', lt: 'e0' }).all();
    await raw.close();
    assert.equal(logKeys.length, 5, 'dropped events are deleted from LevelDB');

    const reopened = await LevelStorage.open(dir, { compactIntervalMs: 0, eventRetentionCount: 5 });
    try {
      assert.equal(await reopened.compactedRevision(), 7);
      const events: StorageEvent[] = [];
      const watcher = await reopened.watch('/c/', { fromRevision: 7, onEvent: (ev) => events.push(ev) });
      assert.deepEqual(events.map((e) => e.revision), [8, 9, 10, 11, 12]);
      watcher.stop();
    } finally {
      await reopened.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('level: compaction by age keeps the newest 1000 events', () =>
  withStore({ eventRetentionSeconds: 300 }, async (s) => {
    for (let chunk = 0; chunk < 5; chunk++) {
      await Promise.all(Array.from({ length: 202 }, (_, i) => s.create(`/age/${chunk}-${i}`, obj(`${chunk}-${i}`))));
    }
    assert.equal(await s.currentRevision(), 1010);
    assert.equal(await s.compact(Date.now()), 0, 'nothing is old yet');
    assert.equal(await s.compact(Date.now() + 301_000), 10);
    await assert.rejects(s.list('/age/', { revision: 9 }), (e: unknown) => e instanceof StorageError && e.code === 'TooOld');
    assert.equal((await s.list('/age/', { revision: 10 })).items.length, 10);
  }));

test('level: droppableEventCount applies the count bound, and the age bound above the newest 1000', () => {
  const at = (times: number[]) => times.map((time) => ({ time }));
  assert.equal(droppableEventCount(at([1, 2, 3, 4]), 10, 2, 1000), 2);
  assert.equal(droppableEventCount(at([1, 2, 3, 4]), 10, 10, 1000), 0);
  assert.equal(droppableEventCount(at([1, 2, 3, 4]), 10_000, 10, 1000), 0, 'age never cuts into the newest 1000');
  const many = at([...Array.from({ length: 5 }, () => 0), ...Array.from({ length: 1000 }, () => 5000)]);
  assert.equal(droppableEventCount(many, 2000, 10_000, 1000), 5);
  assert.equal(droppableEventCount(many, 500, 10_000, 1000), 0);
  assert.equal(droppableEventCount(many, 10_000, 10_000, 1000), 5);
  assert.equal(droppableEventCount(many, 10_000, 900, 1000), 105);
});

test('level: concurrent writes share one synced batch (group commit)', async () => {
  const calls: { ops: number; sync: unknown }[] = [];
  const restore = replaceBatch(
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        calls.push({ ops: (args[0] as unknown[]).length, sync: (args[1] as { sync?: unknown } | undefined)?.sync });
        return original.apply(this, args);
      },
  );
  try {
    await withStore({}, async (s) => {
      const created = await Promise.all(Array.from({ length: 64 }, (_, i) => s.create(`/gc/k${i}`, obj(`k${i}`))));
      assert.equal(new Set(created.map((c) => c.revision)).size, 64);
      assert.ok(calls.length <= 4, `64 concurrent creates took ${calls.length} batch calls`);
      assert.ok(calls.every((c) => c.sync === true), 'every batch is synced');
      assert.equal(calls.reduce((n, c) => n + c.ops, 0), 64 * 2 + calls.length, 'object + event per write, revision per batch');
    });
  } finally {
    restore();
  }
});

test('level: a write resolves and becomes visible only once its batch is durable', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const restore = replaceBatch(
    (original) =>
      async function (this: unknown, ...args: unknown[]) {
        await gate;
        return original.apply(this, args);
      },
  );
  try {
    await withStore({}, async (s) => {
      // Released in any case, so that a failed assertion does not leave close() waiting on the batch.
      try {
        await assertVisibleOnlyWhenDurable(s, release);
      } finally {
        release();
      }
    });
  } finally {
    restore();
  }
});

async function assertVisibleOnlyWhenDurable(s: LevelStorage, release: () => void): Promise<void> {
  const seen: StorageEvent[] = [];
  await s.watch('/v/', { fromRevision: 0, onEvent: (ev) => seen.push(ev) });
  let resolved = false;
  const write = s.create('/v/a', obj('a')).then((v) => {
    resolved = true;
    return v;
  });
  await ticks();
  assert.equal(resolved, false);
  assert.equal(await s.get('/v/a'), undefined, 'readers see only durable state');
  assert.equal(await s.currentRevision(), 0);
  assert.equal(seen.length, 0, 'no event before the batch is durable');
  await assert.rejects(s.create('/v/a', obj('again')), (e: unknown) => e instanceof StorageError && e.code === 'KeyExists');
  const queuedUpdate = s.update('/v/a', obj('a', { v: 2 }), 1);

  release();
  assert.equal((await write).revision, 1);
  assert.equal((await queuedUpdate).revision, 2);
  assert.deepEqual((await s.get('/v/a'))!.object.spec, { v: 2 });
  assert.deepEqual(seen.map((e) => [e.type, e.revision]), [['ADDED', 1], ['MODIFIED', 2]]);
}

test('level: a write queued behind an in-flight write to the same key keeps its view when the first lands', async () => {
  const gates: (() => void)[] = [];
  let gated = true;
  const restore = replaceBatch(
    (original) =>
      async function (this: unknown, ...args: unknown[]) {
        if (gated) await new Promise<void>((resolve) => gates.push(resolve));
        return original.apply(this, args);
      },
  );
  const releaseAll = () => gates.splice(0).forEach((open) => open());
  try {
    await withStore({}, async (s) => {
      try {
        const created = s.create('/q/a', obj('a', { v: 1 }));
        await ticks(1);
        const updated = s.update('/q/a', obj('a', { v: 2 }), 1);
        gates.shift()!();
        assert.equal((await created).revision, 1);
        assert.equal(gates.length, 1, 'the queued update is in flight now');
        assert.equal((await s.get('/q/a'))!.revision, 1);
        // The write-side view still holds the queued update (revision 2), not the durable revision 1.
        await assert.rejects(s.update('/q/a', obj('a', { v: 'stale' }), 1), (e: unknown) => e instanceof StorageError && e.code === 'Conflict');
        const third = s.update('/q/a', obj('a', { v: 3 }), 2);
        releaseAll();
        assert.equal((await updated).revision, 2);
        await ticks(1);
        releaseAll();
        assert.equal((await third).revision, 3);
        assert.deepEqual((await s.get('/q/a'))!.object.spec, { v: 3 });
      } finally {
        gated = false;
        releaseAll();
      }
    });
  } finally {
    restore();
  }
});

test('level: a failed batch rejects its writes and those queued behind it, and rolls the pending state back', async () => {
  const batchSizes: number[] = [];
  let failNext = true;
  const restore = replaceBatch(
    (original) =>
      async function (this: unknown, ...args: unknown[]) {
        batchSizes.push((args[0] as unknown[]).length);
        if (failNext) {
          failNext = false;
          await ticks(2);
          throw new Error('disk full');
        }
        return original.apply(this, args);
      },
  );
  try {
    await withStore({}, async (s) => {
      const first = s.create('/f/a', obj('a'));
      await ticks(1);
      assert.deepEqual(batchSizes, [3], 'the first write is in flight on its own');
      // Accepted against the in-flight write's state, so it cannot outlive that write's failure.
      const behind = s.update('/f/a', obj('a', { v: 2 }), 1);
      const results = await Promise.allSettled([first, behind]);
      assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
      for (const r of results) assert.equal(((r as PromiseRejectedResult).reason as Error).message, 'disk full');
      assert.deepEqual(batchSizes, [3], 'the write behind the failed batch was never written');
      assert.equal(await s.currentRevision(), 0);
      assert.equal(await s.get('/f/a'), undefined);

      const retried = await s.create('/f/a', obj('a'));
      assert.equal(retried.revision, 1, 'revisions of failed writes are handed out again');
      assert.deepEqual((await s.list('/f/')).items.map((i) => i.key), ['/f/a']);
    });
  } finally {
    restore();
  }
});

test('level: a second open of the same directory fails clearly', () =>
  withStore({}, async (_s, dir) => {
    await assert.rejects(LevelStorage.open(dir), (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.match(err.message, new RegExp(`^cannot open LevelDB storage at ${dir}: .*LOCK.*in use`));
      return true;
    });
  }));

test('level: close flushes queued writes, ends watches with Closed, and later calls reject with Closed', async () => {
  const dir = await tempDir();
  try {
    const s = await LevelStorage.open(dir, { compactIntervalMs: 0 });
    const errors: StorageError[] = [];
    await s.watch('/z/', { fromRevision: 0, onEvent: () => undefined, onError: (e) => errors.push(e) });
    const pending = s.create('/z/a', obj('a'));
    await s.close();
    assert.equal((await pending).revision, 1);
    assert.deepEqual(errors.map((e) => e.code), ['Closed']);
    for (const call of [s.get('/z/a'), s.create('/z/b', obj('b')), s.list('/z/'), s.currentRevision(), s.close()]) {
      await assert.rejects(call, (e: unknown) => e instanceof StorageError && e.code === 'Closed');
    }
    const reopened = await LevelStorage.open(dir, { compactIntervalMs: 0 });
    assert.equal((await reopened.get('/z/a'))!.revision, 1);
    await reopened.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('level: a throwing watch handler loses its watch without affecting writers or other watches', () =>
  withStore({}, async (s) => {
    const errors: StorageError[] = [];
    await s.watch('/t/', {
      fromRevision: 0,
      onEvent: () => {
        throw new Error('consumer bug');
      },
      onError: (e) => errors.push(e),
    });
    const healthy: number[] = [];
    await s.watch('/t/', { fromRevision: 0, onEvent: (ev) => healthy.push(ev.revision) });
    await s.create('/t/a', obj('a'));
    await s.create('/t/b', obj('b'));
    assert.deepEqual(healthy, [1, 2]);
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /consumer bug/);
  }));

test('level: a watch started from inside a handler gets every event exactly once', () =>
  withStore({}, async (s) => {
    const inner: number[] = [];
    let started: Promise<unknown> | undefined;
    await s.watch('/n/', {
      fromRevision: 0,
      onEvent: () => {
        started ??= s.watch('/n/', { fromRevision: 0, onEvent: (ev) => inner.push(ev.revision) });
      },
    });
    await Promise.all([s.create('/n/a', obj('a')), s.create('/n/b', obj('b')), s.create('/n/c', obj('c'))]);
    await started;
    await s.create('/n/d', obj('d'));
    assert.deepEqual(inner, [1, 2, 3, 4]);
  }));

// Writers in a child process acknowledge each durable write on stdout; the parent kills it mid-stream.
const CRASH_WRITER = `
import { LevelStorage } from ${JSON.stringify(fileURLToPath(new URL('../../src/storage/level.js', import.meta.url)))};
const s = await LevelStorage.open(process.argv[2], { compactIntervalMs: 0 });
let next = 0;
async function writer() {
  for (;;) {
    const key = '/k/' + String(next++).padStart(6, '0');
    const created = await s.create(key, { metadata: { name: key }, spec: { n: 0 } });
    process.stdout.write(key + ' ' + created.revision + '\\n');
    const updated = await s.update(key, { metadata: { name: key }, spec: { n: 1 } }, created.revision);
    process.stdout.write(key + ' ' + updated.revision + '\\n');
  }
}
for (let i = 0; i < 8; i++) void writer();
`;

test('level: after kill -9 mid-write the store reopens consistent with every acknowledged write', async () => {
  const dir = await tempDir();
  try {
    const script = join(dir, 'writer.mts');
    await writeFile(script, CRASH_WRITER);
    const dataDir = join(dir, 'data');
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<string, number>();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let buffered = '';
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.on('exit', () => reject(new Error(`writer exited early: ${stderr}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          const [key, revision] = line.split(' ');
          acked.set(key, Math.max(acked.get(key) ?? 0, Number(revision)));
        }
        if (acked.size >= 300) resolve();
      });
    });
    child.kill('SIGKILL');
    await exited;

    const s = await LevelStorage.open(dataDir, { compactIntervalMs: 0 });
    try {
      const revision = await s.currentRevision();
      for (const [key, ackedRevision] of acked) {
        const stored = await s.get(key);
        assert.ok(stored && stored.revision >= ackedRevision, `acknowledged write to ${key} at ${ackedRevision} was lost`);
      }
      const events: StorageEvent[] = [];
      const watcher = await s.watch('/', { fromRevision: 0, onEvent: (ev) => events.push(ev) });
      watcher.stop();
      assert.deepEqual(events.map((e) => e.revision), Array.from({ length: revision }, (_, i) => i + 1), 'the log has no gaps');
      const replayed = new Map<string, StoredValue>();
      for (const ev of events) {
        if (ev.type === 'DELETED') replayed.delete(ev.key);
        else replayed.set(ev.key, ev.object);
      }
      const listed = await s.list('/');
      assert.deepEqual(new Map(listed.items.map((i) => [i.key, i.object])), replayed, 'objects match the event log');
      const next = await s.create('/after/crash', obj('x'));
      assert.equal(next.revision, revision + 1);
    } finally {
      await s.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
