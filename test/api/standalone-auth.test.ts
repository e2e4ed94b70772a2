// Standalone mode with a --token-auth-file guard: plain HTTP, static bearer tokens, anonymous forbidden,
// health always allowed. Without the flag standalone stays open (every other API test).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { parseConfig } from '../../src/config.js';
import { start, type RunningServer } from '../../src/start.js';

let dir: string;
let srv: RunningServer;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'image-apiserver-guard-'));
  await writeFile(join(dir, 'tokens.csv'), 'secret-token,admin,uid-1,"admins,ops"\n');
  srv = await start(parseConfig(['--port=0', `--data-dir=${join(dir, 'data')}`, `--token-auth-file=${join(dir, 'tokens.csv')}`, '--log-level=silent'], {}), pino({ level: 'silent' }));
});
after(async () => {
  await srv.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string, token?: string) => fetch(srv.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });

test('a known token may do anything', async () => {
  const res = await get('/apis/image.openshift.io/v1/images', 'secret-token');
  assert.equal(res.status, 200);
});

test('anonymous requests are forbidden as kube-apiserver words it', async () => {
  const res = await get('/apis/image.openshift.io/v1/images');
  assert.equal(res.status, 403);
  const body = await res.json();
  assert.equal(body.message, 'images.image.openshift.io is forbidden: User "system:anonymous" cannot list resource "images" in API group "image.openshift.io" at the cluster scope');
});

test('an unknown token is 401', async () => {
  const res = await get('/apis/image.openshift.io/v1/images', 'wrong');
  assert.equal(res.status, 401);
  assert.equal((await res.json()).reason, 'Unauthorized');
});

test('health endpoints stay open for probes', async () => {
  for (const path of ['/healthz', '/livez', '/readyz']) assert.equal((await get(path)).status, 200, path);
});
