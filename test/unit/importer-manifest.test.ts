// Manifest decoding, digests over the exact bytes, and the Images built from them, on fixtures made here.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { digestMatches, digestOf, parseDigest } from '../../src/importer/digest.js';
import { checkManifestDigest, fillImageSize, imageFromImageManifest, imageFromManifestList, imageFromSchema1, printedImage } from '../../src/importer/image-from-manifest.js';
import { chooseChild } from '../../src/importer/importer.js';
import { parseManifest, type ParsedManifest } from '../../src/importer/manifest.js';

const sha = (data: string | Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const NOW = new Date('2025-03-04T05:06:07Z');

const config = Buffer.from(JSON.stringify({ created: '2024-01-02T03:04:05Z', architecture: 'arm64', os: 'linux', author: 'me', config: { Env: ['A=1'], Cmd: ['sh'], ExposedPorts: { '80/tcp': {} } } }));
const layers = [
  { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: sha('base'), size: 100 },
  { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: sha('top'), size: 20 },
  { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: sha('base'), size: 100 },
];
// Pretty-printed on purpose: the digest must be computed over these exact bytes, not a re-serialization.
const schema2 = Buffer.from(
  JSON.stringify(
    { schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: sha(config), size: config.length }, layers },
    null,
    3,
  ),
);
const oci = Buffer.from(JSON.stringify({ schemaVersion: 2, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length }, layers: layers.slice(0, 2) }));
const index = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha('s390x'), size: 11, platform: { architecture: 's390x', os: 'linux' } },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha('arm'), size: 12, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha('amd'), size: 13, platform: { architecture: 'amd64', os: 'linux' } },
    ],
  }),
);

/** A signed schema 1 manifest as libtrust prints it: the payload, then the signatures before its closing brace. */
function signedSchema1(): { signed: Buffer; payload: string } {
  const v1 = (id: string, size: number, extra: object = {}) => JSON.stringify({ id, created: '2020-01-01T00:00:00Z', Size: size, container_config: { Cmd: ['/bin/sh'] }, ...extra });
  const payload = JSON.stringify(
    {
      schemaVersion: 1,
      name: 'team/app',
      tag: 'old',
      architecture: 'amd64',
      fsLayers: [{ blobSum: sha('newest') }, { blobSum: sha('oldest') }],
      history: [{ v1Compatibility: v1('b'.repeat(64), 7, { architecture: 'amd64', config: { Env: ['X=1'] } }) }, { v1Compatibility: v1('a'.repeat(64), 30) }],
    },
    null,
    3,
  );
  const formatLength = payload.length - 2;
  const protectedHeader = b64url(JSON.stringify({ formatLength, formatTail: b64url(payload.slice(formatLength)), time: '2020-01-01T00:00:00Z' }));
  const signatures = `,\n   "signatures": [\n      {\n         "header": {\n            "alg": "ES256"\n         },\n         "signature": "c2lnbmF0dXJl",\n         "protected": "${protectedHeader}"\n      }\n   ]\n}`;
  return { signed: Buffer.from(payload.slice(0, formatLength) + signatures), payload };
}

test('digests are computed over the exact bytes and checked with their own algorithm', () => {
  assert.equal(digestOf(schema2), sha(schema2));
  assert.notEqual(digestOf(schema2), sha(JSON.stringify(JSON.parse(schema2.toString()))));
  assert.ok(digestMatches(sha(config), config));
  assert.ok(!digestMatches(sha(config), Buffer.concat([config, Buffer.from(' ')])));
  const sha512 = `sha512:${createHash('sha512').update(config).digest('hex')}`;
  assert.ok(digestMatches(sha512, config));
  assert.equal(parseDigest('sha256:ABC'), undefined);
  assert.equal(parseDigest('md5:' + 'a'.repeat(32)), undefined);
});

test('the Content-Type chooses the decoder', () => {
  const cases: [string, Buffer, string | undefined, ParsedManifest['kind'], string][] = [
    ['schema 2', schema2, 'application/vnd.docker.distribution.manifest.v2+json', 'image', 'application/vnd.docker.distribution.manifest.v2+json'],
    ['OCI without mediaType, parameters dropped', oci, 'application/vnd.oci.image.manifest.v1+json; charset=utf-8', 'image', 'application/vnd.oci.image.manifest.v1+json'],
    ['OCI index', index, 'application/vnd.oci.image.index.v1+json', 'list', 'application/vnd.oci.image.index.v1+json'],
    ['schema 1 by its type', signedSchema1().signed, 'application/vnd.docker.distribution.manifest.v1+prettyjws', 'schema1', 'application/vnd.docker.distribution.manifest.v1+prettyjws'],
    ['schema 1 for application/json', signedSchema1().signed, 'application/json', 'schema1', 'application/vnd.docker.distribution.manifest.v1+prettyjws'],
    ['schema 1 for a missing type', signedSchema1().signed, undefined, 'schema1', 'application/vnd.docker.distribution.manifest.v1+prettyjws'],
  ];
  for (const [name, body, type, kind, mediaType] of cases) {
    const parsed = parseManifest(body, type);
    assert.equal(parsed.kind, kind, name);
    assert.equal(parsed.mediaType, mediaType, name);
    assert.ok(parsed.payload.equals(body), name);
  }
});

test('decoders check the document against the Content-Type', () => {
  assert.throws(() => parseManifest(oci, 'application/vnd.docker.distribution.manifest.v2+json'), {
    message: "mediaType in manifest should be 'application/vnd.docker.distribution.manifest.v2+json' not ''",
  });
  assert.throws(() => parseManifest(index, 'application/vnd.docker.distribution.manifest.list.v2+json'), {
    message: "mediaType in manifest list should be 'application/vnd.docker.distribution.manifest.list.v2+json' not 'application/vnd.oci.image.index.v1+json'",
  });
  assert.throws(() => parseManifest(schema2, 'text/html'), { message: 'missing signature key' });
  assert.throws(() => parseManifest(Buffer.from('{"layers": 3}'), 'application/vnd.oci.image.manifest.v1+json'), /cannot unmarshal number/);
});

test('schema 1: the digest covers the payload without signatures; metadata from history[0]', () => {
  const { signed, payload } = signedSchema1();
  const manifest = parseManifest(signed, 'application/vnd.docker.distribution.manifest.v1+prettyjws');
  assert.equal(manifest.digest, sha(payload));
  assert.notEqual(manifest.digest, sha(signed));
  assert.equal(manifest.kind, 'schema1');
  const image = imageFromSchema1(manifest as Extract<ParsedManifest, { kind: 'schema1' }>, NOW);
  assert.equal(image.metadata.name, sha(payload));
  assert.equal(image.dockerImageManifestMediaType, 'application/vnd.docker.distribution.manifest.v1+json');
  assert.equal(image.dockerImageMetadata.Id, 'b'.repeat(64));
  assert.deepEqual(image.dockerImageMetadata.Config, { Env: ['X=1'] });
  assert.deepEqual(
    image.dockerImageLayers!.map((l) => [l.name, l.size]),
    [
      [sha('oldest'), 30],
      [sha('newest'), 7],
    ],
  );
  assert.equal(image.dockerImageMetadata.Size, 37);
  assert.doesNotThrow(() => checkManifestDigest(manifest, sha(payload)));
  assert.throws(() => checkManifestDigest(manifest, sha(signed)), {
    message: `content integrity error: the schema 1 manifest retrieved with digest ${sha(signed)} does not match the digest calculated from the content ${sha(payload)}`,
  });
});

test('schema 2: the image is named by the manifest digest, sized by config and unique layers', () => {
  const manifest = parseManifest(schema2, 'application/vnd.docker.distribution.manifest.v2+json') as Extract<ParsedManifest, { kind: 'image' }>;
  const image = imageFromImageManifest(manifest, config, NOW);
  assert.equal(image.metadata.name, sha(schema2));
  assert.equal(image.metadata.annotations?.['image.openshift.io/dockerLayersOrder'], 'ascending');
  assert.equal(image.dockerImageMetadata.Id, sha(config));
  assert.equal(image.dockerImageMetadata.Architecture, 'arm64');
  assert.equal(image.dockerImageMetadata.Author, 'me');
  assert.equal(image.dockerImageMetadata.Size, config.length + 120);
  assert.equal(image.dockerImageLayers!.length, 3);
  const printed = printedImage({ ...image, dockerImageReference: `quay.io/team/app@${image.metadata.name}` });
  assert.deepEqual(Object.keys(printed), [
    'metadata',
    'dockerImageReference',
    'dockerImageMetadata',
    'dockerImageMetadataVersion',
    'dockerImageManifest',
    'dockerImageLayers',
    'dockerImageManifestMediaType',
    'dockerImageConfig',
  ]);
  assert.deepEqual(Object.keys(printed.metadata), ['name', 'creationTimestamp', 'annotations']);
  assert.equal((printed.dockerImageMetadata as { apiVersion: string }).apiVersion, 'image.openshift.io/1.0');
  assert.equal(printed.dockerImageManifest, schema2.toString());
  assert.throws(() => checkManifestDigest(manifest, sha(oci)), {
    message: `content integrity error: the manifest retrieved (media type: application/vnd.docker.distribution.manifest.v2+json) with digest ${sha(oci)} does not match the digest calculated from the content ${sha(schema2)}`,
  });
  assert.throws(() => imageFromImageManifest(manifest, Buffer.from('not json'), NOW), /Unexpected token/);
});

test('an image without layer sizes is sized from blob HEAD requests, cached by digest', async () => {
  const zero = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: sha(config), size: config.length }, layers: layers.map((l) => ({ ...l, size: 0 })) }));
  const manifest = parseManifest(zero, 'application/vnd.oci.image.manifest.v1+json') as Extract<ParsedManifest, { kind: 'image' }>;
  const image = imageFromImageManifest(manifest, config, NOW);
  assert.equal(image.dockerImageMetadata.Size, config.length);
  const asked: string[] = [];
  const cache = new Map([[sha('top'), 20]]);
  image.dockerImageMetadata.Size = 0;
  await fillImageSize(image, async (digest) => (asked.push(digest), 100), cache);
  assert.deepEqual(asked, [sha('base')]);
  assert.equal(image.dockerImageMetadata.Size, 120 + config.length);
  assert.equal(cache.get(sha('base')), 100);
});

test('manifest lists: PreserveOriginal keeps the children; Legacy picks a platform', () => {
  const list = parseManifest(index, 'application/vnd.oci.image.index.v1+json') as Extract<ParsedManifest, { kind: 'list' }>;
  const image = imageFromManifestList(list, NOW);
  assert.equal(image.metadata.name, sha(index));
  assert.deepEqual(image.dockerImageMetadata, { Id: sha(index), Created: '2025-03-04T05:06:07Z', ContainerConfig: {} });
  assert.equal(image.dockerImageManifest, undefined);
  assert.deepEqual(image.dockerImageManifests![1], { digest: sha('arm'), mediaType: 'application/vnd.oci.image.manifest.v1+json', manifestSize: 12, architecture: 'arm64', os: 'linux', variant: 'v8' });
  assert.equal(chooseChild(list, 'arm64', 'linux'), sha('arm'));
  assert.equal(chooseChild(list, 'ppc64le', 'linux'), sha('amd'), 'linux/amd64 when the preferred platform is missing');
  const noAmd = { ...list, children: list.children.filter((c) => c.platform.architecture !== 'amd64') };
  assert.equal(chooseChild(noAmd, 'ppc64le', 'linux'), sha('s390x'), 'else the first child');
  assert.equal(chooseChild({ ...list, children: [] }, 'amd64', 'linux'), undefined);
});
