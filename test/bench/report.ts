// The figures of one run: a table for people, one JSON object for tools.
import type { CpuPercent } from './cpu.js';
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
  /** (e) GET of an ImageStreamTag resolved through a stream with 100 tags x 10 history entries. */
  istagGet: Measurement;
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
    ['(e) GET ImageStreamTag, stream of 100 tags x 10 history', f.istagGet, 'req/s'],
  ];
  const header = ['measurement', 'clients', 'throughput', 'p50 ms', 'p99 ms', 'ok', 'failed', 'server CPU', 'CPU µs/op', 'autocannon CPU'];
  const body = rows.map(([label, m, unit]) => [
    label,
    String(m.concurrency),
    `${m.throughput.toFixed(0)} ${unit}`,
    formatMs(m.p50Ms),
    formatMs(m.p99Ms),
    String(m.completed),
    String(m.failed),
    formatCpu(m.serverCpu),
    cpuMicrosPerOp(m)?.toFixed(0) ?? '-',
    formatCpu(m.generatorCpu),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const r = ratios(f);
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
    '',
    'CPU is % of one core over the measured run (sys: in the kernel); (b) "server" is the bench process with its LevelDB threads.',
    'Latencies of HTTP runs are autocannon\'s (whole milliseconds); of (b), per-batch wall time.',
    '',
    `ratio_get    c/a = ${r.ratioGet.toFixed(3)}  (target >= ${TARGETS.ratioGet}: ${r.ratioGet >= TARGETS.ratioGet ? 'met' : 'NOT met'})`,
    `ratio_create d/b = ${r.ratioCreate.toFixed(3)}  (target >= ${TARGETS.ratioCreate}: ${r.ratioCreate >= TARGETS.ratioCreate ? 'met' : 'NOT met'})`,
    ...cpuRatioLine(f),
    ...unsaturatedNotes(f),
  ].join('\n');
}

/** Below this share of a core, a GET server was held back by something other than its own work. */
const SATURATED_CPU_PERCENT = 80;

/**
 * (a) and (c) have no disk in the way, so a server below one busy core was starved by other work on
 * the machine or by autocannon, and c/a then says little about the server.
 */
function unsaturatedNotes(f: BenchFigures): string[] {
  const runs: [string, Measurement][] = [['(a)', f.httpCeiling], ['(c)', f.get]];
  return runs
    .filter(([, m]) => m.serverCpu !== undefined && m.serverCpu.total < SATURATED_CPU_PERCENT)
    .map(([name, m]) => `note: the ${name} server used ${m.serverCpu!.total.toFixed(0)} % of a core, not a full one: other load on the machine or autocannon limited it, so c/a is unreliable; see cpu_ratio_get`);
}

/**
 * CPU per request does not depend on how much of a core a process got, so this ratio estimates c/a
 * for servers that each have a core to themselves; throughput moves with whatever else the cores run
 * (other work on the machine, or autocannon itself capping (a)).
 */
function cpuRatioGet(f: BenchFigures): number | undefined {
  const a = cpuMicrosPerOp(f.httpCeiling);
  const c = cpuMicrosPerOp(f.get);
  return a === null || c === null || c === 0 ? undefined : a / c;
}

function cpuRatioLine(f: BenchFigures): string[] {
  const ratio = cpuRatioGet(f);
  return ratio === undefined ? [] : [`cpu_ratio_get (a CPU µs/op ÷ c CPU µs/op) = ${ratio.toFixed(3)}  (less sensitive to other load on the machine)`];
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
    istag_get_rps: round(f.istagGet.throughput),
    istag_get_p50_ms: f.istagGet.p50Ms,
    istag_get_p99_ms: f.istagGet.p99Ms,
    ratio_get: round(r.ratioGet, 3),
    ratio_create: round(r.ratioCreate, 3),
    http_ceiling_cpu_us_per_request: cpuMicrosPerOp(f.httpCeiling),
    get_cpu_us_per_request: cpuMicrosPerOp(f.get),
    create_cpu_us_per_request: cpuMicrosPerOp(f.create),
    istag_get_cpu_us_per_request: cpuMicrosPerOp(f.istagGet),
    cpu_ratio_get: optionalRound(cpuRatioGet(f), 3),
    failures: f.httpCeiling.failed + f.durableWriteCeiling.failed + f.get.failed + f.create.failed + f.istagGet.failed,
    concurrency: f.create.concurrency,
    duration_seconds: durationSeconds,
  }, null, 2);
}

function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

function formatCpu(cpu: CpuPercent | undefined): string {
  return cpu === undefined ? '-' : `${cpu.total.toFixed(0)} % (sys ${cpu.system.toFixed(0)})`;
}

/** Per-request CPU, which (unlike utilization) stays comparable when the machine is busy with other work. */
function cpuMicrosPerOp(m: Measurement): number | null {
  return m.serverCpu === undefined || m.throughput === 0 ? null : round((m.serverCpu.total / 100 / m.throughput) * 1e6, 1);
}

function optionalRound(n: number | undefined, digits: number): number | null {
  return n === undefined ? null : round(n, digits);
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
