// image.openshift.io/v1 Image: create/update preparation (openshift-apiserver's imageStrategy), metadata
// from manifests (internalimageutil.InternalImageWithMetadata and its upstream test expectations), the
// schema-1 JWS payload, and the validation catalogue of Image and ImageSignature.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { imageDefinition } from '../../src/apis/image/v1/image/index.js';
import {
  decodeDockerImageMetadata,
  encodeDockerImageMetadata,
  imageWithMetadata,
  manifestListEntries,
  parseTime,
} from '../../src/apis/image/v1/image/manifest-metadata.js';
import {
  canonicalImage,
  configMatchesImage,
  imageStrategy,
  manifestMatchesImage,
  prepareImageForCreate,
  prepareImageForUpdate,
  schema1CanonicalPayload,
  validateImage,
} from '../../src/apis/image/v1/image/strategy.js';
import type { DockerImage, Image, InternalImage } from '../../src/apis/image/v1/image/types.js';
import { validateImageSignature, type ImageSignature } from '../../src/apis/image/v1/signature.js';
import { isStatusError } from '../../src/machinery/errors.js';
import { errorString } from '../../src/machinery/field.js';
import type { RequestContext } from '../../src/registry/strategy.js';

const NOW = new Date('2024-05-06T07:08:09.500Z');
const ctx: RequestContext = { user: '', groups: [], dryRun: false };
const sha256 = (text: string | Buffer) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

const SCHEMA2 = 'application/vnd.docker.distribution.manifest.v2+json';
const SCHEMA1 = 'application/vnd.docker.distribution.manifest.v1+json';
const LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI = 'application/vnd.oci.image.manifest.v1+json';
const GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
const GTAR = 'application/vnd.docker.container.image.rootfs.diff+x-gtar';
const LAYER_A = 'sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4';
const LAYER_B = 'sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa';
const LAYER_C = 'sha256:b4ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4';
const CONFIG_DIGEST = 'sha256:815d06b56f4138afacd0009b8e3799fcdce79f0507bf8d0588e219b93ab6fd4d';

const messages = (errs: ReturnType<typeof validateImage>) => errs.map(errorString);
const clone = <T>(v: T): T => structuredClone(v);

// ---- fixtures ------------------------------------------------------------------------------------

/** A Docker config blob, padded with a comment to exactly 3153 bytes like the upstream fixture. */
function schema2Config(): string {
  const config = {
    architecture: 'amd64',
    config: {
      Hostname: '23304fc829f9',
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'derived=true', 'asdf=true'],
      Cmd: ['/bin/sh', '-c', 'echo hi'],
      Image: 'sha256:4ab15c48b859c2920dd5224f92aabcd39a52794c5b3cf088fb3bbb438756c246',
      ExposedPorts: { '8080/tcp': {} },
      Labels: { vendor: 'example' },
      OnBuild: [],
      Memory: 0,
      Tty: false,
    },
    container: 'e91032eb0403a61bfe085ff5a5a48e3659e5a6deae9f4d678daa2ae399d5a001',
    container_config: {
      Hostname: '23304fc829f9',
      Cmd: ['/bin/sh', '-c', '#(nop) CMD ["/bin/sh" "-c" "echo hi"]'],
      OnBuild: [],
    },
    created: '2015-02-21T02:11:06.735146646Z',
    docker_version: '1.9.0-dev',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: ['sha256:aa'] },
    history: [{ created: '2015-02-21T02:11:06.735146646Z', created_by: '/bin/sh -c #(nop) CMD' }],
    // Go ignores keys it does not know: this one only pads the blob.
    padding: '',
  };
  const text = JSON.stringify(config);
  return JSON.stringify({ ...config, padding: 'x'.repeat(3153 - text.length) });
}

function schema2Manifest(configDigest = CONFIG_DIGEST): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: SCHEMA2,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: configDigest },
    layers: [
      { mediaType: GZIP, size: 5312, digest: LAYER_A },
      { mediaType: GZIP, size: 235231, digest: LAYER_B },
      { mediaType: GZIP, size: 235231, digest: LAYER_B },
      { mediaType: GZIP, size: 639152, digest: LAYER_C },
    ],
  });
}

const v1Compat = (fields: Record<string, unknown>) => JSON.stringify(fields);

/** A schema-1 manifest (newest layer first), as `docker push` of the Docker 1.x era produced it. */
function schema1Document() {
  return {
    schemaVersion: 1,
    name: 'library/ubuntu',
    tag: 'latest',
    architecture: 'amd64',
    fsLayers: [{ blobSum: 'tarsum.dev+sha256:e3b0' }, { blobSum: 'tarsum.dev+sha256:b194' }, { blobSum: 'tarsum.dev+sha256:2aaa' }, { blobSum: 'tarsum.dev+sha256:e3b0' }],
    history: [
      {
        v1Compatibility: v1Compat({
          id: '2d24f826cb16146e2016ff349a8a33ed5830f3b938d45c0f82943f4ab8c097e7',
          parent: '117ee323aaa9d1b136ea55e4421f4ce413dfc6c0cc6b2186dea6c88d93e1ad7c',
          created: '2015-02-21T02:11:06.735146646Z',
          container: 'c9a3eda5951d28aa8dbe5933be94c523790721e4f80886d0a8e7a710132a38ec',
          container_config: { Hostname: '43bd710ec89a', Cmd: ['/bin/sh', '-c', '#(nop) CMD [/bin/bash]'], MacAddress: '' },
          docker_version: '1.4.1',
          config: { Hostname: '43bd710ec89a', Cmd: ['/bin/bash'] },
          architecture: 'amd64',
          os: 'linux',
          Size: 0,
        }),
      },
      { v1Compatibility: v1Compat({ id: '117e', Size: 1895 }) },
      { v1Compatibility: v1Compat({ id: '1c82', Size: 188097705 }) },
      { v1Compatibility: '{ not json' },
    ],
  };
}

const schema1Manifest = () => JSON.stringify(schema1Document(), null, 3);

function manifestList(mediaType = LIST): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType,
    manifests: [
      { mediaType: SCHEMA2, size: 7143, digest: 'sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f', platform: { architecture: 'ppc64le', os: 'linux' } },
      {
        mediaType: SCHEMA2,
        size: 7682,
        digest: 'sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270',
        platform: { architecture: 'arm64', os: 'linux', variant: 'v8', features: ['sse4'] },
      },
    ],
  });
}

const EMPTY_METADATA = { kind: 'DockerImage', apiVersion: 'image.openshift.io/1.0', Id: '', Created: null, ContainerConfig: {} };

function image(fields: Partial<Image> = {}): Image {
  return { apiVersion: 'image.openshift.io/v1', kind: 'Image', metadata: { name: 'sha256:abc' }, dockerImageReference: 'quay.io/a/b:1', ...fields };
}

/** What the Store does around the strategy on create: prepare, then canonicalize. */
function create(obj: Image): Image {
  const out = clone(obj);
  prepareImageForCreate(out, NOW);
  imageStrategy.canonicalize!(out);
  return out;
}

function update(requested: Image, stored: Image): Image {
  const out = clone(requested);
  prepareImageForUpdate(out, stored, NOW);
  imageStrategy.canonicalize!(out);
  return out;
}

function internal(fields: Partial<InternalImage>): InternalImage {
  return { metadata: { name: 'id' }, dockerImageMetadata: { Id: '', Created: null, ContainerConfig: {} }, dockerImageMetadataVersion: '1.0', ...fields };
}

// ---- definition ----------------------------------------------------------------------------------

test('the Image resource definition', () => {
  assert.equal(imageDefinition.group, 'image.openshift.io');
  assert.equal(imageDefinition.version, 'v1');
  assert.equal(imageDefinition.kind, 'Image');
  assert.equal(imageDefinition.listKind, 'ImageList');
  assert.equal(imageDefinition.plural, 'images');
  assert.equal(imageDefinition.singular, 'image');
  assert.equal(imageDefinition.namespaced, false);
  assert.deepEqual([...imageDefinition.verbs].sort(), ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
  assert.equal(imageDefinition.subresources, undefined);
  assert.equal(imageDefinition.openAPIName, 'com.github.openshift.api.image.v1.Image');
  assert.equal(imageDefinition.validation, 'typed');
  assert.equal(imageDefinition.strategicMergePatch, true);
  assert.equal(imageDefinition.strategy.allowCreateOnUpdate, false);
  assert.equal(imageDefinition.strategy.allowUnconditionalUpdate, false);
  assert.equal(imageDefinition.strategy.generation, 'none');
  assert.equal(imageDefinition.strategy.nameRule, 'path-segment');
  const props = (imageDefinition.schema as unknown as { properties: Record<string, Record<string, unknown>> }).properties;
  assert.equal(props.signatures['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(props.signatures['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(props.dockerImageMetadata['x-kubernetes-patch-strategy'], 'replace');
  assert.equal(props.dockerImageMetadata['x-kubernetes-preserve-unknown-fields'], true);
  assert.equal((props.dockerImageSignatures.items as { format: string }).format, 'byte');
  assert.equal(((props.dockerImageLayers.items as { properties: Record<string, { format?: string }> }).properties.size).format, 'int64');
});

// ---- create --------------------------------------------------------------------------------------

test('create defaults the metadata version to 1.0 and always writes the metadata object', () => {
  const out = create(image());
  assert.equal(out.dockerImageMetadataVersion, '1.0');
  assert.deepEqual(out.dockerImageMetadata, EMPTY_METADATA);
  assert.deepEqual(Object.keys(out), ['apiVersion', 'kind', 'metadata', 'dockerImageReference', 'dockerImageMetadata', 'dockerImageMetadataVersion']);
});

test('create re-encodes given metadata: unknown keys dropped, omitempty applied, Go field order', () => {
  const out = create(
    image({
      dockerImageMetadata: {
        Size: 0,
        Architecture: 'amd64',
        Config: { Env: [], Cmd: ['sh'], ExposedPorts: { '80/tcp': { x: 1 } }, Tty: false, Unknown: 1 },
        Created: '2020-01-02T03:04:05.999+01:00',
        Id: 'abc',
        Parent: '',
        Bogus: true,
        id: 'lower-case keys do not match the 1.0 names',
      },
    }),
  );
  assert.equal(
    JSON.stringify(out.dockerImageMetadata),
    JSON.stringify({
      kind: 'DockerImage',
      apiVersion: 'image.openshift.io/1.0',
      Id: 'abc',
      Created: '2020-01-02T02:04:05Z',
      ContainerConfig: {},
      Config: { ExposedPorts: { '80/tcp': {} }, Cmd: ['sh'] },
      Architecture: 'amd64',
    }),
  );
});

test('pre012 metadata is read and written with its lower-case keys', () => {
  const raw = { id: 'abc', created: '2020-01-02T03:04:05Z', container_config: { Hostname: 'h' }, docker_version: '1.0', size: 12 };
  const out = create(image({ dockerImageMetadataVersion: 'pre012', dockerImageMetadata: raw }));
  assert.equal(out.dockerImageMetadataVersion, 'pre012');
  assert.deepEqual(out.dockerImageMetadata, {
    kind: 'DockerImage',
    apiVersion: 'image.openshift.io/pre012',
    id: 'abc',
    created: '2020-01-02T03:04:05Z',
    container_config: { Hostname: 'h' },
    docker_version: '1.0',
    size: 12,
  });
  // The embedded apiVersion wins over dockerImageMetadataVersion when decoding.
  const mixed = create(image({ dockerImageMetadata: { apiVersion: 'image.openshift.io/pre012', kind: 'DockerImage', id: 'x', size: 3 } }));
  assert.deepEqual(mixed.dockerImageMetadata, { ...EMPTY_METADATA, Id: 'x', Size: 3 });
});

test('metadata that does not decode is a 400, worded as the Go decoder words it', () => {
  const cases: [Partial<Image>, string][] = [
    [{ dockerImageMetadata: { Size: 'big' } }, 'json: cannot unmarshal string into Go struct field DockerImage.Size of type int64'],
    [{ dockerImageMetadata: { Size: 1.5 } }, 'json: cannot unmarshal number 1.5 into Go struct field DockerImage.Size of type int64'],
    [
      { dockerImageMetadata: { ContainerConfig: { Memory: true } } },
      'json: cannot unmarshal bool into Go struct field DockerConfig.ContainerConfig.Memory of type int64',
    ],
    [{ dockerImageMetadata: { Config: { Env: 'x' } } }, 'json: cannot unmarshal string into Go struct field DockerConfig.Config.Env of type []string'],
    [{ dockerImageMetadata: { Created: 'yesterday' } }, 'parsing time "yesterday": cannot parse as RFC 3339'],
    [
      { dockerImageMetadataVersion: '2.0', dockerImageMetadata: { Id: 'x' } },
      'no kind "DockerImage" is registered for version "image.openshift.io/2.0" in scheme "github.com/openshift/openshift-apiserver/pkg/image/apis/image/v1/conversion.go:22"',
    ],
    [
      { dockerImageMetadata: { kind: 'Other' } },
      'no kind "Other" is registered for version "image.openshift.io/1.0" in scheme "github.com/openshift/openshift-apiserver/pkg/image/apis/image/v1/conversion.go:22"',
    ],
  ];
  for (const [fields, message] of cases) {
    assert.throws(
      () => create(image(fields)),
      (err: unknown) =>
        isStatusError(err) && err.code === 400 && err.reason === 'BadRequest' && err.message === `Image in version "v1" cannot be handled as a Image: ${message}`,
      message,
    );
  }
});

test('create fills layers, media type and metadata from a schema 2 manifest and its config', () => {
  const config = schema2Config();
  assert.equal(Buffer.byteLength(config), 3153);
  const out = create(image({ dockerImageManifest: schema2Manifest(), dockerImageConfig: config }));
  assert.equal(out.dockerImageManifestMediaType, SCHEMA2);
  assert.deepEqual(out.metadata.annotations, { 'image.openshift.io/dockerLayersOrder': 'ascending' });
  assert.deepEqual(out.dockerImageLayers, [
    { name: LAYER_A, size: 5312, mediaType: GZIP },
    { name: LAYER_B, size: 235231, mediaType: GZIP },
    { name: LAYER_B, size: 235231, mediaType: GZIP },
    { name: LAYER_C, size: 639152, mediaType: GZIP },
  ]);
  // Upstream's expectation: 3153 + 5312 + 235231 + 639152, the repeated layer counted once and the
  // manifest's declared config size (7023) ignored.
  assert.equal(out.dockerImageMetadata!.Size, 882848);
  assert.equal(
    JSON.stringify(out.dockerImageMetadata),
    JSON.stringify({
      kind: 'DockerImage',
      apiVersion: 'image.openshift.io/1.0',
      Id: CONFIG_DIGEST,
      Created: '2015-02-21T02:11:06Z',
      Container: 'e91032eb0403a61bfe085ff5a5a48e3659e5a6deae9f4d678daa2ae399d5a001',
      ContainerConfig: { Hostname: '23304fc829f9', Cmd: ['/bin/sh', '-c', '#(nop) CMD ["/bin/sh" "-c" "echo hi"]'] },
      DockerVersion: '1.9.0-dev',
      Config: {
        Hostname: '23304fc829f9',
        ExposedPorts: { '8080/tcp': {} },
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'derived=true', 'asdf=true'],
        Cmd: ['/bin/sh', '-c', 'echo hi'],
        Image: 'sha256:4ab15c48b859c2920dd5224f92aabcd39a52794c5b3cf088fb3bbb438756c246',
        Labels: { vendor: 'example' },
      },
      Architecture: 'amd64',
      Size: 882848,
    }),
  );
  // The config digest counts as seen: a layer equal to it is not added again.
  const withConfigLayer = JSON.parse(schema2Manifest()) as { layers: unknown[] };
  withConfigLayer.layers.push({ mediaType: GZIP, size: 1000, digest: CONFIG_DIGEST });
  const again = create(image({ dockerImageManifest: JSON.stringify(withConfigLayer), dockerImageConfig: config }));
  assert.equal(again.dockerImageMetadata!.Size, 882848);
});

test('create fills an OCI image manifest as a schema 2 one: layers in order, config metadata, its own media type', () => {
  const config = JSON.stringify({ architecture: 'arm64', os: 'linux', created: '2024-05-01T00:00:00Z', config: { Cmd: ['/app'] } });
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: 9999, digest: sha256(config) },
    layers: [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 10, digest: LAYER_A },
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 20, digest: LAYER_B },
    ],
  });
  const out = create(image({ metadata: { name: sha256(manifest) }, dockerImageManifest: manifest, dockerImageConfig: config }));
  assert.equal(out.dockerImageManifestMediaType, OCI);
  assert.deepEqual(out.metadata.annotations, { 'image.openshift.io/dockerLayersOrder': 'ascending' });
  assert.deepEqual(out.dockerImageLayers, [
    { name: LAYER_A, size: 10, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' },
    { name: LAYER_B, size: 20, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' },
  ]);
  assert.deepEqual(out.dockerImageMetadata, {
    ...EMPTY_METADATA,
    Id: sha256(config),
    Created: '2024-05-01T00:00:00Z',
    Config: { Cmd: ['/app'] },
    Architecture: 'arm64',
    // The config blob's length plus the layers; the size the manifest declares for the config is not used.
    Size: Buffer.byteLength(config) + 30,
  });
  assert.equal(out.dockerImageManifests, undefined);
});

test('create fills a schema 1 image from fsLayers and v1Compatibility, base layer first', () => {
  const out = create(image({ dockerImageManifest: schema1Manifest() }));
  assert.equal(out.dockerImageManifestMediaType, SCHEMA1);
  assert.deepEqual(out.dockerImageLayers, [
    // The unreadable v1Compatibility gives size 0; `Size` matches `size` case-insensitively.
    { name: 'tarsum.dev+sha256:e3b0', size: 0, mediaType: GTAR },
    { name: 'tarsum.dev+sha256:2aaa', size: 188097705, mediaType: GTAR },
    { name: 'tarsum.dev+sha256:b194', size: 1895, mediaType: GTAR },
    { name: 'tarsum.dev+sha256:e3b0', size: 0, mediaType: GTAR },
  ]);
  assert.deepEqual(out.dockerImageMetadata, {
    kind: 'DockerImage',
    apiVersion: 'image.openshift.io/1.0',
    Id: '2d24f826cb16146e2016ff349a8a33ed5830f3b938d45c0f82943f4ab8c097e7',
    Parent: '117ee323aaa9d1b136ea55e4421f4ce413dfc6c0cc6b2186dea6c88d93e1ad7c',
    Created: '2015-02-21T02:11:06Z',
    Container: 'c9a3eda5951d28aa8dbe5933be94c523790721e4f80886d0a8e7a710132a38ec',
    ContainerConfig: { Hostname: '43bd710ec89a', Cmd: ['/bin/sh', '-c', '#(nop) CMD [/bin/bash]'] },
    DockerVersion: '1.4.1',
    Config: { Hostname: '43bd710ec89a', Cmd: ['/bin/bash'] },
    Architecture: 'amd64',
    Size: 188097705 + 1895,
  });
});

test('create records the children of a Docker manifest list, and only of a Docker manifest list', () => {
  const out = create(image({ metadata: { name: 'sha256:list' }, dockerImageManifest: manifestList(), dockerImageManifestMediaType: LIST }));
  assert.deepEqual(out.dockerImageManifests, [
    { digest: 'sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f', mediaType: SCHEMA2, manifestSize: 7143, architecture: 'ppc64le', os: 'linux' },
    { digest: 'sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270', mediaType: SCHEMA2, manifestSize: 7682, architecture: 'arm64', os: 'linux', variant: 'v8' },
  ]);
  assert.deepEqual(out.dockerImageMetadata, { ...EMPTY_METADATA, Id: 'sha256:list', Created: '2024-05-06T07:08:09Z' });
  assert.equal(out.dockerImageLayers, undefined);
  assert.equal(out.dockerImageManifestMediaType, LIST);

  // Media type parameters are ignored, as mime.ParseMediaType does.
  assert.equal(manifestListEntries(`${LIST.toUpperCase()}; charset=utf-8`, manifestList())?.length, 2);
  // Without the list media type on the image, or for an OCI index, upstream gets no manifest list.
  assert.equal(create(image({ dockerImageManifest: manifestList() })).dockerImageManifests, undefined);
  const index = create(image({ metadata: { name: 'sha256:idx' }, dockerImageManifest: manifestList(OCI_INDEX), dockerImageManifestMediaType: OCI_INDEX }));
  assert.equal(index.dockerImageManifests, undefined);
  assert.equal(index.dockerImageMetadata!.Id, 'sha256:idx');
  // The document's own mediaType must say manifest list too.
  assert.equal(manifestListEntries(LIST, manifestList(OCI_INDEX)), undefined);
  assert.equal(manifestListEntries(LIST, '{"mediaType":"' + LIST + '","manifests":[{"size":"big"}]}'), undefined);
  assert.deepEqual(manifestListEntries(LIST, '{"mediaType":"' + LIST + '","manifests":[]}'), []);
});

test('create drops manifest and config when the registry stores the blobs, after filling metadata', () => {
  const out = create(
    image({
      metadata: { name: 'sha256:abc', annotations: { 'image.openshift.io/manifestBlobStored': 'true' } },
      dockerImageManifest: schema2Manifest(),
      dockerImageConfig: schema2Config(),
    }),
  );
  assert.equal(out.dockerImageManifest, undefined);
  assert.equal(out.dockerImageConfig, undefined);
  assert.equal(out.dockerImageMetadata!.Size, 882848);
  const kept = create(image({ metadata: { name: 'x', annotations: { 'image.openshift.io/manifestBlobStored': 'false' } }, dockerImageManifest: '{}' }));
  assert.equal(kept.dockerImageManifest, '{}');
});

test('the managed-signature annotation is stripped from every signature', () => {
  const sig = (annotations: Record<string, string>): ImageSignature => ({ metadata: { name: 'sha256:abc@s', annotations }, type: 'AtomicImageV1', content: 'YQ==' });
  const out = create(image({ signatures: [sig({ 'image.openshift.io/managed-signature': 'true' }), sig({ 'image.openshift.io/managed-signature': 'x', other: 'y' })] }));
  assert.deepEqual(out.signatures![0].metadata, { name: 'sha256:abc@s', creationTimestamp: null });
  assert.deepEqual(out.signatures![1].metadata!.annotations, { other: 'y' });
});

test('layer order: a missing annotation means descending for schema 2/OCI, ascending for schema 1', () => {
  const layers = [{ name: 'top', size: 1, mediaType: GZIP }, { name: 'base', size: 2, mediaType: GZIP }];
  for (const mediaType of [SCHEMA2, OCI]) {
    const out = create(image({ dockerImageManifest: '{}', dockerImageManifestMediaType: mediaType, dockerImageLayers: layers, dockerImageMetadata: { Size: 3 } }));
    assert.deepEqual(out.dockerImageLayers!.map((l) => l.name), ['base', 'top'], mediaType);
    assert.equal(out.metadata.annotations!['image.openshift.io/dockerLayersOrder'], 'ascending');
    assert.equal(out.dockerImageMetadata!.Size, 3, 'already filled: the manifest is not read');
  }
  const s1 = create(image({ dockerImageManifest: '{}', dockerImageManifestMediaType: SCHEMA1, dockerImageLayers: layers, dockerImageMetadata: { Size: 3 } }));
  assert.deepEqual(s1.dockerImageLayers!.map((l) => l.name), ['top', 'base']);
  const explicit = create(
    image({
      metadata: { name: 'x', annotations: { 'image.openshift.io/dockerLayersOrder': 'descending' } },
      dockerImageManifest: '{}',
      dockerImageManifestMediaType: SCHEMA1,
      dockerImageLayers: layers,
      dockerImageMetadata: { Size: 3 },
    }),
  );
  assert.deepEqual(explicit.dockerImageLayers!.map((l) => l.name), ['base', 'top']);
  assert.equal(explicit.metadata.annotations!['image.openshift.io/dockerLayersOrder'], 'ascending');
  // Unknown media type and no annotation: left alone, no annotation added.
  const other = create(image({ dockerImageManifest: '{}', dockerImageManifestMediaType: 'x/y', dockerImageLayers: layers, dockerImageMetadata: { Size: 3 } }));
  assert.deepEqual(other.dockerImageLayers!.map((l) => l.name), ['top', 'base']);
  assert.equal(other.metadata.annotations, undefined);
});

// ---- InternalImageWithMetadata directly -------------------------------------------------------

test('imageWithMetadata reports upstream errors and keeps what it filled before them', () => {
  const cases: [Partial<InternalImage>, string | RegExp][] = [
    [{ dockerImageManifest: '{ no {{{ json here!!!' }, /JSON/],
    [{ dockerImageManifest: '{"name": "library/ubuntu", "tag": "latest"}' }, 'unrecognized container image manifest schema 0 for "id" ()'],
    [{ dockerImageManifest: '{"schemaVersion": 3}', dockerImageReference: 'a/b' }, 'unrecognized container image manifest schema 3 for "id" (a/b)'],
    [
      { dockerImageManifest: '{"schemaVersion":1,"fsLayers":[{"blobSum":"a"}],"history":[]}', dockerImageReference: 'r/a' },
      'the image id (r/a) has mismatched history and fslayer cardinality (0 != 1)',
    ],
    [{ dockerImageManifest: '{"schemaVersion":1}' }, "the image id () has a schema 1 manifest, but it doesn't have history"],
    [{ dockerImageManifest: '{"schemaVersion":1,"fsLayers":[{"blobSum":"a"}],"history":[{"v1Compatibility":"{ not valid {{ json"}]}' }, /JSON/],
    [{ dockerImageManifest: '{"schemaVersion":"1"}' }, 'json: cannot unmarshal string into Go struct field DockerImageManifest.schemaVersion of type int64'],
    [{ dockerImageManifest: schema2Manifest() }, `dockerImageConfig must not be empty for manifest type "${SCHEMA2}"`],
    [{ dockerImageManifest: schema2Manifest(), dockerImageConfig: '{"created":"never"}' }, 'failed to parse dockerImageConfig: parsing time "never": cannot parse as RFC 3339'],
    [
      { dockerImageManifest: schema2Manifest(), dockerImageConfig: '{"history":[{"created":5}]}' },
      'failed to parse dockerImageConfig: json: cannot unmarshal number into Go value of type string',
    ],
  ];
  for (const [fields, error] of cases) {
    const result = imageWithMetadata(internal(fields), NOW);
    if (typeof error === 'string') assert.equal(result.error, error);
    else assert.match(result.error ?? '', error);
  }
  // Layers are filled before the config is looked at, and stay.
  const partial = imageWithMetadata(internal({ dockerImageManifest: schema2Manifest() }), NOW).image;
  assert.equal(partial.dockerImageLayers!.length, 4);
  assert.equal(partial.dockerImageManifestMediaType, SCHEMA2);
  // Nothing to do without a manifest, and the input is never mutated.
  const input = internal({});
  assert.deepEqual(imageWithMetadata(input, NOW), { image: input });
  const withManifest = internal({ dockerImageManifest: schema2Manifest(), dockerImageConfig: schema2Config() });
  const before = clone(withManifest);
  imageWithMetadata(withManifest, NOW);
  assert.deepEqual(withManifest, before);
});

test('imageWithMetadata on a manifest list sets only Id and Created', () => {
  const meta: DockerImage = { Id: 'old', Created: null, ContainerConfig: {}, Architecture: 'arm64' };
  const { image: out, error } = imageWithMetadata(internal({ metadata: { name: 'sha256:list' }, dockerImageManifest: manifestList(), dockerImageMetadata: meta }), NOW);
  assert.equal(error, undefined);
  assert.deepEqual(out.dockerImageMetadata, { Id: 'sha256:list', Created: '2024-05-06T07:08:09Z', ContainerConfig: {}, Architecture: 'arm64' });
});

test('RFC 3339 times are read as Go reads them and written as metav1.Time writes them', () => {
  assert.equal(parseTime('2015-02-21T02:11:06.735146646Z'), '2015-02-21T02:11:06Z');
  assert.equal(parseTime('2015-02-21T02:11:06-05:30'), '2015-02-21T07:41:06Z');
  assert.equal(parseTime('2016-02-29T00:00:00Z'), '2016-02-29T00:00:00Z');
  assert.equal(parseTime('0001-01-01T00:00:00Z'), null);
  assert.equal(parseTime('0001-01-01T01:00:00+01:00'), null);
  assert.equal(parseTime('0001-01-01T00:00:00.5Z'), '0001-01-01T00:00:00Z');
  for (const bad of ['2015-02-30T00:00:00Z', '2015-13-01T00:00:00Z', '2015-02-21T24:00:00Z', '2015-02-21 02:11:06Z', '2015-02-21T02:11:06', '2015-02-21t02:11:06z']) {
    assert.throws(() => parseTime(bad), bad);
  }
});

test('metadata codec round trip', () => {
  const meta: DockerImage = { Id: 'i', Created: '2020-01-01T00:00:00Z', ContainerConfig: { Env: ['A=b'] }, Config: {}, Size: 5 };
  const wire = encodeDockerImageMetadata(meta, '1.0');
  assert.deepEqual(wire, { kind: 'DockerImage', apiVersion: 'image.openshift.io/1.0', Id: 'i', Created: '2020-01-01T00:00:00Z', ContainerConfig: { Env: ['A=b'] }, Config: {}, Size: 5 });
  assert.deepEqual(decodeDockerImageMetadata(wire, '1.0'), meta);
  assert.deepEqual(decodeDockerImageMetadata(encodeDockerImageMetadata(meta, 'pre012'), '1.0'), meta);
  assert.deepEqual(decodeDockerImageMetadata(undefined, '1.0'), { Id: '', Created: null, ContainerConfig: {} });
  // Null values leave the zero value, as Go's decoder does.
  assert.deepEqual(decodeDockerImageMetadata({ Id: null, Config: null, ContainerConfig: { Env: [null, 'x'] } }, '1.0'), { Id: '', Created: null, ContainerConfig: { Env: ['', 'x'] } });
});

// ---- update --------------------------------------------------------------------------------------

test('update keeps metadata, its version, layers and dockerImageSignatures from the stored image', () => {
  const stored = create(image({ dockerImageManifest: schema2Manifest(), dockerImageConfig: schema2Config(), dockerImageSignatures: ['YQ=='] }));
  const requested = clone(stored);
  requested.dockerImageMetadata = { Id: 'changed', Size: 1 };
  requested.dockerImageMetadataVersion = 'pre012';
  requested.dockerImageLayers = [{ name: 'x', size: 1, mediaType: 'y' }];
  requested.dockerImageSignatures = ['Yg=='];
  requested.dockerImageReference = 'quay.io/other/ref';
  requested.metadata.labels = { a: 'b' };
  const out = update(requested, stored);
  assert.deepEqual(out.dockerImageMetadata, stored.dockerImageMetadata);
  assert.equal(out.dockerImageMetadataVersion, '1.0');
  assert.deepEqual(out.dockerImageLayers, stored.dockerImageLayers);
  assert.deepEqual(out.dockerImageSignatures, ['YQ==']);
  assert.equal(out.dockerImageReference, 'quay.io/other/ref');
  assert.deepEqual(out.metadata.labels, { a: 'b' });
  // Without stored dockerImageSignatures the request's are kept; without stored layers there are none.
  const bare = create(image());
  const next = update({ ...clone(bare), dockerImageSignatures: ['Yg=='], dockerImageLayers: [{ name: 'l', size: 1, mediaType: 'm' }] }, bare);
  assert.deepEqual(next.dockerImageSignatures, ['Yg==']);
  assert.equal(next.dockerImageLayers, undefined);
  // The request's metadata is still decoded: a bad one is a 400.
  assert.throws(() => update({ ...clone(bare), dockerImageMetadata: { Size: 'x' } }, bare), (err: unknown) => isStatusError(err) && err.code === 400);
});

test('update accepts a schema 2 manifest only when it hashes to the image name', () => {
  const manifest = schema2Manifest();
  const name = sha256(manifest);
  const stored = create(image({ metadata: { name }, dockerImageManifestMediaType: SCHEMA2, dockerImageManifest: '{"schemaVersion":2}' }));
  assert.equal(update({ ...clone(stored), dockerImageManifest: manifest }, stored).dockerImageManifest, manifest);
  const other = schema2Manifest(LAYER_A);
  assert.equal(update({ ...clone(stored), dockerImageManifest: other }, stored).dockerImageManifest, '{"schemaVersion":2}');
  // Clearing is always allowed.
  assert.equal(update({ ...clone(stored), dockerImageManifest: '' }, stored).dockerImageManifest, undefined);
  // A matching digest with the wrong mediaType inside the document does not count.
  const wrongType = manifest.replace(SCHEMA2, OCI);
  assert.equal(manifestMatchesImage(sha256(wrongType), SCHEMA2, wrongType), false);
  assert.equal(manifestMatchesImage(sha256(wrongType), OCI, wrongType), true);
  const noType = JSON.stringify({ schemaVersion: 2, config: {}, layers: [] });
  assert.equal(manifestMatchesImage(sha256(noType), OCI, noType), true);
  assert.equal(manifestMatchesImage(sha256(noType), SCHEMA2, noType), false);
  // Names that are not canonical digests, and other media types, never match.
  assert.equal(manifestMatchesImage(sha256(manifest).toUpperCase(), SCHEMA2, manifest), false);
  assert.equal(manifestMatchesImage('not-a-digest', SCHEMA2, manifest), false);
  assert.equal(manifestMatchesImage(name, LIST, manifest), false);
  assert.equal(manifestMatchesImage(name, SCHEMA2, manifest.replace('7023', '"7023"')), false);
  const sha512 = `sha512:${createHash('sha512').update(manifest).digest('hex')}`;
  assert.equal(manifestMatchesImage(sha512, SCHEMA2, manifest), true);
});

test('update accepts a config only when it hashes to config.digest of the manifest', () => {
  const config = schema2Config();
  const manifest = schema2Manifest(sha256(config));
  const stored = create(image({ dockerImageManifestMediaType: SCHEMA2, dockerImageManifest: manifest, dockerImageConfig: '{"old":true}', dockerImageMetadata: { Size: 1 } }));
  assert.equal(update({ ...clone(stored), dockerImageConfig: config }, stored).dockerImageConfig, config);
  assert.equal(update({ ...clone(stored), dockerImageConfig: '{"other":1}' }, stored).dockerImageConfig, '{"old":true}');
  assert.equal(configMatchesImage(SCHEMA1, manifest, config), false);
  assert.equal(configMatchesImage(OCI, manifest, config), false, 'the OCI decoder rejects a schema 2 mediaType');
  assert.equal(configMatchesImage(SCHEMA2, schema2Manifest(sha256(config).toUpperCase()), config), false);
  assert.equal(configMatchesImage(SCHEMA2, schema2Manifest('nodigest'), config), false);
});

/** Signs a schema 1 manifest the way libtrust's PrettySignature lays it out. */
function signSchema1(document: object, jwk?: object): { signed: string; payload: string } {
  const payload = JSON.stringify(document, null, 3);
  const formatLength = payload.length - 2;
  const header = b64url(JSON.stringify({ formatLength, formatTail: b64url(payload.slice(formatLength)), time: '2016-01-01T00:00:00Z' }));
  const signature = { header: { ...(jwk ? { jwk } : {}), alg: 'ES256' }, signature: 'c2ln', protected: header };
  const signed = `${payload.slice(0, formatLength)},\n   "signatures": ${JSON.stringify([signature], null, 3)}\n}`;
  return { signed, payload };
}

/** libtrust's key ID, computed independently of the implementation under test. */
function keyId(der: Buffer): string {
  const bits = [...createHash('sha256').update(der).digest().subarray(0, 30)].map((b) => b.toString(2).padStart(8, '0')).join('');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const chars = bits.match(/.{5}/g)!.map((chunk) => alphabet[parseInt(chunk, 2)]).join('');
  return chars.match(/.{4}/g)!.join(':');
}

test('schema 1: the digest covers the JWS payload, rebuilt from formatLength and formatTail', () => {
  const { signed, payload } = signSchema1(schema1Document());
  assert.equal(schema1CanonicalPayload(signed).toString('utf8'), payload);
  const name = sha256(payload);
  assert.equal(manifestMatchesImage(name, SCHEMA1, signed), true);
  assert.equal(manifestMatchesImage(name, '', signed), true, 'an empty stored media type means schema 1');
  assert.equal(manifestMatchesImage(sha256(signed), SCHEMA1, signed), false, 'the raw document is not what is hashed');
  assert.equal(manifestMatchesImage(name, SCHEMA1, payload), false, 'an unsigned manifest has no payload');
  assert.equal(manifestMatchesImage(name, SCHEMA1, signed.replace('library/ubuntu', 'library/debian')), false);

  const stored = create(image({ metadata: { name }, dockerImageManifestMediaType: SCHEMA1, dockerImageManifest: '{}' }));
  assert.equal(update({ ...clone(stored), dockerImageManifest: signed }, stored).dockerImageManifest, signed);

  const broken: [string, string][] = [
    ['no signatures key', payload],
    ['bad protected header', signed.replace(/"protected": "[^"]*"/, '"protected": "!!"')],
    ['format length past the end', signed.replace(/"protected": "[^"]*"/, `"protected": "${b64url(JSON.stringify({ formatLength: 1e6, formatTail: 'Cn0' }))}"`)],
    ['missing tail', signed.replace(/"protected": "[^"]*"/, `"protected": "${b64url(JSON.stringify({ formatLength: 5 }))}"`)],
    ['string length', signed.replace(/"protected": "[^"]*"/, `"protected": "${b64url(JSON.stringify({ formatLength: '5', formatTail: 'Cn0' }))}"`)],
    ['not an object', '[]'],
  ];
  for (const [what, text] of broken) assert.throws(() => schema1CanonicalPayload(text), what);
  // No signature blocks: libtrust accepts it with an empty payload, which then fails to decode.
  const unsigned = `${payload.slice(0, -2)},"signatures":null}`;
  assert.equal(schema1CanonicalPayload(unsigned).length, 0);
  assert.equal(manifestMatchesImage(sha256(''), SCHEMA1, unsigned), false);
});

test('schema 1: a JWK in the signature header must be a key whose kid matches', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = keyId(publicKey.export({ type: 'spki', format: 'der' }));
  for (const [what, key, ok] of [
    ['key without kid', jwk, true],
    ['key with its kid', { ...jwk, kid }, true],
    ['key with another kid', { ...jwk, kid: kid.replace(/^..../, 'AAAA') }, false],
    ['unsupported curve', { ...jwk, crv: 'P-192' }, false],
    ['short coordinate', { ...jwk, x: 'AAAA' }, false],
    ['unknown key type', { kty: 'oct', k: 'AAAA' }, false],
    ['null key', null, false],
  ] as [string, object | null, boolean][]) {
    const { signed, payload } = signSchema1(schema1Document(), key ?? undefined);
    const text = key === null ? signed.replace('"alg"', '"jwk": null, "alg"') : signed;
    assert.equal(manifestMatchesImage(sha256(payload), SCHEMA1, text), ok, what);
  }
});

test('update refills metadata from a corrected manifest, then applies blob-stored and signature rules', () => {
  const manifest = schema2Manifest();
  const name = sha256(manifest);
  const stored = create(image({ metadata: { name }, dockerImageManifestMediaType: SCHEMA2, dockerImageConfig: schema2Config() }));
  assert.equal(stored.dockerImageLayers, undefined);
  const out = update(
    {
      ...clone(stored),
      metadata: { ...stored.metadata, annotations: { 'image.openshift.io/manifestBlobStored': 'true' } },
      dockerImageManifest: manifest,
      signatures: [{ metadata: { name: `${name}@s`, annotations: { 'image.openshift.io/managed-signature': 'true' } }, type: 't', content: 'YQ==' }],
    },
    stored,
  );
  assert.equal(out.dockerImageLayers!.length, 4);
  assert.equal(out.dockerImageMetadata!.Size, 882848);
  assert.equal(out.dockerImageManifest, undefined);
  assert.equal(out.dockerImageConfig, undefined);
  assert.equal(out.signatures![0].metadata!.annotations, undefined);
});

// ---- canonical form -----------------------------------------------------------------------------

test('canonicalImage writes what Go would: omitempty dropped, always-written fields filled, Go order', () => {
  const out = canonicalImage({
    metadata: { name: 'x' },
    dockerImageManifests: [{ digest: 'd', architecture: 'amd64', variant: '' }],
    dockerImageConfig: '',
    signatures: [
      {
        apiVersion: 'image.openshift.io/v1',
        kind: 'ImageSignature',
        metadata: { name: 'x@y', labels: {} },
        type: 't',
        content: 'YR==',
        conditions: [{ type: 'Trusted', status: 'True', reason: '' }],
        signedClaims: {},
        issuedTo: { commonName: 'c' },
        issuedBy: { organization: '' },
      },
    ],
    dockerImageSignatures: ['YQ==\n'],
    dockerImageLayers: [{ name: 'l' }],
    dockerImageReference: 'r',
    dockerImageManifest: '',
    apiVersion: 'image.openshift.io/v1',
    kind: 'Image',
  });
  assert.equal(
    JSON.stringify(out),
    JSON.stringify({
      apiVersion: 'image.openshift.io/v1',
      kind: 'Image',
      metadata: { name: 'x' },
      dockerImageReference: 'r',
      dockerImageLayers: [{ name: 'l', size: 0, mediaType: '' }],
      signatures: [
        {
          metadata: { name: 'x@y', creationTimestamp: null },
          type: 't',
          content: 'YQ==',
          conditions: [{ type: 'Trusted', status: 'True', lastProbeTime: null, lastTransitionTime: null }],
          issuedBy: {},
          issuedTo: { commonName: 'c', publicKeyID: '' },
        },
      ],
      dockerImageSignatures: ['YQ=='],
      dockerImageManifests: [{ digest: 'd', mediaType: '', manifestSize: 0, architecture: 'amd64', os: '' }],
    }),
  );
  assert.deepEqual(canonicalImage(out), out, 'idempotent');
});

// ---- validation ---------------------------------------------------------------------------------

const goodSignature = (fields: Partial<ImageSignature> = {}): ImageSignature => ({ metadata: { name: 'sha256:abc@sig' }, type: 'AtomicImageV1', content: 'YQ==', ...fields });

test('Image validation: dockerImageReference', () => {
  assert.deepEqual(messages(validateImage({ metadata: { name: 'x' }, dockerImageReference: 'quay.io/a/b:1' })), []);
  assert.deepEqual(messages(validateImage({ metadata: { name: 'x' } })), ['dockerImageReference: Required value']);
  assert.deepEqual(messages(validateImage({ metadata: { name: 'x' }, dockerImageReference: '\\' })), ['dockerImageReference: Invalid value: "\\\\": invalid reference format']);
  assert.deepEqual(messages(validateImage({ metadata: { name: 'x' }, dockerImageReference: 'Foo' })), ['dockerImageReference: Invalid value: "Foo": repository name must be lowercase']);
  assert.deepEqual(messages(imageStrategy.validate!(image({ dockerImageReference: '' }), ctx) as ReturnType<typeof validateImage>), ['dockerImageReference: Required value']);
  assert.deepEqual(messages(imageStrategy.validateUpdate!(image({ dockerImageReference: ':x' }), image(), ctx) as ReturnType<typeof validateImage>), [
    'dockerImageReference: Invalid value: ":x": invalid reference format',
  ]);
});

test('Image validation: dockerImageManifests and dockerImageLayers', () => {
  const good = { digest: 'sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f', mediaType: SCHEMA2, manifestSize: 1, architecture: 'amd64', os: 'linux' };
  assert.deepEqual(messages(validateImage(image({ dockerImageManifests: [good] }))), []);
  // The digest pattern is not anchored; the media type pattern is, but allows surrounding spaces.
  assert.deepEqual(messages(validateImage(image({ dockerImageManifests: [{ ...good, digest: `junk ${good.digest} junk`, mediaType: ` ${SCHEMA2} ` }] }))), []);
  assert.deepEqual(
    messages(
      validateImage(
        image({
          dockerImageManifests: [good, { digest: 'sha256:abc', mediaType: 'nonsense', manifestSize: -1, architecture: '', os: '' }],
          dockerImageLayers: [{ name: 'l', size: 1, mediaType: 'm' }],
        }),
      ),
    ),
    [
      'dockerImageManifests[1].digest: Invalid value: "sha256:abc": digest does not conform with OCI image specification',
      'dockerImageManifests[1].mediaType: Invalid value: "nonsense": media type does not conform to RFC6838',
      'dockerImageManifests[1].architecture: Required value',
      'dockerImageManifests[1].os: Required value',
      'dockerImageManifests[1].size: Invalid value: -1: manifest size cannot be negative',
      'dockerImageLayers: Invalid value: [{"name":"l","size":1,"mediaType":"m"}]: dockerImageLayers should not be set when dockerImageManifests is set',
    ],
  );
  // Layers alone are fine.
  assert.deepEqual(messages(validateImage(image({ dockerImageLayers: [{ name: 'l', size: 1, mediaType: 'm' }] }))), []);
});

test('Image validation: each signature is validated under signatures[i]', () => {
  const errs = messages(
    validateImage(
      image({
        signatures: [
          goodSignature(),
          { metadata: { namespace: 'ns', labels: { a: 'b' }, annotations: { c: 'd' } }, content: '' },
          goodSignature({ metadata: { name: 'a/b@c' } }),
        ],
      }),
    ),
  );
  assert.deepEqual(errs, [
    'signatures[1].metadata.name: Required value: name or generateName is required',
    'signatures[1].metadata.namespace: Forbidden: not allowed on this type',
    'signatures[1].metadata.labels: Forbidden: signature labels cannot be set',
    'signatures[1].metadata.annotations: Forbidden: signature annotations cannot be set',
    'signatures[1].metadata.name: Invalid value: "": name must be of format <imageName>@<signatureName>',
    'signatures[1].type: Required value',
    'signatures[1].content: Required value',
    `signatures[2].metadata.name: Invalid value: "a/b@c": may not contain '/'`,
  ]);
});

test('ImageSignature validation: names, conditions and server-only fields', () => {
  const check = (sig: ImageSignature) => validateImageSignature(sig, '').map(errorString);
  assert.deepEqual(check(goodSignature()), []);
  for (const name of ['noat', 'a@b@c', '@b', 'a@']) {
    assert.ok(check(goodSignature({ metadata: { name } })).includes(`metadata.name: Invalid value: "${name}": name must be of format <imageName>@<signatureName>`), name);
  }
  const t = (type: string, status: string, lastProbeTime?: string) => ({ type, status, ...(lastProbeTime ? { lastProbeTime } : {}) });
  const trustedOnly = check(goodSignature({ conditions: [t('Trusted', 'True')], imageIdentity: 'x' }));
  assert.equal(trustedOnly.length, 1);
  assert.match(trustedOnly[0], /^conditions: Invalid value: .*: missing "ForImage" condition type$/);
  const forImageOnly = check(goodSignature({ conditions: [t('ForImage', 'True')] }));
  assert.equal(forImageOnly.length, 1);
  assert.match(forImageOnly[0], /^conditions: Invalid value: .*: missing "Trusted" condition type$/);
  // Unrelated conditions first: upstream's precedence bug would misbehave; the intended logic does not.
  assert.deepEqual(check(goodSignature({ conditions: [t('Expired', 'False'), t('Trusted', 'True'), t('ForImage', 'True')], imageIdentity: 'x' })), []);
  assert.deepEqual(check(goodSignature({ conditions: [t('Revoked', 'False')] })), []);

  const serverFields: Partial<ImageSignature> = { imageIdentity: 'id', signedClaims: { a: 'b' }, issuedBy: { commonName: 'c' }, issuedTo: { publicKeyID: 'k' } };
  const unknownState = [
    'imageIdentity: Invalid value: "id": must be unset for unknown signature state',
    'signedClaims: Invalid value: {"a":"b"}: must be unset for unknown signature state',
    'issuedBy: Invalid value: {"commonName":"c"}: must be unset for unknown signature state',
    'issuedTo: Invalid value: {"publicKeyID":"k"}: must be unset for unknown signature state',
  ];
  assert.deepEqual(check(goodSignature(serverFields)), unknownState);
  assert.deepEqual(check(goodSignature({ ...serverFields, conditions: [t('Trusted', 'True'), t('ForImage', 'True')] })), []);
  assert.deepEqual(check(goodSignature({ ...serverFields, conditions: [t('Trusted', 'False'), t('ForImage', 'True')] })), []);
  assert.deepEqual(check(goodSignature({ ...serverFields, conditions: [t('Trusted', 'Unknown'), t('ForImage', 'True')] })), unknownState);
  // The newest Trusted condition decides; on equal probe times the later entry wins.
  const newest = [t('Trusted', 'True', '2020-01-02T00:00:00Z'), t('Trusted', 'Unknown', '2020-01-01T00:00:00Z'), t('ForImage', 'True')];
  assert.deepEqual(check(goodSignature({ ...serverFields, conditions: newest })), []);
  const tie = [t('Trusted', 'True', '2020-01-01T00:00:00Z'), t('Trusted', 'Unknown', '2020-01-01T00:00:00Z'), t('ForImage', 'True')];
  assert.deepEqual(check(goodSignature({ ...serverFields, conditions: tie })), unknownState);
  const missingTime = [t('Trusted', 'True', '2020-01-01T00:00:00Z'), t('Trusted', 'Unknown'), t('ForImage', 'True')];
  assert.deepEqual(check(goodSignature({ ...serverFields, conditions: missingTime })), []);
  // Empty server fields are not "set".
  assert.deepEqual(check(goodSignature({ imageIdentity: '', signedClaims: {}, issuedBy: null, issuedTo: null })), []);
});
