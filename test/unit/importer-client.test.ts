// The registry client's bounds and protocol handling against small HTTP servers on 127.0.0.1: body and
// time limits, redirects (and the addresses they and token realms may reach), retries, the ping rules, Basic
// and Bearer handshakes, tag pagination.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { after, test } from 'node:test';
import { keyringEntries, keyringOf } from '../../src/importer/credentials.js';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from '../../src/importer/limits.js';
import { RegistryClient } from '../../src/importer/registry-client.js';
import { RegistryTransport } from '../../src/importer/transport.js';
import { createCA } from '../support/test-pki.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];
after(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  return `127.0.0.1:${(server.address() as { port: number }).port}`;
}

function client(limits: Partial<ImportLimits> = {}, keyring = keyringOf(), deadline = AbortSignal.timeout(10_000)) {
  const all = { ...DEFAULT_IMPORT_LIMITS, retryDelayScale: 0.001, ...limits };
  const transport = new RegistryTransport({ additionalCAs: [], explicitHosts: new Set(), deadline, maxRedirects: all.maxRedirects });
  const counter = { requests: 0 };
  return { client: new RegistryClient({ transport, keyring, limits: all, deadline, counter }), transport, counter };
}

const v2: Handler = (req, res) => {
  if (req.url === '/v2/') {
    res.writeHead(200, { 'docker-distribution-api-version': 'registry/2.0' });
    res.end('{}');
    return;
  }
};

test('bodies over the limit are refused', async () => {
  const host = await serve((req, res) => {
    if (req.url === '/v2/') return v2(req, res);
    res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
    res.end(Buffer.alloc(2048, 0x20));
  });
  const { client: c, transport } = client({ maxManifestBytes: 1024 });
  await assert.rejects(c.repository(host, 'a', true).manifest('latest'), { message: `Get "http://${host}/v2/a/manifests/latest": http: response body too large (more than 1024 bytes)` });
  await transport.close();
});

test('a registry that never answers hits the per-request timeout, then the import deadline', async () => {
  const host = await serve((req, res) => {
    if (req.url === '/v2/') return v2(req, res);
    // never answers
  });
  const slow = client({ requestTimeoutMs: 100, retries: 0 });
  await assert.rejects(slow.client.repository(host, 'a', true).manifest('latest'), /Client.Timeout exceeded/);
  await slow.transport.close();
  const deadline = client({ requestTimeoutMs: 5_000, retries: 0 }, keyringOf(), AbortSignal.timeout(150));
  const started = Date.now();
  await assert.rejects(deadline.client.repository(host, 'a', true).manifest('latest'), /context deadline exceeded/);
  assert.ok(Date.now() - started < 2_000);
  await deadline.transport.close();
});

test('temporary failures are retried at most twice', async () => {
  let calls = 0;
  const host = await serve((req, res) => {
    if (req.url === '/v2/') return v2(req, res);
    calls++;
    res.writeHead(503);
    res.end();
  });
  const { client: c, transport } = client();
  await assert.rejects(c.repository(host, 'a', true).manifest('latest'), { message: 'received unexpected HTTP status: 503 Service Unavailable' });
  assert.equal(calls, 3);
  await transport.close();
});

test('redirects are followed a few times, credentials stay with their origin', async () => {
  const seen: (string | undefined)[] = [];
  const target = await serve((req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(200, { 'content-length': '3' });
    res.end('abc');
  });
  const host = await serve((req, res) => {
    if (req.url === '/v2/') {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' });
      res.end();
      return;
    }
    if (req.url?.startsWith('/v2/a/blobs/')) {
      seen.push(req.headers.authorization);
      res.writeHead(307, { location: `http://${target}/storage/blob` });
      res.end();
      return;
    }
    if (req.url?.startsWith('/v2/loop/')) {
      res.writeHead(302, { location: req.url });
      res.end();
    }
  });
  const keyring = keyringOf(keyringEntries({ auths: { [host]: { username: 'u', password: 'p' } } }));
  const { client: c, transport } = client({}, keyring);
  const blob = await c.repository(host, 'a', true).blob('sha256:' + 'a'.repeat(64));
  assert.equal(blob.toString(), 'abc');
  assert.deepEqual(seen, [`Basic ${Buffer.from('u:p').toString('base64')}`, undefined]);
  const loop = await c.repository(host, 'loop', true).blob('sha256:' + 'a'.repeat(64)).catch((e: Error) => e);
  assert.match(String(loop), /received unexpected HTTP status: 302/);
  await transport.close();
});

test('redirects and token realms never reach link-local or metadata addresses; redirects never downgrade a verified connection', async () => {
  const plainTarget = await serve((_req, res) => {
    res.writeHead(200);
    res.end('plain');
  });
  const ca = await createCA('redirect test CA');
  const pair = await ca.issueServer(['127.0.0.1']);
  const tls = createHttpsServer({ key: pair.key, cert: pair.cert }, (req, res) => {
    if (req.url === '/v2/') return v2(req, res);
    const location = req.url?.startsWith('/v2/meta/') ? 'https://169.254.169.254/latest/meta-data/' : req.url?.startsWith('/v2/down/') ? `http://${plainTarget}/blob` : `https://127.0.0.1:${port}/v2/up/blob`;
    if (req.url === '/v2/up/blob') {
      res.writeHead(200);
      res.end('tls');
      return;
    }
    res.writeHead(307, { location });
    res.end();
  });
  servers.push(tls as unknown as Server);
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  tls.unref();
  const port = (tls.address() as { port: number }).port;
  const host = `127.0.0.1:${port}`;
  const deadline = AbortSignal.timeout(10_000);
  const transport = new RegistryTransport({ additionalCAs: [ca.cert], explicitHosts: new Set(), deadline, maxRedirects: 5 });
  const c = new RegistryClient({ transport, keyring: keyringOf(), limits: { ...DEFAULT_IMPORT_LIMITS, retryDelayScale: 0.001 }, deadline });
  const digest = 'sha256:' + 'a'.repeat(64);
  assert.equal((await c.repository(host, 'same', false).blob(digest)).toString(), 'tls');
  await assert.rejects(c.repository(host, 'meta', false).blob(digest), /^Error: Get "https:\/\/169\.254\.169\.254\/latest\/meta-data\/": dial tcp 169\.254\.169\.254:443: connection to 169\.254\.169\.254 refused/);
  await assert.rejects(c.repository(host, 'down', false).blob(digest), { message: `Get "https://${host}/v2/down/blobs/${digest}": refusing redirect from https to http://${plainTarget}/blob` });
  // Insecure access may follow the redirect to plain HTTP.
  assert.equal((await c.repository(host, 'down', true).blob(digest)).toString(), 'plain');
  await transport.close();

  // A token realm is a URL the registry chooses: the same rule applies to it.
  const realm = await serve((req, res) => {
    res.writeHead(401, { 'www-authenticate': 'Bearer realm="http://169.254.169.254/token",service="svc"' });
    res.end();
  });
  const other = client();
  await assert.rejects(other.client.repository(realm, 'a', true).manifest('latest'), /^Error: Get "http:\/\/127\.0\.0\.1:\d+\/v2\/a\/manifests\/latest": Get "http:\/\/169\.254\.169\.254\/token\?service=svc&scope=repository%3Aa%3Apull": dial tcp 169\.254\.169\.254:80: connection to 169\.254\.169\.254 refused/);
  await other.transport.close();
});

test('the ping: non-v2 endpoints, the HTTP fallback for insecure registries, link-local refusals', async () => {
  const host = await serve((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  const { client: c, transport } = client();
  await assert.rejects(c.repository(host, 'a', true).tags(), { message: `endpoint "http://${host}/v2/" does not support v2 API (got 404 Not Found)` });
  await assert.rejects(c.repository(host, 'a', false).tags(), { message: `Get "https://${host}/v2/": http: server gave HTTP response to HTTPS client` });
  await assert.rejects(c.repository('169.254.169.254', 'a', true).tags(), /link-local and metadata addresses are only reachable for registries named/);
  await transport.close();
});

test('Basic without credentials fails before the request; Bearer tokens are fetched once per scope', async () => {
  const tokenRequests: string[] = [];
  const auth = await serve((req, res) => {
    tokenRequests.push(`${req.url} ${req.headers.authorization ?? ''}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: 'T0K' }));
  });
  let pages = 0;
  const host = await serve((req, res) => {
    if (req.url === '/v2/') {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${auth}/token",service="svc"` });
      res.end();
      return;
    }
    assert.equal(req.headers.authorization, 'Bearer T0K');
    pages++;
    if (req.url === '/v2/team/app/tags/list') {
      res.writeHead(200, { link: '</v2/team/app/tags/list?last=b&n=2>; rel="next"', 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'team/app', tags: ['a', 'b'] }));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'team/app', tags: ['c', ''] }));
    }
  });
  const keyring = keyringOf(keyringEntries({ auths: { [host]: { username: 'bob', password: 'pw' } } }));
  const { client: c, transport } = client({}, keyring);
  assert.deepEqual(await c.repository(host, 'team/app', true).tags(), ['a', 'b', 'c', '']);
  assert.deepEqual(await c.repository(host, 'team/app', true).tags(), ['a', 'b', 'c', '']);
  assert.equal(pages, 4);
  assert.deepEqual(tokenRequests, [`/token?service=svc&scope=repository%3Ateam%2Fapp%3Apull&account=bob Basic ${Buffer.from('bob:pw').toString('base64')}`]);
  await transport.close();

  const basic = await serve((req, res) => {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' });
    res.end();
  });
  const anonymous = client();
  await assert.rejects(anonymous.client.repository(basic, 'a', true).manifest('latest'), { message: `Get "http://${basic}/v2/a/manifests/latest": no basic auth credentials` });
  await anonymous.transport.close();
});
