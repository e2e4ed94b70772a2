// imagestreamtags over HTTP (image-api-behavior §2.7, §5.3, Appendix B): the view's shape, every BadRequest and
// NotFound path of GET, LIST, POST, PUT/PATCH and DELETE, the validation rules, the registry allow-list, dry runs,
// and the table columns.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { retryOnConflict } from '../../src/apis/image/v1/imagestreamtag/retry.js';
import { serverTimeout } from '../../src/apis/image/v1/imagestreamtag/status-errors.js';
import { start } from '../../src/start.js';

const GROUP = '/apis/image.openshift.io/v1';
const IMAGES = `${GROUP}/images`;
const CONFIG = '/apis/config.openshift.io/v1/images';
const IS = (ns: string) => `${GROUP}/namespaces/${ns}/imagestreams`;
const ISTAG = (ns: string) => `${GROUP}/namespaces/${ns}/imagestreamtags`;
const REGISTRY = 'registry.local:5000';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const digest = (seed: string) => `sha256:${seed.repeat(64).slice(0, 64)}`;

// A schema 2 image whose metadata the server derives from its manifest and config.
const CONFIG_BLOB = JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2024-01-02T03:04:05Z', config: { Hostname: 'builder', Cmd: ['/bin/sh'] } });
const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: CONFIG_BLOB.length, digest: sha256(CONFIG_BLOB) },
  layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1234, digest: digest('1') }],
});
const FULL = sha256(MANIFEST);
const PLAIN = digest('a');
const OTHER = digest('b');
const GONE = digest('0');

interface Response {
  status: number;
  text: string;
  json: any;
}

let serverUrl: string;
let closeServer: () => Promise<void>;

async function request(method: string, path: string, opts: { body?: unknown; contentType?: string; accept?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  if (opts.accept) headers.accept = opts.accept;
  const res = await fetch(serverUrl + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

function expectStatus(res: Response, code: number, reason: string, message: string): void {
  assert.equal(res.status, code, res.text);
  assert.equal(res.json.kind, 'Status');
  assert.equal(res.json.reason, reason);
  assert.equal(res.json.message, message);
}

const event = (image: string, created = '2024-01-01T00:00:00Z', generation = 1, ref = `quay.io/app/web@${image}`) => ({ created, dockerImageReference: ref, image, generation });

/** A stream with spec tags `tags` and status history `history` (written through imagestreams/status). */
async function createStream(ns: string, name: string, tags: unknown[], history: unknown[] = [], metadata: Record<string, unknown> = {}): Promise<any> {
  const created = await request('POST', IS(ns), { body: { metadata: { name, ...metadata }, spec: { tags } } });
  assert.equal(created.status, 201, created.text);
  if (history.length === 0) return created.json;
  const res = await request('PUT', `${IS(ns)}/${name}/status`, { body: { ...created.json, status: { dockerImageRepository: '', tags: history } } });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

const getStream = async (ns: string, name: string) => (await request('GET', `${IS(ns)}/${name}`)).json;
const dockerTag = (name: string, from: string, extra: Record<string, unknown> = {}) => ({ name, from: { kind: 'DockerImage', name: from }, ...extra });

before(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'istag-test-'));
  const server = await start(
    { bindAddress: '127.0.0.1', port: 0, dataDir, logLevel: 'silent', storageBackend: 'level', internalRegistryHostname: REGISTRY },
    pino({ level: 'silent' }),
  );
  serverUrl = server.url;
  closeServer = async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  const images = [
    { metadata: { name: FULL, annotations: { origin: 'image' } }, dockerImageReference: `quay.io/app/web:different`, dockerImageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json', dockerImageManifest: MANIFEST, dockerImageConfig: CONFIG_BLOB },
    { metadata: { name: PLAIN }, dockerImageReference: `quay.io/app/web@${PLAIN}` },
    { metadata: { name: OTHER }, dockerImageReference: `quay.io/app/web@${OTHER}` },
  ];
  for (const body of images) assert.equal((await request('POST', IMAGES, { body })).status, 201);

  await createStream('read', 'web', [dockerTag('latest', 'quay.io/app/web:latest', { annotations: { color: 'blue' } }), dockerTag('local', 'quay.io/app/web:local', { referencePolicy: { type: 'Local' } }), dockerTag('spec-only', 'quay.io/app/web:x')], [
    { tag: 'latest', items: [event(FULL, '2024-03-01T00:00:00Z', 2, 'quay.io/app/web:latest'), event(PLAIN)], conditions: [{ type: 'ImportSuccess', status: 'False', reason: 'NotFound', message: 'gone', generation: 3, lastTransitionTime: '2024-03-02T00:00:00Z' }] },
    { tag: 'local', items: [event(PLAIN, '2024-02-01T00:00:00Z')] },
    { tag: 'status-only', items: [event(OTHER, '2024-02-02T00:00:00Z')] },
    { tag: 'dangling', items: [event(GONE)] },
    { tag: 'noimage', items: [{ created: '2024-01-01T00:00:00Z', dockerImageReference: 'quay.io/app/web:noimage', image: '', generation: 1 }] },
    { tag: 'failed', items: [], conditions: [{ type: 'ImportSuccess', status: 'False', reason: 'NotFound', generation: 1 }] },
  ], { labels: { app: 'web' } });
  await createStream('read', 'db', [], [{ tag: 'v1', items: [event(PLAIN)] }], { labels: { app: 'db' } });
  await createStream('read-other', 'cache', [], [{ tag: 'v1', items: [event(OTHER)] }]);
});
after(async () => {
  await closeServer();
});

describe('GET (§2.7.2)', () => {
  test('the view: stream metadata, spec tag annotations, the newest event, the image with its metadata filled', async () => {
    const stream = await getStream('read', 'web');
    const res = await request('GET', `${ISTAG('read')}/web:latest`);
    assert.equal(res.status, 200, res.text);
    const istag = res.json;
    assert.equal(istag.kind, 'ImageStreamTag');
    assert.equal(istag.apiVersion, 'image.openshift.io/v1');
    assert.deepEqual(istag.metadata, {
      name: 'web:latest',
      namespace: 'read',
      uid: stream.metadata.uid,
      resourceVersion: stream.metadata.resourceVersion,
      creationTimestamp: '2024-03-01T00:00:00Z',
      labels: { app: 'web' },
      annotations: { color: 'blue' },
    });
    assert.deepEqual(istag.tag, stream.spec.tags.find((t: any) => t.name === 'latest'));
    assert.equal(istag.generation, 2);
    assert.deepEqual(istag.lookupPolicy, { local: false });
    assert.deepEqual(istag.conditions, [{ type: 'ImportSuccess', status: 'False', lastTransitionTime: '2024-03-02T00:00:00Z', reason: 'NotFound', message: 'gone', generation: 3 }]);
    // The event's reference, not the Image's own; spec tag annotations merged into the image's.
    assert.equal(istag.image.dockerImageReference, 'quay.io/app/web:latest');
    assert.deepEqual(istag.image.metadata.annotations, { origin: 'image', color: 'blue', 'image.openshift.io/dockerLayersOrder': 'ascending' });
    assert.equal(istag.image.metadata.name, FULL);
    assert.equal(istag.image.dockerImageManifest, undefined);
    assert.equal(istag.image.dockerImageConfig, undefined);
    assert.equal(istag.image.dockerImageMetadata.Id, sha256(CONFIG_BLOB));
    assert.equal(istag.image.dockerImageMetadata.Config.Hostname, 'builder');
    assert.deepEqual(istag.image.dockerImageLayers, [{ name: digest('1'), size: 1234, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' }]);
  });

  test('a Local reference policy resolves to the stream repository in the integrated registry', async () => {
    const res = await request('GET', `${ISTAG('read')}/web:local`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.image.dockerImageReference, `${REGISTRY}/read/web@${PLAIN}`);
    // No conditions: the field is left out; no spec annotations: no metadata annotations.
    assert.equal('conditions' in res.json, false);
    assert.equal(res.json.metadata.annotations, undefined);
  });

  test('a status-only tag has tag null', async () => {
    const res = await request('GET', `${ISTAG('read')}/web:status-only`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.tag, null);
    assert.equal(res.json.image.dockerImageReference, `quay.io/app/web@${OTHER}`);
  });

  const badNames = ['web', 'web:a:b', 'web@sha256:abc', ':latest', 'web:', 'web:la@test'];
  for (const name of badNames) {
    test(`bad name ${JSON.stringify(name)}: 400`, async () => {
      expectStatus(await request('GET', `${ISTAG('read')}/${encodeURIComponent(name)}`), 400, 'BadRequest', 'ImageStreamTags must be retrieved with <name>:<tag>');
    });
  }

  const notFound: [string, string, string, string][] = [
    ['missing stream', 'nope:latest', 'imagestreams.image.openshift.io "nope" not found', 'imagestreams'],
    ['no status tag', 'web:missing', 'imagestreamtags.image.openshift.io "web:missing" not found', 'imagestreamtags'],
    ['a spec-only tag', 'web:spec-only', 'imagestreamtags.image.openshift.io "web:spec-only" not found', 'imagestreamtags'],
    ['a newest event without image', 'web:noimage', 'imagestreamtags.image.openshift.io "web:noimage" not found', 'imagestreamtags'],
    ['a status tag without history', 'web:failed', 'imagestreamtags.image.openshift.io "web:failed" not found', 'imagestreamtags'],
    ['a deleted Image', 'web:dangling', `images.image.openshift.io "${GONE}" not found`, 'images'],
  ];
  for (const [what, name, message, kind] of notFound) {
    test(`${what}: 404`, async () => {
      const res = await request('GET', `${ISTAG('read')}/${name}`);
      expectStatus(res, 404, 'NotFound', message);
      assert.equal(res.json.details.kind, kind);
    });
  }
});

describe('LIST (§2.7.3)', () => {
  test('one item per status tag with an image, images not read, no list metadata', async () => {
    const res = await request('GET', ISTAG('read'));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'ImageStreamTagList');
    assert.deepEqual(res.json.metadata, {});
    assert.deepEqual(res.json.items.map((i: any) => i.metadata.name).sort(), ['db:v1', 'web:dangling', 'web:latest', 'web:local', 'web:status-only']);
    const latest = res.json.items.find((i: any) => i.metadata.name === 'web:latest');
    assert.deepEqual(latest.image, {
      metadata: { name: FULL, creationTimestamp: null },
      dockerImageReference: 'quay.io/app/web:latest',
      dockerImageMetadata: { kind: 'DockerImage', apiVersion: 'image.openshift.io/1.0', Id: '', Created: null, ContainerConfig: {} },
      dockerImageMetadataVersion: '1.0',
    });
  });

  test('all namespaces', async () => {
    const res = await request('GET', `${GROUP}/imagestreamtags`);
    assert.equal(res.status, 200, res.text);
    const names = res.json.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`);
    assert.ok(names.includes('read-other/cache:v1'));
    assert.ok(names.includes('read/web:latest'));
  });

  const selections: [string, string, string[]][] = [
    ['labelSelector on the stream labels', `${ISTAG('read')}?labelSelector=app%3Ddb`, ['db:v1']],
    ['fieldSelector on the namespace', `${GROUP}/imagestreamtags?fieldSelector=metadata.namespace%3Dread-other`, ['cache:v1']],
    // The stream list gets the same selector: no stream is named `<stream>:<tag>` (Appendix B #5).
    ['fieldSelector on the tag name matches nothing', `${ISTAG('read')}?fieldSelector=metadata.name%3Ddb%3Av1`, []],
    ['fieldSelector on a stream name matches none of its tags', `${ISTAG('read')}?fieldSelector=metadata.name%3Ddb`, []],
  ];
  for (const [what, path, expected] of selections) {
    test(what, async () => {
      const res = await request('GET', path);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.items.map((i: any) => i.metadata.name), expected);
    });
  }

  test('an unknown field selector is a 400', async () => {
    const res = await request('GET', `${ISTAG('read')}?fieldSelector=spec.x%3Dy`);
    assert.equal(res.status, 400, res.text);
  });

  test('watch and deletecollection are not served: 405', async () => {
    assert.equal((await request('GET', `${ISTAG('read')}?watch=true`)).status, 405);
    assert.equal((await request('DELETE', ISTAG('read'))).status, 405);
  });
});

describe('POST (§2.7.4)', () => {
  test('adds a spec tag to an existing stream, named after the object, with the annotations sent', async () => {
    await createStream('create', 'app', []);
    const res = await request('POST', ISTAG('create'), {
      body: { metadata: { name: 'app:v1', annotations: { a: 'b' } }, tag: { annotations: { a: 'b' }, from: { kind: 'DockerImage', name: 'quay.io/app/web:1' }, reference: true } },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.metadata.name, 'app:v1');
    assert.deepEqual(res.json.tag, { name: 'v1', annotations: { a: 'b' }, from: { kind: 'DockerImage', name: 'quay.io/app/web:1' }, reference: true, generation: 2, importPolicy: { importMode: 'Legacy' }, referencePolicy: { type: 'Source' } });
    // The reference tag resolved to an event without image: the answer carries the empty one.
    assert.equal(res.json.generation, 0);
    assert.deepEqual(res.json.image.metadata, { creationTimestamp: null });
    const stream = await getStream('create', 'app');
    assert.deepEqual(stream.spec.tags.map((t: any) => [t.name, t.annotations]), [['v1', { a: 'b' }]]);
    assert.equal(stream.metadata.generation, 2);
  });

  test('metadata annotations are not copied when tag.annotations is null', async () => {
    const res = await request('POST', ISTAG('create'), { body: { metadata: { name: 'app:v2', annotations: { a: 'b' } }, tag: { from: { kind: 'DockerImage', name: 'quay.io/app/web:2' } } } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.tag.annotations, null);
  });

  test('creates the stream when it is missing', async () => {
    const res = await request('POST', ISTAG('create'), { body: { metadata: { name: 'fresh:v1' }, tag: { from: { kind: 'DockerImage', name: 'quay.io/app/web:1' } } } });
    assert.equal(res.status, 201, res.text);
    const stream = await getStream('create', 'fresh');
    assert.equal(stream.metadata.generation, 1);
    assert.deepEqual(stream.spec.tags.map((t: any) => t.name), ['v1']);
  });

  test('without tag: a no-op on an existing stream, an empty new stream otherwise (Appendix B #4)', async () => {
    const before = await getStream('create', 'app');
    const res = await request('POST', ISTAG('create'), { body: { metadata: { name: 'app:none' } } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.tag, null);
    assert.equal((await getStream('create', 'app')).metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal((await request('POST', ISTAG('create'), { body: { metadata: { name: 'empty:none' } } })).status, 201);
    assert.deepEqual((await getStream('create', 'empty')).spec, { lookupPolicy: { local: false } });
  });

  test('an existing spec tag: 409 naming imagestreamtag in the singular', async () => {
    const res = await request('POST', ISTAG('create'), { body: { metadata: { name: 'app:v1' }, tag: { from: { kind: 'DockerImage', name: 'quay.io/x/y:1' } } } });
    expectStatus(res, 409, 'AlreadyExists', 'imagestreamtag.image.openshift.io "app:v1" already exists');
  });

  test('a name without ":" fails after validation: 500 (Appendix B #3)', async () => {
    const res = await request('POST', ISTAG('create'), { body: { metadata: { name: 'app' } } });
    assert.equal(res.status, 500, res.text);
    assert.equal(res.json.message, '"app" must be of the form <stream_name>:<tag>');
    assert.equal(res.json.reason, undefined);
  });

  test('generateName alone: 500 metadata.name was not generated', async () => {
    expectStatus(await request('POST', ISTAG('create'), { body: { metadata: { generateName: 'app:' } } }), 500, 'InternalError', 'Internal error occurred: metadata.name was not generated');
  });

  test('another namespace in the body: 400', async () => {
    expectStatus(
      await request('POST', ISTAG('create'), { body: { metadata: { name: 'app:ns', namespace: 'other' } } }),
      400,
      'BadRequest',
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  });

  const invalids: [string, Record<string, unknown>, string][] = [
    ['metadata.name', { metadata: { name: 'a%b:c' } }, `metadata.name: Invalid value: "a%b:c": may not contain '%'`],
    ['tag.from.kind', { tag: { from: { kind: 'Other', name: 'x' } } }, "tag.from.kind: Required value: valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'"],
    ['tag.from.name required', { tag: { from: { kind: 'ImageStreamTag' } } }, 'tag.from.name: Required value'],
    ['tag.from.name reference', { tag: { from: { kind: 'DockerImage', name: 'Bad Ref' } } }, 'tag.from.name: Invalid value: "Bad Ref": invalid reference format'],
    ['tag.referencePolicy.type', { tag: { referencePolicy: { type: 'Remote' } } }, 'tag.referencePolicy.type: Invalid value: "Remote": valid values are "Source", "Local"'],
    ['tag.importPolicy.importMode', { tag: { importPolicy: { importMode: 'Fast' } } }, "tag.importPolicy.importMode: Invalid value: \"Fast\": invalid import mode, valid modes are '', 'Legacy', 'PreserveOriginal'"],
    [
      'tag.importPolicy.scheduled',
      { tag: { from: { kind: 'ImageStreamTag', name: 'other:1' }, importPolicy: { scheduled: true } } },
      'tag.importPolicy.scheduled: Invalid value: true: only tags pointing to Docker repositories may be scheduled for background import',
    ],
    [
      'tag.annotations',
      { metadata: { annotations: { a: 'b' } }, tag: { annotations: { a: 'c' } } },
      'tag.annotations: Invalid value: "<map>": tag annotations must not be provided or must be equal to the object meta annotations',
    ],
  ];
  for (const [rule, body, message] of invalids) {
    test(`422 ${rule}`, async () => {
      const name = (body.metadata as any)?.name ?? 'app:invalid';
      const res = await request('POST', ISTAG('create'), { body: { ...body, metadata: { name, ...(body.metadata as object) } } });
      expectStatus(res, 422, 'Invalid', `ImageStreamTag.image.openshift.io "${name}" is invalid: ${message}`);
      assert.equal(res.json.details.kind, 'ImageStreamTag');
    });
  }

  test('a stream name ImageStreams refuse: the stream create fails with 422 kind ImageStream', async () => {
    const res = await request('POST', ISTAG('create'), { body: { metadata: { name: 'Bad:v1' } } });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json.details.kind, 'ImageStream');
    assert.match(res.json.message, /^ImageStream\.image\.openshift\.io "Bad" is invalid: metadata\.name: Invalid value: "Bad": must match/);
  });

  test('dryRun=All persists nothing', async () => {
    const before = await getStream('create', 'app');
    const res = await request('POST', `${ISTAG('create')}?dryRun=All`, { body: { metadata: { name: 'app:dry' }, tag: { from: { kind: 'DockerImage', name: 'quay.io/app/web:dry' } } } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.tag.name, 'dry');
    assert.equal((await getStream('create', 'app')).metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal((await request('POST', `${ISTAG('create')}?dryRun=All`, { body: { metadata: { name: 'drystream:v1' } } })).status, 201);
    assert.equal((await request('GET', `${IS('create')}/drystream`)).status, 404);
  });
});

describe('PUT and PATCH (§2.7.5)', () => {
  const ocTag = (name: string, from: string) => ({ metadata: { name }, tag: { name: name.split(':')[1], from: { kind: 'DockerImage', name: from }, generation: 0, importPolicy: {}, referencePolicy: { type: 'Source' } } });

  test('oc tag: a blind PUT adds a spec tag (201), then replaces it (200)', async () => {
    await createStream('update', 'app', [], [{ tag: 'pushed', items: [event(PLAIN)] }], { labels: { team: 'x' } });
    let res = await request('PUT', `${ISTAG('update')}/app:v1`, { body: ocTag('app:v1', 'quay.io/app/web:1') });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.tag.from.name, 'quay.io/app/web:1');
    res = await request('PUT', `${ISTAG('update')}/app:v1`, { body: ocTag('app:v1', 'quay.io/app/web:2') });
    assert.equal(res.status, 200, res.text);
    const stream = await getStream('update', 'app');
    assert.equal(stream.spec.tags[0].from.name, 'quay.io/app/web:2');
    assert.equal(stream.metadata.generation, 3);
  });

  test('a blind PUT on a missing stream creates it (201)', async () => {
    const res = await request('PUT', `${ISTAG('update')}/made:v1`, { body: ocTag('made:v1', 'quay.io/app/web:1') });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual((await getStream('update', 'made')).spec.tags.map((t: any) => t.name), ['v1']);
  });

  test('a resourceVersion on a missing stream: 404 imagestreamtags', async () => {
    const res = await request('PUT', `${ISTAG('update')}/ghost:v1`, { body: { ...ocTag('ghost:v1', 'quay.io/a/b:1'), metadata: { name: 'ghost:v1', resourceVersion: '5' } } });
    expectStatus(res, 404, 'NotFound', 'imagestreamtags.image.openshift.io "ghost:v1" not found');
  });

  test('a stale resourceVersion: 409 naming the current one', async () => {
    const current = await getStream('update', 'app');
    const res = await request('PUT', `${ISTAG('update')}/app:v1`, { body: { ...ocTag('app:v1', 'quay.io/a/b:1'), metadata: { name: 'app:v1', resourceVersion: '1' } } });
    expectStatus(res, 409, 'Conflict', `Operation cannot be fulfilled on imagestreamtags.image.openshift.io "app:v1": another caller has updated the resource version to ${current.metadata.resourceVersion}`);
  });

  test('a status-only tag without tag in the request: 400', async () => {
    const res = await request('PUT', `${ISTAG('update')}/app:pushed`, { body: { metadata: { name: 'app:pushed' }, tag: null } });
    expectStatus(res, 400, 'BadRequest', 'imagestreamtag pushed is not a spec tag in imagestream update/app, cannot be updated');
  });

  test('bad name: 400', async () => {
    expectStatus(await request('PUT', `${ISTAG('update')}/app`, { body: { metadata: { name: 'app' } } }), 400, 'BadRequest', 'ImageStreamTags must be retrieved with <name>:<tag>');
  });

  test('a body naming another object: 400', async () => {
    expectStatus(
      await request('PUT', `${ISTAG('update')}/app:v1`, { body: ocTag('app:v2', 'quay.io/a/b:1') }),
      400,
      'BadRequest',
      'the name of the object (app:v2) does not match the name on the URL (app:v1)',
    );
  });

  test('GET, edit annotations, PUT: the spec tag takes the annotations; lookupPolicy changes are ignored', async () => {
    await request('PUT', `${ISTAG('update')}/app:pushed`, { body: ocTag('app:pushed', 'quay.io/app/web:p') });
    const istag = (await request('GET', `${ISTAG('update')}/app:pushed`)).json;
    istag.metadata.annotations = { note: 'hi' };
    istag.lookupPolicy = { local: true };
    const res = await request('PUT', `${ISTAG('update')}/app:pushed`, { body: istag });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.tag.annotations, { note: 'hi' });
    assert.deepEqual(res.json.metadata.annotations, { note: 'hi' });
    const stream = await getStream('update', 'app');
    assert.deepEqual(stream.spec.tags.find((t: any) => t.name === 'pushed').annotations, { note: 'hi' });
    assert.deepEqual(stream.spec.lookupPolicy, { local: false });
  });

  test('labels left out are the stream labels; changed labels: 422', async () => {
    const istag = (await request('GET', `${ISTAG('update')}/app:pushed`)).json;
    delete istag.metadata.labels;
    assert.equal((await request('PUT', `${ISTAG('update')}/app:pushed`, { body: istag })).status, 200);
    const again = (await request('GET', `${ISTAG('update')}/app:pushed`)).json;
    again.metadata.labels = { team: 'y' };
    const res = await request('PUT', `${ISTAG('update')}/app:pushed`, { body: again });
    expectStatus(res, 422, 'Invalid', 'ImageStreamTag.image.openshift.io "app:pushed" is invalid: metadata: Invalid value: "": may not update fields other than metadata.annotations');
  });

  test('update validation: the tag reference rules apply', async () => {
    const res = await request('PUT', `${ISTAG('update')}/app:v1`, { body: { metadata: { name: 'app:v1' }, tag: { from: { kind: 'DockerImage', name: 'quay.io/a/b:1' }, referencePolicy: { type: 'Bogus' } } } });
    expectStatus(res, 422, 'Invalid', 'ImageStreamTag.image.openshift.io "app:v1" is invalid: tag.referencePolicy.type: Invalid value: "Bogus": valid values are "Source", "Local"');
  });

  test('merge PATCH changes the source', async () => {
    const res = await request('PATCH', `${ISTAG('update')}/app:v1`, { body: { tag: { from: { kind: 'DockerImage', name: 'quay.io/app/web:patched' } } }, contentType: 'application/merge-patch+json' });
    assert.equal(res.status, 200, res.text);
    assert.equal((await getStream('update', 'app')).spec.tags.find((t: any) => t.name === 'v1').from.name, 'quay.io/app/web:patched');
  });

  test('PATCH of a tag whose stream is missing creates the stream', async () => {
    const res = await request('PATCH', `${ISTAG('update')}/patched:v1`, { body: { tag: { from: { kind: 'DockerImage', name: 'quay.io/app/web:1' } } }, contentType: 'application/merge-patch+json' });
    assert.ok(res.status === 200 || res.status === 201, res.text);
    assert.deepEqual((await getStream('update', 'patched')).spec.tags.map((t: any) => t.name), ['v1']);
  });

  test('dryRun=All persists nothing', async () => {
    const before = await getStream('update', 'app');
    const res = await request('PUT', `${ISTAG('update')}/app:v9?dryRun=All`, { body: ocTag('app:v9', 'quay.io/app/web:9') });
    assert.equal(res.status, 201, res.text);
    assert.equal((await getStream('update', 'app')).metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal((await request('PUT', `${ISTAG('update')}/drymade:v1?dryRun=All`, { body: ocTag('drymade:v1', 'quay.io/a/b:1') })).status, 201);
    assert.equal((await request('GET', `${IS('update')}/drymade`)).status, 404);
  });
});

describe('DELETE (§2.7.6)', () => {
  before(async () => {
    await createStream('delete', 'app', [dockerTag('both', 'quay.io/app/web:both'), dockerTag('spec', 'quay.io/app/web:spec')], [
      { tag: 'both', items: [event(PLAIN)] },
      { tag: 'status', items: [event(OTHER)] },
    ]);
  });

  test('dryRun=All removes nothing', async () => {
    const before = await getStream('delete', 'app');
    const res = await request('DELETE', `${ISTAG('delete')}/app:both?dryRun=All`);
    assert.equal(res.status, 200, res.text);
    assert.equal((await getStream('delete', 'app')).metadata.resourceVersion, before.metadata.resourceVersion);
  });

  test('removes spec and status tag and answers the bare Success Status; the image stays', async () => {
    const res = await request('DELETE', `${ISTAG('delete')}/app:both`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
    const stream = await getStream('delete', 'app');
    assert.deepEqual(stream.spec.tags.map((t: any) => t.name), ['spec']);
    assert.deepEqual(stream.status.tags.map((t: any) => t.tag), ['status']);
    assert.equal(stream.metadata.generation, 2);
    assert.equal((await request('GET', `${IMAGES}/${PLAIN}`)).status, 200);
  });

  test('a spec-only or status-only tag goes too', async () => {
    assert.equal((await request('DELETE', `${ISTAG('delete')}/app:spec`)).status, 200);
    assert.equal((await request('DELETE', `${ISTAG('delete')}/app:status`)).status, 200);
    const stream = await getStream('delete', 'app');
    assert.equal(stream.spec.tags, undefined);
    assert.equal(stream.status.tags, undefined);
  });

  const failures: [string, string, unknown, number, string, string][] = [
    ['bad name', 'app', undefined, 400, 'BadRequest', 'ImageStreamTags must be retrieved with <name>:<tag>'],
    ['missing stream', 'nope:x', undefined, 404, 'NotFound', 'imagestreams.image.openshift.io "nope" not found'],
    ['tag in neither spec nor status', 'app:both', undefined, 404, 'NotFound', 'imagestreamtags.image.openshift.io "app:both" not found'],
    ['uid precondition', 'app:x', { preconditions: { uid: 'other' } }, 409, 'Conflict', 'Operation cannot be fulfilled on imagestreamtags.image.openshift.io "app:x": the UID precondition was not met'],
  ];
  for (const [what, name, body, code, reason, message] of failures) {
    test(`${what}: ${code}`, async () => {
      expectStatus(await request('DELETE', `${ISTAG('delete')}/${name}`, { body }), code, reason, message);
    });
  }

  test('a resourceVersion precondition is ignored', async () => {
    await request('PUT', `${ISTAG('delete')}/app:rv`, { body: { metadata: { name: 'app:rv' }, tag: { from: { kind: 'DockerImage', name: 'quay.io/a/b:1' } } } });
    const res = await request('DELETE', `${ISTAG('delete')}/app:rv`, { body: { preconditions: { resourceVersion: '1' } } });
    assert.equal(res.status, 200, res.text);
  });
});

describe('registry allow-list', () => {
  const ALLOWED = [{ domainName: 'quay.io' }, { domainName: 'insecure.example', insecure: true }];
  before(async () => {
    const res = await request('POST', CONFIG, { body: { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { allowedRegistriesForImport: ALLOWED } } });
    assert.equal(res.status, 201, res.text);
    await createStream('allow', 'app', []);
  });
  after(async () => {
    await request('DELETE', `${CONFIG}/cluster`);
  });

  test('a source outside the list is Forbidden at tag.from.name', async () => {
    const res = await request('POST', ISTAG('allow'), { body: { metadata: { name: 'app:bad' }, tag: { from: { kind: 'DockerImage', name: 'evil.io/a/b:1' } } } });
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(res.json.details.causes.map((c: any) => [c.field, c.reason]), [['tag.from.name', 'FieldValueForbidden']]);
    assert.match(res.json.message, /tag\.from\.name: Forbidden: registry "evil\.io" not allowed by whitelist/);
  });

  const transports: [string, Record<string, unknown>, Record<string, unknown>, number][] = [
    ['a plain HTTP registry is refused over TLS', {}, {}, 422],
    ['tag.importPolicy.insecure accepts it', {}, { importPolicy: { insecure: true } }, 201],
    ['the insecure repository annotation accepts it', { 'openshift.io/image.insecureRepository': 'true' }, {}, 201],
  ];
  transports.forEach(([what, annotations, tag, code], i) => {
    test(what, async () => {
      const res = await request('POST', ISTAG('allow'), { body: { metadata: { name: `app:http${i}`, annotations }, tag: { from: { kind: 'DockerImage', name: 'insecure.example/a/b:1' }, ...tag } } });
      assert.equal(res.status, code, res.text);
    });
  });

  test('the integrated registry is always allowed', async () => {
    const ok = await request('POST', ISTAG('allow'), { body: { metadata: { name: 'app:internal' }, tag: { from: { kind: 'DockerImage', name: `${REGISTRY}/allow/x:1` } } } });
    assert.equal(ok.status, 201, ok.text);
  });

  test('an update keeps the old DockerImage source allowed (grandfathered)', async () => {
    await request('DELETE', `${CONFIG}/cluster`);
    assert.equal((await request('PUT', `${ISTAG('allow')}/app:old`, { body: { metadata: { name: 'app:old' }, tag: { from: { kind: 'DockerImage', name: 'docker.io/library/busybox:1' } } } })).status, 201);
    await request('POST', CONFIG, { body: { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { allowedRegistriesForImport: ALLOWED } } });
    const istag = { metadata: { name: 'app:old', annotations: { touched: 'yes' } }, tag: { from: { kind: 'DockerImage', name: 'docker.io/library/busybox:1' } } };
    const res = await request('PUT', `${ISTAG('allow')}/app:old`, { body: istag });
    assert.equal(res.status, 200, res.text);
  });
});

describe('table (§5.3)', () => {
  test('Name, Image Reference, Updated, and the wide Image Name', async () => {
    const res = await request('GET', `${ISTAG('read')}/web:latest`, { accept: TABLE });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.columnDefinitions.map((c: any) => [c.name, c.type, c.format, c.priority]), [
      ['Name', 'string', 'name', 0],
      ['Image Reference', 'string', '', 0],
      ['Updated', 'string', '', 0],
      ['Image Name', 'string', '', 1],
    ]);
    const [name, ref, updated, image] = res.json.rows[0].cells;
    assert.deepEqual([name, ref, image], ['web:latest', 'quay.io/app/web:latest', FULL]);
    assert.match(updated, / ago$/);
    const list = await request('GET', ISTAG('read'), { accept: TABLE });
    assert.equal(list.json.rows.length, 5);
  });
});

describe('retries', () => {
  test('a blind write is tried 4 times on conflicts (client-go DefaultBackoff), then the last conflict is answered', async () => {
    let calls = 0;
    await assert.rejects(
      retryOnConflict(async () => ({ conflict: new Error(`conflict ${++calls}`) }), () => 0),
      /conflict 4/,
    );
    assert.equal(calls, 4);
  });

  test('an answer ends the retries', async () => {
    let calls = 0;
    assert.equal(await retryOnConflict(async () => (++calls < 3 ? { conflict: new Error('again') } : { result: 'done' }), () => 0), 'done');
    assert.equal(calls, 3);
  });

  test('creates and deletes that keep conflicting answer ServerTimeout', () => {
    assert.deepEqual(serverTimeout('image.openshift.io', 'imagestreamtags', 'create', 2).status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'The create operation against imagestreamtags.image.openshift.io could not be completed at this time, please try again.',
      reason: 'ServerTimeout',
      details: { name: 'create', group: 'image.openshift.io', kind: 'imagestreamtags', retryAfterSeconds: 2 },
      code: 500,
    });
  });
});
