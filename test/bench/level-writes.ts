// (b) The durable-write ceiling: raw LevelDB synced batches of 1 KiB values from concurrent writers.
// It runs in the bench process: no HTTP and no load generator is involved, and the database lives in
// the same temp filesystem as the server's data directory, so both pay the same fsync.
import { Level } from 'level';
import { fixedJsonBody, PAYLOAD_BYTES } from './fixtures.js';
import { percentile, type Measurement } from './measurement.js';

export interface LevelWriteLoad {
  dir: string;
  writers: number;
  durationSeconds: number;
}

export async function measureLevelWrites(load: LevelWriteLoad): Promise<Measurement> {
  const db = new Level<string, string>(load.dir, { valueEncoding: 'utf8' });
  await db.open();
  try {
    const latencies: number[] = [];
    let failed = 0;
    const started = performance.now();
    const deadline = started + load.durationSeconds * 1000;
    // Each writer inserts new keys, as creates do; one batch holds one value and is acknowledged
    // only once it is synced.
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; performance.now() < deadline; i++) {
        const key = `o/bench/${String(w).padStart(3, '0')}/${String(i).padStart(10, '0')}`;
        const t0 = performance.now();
        try {
          await db.batch([{ type: 'put', key, value: fixedJsonBody(PAYLOAD_BYTES, key) }], { sync: true });
          latencies.push(performance.now() - t0);
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: load.writers }, (_, w) => writer(w)));
    const elapsedSeconds = (performance.now() - started) / 1000;
    latencies.sort((x, y) => x - y);
    return {
      throughput: latencies.length / elapsedSeconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      completed: latencies.length,
      failed,
      concurrency: load.writers,
      durationSeconds: elapsedSeconds,
    };
  } finally {
    await db.close();
  }
}
