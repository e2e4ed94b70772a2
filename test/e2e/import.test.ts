// ImageStreamImport against real registries: Debian's docker-registry on 127.0.0.1 (plain HTTP, htpasswd,
// token auth, TLS with a test CA, schema 1 turned on), images built here as OCI layouts and pushed with skopeo
// (as OCI, converted to Docker schema 2, or to signed schema 1).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { start, type RunningServer } from '../../src/start.js';
import { missingRegistryTools, push, singleArchLayout, startRegistry, twoPlatformLayout, type BuiltManifest, type TestRegistry } from '../support/docker-registry.js';
import { createCA } from '../support/test-pki.js';
import { startTokenServer, type TokenServer } from '../support/token-server.js';

const missing = missingRegistryTools();
const NS = '/apis/image.openshift.io/v1/namespaces/imports';

describe('image import from registries', { skip: missing ? `registry tests skipped: ${missing}` : false }, () => {
  let work: string;
  let plain: TestRegistry;
  let secured: TestRegistry;
  let tls: TestRegistry;
  let tokenAuth: TestRegistry;
  let schema1: TestRegistry;
  let tokens: TokenServer;
  let server: RunningServer;
  let caPEM: string;
  let privileged = true;
  const authFile = () => join(work, 'auth.json');
  const caFile = () => join(work, 'ca.pem');
  let v1: BuiltManifest;
  let v2: BuiltManifest;
  let multi: Awaited<ReturnType<typeof twoPlatformLayout>>;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  const isi = (name: string, spec: object) => call('POST', `${NS}/imagestreamimports`, { apiVersion: 'image.openshift.io/v1', kind: 'ImageStreamImport', metadata: { name }, spec });
  const image = (name: string, extra: object = {}) => ({ from: { kind: 'DockerImage', name }, ...extra });
  /** A manifest as the registry serves it: its exact bytes, digest and media type. */
  const served = async (host: string, repo: string, ref: string, accept: string) => {
    const res = await fetch(`http://${host}/v2/${repo}/manifests/${ref}`, { headers: { accept } });
    assert.equal(res.status, 200);
    const bytes = Buffer.from(await res.arrayBuffer());
    return { bytes, json: JSON.parse(bytes.toString('utf8')), digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, contentDigest: res.headers.get('docker-content-digest'), mediaType: res.headers.get('content-type') };
  };
  const setConfig = async (spec: object) => {
    const current = await call('GET', '/apis/config.openshift.io/v1/images/cluster');
    const res = current.status === 404
      ? await call('POST', '/apis/config.openshift.io/v1/images', { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec })
      : await call('PUT', '/apis/config.openshift.io/v1/images/cluster', { ...current.json, spec });
    assert.ok(res.status < 300, JSON.stringify(res.json));
  };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'import-e2e-'));
    const ca = await createCA('import test CA');
    caPEM = ca.cert;
    await writeFile(join(work, 'ca.crt'), ca.cert);
    tokens = await startTokenServer(await ca.issueServer(['token-signer']), { bob: 'builder' }, { publicRepositories: ['public/app'] });
    [plain, secured, tls, tokenAuth, schema1] = await Promise.all([
      startRegistry(),
      startRegistry({ users: { alice: 'wonderland' } }),
      startRegistry({ tls: await ca.issueServer(['127.0.0.1']) }),
      startRegistry({ token: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundle: ca.cert } }),
      startRegistry({ schema1: true }),
    ]);
    v1 = await singleArchLayout(join(work, 'v1'), 'v1', 'version one');
    v2 = await singleArchLayout(join(work, 'v2'), 'v2', 'version two');
    multi = await twoPlatformLayout(join(work, 'multi'), 'multi', 'multi');
    await push(join(work, 'v1'), 'v1', `${plain.host}/team/app:v1`);
    await push(join(work, 'v2'), 'v2', `${plain.host}/team/app:v2`);
    await push(join(work, 'multi'), 'multi', `${plain.host}/team/multi:latest`);
    for (const tag of ['latest', '1.0', '1.1', '2.0.1', 'v2', 'other']) await push(join(work, 'v1'), 'v1', `${plain.host}/team/many:${tag}`);
    await push(join(work, 'v1'), 'v1', `${secured.host}/team/app:v1`, { creds: 'alice:wonderland' });
    await push(join(work, 'v1'), 'v1', `${tls.host}/team/app:v1`, { certDir: work });
    await push(join(work, 'v2'), 'v2', `${tokenAuth.host}/team/app:v2`, { creds: 'bob:builder' });
    await push(join(work, 'v2'), 'v2', `${tokenAuth.host}/public/app:v2`, { creds: 'bob:builder' });
    await push(join(work, 'v1'), 'v1', `${plain.host}/team/docker:v1`, { format: 'v2s2' });
    await push(join(work, 'multi'), 'multi', `${plain.host}/team/dockerlist:latest`, { format: 'v2s2' });
    await push(join(work, 'v1'), 'v1', `${schema1.host}/team/old:v1`, { format: 'v2s1' });
    await writeFile(authFile(), JSON.stringify({ auths: {} }));
    await writeFile(caFile(), '');

    const dataDir = join(work, 'data');
    server = await start(
      {
        bindAddress: '127.0.0.1',
        port: 0,
        dataDir,
        logLevel: 'silent',
        storageBackend: 'level',
        imageImport: {
          registryAuthFile: authFile(),
          additionalTrustedCAFile: caFile(),
          maxImagesBulkImportedPerRepository: 3,
          authorizer: { allowed: async () => privileged },
          limits: { retryDelayScale: 0.01 },
        },
      },
      pino({ level: 'silent' }),
    );
    await setConfig({});
  });

  after(async () => {
    await server?.close();
    await Promise.all([plain?.stop(), secured?.stop(), tls?.stop(), tokenAuth?.stop(), schema1?.stop()]);
    await tokens?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('preview (import: false) returns the image and writes nothing', async () => {
    const res = await isi('preview', { import: false, images: [image(`${plain.host}/team/app:v1`, { importPolicy: { insecure: true } }), image(`${plain.host}/team/app:v1`, { importPolicy: { insecure: true }, includeManifest: true, to: { name: 'other' } })] });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const [first, second] = res.json.status.images;
    assert.deepEqual(first.status, { metadata: {}, status: 'Success' });
    assert.equal(first.tag, 'v1');
    assert.equal(first.image.metadata.name, v1.digest);
    assert.equal(first.image.dockerImageReference, `${plain.host}/team/app@${v1.digest}`);
    assert.equal(first.image.dockerImageManifestMediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(first.image.dockerImageMetadata.Id, v1.configDigest);
    assert.equal(first.image.dockerImageMetadata.Size, v1.configBytes.length + v1.layerSize);
    assert.deepEqual(first.image.dockerImageMetadata.Config.Labels, { 'test.content': 'version one' });
    assert.deepEqual(first.image.dockerImageLayers, [{ name: v1.layerDigest, size: v1.layerSize, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }]);
    assert.equal(first.image.dockerImageManifest, undefined);
    assert.equal(second.image.dockerImageManifest, v1.bytes.toString('utf8'));
    assert.equal(second.image.dockerImageConfig, v1.configBytes.toString('utf8'));
    assert.equal(res.json.status.import, undefined);
    assert.equal((await call('GET', `${NS}/imagestreams/preview`)).status, 404);
    assert.equal((await call('GET', `/apis/image.openshift.io/v1/images/${v1.digest}`)).status, 404);
  });

  test('import of a tag creates the stream, the tag and the image', async () => {
    const res = await isi('tagged', { import: true, images: [image(`${plain.host}/team/app:v1`, { importPolicy: { insecure: true } })] });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const stream = res.json.status.import;
    assert.equal(stream.metadata.generation, 1);
    assert.ok(stream.metadata.annotations['openshift.io/image.dockerRepositoryCheck']);
    assert.deepEqual(stream.spec.tags.map((t: { name: string; from: object; generation: number }) => [t.name, t.from, t.generation]), [['v1', { kind: 'DockerImage', name: `${plain.host}/team/app:v1` }, 1]]);
    assert.deepEqual(stream.status.tags[0].items.map((i: { dockerImageReference: string; image: string; generation: number }) => [i.dockerImageReference, i.image, i.generation]), [[`${plain.host}/team/app@${v1.digest}`, v1.digest, 1]]);
    const created = res.json.status.images[0].image;
    assert.ok(created.metadata.uid, 'the status shows the created image');
    assert.equal(created.dockerImageManifest, undefined);
    const stored = await call('GET', `/apis/image.openshift.io/v1/images/${v1.digest}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.json.dockerImageReference, `${plain.host}/team/app@${v1.digest}`);
    assert.equal(stored.json.dockerImageMetadata.Id, v1.configDigest);

    // The same import again changes nothing: no write, the stream as it is.
    const again = await isi('tagged', { import: true, images: [image(`${plain.host}/team/app:v1`, { importPolicy: { insecure: true } })] });
    assert.equal(again.status, 201);
    assert.equal(again.json.status.import.metadata.resourceVersion, stream.metadata.resourceVersion);
  });

  test('import by digest: with `to` it is tagged, without `to` only reported', async () => {
    const res = await isi('digests', {
      import: true,
      images: [image(`${plain.host}/team/app@${v2.digest}`, { to: { name: 'pinned' }, importPolicy: { insecure: true } }), image(`${plain.host}/team/app@${v1.digest}`, { importPolicy: { insecure: true } })],
    });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const [pinned, untagged] = res.json.status.images;
    assert.equal(pinned.status.status, 'Success');
    assert.equal(pinned.tag, undefined);
    assert.equal(pinned.image.metadata.name, v2.digest);
    assert.equal(untagged.image.metadata.name, v1.digest);
    const tags = res.json.status.import.status.tags;
    assert.deepEqual(tags.map((t: { tag: string }) => t.tag), ['pinned']);
    assert.equal(tags[0].items[0].dockerImageReference, `${plain.host}/team/app@${v2.digest}`);
  });

  test('repository import: priority order, tag limit, additional tags', async () => {
    const res = await isi('many', { import: true, repository: { from: { kind: 'DockerImage', name: `${plain.host}/team/many` }, importPolicy: { insecure: true } } });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const repo = res.json.status.repository;
    assert.deepEqual(repo.status, { metadata: {}, status: 'Success' });
    assert.deepEqual(repo.images.map((i: { tag: string }) => i.tag), ['latest', '1.1', '1.0']);
    assert.deepEqual(repo.additionalTags, ['2.0.1', 'other', 'v2']);
    assert.equal(repo.images[0].image.dockerImageReference, `${plain.host}/team/many@${v1.digest}`);
    const spec = res.json.status.import.spec.tags;
    assert.deepEqual(spec.map((t: { name: string; from: { name: string } }) => [t.name, t.from.name]), [
      ['1.0', `${plain.host}/team/many:1.0`],
      ['1.1', `${plain.host}/team/many:1.1`],
      ['latest', `${plain.host}/team/many:latest`],
    ]);
  });

  test('manifest list, Legacy: the linux/amd64 child (or the preferred platform) is imported', async () => {
    const res = await isi('legacy', { import: false, images: [image(`${plain.host}/team/multi:latest`, { importPolicy: { insecure: true, importMode: 'Legacy' } })] });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const entry = res.json.status.images[0];
    assert.equal(entry.image.metadata.name, multi.children.amd64.digest);
    assert.equal(entry.image.dockerImageReference, `${plain.host}/team/multi@${multi.children.amd64.digest}`);
    assert.equal(entry.manifests, undefined);

    // A spec tag's prefer-arch annotation picks another child.
    const created = await call('POST', `${NS}/imagestreams`, {
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name: 'arm' },
      spec: { tags: [{ name: 'latest', annotations: { 'importer.image.openshift.io/prefer-arch': 'arm64' } }] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const arm = await isi('arm', { import: false, images: [image(`${plain.host}/team/multi:latest`, { importPolicy: { insecure: true } })] });
    assert.equal(arm.json.status.images[0].image.metadata.name, multi.children.arm64.digest);
  });

  test('manifest list, PreserveOriginal: the list and its children, three images created', async () => {
    const res = await isi('preserved', { import: true, images: [image(`${plain.host}/team/multi:latest`, { importPolicy: { insecure: true, importMode: 'PreserveOriginal' } })] });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const entry = res.json.status.images[0];
    assert.equal(entry.status.status, 'Success');
    assert.equal(entry.image.metadata.name, multi.index.digest);
    assert.equal(entry.image.dockerImageManifestMediaType, 'application/vnd.oci.image.index.v1+json');
    assert.deepEqual(entry.image.dockerImageManifests, [
      { digest: multi.children.amd64.digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', manifestSize: multi.children.amd64.bytes.length, architecture: 'amd64', os: 'linux' },
      { digest: multi.children.arm64.digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', manifestSize: multi.children.arm64.bytes.length, architecture: 'arm64', os: 'linux', variant: 'v8' },
    ]);
    assert.deepEqual(entry.manifests.map((m: { metadata: { name: string }; dockerImageReference: string }) => [m.metadata.name, m.dockerImageReference]), [
      [multi.children.amd64.digest, `${plain.host}/team/multi@${multi.children.amd64.digest}`],
      [multi.children.arm64.digest, `${plain.host}/team/multi@${multi.children.arm64.digest}`],
    ]);
    for (const name of [multi.index.digest, multi.children.amd64.digest, multi.children.arm64.digest]) {
      assert.equal((await call('GET', `/apis/image.openshift.io/v1/images/${name}`)).status, 200, name);
    }
    assert.equal(res.json.status.import.status.tags[0].items[0].image, multi.index.digest);
  });

  test('Docker schema 2 and a Docker manifest list (skopeo --format v2s2): named by the digest of the bytes served', async () => {
    const manifest = await served(plain.host, 'team/docker', 'v1', 'application/vnd.docker.distribution.manifest.v2+json');
    const list = await served(plain.host, 'team/dockerlist', 'latest', 'application/vnd.docker.distribution.manifest.list.v2+json');
    assert.equal(manifest.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
    assert.equal(list.mediaType, 'application/vnd.docker.distribution.manifest.list.v2+json');
    const res = await isi('docker', {
      import: true,
      images: [
        image(`${plain.host}/team/docker:v1`, { importPolicy: { insecure: true } }),
        image(`${plain.host}/team/dockerlist:latest`, { importPolicy: { insecure: true, importMode: 'PreserveOriginal' } }),
        image(`${plain.host}/team/dockerlist:latest`, { to: { name: 'legacy' }, importPolicy: { insecure: true, importMode: 'Legacy' } }),
      ],
    });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const [single, preserved, legacy] = res.json.status.images;
    assert.equal(single.status.status, 'Success', JSON.stringify(single.status));
    assert.equal(single.image.metadata.name, manifest.digest);
    assert.equal(single.image.dockerImageManifestMediaType, 'application/vnd.docker.distribution.manifest.v2+json');
    assert.equal(single.image.dockerImageMetadata.Id, manifest.json.config.digest);
    assert.deepEqual(single.image.dockerImageLayers, manifest.json.layers.map((l: { digest: string; size: number; mediaType: string }) => ({ name: l.digest, size: l.size, mediaType: l.mediaType })));
    assert.equal(single.image.dockerImageLayers[0].mediaType, 'application/vnd.docker.image.rootfs.diff.tar.gzip');
    assert.equal(single.image.dockerImageMetadata.Size, manifest.json.config.size + manifest.json.layers[0].size);

    assert.equal(preserved.status.status, 'Success', JSON.stringify(preserved.status));
    assert.equal(preserved.image.metadata.name, list.digest);
    assert.equal(preserved.image.dockerImageManifestMediaType, 'application/vnd.docker.distribution.manifest.list.v2+json');
    const children = list.json.manifests as { digest: string; size: number; mediaType: string; platform: { architecture: string } }[];
    assert.deepEqual(preserved.image.dockerImageManifests.map((m: { digest: string; mediaType: string; manifestSize: number; architecture: string }) => [m.digest, m.mediaType, m.manifestSize, m.architecture]), children.map((c) => [c.digest, 'application/vnd.docker.distribution.manifest.v2+json', c.size, c.platform.architecture]));
    assert.deepEqual(preserved.manifests.map((m: { metadata: { name: string } }) => m.metadata.name), children.map((c) => c.digest));
    const amd64 = children.find((c) => c.platform.architecture === 'amd64')!;
    assert.equal(legacy.image.metadata.name, amd64.digest);
    for (const name of [manifest.digest, list.digest, ...children.map((c) => c.digest)]) {
      assert.equal((await call('GET', `/apis/image.openshift.io/v1/images/${name}`)).status, 200, name);
    }
    const tags = res.json.status.import.status.tags.map((t: { tag: string; items: { image: string }[] }) => [t.tag, t.items[0].image]);
    assert.deepEqual(tags, [['latest', list.digest], ['legacy', amd64.digest], ['v1', manifest.digest]]);
  });

  test('signed schema 1 (skopeo --format v2s1): refused by a schema1-less registry; imported by tag and digest from one that keeps it', async () => {
    // distribution 2.8 refuses schema 1 unless `compatibility.schema1.enabled`: that is why a second registry runs.
    await assert.rejects(push(join(work, 'v1'), 'v1', `${plain.host}/team/old:v1`, { format: 'v2s1' }), /500 Internal Server Error/);

    const manifest = await served(schema1.host, 'team/old', 'v1', 'application/vnd.docker.distribution.manifest.v1+prettyjws');
    assert.equal(manifest.mediaType, 'application/vnd.docker.distribution.manifest.v1+prettyjws');
    assert.ok(manifest.json.signatures?.length, 'the manifest is signed');
    // The digest covers the payload without its signatures: not the bytes served.
    assert.notEqual(manifest.contentDigest, manifest.digest);
    const v1Compatibility = JSON.parse(manifest.json.history[0].v1Compatibility);
    const layer = manifest.json.fsLayers[0].blobSum;
    const res = await isi('schemaone', {
      import: true,
      images: [image(`${schema1.host}/team/old:v1`, { importPolicy: { insecure: true } }), image(`${schema1.host}/team/old@${manifest.contentDigest}`, { to: { name: 'pinned' }, importPolicy: { insecure: true } })],
    });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const [byTag, byDigest] = res.json.status.images;
    for (const entry of [byTag, byDigest]) {
      assert.equal(entry.status.status, 'Success', JSON.stringify(entry.status));
      assert.equal(entry.image.metadata.name, manifest.contentDigest);
      assert.equal(entry.image.dockerImageReference, `${schema1.host}/team/old@${manifest.contentDigest}`);
    }
    const stored = await call('GET', `/apis/image.openshift.io/v1/images/${manifest.contentDigest}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.json.dockerImageManifestMediaType, 'application/vnd.docker.distribution.manifest.v1+json');
    assert.equal(stored.json.dockerImageMetadata.Id, v1Compatibility.id);
    assert.deepEqual(stored.json.dockerImageMetadata.Config.Labels, { 'test.content': 'version one' });
    assert.deepEqual(stored.json.dockerImageLayers, [{ name: layer, size: v1.layerSize, mediaType: 'application/vnd.docker.container.image.rootfs.diff+x-gtar' }]);
    // schema 1 carries no layer sizes: they come from blob HEAD requests.
    assert.equal(stored.json.dockerImageMetadata.Size, v1.layerSize);
    assert.deepEqual(res.json.status.import.status.tags.map((t: { tag: string; items: { image: string }[] }) => [t.tag, t.items[0].image]), [['pinned', manifest.contentDigest], ['v1', manifest.contentDigest]]);
  });

  test('unknown tag: NotFound status, and an ImportSuccess=False condition on the tag', async () => {
    const ref = `${plain.host}/team/app:nope`;
    const res = await isi('missing', { import: true, images: [image(ref, { importPolicy: { insecure: true } })] });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    assert.deepEqual(res.json.status.images[0], {
      status: {
        metadata: {},
        status: 'Failure',
        message: `dockerimage.image.openshift.io "${ref}" not found`,
        reason: 'NotFound',
        details: { name: ref, group: 'image.openshift.io', kind: 'dockerimage' },
        code: 404,
      },
      tag: 'nope',
    });
    const stream = res.json.status.import;
    assert.equal(stream.spec.tags[0].from.name, ref);
    const condition = stream.status.tags[0].conditions[0];
    assert.deepEqual([condition.type, condition.status, condition.reason, condition.message, condition.generation], ['ImportSuccess', 'False', 'NotFound', `dockerimage.image.openshift.io "${ref}" not found`, 1]);
  });

  test('credentials: unauthorized without them, imported with the registry auth file', async () => {
    const ref = `${secured.host}/team/app:v1`;
    const denied = await isi('secret', { import: false, images: [image(ref, { importPolicy: { insecure: true } })] });
    assert.equal(denied.status, 201);
    assert.deepEqual(denied.json.status.images[0].status, { metadata: {}, status: 'Failure', message: `you may not have access to the container image "${ref}"`, reason: 'Unauthorized', code: 401 });

    await writeFile(authFile(), JSON.stringify({ auths: { [secured.host]: { auth: Buffer.from('alice:wrong').toString('base64') } } }));
    const wrong = await isi('secret', { import: false, images: [image(ref, { importPolicy: { insecure: true } })] });
    assert.equal(wrong.json.status.images[0].status.reason, 'Unauthorized');

    await writeFile(authFile(), JSON.stringify({ auths: { [`http://${secured.host}`]: { username: 'alice', password: 'wonderland' } } }));
    const allowed = await isi('secret', { import: false, images: [image(ref, { importPolicy: { insecure: true } })] });
    assert.equal(allowed.json.status.images[0].status.status, 'Success', JSON.stringify(allowed.json.status.images[0]));
    assert.equal(allowed.json.status.images[0].image.metadata.name, v1.digest);
  });

  test('bearer tokens: anonymous tokens are refused, a wrong password keeps its message, credentials import', async () => {
    const ref = `${tokenAuth.host}/team/app:v2`;
    const anonymous = await isi('token', { import: false, images: [image(ref, { importPolicy: { insecure: true } })] });
    assert.deepEqual(anonymous.json.status.images[0].status, { metadata: {}, status: 'Failure', message: `you may not have access to the container image "${ref}"`, reason: 'Unauthorized', code: 401 });

    await writeFile(authFile(), JSON.stringify({ auths: { [tokenAuth.host]: { username: 'bob', password: 'wrong' } } }));
    const wrong = await isi('token', { import: false, images: [image(ref, { importPolicy: { insecure: true } })] });
    assert.deepEqual(wrong.json.status.images[0].status, { metadata: {}, status: 'Failure', message: `incorrect username or password for image "${ref}"`, reason: 'Unauthorized', code: 401 });

    await writeFile(authFile(), JSON.stringify({ auths: { [tokenAuth.host]: { username: 'bob', password: 'builder' } } }));
    const seen = tokens.requests.length;
    const ok = await isi('token', { import: false, images: [image(ref, { importPolicy: { insecure: true } })] });
    assert.equal(ok.json.status.images[0].status.status, 'Success', JSON.stringify(ok.json.status.images[0]));
    assert.equal(ok.json.status.images[0].image.metadata.name, v2.digest);
    assert.deepEqual(tokens.requests.slice(seen), [{ scope: 'repository:team/app:pull', account: 'bob' }]);
  });

  test('a refused password is retried without credentials: public images import, private ones keep the first status', async () => {
    await writeFile(authFile(), JSON.stringify({ auths: { [tokenAuth.host]: { username: 'bob', password: 'wrong' } } }));
    try {
      const seen = tokens.requests.length;
      const publicRef = `${tokenAuth.host}/public/app:v2`;
      const privateRef = `${tokenAuth.host}/team/app:v2`;
      const res = await isi('retry', { import: false, images: [image(publicRef, { importPolicy: { insecure: true } }), image(privateRef, { importPolicy: { insecure: true } })] });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      const [pub, priv] = res.json.status.images;
      assert.equal(pub.status.status, 'Success', JSON.stringify(pub.status));
      assert.equal(pub.image.metadata.name, v2.digest);
      // The anonymous pass says "you may not have access": the first pass's message is what the user sees.
      assert.deepEqual(priv.status, { metadata: {}, status: 'Failure', message: `incorrect username or password for image "${privateRef}"`, reason: 'Unauthorized', code: 401 });
      // Tokens granted: only the anonymous ones of the second pass (the password was refused).
      assert.deepEqual(tokens.requests.slice(seen), [
        { scope: 'repository:public/app:pull', account: '' },
        { scope: 'repository:team/app:pull', account: '' },
      ]);
    } finally {
      await writeFile(authFile(), JSON.stringify({ auths: {} }));
    }
  });

  test('blocked registries: Forbidden for images and repositories', async () => {
    await setConfig({ registrySources: { blockedRegistries: [plain.host] } });
    try {
      const res = await isi('blocked', { import: false, images: [image(`${plain.host}/team/app:v1`)], repository: { from: { kind: 'DockerImage', name: `${plain.host}/team/many` } } });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      const forbidden = { metadata: {}, status: 'Failure', message: `forbidden: registry ${plain.host} blocked`, reason: 'Forbidden', details: {}, code: 403 };
      assert.deepEqual(res.json.status.images[0].status, forbidden);
      assert.deepEqual(res.json.status.repository, { status: forbidden });
    } finally {
      await setConfig({});
    }
  });

  test('allow-list: users who may not create images are held to allowedRegistriesForImport', async () => {
    await setConfig({ allowedRegistriesForImport: [{ domainName: 'quay.io' }] });
    privileged = false;
    try {
      const res = await isi('allowlist', { import: false, images: [image(`${plain.host}/team/app:v1`, { importPolicy: { insecure: true } })] });
      assert.equal(res.status, 422, JSON.stringify(res.json));
      assert.equal(
        res.json.message,
        `ImageStreamImport.image.openshift.io "allowlist" is invalid: spec.images[0].from.name: Forbidden: importing images from registry "${plain.host}" is forbidden: registry "${plain.host}" not allowed by whitelist: "quay.io:443"`,
      );
      privileged = true;
      const admin = await isi('allowlist', { import: false, images: [image(`${plain.host}/team/app:v1`, { importPolicy: { insecure: true } })] });
      assert.equal(admin.status, 201);
      assert.equal(admin.json.status.images[0].status.status, 'Success');
    } finally {
      privileged = true;
      await setConfig({});
    }
  });

  test('insecure required: plain HTTP needs importPolicy.insecure or an insecure registry entry', async () => {
    const ref = `${plain.host}/team/app:v1`;
    const res = await isi('http', { import: false, images: [image(ref)] });
    assert.equal(res.json.status.images[0].status.reason, 'InternalError');
    assert.equal(res.json.status.images[0].status.message, `Internal error occurred: ${ref}: Get "https://${plain.host}/v2/": http: server gave HTTP response to HTTPS client`);
    await setConfig({ registrySources: { insecureRegistries: [plain.host] } });
    try {
      const ok = await isi('http', { import: false, images: [image(ref)] });
      assert.equal(ok.json.status.images[0].status.status, 'Success');
    } finally {
      await setConfig({});
    }
  });

  test('TLS registry: unknown CA fails, insecure skips verification, the trusted CA file verifies', async () => {
    const ref = `${tls.host}/team/app:v1`;
    const unknown = await isi('tls', { import: false, images: [image(ref)] });
    assert.equal(unknown.json.status.images[0].status.message, `Internal error occurred: ${ref}: Get "https://${tls.host}/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority`);
    const insecure = await isi('tls', { import: false, images: [image(ref, { importPolicy: { insecure: true } })] });
    assert.equal(insecure.json.status.images[0].status.status, 'Success');
    await writeFile(caFile(), caPEM);
    try {
      const trusted = await isi('tls', { import: false, images: [image(ref)] });
      assert.equal(trusted.json.status.images[0].status.status, 'Success', JSON.stringify(trusted.json.status.images[0]));
    } finally {
      await writeFile(caFile(), '');
    }
  });

  test('a missing cluster image configuration is a 500', async () => {
    assert.equal((await call('DELETE', '/apis/config.openshift.io/v1/images/cluster')).status, 200);
    try {
      const res = await isi('noconfig', { import: false, images: [image(`${plain.host}/team/app:v1`)] });
      assert.equal(res.status, 500);
      assert.equal(res.json.message, 'Internal error occurred: images.config.openshift.io "cluster" not found');
    } finally {
      await setConfig({});
    }
  });
});
