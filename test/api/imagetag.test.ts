// imagetags over HTTP (image-api-behavior §2.8, §5.4): the view's shape, every BadRequest and NotFound path of GET,
// LIST, POST, PUT/PATCH and DELETE, the validation rules (upstream TestCreateImageTag / TestUpdateImageTag), dry runs,
// and the Spec/Status columns of upstream's TestImageTag.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { specAndStatus, imageTagTable } from '../../src/apis/image/v1/imagetag/table.js';
import type { ImageTag } from '../../src/apis/image/v1/imagetag/types.js';
import { startTestServer, type TestResponse, type TestServer } from '../support/server.js';

const GROUP = '/apis/image.openshift.io/v1';
const IMAGES = `${GROUP}/images`;
const CONFIG = '/apis/config.openshift.io/v1/images';
const IS = (ns: string) => `${GROUP}/namespaces/${ns}/imagestreams`;
const ITAG = (ns: string) => `${GROUP}/namespaces/${ns}/imagetags`;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const digest = (seed: string) => `sha256:${seed.repeat(64).slice(0, 64)}`;
const IMAGE = digest('a');
const NEWER = digest('b');
const GONE = digest('0');

let srv: TestServer;

function expectStatus(res: TestResponse, code: number, reason: string, message: string): void {
  assert.equal(res.status, code, res.text);
  assert.equal(res.json.reason, reason);
  assert.equal(res.json.message, message);
}

const invalidMessage = (name: string, parts: string[]) => `ImageTag.image.openshift.io "${name}" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`;
const event = (image: string, generation = 1, created = '2024-01-01T00:00:00Z') => ({ created, dockerImageReference: `quay.io/app/web@${image}`, image, generation });
const dockerTag = (name: string, from: string, extra: Record<string, unknown> = {}) => ({ name, from: { kind: 'DockerImage', name: from }, ...extra });
const getStream = async (ns: string, name: string) => (await srv.request('GET', `${IS(ns)}/${name}`)).json;

async function createStream(ns: string, name: string, tags: unknown[], history: unknown[] = [], metadata: Record<string, unknown> = {}): Promise<any> {
  const created = await srv.request('POST', IS(ns), { body: { metadata: { name, ...metadata }, spec: { tags } } });
  assert.equal(created.status, 201, created.text);
  if (history.length === 0) return created.json;
  const res = await srv.request('PUT', `${IS(ns)}/${name}/status`, { body: { ...created.json, status: { dockerImageRepository: '', tags: history } } });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

before(async () => {
  srv = await startTestServer();
  for (const name of [IMAGE, NEWER]) {
    const res = await srv.request('POST', IMAGES, { body: { metadata: { name, annotations: { origin: 'image' } }, dockerImageReference: `quay.io/app/web:own-${name.slice(7, 9)}` } });
    assert.equal(res.status, 201, res.text);
  }
  await createStream('read', 'web', [dockerTag('latest', 'quay.io/app/web:latest', { annotations: { color: 'blue' } }), dockerTag('spec-only', 'quay.io/app/web:s')], [
    { tag: 'latest', items: [event(NEWER, 2), event(IMAGE)], conditions: [{ type: 'ImportSuccess', status: 'False', reason: 'Failed', generation: 2, lastTransitionTime: '2024-01-03T00:00:00Z' }] },
    { tag: 'status-only', items: [event(IMAGE)] },
    { tag: 'dangling', items: [event(GONE)] },
  ], { labels: { app: 'web' }, annotations: { owner: 'me' } });
  await createStream('read', 'api', [dockerTag('z', 'quay.io/a/z:1'), dockerTag('a', 'quay.io/a/a:1')], [{ tag: 'm', items: [event(IMAGE)] }], { labels: { app: 'api' } });
});
after(async () => {
  await srv.close();
});

describe('GET (§2.8.2)', () => {
  test('the stream metadata under the tag name, the spec tag, the whole history and the image', async () => {
    const stream = await getStream('read', 'web');
    const res = await srv.request('GET', `${ITAG('read')}/web:latest`);
    assert.equal(res.status, 200, res.text);
    const itag = res.json;
    assert.equal(itag.kind, 'ImageTag');
    assert.deepEqual(itag.metadata, { ...stream.metadata, name: 'web:latest' });
    assert.deepEqual(itag.spec, stream.spec.tags.find((t: any) => t.name === 'latest'));
    assert.deepEqual(itag.status, stream.status.tags.find((t: any) => t.tag === 'latest'));
    assert.equal(itag.image.metadata.name, NEWER);
    // The tag's pull spec, and no spec tag annotations merged in (unlike ImageStreamTag).
    assert.equal(itag.image.dockerImageReference, `quay.io/app/web@${NEWER}`);
    assert.deepEqual(itag.image.metadata.annotations, { origin: 'image' });
  });

  const partial: [string, string, (itag: any) => void][] = [
    ['a spec-only tag has status and image null', 'web:spec-only', (itag) => assert.deepEqual([itag.status, itag.image, itag.spec.name], [null, null, 'spec-only'])],
    ['a status-only tag has spec null', 'web:status-only', (itag) => assert.deepEqual([itag.spec, itag.image.metadata.name], [null, IMAGE])],
    ['a deleted Image leaves image null', 'web:dangling', (itag) => assert.deepEqual([itag.image, itag.status.items[0].image], [null, GONE])],
  ];
  for (const [what, name, check] of partial) {
    test(what, async () => {
      const res = await srv.request('GET', `${ITAG('read')}/${name}`);
      assert.equal(res.status, 200, res.text);
      check(res.json);
    });
  }

  for (const name of ['web', 'web:a:b', 'web@x', ':x', 'web:']) {
    test(`bad name ${JSON.stringify(name)}: 400`, async () => {
      expectStatus(await srv.request('GET', `${ITAG('read')}/${encodeURIComponent(name)}`), 400, 'BadRequest', 'ImageTags must be retrieved with <name>:<tag>');
    });
  }

  test('missing stream: 404 imagestreams', async () => {
    expectStatus(await srv.request('GET', `${ITAG('read')}/nope:x`), 404, 'NotFound', 'imagestreams.image.openshift.io "nope" not found');
  });

  test('a tag neither spec nor status has: 404 imagetags', async () => {
    const res = await srv.request('GET', `${ITAG('read')}/web:nothing`);
    expectStatus(res, 404, 'NotFound', 'imagetags.image.openshift.io "web:nothing" not found');
    assert.equal(res.json.details.kind, 'imagetags');
  });
});

describe('LIST (§2.8.3)', () => {
  test('every spec or status tag, by stream and then tag, without images or list metadata', async () => {
    const res = await srv.request('GET', ITAG('read'));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'ImageTagList');
    assert.deepEqual(res.json.metadata, {});
    assert.deepEqual(res.json.items.map((i: any) => i.metadata.name), ['api:a', 'api:m', 'api:z', 'web:dangling', 'web:latest', 'web:spec-only', 'web:status-only']);
    assert.ok(res.json.items.every((i: any) => i.image === null));
  });

  const selections: [string, string, string[]][] = [
    ['labelSelector', `${ITAG('read')}?labelSelector=app%3Dapi`, ['api:a', 'api:m', 'api:z']],
    ['fieldSelector on the namespace, all namespaces', `${GROUP}/imagetags?fieldSelector=metadata.namespace%3Dread&labelSelector=app%3Dweb`, ['web:dangling', 'web:latest', 'web:spec-only', 'web:status-only']],
    ['fieldSelector on a tag name matches no stream', `${ITAG('read')}?fieldSelector=metadata.name%3Dapi%3Aa`, []],
  ];
  for (const [what, path, expected] of selections) {
    test(what, async () => {
      const res = await srv.request('GET', path);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.items.map((i: any) => i.metadata.name), expected);
    });
  }

  test('watch and deletecollection are not served: 405', async () => {
    assert.equal((await srv.request('GET', `${ITAG('read')}?watch=1`)).status, 405);
    assert.equal((await srv.request('DELETE', ITAG('read'))).status, 405);
  });
});

describe('POST (§2.8.4)', () => {
  test('valid itag: the spec tag is stored, the answer has the stream metadata, status and image null', async () => {
    const stream = await createStream('create', 'test', [], [], { labels: { a: 'b' }, annotations: { blue: 'green' } });
    const res = await srv.request('POST', ITAG('create'), { body: { metadata: { name: 'test:tag' }, spec: { from: { kind: 'DockerImage', name: 'foo/bar/baz' }, referencePolicy: { type: 'Source' } } } });
    assert.equal(res.status, 201, res.text);
    const generation = stream.metadata.generation + 1;
    assert.equal(res.json.metadata.name, 'test:tag');
    assert.equal(res.json.metadata.generation, generation);
    assert.deepEqual(res.json.metadata.labels, { a: 'b' });
    assert.deepEqual(res.json.metadata.annotations, { blue: 'green' });
    assert.deepEqual(res.json.spec, { name: 'tag', annotations: null, from: { kind: 'DockerImage', name: 'foo/bar/baz' }, generation, importPolicy: { importMode: 'Legacy' }, referencePolicy: { type: 'Source' } });
    assert.equal(res.json.status, null);
    assert.equal(res.json.image, null);
  });

  test('creates the stream when it is missing', async () => {
    const res = await srv.request('POST', ITAG('create'), { body: { metadata: { name: 'fresh:v1' }, spec: { from: { kind: 'DockerImage', name: 'quay.io/a/b:1' } } } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.metadata.generation, 1);
    assert.deepEqual((await getStream('create', 'fresh')).spec.tags.map((t: any) => t.name), ['v1']);
  });

  test('an existing spec tag: 409', async () => {
    const res = await srv.request('POST', ITAG('create'), { body: { metadata: { name: 'test:tag' }, spec: { from: { kind: 'DockerImage', name: 'quay.io/a/b:1' } } } });
    expectStatus(res, 409, 'AlreadyExists', 'imagetags.image.openshift.io "test:tag" already exists');
  });

  const invalids: [string, string, Record<string, unknown>, string[]][] = [
    ['spec is required', 'test:nospec', {}, ['spec: Required value: spec is a required field during creation']],
    ['spec.name must match the tag', 'test:one', { spec: { name: 'two' } }, ['spec.name: Invalid value: "two": must match image tag name']],
    // Without `:` the tag defaults to latest and can never match (the 500 of ImageStreamTag is not reached).
    ['a name without ":"', 'test', { spec: {} }, ['spec.name: Invalid value: "latest": must match image tag name']],
    ['spec.from.kind', 'test:kind', { spec: { from: { kind: 'Pod', name: 'x' } } }, ["spec.from.kind: Required value: valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'"]],
    ['spec.from.name', 'test:fromname', { spec: { from: { kind: 'DockerImage', name: 'quay.io/UPPER:1' } } }, ['spec.from.name: Invalid value: "quay.io/UPPER:1": repository name must be lowercase']],
    ['spec.referencePolicy.type', 'test:policy', { spec: { referencePolicy: { type: 'x' } } }, ['spec.referencePolicy.type: Invalid value: "x": valid values are "Source", "Local"']],
    ['metadata.name', 'te%st:x', { spec: {} }, [`metadata.name: Invalid value: "te%st:x": may not contain '%'`]],
  ];
  for (const [what, name, body, parts] of invalids) {
    test(`422 ${what}`, async () => {
      const res = await srv.request('POST', ITAG('create'), { body: { metadata: { name }, ...body } });
      expectStatus(res, 422, 'Invalid', invalidMessage(name, parts));
      assert.equal(res.json.details.kind, 'ImageTag');
    });
  }

  test('generateName alone: 500', async () => {
    expectStatus(await srv.request('POST', ITAG('create'), { body: { metadata: { generateName: 'x:' }, spec: {} } }), 500, 'InternalError', 'Internal error occurred: metadata.name was not generated');
  });

  test('the registry allow-list: Forbidden at spec.from.name', async () => {
    await srv.request('POST', CONFIG, { body: { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { allowedRegistriesForImport: [{ domainName: 'quay.io' }] } } });
    try {
      const res = await srv.request('POST', ITAG('create'), { body: { metadata: { name: 'test:evil' }, spec: { from: { kind: 'DockerImage', name: 'evil.io/a/b:1' } } } });
      assert.equal(res.status, 422, res.text);
      assert.deepEqual(res.json.details.causes.map((c: any) => [c.field, c.reason]), [['spec.from.name', 'FieldValueForbidden']]);
    } finally {
      await srv.request('DELETE', `${CONFIG}/cluster`);
    }
  });

  test('dryRun=All persists nothing', async () => {
    const before = await getStream('create', 'test');
    const res = await srv.request('POST', `${ITAG('create')}?dryRun=All`, { body: { metadata: { name: 'test:dry' }, spec: { from: { kind: 'DockerImage', name: 'quay.io/a/b:1' } } } });
    assert.equal(res.status, 201, res.text);
    assert.equal((await getStream('create', 'test')).metadata.resourceVersion, before.metadata.resourceVersion);
  });
});

describe('PUT and PATCH (§2.8.5)', () => {
  let itag: any;
  before(async () => {
    await createStream('update', 'test', [], [{ tag: 'tag', items: [event(IMAGE)] }], { labels: { a: 'b' } });
    itag = (await srv.request('GET', `${ITAG('update')}/test:tag`)).json;
  });
  const put = (name: string, body: unknown, query = '') => srv.request('PUT', `${ITAG('update')}/${name}${query}`, { body });

  test('valid itag: resending the status adds the spec tag (201)', async () => {
    const res = await put('test:tag', { ...itag, spec: { name: 'tag', from: { kind: 'DockerImage', name: 'foo/bar/baz' } } });
    assert.equal(res.status, 201, res.text);
    const stream = await getStream('update', 'test');
    assert.equal(res.json.spec.generation, stream.metadata.generation);
    assert.deepEqual(res.json.status, itag.status);
    assert.equal(res.json.image.metadata.name, IMAGE);
  });

  test('no-op update: 200', async () => {
    const current = (await srv.request('GET', `${ITAG('update')}/test:tag`)).json;
    const res = await put('test:tag', current);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.metadata.resourceVersion, current.metadata.resourceVersion);
  });

  test('tag annotation update replaces spec.annotations', async () => {
    const current = (await srv.request('GET', `${ITAG('update')}/test:tag`)).json;
    const res = await put('test:tag', { ...current, spec: { ...current.spec, annotations: { new: 'one' } } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.spec.annotations, { new: 'one' });
  });

  const rejected: [string, (current: any) => any, string[]][] = [
    ['requires status to be unchanged', (c) => ({ ...c, status: { ...c.status, items: c.status.items.map(({ generation: _g, ...e }: any) => e) } }), ['status: Invalid value: "": may not update fields other than spec']],
    ['tag name update fails', (c) => ({ ...c, spec: { ...c.spec, name: 'other' } }), ['spec.name: Invalid value: "other": must match image tag name']],
    ['attempted metadata update', (c) => ({ ...c, metadata: { ...c.metadata, labels: { a: 'changed' } } }), ['metadata: Invalid value: "": may not update fields other than spec']],
    ['invalid spec', (c) => ({ ...c, spec: { ...c.spec, referencePolicy: { type: 'Other' } } }), ['spec.referencePolicy.type: Invalid value: "Other": valid values are "Source", "Local"']],
  ];
  for (const [what, edit, parts] of rejected) {
    test(`422 ${what}`, async () => {
      const current = (await srv.request('GET', `${ITAG('update')}/test:tag`)).json;
      expectStatus(await put('test:tag', edit(current)), 422, 'Invalid', invalidMessage('test:tag', parts));
    });
  }

  test('spec null removes the spec tag; the history stays', async () => {
    const current = (await srv.request('GET', `${ITAG('update')}/test:tag`)).json;
    const res = await put('test:tag', { ...current, spec: null });
    assert.equal(res.status, 200, res.text);
    const stream = await getStream('update', 'test');
    assert.equal(stream.spec.tags, undefined);
    assert.deepEqual(stream.status.tags.map((t: any) => t.tag), ['tag']);
  });

  test('valid spec with new image stream: 201 and the stream at generation 1', async () => {
    const res = await put('brandnew:v1', { metadata: { name: 'brandnew:v1' }, spec: { from: { kind: 'DockerImage', name: 'quay.io/a/b:1' } } });
    assert.equal(res.status, 201, res.text);
    assert.equal((await getStream('update', 'brandnew')).metadata.generation, 1);
  });

  test('nil spec on a new stream: 422', async () => {
    expectStatus(await put('brandnew2:v1', { metadata: { name: 'brandnew2:v1' }, spec: null }), 422, 'Invalid', invalidMessage('brandnew2:v1', ['spec: Required value: spec is a required field during creation']));
  });

  test('a resourceVersion on a missing stream: 404 imagetags', async () => {
    expectStatus(await put('ghost:v1', { metadata: { name: 'ghost:v1', resourceVersion: '3' }, spec: {} }), 404, 'NotFound', 'imagetags.image.openshift.io "ghost:v1" not found');
  });

  test('a stale resourceVersion: 409', async () => {
    const current = (await srv.request('GET', `${ITAG('update')}/test:tag`)).json;
    const res = await put('test:tag', { ...current, metadata: { ...current.metadata, resourceVersion: '2' } });
    expectStatus(res, 409, 'Conflict', `Operation cannot be fulfilled on imagetags.image.openshift.io "test:tag": another caller has updated the resource version to ${current.metadata.resourceVersion}`);
  });

  test('bad name: 400', async () => {
    expectStatus(await put('test', { metadata: { name: 'test' } }), 400, 'BadRequest', 'ImageTags must be retrieved with <name>:<tag>');
  });

  test('merge PATCH of the spec', async () => {
    const res = await srv.request('PATCH', `${ITAG('update')}/test:tag`, { body: { spec: { name: 'tag', from: { kind: 'DockerImage', name: 'quay.io/a/patched:1' } } }, contentType: 'application/merge-patch+json' });
    assert.ok(res.status === 200 || res.status === 201, res.text);
    assert.equal((await getStream('update', 'test')).spec.tags[0].from.name, 'quay.io/a/patched:1');
  });

  test('dryRun=All persists nothing', async () => {
    const before = await getStream('update', 'test');
    const current = (await srv.request('GET', `${ITAG('update')}/test:tag`)).json;
    const res = await put('test:tag', { ...current, spec: { ...current.spec, name: 'tag', annotations: { dry: 'run' } } }, '?dryRun=All');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.spec.annotations, { dry: 'run' });
    assert.equal((await getStream('update', 'test')).metadata.resourceVersion, before.metadata.resourceVersion);
  });
});

describe('DELETE (§2.8.6)', () => {
  before(async () => {
    await createStream('delete', 'app', [dockerTag('both', 'quay.io/a/b:1')], [{ tag: 'both', items: [event(IMAGE)] }]);
  });

  test('removes spec and status tag: the bare Success Status', async () => {
    const res = await srv.request('DELETE', `${ITAG('delete')}/app:both`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
    const stream = await getStream('delete', 'app');
    assert.equal(stream.spec.tags, undefined);
    assert.equal(stream.status.tags, undefined);
  });

  const failures: [string, string, unknown, number, string, string][] = [
    ['bad name', 'app', undefined, 400, 'BadRequest', 'ImageTags must be retrieved with <name>:<tag>'],
    ['missing stream', 'nope:x', undefined, 404, 'NotFound', 'imagestreams.image.openshift.io "nope" not found'],
    ['tag in neither spec nor status', 'app:both', undefined, 404, 'NotFound', 'imagetags.image.openshift.io "app:both" not found'],
    ['uid precondition', 'app:both', { preconditions: { uid: 'other' } }, 409, 'Conflict', 'Operation cannot be fulfilled on imagetags.image.openshift.io "app:both": the UID precondition was not met'],
  ];
  for (const [what, name, body, code, reason, message] of failures) {
    test(`${what}: ${code}`, async () => {
      expectStatus(await srv.request('DELETE', `${ITAG('delete')}/${name}`, { body }), code, reason, message);
    });
  }

  test('dryRun=All removes nothing', async () => {
    await srv.request('POST', ITAG('delete'), { body: { metadata: { name: 'app:dry' }, spec: { from: { kind: 'DockerImage', name: 'quay.io/a/b:1' } } } });
    assert.equal((await srv.request('DELETE', `${ITAG('delete')}/app:dry?dryRun=All`)).status, 200);
    assert.equal((await srv.request('GET', `${ITAG('delete')}/app:dry`)).status, 200);
  });
});

describe('table (§5.4)', () => {
  const now = new Date('2024-06-10T12:00:00Z');
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ID0 = 'sha256:0000000000';
  const ID2 = 'sha256:0000000002';
  const tag = (name: string, spec: unknown, status: unknown): ImageTag => ({ metadata: { name }, spec: spec as any, status: status as any, image: null });
  const items = (...events: [string, number, string?][]) => events.map(([image, generation, ref]) => ({ created: hoursAgo(48), dockerImageReference: ref ?? '', image, generation }));
  const failed = { type: 'ImportSuccess', status: 'False', reason: 'AbjectFailure', lastTransitionTime: hoursAgo(2), generation: 1 };

  // Upstream TestImageTag: Name, Spec, Status, History, Updated.
  const rows: [ImageTag, string, string, number | null, string][] = [
    [tag('foo:0', null, null), '', '', null, ''],
    [tag('foo:1', { name: '1' }, null), '', '', null, ''],
    [tag('foo:2', { name: '2', from: {} }, null), 'Tag', 'InvalidRefKind', null, ''],
    [tag('foo:3', { name: '3', reference: true, from: { kind: 'DockerImage', name: 'a/b:c' } }, null), 'Ref', 'a/b:c', null, ''],
    [tag('foo:4', { name: '4', from: { kind: 'ImageStreamTag', name: 'b:c' } }, null), 'Tag', 'istag/b:c', null, ''],
    [tag('foo:4a', { name: '4a', from: { kind: 'ImageStreamImage', name: ID0 } }, null), 'Tag', 'InvalidRefName', null, ''],
    [tag('foo:5', { name: '5', importPolicy: { scheduled: true }, from: { kind: 'ImageStreamTag', namespace: 'a', name: 'b:c' } }, null), 'Scheduled', 'istag a/b:c', null, ''],
    [tag('foo:6', { name: '6', from: { kind: 'ImageStreamImage', name: `a@${ID0}` } }, null), 'Tag', `image/${ID0}`, null, ''],
    [tag('foo:7', { name: '7', from: { kind: 'ImageStreamImage', name: `a@${ID0}` } }, { tag: '7', items: null, conditions: [failed] }), 'Tag', 'ImportFailed (AbjectFailure)', null, '2 hours ago'],
    [tag('foo:8', { name: '8', from: { kind: 'ImageStreamImage', name: `a@${ID0}` } }, { tag: '8', items: null, conditions: [{ type: 'ImportSuccess', status: 'True', generation: 1 }] }), 'Tag', `image/${ID0}`, null, ''],
    [tag('foo:9', { name: '9', generation: 2, from: { kind: 'DockerImage', name: 'a/b:c' } }, { tag: '9', items: [{ created: null, dockerImageReference: '', image: ID0, generation: 1 }] }), 'Tag', 'Importing', 1, ''],
    [tag('foo:10', { name: '10', generation: 2, from: { kind: 'DockerImage', name: 'a/b:c' } }, { tag: '10', items: items([ID0, 2], [ID0, 1]), conditions: [{ type: 'ImportSuccess', status: 'True', generation: 2 }] }), 'Tag', `image/${ID0}`, 2, '2 days ago'],
    [tag('foo:11', null, { tag: '11', items: items([ID0, 1]) }), 'Push', `image/${ID0}`, 1, '2 days ago'],
    [tag('foo:12', { name: '12', generation: 3, from: { kind: 'DockerImage', name: 'a/b:c' } }, { tag: '12', items: items([ID2, 4], [ID0, 3]) }), 'Push', `image/${ID2}`, 2, '2 days ago'],
    [tag('foo:13', null, { tag: '13', items: items(['', 1, 'a/b:c']) }), 'Push', 'a/b:c', 1, '2 days ago'],
    [tag('foo:14', { name: '14', generation: 1, from: { kind: 'ImageStreamTag', name: 'other' } }, { tag: '14', items: items([ID2, 1]) }), 'Track', `image/${ID2}`, 1, '2 days ago'],
  ];
  for (const [itag, spec, status, history, updated] of rows) {
    test(`${itag.metadata.name}: ${JSON.stringify([spec, status, history, updated])}`, () => {
      assert.deepEqual(specAndStatus(itag), { spec, status });
      assert.deepEqual(imageTagTable.cells(itag, now), [itag.metadata.name, spec, status, history, updated]);
    });
  }

  test('served as a Table: Name, Spec, Status, History (number), Updated', async () => {
    const res = await srv.request('GET', `${ITAG('read')}/web:latest`, { headers: { accept: TABLE } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.columnDefinitions.map((c: any) => [c.name, c.type]), [['Name', 'string'], ['Spec', 'string'], ['Status', 'string'], ['History', 'number'], ['Updated', 'string']]);
    const [name, spec, status, history, updated] = res.json.rows[0].cells;
    // The newest event's generation (2) is past the spec tag's (1): someone pushed.
    assert.deepEqual([name, spec, status, history], ['web:latest', 'Push', 'ImportFailed (Failed)', 2]);
    assert.match(updated, / ago$/);
  });
});
