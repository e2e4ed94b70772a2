// imagestreamimages over HTTP: `<stream>@<id>` lookups over a stream's tag history (and the children of
// manifest lists in it), the returned shape, every BadRequest/NotFound path, and the table columns.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const GROUP = '/apis/image.openshift.io/v1';
const IMAGES = `${GROUP}/images`;
const NS = 'isimage-ns';
const STREAMS = `${GROUP}/namespaces/${NS}/imagestreams`;
const ISIMAGES = `${GROUP}/namespaces/${NS}/imagestreamimages`;

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const digest = (seed: string) => `sha256:${seed.repeat(64).slice(0, 64)}`;
const reference = (image: string) => `registry.example.com/ns/app@${image}`;

const MEDIA_SCHEMA2 = 'application/vnd.docker.distribution.manifest.v2+json';
const MEDIA_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

// A schema 2 image whose metadata the server derives from its manifest and config.
const CONFIG = JSON.stringify({
  architecture: 'amd64',
  os: 'linux',
  created: '2024-01-02T03:04:05Z',
  container_config: { Hostname: 'builder-host' },
  config: { Hostname: 'builder-host', Env: ['PATH=/usr/bin'], Cmd: ['/bin/sh'] },
});
const CONFIG_DIGEST = sha256(CONFIG);
const LAYER = digest('1');
const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: MEDIA_SCHEMA2,
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: CONFIG.length, digest: CONFIG_DIGEST },
  layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1234, digest: LAYER }],
});
const FULL = sha256(MANIFEST);

const OLDER = digest('ab');
const NEWEST = digest('cd');
const LIST = digest('e');
const CHILD = digest('f');
const GONE = digest('0');
const BROKEN = digest('9');
const NO_CONFIG = digest('8');
const MEDIA_SCHEMA1 = 'application/vnd.docker.distribution.manifest.v1+json';
// A schema 1 manifest whose history does not match its layers: metadata cannot be filled from it.
const BAD_SCHEMA1 = JSON.stringify({ schemaVersion: 1, name: 'ns/app', tag: 'latest', fsLayers: [{ blobSum: LAYER }], history: [] });

let srv: TestServer;
let fullImage: any;

async function createImage(body: Record<string, unknown>): Promise<any> {
  const res = await srv.request('POST', IMAGES, { body });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

/** A stream whose status history is `tags` (newest first), written through imagestreams/status. */
async function createStream(name: string, tags: Record<string, string[]>, annotations?: Record<string, string>): Promise<void> {
  const created = await srv.request('POST', STREAMS, { body: { metadata: { name, ...(annotations ? { annotations } : {}) } } });
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

before(async () => {
  srv = await startTestServer();
  fullImage = await createImage({
    metadata: { name: FULL },
    dockerImageReference: reference(FULL),
    dockerImageManifestMediaType: MEDIA_SCHEMA2,
    dockerImageManifest: MANIFEST,
    dockerImageConfig: CONFIG,
  });
  for (const name of [OLDER, NEWEST, CHILD]) await createImage({ metadata: { name }, dockerImageReference: reference(name) });
  await createImage({
    metadata: { name: LIST },
    dockerImageReference: reference(LIST),
    dockerImageManifestMediaType: MEDIA_LIST,
    dockerImageManifests: [{ digest: CHILD, mediaType: MEDIA_SCHEMA2, manifestSize: 500, architecture: 'amd64', os: 'linux' }],
  });
  // Manifests metadata cannot be filled from (create only logs that).
  await createImage({ metadata: { name: BROKEN }, dockerImageReference: reference(BROKEN), dockerImageManifestMediaType: MEDIA_SCHEMA1, dockerImageManifest: BAD_SCHEMA1 });
  await createImage({ metadata: { name: NO_CONFIG }, dockerImageReference: reference(NO_CONFIG), dockerImageManifestMediaType: MEDIA_SCHEMA2, dockerImageManifest: MANIFEST });
  await createImage({ metadata: { name: GONE }, dockerImageReference: reference(GONE) });
  assert.equal((await srv.request('DELETE', `${IMAGES}/${GONE}`)).status, 200);

  await createStream('app', { latest: [NEWEST, FULL, OLDER], other: [OLDER] }, { team: 'blue' });
  await createStream('plain', { latest: [NEWEST] });
  await createStream('empty', {});
  await createStream('multi', { latest: [LIST] });
  await createStream('dangling', { latest: [GONE] });
  await createStream('broken', { latest: [BROKEN] });
  await createStream('noconfig', { latest: [NO_CONFIG] });
});
after(async () => {
  await srv.close();
});

describe('GET', () => {
  test('returns the image with metadata from its manifest, the stream annotations and the requested name', async () => {
    const res = await srv.request('GET', `${ISIMAGES}/app@${FULL}`);
    assert.equal(res.status, 200, res.text);
    const body = res.json;
    assert.equal(body.kind, 'ImageStreamImage');
    assert.equal(body.apiVersion, 'image.openshift.io/v1');
    assert.deepEqual(body.metadata, {
      name: `app@${FULL}`,
      namespace: NS,
      creationTimestamp: fullImage.metadata.creationTimestamp,
      annotations: { team: 'blue' },
    });
    const image = body.image;
    assert.equal(image.kind, undefined);
    assert.equal(image.apiVersion, undefined);
    assert.equal(image.metadata.name, FULL);
    assert.equal(image.metadata.uid, fullImage.metadata.uid);
    assert.equal(image.metadata.resourceVersion, fullImage.metadata.resourceVersion);
    assert.equal(image.metadata.annotations['image.openshift.io/dockerLayersOrder'], 'ascending');
    assert.equal(image.dockerImageReference, reference(FULL));
    assert.equal(image.dockerImageManifest, undefined);
    assert.equal(image.dockerImageConfig, undefined);
    assert.equal(image.dockerImageManifestMediaType, MEDIA_SCHEMA2);
    assert.equal(image.dockerImageMetadata.Id, CONFIG_DIGEST);
    assert.equal(image.dockerImageMetadata.Config.Hostname, 'builder-host');
    assert.equal(image.dockerImageMetadata.ContainerConfig.Hostname, 'builder-host');
    assert.equal(image.dockerImageMetadata.Size, CONFIG.length + 1234);
    assert.deepEqual(image.dockerImageLayers, [{ name: LAYER, size: 1234, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' }]);
  });

  const lookups: { name: string; id: string; image: string; stream?: string }[] = [
    { name: 'full digest of an older history entry', id: OLDER, image: OLDER },
    { name: 'digest prefix', id: FULL.slice(0, 'sha256:'.length + 8), image: FULL },
    { name: 'prefix of the hex part', id: FULL.slice('sha256:'.length, 'sha256:'.length + 8), image: FULL },
    { name: 'child of a tagged manifest list', id: CHILD, image: CHILD, stream: 'multi' },
    { name: 'the manifest list itself', id: LIST, image: LIST, stream: 'multi' },
  ];
  for (const l of lookups) {
    test(`finds the image by ${l.name}`, async () => {
      const stream = l.stream ?? 'app';
      const res = await srv.request('GET', `${ISIMAGES}/${stream}@${l.id}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.metadata.name, `${stream}@${l.id}`);
      assert.equal(res.json.image.metadata.name, l.image);
      assert.equal(res.json.image.dockerImageReference, reference(l.image));
    });
  }

  test('no annotations on the stream, none on the view; no uid or resourceVersion either', async () => {
    const res = await srv.request('GET', `${ISIMAGES}/plain@${NEWEST}`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json.metadata), ['name', 'namespace', 'creationTimestamp']);
  });

  test('a stored manifest that cannot be read is a 500', async () => {
    const res = await srv.request('GET', `${ISIMAGES}/broken@${BROKEN}`);
    assert.equal(res.status, 500, res.text);
    assert.equal(res.json.reason, 'InternalError');
    assert.equal(
      res.json.message,
      `Internal error occurred: the image ${BROKEN} (${reference(BROKEN)}) has mismatched history and fslayer cardinality (0 != 1)`,
    );
  });

  test('an inconsistent layers view is 422 ImageStreamLayers (a schema 2 image without a config digest)', async () => {
    const res = await srv.request('GET', `${ISIMAGES}/noconfig@${NO_CONFIG}`);
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json.message, `ImageStreamLayers.image.openshift.io "noconfig" is invalid: images[${NO_CONFIG}].config: Invalid value: "": config cannot be an empty string`);
  });
});

describe('errors', () => {
  for (const name of ['a', 'a@b@c', '@id', 'name@']) {
    test(`bad name ${JSON.stringify(name)} is 400`, async () => {
      const res = await srv.request('GET', `${ISIMAGES}/${encodeURIComponent(name)}`);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.reason, 'BadRequest');
      assert.equal(res.json.message, 'ImageStreamImages must be retrieved with <name>@<id>');
    });
  }

  const notFound: { name: string; path: string; message: string; details: Record<string, string> }[] = [
    {
      name: 'missing stream',
      path: `nope@${FULL}`,
      message: 'imagestreams.image.openshift.io "nope" not found',
      details: { name: 'nope', group: 'image.openshift.io', kind: 'imagestreams' },
    },
    {
      name: 'stream without tags',
      path: `empty@${FULL}`,
      message: `imagestreamimage.image.openshift.io "empty@${FULL}" not found`,
      details: { name: `empty@${FULL}`, group: 'image.openshift.io', kind: 'imagestreamimage' },
    },
    {
      name: 'id not in the history',
      path: 'app@sha256:0123',
      message: 'imagestreamimage.image.openshift.io "app@sha256:0123" not found',
      details: { name: 'app@sha256:0123', group: 'image.openshift.io', kind: 'imagestreamimage' },
    },
    {
      name: 'image of another stream',
      path: `plain@${OLDER}`,
      message: `imagestreamimage.image.openshift.io "plain@${OLDER}" not found`,
      details: { name: `plain@${OLDER}`, group: 'image.openshift.io', kind: 'imagestreamimage' },
    },
    {
      name: 'image object deleted',
      path: `dangling@${GONE}`,
      message: `images.image.openshift.io "${GONE}" not found`,
      details: { name: GONE, group: 'image.openshift.io', kind: 'images' },
    },
  ];
  for (const c of notFound) {
    test(`${c.name} is 404`, async () => {
      const res = await srv.request('GET', `${ISIMAGES}/${c.path}`);
      assert.equal(res.status, 404, res.text);
      assert.equal(res.json.reason, 'NotFound');
      assert.equal(res.json.message, c.message);
      assert.deepEqual(res.json.details, c.details);
    });
  }

  const refused: { method: string; path: string; body?: unknown }[] = [
    { method: 'GET', path: ISIMAGES },
    { method: 'GET', path: `${GROUP}/imagestreamimages` },
    { method: 'POST', path: ISIMAGES, body: { metadata: { name: `app@${FULL}` } } },
    { method: 'DELETE', path: `${ISIMAGES}/app@${FULL}` },
    { method: 'PUT', path: `${ISIMAGES}/app@${FULL}`, body: { metadata: { name: `app@${FULL}` } } },
  ];
  for (const r of refused) {
    test(`${r.method} ${r.path.slice(GROUP.length)} is 405`, async () => {
      const res = await srv.request(r.method, r.path, { body: r.body });
      assert.equal(res.status, 405, res.text);
    });
  }
});

describe('discovery and tables', () => {
  test('get only, short name isimage', async () => {
    const res = await srv.request('GET', GROUP);
    const resource = res.json.resources.find((r: { name: string }) => r.name === 'imagestreamimages');
    assert.deepEqual(resource, { name: 'imagestreamimages', singularName: 'imagestreamimage', namespaced: true, kind: 'ImageStreamImage', verbs: ['get'], shortNames: ['isimage'] });
  });

  test('oc get isimage columns: Name, Updated, and the wide Image Reference and Image Name', async () => {
    const res = await srv.request('GET', `${ISIMAGES}/app@${OLDER}`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.json.columnDefinitions.map((c: { name: string; priority: number }) => [c.name, c.priority]),
      [['Name', 0], ['Updated', 0], ['Image Reference', 1], ['Image Name', 1]],
    );
    const [cells] = res.json.rows.map((r: { cells: unknown[] }) => r.cells);
    assert.equal(cells[0], `app@${OLDER}`);
    assert.match(cells[1] as string, /^(Less than a second|\d+ seconds?) ago$/);
    assert.deepEqual(cells.slice(2), [reference(OLDER), OLDER]);
  });
});
