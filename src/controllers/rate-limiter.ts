// How long a work item waits before it is retried (client-go util/workqueue default_rate_limiters.go): a
// per-item exponential back-off after each failure, an overall token bucket on retries, and the larger of the
// two. Controllers use defaultControllerRateLimiter(), as openshift-controller-manager's image import
// controller does.
import { monotonicClock, TokenBucket, type Clock } from '../machinery/token-bucket.js';

export interface ItemRateLimiter {
  /** The delay (ms) before `item` is retried; counts as one more failure of the item. */
  when(item: string): number;
  /** The item succeeded: its failures are forgotten. */
  forget(item: string): void;
  /** How many times the item failed since it was last forgotten. */
  retries(item: string): number;
}

/** base × 2^failures, capped at max. */
export function exponentialFailureRateLimiter(baseMs: number, maxMs: number): ItemRateLimiter {
  const failures = new Map<string, number>();
  return {
    when(item) {
      const exp = failures.get(item) ?? 0;
      failures.set(item, exp + 1);
      const backoff = baseMs * 2 ** exp;
      return Number.isFinite(backoff) && backoff <= maxMs ? backoff : maxMs;
    },
    forget: (item) => void failures.delete(item),
    retries: (item) => failures.get(item) ?? 0,
  };
}

/** One bucket for all items: bursts of retries are spread out to `qps`. */
export function bucketRateLimiter(qps: number, burst: number, clock: Clock = monotonicClock): ItemRateLimiter {
  const bucket = new TokenBucket(qps, burst, clock);
  return { when: () => bucket.reserve(), forget: () => undefined, retries: () => 0 };
}

/** The longest delay any of `limiters` asks for. */
export function maxOfRateLimiter(...limiters: ItemRateLimiter[]): ItemRateLimiter {
  return {
    when: (item) => Math.max(...limiters.map((l) => l.when(item))),
    forget: (item) => limiters.forEach((l) => l.forget(item)),
    retries: (item) => Math.max(...limiters.map((l) => l.retries(item))),
  };
}

/** workqueue.DefaultControllerRateLimiter: 5 ms doubling up to 1000 s per item, 10 retries/s (burst 100) overall. */
export function defaultControllerRateLimiter(clock: Clock = monotonicClock): ItemRateLimiter {
  return maxOfRateLimiter(exponentialFailureRateLimiter(5, 1_000_000), bucketRateLimiter(10, 100, clock));
}
