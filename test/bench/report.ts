// The figures of one run: a table for people, one JSON object for tools.
import type { Measurement } from './measurement.js';

export interface BenchFigures {
  /** (a) raw Fastify, fixed 1 KiB body. */
  httpCeiling: Measurement;
  /** (b) raw LevelDB synced batch writes. */
  durableWriteCeiling: Measurement;
  /** (c) GET of the config.openshift.io Image through the server. */
  get: Measurement;
  /** (d) POST of image.openshift.io Images through the server. */
  create: Measurement;
}

export const TARGETS = { ratioGet: 0.5, ratioCreate: 0.3 };

export function ratios(f: BenchFigures): { ratioGet: number; ratioCreate: number } {
  return {
    ratioGet: f.get.throughput / f.httpCeiling.throughput,
    ratioCreate: f.create.throughput / f.durableWriteCeiling.throughput,
  };
}

export function renderTable(f: BenchFigures): string {
  const rows: [string, Measurement, string][] = [
    ['(a) raw Fastify GET, 1 KiB JSON (HTTP ceiling)', f.httpCeiling, 'req/s'],
    ['(b) raw LevelDB synced batch, 1 KiB (durable-write ceiling)', f.durableWriteCeiling, 'ops/s'],
    ['(c) GET config.openshift.io Image "cluster"', f.get, 'req/s'],
    ['(d) POST image.openshift.io Image (unique names)', f.create, 'req/s'],
  ];
  const header = ['measurement', 'clients', 'throughput', 'p50 ms', 'p99 ms', 'ok', 'failed'];
  const body = rows.map(([label, m, unit]) => [
    label,
    String(m.concurrency),
    `${m.throughput.toFixed(0)} ${unit}`,
    formatMs(m.p50Ms),
    formatMs(m.p99Ms),
    String(m.completed),
    String(m.failed),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const r = ratios(f);
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
    '',
    `ratio_get    c/a = ${r.ratioGet.toFixed(3)}  (target >= ${TARGETS.ratioGet}: ${r.ratioGet >= TARGETS.ratioGet ? 'met' : 'NOT met'})`,
    `ratio_create d/b = ${r.ratioCreate.toFixed(3)}  (target >= ${TARGETS.ratioCreate}: ${r.ratioCreate >= TARGETS.ratioCreate ? 'met' : 'NOT met'})`,
  ].join('\n');
}

export function renderJson(f: BenchFigures, durationSeconds: number): string {
  const r = ratios(f);
  return JSON.stringify({
    http_ceiling_rps: round(f.httpCeiling.throughput),
    http_ceiling_p50_ms: f.httpCeiling.p50Ms,
    http_ceiling_p99_ms: f.httpCeiling.p99Ms,
    durable_write_ceiling_ops: round(f.durableWriteCeiling.throughput),
    durable_write_ceiling_p50_ms: round(f.durableWriteCeiling.p50Ms),
    durable_write_ceiling_p99_ms: round(f.durableWriteCeiling.p99Ms),
    get_rps: round(f.get.throughput),
    get_p50_ms: f.get.p50Ms,
    get_p99_ms: f.get.p99Ms,
    create_rps: round(f.create.throughput),
    create_p50_ms: f.create.p50Ms,
    create_p99_ms: f.create.p99Ms,
    ratio_get: round(r.ratioGet, 3),
    ratio_create: round(r.ratioCreate, 3),
    failures: f.httpCeiling.failed + f.durableWriteCeiling.failed + f.get.failed + f.create.failed,
    concurrency: f.create.concurrency,
    duration_seconds: durationSeconds,
  }, null, 2);
}

function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
