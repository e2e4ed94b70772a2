// A bounded cache whose entries expire, with concurrent misses for one key sharing one lookup
// (k8s.io/apimachinery's LRUExpireCache plus the singleflight the token cache puts in front of webhooks).

export interface TTLCacheOptions {
  /** Entries beyond this many evict the least recently used. */
  maxEntries: number;
  /** Milliseconds since some epoch; injectable for tests. */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class TTLCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly pending = new Map<string, Promise<V>>();
  private readonly now: () => number;

  constructor(private readonly opts: TTLCacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert so Map order tracks recency.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.opts.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /**
   * The cached value, or the result of `lookup` (shared by concurrent callers for the same key).
   * `ttlOf` decides how long a fresh result is kept; 0 = not cached. A rejected lookup is not cached.
   */
  async getOrLoad(key: string, lookup: () => Promise<V>, ttlOf: (value: V) => number): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const loading = lookup().then((value) => {
      this.set(key, value, ttlOf(value));
      return value;
    });
    this.pending.set(key, loading);
    try {
      return await loading;
    } finally {
      this.pending.delete(key);
    }
  }
}
