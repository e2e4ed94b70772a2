// Strategic merge patch over HTTP: image.openshift.io kinds accept it (merge keys from their schemas),
// config.openshift.io (a CRD upstream) answers 415, and OpenAPI advertises it exactly where it is served.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const IMAGES = '/apis/image.openshift.io/v1/images';
const STREAMS = '/apis/image.openshift.io/v1/namespaces/smp/imagestreams';
const CONFIG = '/apis/config.openshift.io/v1/images';
const SMP = 'application/strategic-merge-patch+json';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const image = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'image.openshift.io/v1',
  kind: 'Image',
  metadata: { name },
  dockerImageReference: `registry.example.com/ns/app@${name}`,
  ...extra,
});
const signature = (imageName: string, name: string) => ({ metadata: { name: `${imageName}@${name}` }, type: 'atomic', content: 'YQ==' });
const owner = (uid: string, name = uid) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid });

const tag = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  from: { kind: 'DockerImage', name: `registry.example.com/ns/app:${name}` },
  ...extra,
});
const stream = (name: string, tags: unknown[]) => ({ apiVersion: 'image.openshift.io/v1', kind: 'ImageStream', metadata: { name }, spec: { tags } });
const tagNames = (obj: { spec?: { tags?: { name: string }[] } }) => (obj.spec?.tags ?? []).map((t) => t.name).sort();

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(async () => {
  await srv.close();
});

const patch = (path: string, body: unknown, query = '') =>
  srv.request('PATCH', `${path}${query}`, { raw: typeof body === 'string' ? body : JSON.stringify(body), contentType: SMP });

async function createImage(name: string, extra: Record<string, unknown> = {}) {
  const res = await srv.request('POST', IMAGES, { body: image(name, extra) });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

describe('Image', () => {
  test('labels merge and null deletes', async () => {
    const name = digest('1');
    await createImage(name, { metadata: { name, labels: { a: '1', b: '2' } } });
    const res = await patch(`${IMAGES}/${name}`, { metadata: { labels: { a: null, c: '3' } } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.metadata.labels, { b: '2', c: '3' });
  });

  test('ownerReferences merge by uid: add, $patch delete, $setElementOrder', async () => {
    const name = digest('2');
    await createImage(name, { metadata: { name, ownerReferences: [owner('u1'), owner('u2')] } });

    const added = await patch(`${IMAGES}/${name}`, {
      metadata: {
        '$setElementOrder/ownerReferences': [{ uid: 'u1' }, { uid: 'u2' }, { uid: 'u3' }],
        ownerReferences: [owner('u3')],
      },
    });
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(added.json.metadata.ownerReferences.map((o: { uid: string }) => o.uid), ['u1', 'u2', 'u3']);

    const changed = await patch(`${IMAGES}/${name}`, { metadata: { ownerReferences: [{ uid: 'u2', name: 'renamed' }] } });
    assert.equal(changed.status, 200, changed.text);
    assert.deepEqual(changed.json.metadata.ownerReferences[1], { ...owner('u2'), name: 'renamed' });

    const deleted = await patch(`${IMAGES}/${name}`, { metadata: { ownerReferences: [{ uid: 'u1', $patch: 'delete' }] } });
    assert.equal(deleted.status, 200, deleted.text);
    assert.deepEqual(deleted.json.metadata.ownerReferences.map((o: { uid: string }) => o.uid), ['u2', 'u3']);

    const reordered = await patch(`${IMAGES}/${name}`, { metadata: { '$setElementOrder/ownerReferences': [{ uid: 'u3' }, { uid: 'u2' }] } });
    assert.equal(reordered.status, 200, reordered.text);
    assert.deepEqual(reordered.json.metadata.ownerReferences.map((o: { uid: string }) => o.uid), ['u3', 'u2']);
  });

  test('finalizers form a set; $deleteFromPrimitiveList removes', async () => {
    const name = digest('3');
    await createImage(name, { metadata: { name, finalizers: ['example.com/a'] } });
    const added = await patch(`${IMAGES}/${name}`, { metadata: { finalizers: ['example.com/a', 'example.com/b'] } });
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(added.json.metadata.finalizers, ['example.com/a', 'example.com/b']);
    const removed = await patch(`${IMAGES}/${name}`, { metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/a', 'example.com/b'] } });
    assert.equal(removed.status, 200, removed.text);
    // Emptied, not dropped: upstream's typed decoding would omit the empty list, this server's store keeps it.
    assert.deepEqual(removed.json.metadata.finalizers ?? [], []);
  });

  test('signatures: added to an image without any; merging into existing ones fails as upstream', async () => {
    const name = digest('4');
    await createImage(name);
    const added = await patch(`${IMAGES}/${name}`, { signatures: [signature(name, 's1')] });
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(added.json.signatures.map((s: { metadata: { name: string } }) => s.metadata.name), [`${name}@s1`]);

    // ImageSignature keeps its name in metadata, so the `name` merge key of Image.signatures is never
    // present: openshift-apiserver fails every merge into a non-empty list with a plain (500) error,
    // whether it adds, deletes or replaces.
    const stored = `map: map[content:YQ== metadata:map[creationTimestamp:<nil> name:${name}@s1] type:atomic] does not contain declared merge key: name`;
    const cases: [unknown, string][] = [
      [{ signatures: [signature(name, 's2')] }, `map: map[content:YQ== metadata:map[name:${name}@s2] type:atomic] does not contain declared merge key: name`],
      [{ signatures: [{ name: `${name}@s1`, $patch: 'delete' }] }, stored],
      [{ signatures: [signature(name, 's3'), { $patch: 'replace' }] }, `map: map[content:YQ== metadata:map[name:${name}@s3] type:atomic] does not contain declared merge key: name`],
      [{ '$setElementOrder/signatures': [{ name: `${name}@s1` }] }, stored],
    ];
    for (const [body, message] of cases) {
      const res = await patch(`${IMAGES}/${name}`, body);
      assert.equal(res.status, 500, res.text);
      assert.equal(res.json.reason, undefined);
      assert.equal(res.json.message, message);
    }

    const cleared = await patch(`${IMAGES}/${name}`, { signatures: null });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(cleared.json.signatures, undefined);
  });

  test('a no-op patch keeps the resourceVersion', async () => {
    const name = digest('5');
    const created = await createImage(name, { metadata: { name, labels: { a: '1' } } });
    const res = await patch(`${IMAGES}/${name}`, { metadata: { labels: { a: '1' } } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.metadata.resourceVersion, created.metadata.resourceVersion);
  });

  test('errors: malformed directives 400, the rest 500 with the Go text', async () => {
    const name = digest('6');
    await createImage(name, { metadata: { name, finalizers: ['example.com/a'], labels: { a: 'b' } } });
    const cases: { body: unknown; code: number; reason?: string; message: string }[] = [
      { body: { metadata: { $deleteFromPrimitiveList: ['x'] } }, code: 400, reason: 'BadRequest', message: 'invalid patch format of primitive list' },
      { body: { metadata: { $setElementOrder: [] } }, code: 400, reason: 'BadRequest', message: 'invalid patch format of setElementOrder list' },
      { body: { metadata: { $retainKeys: 'name' } }, code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
      { body: { metadata: { $retainKeys: ['name'], labels: { a: 'b' } } }, code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
      { body: { metadata: { labels: { $patch: 'bogus' } } }, code: 500, message: 'unknown patch type: bogus in map: map[$patch:bogus]' },
      { body: { metadata: { '$setElementOrder/finalizers': 'x' } }, code: 500, message: 'expected a []interface {}, but received a string' },
      { body: { metadata: { finalizers: [1] } }, code: 500, message: 'list element types are not identical: [[example.com/a] [1]]' },
    ];
    for (const c of cases) {
      const res = await patch(`${IMAGES}/${name}`, c.body);
      assert.equal(res.status, c.code, `${JSON.stringify(c.body)}: ${res.text}`);
      assert.equal(res.json.reason, c.reason);
      assert.equal(res.json.message, c.message);
    }
  });

  test('decode errors are 400 with the decoder text; null is an empty patch', async () => {
    const name = digest('8');
    const created = await createImage(name);
    const bad = await patch(`${IMAGES}/${name}`, '{"metadata":');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.message, 'unexpected end of JSON input');
    const list = await patch(`${IMAGES}/${name}`, '[]');
    assert.equal(list.status, 400);
    assert.equal(list.json.message, 'json: cannot unmarshal array into Go value of type map[string]interface {}');
    const nil = await patch(`${IMAGES}/${name}`, 'null');
    assert.equal(nil.status, 200, nil.text);
    assert.equal(nil.json.metadata.resourceVersion, created.metadata.resourceVersion);
  });

  test('fieldValidation: Strict is 422 showing the patch as Go prints it; Warn warns; Ignore drops', async () => {
    const name = digest('9');
    await createImage(name);
    const body = '{"metadata":{"labels":{"a":"1","a":"2"}},"spec":{"foo":1}}';
    const strict = await patch(`${IMAGES}/${name}`, body, '?fieldValidation=Strict');
    assert.equal(strict.status, 422, strict.text);
    assert.equal(strict.json.details.causes[0].field, 'patch');
    assert.equal(
      strict.json.details.causes[0].message,
      'Invalid value: "map[metadata:map[labels:map[a:2]] spec:map[foo:1]]": strict decoding error: duplicate field "metadata.labels.a", unknown field "spec"',
    );

    const warn = await patch(`${IMAGES}/${name}`, body, '?fieldValidation=Warn');
    assert.equal(warn.status, 200, warn.text);
    assert.equal(warn.headers.get('warning'), '299 - "duplicate field \\"metadata.labels.a\\"", 299 - "unknown field \\"spec\\""');
    assert.deepEqual(warn.json.metadata.labels, { a: '2' });
    assert.equal(warn.json.spec, undefined);

    const ignore = await patch(`${IMAGES}/${name}`, '{"spec":{"bar":1}}', '?fieldValidation=Ignore');
    assert.equal(ignore.status, 200, ignore.text);
    assert.equal(ignore.headers.get('warning'), null);
  });

  test('types other than the supported ones are 415 listing strategic merge patch', async () => {
    const name = digest('a');
    await createImage(name);
    const res = await srv.request('PATCH', `${IMAGES}/${name}`, { raw: '{}', contentType: 'application/apply-patch+cbor' });
    assert.equal(res.status, 415);
    assert.equal(
      res.json.message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    );
  });
});

describe('ImageStream', () => {
  test('spec.tags merge by name: change one, add one, $patch delete one, $setElementOrder', async () => {
    const created = await srv.request('POST', STREAMS, { body: stream('web', [tag('v1'), tag('v2')]) });
    assert.equal(created.status, 201, created.text);

    const changed = await patch(`${STREAMS}/web`, { spec: { tags: [{ name: 'v1', annotations: { note: 'first' } }] } });
    assert.equal(changed.status, 200, changed.text);
    assert.deepEqual(tagNames(changed.json), ['v1', 'v2']);
    const v1 = changed.json.spec.tags.find((t: { name: string }) => t.name === 'v1');
    assert.deepEqual(v1.annotations, { note: 'first' });
    assert.deepEqual(v1.from, tag('v1').from);

    const added = await patch(`${STREAMS}/web`, {
      spec: { '$setElementOrder/tags': [{ name: 'v1' }, { name: 'v2' }, { name: 'v3' }], tags: [tag('v3')] },
    });
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(tagNames(added.json), ['v1', 'v2', 'v3']);

    const deleted = await patch(`${STREAMS}/web`, { spec: { tags: [{ name: 'v2', $patch: 'delete' }] } });
    assert.equal(deleted.status, 200, deleted.text);
    assert.deepEqual(tagNames(deleted.json), ['v1', 'v3']);
  });

  test('a tag without its merge key is a 500 as upstream', async () => {
    await srv.request('POST', STREAMS, { body: stream('nokey', [tag('v1')]) });
    const res = await patch(`${STREAMS}/nokey`, { spec: { tags: [{ annotations: { a: 'b' } }] } });
    assert.equal(res.status, 500, res.text);
    assert.equal(res.json.message, 'map: map[annotations:map[a:b]] does not contain declared merge key: name');
  });
});

describe('config.openshift.io Image (a CRD upstream)', () => {
  test('strategic merge patch is 415 with the CRD list of accepted types', async () => {
    await srv.request('POST', CONFIG, { body: { metadata: { name: 'smp' }, spec: {} } });
    const res = await patch(`${CONFIG}/smp`, { spec: { externalRegistryHostnames: ['x.example.com'] } });
    assert.equal(res.status, 415);
    assert.equal(res.json.reason, 'UnsupportedMediaType');
    assert.equal(
      res.json.message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });
});

describe('OpenAPI', () => {
  const patchContentTypes = async (gv: string) => {
    const index = await srv.request('GET', '/openapi/v3');
    const url: string = index.json.paths[`apis/${gv}`].serverRelativeURL;
    const doc = (await srv.request('GET', url)).json;
    const out = new Map<string, string[]>();
    for (const [path, item] of Object.entries<Record<string, { requestBody?: { content: Record<string, unknown> } }>>(doc.paths)) {
      if (item.patch?.requestBody) out.set(path, Object.keys(item.patch.requestBody.content).sort());
    }
    return out;
  };

  test('v3 advertises strategic merge patch on image.openshift.io PATCH operations only', async () => {
    const image = await patchContentTypes('image.openshift.io/v1');
    assert.ok(image.size > 0);
    for (const [path, types] of image) assert.ok(types.includes(SMP), `${path}: ${types}`);
    assert.ok(image.has('/apis/image.openshift.io/v1/images/{name}'));
    assert.ok(image.has('/apis/image.openshift.io/v1/namespaces/{namespace}/imagestreams/{name}'));

    const config = await patchContentTypes('config.openshift.io/v1');
    assert.ok(config.size > 0);
    for (const [path, types] of config) assert.ok(!types.includes(SMP), `${path}: ${types}`);
  });

  test('v3 schemas carry the merge keys kubectl computes patches from', async () => {
    const index = await srv.request('GET', '/openapi/v3');
    const doc = (await srv.request('GET', index.json.paths['apis/image.openshift.io/v1'].serverRelativeURL)).json;
    const text = JSON.stringify(doc.components.schemas);
    assert.match(text, /"x-kubernetes-patch-merge-key":"name"/);
    assert.match(text, /"x-kubernetes-patch-strategy":"merge"/);
  });
});
