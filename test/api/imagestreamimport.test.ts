// ImageStreamImport requests that never reach a registry: validation (422), defaults, create-only verbs,
// stream consistency checks, and statuses decided before any fetch.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

let srv: TestServer;
const NS = '/apis/image.openshift.io/v1/namespaces/isi';
const post = (metadata: object, spec: object) => srv.request('POST', `${NS}/imagestreamimports`, { body: { apiVersion: 'image.openshift.io/v1', kind: 'ImageStreamImport', metadata, spec } });

before(async () => {
  srv = await startTestServer();
  const res = await srv.request('POST', '/apis/config.openshift.io/v1/images', {
    body: { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources: { blockedRegistries: ['docker.io', 'blocked.example.com'] } } },
  });
  assert.equal(res.status, 201, res.text);
});
after(() => srv.close());

test('validation failures are 422 with upstream messages', async () => {
  const cases: [string, object, object, string][] = [
    ['nothing to import', { name: 'a' }, { import: false }, 'spec.images: Invalid value: null: you must specify at least one image or a repository import'],
    ['empty target tag', { name: 'a' }, { images: [{ from: { kind: 'DockerImage', name: 'busybox' }, to: { name: '' } }] }, 'spec.images[0].to.name: Invalid value: "": the name of the target tag must be specified'],
    ['missing name', { name: 'a' }, { images: [{ from: { kind: 'DockerImage' } }] }, 'spec.images[0].from.name: Required value'],
    ['bad reference', { name: 'a' }, { images: [{ from: { kind: 'DockerImage', name: 'Busybox' } }] }, 'spec.images[0].from.name: Invalid value: "Busybox": repository name must be lowercase'],
    ['wrong kind', { name: 'a' }, { images: [{ from: { kind: 'ImageStreamTag', name: 'a:b' } }] }, 'spec.images[0].from.kind: Invalid value: "ImageStreamTag": only DockerImage is supported'],
    ['import mode', { name: 'a' }, { images: [{ from: { kind: 'DockerImage', name: 'busybox' }, importPolicy: { importMode: 'All' } }] }, "spec.images[0].importPolicy.importMode: Invalid value: \"All\": invalid import mode, valid modes are '', 'Legacy', 'PreserveOriginal'"],
    ['repository name required', { name: 'a' }, { repository: { from: { kind: 'DockerImage' } } }, 'spec.repository.from.name: Required value: container image references require a name'],
    ['repository with a tag', { name: 'a' }, { repository: { from: { kind: 'DockerImage', name: 'busybox:1' } } }, 'spec.repository.from.name: Invalid value: "busybox:1": you must specify an image repository, not a tag or ID'],
    ['repository kind', { name: 'a' }, { repository: { from: { kind: 'ImageStreamImage', name: 'x' } } }, 'spec.repository.from.kind: Invalid value: "ImageStreamImage": only DockerImage is supported'],
    ['stream name', { name: 'Bad_Name' }, { images: [{ from: { kind: 'DockerImage', name: 'busybox' } }] }, 'metadata.name: Invalid value: "Bad_Name": must match "[a-z0-9]+(?:[._-][a-z0-9]+)*"'],
  ];
  for (const [what, metadata, spec, message] of cases) {
    const res = await post(metadata, spec);
    assert.equal(res.status, 422, `${what}: ${res.text}`);
    assert.equal(res.json.kind, 'Status');
    assert.equal(res.json.details.kind, 'ImageStreamImport', what);
    assert.equal(res.json.message, `ImageStreamImport.image.openshift.io "${(metadata as { name: string }).name}" is invalid: ${message}`, what);
  }
});

test('defaults, statuses decided before any fetch, nothing written by a preview', async () => {
  const res = await post({ name: 'early' }, {
    import: false,
    images: [{ from: { kind: 'DockerImage', name: 'busybox' } }, { from: { kind: 'DockerImage', name: 'blocked.example.com/x@sha256:' + 'a'.repeat(64) } }],
    repository: { from: { kind: 'DockerImage', name: 'busybox' } },
  });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.json.spec.images[0], { from: { kind: 'DockerImage', name: 'busybox' }, importPolicy: { importMode: 'Legacy' }, referencePolicy: { type: 'Source' } });
  assert.deepEqual(res.json.spec.repository.importPolicy, { importMode: 'Legacy' });
  // Docker Hub short names carry no registry: upstream's message has two spaces.
  assert.equal(res.json.status.images[0].status.message, 'forbidden: registry  blocked');
  assert.equal(res.json.status.images[0].tag, undefined);
  assert.equal(res.json.status.images[1].status.message, 'forbidden: registry blocked.example.com blocked');
  assert.equal(res.json.status.repository.status.reason, 'Forbidden');
  assert.ok(res.json.metadata.uid && res.json.metadata.creationTimestamp);
  assert.equal((await srv.request('GET', `${NS}/imagestreams/early`)).status, 404);
});

test('import: true creates the stream even when every image failed, with conditions and spec tags', async () => {
  const res = await post({ name: 'failed' }, { import: true, images: [{ from: { kind: 'DockerImage', name: 'busybox:1' } }] });
  assert.equal(res.status, 201, res.text);
  const stream = res.json.status.import;
  assert.deepEqual(stream.spec.tags[0].from, { kind: 'DockerImage', name: 'busybox:1' });
  assert.equal(stream.spec.tags[0].generation, 1);
  const condition = stream.status.tags[0].conditions[0];
  assert.deepEqual([condition.type, condition.status, condition.reason, condition.message, condition.generation], ['ImportSuccess', 'False', 'Forbidden', 'forbidden: registry  blocked', 1]);
  assert.ok(stream.metadata.annotations['openshift.io/image.dockerRepositoryCheck']);
  assert.equal((await srv.request('GET', `${NS}/imagestreams/failed`)).status, 200);
});

test('the stream named by resourceVersion or uid must be the one stored', async () => {
  const missing = await post({ name: 'nothere', resourceVersion: '1' }, { images: [{ from: { kind: 'DockerImage', name: 'busybox' } }] });
  assert.equal(missing.status, 404);
  assert.equal(missing.json.message, 'imagestreams.image.openshift.io "nothere" not found');
  const stale = await post({ name: 'failed', resourceVersion: '1' }, { images: [{ from: { kind: 'DockerImage', name: 'busybox' } }] });
  assert.equal(stale.status, 409, stale.text);
  assert.match(stale.json.message, /^Operation cannot be fulfilled on imagestream\.image\.openshift\.io "failed": the image stream was updated from "1" to "\d+"$/);
  const uid = await post({ name: 'failed', uid: 'not-the-uid' }, { images: [{ from: { kind: 'DockerImage', name: 'busybox' } }] });
  assert.equal(uid.status, 404);
  assert.equal(uid.json.message, 'imagestream.image.openshift.io "failed" not found');
});

test('create only', async () => {
  assert.equal((await srv.request('GET', `${NS}/imagestreamimports/x`)).status, 405);
  assert.equal((await srv.request('GET', `${NS}/imagestreamimports`)).status, 405);
});
