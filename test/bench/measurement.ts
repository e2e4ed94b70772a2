// One benchmark measurement: throughput and latency of the operations that succeeded.
import type { CpuPercent } from './cpu.js';

export interface Measurement {
  /** Operations that succeeded per second of measured time. */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  /** Operations that succeeded. */
  completed: number;
  /** Operations that failed (non-2xx responses, connection errors, rejected writes). */
  failed: number;
  concurrency: number;
  durationSeconds: number;
  /** Percent of one core used by the process doing the measured work (the server; for raw LevelDB, the bench process). */
  serverCpu?: CpuPercent;
  /** Percent of one core used by the load generator (autocannon, in the bench process). */
  generatorCpu?: CpuPercent;
}

/** Nearest-rank percentile (0 < p <= 100) of ascending samples; 0 when there are none. */
export function percentile(ascending: readonly number[], p: number): number {
  if (ascending.length === 0) return 0;
  const rank = Math.ceil((p / 100) * ascending.length);
  return ascending[Math.min(ascending.length, Math.max(1, rank)) - 1];
}
