// OpenAPI over HTTP as kube-apiserver serves it: the /openapi/v3 index with `?hash=` URLs, ETag and 304, immutable
// caching for a current hash, /openapi/v2 as JSON and as gnostic protobuf; and inside the documents what kubectl needs of every kind:
// its GVK on schemas and operations, the fieldValidation probe, the patch types, the patch markers and list types
// of the reference (image-api-types.md), and field descriptions for kubectl explain.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { resourceDefinitions } from '../../src/apis/index.js';
import { servedReferenceKinds } from '../support/reference-kinds.js';
import { startTestServer, type TestServer } from '../support/server.js';

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(async () => {
  await srv.close();
});

type Schema = Record<string, any>;

const hex = (text: string) => createHash('sha512').update(text).digest('hex').toUpperCase();
const GVS = ['apis/config.openshift.io/v1', 'apis/image.openshift.io/v1'];
const V3_PROTOBUF = 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf';
const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const SMP = 'application/strategic-merge-patch+json';

async function index(): Promise<Record<string, { serverRelativeURL: string }>> {
  const res = await srv.request('GET', '/openapi/v3?timeout=32s', { headers: { accept: 'application/json, */*' } });
  assert.equal(res.status, 200);
  return res.json.paths;
}

async function document(gv: string): Promise<Schema> {
  const res = await srv.request('GET', (await index())[gv].serverRelativeURL, { headers: { accept: 'application/json' } });
  assert.equal(res.status, 200);
  return res.json;
}

/** The schema a property, item or allOf wrapper points to. */
function resolve(doc: Schema, node: Schema): Schema {
  const ref: string | undefined = node.$ref ?? node.allOf?.[0]?.$ref;
  return ref ? doc.components.schemas[ref.slice('#/components/schemas/'.length)] : node;
}

/** Follows `path` (property names, `[]` for items) from a definition. */
function at(doc: Schema, definition: string, path: string[]): Schema {
  let node: Schema = doc.components.schemas[definition];
  assert.ok(node, `missing ${definition}`);
  for (const step of path) {
    const next: Schema | undefined = step === '[]' ? resolve(doc, node).items : resolve(doc, node).properties?.[step];
    assert.ok(next, `${definition}: no ${step} in ${path.join('.')}`);
    node = next;
  }
  return node;
}

describe('caching', () => {
  test('/openapi/v3 lists both group/versions with the hash of the exact document bytes', async () => {
    const paths = await index();
    assert.deepEqual(Object.keys(paths).sort(), GVS);
    for (const gv of GVS) {
      const url = paths[gv].serverRelativeURL;
      assert.match(url, new RegExp(`^/openapi/v3/${gv}\\?hash=[0-9A-F]{128}$`));
      const res = await srv.request('GET', url, { headers: { accept: 'application/json' } });
      assert.equal(url.split('hash=')[1], hex(res.text));
    }
  });

  test('the index has an ETag of its body and answers If-None-Match with 304', async () => {
    const res = await srv.request('GET', '/openapi/v3', { headers: { accept: 'application/json, */*' } });
    assert.equal(res.headers.get('content-type'), 'application/json');
    const etag = res.headers.get('etag');
    assert.equal(etag, `"${hex(res.text)}"`);
    const cached = await srv.request('GET', '/openapi/v3', { headers: { accept: 'application/json, */*', 'if-none-match': etag! } });
    assert.equal(cached.status, 304);
    assert.equal(cached.text, '');
  });

  test('a current ?hash= is served immutable for a year; a stale one gets the document without it', async () => {
    for (const gv of GVS) {
      const url = (await index())[gv].serverRelativeURL;
      const hash = url.split('hash=')[1];
      const current = await srv.request('GET', url, { headers: { accept: 'application/json' } });
      assert.equal(current.status, 200);
      assert.equal(current.headers.get('content-type'), 'application/json');
      assert.equal(current.headers.get('etag'), `"${hash}"`);
      assert.equal(current.headers.get('vary'), 'Accept');
      assert.equal(current.headers.get('cache-control'), 'public, immutable');
      const expires = Date.parse(current.headers.get('expires')!);
      assert.ok(Math.abs(expires - (Date.now() + 365 * 24 * 3600 * 1000)) < 60_000, current.headers.get('expires')!);

      const stale = await srv.request('GET', `/openapi/v3/${gv}?hash=0123`, { headers: { accept: 'application/json' } });
      assert.equal(stale.status, 200, 'no redirect: the aggregator would turn it into a 502');
      assert.equal(stale.text, current.text);
      assert.notEqual(stale.headers.get('cache-control'), 'public, immutable');
      assert.equal(stale.headers.get('expires'), null);

      const plain = await srv.request('GET', `/openapi/v3/${gv}`, { headers: { accept: 'application/json' } });
      assert.equal(plain.text, current.text);
      const cached = await srv.request('GET', `/openapi/v3/${gv}`, { headers: { accept: 'application/json', 'if-none-match': `"${hash}"` } });
      assert.equal(cached.status, 304);
    }
  });

  test('Accept: JSON and wildcards are served, protobuf alone is 406 with an empty body', async () => {
    const url = (await index())['apis/image.openshift.io/v1'].serverRelativeURL;
    for (const accept of ['*/*', 'application/*', `${V3_PROTOBUF},application/json`]) {
      assert.equal((await srv.request('GET', url, { headers: { accept } })).status, 200, accept);
    }
    const refused = await srv.request('GET', url, { headers: { accept: V3_PROTOBUF } });
    assert.equal(refused.status, 406);
    assert.equal(refused.text, '');
    assert.equal((await srv.request('GET', '/openapi/v3/apis/example.com/v1')).status, 404);
  });

  test('/openapi/v2: JSON, or the protobuf kubectl asks for, both with the ETag of the JSON and 304', async () => {
    const res = await srv.request('GET', '/openapi/v2', { headers: { accept: 'application/json' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(res.json.swagger, '2.0');
    const etag = res.headers.get('etag')!;
    assert.equal(etag, `"${hex(res.text)}"`);
    assert.equal((await srv.request('GET', '/openapi/v2', { headers: { accept: 'application/json', 'if-none-match': etag } })).status, 304);
    for (const accept of [V2_PROTOBUF, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', `${V2_PROTOBUF},application/json;q=0.5`]) {
      const protobuf = await fetch(`${srv.url}/openapi/v2?timeout=32s`, { headers: { accept } });
      assert.equal(protobuf.status, 200, accept);
      assert.equal(protobuf.headers.get('content-type'), 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
      assert.equal(protobuf.headers.get('etag'), etag, 'kube-openapi tags both forms with the hash of the JSON');
      const bytes = new Uint8Array(await protobuf.arrayBuffer());
      // Document.swagger (field 1, length-delimited) comes first: "2.0".
      assert.deepEqual([...bytes.subarray(0, 5)], [0x0a, 3, 0x32, 0x2e, 0x30]);
    }
    assert.equal((await srv.request('GET', '/openapi/v2', { headers: { accept: V2_PROTOBUF, 'if-none-match': etag } })).status, 304);
    assert.equal((await srv.request('GET', '/openapi/v2', { headers: { accept: 'text/html' } })).status, 406);
    // */* picks JSON, the first form kube-openapi offers.
    assert.equal((await srv.request('GET', '/openapi/v2', { headers: { accept: '*/*' } })).headers.get('content-type'), 'application/json');
  });
});

describe('what kubectl reads', () => {
  test('every served kind: a schema tagged with its GVK (a list), its list kind too, and its operations', async () => {
    const v2 = (await srv.request('GET', '/openapi/v2')).json;
    for (const ref of servedReferenceKinds()) {
      const def = resourceDefinitions.find((d) => d.group === ref.group && d.kind === ref.kind)!;
      const doc = await document(`apis/${ref.group}/v1`);
      const gvk = { group: ref.group, kind: ref.kind, version: 'v1' };
      assert.deepEqual(doc.components.schemas[def.openAPIName]['x-kubernetes-group-version-kind'], [gvk], def.openAPIName);
      assert.deepEqual(v2.definitions[def.openAPIName]['x-kubernetes-group-version-kind'], [gvk], `v2 ${def.openAPIName}`);
      if (ref.verbs.includes('list')) {
        const listName = def.openAPIName.replace(/\.[^.]+$/, `.${def.listKind}`);
        assert.deepEqual(doc.components.schemas[listName]['x-kubernetes-group-version-kind'], [{ ...gvk, kind: def.listKind }]);
      }
      // kubectl explain finds the kind through one of these paths and an operation carrying its GVK.
      const scope = ref.namespaced ? `namespaces/{namespace}/${ref.plural}` : ref.plural;
      const collection = `/apis/${ref.group}/v1/${scope}`;
      const item = `${collection}/{name}`;
      const ops: [string, string, string][] = [];
      if (ref.verbs.includes('create')) ops.push([collection, 'post', 'post']);
      if (ref.verbs.includes('list')) ops.push([collection, 'get', 'list']);
      if (ref.verbs.includes('deletecollection')) ops.push([collection, 'delete', 'deletecollection']);
      if (ref.verbs.includes('get')) ops.push([item, 'get', 'get']);
      if (ref.verbs.includes('update')) ops.push([item, 'put', 'put']);
      if (ref.verbs.includes('patch')) ops.push([item, 'patch', 'patch']);
      if (ref.verbs.includes('delete')) ops.push([item, 'delete', 'delete']);
      if (ref.verbs.includes('watch')) ops.push([`/apis/${ref.group}/v1/watch/${scope}`, 'get', 'watchlist']);
      for (const [path, method, action] of ops) {
        const op = doc.paths[path]?.[method];
        assert.ok(op, `${ref.kind}: ${method} ${path}`);
        assert.deepEqual(op['x-kubernetes-group-version-kind'], gvk, `${method} ${path}`);
        assert.equal(op['x-kubernetes-action'], action, `${method} ${path}`);
        assert.deepEqual(v2.paths[path][method]['x-kubernetes-group-version-kind'], gvk, `v2 ${method} ${path}`);
      }
      const unserved = ['get', 'post', 'put', 'patch', 'delete'].filter((m) => doc.paths[item]?.[m] && !ops.some(([p, mm]) => p === item && mm === m));
      assert.deepEqual(unserved, [], `${ref.kind} lists operations it does not serve`);
    }
  });

  test('the fieldValidation probe: PATCH carries dryRun/fieldManager/fieldValidation/force itself; POST and PUT offer them', async () => {
    for (const ref of servedReferenceKinds()) {
      const doc = await document(`apis/${ref.group}/v1`);
      const scope = ref.namespaced ? `namespaces/{namespace}/${ref.plural}` : ref.plural;
      const collection = `/apis/${ref.group}/v1/${scope}`;
      const checks: [string, string, string[]][] = [];
      if (ref.verbs.includes('patch')) checks.push([`${collection}/{name}`, 'patch', ['dryRun', 'fieldManager', 'fieldValidation', 'force']]);
      if (ref.verbs.includes('create')) checks.push([collection, 'post', ['dryRun', 'fieldManager', 'fieldValidation']]);
      if (ref.verbs.includes('update')) checks.push([`${collection}/{name}`, 'put', ['dryRun', 'fieldManager', 'fieldValidation']]);
      for (const [path, method, expected] of checks) {
        // kubectl reads only a PATCH operation's own parameters; elsewhere kube-openapi may hoist shared ones to the path.
        const own = doc.paths[path][method].parameters ?? [];
        const visible = method === 'patch' ? own : [...own, ...(doc.paths[path].parameters ?? [])];
        const names = visible.filter((p: Schema) => p.in === 'query').map((p: Schema) => p.name);
        for (const name of expected) assert.ok(names.includes(name), `${ref.kind} ${method} lacks ${name}`);
      }
    }
  });

  test('PATCH bodies: strategic merge patch for image.openshift.io, not for the config Image CRD (client-side apply picks by it)', async () => {
    for (const ref of servedReferenceKinds().filter((k) => k.verbs.includes('patch'))) {
      const doc = await document(`apis/${ref.group}/v1`);
      const scope = ref.namespaced ? `namespaces/{namespace}/${ref.plural}` : ref.plural;
      const patch = doc.paths[`/apis/${ref.group}/v1/${scope}/{name}`].patch;
      const expected = ['application/json-patch+json', 'application/merge-patch+json', ...(ref.group === 'image.openshift.io' ? [SMP] : []), 'application/apply-patch+yaml'];
      assert.deepEqual(Object.keys(patch.requestBody.content).sort(), [...expected].sort(), ref.kind);
      for (const [sub, [, verbs]] of Object.entries(ref.subresources)) {
        if (!verbs.includes('patch')) continue;
        const subPatch = doc.paths[`/apis/${ref.group}/v1/${scope}/{name}/${sub}`].patch;
        assert.deepEqual(Object.keys(subPatch.requestBody.content).sort(), [...expected].sort(), `${ref.kind}/${sub}`);
      }
    }
  });

  test('patch strategies and merge keys where openshift/api declares them', async () => {
    const doc = await document('apis/image.openshift.io/v1');
    const I = 'com.github.openshift.api.image.v1.';
    const markers = (node: Schema) => [node['x-kubernetes-patch-strategy'], node['x-kubernetes-patch-merge-key']];
    assert.deepEqual(markers(at(doc, `${I}Image`, ['signatures'])), ['merge', 'name']);
    assert.deepEqual(markers(at(doc, `${I}Image`, ['dockerImageMetadata'])), ['replace', undefined]);
    assert.deepEqual(markers(at(doc, `${I}ImageSignature`, ['conditions'])), ['merge', 'type']);
    assert.deepEqual(markers(at(doc, `${I}ImageStream`, ['spec', 'tags'])), ['merge', 'name']);
    assert.deepEqual(markers(at(doc, `${I}ImageStream`, ['status', 'tags'])), ['merge', 'tag']);
    // openshift/api declares no +listType on image kinds: only the patch markers are published.
    for (const [kind, path] of [['Image', ['signatures']], ['ImageStream', ['spec', 'tags']], ['ImageStream', ['status', 'tags']]] as const) {
      const node = at(doc, `${I}${kind}`, [...path]);
      assert.deepEqual([node['x-kubernetes-list-type'], node['x-kubernetes-list-map-keys']], [undefined, undefined], `${kind}.${path.join('.')}`);
    }
    // Lists without markers are replaced whole by a strategic merge patch.
    for (const path of [['dockerImageLayers'], ['dockerImageManifests'], ['dockerImageSignatures']]) {
      assert.deepEqual(markers(at(doc, `${I}Image`, path)), [undefined, undefined], path.join('.'));
    }
    assert.deepEqual(markers(at(doc, `${I}ImageStream`, ['status', 'tags', '[]', 'conditions'])), [undefined, undefined]);
    assert.deepEqual(markers(at(doc, `${I}ImageStream`, ['status', 'tags', '[]', 'items'])), [undefined, undefined]);
    // ObjectMeta as kube-openapi publishes it.
    const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
    assert.deepEqual(markers(at(doc, meta, ['finalizers'])), ['merge', undefined]);
    assert.equal(at(doc, meta, ['finalizers'])['x-kubernetes-list-type'], 'set');
    assert.deepEqual(markers(at(doc, meta, ['ownerReferences'])), ['merge', 'uid']);
    assert.equal(at(doc, meta, ['ownerReferences'])['x-kubernetes-list-type'], 'map');
    assert.deepEqual(at(doc, meta, ['ownerReferences'])['x-kubernetes-list-map-keys'], ['uid']);
    assert.equal(at(doc, 'io.k8s.api.core.v1.ObjectReference', [])['x-kubernetes-map-type'], 'atomic');
  });

  test('list types of the config Image CRD', async () => {
    const doc = await document('apis/config.openshift.io/v1');
    const C = 'com.github.openshift.api.config.v1.Image';
    const listType = (path: string[]) => at(doc, C, path)['x-kubernetes-list-type'];
    assert.equal(listType(['spec', 'allowedRegistriesForImport']), 'atomic');
    assert.equal(listType(['spec', 'externalRegistryHostnames']), 'atomic');
    for (const field of ['insecureRegistries', 'blockedRegistries', 'allowedRegistries']) {
      assert.equal(listType(['spec', 'registrySources', field]), 'atomic', field);
      assert.equal(at(doc, C, ['spec', 'registrySources', field]).maxItems, 1024, field);
    }
    assert.equal(listType(['spec', 'registrySources', 'containerRuntimeSearchRegistries']), 'set');
    assert.equal(listType(['status', 'externalRegistryHostnames']), 'atomic');
    // A CRD publishes no patch markers at all.
    assert.ok(!JSON.stringify(doc.components.schemas[C]).includes('x-kubernetes-patch-'));
  });

  test('field descriptions: a field of a named type has its own text, never a copy of the type\'s', async () => {
    for (const gv of GVS) {
      const doc = await document(gv);
      for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, Schema>)) {
        for (const [field, prop] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
          const target = prop.allOf?.[0]?.$ref as string | undefined;
          if (!target || prop.description === undefined) continue;
          assert.notEqual(prop.description, resolve(doc, prop).description, `${name}.${field} repeats the description of ${target}`);
        }
      }
    }
    const image = await document('apis/image.openshift.io/v1');
    const I = 'com.github.openshift.api.image.v1.';
    assert.equal(at(image, `${I}ImageStream`, ['spec']).description, 'spec describes the desired state of this stream');
    assert.equal(at(image, `${I}ImageStream`, ['spec', 'tags', '[]', 'from']).description.split('.')[0], 'Optional; if specified, a reference to another image that this tag should point to');
    // openshift/api gives ObjectMeta no comment on image kinds; the CRD builder describes it.
    assert.equal(at(image, `${I}ImageStream`, ['metadata']).description, undefined);
    const config = await document('apis/config.openshift.io/v1');
    assert.equal(
      at(config, 'com.github.openshift.api.config.v1.Image', ['metadata']).description,
      "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
    );
    assert.equal(config.components.schemas['com.github.openshift.api.config.v1.ImageList'].description, 'ImageList is a list of Image');
  });
});
