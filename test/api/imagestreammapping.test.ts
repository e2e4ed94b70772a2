// imagestreammappings over HTTP (image-api-behavior §4.1; upstream imagestreammapping/rest_test.go and origin's
// test/extended/images/imagestream.go): the integrated registry's push, Image reuse and the reference the tag event
// records, tracking tags, every validation rule and error path, dry runs, the conflict rule of the status write, and
// 20 clients mapping into one stream at once.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { mergeMappedEvent } from '../../src/apis/image/v1/imagestreammapping/tag-event-merge.js';
import type { ImageStream } from '../../src/apis/image/v1/imagestream/types.js';
import type { Config } from '../../src/config.js';
import { start } from '../../src/start.js';

const GROUP = '/apis/image.openshift.io/v1';
const IMAGES = `${GROUP}/images`;
const CONFIG = '/apis/config.openshift.io/v1/images';
const IS = (ns: string) => `${GROUP}/namespaces/${ns}/imagestreams`;
const ISM = (ns: string) => `${GROUP}/namespaces/${ns}/imagestreammappings`;
const ISTAG = (ns: string) => `${GROUP}/namespaces/${ns}/imagestreamtags`;
const REGISTRY = 'image-registry.svc:5000';
const CREATED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const digest = (seed: string) => `sha256:${seed.repeat(64).slice(0, 64)}`;

interface Response {
  status: number;
  text: string;
  json: any;
}
interface Server {
  request(method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

async function startServer(extra: Partial<Config>): Promise<Server> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ism-test-'));
  const server = await start({ bindAddress: '127.0.0.1', port: 0, dataDir, logLevel: 'silent', storageBackend: 'level', ...extra }, pino({ level: 'silent' }));
  return {
    async request(method, path, body) {
      const res = await fetch(server.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': 'application/json' } });
      const text = await res.text();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, text, json };
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const mapping = (stream: string, tag: string, image: Record<string, unknown>) => ({ apiVersion: 'image.openshift.io/v1', kind: 'ImageStreamMapping', metadata: { name: stream }, tag, image });
const statusTag = (stream: any, tag: string) => stream.status.tags?.find((t: any) => t.tag === tag);

let srv: Server;
before(async () => {
  srv = await startServer({ internalRegistryHostname: REGISTRY });
});
after(async () => {
  await srv.close();
});

async function createStream(s: Server, ns: string, body: Record<string, unknown>): Promise<any> {
  const res = await s.request('POST', IS(ns), body);
  assert.equal(res.status, 201, res.text);
  return res.json;
}

describe('mapping an image (§4.1)', () => {
  before(async () => {
    await createStream(srv, 'map', { metadata: { name: 'app' } });
    await createStream(srv, 'map', { metadata: { name: 'newrepo' } });
  });

  test('create success with name: the Image is stored and the tag gets an event; the answer is the 201 Status', async () => {
    const image = digest('1');
    const stream = (await srv.request('GET', `${IS('map')}/app`)).json;
    const res = await srv.request('POST', ISM('map'), mapping('app', 'latest', { metadata: { name: image }, dockerImageReference: `quay.io/app/web@${image}` }));
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json, CREATED);
    const stored = (await srv.request('GET', `${IMAGES}/${image}`)).json;
    assert.equal(stored.dockerImageReference, `quay.io/app/web@${image}`);
    const after = (await srv.request('GET', `${IS('map')}/app`)).json;
    const [ev] = statusTag(after, 'latest').items;
    assert.deepEqual({ ...ev, created: 'x' }, { created: 'x', dockerImageReference: `quay.io/app/web@${image}`, image, generation: stream.metadata.generation });
    // Mappings never touch spec.
    assert.equal(after.spec.tags, undefined);
  });

  test('an image without reference is where the integrated registry keeps it; signatures are dropped', async () => {
    const image = digest('2');
    const signature = { metadata: { name: `${image}@sig` }, type: 'AtomicImageV1', content: 'YWJj' };
    const res = await srv.request('POST', ISM('map'), mapping('app', 'v2', { metadata: { name: image }, signatures: [signature] }));
    assert.equal(res.status, 201, res.text);
    const stored = (await srv.request('GET', `${IMAGES}/${image}`)).json;
    assert.equal(stored.dockerImageReference, `${REGISTRY}/map/app@${image}`);
    assert.equal(stored.signatures, undefined);
    assert.equal(statusTag((await srv.request('GET', `${IS('map')}/app`)).json, 'v2').items[0].dockerImageReference, `${REGISTRY}/map/app@${image}`);
  });

  test('an existing image keeps its reference; the event records the mapping\'s', async () => {
    const image = digest('1');
    const res = await srv.request('POST', ISM('map'), mapping('app', 'other', { metadata: { name: image }, dockerImageReference: 'quay.io/app/web:different' }));
    assert.equal(res.status, 201, res.text);
    assert.equal((await srv.request('GET', `${IMAGES}/${image}`)).json.dockerImageReference, `quay.io/app/web@${image}`);
    assert.equal(statusTag((await srv.request('GET', `${IS('map')}/app`)).json, 'other').items[0].dockerImageReference, 'quay.io/app/web:different');
  });

  test('an existing image of the integrated registry is referenced through this stream', async () => {
    const image = digest('3');
    const managed = { metadata: { name: image, annotations: { 'openshift.io/image.managed': 'true' } }, dockerImageReference: `${REGISTRY}/map/app@${image}` };
    assert.equal((await srv.request('POST', ISM('map'), mapping('app', 'pushed', managed))).status, 201);
    // The first mapping created the image: its own reference is used.
    assert.equal(statusTag((await srv.request('GET', `${IS('map')}/app`)).json, 'pushed').items[0].dockerImageReference, `${REGISTRY}/map/app@${image}`);
    assert.equal((await srv.request('POST', ISM('map'), mapping('newrepo', 'latest', managed))).status, 201);
    assert.equal(statusTag((await srv.request('GET', `${IS('map')}/newrepo`)).json, 'latest').items[0].dockerImageReference, `${REGISTRY}/map/newrepo@${image}`);
  });

  test('mapping the same data twice changes nothing the second time', async () => {
    const image = digest('4');
    const body = mapping('app', 'twice', { metadata: { name: image }, dockerImageReference: `quay.io/app/web@${image}` });
    assert.equal((await srv.request('POST', ISM('map'), body)).status, 201);
    const before = (await srv.request('GET', `${IS('map')}/app`)).json;
    const res = await srv.request('POST', ISM('map'), body);
    assert.equal(res.status, 201, res.text);
    const after = (await srv.request('GET', `${IS('map')}/app`)).json;
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(statusTag(after, 'twice').items.length, 1);
  });

  test('a new image on a tag goes in front of its history; one image can be mapped to several tags', async () => {
    const image = digest('5');
    for (const tag of ['twice', 'also']) {
      assert.equal((await srv.request('POST', ISM('map'), mapping('app', tag, { metadata: { name: image }, dockerImageReference: `quay.io/app/web@${image}` }))).status, 201);
    }
    const stream = (await srv.request('GET', `${IS('map')}/app`)).json;
    assert.deepEqual(statusTag(stream, 'twice').items.map((e: any) => e.image), [image, digest('4')]);
    assert.deepEqual(statusTag(stream, 'also').items.map((e: any) => e.image), [image]);
  });

  test('tracking tags get the same event', async () => {
    await createStream(srv, 'map', { metadata: { name: 'tracked' }, spec: { tags: [{ name: 'latest', from: { kind: 'ImageStreamTag', name: 'v1' } }, { name: 'stable', from: { kind: 'ImageStreamTag', name: 'tracked:v1' } }] } });
    const image = digest('6');
    assert.equal((await srv.request('POST', ISM('map'), mapping('tracked', 'v1', { metadata: { name: image }, dockerImageReference: `quay.io/app/web@${image}` }))).status, 201);
    const stream = (await srv.request('GET', `${IS('map')}/tracked`)).json;
    for (const tag of ['v1', 'latest', 'stable']) assert.equal(statusTag(stream, tag).items[0].image, image, tag);
  });

  test('the push of the integrated registry: manifest and config fill the Image, which then drops them', async () => {
    const config = JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2024-05-01T00:00:00Z', config: { Cmd: ['/app'] } });
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: sha256(config) },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 321, digest: digest('7') }],
    });
    const image = sha256(manifest);
    const res = await srv.request('POST', ISM('map'), mapping('app', 'pushed-manifest', {
      metadata: { name: image, annotations: { 'openshift.io/image.managed': 'true', 'image.openshift.io/manifestBlobStored': 'true' } },
      dockerImageReference: `${REGISTRY}/map/app@${image}`,
      dockerImageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      dockerImageManifest: manifest,
      dockerImageConfig: config,
    }));
    assert.equal(res.status, 201, res.text);
    const stored = (await srv.request('GET', `${IMAGES}/${image}`)).json;
    assert.equal(stored.dockerImageManifest, undefined);
    assert.equal(stored.dockerImageMetadata.Id, sha256(config));
    assert.deepEqual(stored.dockerImageLayers.map((l: any) => l.name), [digest('7')]);
    const istag = (await srv.request('GET', `${ISTAG('map')}/app:pushed-manifest`)).json;
    assert.equal(istag.image.dockerImageReference, `${REGISTRY}/map/app@${image}`);
  });
});

describe('errors (§4.1)', () => {
  before(async () => {
    await createStream(srv, 'errs', { metadata: { name: 'app' } });
  });

  test('conflicting namespace: 400', async () => {
    const res = await srv.request('POST', ISM('errs'), { ...mapping('app', 'latest', { metadata: { name: digest('c') }, dockerImageReference: 'quay.io/a/b:1' }), metadata: { name: 'app', namespace: 'other' } });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.message, 'the namespace of the provided object does not match the namespace sent on the request');
  });

  test('image stream not found with name: 404, details kind imagestreams; no Image is created', async () => {
    const image = digest('d');
    const res = await srv.request('POST', ISM('errs'), mapping('missing', 'latest', { metadata: { name: image }, dockerImageReference: `quay.io/a/b@${image}` }));
    assert.equal(res.status, 404, res.text);
    assert.equal(res.json.message, 'imagestreams.image.openshift.io "missing" not found');
    assert.deepEqual([res.json.details.kind, res.json.details.name], ['imagestreams', 'missing']);
    assert.equal((await srv.request('GET', `${IMAGES}/${image}`)).status, 404);
  });

  const invalids: [string, Record<string, unknown>, string[]][] = [
    ['no name', { metadata: {}, tag: 'latest', image: { metadata: { name: digest('e') }, dockerImageReference: 'quay.io/a/b:1' } }, ['metadata.name: Required value: name or generateName is required', 'name: Required value', 'dockerImageRepository: Required value']],
    ['a name that is no path segment', { metadata: { name: 'a%b' }, tag: 'latest', image: { metadata: { name: digest('e') }, dockerImageReference: 'quay.io/a/b:1' } }, [`metadata.name: Invalid value: "a%b": may not contain '%'`]],
    ['no tag', { metadata: { name: 'app' }, image: { metadata: { name: digest('e') }, dockerImageReference: 'quay.io/a/b:1' } }, ['tag: Required value']],
    ['no image name', { metadata: { name: 'app' }, tag: 'latest', image: { dockerImageReference: 'quay.io/a/b:1' } }, ['image.metadata.name: Required value: name or generateName is required']],
    ['an image name with "/"', { metadata: { name: 'app' }, tag: 'latest', image: { metadata: { name: 'a/b' }, dockerImageReference: 'quay.io/a/b:1' } }, [`image.metadata.name: Invalid value: "a/b": may not contain '/'`]],
    ['an image namespace', { metadata: { name: 'app' }, tag: 'latest', image: { metadata: { name: digest('e'), namespace: 'x' }, dockerImageReference: 'quay.io/a/b:1' } }, ['image.metadata.namespace: Forbidden: not allowed on this type']],
    ['a bad image reference', { metadata: { name: 'app' }, tag: 'latest', image: { metadata: { name: digest('e') }, dockerImageReference: 'Bad Ref' } }, ['image.dockerImageReference: Invalid value: "Bad Ref": invalid reference format']],
    [
      'bad sub-manifests',
      { metadata: { name: 'app' }, tag: 'latest', image: { metadata: { name: digest('e') }, dockerImageReference: 'quay.io/a/b:1', dockerImageManifests: [{ digest: 'nope', mediaType: 'application/x', manifestSize: -1 }] } },
      [
        'image.dockerImageManifests[0].digest: Invalid value: "nope": digest does not conform with OCI image specification',
        'image.dockerImageManifests[0].architecture: Required value',
        'image.dockerImageManifests[0].os: Required value',
        'image.dockerImageManifests[0].size: Invalid value: -1: manifest size cannot be negative',
      ],
    ],
  ];
  for (const [what, body, parts] of invalids) {
    test(`422 ${what}`, async () => {
      const res = await srv.request('POST', ISM('errs'), body);
      assert.equal(res.status, 422, res.text);
      assert.equal(res.json.details.kind, 'ImageStreamMapping');
      const name = (body.metadata as any).name ?? '';
      assert.equal(res.json.message, `ImageStreamMapping.image.openshift.io "${name}" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`);
    });
  }

  test('an invalid namespace: 422 with the label rules', async () => {
    const res = await srv.request('POST', ISM('Bad_NS'), mapping('app', 'latest', { metadata: { name: digest('e') }, dockerImageReference: 'quay.io/a/b:1' }));
    assert.equal(res.status, 422, res.text);
    assert.equal(
      res.json.message,
      `ImageStreamMapping.image.openshift.io "app" is invalid: metadata.namespace: Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
  });

  test('generateName alone: 500', async () => {
    const res = await srv.request('POST', ISM('errs'), { metadata: { generateName: 'app' }, tag: 'latest', image: { metadata: { name: digest('e') }, dockerImageReference: 'quay.io/a/b:1' } });
    assert.equal(res.status, 500, res.text);
    assert.equal(res.json.message, 'Internal error occurred: metadata.name was not generated');
  });

  test('a reference outside the registry allow-list fails the status write (the Image is created first)', async () => {
    assert.equal((await srv.request('POST', CONFIG, { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { allowedRegistriesForImport: [{ domainName: 'quay.io' }] } })).status, 201);
    try {
      const image = digest('f');
      const res = await srv.request('POST', ISM('errs'), mapping('app', 'evil', { metadata: { name: image }, dockerImageReference: `evil.io/a/b@${image}` }));
      assert.equal(res.status, 422, res.text);
      assert.equal(res.json.details.kind, 'ImageStream');
      assert.match(res.json.message, /status\.tags\[evil\]\.items\[0\]\.dockerImageReference: Forbidden: registry "evil\.io" not allowed by whitelist/);
      assert.equal((await srv.request('GET', `${IMAGES}/${image}`)).status, 200);
      // The integrated registry is always allowed.
      const internal = digest('9');
      assert.equal((await srv.request('POST', ISM('errs'), mapping('app', 'ok', { metadata: { name: internal } }))).status, 201);
    } finally {
      await srv.request('DELETE', `${CONFIG}/cluster`);
    }
  });

  test('create only: get, list, update and delete are not served', async () => {
    assert.equal((await srv.request('GET', ISM('errs'))).status, 405);
    assert.equal((await srv.request('GET', `${ISM('errs')}/app`)).status, 405);
    assert.equal((await srv.request('PUT', `${ISM('errs')}/app`, mapping('app', 'x', {}))).status, 405);
    assert.equal((await srv.request('DELETE', `${ISM('errs')}/app`)).status, 405);
  });

  test('dryRun=All persists nothing: no Image, no history', async () => {
    const image = digest('8');
    const before = (await srv.request('GET', `${IS('errs')}/app`)).json;
    const res = await srv.request('POST', `${ISM('errs')}?dryRun=All`, mapping('app', 'dry', { metadata: { name: image }, dockerImageReference: `quay.io/a/b@${image}` }));
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json, CREATED);
    assert.equal((await srv.request('GET', `${IMAGES}/${image}`)).status, 404);
    assert.equal((await srv.request('GET', `${IS('errs')}/app`)).json.metadata.resourceVersion, before.metadata.resourceVersion);
  });
});

describe('without an integrated registry', () => {
  let plain: Server;
  before(async () => {
    plain = await startServer({});
    await createStream(plain, 'ns', { metadata: { name: 'specrepo' }, spec: { dockerImageRepository: 'quay.io/ns/specrepo' } });
    await createStream(plain, 'ns', { metadata: { name: 'norepo' } });
  });
  after(async () => {
    await plain.close();
  });

  test('an image without reference: 422 Required', async () => {
    const res = await plain.request('POST', ISM('ns'), mapping('norepo', 'latest', { metadata: { name: digest('1') } }));
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json.message, 'ImageStreamMapping.image.openshift.io "norepo" is invalid: image.dockerImageReference: Required value');
  });

  test('an existing managed image is referenced through spec.dockerImageRepository, or keeps its reference', async () => {
    const image = digest('2');
    const managed = { metadata: { name: image, annotations: { 'openshift.io/image.managed': 'true' } }, dockerImageReference: `elsewhere.io/x/y@${image}` };
    assert.equal((await plain.request('POST', ISM('ns'), mapping('norepo', 'first', managed))).status, 201);
    assert.equal((await plain.request('POST', ISM('ns'), mapping('specrepo', 'latest', managed))).status, 201);
    assert.equal(statusTag((await plain.request('GET', `${IS('ns')}/specrepo`)).json, 'latest').items[0].dockerImageReference, `quay.io/ns/specrepo@${image}`);
    assert.equal((await plain.request('POST', ISM('ns'), mapping('norepo', 'second', managed))).status, 201);
    assert.equal(statusTag((await plain.request('GET', `${IS('ns')}/norepo`)).json, 'second').items[0].dockerImageReference, `elsewhere.io/x/y@${image}`);
  });
});

describe('concurrency', () => {
  test('20 clients mapping different tags into one stream at once: every event lands', async () => {
    await createStream(srv, 'busy', { metadata: { name: 'app' } });
    const clients = Array.from({ length: 20 }, (_, i) => {
      const image = `sha256:${String(i).padStart(2, '0').repeat(32)}`;
      return srv.request('POST', ISM('busy'), mapping('app', `t${i}`, { metadata: { name: image }, dockerImageReference: `quay.io/busy/app@${image}` }));
    });
    const results = await Promise.all(clients);
    for (const res of results) assert.equal(res.status, 201, res.text);
    const stream = (await srv.request('GET', `${IS('busy')}/app`)).json;
    assert.equal(stream.status.tags.length, 20);
    for (let i = 0; i < 20; i++) {
      const image = `sha256:${String(i).padStart(2, '0').repeat(32)}`;
      assert.deepEqual(statusTag(stream, `t${i}`).items.map((e: any) => e.image), [image], `t${i}`);
    }
  });
});

describe('the status write on a changed stream (mergeMappedEvent)', () => {
  const ev = (image: string, ref = `quay.io/a/b@${image}`, generation = 1, created = '2024-01-01T00:00:00Z') => ({ created, dockerImageReference: ref, image, generation });
  const stream = (rv: string, generation: number, tags: Record<string, ReturnType<typeof ev>[]>): ImageStream => ({
    metadata: { name: 'app', namespace: 'ns', resourceVersion: rv, generation },
    spec: {},
    status: { dockerImageRepository: '', tags: Object.entries(tags).map(([tag, items]) => ({ tag, items })) },
  });
  const next = ev(digest('n'), `quay.io/a/b@${digest('n')}`, 0, '2024-02-01T00:00:00Z');

  test('same stream: the event is recorded with the stream generation', () => {
    const out = mergeMappedEvent(stream('5', 3, {}), stream('5', 3, {}), 'latest', next);
    assert.equal(out.kind, 'write');
    assert.deepEqual(out.kind === 'write' && out.stream.status?.tags?.[0].items, [{ ...next, generation: 3 }]);
  });

  test('retry conflict no tag diff: other tags, or the tag\'s generation and time only, changed', () => {
    const base = stream('5', 3, { latest: [ev(digest('1'))] });
    assert.equal(mergeMappedEvent(base, stream('6', 4, { latest: [ev(digest('1'))], other: [ev(digest('2'))] }), 'latest', next).kind, 'write');
    assert.equal(mergeMappedEvent(base, stream('6', 4, { latest: [ev(digest('1'), undefined, 7, '2025-01-01T00:00:00Z')] }), 'latest', next).kind, 'write');
  });

  test('retry conflict tag diff: the tag moved on, or went away', () => {
    const base = stream('5', 3, { latest: [ev(digest('1'))] });
    assert.equal(mergeMappedEvent(base, stream('6', 3, { latest: [ev(digest('2')), ev(digest('1'))] }), 'latest', next).kind, 'conflict');
    assert.equal(mergeMappedEvent(base, stream('6', 3, {}), 'latest', next).kind, 'conflict');
  });

  test('no event before: whatever the tag is now, the event applies', () => {
    assert.equal(mergeMappedEvent(stream('5', 3, {}), stream('6', 3, { latest: [ev(digest('2'))] }), 'latest', next).kind, 'write');
  });

  test('nothing to change', () => {
    const same = stream('5', 3, { latest: [{ ...next, generation: 3 }] });
    assert.equal(mergeMappedEvent(same, same, 'latest', next).kind, 'unchanged');
  });
});
