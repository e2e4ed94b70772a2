// The storage contract: a versioned key-value store of JSON objects with a global revision and watch.
// It knows keys, objects and revisions; nothing about Kubernetes kinds.

/** Any stored object. The storage sets `metadata.resourceVersion` on every object it returns. */
export interface StoredValue {
  metadata?: { resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface Versioned<T = StoredValue> {
  key: string;
  object: T;
  /** Revision of the object's last write (== Number(object.metadata.resourceVersion)). */
  revision: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StorageEvent<T = StoredValue> {
  type: WatchEventType;
  key: string;
  /** New state; for DELETED the last state, with resourceVersion = the deletion's revision. */
  object: T;
  /** State before the change (absent for ADDED). resourceVersion = its own last write. */
  prevObject?: T;
  revision: number;
}

export interface ListOptions {
  /** Read as of this revision (0/undefined = current). Older than the retained history → TooOldError. */
  revision?: number;
  /** Only keys strictly greater than or equal to this key (continue tokens pass last key + '\u0000'). */
  startKey?: string;
  /** Max items returned after filtering; 0/undefined = all. */
  limit?: number;
  /** Keeps only matching objects (applied before `limit`). */
  filter?: (obj: StoredValue) => boolean;
}

export interface ListResult<T = StoredValue> {
  items: Versioned<T>[];
  /** The revision the list was evaluated at. */
  revision: number;
  /** When `limit` cut the result: the key of the last returned item. */
  lastKey?: string;
  /** True when more matching items exist after `lastKey`. */
  more: boolean;
  /** How many matching items remain after the returned page (when `more`). */
  remaining?: number;
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

/** Thrown by the storage; the registry turns these into Status errors. */
export class StorageError extends Error {
  constructor(
    readonly code: 'KeyExists' | 'KeyNotFound' | 'Conflict' | 'PreconditionFailed' | 'TooOld' | 'TooLarge' | 'Closed',
    message: string,
    readonly key = '',
    /** For TooOld: the compacted revision. For TooLarge: the current revision. */
    readonly revision = 0,
  ) {
    super(message);
  }
}

export interface Watcher {
  stop(): void;
}

export interface WatchOptions {
  /** Deliver every event with revision > fromRevision, in order, then live events. */
  fromRevision: number;
  onEvent: (ev: StorageEvent) => void;
  /** Called once if the watch can no longer deliver (storage closed, event log overrun for a slow consumer). */
  onError?: (err: StorageError) => void;
}

export interface Storage {
  /** Current revision (of the last durable write). */
  currentRevision(): Promise<number>;
  /**
   * Every event with a revision greater than this is retained: list-at-revision R and watch from R
   * work for R >= compactedRevision(); older R gets StorageError('TooOld').
   */
  compactedRevision(): Promise<number>;

  get(key: string): Promise<Versioned | undefined>;
  /**
   * The stored JSON text of an object as `get` would return it, when the backend holds it as text
   * (lets readers answer without a parse/serialize round trip). Optional.
   */
  getJSON?(key: string): Promise<{ json: string; revision: number } | undefined>;
  /** Lists keys with the given prefix in byte order. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Number of objects under a prefix at the current revision. */
  count(prefix: string): Promise<number>;

  /** Fails with KeyExists when the key is present. */
  create(key: string, obj: StoredValue): Promise<Versioned>;
  /**
   * Compare-and-swap: replaces the object when its current revision equals `expectedRevision`.
   * KeyNotFound when missing, Conflict when the revision differs.
   */
  update(key: string, obj: StoredValue, expectedRevision: number): Promise<Versioned>;
  /**
   * Deletes when the current revision equals `expectedRevision` (undefined = unconditionally).
   * Returns the last state with resourceVersion = the deletion's revision.
   */
  delete(key: string, expectedRevision?: number): Promise<Versioned>;

  /**
   * Read-modify-write with retry on Conflict. `tryUpdate` gets the current object (undefined when
   * missing) and returns the new object, or `undefined` to leave it unchanged (no write, no event).
   * It may throw to abort. Returns the stored result (the existing object when unchanged).
   */
  guaranteedUpdate(
    key: string,
    tryUpdate: (current: Versioned | undefined) => Promise<StoredValue | undefined> | StoredValue | undefined,
  ): Promise<Versioned | undefined>;

  /** Starts a watch on a key prefix. Rejects with StorageError('TooOld') when fromRevision < compactedRevision(). */
  watch(prefix: string, opts: WatchOptions): Promise<Watcher>;

  close(): Promise<void>;
}
