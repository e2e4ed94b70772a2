// `npm run bench [-- --duration S] [--json FILE]`: how close the server comes to its two ceilings.
//
//   (a) raw Fastify, fixed 1 KiB JSON (HTTP ceiling)          \  ratio_get = c/a
//   (c) GET config.openshift.io Image "cluster", server        /
//   (b) raw LevelDB synced 1 KiB batches (durable ceiling)    \  ratio_create = d/b
//   (d) POST image.openshift.io Images, unique names, server   /
//   (e) GET of an ImageStreamTag of a stream with 100 tags x 10 history entries (istag_get_rps)
//   (f) one ImageStreamImport of a 20-tag repository from a local docker-registry: wall time and requests
//       to the registry (import_20_tags_seconds, import_20_tags_registry_requests; null without the tools)
//
// Comparable pairs use the same load generator and concurrency. (a) and (c)/(d) are both child
// processes (the server from its build, dist/main.js, as `npm start` and the image run it), one at a
// time, while autocannon runs in this process: on the 2-core machine the server and the load generator each get a core and never
// share an event loop. (b) has no HTTP side, so it runs here, on the same temp filesystem as the
// server's data directory. Each server create writes the object, its event record and the revision in
// one batch, and concurrent creates share a sync (group commit), so d/b can exceed 1.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../support/process.js';
import { startNodeServer } from './children.js';
import { withCpuPercent } from './cpu.js';
import { clusterImageConfig, imageForCreate, RAW_PATH } from './fixtures.js';
import { importFailed, importJson, measureImportBench, renderImportLine } from './import-report.js';
import { createImageStreamFixture, ISTAG_PATH } from './istag-fixture.js';
import { measureHttp, type HttpLoad } from './http-load.js';
import { Leftovers } from './leftovers.js';
import { measureLevelWrites } from './level-writes.js';
import type { Measurement } from './measurement.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './options.js';
import { renderJson, renderTable, type BenchFigures } from './report.js';

const CONFIG_IMAGE_PATH = '/apis/config.openshift.io/v1/images';
const IMAGES_PATH = '/apis/image.openshift.io/v1/images';

async function main(): Promise<void> {
  let opts: BenchOptions;
  try {
    opts = parseBenchOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const leftovers = new Leftovers();
  process.once('exit', () => leftovers.releaseNow());
  // An interrupted run stops its children, which makes the measurement in progress fail: that failure
  // is expected, so the run just waits for the cleanup, which exits.
  let interrupted: Promise<void> | undefined;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      interrupted ??= leftovers.release().finally(() => process.exit(code));
    });
  }
  try {
    const httpCeiling = await measureRawFastify(opts, leftovers);
    const durableWriteCeiling = await measureRawLevel(opts, leftovers);
    const { get, create, istagGet } = await measureServer(opts, leftovers);
    progress('(f) import of a 20-tag repository');
    const imports = await measureImportBench();
    const figures: BenchFigures = { httpCeiling, durableWriteCeiling, get, create, istagGet };
    console.log(`\nimage-apiserver bench: ${opts.durationSeconds} s per measurement, ${opts.concurrency} concurrent clients, 127.0.0.1\n`);
    console.log(renderTable(figures));
    console.log(`\n${renderImportLine(imports)}`);
    if (opts.jsonFile) {
      const json = { ...JSON.parse(renderJson(figures, opts.durationSeconds)), ...importJson(imports) };
      await writeFile(opts.jsonFile, JSON.stringify(json, null, 2) + '\n');
      console.log(`\nwrote ${opts.jsonFile}`);
    }
    if (opts.profileDir) console.log(`CPU profiles (.cpuprofile) in ${join(opts.profileDir, 'raw-fastify')} and ${join(opts.profileDir, 'server')}`);
    const failed = [httpCeiling, durableWriteCeiling, get, create, istagGet].some((m) => m.failed > 0) || importFailed(imports);
    if (failed) {
      console.error('\nsome operations failed (see the "failed" column): the figures are not trustworthy');
      process.exitCode = 1;
    }
  } catch (err) {
    if (interrupted) await interrupted;
    throw err;
  } finally {
    if (!interrupted) await leftovers.release();
  }
}

async function measureRawFastify(opts: BenchOptions, leftovers: Leftovers): Promise<Measurement> {
  progress('(a) raw Fastify');
  const port = await freePort();
  const server = await startNodeServer(
    { script: 'test/bench/raw-fastify.ts', args: [String(port)], nodeArgs: profileArgs(opts, 'raw-fastify'), port, readyPath: RAW_PATH },
    (child) => leftovers.addChild(child),
  );
  try {
    return await warmThenMeasure(opts, server.child.pid!, () => ({ url: server.url, path: RAW_PATH, method: 'GET' }));
  } finally {
    await leftovers.stop(server.child);
  }
}

async function measureRawLevel(opts: BenchOptions, leftovers: Leftovers): Promise<Measurement> {
  progress('(b) raw LevelDB');
  const dir = await leftovers.tempDir('level');
  try {
    const load = { dir, writers: opts.concurrency, durationSeconds: opts.durationSeconds };
    const { result, cpuPercent } = await withCpuPercent([process.pid], () => measureLevelWrites(load));
    return { ...result, serverCpu: cpuPercent[0] };
  } finally {
    await leftovers.removeDir(dir);
  }
}

async function measureServer(opts: BenchOptions, leftovers: Leftovers): Promise<{ get: Measurement; create: Measurement; istagGet: Measurement }> {
  const dataDir = await leftovers.tempDir('data');
  const port = await freePort();
  const server = await startNodeServer(
    {
      script: 'dist/main.js',
      // warn: the per-request log line is info, so logging cost stays out of the figures, as in the tests.
      // No controllers: (e)'s stream follows quay.io tags, which the import controller would otherwise fetch.
      args: ['--bind-address', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn', '--controllers='],
      nodeArgs: profileArgs(opts, 'server'),
      port,
      readyPath: '/readyz',
    },
    (child) => leftovers.addChild(child),
  );
  try {
    await createClusterImageConfig(server.url);
    progress('(c) GET through the server');
    const pid = server.child.pid!;
    const get = await warmThenMeasure(opts, pid, () => ({ url: server.url, path: `${CONFIG_IMAGE_PATH}/cluster`, method: 'GET' }));
    progress('(d) POST through the server');
    const create = await warmThenMeasure(opts, pid, () => {
      // A new run id per phase keeps warm-up and measured names apart; the serial is per phase too.
      const runId = randomBytes(4).toString('hex');
      let serial = 0;
      return { url: server.url, path: IMAGES_PATH, method: 'POST', body: () => imageForCreate(runId, serial++) };
    });
    await createImageStreamFixture(server.url);
    progress('(e) GET ImageStreamTag through a stream of 100 tags x 10 history entries');
    const istagGet = await warmThenMeasure(opts, pid, () => ({ url: server.url, path: ISTAG_PATH, method: 'GET' }));
    return { get, create, istagGet };
  } finally {
    // Graceful stop first, so a --cpu-prof profile gets written and LevelDB is closed before removal.
    await leftovers.stop(server.child);
    await leftovers.removeDir(dataDir);
  }
}

async function createClusterImageConfig(url: string): Promise<void> {
  const res = await fetch(url + CONFIG_IMAGE_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(clusterImageConfig()),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`creating the config.openshift.io Image "cluster" failed: ${res.status} ${text}`);
}

type LoadTarget = Pick<HttpLoad, 'url' | 'path' | 'method' | 'body'>;

/**
 * An unmeasured warm-up lets V8 optimize the hot path before the measured run; each phase gets a fresh
 * target. CPU use of the server (`serverPid`) and of autocannon (this process) shows which one was saturated.
 */
async function warmThenMeasure(opts: BenchOptions, serverPid: number, target: () => LoadTarget): Promise<Measurement> {
  if (opts.warmupSeconds > 0) {
    await measureHttp({ ...target(), connections: opts.concurrency, durationSeconds: opts.warmupSeconds });
  }
  const load = { ...target(), connections: opts.concurrency, durationSeconds: opts.durationSeconds };
  const { result, cpuPercent } = await withCpuPercent([serverPid, process.pid], () => measureHttp(load));
  return { ...result, serverCpu: cpuPercent[0], generatorCpu: cpuPercent[1] };
}

/** --cpu-prof for a child, one directory per child so the two profiles are told apart. */
function profileArgs(opts: BenchOptions, child: string): string[] {
  return opts.profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(opts.profileDir, child)] : [];
}

function progress(what: string): void {
  console.error(`bench: measuring ${what} ...`);
}

await main();
