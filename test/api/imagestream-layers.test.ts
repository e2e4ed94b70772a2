// imagestreams/{name}/layers and imagestreams/{name}/secrets over HTTP: the blobs and images a stream
// references, the 404/422/405 answers, the standalone (empty) pull secret list, and both in OpenAPI.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const GROUP = '/apis/image.openshift.io/v1';
const IMAGES = `${GROUP}/images`;
const NS = 'layers-ns';
const STREAMS = `${GROUP}/namespaces/${NS}/imagestreams`;

const digest = (seed: string) => `sha256:${seed.repeat(64).slice(0, 64)}`;
const reference = (image: string) => `registry.example.com/ns/app@${image}`;

const MEDIA = {
  schema1: 'application/vnd.docker.distribution.manifest.v1+json',
  schema2: 'application/vnd.docker.distribution.manifest.v2+json',
  list: 'application/vnd.docker.distribution.manifest.list.v2+json',
  oci: 'application/vnd.oci.image.manifest.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
};

// Images (names) and blobs.
const LIST = digest('a1');
const CHILD = digest('b2');
const SCHEMA1 = digest('c3');
const OCI = digest('d4');
const UNTYPED = digest('e5');
const SHARER = digest('f6');
const GONE = digest('07');
const NO_CONFIG = digest('18');
const EMPTY_LAYER = digest('29');
const LIST_WITH_CONFIG = digest('3a');
const LAYER_1 = digest('4b');
const LAYER_2 = digest('5c');
const CONFIG = digest('6d');
const OCI_CONFIG = digest('7e');

let srv: TestServer;

async function createImage(name: string, fields: Record<string, unknown>): Promise<void> {
  const res = await srv.request('POST', IMAGES, { body: { metadata: { name }, dockerImageReference: reference(name), ...fields } });
  assert.equal(res.status, 201, res.text);
}

/** A stream whose status history is `tags` (newest first), written through imagestreams/status. */
async function createStream(name: string, tags: Record<string, string[]>, meta: Record<string, unknown> = {}): Promise<void> {
  const created = await srv.request('POST', STREAMS, { body: { metadata: { name, ...meta } } });
  assert.equal(created.status, 201, created.text);
  if (Object.keys(tags).length === 0) return;
  const stream = created.json;
  stream.status = {
    dockerImageRepository: '',
    tags: Object.entries(tags).map(([tag, images]) => ({
      tag,
      items: images.map((image) => ({ created: '2024-01-01T00:00:00Z', dockerImageReference: reference(image), image, generation: 1 })),
    })),
  };
  const res = await srv.request('PUT', `${STREAMS}/${name}/status`, { body: stream });
  assert.equal(res.status, 200, res.text);
}

const layers = (stream: string) => srv.request('GET', `${STREAMS}/${stream}/layers`);

before(async () => {
  srv = await startTestServer();
  await createImage(LIST, {
    dockerImageManifestMediaType: MEDIA.list,
    dockerImageManifests: [{ digest: CHILD, mediaType: MEDIA.schema2, manifestSize: 500, architecture: 'amd64', os: 'linux' }],
  });
  await createImage(CHILD, {
    dockerImageManifestMediaType: MEDIA.schema2,
    dockerImageMetadata: { Id: CONFIG },
    dockerImageLayers: [{ name: LAYER_1, size: 100, mediaType: MEDIA.layer }],
  });
  await createImage(SCHEMA1, { dockerImageManifestMediaType: MEDIA.schema1, dockerImageLayers: [{ name: LAYER_2, size: 200, mediaType: 'application/vnd.docker.container.image.rootfs.diff+x-gtar' }] });
  await createImage(OCI, { dockerImageManifestMediaType: MEDIA.oci, dockerImageMetadata: { Id: OCI_CONFIG }, dockerImageLayers: [{ name: LAYER_2, size: 200, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }] });
  await createImage(UNTYPED, {});
  // Names LAYER_1 with another size and type: the first image seen describes the blob.
  await createImage(SHARER, { dockerImageLayers: [{ name: LAYER_1, size: 999, mediaType: 'other' }, { name: LAYER_2, size: 200, mediaType: MEDIA.layer }] });
  await createImage(GONE, {});
  assert.equal((await srv.request('DELETE', `${IMAGES}/${GONE}`)).status, 200);
  await createImage(NO_CONFIG, { dockerImageManifestMediaType: MEDIA.schema2 });
  await createImage(EMPTY_LAYER, { dockerImageLayers: [{ name: '', size: 1, mediaType: MEDIA.layer }] });
  await createImage(LIST_WITH_CONFIG, {
    dockerImageManifestMediaType: MEDIA.schema2,
    dockerImageMetadata: { Id: CONFIG },
    dockerImageManifests: [{ digest: CHILD, mediaType: MEDIA.schema2, manifestSize: 500, architecture: 'amd64', os: 'linux' }],
  });

  await createStream('multiarch', { latest: [LIST] }, { labels: { app: 'web' }, annotations: { note: 'x' } });
  await createStream('mixed', { a: [SCHEMA1, OCI], b: [UNTYPED, SCHEMA1] });
  await createStream('shared', { latest: [CHILD, SHARER] });
  await createStream('dangling', { latest: [GONE, UNTYPED] });
  await createStream('empty', {});
  await createStream('noconfig', { latest: [NO_CONFIG] });
  await createStream('emptylayer', { latest: [EMPTY_LAYER] });
  await createStream('listconfig', { latest: [LIST_WITH_CONFIG] });
});
after(async () => {
  await srv.close();
});

describe('imagestreams/layers', () => {
  test('a manifest list: the list names its children, each child its layers and config (upstream TestGetLayersOK)', async () => {
    const res = await layers('multiarch');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'ImageStreamLayers');
    assert.equal(res.json.apiVersion, 'image.openshift.io/v1');
    assert.deepEqual(res.json.images, {
      [LIST]: { imageMissing: false, layers: null, config: null, manifests: [CHILD] },
      [CHILD]: { imageMissing: false, layers: [LAYER_1], config: CONFIG },
    });
    assert.deepEqual(res.json.blobs, {
      [LAYER_1]: { size: 100, mediaType: MEDIA.layer },
      [CONFIG]: { size: null, mediaType: MEDIA.dockerConfig },
      [LIST]: { size: null, mediaType: MEDIA.list },
      [CHILD]: { size: null, mediaType: MEDIA.schema2 },
    });
  });

  test('metadata is the stream metadata', async () => {
    const stream = await srv.request('GET', `${STREAMS}/multiarch`);
    const res = await layers('multiarch');
    assert.deepEqual(res.json.metadata, stream.json.metadata);
    assert.deepEqual(res.json.metadata.labels, { app: 'web' });
  });

  test('maps are written with sorted keys, as Go writes them', async () => {
    const res = await layers('multiarch');
    const blobKeys = Object.keys(res.json.blobs);
    assert.deepEqual(blobKeys, [...blobKeys].sort());
    assert.deepEqual(Object.keys(res.json.images), [LIST, CHILD].sort());
  });

  test('config blobs per manifest type; images without a type count as schema 2 without config', async () => {
    const res = await layers('mixed');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.images, {
      [SCHEMA1]: { imageMissing: false, layers: [LAYER_2], config: null },
      [OCI]: { imageMissing: false, layers: [LAYER_2], config: OCI_CONFIG },
      [UNTYPED]: { imageMissing: false, layers: null, config: null },
    });
    assert.deepEqual(res.json.blobs[OCI_CONFIG], { size: null, mediaType: MEDIA.ociConfig });
    assert.deepEqual(res.json.blobs[SCHEMA1], { size: null, mediaType: MEDIA.schema1 });
    assert.deepEqual(res.json.blobs[OCI], { size: null, mediaType: MEDIA.oci });
    assert.deepEqual(res.json.blobs[UNTYPED], { size: null, mediaType: MEDIA.schema2 });
    // Tag a is read first: the schema 1 image describes the shared layer.
    assert.deepEqual(res.json.blobs[LAYER_2], { size: 200, mediaType: 'application/vnd.docker.container.image.rootfs.diff+x-gtar' });
  });

  test('a blob named by several images is described by the first', async () => {
    const res = await layers('shared');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.blobs[LAYER_1], { size: 100, mediaType: MEDIA.layer });
    assert.deepEqual(res.json.images[SHARER].layers, [LAYER_1, LAYER_2]);
  });

  test('a deleted image is reported missing, without blobs', async () => {
    const res = await layers('dangling');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.images[GONE], { imageMissing: true, layers: null, config: null });
    assert.equal(res.json.blobs[GONE], undefined);
    assert.deepEqual(Object.keys(res.json.blobs), [UNTYPED]);
  });

  test('a stream without history has empty maps', async () => {
    const res = await layers('empty');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.blobs, {});
    assert.deepEqual(res.json.images, {});
  });

  test('a missing stream is 404 on imagestreams', async () => {
    const res = await layers('nope');
    assert.equal(res.status, 404, res.text);
    assert.equal(res.json.message, 'imagestreams.image.openshift.io "nope" not found');
  });

  const invalid: { stream: string; image: string; field: string; message: string }[] = [
    { stream: 'noconfig', image: NO_CONFIG, field: `images[${NO_CONFIG}].config`, message: 'Invalid value: "": config cannot be an empty string' },
    { stream: 'emptylayer', image: EMPTY_LAYER, field: `images[${EMPTY_LAYER}].layers[0]`, message: 'Invalid value: "": layer cannot be empty' },
    { stream: 'listconfig', image: LIST_WITH_CONFIG, field: `images[${LIST_WITH_CONFIG}].config`, message: `Invalid value: "${CONFIG}": config must be null if manifests are present` },
  ];
  for (const c of invalid) {
    test(`an inconsistent result is 422 ImageStreamLayers: ${c.field.replace(c.image, '<id>')}`, async () => {
      const res = await layers(c.stream);
      assert.equal(res.status, 422, res.text);
      assert.equal(res.json.reason, 'Invalid');
      assert.equal(res.json.message, `ImageStreamLayers.image.openshift.io "${c.stream}" is invalid: ${c.field}: ${c.message}`);
      assert.equal(res.json.details.kind, 'ImageStreamLayers');
      assert.deepEqual(res.json.details.causes, [{ reason: 'FieldValueInvalid', message: c.message, field: c.field }]);
    });
  }

  for (const method of ['PUT', 'PATCH', 'POST', 'DELETE']) {
    test(`${method} is 405`, async () => {
      const res = await srv.request(method, `${STREAMS}/multiarch/layers`, { body: {}, contentType: method === 'PATCH' ? 'application/merge-patch+json' : undefined });
      assert.equal(res.status, 405, res.text);
    });
  }
});

describe('imagestreams/secrets', () => {
  test('standalone: an empty SecretList, whatever the stream name', async () => {
    for (const name of ['multiarch', 'does-not-exist']) {
      const res = await srv.request('GET', `${STREAMS}/${name}/secrets`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, { apiVersion: 'image.openshift.io/v1', kind: 'SecretList', metadata: {}, items: [] });
    }
  });

  test('the query is read as list options', async () => {
    const ok = await srv.request('GET', `${STREAMS}/x/secrets?labelSelector=a%3Db&fieldSelector=type%3Dkubernetes.io%2Fdockercfg&limit=10`);
    assert.equal(ok.status, 200, ok.text);
    const bad = await srv.request('GET', `${STREAMS}/x/secrets?limit=abc`);
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.json.message, 'strconv.ParseInt: parsing "abc": invalid syntax');
  });

  test('PUT is 405', async () => {
    const res = await srv.request('PUT', `${STREAMS}/x/secrets`, { body: {} });
    assert.equal(res.status, 405, res.text);
  });
});

describe('discovery and OpenAPI', () => {
  test('both subresources are listed with their kinds', async () => {
    const res = await srv.request('GET', GROUP);
    const byName = new Map(res.json.resources.map((r: { name: string }) => [r.name, r]));
    assert.deepEqual(byName.get('imagestreams/layers'), { name: 'imagestreams/layers', singularName: '', namespaced: true, kind: 'ImageStreamLayers', verbs: ['get'] });
    assert.deepEqual(byName.get('imagestreams/secrets'), { name: 'imagestreams/secrets', singularName: '', namespaced: true, kind: 'SecretList', verbs: ['get'] });
  });

  test('the v3 document has both GET operations and their schemas', async () => {
    const res = await srv.request('GET', '/openapi/v3/apis/image.openshift.io/v1');
    assert.equal(res.status, 200);
    const paths = res.json.paths;
    const read = (sub: string) => paths[`${GROUP}/namespaces/{namespace}/imagestreams/{name}/${sub}`]?.get;
    assert.equal(read('layers').operationId, 'readImageOpenshiftIoV1NamespacedImageStreamLayers');
    assert.equal(read('secrets').operationId, 'readImageOpenshiftIoV1NamespacedImageStreamSecrets');
    const schemas = res.json.components.schemas;
    const layersSchema = schemas['com.github.openshift.api.image.v1.ImageStreamLayers'];
    assert.deepEqual(layersSchema.required, ['blobs', 'images']);
    assert.deepEqual(layersSchema['x-kubernetes-group-version-kind'], [{ group: 'image.openshift.io', kind: 'ImageStreamLayers', version: 'v1' }]);
    assert.ok(schemas['com.github.openshift.api.image.v1.ImageBlobReferences']);
    assert.ok(schemas['com.github.openshift.api.image.v1.ImageLayerData']);
    const secretList = schemas['com.github.openshift.api.image.v1.SecretList'];
    assert.deepEqual(secretList['x-kubernetes-group-version-kind'], [{ group: 'image.openshift.io', kind: 'SecretList', version: 'v1' }]);
    assert.ok(schemas['io.k8s.api.core.v1.Secret']);
  });

  test('the v2 document has them too', async () => {
    const res = await srv.request('GET', '/openapi/v2');
    assert.equal(res.status, 200);
    assert.ok(res.json.definitions['com.github.openshift.api.image.v1.ImageStreamLayers']);
    assert.ok(res.json.definitions['com.github.openshift.api.image.v1.SecretList']);
    assert.ok(res.json.paths[`${GROUP}/namespaces/{namespace}/imagestreams/{name}/layers`].get);
  });
});
