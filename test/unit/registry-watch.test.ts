// Watch start points against a real LevelStorage with a tiny event log: a compacted resourceVersion is a 410 ERROR event.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resourceDefinitions } from '../../src/apis/index.js';
import { parseFieldSelector, parseLabelSelector } from '../../src/machinery/selectors.js';
import { APIRegistry } from '../../src/registry/registry.js';
import { LevelStorage } from '../../src/storage/level.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ctx = { user: '', groups: [], dryRun: false };
const opts = { dryRun: false, fieldManager: 'test', ctx };

test('watch from a compacted resourceVersion sends one ERROR event with 410 Expired and ends', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'registry-watch-'));
  const storage = await LevelStorage.open(dir, { eventRetentionCount: 2, eventRetentionSeconds: 0, compactIntervalMs: 0 });
  try {
    const registry = new APIRegistry(resourceDefinitions, storage, ROOT);
    const store = registry.store('config.openshift.io', 'v1', 'images')!;
    for (let i = 0; i < 6; i++) await store.create(undefined, { metadata: { name: `c${i}` }, spec: {} }, opts);
    const compacted = await storage.compact();
    assert.ok(compacted >= 2);

    const events: { type: string; object: any }[] = [];
    let ended = false;
    await store.watch(
      undefined,
      { resourceVersion: '1', labelSelector: parseLabelSelector(''), fieldSelector: parseFieldSelector('') },
      { send: (type, object) => events.push({ type, object }), end: () => (ended = true) },
    );
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'ERROR');
    assert.equal(events[0].object.code, 410);
    assert.equal(events[0].object.reason, 'Expired');
    assert.equal(events[0].object.message, `too old resource version: 1 (${compacted})`);
    assert.ok(ended);

    // A list at the compacted revision is gone too.
    await assert.rejects(
      store.list(undefined, { resourceVersion: '1', resourceVersionMatch: 'Exact', labelSelector: parseLabelSelector(''), fieldSelector: parseFieldSelector('') }),
      (err: any) => err.code === 410 && err.status.message === 'The resourceVersion for the provided list is too old.',
    );
  } finally {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a continue token older than the event log is 410 Expired with a fresh token that continues from the same key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'registry-continue-'));
  const storage = await LevelStorage.open(dir, { eventRetentionCount: 2, eventRetentionSeconds: 0, compactIntervalMs: 0 });
  try {
    const registry = new APIRegistry(resourceDefinitions, storage, ROOT);
    const store = registry.store('config.openshift.io', 'v1', 'images')!;
    for (let i = 0; i < 4; i++) await store.create(undefined, { metadata: { name: `c${i}` }, spec: {} }, opts);
    const none = { labelSelector: parseLabelSelector(''), fieldSelector: parseFieldSelector('') };
    const first = await store.list(undefined, { ...none, limit: 2 });
    assert.deepEqual(first.items.map((i) => i.metadata.name), ['c0', 'c1']);
    for (let i = 4; i < 8; i++) await store.create(undefined, { metadata: { name: `c${i}` }, spec: {} }, opts);
    await storage.compact();
    const err: any = await store.list(undefined, { ...none, limit: 2, continue: first.metadata.continue! }).catch((e) => e);
    assert.equal(err.code, 410);
    assert.match(err.status.message, /^The provided continue parameter is too old to display a consistent list result\./);
    const fresh = err.status.metadata.continue;
    assert.ok(fresh);
    const rest = await store.list(undefined, { ...none, continue: fresh });
    assert.deepEqual(rest.items.map((i) => i.metadata.name), ['c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
  } finally {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  }
});
