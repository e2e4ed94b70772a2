// Command-line options of `npm run bench`.
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Seconds of each measurement. */
  durationSeconds: number;
  /** Unmeasured seconds of load before each HTTP measurement, so the server's code is optimized. */
  warmupSeconds: number;
  /** Concurrent clients (connections, or LevelDB writers) of every measurement. */
  concurrency: number;
  /** Also write the figures as one JSON object here. */
  jsonFile?: string;
  /** Run both HTTP children with --cpu-prof, writing profiles into DIR/raw-fastify and DIR/server. */
  profileDir?: string;
}

export const USAGE = 'usage: npm run bench -- [--duration SECONDS] [--warmup SECONDS] [--concurrency N] [--json FILE] [--profile DIR]';

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '64' },
      json: { type: 'string' },
      profile: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    durationSeconds: positiveNumber('duration', values.duration),
    warmupSeconds: nonNegativeNumber('warmup', values.warmup),
    concurrency: positiveInteger('concurrency', values.concurrency),
    jsonFile: values.json,
    profileDir: values.profile,
  };
}

function positiveNumber(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} must be a positive number of seconds, got ${JSON.stringify(raw)}`);
  return n;
}

function nonNegativeNumber(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag} must be a number of seconds >= 0, got ${JSON.stringify(raw)}`);
  return n;
}

function positiveInteger(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${flag} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}
