// --max-requests-inflight / --max-mutating-requests-inflight (k8s.io/apiserver pkg/server/filters/maxinflight.go):
// at most that many read-only (get, list, watch) and mutating requests run at once, long-running ones
// (watches) not counted; one over the limit is answered 429 at once, except for system:masters.
import type { FastifyReply } from 'fastify';

export interface InflightLimits {
  /** Read-only requests at once; 0 = unlimited. */
  maxRequestsInflight: number;
  /** Mutating requests at once; 0 = unlimited. */
  maxMutatingRequestsInflight: number;
}

export const DEFAULT_INFLIGHT_LIMITS: InflightLimits = { maxRequestsInflight: 400, maxMutatingRequestsInflight: 200 };

const NON_MUTATING_VERBS = new Set(['get', 'list', 'watch']);

/** Whether a request with this RequestInfo verb counts against the mutating limit. */
export const isMutatingVerb = (verb: string) => !NON_MUTATING_VERBS.has(verb);

/** How often the in-flight peak is sampled (upstream: inflightUsageMetricUpdatePeriod). */
const WATERMARK_PERIOD_MS = 1000;

/**
 * Requests in flight of one kind, and the most seen at once in the last sampling period, which is what
 * apiserver_current_inflight_requests reports.
 */
export class InflightCounter {
  private current = 0;
  private peak = 0;
  private periodStart: number;

  constructor(
    /** 0 = unlimited (the requests are still counted). */
    readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {
    this.periodStart = now();
  }

  /** Takes a seat; false when the limit is reached. */
  tryEnter(): boolean {
    if (this.limit > 0 && this.current >= this.limit) return false;
    this.current++;
    this.observe();
    return true;
  }

  leave(): void {
    this.current--;
    this.observe();
  }

  inFlight(): number {
    return this.current;
  }

  /** The peak of the last period (the current count once a period passed without change). */
  watermark(): number {
    this.rollPeriod();
    return this.peak;
  }

  private observe(): void {
    this.rollPeriod();
    if (this.current > this.peak) this.peak = this.current;
  }

  private rollPeriod(): void {
    const t = this.now();
    if (t - this.periodStart >= WATERMARK_PERIOD_MS) {
      this.periodStart = t;
      this.peak = this.current;
    }
  }
}

/** The filter's answer: Go's http.Error text, not a Status. */
export function sendTooManyRequests(reply: FastifyReply): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', '1')
    .header('content-type', 'text/plain; charset=utf-8')
    .header('x-content-type-options', 'nosniff')
    .send('Too many requests, please try again later.\n');
}
