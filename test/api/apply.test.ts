// Server-side apply over HTTP (PATCH with application/apply-patch+yaml): create, no-op, pruning, conflicts,
// force, shared ownership, kubectl's last-applied rule, request errors, dryRun and /status.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestResponse, type TestServer } from '../support/server.js';

const CONFIG = '/apis/config.openshift.io/v1/images';
const STREAMS = '/apis/image.openshift.io/v1/namespaces/default/imagestreams';
const APPLY = 'application/apply-patch+yaml';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const config = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'config.openshift.io/v1',
  kind: 'Image',
  metadata: { name, ...metadata },
  spec,
});

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(async () => {
  await srv.close();
});

function apply(path: string, body: unknown, query: string): Promise<TestResponse> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return srv.request('PATCH', `${path}?${query}`, { raw, contentType: APPLY });
}

const managers = (res: TestResponse) =>
  (res.json.metadata.managedFields ?? []).map((e: Record<string, unknown>) => [e.manager, e.operation, e.subresource ?? '']);

describe('apply', () => {
  test('creates a missing object (201) with an Apply entry', async () => {
    const res = await apply(`${CONFIG}/ssa-create`, config('ssa-create', { additionalTrustedCA: { name: 'ca' } }), 'fieldManager=tester');
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json.spec, { additionalTrustedCA: { name: 'ca' } });
    assert.match(res.json.metadata.uid, /^[0-9a-f-]{36}$/);
    const [entry] = res.json.metadata.managedFields;
    assert.deepEqual({ ...entry, time: undefined }, {
      manager: 'tester',
      operation: 'Apply',
      apiVersion: 'config.openshift.io/v1',
      time: undefined,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:additionalTrustedCA': { 'f:name': {} } } },
    });
    const got = await srv.request('GET', `${CONFIG}/ssa-create`);
    assert.equal(got.status, 200);
    assert.equal(got.json.metadata.resourceVersion, res.json.metadata.resourceVersion);
  });

  test('re-applying the same configuration is a no-op: same resourceVersion and managedFields', async () => {
    const body = config('ssa-noop', { externalRegistryHostnames: ['a.example.com'] }, { labels: { app: 'x' } });
    const first = await apply(`${CONFIG}/ssa-noop`, body, 'fieldManager=tester');
    assert.equal(first.status, 201, first.text);
    const second = await apply(`${CONFIG}/ssa-noop`, body, 'fieldManager=tester');
    assert.equal(second.status, 200, second.text);
    assert.equal(second.json.metadata.resourceVersion, first.json.metadata.resourceVersion);
    assert.deepEqual(second.json.metadata.managedFields, first.json.metadata.managedFields);
    assert.equal(second.json.metadata.generation, 1);
  });

  test('fields the manager stops applying are removed', async () => {
    await apply(`${CONFIG}/ssa-prune`, config('ssa-prune', { additionalTrustedCA: { name: 'ca' }, imageStreamImportMode: 'Legacy' }, { labels: { a: '1', b: '2' } }), 'fieldManager=tester');
    const res = await apply(`${CONFIG}/ssa-prune`, config('ssa-prune', { imageStreamImportMode: 'Legacy' }, { labels: { b: '2' } }), 'fieldManager=tester');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.spec, { imageStreamImportMode: 'Legacy' });
    assert.deepEqual(res.json.metadata.labels, { b: '2' });
    assert.equal(res.json.metadata.generation, 2);
  });

  test('a second manager setting another value conflicts (409 with kube\'s message and causes)', async () => {
    const created = await srv.request('POST', `${CONFIG}?fieldManager=kubectl-client-side-apply`, { body: config('ssa-conflict', { additionalTrustedCA: { name: 'one' } }) });
    assert.equal(created.status, 201, created.text);
    const res = await apply(`${CONFIG}/ssa-conflict`, config('ssa-conflict', { additionalTrustedCA: { name: 'two' } }), 'fieldManager=other');
    assert.equal(res.status, 409, res.text);
    assert.deepEqual(res.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using config.openshift.io/v1: .spec.additionalTrustedCA.name',
      reason: 'Conflict',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "kubectl-client-side-apply" using config.openshift.io/v1',
            field: '.spec.additionalTrustedCA.name',
          },
        ],
      },
      code: 409,
    });
  });

  test('force=true takes the field over', async () => {
    await srv.request('POST', `${CONFIG}?fieldManager=creator`, { body: config('ssa-force', { additionalTrustedCA: { name: 'one' }, imageStreamImportMode: 'Legacy' }) });
    const res = await apply(`${CONFIG}/ssa-force`, config('ssa-force', { additionalTrustedCA: { name: 'two' } }), 'fieldManager=other&force=true');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.spec.additionalTrustedCA.name, 'two');
    const byManager = Object.fromEntries(res.json.metadata.managedFields.map((e: { manager: string; fieldsV1: unknown }) => [e.manager, e.fieldsV1]));
    assert.deepEqual(byManager.other, { 'f:spec': { 'f:additionalTrustedCA': { 'f:name': {} } } });
    assert.deepEqual(byManager.creator, { 'f:spec': { '.': {}, 'f:additionalTrustedCA': {}, 'f:imageStreamImportMode': {} } });
  });

  test('the same value is shared ownership, without a conflict', async () => {
    await apply(`${CONFIG}/ssa-shared`, config('ssa-shared', { imageStreamImportMode: 'Legacy' }), 'fieldManager=first');
    const res = await apply(`${CONFIG}/ssa-shared`, config('ssa-shared', { imageStreamImportMode: 'Legacy' }), 'fieldManager=second');
    assert.equal(res.status, 200, res.text);
    // Nothing changed for the second manager, so its entry has no time and sorts first.
    assert.deepEqual(managers(res), [
      ['second', 'Apply', ''],
      ['first', 'Apply', ''],
    ]);
    assert.equal(res.json.metadata.managedFields[0].time, undefined);
    // The first manager letting go keeps the value: the second still owns it.
    const released = await apply(`${CONFIG}/ssa-shared`, config('ssa-shared', {}), 'fieldManager=first');
    assert.equal(released.json.spec.imageStreamImportMode, 'Legacy');
  });

  test('kubectl takes over fields recorded in the last-applied annotation; the annotation follows', async () => {
    const file = config('ssa-lastapplied', { imageStreamImportMode: 'Legacy' });
    const recorded = `${JSON.stringify(file)}\n`;
    const created = await srv.request('POST', `${CONFIG}?fieldManager=kubectl-client-side-apply`, {
      body: config('ssa-lastapplied', { imageStreamImportMode: 'Legacy' }, { annotations: { [LAST_APPLIED]: recorded } }),
    });
    assert.equal(created.status, 201, created.text);
    const next = config('ssa-lastapplied', { imageStreamImportMode: 'PreserveOriginal' });
    const res = await apply(`${CONFIG}/ssa-lastapplied`, next, 'fieldManager=kubectl&fieldValidation=Strict&force=false');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.spec.imageStreamImportMode, 'PreserveOriginal');
    assert.equal(res.json.metadata.annotations[LAST_APPLIED], '{"apiVersion":"config.openshift.io/v1","kind":"Image","metadata":{"name":"ssa-lastapplied"},"spec":{"imageStreamImportMode":"PreserveOriginal"}}\n');
    // Any other manager still conflicts.
    const other = await apply(`${CONFIG}/ssa-lastapplied`, config('ssa-lastapplied', { imageStreamImportMode: 'Legacy' }), 'fieldManager=someone');
    assert.equal(other.status, 409);
  });

  test('a resourceVersion in the configuration is a precondition', async () => {
    const created = await apply(`${CONFIG}/ssa-rv`, config('ssa-rv', { imageStreamImportMode: 'Legacy' }), 'fieldManager=tester');
    const stale = await apply(`${CONFIG}/ssa-rv`, config('ssa-rv', {}, { resourceVersion: '1' }), 'fieldManager=tester');
    assert.equal(stale.status, 409, stale.text);
    assert.equal(stale.json.message, 'Operation cannot be fulfilled on images.config.openshift.io "ssa-rv": the object has been modified; please apply your changes to the latest version and try again');
    const current = await apply(`${CONFIG}/ssa-rv`, config('ssa-rv', {}, { resourceVersion: created.json.metadata.resourceVersion }), 'fieldManager=tester');
    assert.equal(current.status, 200, current.text);
    assert.deepEqual(current.json.spec, {});
  });

  test('dryRun=All answers like a create but stores nothing', async () => {
    const res = await apply(`${CONFIG}/ssa-dry`, config('ssa-dry', { imageStreamImportMode: 'Legacy' }), 'fieldManager=tester&dryRun=All');
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.metadata.resourceVersion, undefined);
    assert.equal(res.json.metadata.managedFields[0].operation, 'Apply');
    assert.equal((await srv.request('GET', `${CONFIG}/ssa-dry`)).status, 404);
  });

  test('dryRun=All on an existing object shows the change without making it', async () => {
    const created = await apply(`${CONFIG}/ssa-dry2`, config('ssa-dry2', { imageStreamImportMode: 'Legacy' }), 'fieldManager=tester');
    const res = await apply(`${CONFIG}/ssa-dry2`, config('ssa-dry2', { imageStreamImportMode: 'PreserveOriginal' }), 'fieldManager=tester&dryRun=All');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.spec.imageStreamImportMode, 'PreserveOriginal');
    const got = await srv.request('GET', `${CONFIG}/ssa-dry2`);
    assert.equal(got.json.spec.imageStreamImportMode, 'Legacy');
    assert.equal(got.json.metadata.resourceVersion, created.json.metadata.resourceVersion);
  });

  test('a YAML body is accepted', async () => {
    const yaml = 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: ssa-yaml\nspec:\n  externalRegistryHostnames:\n  - y.example.com\n';
    const res = await apply(`${CONFIG}/ssa-yaml`, yaml, 'fieldManager=tester');
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json.spec.externalRegistryHostnames, ['y.example.com']);
  });

  test('duplicate keys: Strict fails after applying, Warn warns per line', async () => {
    const yaml = 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: ssa-dup\nspec:\n  imageStreamImportMode: Legacy\n  imageStreamImportMode: Legacy\n';
    const strict = await apply(`${CONFIG}/ssa-dup`, yaml, 'fieldManager=tester&fieldValidation=Strict');
    assert.equal(strict.status, 400, strict.text);
    assert.equal(strict.json.message, 'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key "imageStreamImportMode" already set in map');
    const warn = await apply(`${CONFIG}/ssa-dup`, yaml, 'fieldManager=tester');
    assert.equal(warn.status, 201, warn.text);
    assert.equal(warn.headers.get('warning'), '299 - "line 7: key \\"imageStreamImportMode\\" already set in map"');
  });
});

describe('apply on /status', () => {
  test('sets only status, owned under the subresource; spec is left alone', async () => {
    await apply(`${CONFIG}/ssa-status`, config('ssa-status', { imageStreamImportMode: 'Legacy' }), 'fieldManager=tester');
    const res = await apply(
      `${CONFIG}/ssa-status/status`,
      { ...config('ssa-status', { imageStreamImportMode: 'PreserveOriginal' }), status: { internalRegistryHostname: 'registry.local' } },
      'fieldManager=operator',
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.spec.imageStreamImportMode, 'Legacy');
    assert.equal(res.json.status.internalRegistryHostname, 'registry.local');
    const entry = res.json.metadata.managedFields.find((e: { manager: string }) => e.manager === 'operator');
    assert.equal(entry.subresource, 'status');
    assert.deepEqual(entry.fieldsV1, { 'f:status': { 'f:internalRegistryHostname': {} } });
    assert.equal(res.json.metadata.generation, 1);
  });

  test('status sent to the main resource is not applied nor owned', async () => {
    const res = await apply(`${CONFIG}/ssa-status-main`, { ...config('ssa-status-main', {}), status: { internalRegistryHostname: 'x' } }, 'fieldManager=tester');
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.status, undefined);
    assert.deepEqual(res.json.metadata.managedFields[0].fieldsV1, { 'f:spec': {} });
  });

  test('a missing object is 404 on /status', async () => {
    const res = await apply(`${CONFIG}/ssa-nothing/status`, config('ssa-nothing', {}), 'fieldManager=tester');
    assert.equal(res.status, 404, res.text);
    assert.equal(res.json.message, 'images.config.openshift.io "ssa-nothing" not found');
  });
});

describe('apply request errors', () => {
  const cases: [string, string, unknown, string, number, string][] = [
    ['no fieldManager', 'ssa-e1', config('ssa-e1', {}), '', 422, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch'],
    ['an empty fieldManager', 'ssa-e1', config('ssa-e1', {}), 'fieldManager=', 422, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch'],
    ['bad dryRun', 'ssa-e1', config('ssa-e1', {}), 'fieldManager=m&dryRun=Some', 422, 'PatchOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Some"]: supported values: "All"'],
    ['a list body', 'ssa-e1', '[1]', 'fieldManager=m', 400, 'error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['an empty body', 'ssa-e1', '', 'fieldManager=m', 400, 'invalid object type: /, Kind='],
    ['another kind', 'ssa-e1', { ...config('ssa-e1', {}), kind: 'Other' }, 'fieldManager=m', 400, 'invalid object type: config.openshift.io/v1, Kind=Other'],
    ['managedFields', 'ssa-e1', config('ssa-e1', {}, { managedFields: [] }), 'fieldManager=m', 400, 'metadata.managedFields must be nil'],
    ['another name', 'ssa-e1', config('ssa-other', {}), 'fieldManager=m', 400, 'the name of the object (ssa-other) does not match the name on the URL (ssa-e1)'],
    ['no name', 'ssa-e1', { apiVersion: 'config.openshift.io/v1', kind: 'Image', spec: {} }, 'fieldManager=m', 400, 'the name of the object () does not match the name on the URL (ssa-e1)'],
    ['an unknown field', 'ssa-e1', config('ssa-e1', { foo: 1 }), 'fieldManager=m', 400, 'failed to create typed patch object (/ssa-e1; config.openshift.io/v1, Kind=Image): .spec.foo: field not declared in schema'],
  ];
  for (const [title, name, body, query, code, message] of cases) {
    test(`${title} → ${code}`, async () => {
      const res = await apply(`${CONFIG}/${name}`, body, query);
      assert.equal(res.status, code, res.text);
      assert.equal(res.json.message, message);
    });
  }

  test('undecodable YAML → 400', async () => {
    const res = await apply(`${CONFIG}/ssa-e1`, 'a: b: c', 'fieldManager=m');
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.reason, 'BadRequest');
    assert.match(res.json.message, /^error decoding YAML: error converting YAML to JSON: yaml: line 1: /);
  });

  test('force on another patch type is 422', async () => {
    const res = await srv.request('PATCH', `${CONFIG}/ssa-e1?force=true`, { raw: '{}', contentType: 'application/merge-patch+json' });
    assert.equal(res.status, 422);
    assert.equal(res.json.message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
  });

  test('OpenAPI v3 advertises apply on every PATCH operation', async () => {
    const index = await srv.request('GET', '/openapi/v3');
    for (const gv of ['config.openshift.io/v1', 'image.openshift.io/v1']) {
      const doc = (await srv.request('GET', index.json.paths[`apis/${gv}`].serverRelativeURL)).json;
      const patches = Object.entries<Record<string, { requestBody?: { content: Record<string, unknown> } }>>(doc.paths).filter(([, item]) => item.patch?.requestBody);
      assert.ok(patches.length > 0, gv);
      for (const [path, item] of patches) assert.ok(APPLY in item.patch!.requestBody!.content, `${path}`);
    }
  });

  test('the 415 answer lists apply among the accepted patch types', async () => {
    const res = await srv.request('PATCH', `${CONFIG}/ssa-e1`, { raw: '{}', contentType: 'text/plain' });
    assert.equal(res.status, 415);
    assert.match(res.json.message, /application\/merge-patch\+json, application\/apply-patch\+yaml$/);
  });
});

describe('apply to imagestreams', () => {
  const stream = (from: string) => ({
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name: 'ssa-ruby', namespace: 'default' },
    spec: { tags: [{ name: 'latest', from: { kind: 'DockerImage', name: from } }] },
  });

  test('tags are a map list keyed by name; a conflicting tag reference names the tag', async () => {
    const created = await srv.request('POST', `${STREAMS}?fieldManager=kubectl-client-side-apply`, { body: stream('registry.example.com/ruby:2.7') });
    assert.equal(created.status, 201, created.text);
    const res = await apply(`${STREAMS}/ssa-ruby`, stream('registry.example.com/ruby:3.0'), 'fieldManager=kubectl');
    assert.equal(res.status, 409, res.text);
    assert.equal(
      res.json.message,
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using image.openshift.io/v1: .spec.tags[name="latest"].from',
    );
    // The same value: no conflict, kubectl now shares the fields (a new managedFields entry, so a write).
    const same = await apply(`${STREAMS}/ssa-ruby`, stream('registry.example.com/ruby:2.7'), 'fieldManager=kubectl');
    assert.equal(same.status, 200, same.text);
    assert.deepEqual(same.json.spec, created.json.spec);
    assert.deepEqual(managers(same), [
      ['kubectl', 'Apply', ''],
      ['kubectl-client-side-apply', 'Update', ''],
    ]);
    const again = await apply(`${STREAMS}/ssa-ruby`, stream('registry.example.com/ruby:2.7'), 'fieldManager=kubectl');
    assert.equal(again.json.metadata.resourceVersion, same.json.metadata.resourceVersion);
    const elsewhere = await apply(`${STREAMS}/ssa-ruby`, { ...stream('registry.example.com/ruby:2.7'), metadata: { name: 'ssa-ruby', namespace: 'other' } }, 'fieldManager=kubectl');
    assert.equal(elsewhere.status, 400, elsewhere.text);
    assert.equal(elsewhere.json.message, 'the namespace of the provided object does not match the namespace sent on the request');
    const forced = await apply(`${STREAMS}/ssa-ruby`, stream('registry.example.com/ruby:3.0'), 'fieldManager=kubectl&force=true');
    assert.equal(forced.status, 200, forced.text);
    assert.equal(forced.json.spec.tags[0].from.name, 'registry.example.com/ruby:3.0');
  });
});
