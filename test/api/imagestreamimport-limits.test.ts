// ImageStreamImport against hostile registries (small HTTP servers on 127.0.0.1): one that never answers and
// one that streams an endless manifest. The import ends within its time limit and body-size bound with an
// InternalError status per image, and the server keeps answering other requests meanwhile.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { start, type RunningServer } from '../../src/start.js';

const TOTAL_TIMEOUT_MS = 1_500;
const MAX_MANIFEST_BYTES = 64 * 1024;
let work: string;
let server: RunningServer;
const registries: Server[] = [];
const sockets: Socket[] = [];

async function registry(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const srv = createServer(handler);
  registries.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(srv.address() as { port: number }).port}`;
}

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(server.url + path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
};
const preview = (ref: string) =>
  call('POST', '/apis/image.openshift.io/v1/namespaces/limits/imagestreamimports', {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStreamImport',
    metadata: { name: 'hostile' },
    spec: { import: false, images: [{ from: { kind: 'DockerImage', name: ref }, importPolicy: { insecure: true } }] },
  });

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'import-limits-'));
  server = await start(
    {
      bindAddress: '127.0.0.1',
      port: 0,
      dataDir: join(work, 'data'),
      logLevel: 'silent',
      storageBackend: 'level',
      imageImport: { limits: { totalTimeoutMs: TOTAL_TIMEOUT_MS, maxManifestBytes: MAX_MANIFEST_BYTES, retryDelayScale: 0.01 } },
    },
    pino({ level: 'silent' }),
  );
  const config = await call('POST', '/apis/config.openshift.io/v1/images', { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} });
  assert.equal(config.status, 201, JSON.stringify(config.json));
});

after(async () => {
  for (const srv of registries) srv.closeAllConnections();
  await Promise.all(registries.map((srv) => new Promise((r) => srv.close(r))));
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test('a registry that never answers: the import ends at its time limit, the server answers meanwhile', async () => {
  // Accepts connections and never says a word: no TLS handshake, no HTTP response.
  const silent = createTcpServer((socket) => void sockets.push(socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const host = `127.0.0.1:${(silent.address() as { port: number }).port}`;
  after(() => {
    for (const socket of sockets) socket.destroy();
    silent.close();
  });
  const started = Date.now();
  const pending = preview(`${host}/team/app:v1`);
  // Other requests are served while the import waits on the registry.
  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.status, 200);
  assert.ok(Date.now() - started < TOTAL_TIMEOUT_MS, 'healthz answered before the import ended');
  const res = await pending;
  const elapsed = Date.now() - started;
  assert.equal(res.status, 201, JSON.stringify(res.json));
  assert.ok(elapsed >= TOTAL_TIMEOUT_MS - 100 && elapsed < TOTAL_TIMEOUT_MS + 3_000, `took ${elapsed} ms`);
  const status = res.json.status.images[0].status;
  assert.equal(status.reason, 'InternalError');
  assert.equal(status.code, 500);
  assert.match(status.message, new RegExp(`^Internal error occurred: ${host.replace(/\./g, '\\.')}/team/app:v1: Get "https://${host.replace(/\./g, '\\.')}/v2/": context deadline exceeded$`));
});

test('a registry that streams an endless manifest: the body-size bound stops it', async () => {
  const host = await registry((req, res) => {
    if (req.url === '/v2/') {
      res.writeHead(200, { 'docker-distribution-api-version': 'registry/2.0' });
      res.end('{}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const write = () => {
      while (res.write(chunk));
      if (!res.destroyed) res.once('drain', write);
    };
    write();
  });
  const started = Date.now();
  const res = await preview(`${host}/team/app:v1`);
  assert.equal(res.status, 201, JSON.stringify(res.json));
  assert.ok(Date.now() - started < TOTAL_TIMEOUT_MS, 'stopped by the size bound, not the time limit');
  assert.deepEqual(res.json.status.images[0].status, {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${host}/team/app:v1: Get "http://${host}/v2/team/app/manifests/v1": http: response body too large (more than ${MAX_MANIFEST_BYTES} bytes)`,
    reason: 'InternalError',
    details: { causes: [{ message: `${host}/team/app:v1: Get "http://${host}/v2/team/app/manifests/v1": http: response body too large (more than ${MAX_MANIFEST_BYTES} bytes)` }] },
    code: 500,
  });
});
