// The real kubectl (1.32) printing server-side Tables: per-kind columns, -o wide, -A --show-labels, the CRD
// default columns, and `get -w` rows for later changes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, Kubectl } from '../support/kubectl.js';
import { startTestServer, type TestServer } from '../support/server.js';

let srv: TestServer;
let kubectl: Kubectl;

const DIGEST = `sha256:${'d'.repeat(64)}`;
const IS = (ns: string) => `/apis/image.openshift.io/v1/namespaces/${ns}/imagestreams`;

before(async () => {
  srv = await startTestServer();
  kubectl = new Kubectl(srv.url);
  const created = [
    await srv.request('POST', '/apis/image.openshift.io/v1/images', { body: { metadata: { name: DIGEST }, dockerImageReference: `quay.io/demo/app@${DIGEST}` } }),
    await srv.request('POST', IS('demo'), { body: { metadata: { name: 'web', labels: { app: 'web' } }, spec: { dockerImageRepository: 'quay.io/demo/web' } } }),
    await srv.request('POST', IS('other'), { body: { metadata: { name: 'cache', labels: { app: 'cache', tier: 'backend' } }, spec: {} } }),
    await srv.request('POST', '/apis/config.openshift.io/v1/images', { body: { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} } }),
  ];
  for (const res of created) assert.equal(res.status, 201, res.text);
});
after(async () => {
  await srv.close();
});

/** The output split into lines of whitespace-separated columns. */
const table = (out: string) => out.trim().split('\n').map((line) => line.trim().split(/\s{2,}/));

test('get images.image.openshift.io prints NAME and IMAGE REFERENCE', async () => {
  const res = await kubectl.run(['get', 'images.image.openshift.io']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^NAME\s+IMAGE REFERENCE\n/);
  assert.deepEqual(table(res.stdout), [
    ['NAME', 'IMAGE REFERENCE'],
    [DIGEST, `quay.io/demo/app@${DIGEST}`],
  ]);
  const one = await kubectl.run(['get', 'images.image.openshift.io', DIGEST]);
  assert.equal(one.code, 0, one.stderr);
  assert.deepEqual(table(one.stdout), table(res.stdout));
});

test('get is -o wide prints the image stream columns', async () => {
  const res = await kubectl.run(['get', 'is', '-n', 'demo', '-o', 'wide']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^NAME\s+IMAGE REPOSITORY\s+TAGS\s+UPDATED\n/);
  assert.deepEqual(table(res.stdout)[1], ['web', 'quay.io/demo/web']);
});

test('get is -A --show-labels takes NAMESPACE and LABELS from the row objects', async () => {
  const res = await kubectl.run(['get', 'is', '-A', '--show-labels']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^NAMESPACE\s+NAME\s+IMAGE REPOSITORY\s+TAGS\s+UPDATED\s+LABELS\n/);
  const rows = table(res.stdout).slice(1);
  assert.deepEqual(rows.map((r) => [r[0], r[1], r[r.length - 1]]), [
    ['demo', 'web', 'app=web'],
    ['other', 'cache', 'app=cache,tier=backend'],
  ]);
});

test('get images.config.openshift.io prints the CRD default NAME and AGE', async () => {
  const res = await kubectl.run(['get', 'images.config.openshift.io']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^NAME\s+AGE\n/);
  assert.match(table(res.stdout)[1][0], /^cluster$/);
  assert.match(table(res.stdout)[1][1], /^\d+s$/);
});

test('get is -w prints a row for a later change', async () => {
  const watch = kubectl.start(['get', 'is', '-n', 'demo', '-w']);
  try {
    await eventually(() => /^web\s+quay\.io\/demo\/web/m.test(watch.output()));
    const patched = await kubectl.run(['patch', 'is', 'web', '-n', 'demo', '--type', 'merge', '-p', '{"spec":{"dockerImageRepository":"quay.io/demo/watched"}}']);
    assert.equal(patched.code, 0, patched.stderr);
    await eventually(() => /^web\s+quay\.io\/demo\/watched/m.test(watch.output()));
    const created = await kubectl.run(['create', '-n', 'demo', '-f', '-'], 'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: later\n');
    assert.equal(created.code, 0, created.stderr);
    await eventually(() => /^later\s/m.test(watch.output()));
    // The header is printed once, from the first Table.
    assert.equal(watch.output().match(/^NAME\s+IMAGE REPOSITORY\s+TAGS\s+UPDATED$/gm)?.length, 1, watch.output());
  } finally {
    watch.stop();
  }
});
