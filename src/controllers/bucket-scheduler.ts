// The scheduled import controller's queue (openshift-controller-manager scheduler.go): keys spread over a ring
// of buckets; the scheduler hands out every key of the current bucket (moving each to the bucket just behind,
// so it comes round again a full turn later), then waits for its rate limiter before it moves to the next
// bucket. With B buckets and a limiter of B per interval, each key comes up about once per interval, and the
// imports of many streams are spread evenly over it rather than all at once.
import { setImmediate as yieldToIO } from 'node:timers/promises';

export interface BucketLimiter {
  /** Waits for the next turn; rejects once `signal` aborts. */
  accept(signal?: AbortSignal): Promise<void>;
}

export class BucketScheduler<V> {
  private position = 0;
  private readonly buckets: Map<string, V>[];

  /** `bucketCount` buckets plus the current one; `equals` compares the values Remove is conditional on. */
  constructor(
    bucketCount: number,
    private readonly limiter: BucketLimiter,
    private readonly handle: (key: string, value: V) => void | Promise<void>,
    private readonly equals: (a: V, b: V) => boolean = Object.is,
  ) {
    this.buckets = Array.from({ length: bucketCount + 1 }, () => new Map<string, V>());
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.runOnce(signal);
      } catch {
        if (signal.aborted) return;
      }
      // A bucket full of quick no-ops must not keep the event loop from I/O.
      await yieldToIO();
    }
  }

  /** Handles one key of the current bucket, or (when it is empty) moves on and waits for the limiter. */
  async runOnce(signal?: AbortSignal): Promise<void> {
    const next = this.next();
    if (!next) return this.limiter.accept(signal);
    await this.handle(next.key, next.value);
  }

  /**
   * Puts `key` in the emptiest bucket, the furthest from the current one on a tie (never the current one).
   * An earlier value of the key is replaced.
   */
  add(key: string, value: V): void {
    for (const bucket of this.buckets) bucket.delete(key);
    const n = this.buckets.length;
    let target = 0;
    let least = 0;
    for (let i = n - 1; i > 0; i--) {
      const position = (this.position + i) % n;
      const size = this.buckets[position].size;
      if (size === 0) {
        target = position;
        break;
      }
      if (size < least || least === 0) {
        target = position;
        least = size;
      }
    }
    this.buckets[target].set(key, value);
  }

  /** Takes `key` out; with a value, only where it still has that value. True when nothing else was left. */
  remove(key: string, value?: V): boolean {
    let match = true;
    for (const bucket of this.buckets) {
      if (value !== undefined && bucket.has(key) && !this.equals(bucket.get(key) as V, value)) {
        match = false;
        continue;
      }
      bucket.delete(key);
    }
    return match;
  }

  /** Moves `key` (if scheduled) to the last bucket: it was just handled some other way. */
  delay(key: string): void {
    const last = this.at(-1);
    this.buckets.forEach((bucket, i) => {
      if (i === last || !bucket.has(key)) return;
      const value = bucket.get(key) as V;
      bucket.delete(key);
      this.buckets[last].set(key, value);
    });
  }

  len(): number {
    return this.buckets.reduce((n, b) => n + b.size, 0);
  }

  /** Which bucket `key` is in (tests), or -1. */
  bucketOf(key: string): number {
    return this.buckets.findIndex((b) => b.has(key));
  }

  currentBucket(): number {
    return this.position;
  }

  private at(inc: number): number {
    const n = this.buckets.length;
    return (((this.position + inc) % n) + n) % n;
  }

  private next(): { key: string; value: V } | undefined {
    const current = this.buckets[this.position];
    for (const [key, value] of current) {
      current.delete(key);
      this.buckets[this.at(-1)].set(key, value);
      return { key, value };
    }
    this.position = this.at(1);
    return undefined;
  }
}
