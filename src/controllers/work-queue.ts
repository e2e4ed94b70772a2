// A rate-limited work queue of keys (`namespace/name`), as client-go's workqueue: a key is queued at most once,
// never handed to two workers at a time (a key added while it is being processed is queued again when the
// worker is done with it), can be added after a delay (the earliest delay wins), and is retried with the
// delays of an ItemRateLimiter.
import type { ItemRateLimiter } from './rate-limiter.js';

export class RateLimitingQueue {
  private readonly queue: string[] = [];
  /** Keys waiting to be processed (queued, or re-added while processing). */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly waiting = new Map<string, { timer: NodeJS.Timeout; readyAt: number }>();
  private readonly getters: ((key: string | undefined) => void)[] = [];
  private shuttingDown = false;

  constructor(
    private readonly limiter: ItemRateLimiter,
    private readonly now: () => number = () => performance.now(),
  ) {}

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const getter = this.getters.shift();
    if (getter) {
      this.start(key);
      getter(key);
    } else {
      this.queue.push(key);
    }
  }

  /** Adds `key` once `delayMs` has passed; an earlier pending add of the same key is kept. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    const readyAt = this.now() + delayMs;
    const pending = this.waiting.get(key);
    if (pending && pending.readyAt <= readyAt) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, delayMs);
    this.waiting.set(key, { timer, readyAt });
  }

  /** Adds `key` after the rate limiter's delay for it (a failure of the key). */
  addRateLimited(key: string): void {
    this.addAfter(key, this.limiter.when(key));
  }

  /** The key was processed successfully: its back-off starts over. */
  forget(key: string): void {
    this.limiter.forget(key);
  }

  retries(key: string): number {
    return this.limiter.retries(key);
  }

  /** The next key to process (the caller must call done with it), or undefined once shut down. */
  get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.start(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** The worker finished `key`; if it was added meanwhile, it is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  /** Keys queued and not yet handed out. */
  len(): number {
    return this.queue.length;
  }

  /** Stops handing out keys: waiting getters get undefined, delayed adds are dropped. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    this.queue.length = 0;
    for (const getter of this.getters.splice(0)) getter(undefined);
  }

  private start(key: string): void {
    this.dirty.delete(key);
    this.processing.add(key);
  }
}
