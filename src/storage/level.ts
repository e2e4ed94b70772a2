// The LevelDB storage backend: one global revision, an event log for watches and consistent lists,
// and group commit so that many concurrent writes share one fsync.
//
// LevelDB layout:
//   o/<key>                 JSON of the object (metadata.resourceVersion included)
//   e/<revision, 16 digits> JSON event record {type, key, revision, time, object, prevObject?}
//   m/revision              revision of the last durable write
//   m/compacted             highest revision whose event was dropped from the log
// Every write is one atomic batch holding the object put/del, its event record and the new revision,
// so after a crash (kill -9 included) whatever LevelDB returns at open is a consistent state.

import { Level } from 'level';
import {
  StorageError,
  type ListOptions,
  type ListResult,
  type Storage,
  type StorageEvent,
  type StoredValue,
  type Versioned,
  type WatchEventType,
  type WatchOptions,
  type Watcher,
} from './storage.js';

export interface LevelStorageOptions {
  /** Events kept in the log at most (default 10000). */
  eventRetentionCount?: number;
  /** Events older than this are dropped, but never the newest 1000 (default 300). */
  eventRetentionSeconds?: number;
  /** How often compaction runs; 0 disables the timer (then only `compact()` drops events). Default 10000. */
  compactIntervalMs?: number;
}

/** Age-based compaction never shrinks the log below this many events. */
const MIN_EVENTS_KEPT_BY_AGE = 1000;
const DEFAULT_RETENTION_COUNT = 10000;
const DEFAULT_RETENTION_SECONDS = 300;
const DEFAULT_COMPACT_INTERVAL_MS = 10000;

const OBJECT_PREFIX = 'o/';
const EVENT_PREFIX = 'e/';
// '0' is the byte after '/', so ['x/', 'x0') is exactly the keys starting with 'x/'.
const OBJECT_RANGE = { gte: 'o/', lt: 'o0' };
const EVENT_RANGE = { gte: 'e/', lt: 'e0' };
const REVISION_KEY = 'm/revision';
const COMPACTED_KEY = 'm/compacted';

type Db = Level<string, string>;
type BatchOp = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

/** An object as held in memory: its JSON (so every reader parses its own copy) and its revision. */
interface StoredEntry {
  json: string;
  revision: number;
}

/** One change in the event log. Objects stay JSON strings until delivered. */
interface EventRecord {
  type: WatchEventType;
  key: string;
  revision: number;
  /** Milliseconds since the epoch when the write was accepted; drives age-based retention. */
  time: number;
  object: string;
  prevObject?: string;
}

/** A write accepted (checked, revision assigned) but not yet durable. */
interface QueuedWrite {
  kind: 'write';
  key: string;
  /** New state; undefined for a delete. */
  state: StoredEntry | undefined;
  event: EventRecord;
  result: Versioned;
  resolve: (v: Versioned) => void;
  reject: (err: unknown) => void;
}

/** Waits for the next batch, e.g. so that compaction's deletions are durable before `compact()` resolves. */
interface QueuedBarrier {
  kind: 'barrier';
  resolve: () => void;
  reject: (err: unknown) => void;
}

type QueuedItem = QueuedWrite | QueuedBarrier;

/** The write-side view of a key while a write to it is queued: undefined state = deleted. */
interface PendingState {
  state: StoredEntry | undefined;
  /** Revision of the queued write that produced this state. */
  revision: number;
  /** Settles when the write that produced this state is durable (or has failed). */
  settled: Promise<unknown>;
}

interface ActiveWatch {
  prefix: string;
  fromRevision: number;
  onEvent: (ev: StorageEvent) => void;
  onError?: (err: StorageError) => void;
  stopped: boolean;
}

export class LevelStorage implements Storage {
  private readonly objects: Map<string, StoredEntry>;
  /** Keys of `objects` in code-unit order (= byte order for the ASCII keys we store), for prefix scans. */
  private readonly sortedKeys: string[];
  /** Durable events, oldest first, with no gaps after `compacted`. */
  private events: EventRecord[];
  private durableRevision: number;
  private compacted: number;

  /** Highest revision handed out, durable or not. */
  private assignedRevision: number;
  private readonly pending = new Map<string, PendingState>();
  private queue: QueuedItem[] = [];
  private flushRun: Promise<void> | undefined;
  /** Log keys of dropped events still to delete from LevelDB (ride along with the next batch). */
  private eventDeletes: string[] = [];

  private readonly watches = new Set<ActiveWatch>();
  private readonly timer: NodeJS.Timeout | undefined;
  private closed = false;

  private readonly retentionCount: number;
  private readonly retentionMs: number;

  private constructor(
    private readonly db: Db,
    loaded: LoadedState,
    options: LevelStorageOptions,
  ) {
    this.objects = loaded.objects;
    this.sortedKeys = [...loaded.objects.keys()].sort();
    this.events = loaded.events;
    this.durableRevision = loaded.revision;
    this.assignedRevision = loaded.revision;
    this.compacted = loaded.compacted;
    this.eventDeletes = loaded.staleEventKeys;
    this.retentionCount = options.eventRetentionCount ?? DEFAULT_RETENTION_COUNT;
    this.retentionMs = (options.eventRetentionSeconds ?? DEFAULT_RETENTION_SECONDS) * 1000;
    const interval = options.compactIntervalMs ?? DEFAULT_COMPACT_INTERVAL_MS;
    if (interval > 0) {
      // A failed compaction batch keeps its deletions queued for the next one; nothing to report here.
      this.timer = setInterval(() => void this.compact().catch(() => undefined), interval);
      this.timer.unref();
    }
  }

  /** Opens (creating if needed) the store in `dir`. LevelDB allows one process per directory. */
  static async open(dir: string, options: LevelStorageOptions = {}): Promise<LevelStorage> {
    const db: Db = new Level<string, string>(dir, { valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (err) {
      throw new Error(`cannot open LevelDB storage at ${dir}: ${describeOpenError(err)}`, { cause: err });
    }
    try {
      return new LevelStorage(db, await loadState(db), options);
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    return this.durableRevision;
  }

  async compactedRevision(): Promise<number> {
    this.assertOpen();
    return this.compacted;
  }

  async get(key: string): Promise<Versioned | undefined> {
    this.assertOpen();
    const entry = this.objects.get(key);
    return entry && toVersioned(key, entry.json);
  }

  async getJSON(key: string): Promise<{ json: string; revision: number } | undefined> {
    this.assertOpen();
    const entry = this.objects.get(key);
    return entry && { json: entry.json, revision: entry.revision };
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen();
    const from = lowerBound(this.sortedKeys, prefix);
    const end = prefixEnd(prefix);
    return (end === undefined ? this.sortedKeys.length : lowerBound(this.sortedKeys, end)) - from;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const revision = opts.revision || this.durableRevision;
    if (revision > this.durableRevision) {
      throw new StorageError(
        'TooLarge',
        `Too large resource version: ${revision}, current: ${this.durableRevision}`,
        '',
        this.durableRevision,
      );
    }
    if (revision < this.compacted) {
      throw new StorageError('TooOld', 'The resourceVersion for the provided list is too old.', '', this.compacted);
    }
    const from = opts.startKey !== undefined && opts.startKey > prefix ? opts.startKey : prefix;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const filter = opts.filter;

    const items: Versioned[] = [];
    let remaining = 0;
    for (const [key, json] of this.snapshot(prefix, from, revision)) {
      if (items.length < limit) {
        const item = toVersioned(key, json);
        if (!filter || filter(item.object)) items.push(item);
      } else if (!filter || filter(JSON.parse(json) as StoredValue)) {
        remaining++;
      }
    }
    const result: ListResult = { items, revision, more: remaining > 0 };
    if (remaining > 0) {
      result.lastKey = items[items.length - 1].key;
      result.remaining = remaining;
    }
    return result;
  }

  async create(key: string, obj: StoredValue): Promise<Versioned> {
    this.assertOpen();
    if (this.writeView(key).state) throw keyExists(key);
    const revision = ++this.assignedRevision;
    const json = withResourceVersion(obj, revision);
    return this.enqueueWrite(key, { json, revision }, { type: 'ADDED', key, revision, time: Date.now(), object: json });
  }

  async update(key: string, obj: StoredValue, expectedRevision: number): Promise<Versioned> {
    this.assertOpen();
    const current = this.writeView(key).state;
    if (!current) throw keyNotFound(key);
    if (current.revision !== expectedRevision) throw conflict(key, current.revision);
    const revision = ++this.assignedRevision;
    const json = withResourceVersion(obj, revision);
    return this.enqueueWrite(
      key,
      { json, revision },
      { type: 'MODIFIED', key, revision, time: Date.now(), object: json, prevObject: current.json },
    );
  }

  async delete(key: string, expectedRevision?: number): Promise<Versioned> {
    this.assertOpen();
    const current = this.writeView(key).state;
    if (!current) throw keyNotFound(key);
    if (expectedRevision !== undefined && current.revision !== expectedRevision) {
      throw conflict(key, current.revision);
    }
    const revision = ++this.assignedRevision;
    const lastState = withResourceVersion(JSON.parse(current.json) as StoredValue, revision);
    return this.enqueueWrite(key, undefined, {
      type: 'DELETED',
      key,
      revision,
      time: Date.now(),
      object: lastState,
      prevObject: current.json,
    });
  }

  async guaranteedUpdate(
    key: string,
    tryUpdate: (current: Versioned | undefined) => Promise<StoredValue | undefined> | StoredValue | undefined,
  ): Promise<Versioned | undefined> {
    for (;;) {
      this.assertOpen();
      // The write-side view includes queued writes, so a retry sees what made the last attempt conflict.
      const view = this.writeView(key);
      const current = view.state && toVersioned(key, view.state.json);
      const updated = await tryUpdate(current);
      if (updated === undefined) {
        // Returning a state that could still be lost in a crash would break read-your-writes.
        if (view.settled && !(await succeeded(view.settled))) continue;
        return current;
      }
      try {
        return current ? await this.update(key, updated, current.revision) : await this.create(key, updated);
      } catch (err) {
        if (err instanceof StorageError && ['Conflict', 'KeyExists', 'KeyNotFound'].includes(err.code)) continue;
        throw err;
      }
    }
  }

  async watch(prefix: string, opts: WatchOptions): Promise<Watcher> {
    this.assertOpen();
    if (opts.fromRevision < this.compacted) {
      throw new StorageError('TooOld', 'The resourceVersion for the provided watch is too old.', '', this.compacted);
    }
    const active: ActiveWatch = {
      prefix,
      fromRevision: opts.fromRevision,
      onEvent: opts.onEvent,
      onError: opts.onError,
      stopped: false,
    };
    // Replay and registration happen in one synchronous step, so no live event can fall between them.
    const replay = this.events.slice(firstEventAfter(this.events, opts.fromRevision));
    this.watches.add(active);
    for (const record of replay) {
      if (active.stopped) break;
      if (record.key.startsWith(prefix)) this.deliver(active, record);
    }
    return { stop: () => this.stopWatch(active) };
  }

  /**
   * Drops events beyond the retention bounds (count, or age except for the newest 1000) and waits until
   * their deletion from LevelDB is durable. Returns the new compacted revision.
   */
  async compact(now: number = Date.now()): Promise<number> {
    this.assertOpen();
    const drop = droppableEventCount(this.events, now, this.retentionCount, this.retentionMs);
    if (drop > 0) {
      const dropped = this.events.slice(0, drop);
      this.events = this.events.slice(drop);
      this.compacted = dropped[dropped.length - 1].revision;
      for (const record of dropped) this.eventDeletes.push(eventKey(record.revision));
    }
    if (this.eventDeletes.length > 0) {
      await new Promise<void>((resolve, reject) => this.enqueue({ kind: 'barrier', resolve, reject }));
    }
    return this.compacted;
  }

  /** Flushes queued writes, ends every watch with a Closed error, and closes LevelDB. */
  async close(): Promise<void> {
    this.assertOpen();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    while (this.flushRun) await this.flushRun;
    const closedError = closedStorageError();
    for (const active of [...this.watches]) {
      this.stopWatch(active);
      callSafely(() => active.onError?.(closedError));
    }
    await this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw closedStorageError();
  }

  private writeView(key: string): { state: StoredEntry | undefined; settled?: Promise<unknown> } {
    const pending = this.pending.get(key);
    return pending ?? { state: this.objects.get(key) };
  }

  private enqueueWrite(key: string, state: StoredEntry | undefined, event: EventRecord): Promise<Versioned> {
    const result = toVersioned(key, state?.json ?? event.object);
    const written = new Promise<Versioned>((resolve, reject) =>
      this.enqueue({ kind: 'write', key, state, event, result, resolve, reject }),
    );
    this.pending.set(key, { state, revision: event.revision, settled: written });
    return written;
  }

  private enqueue(item: QueuedItem): void {
    this.queue.push(item);
    this.startDrain();
  }

  /** Only one drain (and so one batch) is in flight at a time. */
  private startDrain(): void {
    if (this.flushRun) return;
    this.flushRun = this.drain().finally(() => {
      this.flushRun = undefined;
      if (this.queue.length > 0) this.startDrain();
    });
  }

  /** Writes queued items in batches, one at a time; writes queued during a batch form the next one. */
  private async drain(): Promise<void> {
    // Let writes issued in the same turn of the event loop join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const eventDeletes = this.eventDeletes;
      const ops = batchOps(batch, eventDeletes, this.compacted);
      try {
        if (ops.length > 0) await this.db.batch(ops, { sync: true });
      } catch (err) {
        this.rollBack(batch, err);
        continue;
      }
      this.eventDeletes = this.eventDeletes.slice(eventDeletes.length);
      this.applyDurable(batch);
    }
  }

  /**
   * Later queued writes were checked against the failed batch's state and numbered after it, so they
   * fail too; the write-side view falls back to the durable state.
   */
  private rollBack(batch: QueuedItem[], err: unknown): void {
    const failed = [...batch, ...this.queue];
    this.queue = [];
    this.pending.clear();
    this.assignedRevision = this.durableRevision;
    for (const item of failed) item.reject(err);
  }

  private applyDurable(batch: QueuedItem[]): void {
    const records: EventRecord[] = [];
    for (const item of batch) {
      if (item.kind !== 'write') continue;
      this.applyState(item.key, item.state);
      // A later queued write to the same key keeps its own (newer) view.
      if (this.pending.get(item.key)?.revision === item.event.revision) this.pending.delete(item.key);
      this.events.push(item.event);
      this.durableRevision = item.event.revision;
      records.push(item.event);
    }
    // A watch started from inside a handler replays this whole batch from the log itself, so only the
    // watches present now receive it live.
    const watches = [...this.watches];
    for (const record of records) {
      for (const active of watches) {
        if (!active.stopped && record.revision > active.fromRevision && record.key.startsWith(active.prefix)) {
          this.deliver(active, record);
        }
      }
    }
    for (const item of batch) {
      if (item.kind === 'write') item.resolve(item.result);
      else item.resolve();
    }
  }

  private applyState(key: string, state: StoredEntry | undefined): void {
    const existed = this.objects.has(key);
    if (state) {
      this.objects.set(key, state);
      if (!existed) this.sortedKeys.splice(lowerBound(this.sortedKeys, key), 0, key);
    } else if (existed) {
      this.objects.delete(key);
      this.sortedKeys.splice(lowerBound(this.sortedKeys, key), 1);
    }
  }

  /** A consumer whose handler throws loses its watch rather than stalling or breaking the writers. */
  private deliver(active: ActiveWatch, record: EventRecord): void {
    try {
      active.onEvent(toStorageEvent(record));
    } catch (err) {
      this.stopWatch(active);
      const message = err instanceof Error ? err.message : String(err);
      callSafely(() => active.onError?.(new StorageError('Closed', `watch handler failed: ${message}`, record.key)));
    }
  }

  private stopWatch(active: ActiveWatch): void {
    active.stopped = true;
    this.watches.delete(active);
  }

  /**
   * Keys under `prefix` from `from` on, with their JSON as of `revision`: the current state with every
   * logged change after `revision` undone.
   */
  private *snapshot(prefix: string, from: string, revision: number): Generator<[string, string]> {
    const undo = new Map<string, string | undefined>();
    for (let i = this.events.length - 1; i >= 0 && this.events[i].revision > revision; i--) {
      const record = this.events[i];
      // Walking backwards, the last write wins: the state before the earliest change after `revision`.
      if (record.key.startsWith(prefix)) undo.set(record.key, record.type === 'ADDED' ? undefined : record.prevObject);
    }
    const goneSince = [...undo.keys()].filter((key) => key >= from && !this.objects.has(key)).sort();
    let g = 0;
    for (let i = lowerBound(this.sortedKeys, from); i < this.sortedKeys.length; i++) {
      const key = this.sortedKeys[i];
      if (!key.startsWith(prefix)) break;
      for (; g < goneSince.length && goneSince[g] < key; g++) {
        const json = undo.get(goneSince[g]);
        if (json !== undefined) yield [goneSince[g], json];
      }
      const json = undo.has(key) ? undo.get(key) : this.objects.get(key)!.json;
      if (json !== undefined) yield [key, json];
    }
    for (; g < goneSince.length; g++) {
      const json = undo.get(goneSince[g]);
      if (json !== undefined) yield [goneSince[g], json];
    }
  }
}

interface LoadedState {
  objects: Map<string, StoredEntry>;
  events: EventRecord[];
  revision: number;
  compacted: number;
  /** Events at or below the compacted revision whose deletion had not been written yet. */
  staleEventKeys: string[];
}

async function loadState(db: Db): Promise<LoadedState> {
  const [revisionValue, compactedValue] = await db.getMany([REVISION_KEY, COMPACTED_KEY]);
  const revision = revisionValue === undefined ? 0 : Number(revisionValue);
  const compacted = compactedValue === undefined ? 0 : Number(compactedValue);
  const objects = new Map<string, StoredEntry>();
  for await (const [dbKey, json] of db.iterator(OBJECT_RANGE)) {
    const object = JSON.parse(json) as StoredValue;
    objects.set(dbKey.slice(OBJECT_PREFIX.length), { json, revision: Number(object.metadata?.resourceVersion) });
  }
  const events: EventRecord[] = [];
  const staleEventKeys: string[] = [];
  for await (const [dbKey, value] of db.iterator(EVENT_RANGE)) {
    const record = parseEventRecord(value);
    if (record.revision <= compacted) staleEventKeys.push(dbKey);
    else events.push(record);
  }
  return { objects, events, revision, compacted, staleEventKeys };
}

function batchOps(batch: QueuedItem[], eventDeletes: string[], compacted: number): BatchOp[] {
  const ops: BatchOp[] = [];
  let lastRevision = 0;
  for (const item of batch) {
    if (item.kind !== 'write') continue;
    const objectKey = OBJECT_PREFIX + item.key;
    ops.push(item.state ? { type: 'put', key: objectKey, value: item.state.json } : { type: 'del', key: objectKey });
    ops.push({ type: 'put', key: eventKey(item.event.revision), value: serializeEventRecord(item.event) });
    lastRevision = item.event.revision;
  }
  if (lastRevision > 0) ops.push({ type: 'put', key: REVISION_KEY, value: String(lastRevision) });
  if (eventDeletes.length > 0) {
    for (const key of eventDeletes) ops.push({ type: 'del', key });
    ops.push({ type: 'put', key: COMPACTED_KEY, value: String(compacted) });
  }
  return ops;
}

/** How many of the oldest events fall outside the retention window. */
export function droppableEventCount(
  events: readonly { time: number }[],
  now: number,
  retentionCount: number,
  retentionMs: number,
): number {
  const byCount = Math.max(0, events.length - retentionCount);
  const ageLimit = Math.max(0, events.length - MIN_EVENTS_KEPT_BY_AGE);
  const cutoff = now - retentionMs;
  let byAge = 0;
  while (byAge < ageLimit && events[byAge].time < cutoff) byAge++;
  return Math.max(byCount, byAge);
}

function eventKey(revision: number): string {
  return EVENT_PREFIX + String(revision).padStart(16, '0');
}

/** Embeds the object JSON as is: no re-serialization of what is already a JSON string. */
function serializeEventRecord(record: EventRecord): string {
  const head = `{"type":${JSON.stringify(record.type)},"key":${JSON.stringify(record.key)},"revision":${record.revision},"time":${record.time},"object":${record.object}`;
  return record.prevObject === undefined ? `${head}}` : `${head},"prevObject":${record.prevObject}}`;
}

function parseEventRecord(value: string): EventRecord {
  const raw = JSON.parse(value) as {
    type: WatchEventType;
    key: string;
    revision: number;
    time: number;
    object: unknown;
    prevObject?: unknown;
  };
  const record: EventRecord = {
    type: raw.type,
    key: raw.key,
    revision: raw.revision,
    time: raw.time,
    object: JSON.stringify(raw.object),
  };
  if (raw.prevObject !== undefined) record.prevObject = JSON.stringify(raw.prevObject);
  return record;
}

function toStorageEvent(record: EventRecord): StorageEvent {
  const event: StorageEvent = {
    type: record.type,
    key: record.key,
    object: JSON.parse(record.object) as StoredValue,
    revision: record.revision,
  };
  if (record.prevObject !== undefined) event.prevObject = JSON.parse(record.prevObject) as StoredValue;
  return event;
}

function toVersioned(key: string, json: string): Versioned {
  const object = JSON.parse(json) as StoredValue;
  return { key, object, revision: Number(object.metadata?.resourceVersion) };
}

function withResourceVersion(obj: StoredValue, revision: number): string {
  return JSON.stringify({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } });
}

/** Index of the first event with a revision greater than `revision` (events are in revision order). */
function firstEventAfter(events: readonly EventRecord[], revision: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid].revision <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first key >= `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The smallest string greater than every string starting with `prefix`; undefined when there is none. */
function prefixEnd(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const code = prefix.charCodeAt(i);
    if (code < 0xffff) return prefix.slice(0, i) + String.fromCharCode(code + 1);
  }
  return undefined;
}

async function succeeded(settled: Promise<unknown>): Promise<boolean> {
  return settled.then(
    () => true,
    () => false,
  );
}

function callSafely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A consumer's error handler failing must not affect the store or other consumers.
  }
}

function describeOpenError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) parts.push(e.message);
  const text = parts.join(': ') || String(err);
  return /lock/i.test(text) ? `${text} (the directory is in use by another process or LevelStorage)` : text;
}

// Messages as k8s.io/apiserver's storage.StorageError renders them.
function keyExists(key: string): StorageError {
  return new StorageError(
    'KeyExists',
    `StorageError: key exists, Code: 2, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: <nil>`,
    key,
  );
}

function keyNotFound(key: string): StorageError {
  return new StorageError(
    'KeyNotFound',
    `StorageError: key not found, Code: 1, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: <nil>`,
    key,
  );
}

function conflict(key: string, currentRevision: number): StorageError {
  return new StorageError(
    'Conflict',
    `StorageError: resource version conflicts, Code: 3, Key: ${key}, ResourceVersion: ${currentRevision}, AdditionalErrorMsg: <nil>`,
    key,
    currentRevision,
  );
}

function closedStorageError(): StorageError {
  return new StorageError('Closed', 'storage is closed');
}
