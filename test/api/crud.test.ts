// Generic CRUD semantics over HTTP, on image.openshift.io Images and config.openshift.io Images.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const IMAGES = '/apis/image.openshift.io/v1/images';
const CONFIG = '/apis/config.openshift.io/v1/images';
const DIGEST = 'sha256:' + 'a'.repeat(64);

const image = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'image.openshift.io/v1',
  kind: 'Image',
  metadata: { name, ...extra },
  dockerImageReference: `registry.example.com/ns/app@${DIGEST}`,
});

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(async () => {
  await srv.close();
});

describe('create', () => {
  test('returns 201 with server-set metadata', async () => {
    const res = await srv.request('POST', IMAGES, { body: image('create-a') });
    assert.equal(res.status, 201, res.text);
    const m = res.json.metadata;
    assert.match(m.uid, /^[0-9a-f-]{36}$/);
    assert.match(m.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(m.resourceVersion, /^\d+$/);
    assert.equal(res.json.kind, 'Image');
    assert.equal(res.json.apiVersion, 'image.openshift.io/v1');
    assert.equal(res.json.dockerImageMetadataVersion, '1.0');
    assert.ok(Array.isArray(m.managedFields) && m.managedFields[0].operation === 'Update');
  });

  test('an existing name is 409 AlreadyExists', async () => {
    await srv.request('POST', IMAGES, { body: image('create-dup') });
    const res = await srv.request('POST', IMAGES, { body: image('create-dup') });
    assert.equal(res.status, 409);
    assert.equal(res.json.reason, 'AlreadyExists');
    assert.equal(res.json.message, 'images.image.openshift.io "create-dup" already exists');
    assert.deepEqual(res.json.details, { name: 'create-dup', group: 'image.openshift.io', kind: 'images' });
  });

  test('missing apiVersion and kind are filled from the endpoint', async () => {
    const body: Record<string, unknown> = image('create-bare');
    delete body.apiVersion;
    delete body.kind;
    const res = await srv.request('POST', IMAGES, { body });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.kind, 'Image');
  });

  test('a wrong apiVersion is 400', async () => {
    const res = await srv.request('POST', IMAGES, { body: { ...image('create-wrong'), apiVersion: 'image.openshift.io/v2' } });
    assert.equal(res.status, 400);
    assert.equal(res.json.reason, 'BadRequest');
    assert.match(res.json.message, /does not match the expected API version \(image\.openshift\.io\/v1\)/);
  });

  test('resourceVersion in a create body fails as upstream (500, empty reason)', async () => {
    const res = await srv.request('POST', IMAGES, { body: image('create-rv', { resourceVersion: '5' }) });
    assert.equal(res.status, 500);
    assert.equal(res.json.message, 'resourceVersion should not be set on objects to be created');
    assert.equal(res.json.reason, undefined);
  });

  test('name or generateName is required', async () => {
    const res = await srv.request('POST', IMAGES, { body: { dockerImageReference: 'x/y' } });
    assert.equal(res.status, 422);
    assert.equal(res.json.reason, 'Invalid');
    assert.match(res.json.message, /^Image\.image\.openshift\.io "" is invalid: metadata\.name: Required value: name or generateName is required/);
    assert.equal(res.json.details.kind, 'Image');
  });

  test('generateName appends 5 characters', async () => {
    const res = await srv.request('POST', CONFIG, { body: { metadata: { generateName: 'gen-' }, spec: {} } });
    assert.equal(res.status, 201, res.text);
    assert.match(res.json.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(res.json.metadata.generation, 1);
  });

  test('dryRun=All validates and persists nothing', async () => {
    const res = await srv.request('POST', `${IMAGES}?dryRun=All`, { body: image('create-dry') });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.metadata.resourceVersion, undefined);
    const get = await srv.request('GET', `${IMAGES}/create-dry`);
    assert.equal(get.status, 404);
  });

  test('an unsupported dryRun value is 422 on CreateOptions', async () => {
    const res = await srv.request('POST', `${IMAGES}?dryRun=Some`, { body: image('create-dry2') });
    assert.equal(res.status, 422);
    assert.equal(res.json.message, 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Some"]: supported values: "All"');
  });

  test('an invalid fieldValidation value is 422', async () => {
    const res = await srv.request('POST', `${IMAGES}?fieldValidation=Loud`, { body: image('fv-bad') });
    assert.equal(res.status, 422);
    assert.equal(
      res.json.message,
      'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn"',
    );
  });

  test('unknown and duplicate fields: Warn (default) warns, Strict fails, Ignore drops', async () => {
    const raw = `{"metadata":{"name":"fv-warn","name":"fv-warn"},"dockerImageReference":"a/b","spec":{"foo":1}}`;
    const warn = await srv.request('POST', IMAGES, { raw });
    assert.equal(warn.status, 201, warn.text);
    assert.equal(warn.json.spec, undefined);
    const warnings = warn.headers.get('warning') ?? '';
    assert.match(warnings, /299 - "unknown field \\"spec\\""/);
    assert.match(warnings, /299 - "duplicate field \\"metadata.name\\""/);

    const strict = await srv.request('POST', `${IMAGES}?fieldValidation=Strict`, { raw: raw.replaceAll('fv-warn', 'fv-strict') });
    assert.equal(strict.status, 400);
    assert.equal(
      strict.json.message,
      'Image in version "v1" cannot be handled as a Image: strict decoding error: unknown field "spec", duplicate field "metadata.name"',
    );
    const ignore = await srv.request('POST', `${IMAGES}?fieldValidation=Ignore`, { raw: raw.replaceAll('fv-warn', 'fv-ignore') });
    assert.equal(ignore.status, 201);
    assert.equal(ignore.headers.get('warning'), null);
  });

  test('YAML bodies are accepted and YAML can be returned', async () => {
    const yaml = 'apiVersion: image.openshift.io/v1\nkind: Image\nmetadata:\n  name: yaml-img\ndockerImageReference: a/b\n';
    const res = await srv.request('POST', IMAGES, { raw: yaml, contentType: 'application/yaml', headers: { accept: 'application/yaml' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.get('content-type'), 'application/yaml');
    assert.match(res.text, /^apiVersion: image\.openshift\.io\/v1\n/m);
    assert.match(res.text, /\n {2}name: yaml-img\n/);
  });

  test('unsupported Content-Type is 415 and unacceptable Accept is 406', async () => {
    const r415 = await srv.request('POST', IMAGES, { raw: 'x', contentType: 'text/plain' });
    assert.equal(r415.status, 415);
    assert.equal(r415.json.reason, 'UnsupportedMediaType');
    const r406 = await srv.request('GET', IMAGES, { headers: { accept: 'text/html' } });
    assert.equal(r406.status, 406);
    assert.equal(r406.json.reason, 'NotAcceptable');
  });

  test('bodies over 3 MiB are 413', async () => {
    const big = JSON.stringify({ ...image('big'), dockerImageManifest: 'x'.repeat(3 * 1024 * 1024) });
    const res = await srv.request('POST', IMAGES, { raw: big });
    assert.equal(res.status, 413);
    assert.equal(res.json.reason, 'RequestEntityTooLarge');
    assert.equal(res.json.message, 'Request entity too large: limit is 3145728');
  });
});

describe('update', () => {
  test('stale resourceVersion is 409 Conflict with the kube message', async () => {
    const created = (await srv.request('POST', IMAGES, { body: image('upd-a') })).json;
    const ok = await srv.request('PUT', `${IMAGES}/upd-a`, { body: { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } } });
    assert.equal(ok.status, 200, ok.text);
    assert.notEqual(ok.json.metadata.resourceVersion, created.metadata.resourceVersion);
    const stale = await srv.request('PUT', `${IMAGES}/upd-a`, { body: created });
    assert.equal(stale.status, 409);
    assert.equal(
      stale.json.message,
      'Operation cannot be fulfilled on images.image.openshift.io "upd-a": the object has been modified; please apply your changes to the latest version and try again',
    );
    assert.equal(stale.json.reason, 'Conflict');
  });

  test('update without resourceVersion is 422 for kinds that refuse unconditional updates', async () => {
    await srv.request('POST', IMAGES, { body: image('upd-b') });
    const res = await srv.request('PUT', `${IMAGES}/upd-b`, { body: image('upd-b') });
    assert.equal(res.status, 422);
    assert.equal(
      res.json.message,
      'images.image.openshift.io "upd-b" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update',
    );
    assert.equal(res.json.details.kind, 'images');
  });

  test('no-op update keeps resourceVersion', async () => {
    const created = (await srv.request('POST', IMAGES, { body: image('upd-c') })).json;
    const res = await srv.request('PUT', `${IMAGES}/upd-c`, { body: created });
    assert.equal(res.status, 200);
    assert.equal(res.json.metadata.resourceVersion, created.metadata.resourceVersion);
  });

  test('URL/body name mismatch is 400; missing object is 404', async () => {
    const created = (await srv.request('POST', IMAGES, { body: image('upd-d') })).json;
    const mismatch = await srv.request('PUT', `${IMAGES}/upd-d`, { body: { ...created, metadata: { ...created.metadata, name: 'other' } } });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.json.message, 'the name of the object (other) does not match the name on the URL (upd-d)');
    const missing = await srv.request('PUT', `${IMAGES}/nope`, { body: { ...image('nope'), metadata: { name: 'nope', resourceVersion: '1' } } });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.message, 'images.image.openshift.io "nope" not found');
  });

  test('generation: 1 on create, +1 on spec change, unchanged by metadata and status writes', async () => {
    const c = (await srv.request('POST', CONFIG, { body: { metadata: { name: 'gen-cfg' }, spec: {} } })).json;
    assert.equal(c.metadata.generation, 1);
    const labelled = (await srv.request('PUT', `${CONFIG}/gen-cfg`, { body: { ...c, metadata: { ...c.metadata, labels: { x: 'y' } } } })).json;
    assert.equal(labelled.metadata.generation, 1);
    const spec = await srv.request('PUT', `${CONFIG}/gen-cfg`, { body: { ...labelled, spec: { externalRegistryHostnames: ['r.example.com'] } } });
    assert.equal(spec.json.metadata.generation, 2, spec.text);
    const status = await srv.request('PUT', `${CONFIG}/gen-cfg/status`, {
      body: { ...spec.json, spec: {}, status: { internalRegistryHostname: 'image-registry.svc:5000' } },
    });
    assert.equal(status.status, 200, status.text);
    assert.equal(status.json.metadata.generation, 2);
    assert.deepEqual(status.json.spec, { externalRegistryHostnames: ['r.example.com'] });
    assert.equal(status.json.status.internalRegistryHostname, 'image-registry.svc:5000');
    // Status sent to the main resource is ignored.
    const main = await srv.request('PUT', `${CONFIG}/gen-cfg`, { body: { ...status.json, status: { internalRegistryHostname: 'x' } } });
    assert.equal(main.json.status.internalRegistryHostname, 'image-registry.svc:5000');
  });
});

describe('patch', () => {
  test('merge patch and json patch', async () => {
    await srv.request('POST', IMAGES, { body: image('patch-a') });
    const merge = await srv.request('PATCH', `${IMAGES}/patch-a`, {
      raw: JSON.stringify({ metadata: { labels: { constructor: 'x', zzz: 'y' } } }),
      contentType: 'application/merge-patch+json',
    });
    assert.equal(merge.status, 200, merge.text);
    assert.deepEqual(merge.json.metadata.labels, { constructor: 'x', zzz: 'y' });
    const json = await srv.request('PATCH', `${IMAGES}/patch-a`, {
      raw: JSON.stringify([{ op: 'replace', path: '/metadata/labels/zzz', value: 'z' }]),
      contentType: 'application/json-patch+json',
    });
    assert.equal(json.status, 200, json.text);
    assert.equal(json.json.metadata.labels.zzz, 'z');
  });

  test('a no-op patch keeps resourceVersion', async () => {
    const c = (await srv.request('POST', IMAGES, { body: image('patch-noop', { labels: { a: 'b' } }) })).json;
    const res = await srv.request('PATCH', `${IMAGES}/patch-noop`, { raw: '{"metadata":{"labels":{"a":"b"}}}', contentType: 'application/merge-patch+json' });
    assert.equal(res.json.metadata.resourceVersion, c.metadata.resourceVersion);
  });

  test('a failing json patch test op is 422', async () => {
    await srv.request('POST', IMAGES, { body: image('patch-test') });
    const res = await srv.request('PATCH', `${IMAGES}/patch-test`, {
      raw: JSON.stringify([{ op: 'test', path: '/dockerImageReference', value: 'nope' }]),
      contentType: 'application/json-patch+json',
    });
    assert.ok(res.status === 422 || res.status === 409, res.text);
  });

  test('strategic merge patch is 415 listing supported types', async () => {
    await srv.request('POST', CONFIG, { body: { metadata: { name: 'smp' }, spec: {} } });
    const res = await srv.request('PATCH', `${CONFIG}/smp`, { raw: '{}', contentType: 'application/strategic-merge-patch+json' });
    assert.equal(res.status, 415);
    assert.equal(
      res.json.message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });

  test('Strict patch with an unknown field is 422 on field patch', async () => {
    await srv.request('POST', IMAGES, { body: image('patch-strict') });
    const res = await srv.request('PATCH', `${IMAGES}/patch-strict?fieldValidation=Strict`, {
      raw: '{"spec":{"foo":1}}',
      contentType: 'application/merge-patch+json',
    });
    assert.equal(res.status, 422);
    assert.equal(res.json.details.causes[0].field, 'patch');
    assert.match(res.json.message, /strict decoding error: unknown field "spec"/);
  });

  test('patch of a missing object is 404', async () => {
    const res = await srv.request('PATCH', `${IMAGES}/missing`, { raw: '{}', contentType: 'application/merge-patch+json' });
    assert.equal(res.status, 404);
  });
});

describe('delete', () => {
  test('returns a Success Status and the object is gone', async () => {
    const c = (await srv.request('POST', IMAGES, { body: image('del-a') })).json;
    const res = await srv.request('DELETE', `${IMAGES}/del-a`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'del-a', group: 'image.openshift.io', kind: 'images', uid: c.metadata.uid },
    });
    assert.equal((await srv.request('GET', `${IMAGES}/del-a`)).status, 404);
  });

  test('finalizers keep the object terminating until removed', async () => {
    const c = (await srv.request('POST', CONFIG, { body: { metadata: { name: 'fin', finalizers: ['example.com/hold'] }, spec: {} } })).json;
    const del = await srv.request('DELETE', `${CONFIG}/fin`, { body: { propagationPolicy: 'Background' } });
    assert.equal(del.status, 200, del.text);
    assert.ok(del.json.metadata.deletionTimestamp);
    assert.equal(del.json.metadata.generation, c.metadata.generation + 1);
    const again = await srv.request('DELETE', `${CONFIG}/fin`);
    assert.equal(again.json.metadata.resourceVersion, del.json.metadata.resourceVersion);
    const added = await srv.request('PATCH', `${CONFIG}/fin`, {
      raw: '{"metadata":{"finalizers":["example.com/hold","example.com/new"]}}',
      contentType: 'application/merge-patch+json',
    });
    assert.equal(added.status, 422, added.text);
    const released = await srv.request('PATCH', `${CONFIG}/fin`, { raw: '{"metadata":{"finalizers":null}}', contentType: 'application/merge-patch+json' });
    assert.equal(released.status, 200, released.text);
    assert.equal((await srv.request('GET', `${CONFIG}/fin`)).status, 404);
  });

  test('preconditions mismatch is 409', async () => {
    await srv.request('POST', IMAGES, { body: image('del-pre') });
    const res = await srv.request('DELETE', `${IMAGES}/del-pre`, { body: { preconditions: { uid: 'nope' } } });
    assert.equal(res.status, 409);
    assert.equal(res.json.reason, 'Conflict');
  });

  test('invalid DeleteOptions are 422', async () => {
    await srv.request('POST', IMAGES, { body: image('del-opt') });
    const res = await srv.request('DELETE', `${IMAGES}/del-opt?propagationPolicy=Sometimes`);
    assert.equal(res.status, 422);
    assert.equal(
      res.json.message,
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sometimes": supported values: "Foreground", "Background", "Orphan", "nil"',
    );
  });

  test('dryRun delete keeps the object', async () => {
    await srv.request('POST', IMAGES, { body: image('del-dry') });
    const res = await srv.request('DELETE', `${IMAGES}/del-dry?dryRun=All`);
    assert.equal(res.status, 200);
    assert.equal((await srv.request('GET', `${IMAGES}/del-dry`)).status, 200);
  });

  test('deletecollection honours label selectors', async () => {
    await srv.request('POST', IMAGES, { body: image('dc-1', { labels: { dc: 'yes' } }) });
    await srv.request('POST', IMAGES, { body: image('dc-2', { labels: { dc: 'yes' } }) });
    await srv.request('POST', IMAGES, { body: image('dc-3', { labels: { dc: 'no' } }) });
    const res = await srv.request('DELETE', `${IMAGES}?labelSelector=dc%3Dyes`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.items.map((i: any) => i.metadata.name), ['dc-1', 'dc-2']);
    assert.equal((await srv.request('GET', `${IMAGES}/dc-1`)).status, 404);
    assert.equal((await srv.request('GET', `${IMAGES}/dc-3`)).status, 200);
  });
});

describe('paths and errors', () => {
  test('unknown resource is a 404 Status, unsupported method a 405', async () => {
    const r404 = await srv.request('GET', '/apis/image.openshift.io/v1/nothings');
    assert.equal(r404.status, 404);
    assert.equal(r404.json.message, 'the server could not find the requested resource');
    const r405 = await srv.request('POST', `${IMAGES}/x`, { body: {} });
    assert.equal(r405.status, 405);
    assert.equal(r405.json.reason, 'MethodNotAllowed');
  });

  test('Audit-ID is echoed or generated', async () => {
    const echoed = await srv.request('GET', IMAGES, { headers: { 'audit-id': 'abc-123' } });
    assert.equal(echoed.headers.get('audit-id'), 'abc-123');
    const generated = await srv.request('GET', IMAGES);
    assert.match(generated.headers.get('audit-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('an invalid timeout is 400', async () => {
    const res = await srv.request('GET', `${IMAGES}?timeout=abc`);
    assert.equal(res.status, 400);
    assert.equal(res.json.message, 'invalid timeout specified in the request URL - time: invalid duration "abc"');
  });

  test('pretty output for curl', async () => {
    const res = await srv.request('GET', IMAGES, { headers: { 'user-agent': 'curl/8.0' } });
    assert.match(res.text, /^\{\n {2}"kind": "ImageList"/);
  });
});
