// The real kubectl (1.32) sending strategic merge patches: `kubectl patch` (strategic by default) and
// client-side `kubectl apply`, which picks SMP from the OpenAPI v3 document and sends `$setElementOrder`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Kubectl } from '../support/kubectl.js';
import { startTestServer, type TestServer } from '../support/server.js';

let srv: TestServer;
let kubectl: Kubectl;
before(async () => {
  srv = await startTestServer();
  kubectl = new Kubectl(srv.url);
});
after(async () => {
  await srv.close();
});

const IMAGE_NAME = `sha256:${'e'.repeat(64)}`;
const IMAGE = `apiVersion: image.openshift.io/v1
kind: Image
metadata:
  name: ${IMAGE_NAME}
  labels:
    app: demo
  finalizers:
  - example.com/keep
dockerImageReference: registry.example.com/demo/app@${IMAGE_NAME}
`;

const streamYAML = (tags: { name: string; image: string }[]) => `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: web
  namespace: default
spec:
  tags:
${tags.map((t) => `  - name: ${t.name}\n    from:\n      kind: DockerImage\n      name: ${t.image}\n`).join('')}`;

interface TagReference {
  name: string;
  from?: { kind: string; name: string };
  annotations?: Record<string, string>;
}

async function getJSON(args: string[]): Promise<any> {
  const res = await kubectl.run(['get', ...args, '-o', 'json']);
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout);
}

const byName = (tags: TagReference[]) => Object.fromEntries(tags.map((t) => [t.name, t]));

test('kubectl patch (strategic) on an Image: labels merge, finalizers form a set', async () => {
  const created = await kubectl.run(['create', '-f', '-'], IMAGE);
  assert.equal(created.code, 0, created.stderr);

  const patched = await kubectl.run([
    'patch', 'images.image.openshift.io', IMAGE_NAME,
    '-p', '{"metadata":{"labels":{"tier":"gold"},"finalizers":["example.com/other"]}}',
  ]);
  assert.equal(patched.code, 0, patched.stderr);
  assert.equal(patched.stdout.trim(), `image.image.openshift.io/${IMAGE_NAME} patched`);

  const image = await getJSON(['images.image.openshift.io', IMAGE_NAME]);
  assert.deepEqual(image.metadata.labels, { app: 'demo', tier: 'gold' });
  assert.deepEqual([...image.metadata.finalizers].sort(), ['example.com/keep', 'example.com/other']);

  const again = await kubectl.run(['patch', 'images.image.openshift.io', IMAGE_NAME, '-p', '{"metadata":{"labels":{"tier":"gold"}}}']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout.trim(), `image.image.openshift.io/${IMAGE_NAME} patched (no change)`);

  const removed = await kubectl.run([
    'patch', 'images.image.openshift.io', IMAGE_NAME,
    '-p', '{"metadata":{"labels":{"app":null},"$deleteFromPrimitiveList/finalizers":["example.com/keep","example.com/other"]}}',
  ]);
  assert.equal(removed.code, 0, removed.stderr);
  const after = await getJSON(['images.image.openshift.io', IMAGE_NAME]);
  assert.deepEqual(after.metadata.labels, { tier: 'gold' });
  assert.deepEqual(after.metadata.finalizers ?? [], []);
});

test('kubectl patch (strategic) on an ImageStream merges spec.tags by name', async () => {
  const created = await kubectl.run(['create', '-f', '-'], streamYAML([
    { name: 'v1', image: 'registry.example.com/ns/app:v1' },
    { name: 'v2', image: 'registry.example.com/ns/app:v2' },
  ]).replace('name: web', 'name: patched'));
  assert.equal(created.code, 0, created.stderr);

  const patched = await kubectl.run([
    '-n', 'default', 'patch', 'imagestream', 'patched',
    '-p', '{"spec":{"tags":[{"name":"v1","annotations":{"note":"first"}},{"name":"v2","$patch":"delete"}]}}',
  ]);
  assert.equal(patched.code, 0, patched.stderr);
  assert.equal(patched.stdout.trim(), 'imagestream.image.openshift.io/patched patched');

  const stream = await getJSON(['-n', 'default', 'imagestream', 'patched']);
  const tags = byName(stream.spec.tags);
  assert.deepEqual(Object.keys(tags), ['v1']);
  assert.deepEqual(tags.v1.annotations, { note: 'first' });
  assert.deepEqual(tags.v1.from, { kind: 'DockerImage', name: 'registry.example.com/ns/app:v1' });
});

test('kubectl apply twice on an ImageStream: created, configured (one tag changed), unchanged', async () => {
  const first = await kubectl.run(['apply', '-f', '-'], streamYAML([
    { name: 'latest', image: 'registry.example.com/ns/app:1.0' },
    { name: 'stable', image: 'registry.example.com/ns/app:0.9' },
  ]));
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout.trim(), 'imagestream.image.openshift.io/web created');

  const changed = streamYAML([
    { name: 'latest', image: 'registry.example.com/ns/app:1.1' },
    { name: 'stable', image: 'registry.example.com/ns/app:0.9' },
  ]);
  // -v=8 shows the request: client-side apply must send SMP with $setElementOrder for spec.tags.
  const second = await kubectl.run(['apply', '-f', '-', '-v=8'], changed);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /^imagestream\.image\.openshift\.io\/web configured$/m);
  assert.match(second.stderr, /Content-Type: application\/strategic-merge-patch\+json/);
  assert.match(second.stderr, /\$setElementOrder\/tags/);

  const stream = await getJSON(['-n', 'default', 'imagestream', 'web']);
  const tags = byName(stream.spec.tags);
  assert.deepEqual(Object.keys(tags).sort(), ['latest', 'stable']);
  assert.deepEqual(tags.latest.from, { kind: 'DockerImage', name: 'registry.example.com/ns/app:1.1' });
  assert.deepEqual(tags.stable.from, { kind: 'DockerImage', name: 'registry.example.com/ns/app:0.9' });

  const third = await kubectl.run(['apply', '-f', '-'], changed);
  assert.equal(third.code, 0, third.stderr);
  assert.equal(third.stdout.trim(), 'imagestream.image.openshift.io/web unchanged');
});
