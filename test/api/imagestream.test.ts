// ImageStreams over HTTP with openshift-apiserver's semantics (image-api-behavior §2.0.4, §2.0.5, §2.3, Appendix B):
// create and update rules, spec-tag resolution, validation catalogue, /status, reads and field selectors,
// registry hostnames from flags and from the config Image `cluster`, the registry allow-list, the internal writers.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { resourceDefinitions } from '../../src/apis/index.js';
import { imageStreamREST } from '../../src/apis/image/v1/imagestream/rest.js';
import { verifyTagAccess, type TagVerifier } from '../../src/apis/image/v1/imagestream/tag-verifier.js';
import type { ImageStream } from '../../src/apis/image/v1/imagestream/types.js';
import type { Config } from '../../src/config.js';
import { APIRegistry } from '../../src/registry/registry.js';
import { PROJECT_ROOT, start } from '../../src/start.js';
import { LevelStorage } from '../../src/storage/level.js';
import { startTestServer, type TestResponse } from '../support/server.js';

const IS = (ns: string) => `/apis/image.openshift.io/v1/namespaces/${ns}/imagestreams`;
const CONFIG = '/apis/config.openshift.io/v1/images';
const DIGEST_A = 'sha256:3c87c572822935df60f0f5d3665bd376841a7fcfeb806b5f212de6a00e9a7b25';
const DIGEST_B = 'sha256:3c87c572822935df60f0f5d3665bd376841a7fcfeb806b5f212de6a00e9a7b26';
const DIGEST_C = 'sha256:' + 'c'.repeat(64);
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const FORM = 'must be of the form <tag>, <repo>:<tag>, <id>, or <repo>@<id>';

type Requester = { request(method: string, path: string, opts?: { body?: unknown; contentType?: string }): Promise<TestResponse> };

/** A server started with extra config (registry hostname flags), torn down with its data directory. */
async function startServerWith(extra: Partial<Config>): Promise<Requester & { close(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'imagestream-test-'));
  const server = await start({ bindAddress: '127.0.0.1', port: 0, dataDir, logLevel: 'silent', storageBackend: 'level', ...extra }, pino({ level: 'silent' }));
  return {
    async request(method, path, opts = {}) {
      const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      const res = await fetch(server.url + path, { method, body, headers: body ? { 'content-type': opts.contentType ?? 'application/json' } : {} });
      const text = await res.text();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const aggregate = (parts: string[]) => (parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`);
const invalidMessage = (name: string, parts: string[]) => `ImageStream.image.openshift.io "${name}" is invalid: ${aggregate(parts)}`;
/** The cause upstream adds for tag verifier and spec-tag processing errors. */
const wrapped = (name: string, inner: string[]) => `: Internal error: imagestreams "${name}" is invalid: ${aggregate(inner)}`;

function assertInvalid(res: TestResponse, name: string, parts: string[]): void {
  assert.equal(res.status, 422, res.text);
  assert.equal(res.json.reason, 'Invalid');
  assert.equal(res.json.details.kind, 'ImageStream');
  assert.equal(res.json.details.group, 'image.openshift.io');
  assert.equal(res.json.message, invalidMessage(name, parts));
}

const dockerTag = (name: string, pullSpec: string, extra: Record<string, unknown> = {}) => ({ name, from: { kind: 'DockerImage', name: pullSpec }, ...extra });
const isTag = (name: string, from: string, extra: Record<string, unknown> = {}) => ({ name, from: { kind: 'ImageStreamTag', name: from }, ...extra });
const isImage = (name: string, from: string, extra: Record<string, unknown> = {}) => ({ name, from: { kind: 'ImageStreamImage', name: from }, ...extra });
const stream = (name: string, tags: unknown[] = [], spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => ({
  metadata: { name, ...metadata },
  spec: { ...spec, tags },
});
const specTag = (is: any, name: string) => is.spec.tags?.find((t: any) => t.name === name);
const statusTag = (is: any, name: string) => is.status.tags?.find((t: any) => t.tag === name);

async function createOK(s: Requester, ns: string, body: unknown): Promise<any> {
  const res = await s.request('POST', IS(ns), { body });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

/** Gives a stream status history with images (only /status or internal writers can). */
async function setStatusTags(s: Requester, ns: string, name: string, tags: unknown[]): Promise<any> {
  const current = (await s.request('GET', `${IS(ns)}/${name}`)).json;
  const res = await s.request('PUT', `${IS(ns)}/${name}/status`, { body: { ...current, status: { dockerImageRepository: '', tags } } });
  assert.equal(res.status, 200, res.text);
  return res.json;
}
const event = (dockerImageReference: string, image: string, generation = 1) => ({ created: '2024-01-02T03:04:05Z', dockerImageReference, image, generation });

// ---------------------------------------------------------------------------------------------------------

let srv: Requester & { close(): Promise<void> };
before(async () => {
  srv = await startTestServer();
});
after(async () => {
  await srv.close();
});

describe('create (§2.3.2)', () => {
  test('status from the request is discarded; generation 1; spec tags get generation 1 and the defaults', async () => {
    const is = await createOK(srv, 'create', {
      metadata: { name: 'basic', generation: 7 },
      spec: { tags: [dockerTag('b', 'busybox', { generation: 9 }), dockerTag('a', 'quay.io/x/y:1', { reference: true })] },
      status: { dockerImageRepository: 'ignored/x', tags: [{ tag: 'z', items: [event('quay.io/z/z:1', '')] }] },
    });
    assert.equal(is.metadata.generation, 1);
    assert.deepEqual(is.spec.tags, [
      { name: 'a', annotations: null, from: { kind: 'DockerImage', name: 'quay.io/x/y:1' }, reference: true, generation: 1, importPolicy: { importMode: 'Legacy' }, referencePolicy: { type: 'Source' } },
      { name: 'b', annotations: null, from: { kind: 'DockerImage', name: 'busybox' }, generation: 1, importPolicy: { importMode: 'Legacy' }, referencePolicy: { type: 'Source' } },
    ]);
    assert.deepEqual(is.spec.lookupPolicy, { local: false });
    // Only the reference tag is resolved now; `b` waits for the importer.
    assert.equal(is.status.dockerImageRepository, '');
    assert.equal(is.status.tags.length, 1);
    const [ev] = statusTag(is, 'a').items;
    assert.match(ev.created, TIME);
    assert.deepEqual({ ...ev, created: 'x' }, { created: 'x', dockerImageReference: 'quay.io/x/y:1', image: '', generation: 1 });
    assert.deepEqual((await srv.request('GET', `${IS('create')}/basic`)).json.status, is.status);
  });

  test('an empty stream prints spec and status with their always-present fields', async () => {
    const is = await createOK(srv, 'create', { metadata: { name: 'empty' } });
    assert.deepEqual(is.spec, { lookupPolicy: { local: false } });
    assert.deepEqual(is.status, { dockerImageRepository: '' });
  });

  test('tag lists are maps: the last duplicate wins and output is sorted by name', async () => {
    const is = await createOK(srv, 'create', stream('dups', [dockerTag('z', 'a/b:1'), dockerTag('m', 'a/b:2'), dockerTag('z', 'a/b:3', { referencePolicy: { type: 'Local' } })]));
    assert.deepEqual(is.spec.tags.map((t: any) => [t.name, t.from.name, t.referencePolicy.type]), [['m', 'a/b:2', 'Source'], ['z', 'a/b:3', 'Local']]);
  });

  test('generateName works, but a prefix ending in a separator is refused (Appendix B #16)', async () => {
    const ok = await createOK(srv, 'create', { metadata: { generateName: 'web' } });
    assert.match(ok.metadata.name, /^web[a-z0-9]{5}$/);
    const res = await srv.request('POST', IS('create'), { body: { metadata: { generateName: 'test-' } } });
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(res.json.details.causes, [
      { reason: 'FieldValueInvalid', message: 'Invalid value: "test-": must match "[a-z0-9]+(?:[._-][a-z0-9]+)*"', field: 'metadata.generateName' },
    ]);
  });

  test('a tag of this stream resolves when it exists, and tracking tags follow the tag they track', async () => {
    const is = await createOK(srv, 'create', stream('self', [dockerTag('v1', 'quay.io/a/b:1', { reference: true }), isTag('latest', 'v1'), isTag('other', 'self:v1'), isTag('later', 'missing')]));
    assert.deepEqual(statusTag(is, 'latest').items.map((e: any) => e.dockerImageReference), ['quay.io/a/b:1']);
    assert.deepEqual(statusTag(is, 'other').items.map((e: any) => e.dockerImageReference), ['quay.io/a/b:1']);
    // A missing source tag is not an error; the tag fills in later.
    assert.equal(statusTag(is, 'later'), undefined);
  });

  test('a tag of another stream, in this namespace or another, takes that stream’s current event', async () => {
    await createOK(srv, 'src-ns', stream('src', [dockerTag('v1', 'quay.io/a/b:1', { reference: true })]));
    await setStatusTags(srv, 'src-ns', 'src', [{ tag: 'v1', items: [event(`quay.io/a/b@${DIGEST_A}`, DIGEST_A)] }, { tag: 'v2', items: [event(`quay.io/a/b@${DIGEST_B}`, DIGEST_B)] }]);
    const is = await createOK(srv, 'create', stream('copy', [
      { name: 'x', from: { kind: 'ImageStreamTag', namespace: 'src-ns', name: 'src:v1' } },
      { name: 'y', from: { kind: 'ImageStreamImage', namespace: 'src-ns', name: `src@${DIGEST_B.slice(7)}` } },
    ]));
    const x = statusTag(is, 'x').items;
    assert.equal(x.length, 1);
    // The event of a tag keeps its own time (Appendix B #22); a resolved image id is recorded now.
    assert.deepEqual(x[0], { created: '2024-01-02T03:04:05Z', dockerImageReference: `quay.io/a/b@${DIGEST_A}`, image: DIGEST_A, generation: 1 });
    const y = statusTag(is, 'y').items[0];
    assert.equal(y.image, DIGEST_B);
    assert.match(y.created, TIME);
    assert.notEqual(y.created, '2024-01-02T03:04:05Z');
  });
});

describe('spec-tag errors are one wrapped InternalError cause (§2.3.4, §2.3.6)', () => {
  before(async () => {
    await createOK(srv, 'wrap', stream('src'));
    await setStatusTags(srv, 'wrap', 'src', [
      { tag: 'a', items: [event(`quay.io/a/b@${DIGEST_A}`, DIGEST_A)] },
      { tag: 'b', items: [event(`quay.io/a/b@${DIGEST_B}`, DIGEST_B)] },
    ]);
  });

  const cases: { name: string; tags: unknown[]; inner: string[]; direct?: string[] }[] = [
    { name: 'web', tags: [isTag('latest', 'other:tag')], inner: ['spec.tags[latest].from.name: Not found: "other:tag"'] },
    { name: 'parts', tags: [isTag('x', 'a:b:c')], inner: [`spec.tags[x].from.name: Invalid value: "a:b:c": ${FORM}`] },
    { name: 'ids', tags: [isImage('x', 'src@a@b')], inner: [`spec.tags[x].from.name: Invalid value: "src@a@b": ${FORM}`] },
    {
      name: 'nomatch',
      tags: [isImage('x', 'src@ffff')],
      inner: ['spec.tags[x].from.name: Invalid value: "src@ffff": error generating tag event: imagestreamimage.image.openshift.io "ffff" not found'],
    },
    {
      name: 'ambiguous',
      tags: [isImage('x', 'src@3c87')],
      inner: [
        `spec.tags[x].from.name: Invalid value: "src@3c87": error generating tag event: Operation cannot be fulfilled on imagestreamimage.image.openshift.io "3c87": multiple images match the prefix "3c87": ${DIGEST_A}, ${DIGEST_B}`,
      ],
    },
    {
      name: 'kind',
      tags: [{ name: 'x', from: { kind: 'Foo', name: 'a' } }],
      inner: [`spec.tags[x].from.name: Invalid value: "a": ${FORM}`],
      direct: ["spec.tags[x].from.kind: Required value: valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'"],
    },
    {
      name: 'noname',
      tags: [{ name: 'x', from: { kind: 'DockerImage' } }],
      inner: [`spec.tags[x].from.name: Invalid value: "": ${FORM}`],
      direct: ['spec.tags[x].from.name: Required value'],
    },
    {
      // The tag verifier cannot split a DockerImage name, so a cross-namespace DockerImage source is refused.
      name: 'crossdocker',
      tags: [{ name: 'x', from: { kind: 'DockerImage', namespace: 'elsewhere', name: 'busybox' } }],
      inner: [`spec.tags[x].from.name: Invalid value: "busybox": ${FORM}`],
    },
    {
      name: 'several',
      tags: [isTag('a', 'gone:x'), isTag('b', 'x:y:z')],
      inner: ['spec.tags[a].from.name: Not found: "gone:x"', `spec.tags[b].from.name: Invalid value: "x:y:z": ${FORM}`],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const res = await srv.request('POST', IS('wrap'), { body: stream(c.name, c.tags) });
      assertInvalid(res, c.name, [wrapped(c.name, c.inner), ...(c.direct ?? [])]);
      // The wrapped cause has no field, and comes first.
      assert.deepEqual(res.json.details.causes[0], { reason: 'InternalError', message: `Internal error: imagestreams "${c.name}" is invalid: ${aggregate(c.inner)}` });
      assert.equal((await srv.request('GET', `${IS('wrap')}/${c.name}`)).status, 404);
    });
  }
});

describe('field validation (§2.3.6)', () => {
  const ns63 = 'n'.repeat(63);
  const cases: { name: string; ns?: string; body: any; causes: [string, string, string][] }[] = [
    { name: 'no name', body: { metadata: {} }, causes: [['metadata.name', 'FieldValueRequired', 'Required value: name or generateName is required']] },
    { name: 'slash', body: { metadata: { name: 'a/b' } }, causes: [['metadata.name', 'FieldValueInvalid', `Invalid value: "a/b": may not contain '/'`]] },
    { name: 'percent', body: { metadata: { name: 'a%b' } }, causes: [['metadata.name', 'FieldValueInvalid', `Invalid value: "a%b": may not contain '%'`]] },
    { name: 'dot', body: { metadata: { name: '.' } }, causes: [['metadata.name', 'FieldValueInvalid', `Invalid value: ".": may not be '.'`]] },
    { name: 'dot dot', body: { metadata: { name: '..' } }, causes: [['metadata.name', 'FieldValueInvalid', `Invalid value: "..": may not be '..'`]] },
    { name: 'uppercase', body: { metadata: { name: 'Ruby' } }, causes: [['metadata.name', 'FieldValueInvalid', 'Invalid value: "Ruby": must match "[a-z0-9]+(?:[._-][a-z0-9]+)*"']] },
    {
      name: 'too long',
      ns: ns63,
      body: { metadata: { name: 'a'.repeat(192) } },
      causes: [['metadata.name', 'FieldValueInvalid', `Invalid value: "${'a'.repeat(192)}": 'namespace/name' cannot be longer than 255 characters`]],
    },
    {
      name: 'bad namespace',
      ns: 'Bad_NS',
      body: { metadata: { name: 'x' } },
      causes: [
        [
          'metadata.namespace',
          'FieldValueInvalid',
          `Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        ],
      ],
    },
    {
      name: 'repo parse',
      body: stream('r1', [], { dockerImageRepository: 'a-|///bbb' }),
      causes: [['spec.dockerImageRepository', 'FieldValueInvalid', 'Invalid value: "a-|///bbb": invalid reference format']],
    },
    {
      name: 'repo tag',
      body: stream('r2', [], { dockerImageRepository: 'a/b:tag' }),
      causes: [['spec.dockerImageRepository', 'FieldValueInvalid', 'Invalid value: "a/b:tag": the repository name may not contain a tag']],
    },
    {
      name: 'repo id',
      body: stream('r3', [], { dockerImageRepository: `a/b@${DIGEST_A}` }),
      causes: [['spec.dockerImageRepository', 'FieldValueInvalid', `Invalid value: "a/b@${DIGEST_A}": the repository name may not contain an ID`]],
    },
    {
      name: 'repo short digest',
      body: stream('r4', [], { dockerImageRepository: 'a/b@sha256:something' }),
      causes: [['spec.dockerImageRepository', 'FieldValueInvalid', 'Invalid value: "a/b@sha256:something": invalid reference format']],
    },
    {
      name: 'from name does not parse',
      body: stream('f1', [dockerTag('badid', 'abc@badid', { importPolicy: { scheduled: true } })]),
      causes: [['spec.tags[badid].from.name', 'FieldValueInvalid', 'Invalid value: "abc@badid": invalid reference format']],
    },
    {
      name: 'scheduled ImageStreamTag',
      body: stream('s1', [isTag('x', 'y', { importPolicy: { scheduled: true } })]),
      causes: [['spec.tags[x].importPolicy.scheduled', 'FieldValueInvalid', 'Invalid value: true: only tags pointing to Docker repositories may be scheduled for background import']],
    },
    {
      name: 'scheduled ImageStreamImage',
      // An image the source stream has (set up by the wrapped-errors suite), so only the field error remains.
      ns: 'wrap',
      body: stream('s2', [isImage('x', `src@${DIGEST_A}`, { importPolicy: { scheduled: true } })]),
      causes: [['spec.tags[x].importPolicy.scheduled', 'FieldValueInvalid', 'Invalid value: true: only tags pointing to Docker repositories may be scheduled for background import']],
    },
    {
      name: 'reference policy',
      body: stream('p1', [dockerTag('x', 'busybox', { referencePolicy: { type: 'Other' } })]),
      causes: [['spec.tags[x].referencePolicy.type', 'FieldValueInvalid', 'Invalid value: "Other": valid values are "Source", "Local"']],
    },
    {
      name: 'import mode',
      body: stream('m1', [dockerTag('x', 'busybox', { importPolicy: { importMode: 'Bogus' } })]),
      causes: [['spec.tags[x].importPolicy.importMode', 'FieldValueInvalid', `Invalid value: "Bogus": invalid import mode, valid modes are '', 'Legacy', 'PreserveOriginal'`]],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const res = await srv.request('POST', IS(c.ns ?? 'valid'), { body: c.body });
      assert.equal(res.status, 422, res.text);
      assert.deepEqual(res.json.details.causes.map((x: any) => [x.field, x.reason, x.message]), c.causes);
      assert.equal(res.json.message, invalidMessage(c.body.metadata.name ?? '', c.causes.map(([f, , m]) => `${f}: ${m}`)));
    });
  }

  test('accepted names: shortest, every character class, exactly 255 with the namespace', async () => {
    await createOK(srv, 'f', { metadata: { name: 'g' } });
    await createOK(srv, 'abcdefghijklmnopqrstuvwxyz-1234567890', { metadata: { name: 'abcdefghijklmnopqrstuvwxyz-1234567890.dot_underscore-dash' } });
    await createOK(srv, ns63, { metadata: { name: 'a'.repeat(191) } });
  });

  test('Local reference policy and both import modes are valid', async () => {
    const is = await createOK(srv, 'valid', stream('modes', [
      dockerTag('a', 'busybox', { referencePolicy: { type: 'Local' }, importPolicy: { importMode: 'PreserveOriginal' } }),
      dockerTag('b', 'busybox', { importPolicy: { importMode: 'Legacy', scheduled: true, insecure: true } }),
    ]));
    assert.deepEqual(specTag(is, 'a').importPolicy, { importMode: 'PreserveOriginal' });
    assert.deepEqual(specTag(is, 'b').importPolicy, { insecure: true, scheduled: true, importMode: 'Legacy' });
  });
});

describe('update (§2.3.3)', () => {
  const path = `${IS('upd')}/gen`;
  const put = async (mutate: (is: any) => void) => {
    const current = (await srv.request('GET', path)).json;
    mutate(current);
    return srv.request('PUT', path, { body: current });
  };
  before(async () => {
    await createOK(srv, 'upd', stream('gen', [dockerTag('a', 'busybox'), dockerTag('b', 'quay.io/x/y:1')]));
  });

  test('users cannot set tag or stream generations; status in the request is ignored', async () => {
    const res = await put((is) => {
      specTag(is, 'a').generation = 42;
      specTag(is, 'b').generation = null;
      is.metadata.generation = 9;
      is.status = { dockerImageRepository: 'x/y', tags: [{ tag: 'q', items: [event('quay.io/q/q:1', '')] }] };
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.metadata.generation, 1);
    assert.deepEqual(res.json.spec.tags.map((t: any) => t.generation), [1, 1]);
    assert.deepEqual(res.json.status, { dockerImageRepository: '' });
  });

  test('generation 0 asks for a re-import: the stream generation goes up and the tag takes it', async () => {
    const res = await put((is) => (specTag(is, 'a').generation = 0));
    assert.equal(res.json.metadata.generation, 2);
    assert.deepEqual(res.json.spec.tags.map((t: any) => [t.name, t.generation]), [['a', 2], ['b', 1]]);
  });

  test('insecure/scheduled or reference policy changes bump the stream, not the tag', async () => {
    const res = await put((is) => {
      specTag(is, 'b').importPolicy.insecure = true;
      specTag(is, 'b').referencePolicy.type = 'Local';
    });
    assert.equal(res.json.metadata.generation, 3);
    assert.equal(specTag(res.json, 'b').generation, 1);
  });

  test('a changed source (or import mode) gives the tag the new stream generation', async () => {
    let res = await put((is) => (specTag(is, 'b').from.name = 'quay.io/x/y:2'));
    assert.equal(res.json.metadata.generation, 4);
    assert.equal(specTag(res.json, 'b').generation, 4);
    res = await put((is) => (specTag(is, 'b').importPolicy.importMode = 'PreserveOriginal'));
    assert.equal(res.json.metadata.generation, 5);
    assert.equal(specTag(res.json, 'b').generation, 5);
  });

  test('metadata-only changes keep the generation; a new tag takes the new stream generation', async () => {
    let res = await put((is) => (is.metadata.labels = { app: 'x' }));
    assert.equal(res.json.metadata.generation, 5);
    res = await put((is) => is.spec.tags.push(dockerTag('c', 'busybox', { generation: 77 })));
    assert.equal(res.json.metadata.generation, 6);
    assert.equal(specTag(res.json, 'c').generation, 6);
  });

  test('a JSON merge patch goes through the same rules', async () => {
    const res = await srv.request('PATCH', path, { body: { spec: { lookupPolicy: { local: true } }, status: { dockerImageRepository: 'no' } }, contentType: 'application/merge-patch+json' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.metadata.generation, 7);
    assert.equal(res.json.spec.lookupPolicy.local, true);
    assert.equal(res.json.status.dockerImageRepository, '');
  });

  test('removing a spec tag keeps its status history (Appendix B #1)', async () => {
    await createOK(srv, 'upd', stream('keep', [dockerTag('r', 'quay.io/a/b:1', { reference: true })]));
    const current = (await srv.request('GET', `${IS('upd')}/keep`)).json;
    const res = await srv.request('PUT', `${IS('upd')}/keep`, { body: { ...current, spec: { tags: [] } } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.spec.tags, undefined);
    assert.deepEqual(statusTag(res.json, 'r').items.map((e: any) => e.dockerImageReference), ['quay.io/a/b:1']);
  });

  test('a change of from.kind alone is not a change of the tag (Appendix B #2)', async () => {
    const created = await createOK(srv, 'upd', stream('kind', [dockerTag('k', 'quay.io/a/b:1', { reference: true })]));
    const body = structuredClone(created);
    specTag(body, 'k').from.kind = 'ImageStreamTag';
    const res = await srv.request('PUT', `${IS('upd')}/kind`, { body });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.metadata.generation, 2);
    assert.equal(specTag(res.json, 'k').generation, 1);
    assert.deepEqual(res.json.status, created.status);
  });

  test('a changed source updates the tag history (same image: collapsed into the newest event); tracking tags follow it', async () => {
    const created = await createOK(srv, 'upd', stream('track', [dockerTag('t1', 'quay.io/a/b:1', { reference: true }), isTag('t2', 'track:t1')]));
    assert.deepEqual(statusTag(created, 't2').items.map((e: any) => e.dockerImageReference), ['quay.io/a/b:1']);
    const body = structuredClone(created);
    specTag(body, 't1').from.name = 'quay.io/a/b:2';
    const res = await srv.request('PUT', `${IS('upd')}/track`, { body });
    assert.equal(res.status, 200, res.text);
    for (const tag of ['t1', 't2']) {
      assert.deepEqual(statusTag(res.json, tag).items.map((e: any) => [e.dockerImageReference, e.image, e.generation]), [['quay.io/a/b:2', '', 2]], tag);
    }
  });

  test('a tag changed to an image of the stream: it and its trackers get that image', async () => {
    await createOK(srv, 'upd', stream('react', [dockerTag('t1', 'quay.io/a/b:1', { reference: true }), isTag('t2', 't1')]));
    await setStatusTags(srv, 'upd', 'react', [
      { tag: 't1', items: [event('quay.io/a/b:1', '')] },
      { tag: 't2', items: [event('quay.io/a/b:1', '')] },
      { tag: 'pushed', items: [event(`quay.io/a/b@${DIGEST_C}`, DIGEST_C)] },
    ]);
    const current = (await srv.request('GET', `${IS('upd')}/react`)).json;
    specTag(current, 't1').from = { kind: 'ImageStreamImage', name: `react@${DIGEST_C}` };
    specTag(current, 't1').reference = false;
    const res = await srv.request('PUT', `${IS('upd')}/react`, { body: current });
    assert.equal(res.status, 200, res.text);
    for (const tag of ['t1', 't2']) {
      assert.deepEqual(statusTag(res.json, tag).items.map((e: any) => e.image), [DIGEST_C, ''], tag);
    }
  });

  test('PUT to a missing stream is 404; without resourceVersion it is 422', async () => {
    assert.equal((await srv.request('PUT', `${IS('upd')}/nope`, { body: { metadata: { name: 'nope', resourceVersion: '1' } } })).status, 404);
    const res = await srv.request('PUT', path, { body: { metadata: { name: 'gen' } } });
    assert.equal(res.status, 422);
    assert.match(res.json.message, /^imagestreams\.image\.openshift\.io "gen" is invalid: metadata\.resourceVersion: Invalid value: /);
  });
});

describe('/status (§2.3.7)', () => {
  const path = (name: string) => `${IS('st')}/${name}/status`;
  test('spec tags and repository are kept, lookupPolicy and labels come from the request (Appendix B #15)', async () => {
    const created = await createOK(srv, 'st', stream('s', [dockerTag('a', 'busybox')], {}, { labels: { x: '1' } }));
    const res = await srv.request('PUT', path('s'), {
      body: {
        ...created,
        metadata: { ...created.metadata, labels: { x: '2' } },
        spec: { lookupPolicy: { local: true }, dockerImageRepository: 'quay.io/q/r', tags: [dockerTag('zzz', 'busybox')] },
        status: { dockerImageRepository: 'my.repo/x/y', tags: [{ tag: 'a', items: [event(`quay.io/a/b@${DIGEST_A}`, DIGEST_A, 0)] }, { tag: 'empty', items: [] }] },
      },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.spec.tags.map((t: any) => t.name), ['a']);
    assert.equal(res.json.spec.dockerImageRepository, undefined);
    assert.equal(res.json.spec.lookupPolicy.local, true);
    assert.deepEqual(res.json.metadata.labels, { x: '2' });
    assert.equal(res.json.metadata.generation, 1);
    // Not recomputed on this endpoint, and empty tags are kept.
    assert.equal(res.json.status.dockerImageRepository, 'my.repo/x/y');
    assert.deepEqual(statusTag(res.json, 'empty'), { tag: 'empty', items: [] });
    // A new tag's generation 0 becomes the stream generation.
    assert.equal(statusTag(res.json, 'a').items[0].generation, 1);
    // Main reads recompute the repository; GET of /status (no decoration upstream) and the field selector see the stored one.
    assert.equal((await srv.request('GET', `${IS('st')}/s`)).json.status.dockerImageRepository, '');
    assert.equal((await srv.request('GET', path('s'))).json.status.dockerImageRepository, 'my.repo/x/y');
    const selected = await srv.request('GET', `${IS('st')}?fieldSelector=status.dockerImageRepository%3Dmy.repo%2Fx%2Fy`);
    assert.deepEqual(selected.json.items.map((i: any) => i.metadata.name), ['s']);
  });

  test('a zero generation in a newest event is filled: new tags and tags without spec take the stream generation, others the spec tag’s', async () => {
    await createOK(srv, 'st', stream('g', [dockerTag('a', 'busybox')]));
    const first = await setStatusTags(srv, 'st', 'g', [{ tag: 'a', items: [event('quay.io/a/b:1', DIGEST_A, 1)] }, { tag: 'c', items: [event('quay.io/a/b:1', DIGEST_A, 1)] }]);
    assert.equal(first.metadata.generation, 1);
    // Bump the stream to generation 2 without touching tag generations.
    const current = (await srv.request('GET', `${IS('st')}/g`)).json;
    current.spec.lookupPolicy.local = true;
    assert.equal((await srv.request('PUT', `${IS('st')}/g`, { body: current })).json.metadata.generation, 2);
    const res = await setStatusTags(srv, 'st', 'g', [
      { tag: 'a', items: [event('quay.io/a/b:2', DIGEST_B, 0), event('quay.io/a/b:1', DIGEST_A, 1)] },
      { tag: 'c', items: [event('quay.io/a/b:1', DIGEST_A, 0)] },
      { tag: 'd', items: [event('quay.io/a/b:1', DIGEST_A, 0)] },
    ]);
    assert.deepEqual(res.status.tags.map((t: any) => [t.tag, t.items[0].generation]), [['a', 1], ['c', 2], ['d', 2]]);
    assert.equal(res.metadata.generation, 2);
  });

  test('new references must parse, reported wherever they appear; old ones are not checked again', async () => {
    await createOK(srv, 'st', stream('bad'));
    const current = (await srv.request('GET', `${IS('st')}/bad`)).json;
    const res = await srv.request('PUT', path('bad'), {
      body: { ...current, status: { tags: [{ tag: 'a', items: [event('Not Valid', '')] }, { tag: 'b', items: [event('ok/ref:1', ''), event('Not Valid', '')] }] } },
    });
    const causes = ['status.tags[a].items[0].dockerImageReference', 'status.tags[b].items[1].dockerImageReference'].map((f) => `${f}: Invalid value: "Not Valid": invalid reference format`);
    assertInvalid(res, 'bad', causes);
  });

  test('GET and PATCH work on /status; DELETE is not allowed', async () => {
    await createOK(srv, 'st', stream('p'));
    assert.equal((await srv.request('GET', path('p'))).status, 200);
    const patched = await srv.request('PATCH', path('p'), {
      body: { status: { tags: [{ tag: 'x', items: [event('quay.io/a/b:1', '', 0)] }] } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(statusTag(patched.json, 'x').items[0].generation, 1);
    assert.equal((await srv.request('DELETE', path('p'))).status, 405);
  });
});

describe('reads (§2.3.8) and delete (§2.3.9)', () => {
  test('field selectors on spec.dockerImageRepository; unknown fields are 400', async () => {
    await createOK(srv, 'sel', stream('one', [], { dockerImageRepository: 'quay.io/a/one' }));
    await createOK(srv, 'sel', stream('two'));
    const res = await srv.request('GET', `${IS('sel')}?fieldSelector=spec.dockerImageRepository%3Dquay.io%2Fa%2Fone`);
    assert.deepEqual(res.json.items.map((i: any) => i.metadata.name), ['one']);
    assert.equal(res.json.items[0].status.dockerImageRepository, 'quay.io/a/one');
    assert.equal((await srv.request('GET', `${IS('sel')}?fieldSelector=status.publicDockerImageRepository%3Dx`)).status, 400);
  });

  test('discovery: short name is, category all', async () => {
    const res = await srv.request('GET', '/apis/image.openshift.io/v1');
    const is = res.json.resources.find((r: any) => r.name === 'imagestreams');
    assert.deepEqual([is.shortNames, is.categories], [['is'], ['all']]);
  });

  test('list and watch across all namespaces; deletecollection stays in its namespace', async () => {
    const ALL = '/apis/image.openshift.io/v1/imagestreams';
    await createOK(srv, 'across-a', stream('one', [], {}, { labels: { sweep: 'yes' } }));
    await createOK(srv, 'across-a', stream('two', [], {}, { labels: { sweep: 'no' } }));
    await createOK(srv, 'across-b', stream('one', [], {}, { labels: { sweep: 'yes' } }));
    const names = (items: any[]) => items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`);
    const list = await srv.request('GET', `${ALL}?labelSelector=sweep`);
    assert.equal(list.json.kind, 'ImageStreamList');
    assert.deepEqual(names(list.json.items), ['across-a/one', 'across-a/two', 'across-b/one']);
    const watch = await srv.request('GET', `${ALL}?watch=true&labelSelector=sweep&timeoutSeconds=1`);
    const events = watch.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'ADDED', 'ADDED']);
    assert.deepEqual(names(events.map((e) => e.object)).sort(), ['across-a/one', 'across-a/two', 'across-b/one']);

    const swept = await srv.request('DELETE', `${IS('across-a')}?labelSelector=sweep%3Dyes`);
    assert.equal(swept.status, 200, swept.text);
    assert.equal(swept.json.kind, 'ImageStreamList');
    assert.deepEqual(names(swept.json.items), ['across-a/one']);
    assert.deepEqual(names((await srv.request('GET', `${ALL}?labelSelector=sweep`)).json.items), ['across-a/two', 'across-b/one']);
    // There is no deletecollection across namespaces.
    assert.equal((await srv.request('DELETE', ALL)).status, 405);
  });

  test('delete answers a Status with the plural kind and keeps other streams', async () => {
    const created = await createOK(srv, 'del', stream('gone'));
    const res = await srv.request('DELETE', `${IS('del')}/gone`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.details, { name: 'gone', group: 'image.openshift.io', kind: 'imagestreams', uid: created.metadata.uid });
  });
});

// ---- registry hostnames from flags (§2.0.4) --------------------------------------------------------------

describe('registry hostnames from flags (§2.0.4)', () => {
  let flagged: Requester & { close(): Promise<void> };
  before(async () => {
    flagged = await startServerWith({ internalRegistryHostname: 'image-registry.svc:5000', externalRegistryHostname: 'registry.example.com' });
  });
  after(async () => {
    await flagged.close();
  });

  test('status repositories come from the hostnames; spec.dockerImageRepository is ignored for the internal one', async () => {
    const is = await createOK(flagged, 'demo', stream('web', [], { dockerImageRepository: 'quay.io/a/b' }));
    assert.deepEqual(is.status, { dockerImageRepository: 'image-registry.svc:5000/demo/web', publicDockerImageRepository: 'registry.example.com/demo/web' });
    for (const obj of [(await flagged.request('GET', `${IS('demo')}/web`)).json, (await flagged.request('GET', IS('demo'))).json.items[0]]) {
      assert.deepEqual(obj.status, is.status);
    }
    const selected = await flagged.request('GET', `${IS('demo')}?fieldSelector=status.dockerImageRepository%3Dimage-registry.svc%3A5000%2Fdemo%2Fweb`);
    assert.equal(selected.json.items.length, 1);
  });

  test('watch events carry the computed repositories', async () => {
    const watch = await flagged.request('GET', `${IS('demo')}?watch=true&timeoutSeconds=1`);
    const events = watch.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(events.length >= 1);
    assert.equal(events[0].object.status.dockerImageRepository, 'image-registry.svc:5000/demo/web');
  });

  test('tagging from another stream rewrites its integrated-registry references to this stream, unless reference', async () => {
    await createOK(flagged, 'demo', stream('src', [dockerTag('v1', `image-registry.svc:5000/demo/src@${DIGEST_A}`, { reference: true })]));
    const is = await createOK(flagged, 'demo', stream('dst', [isTag('latest', 'src:v1'), isTag('pinned', 'src:v1', { reference: true })]));
    assert.equal(statusTag(is, 'latest').items[0].dockerImageReference, `image-registry.svc:5000/demo/dst@${DIGEST_A}`);
    assert.equal(statusTag(is, 'pinned').items[0].dockerImageReference, `image-registry.svc:5000/demo/src@${DIGEST_A}`);
  });

  test('the integrated registry is not checked against an empty allow-list', async () => {
    await createOK(flagged, 'demo', stream('anywhere', [dockerTag('a', 'evil.example.com/x/y')]));
  });
});

// ---- the config Image `cluster` (§2.0.4, §2.0.5, §3.6) ---------------------------------------------------

describe('the cluster Image config', () => {
  let s: Requester & { close(): Promise<void> };
  before(async () => {
    s = await startServerWith({ internalRegistryHostname: 'flag-internal:5000', externalRegistryHostname: 'flag-external' });
  });
  after(async () => {
    await s.close();
  });
  const setConfig = async (spec: Record<string, unknown>, status?: Record<string, unknown>) => {
    const existing = await s.request('GET', `${CONFIG}/cluster`);
    let res = existing.status === 404
      ? await s.request('POST', CONFIG, { body: { metadata: { name: 'cluster' }, spec } })
      : await s.request('PUT', `${CONFIG}/cluster`, { body: { ...existing.json, spec } });
    assert.ok(res.status === 200 || res.status === 201, res.text);
    if (status) {
      res = await s.request('PUT', `${CONFIG}/cluster/status`, { body: { ...res.json, status } });
      assert.equal(res.status, 200, res.text);
    }
  };
  const deleteConfig = async () => {
    await s.request('DELETE', `${CONFIG}/cluster`);
  };

  test('hostnames: config status/spec win over the flags, on every read, and fall back when it goes', async () => {
    const created = await createOK(s, 'cfg', stream('web'));
    assert.equal(created.status.dockerImageRepository, 'flag-internal:5000/cfg/web');
    assert.equal(created.status.publicDockerImageRepository, 'flag-external/cfg/web');

    await setConfig({ externalRegistryHostnames: ['spec-ext.example.com', 'second.example.com'] });
    let got = (await s.request('GET', `${IS('cfg')}/web`)).json.status;
    assert.deepEqual(got, { dockerImageRepository: 'flag-internal:5000/cfg/web', publicDockerImageRepository: 'spec-ext.example.com/cfg/web' });

    await setConfig({ externalRegistryHostnames: [] }, { internalRegistryHostname: 'cfg-internal:5000', externalRegistryHostnames: ['status-ext.example.com'] });
    got = (await s.request('GET', `${IS('cfg')}/web`)).json.status;
    assert.deepEqual(got, { dockerImageRepository: 'cfg-internal:5000/cfg/web', publicDockerImageRepository: 'status-ext.example.com/cfg/web' });
    // The selector still sees what was stored on the last write.
    const selected = await s.request('GET', `${IS('cfg')}?fieldSelector=status.dockerImageRepository%3Dflag-internal%3A5000%2Fcfg%2Fweb`);
    assert.deepEqual(selected.json.items.map((i: any) => i.metadata.name), ['web']);

    await deleteConfig();
    got = (await s.request('GET', `${IS('cfg')}/web`)).json.status;
    assert.deepEqual(got, { dockerImageRepository: 'flag-internal:5000/cfg/web', publicDockerImageRepository: 'flag-external/cfg/web' });
  });

  test('the default import mode comes from the config status, then spec, else Legacy', async () => {
    await setConfig({ imageStreamImportMode: 'PreserveOriginal' });
    let is = await createOK(s, 'mode', stream('p', [dockerTag('a', 'busybox'), dockerTag('b', 'busybox', { importPolicy: { importMode: 'Legacy' } })]));
    assert.deepEqual(is.spec.tags.map((t: any) => t.importPolicy.importMode), ['PreserveOriginal', 'Legacy']);
    await setConfig({ imageStreamImportMode: 'PreserveOriginal' }, { imageStreamImportMode: 'Legacy' });
    is = await createOK(s, 'mode', stream('l', [dockerTag('a', 'busybox')]));
    assert.equal(specTag(is, 'a').importPolicy.importMode, 'Legacy');
    await deleteConfig();
  });

  describe('allow-list (§2.0.5)', () => {
    const LIST = '"flag-internal:5000", "quay.io:443", "insecure.example:80"';
    before(async () => {
      // Created before the allow-list exists: its references are grandfathered on update.
      await createOK(s, 'allow', stream('old', [dockerTag('hub', 'docker.io/library/busybox:1', { reference: true })]));
      await setConfig({ allowedRegistriesForImport: [{ domainName: 'quay.io' }, { domainName: 'insecure.example', insecure: true }] });
    });
    after(deleteConfig);

    const cases: { name: string; body: any; causes?: [string, string][] }[] = [
      { name: 'allowed', body: stream('ok', [dockerTag('a', 'quay.io/a/b:1'), dockerTag('i', 'flag-internal:5000/ns/x:1')]) },
      {
        name: 'tag from another registry',
        body: stream('hub', [dockerTag('a', 'busybox'), dockerTag('b', 'docker.io/library/busybox')]),
        causes: [
          ['spec.tags[a].from.name', `Forbidden: registry "docker.io:443" not allowed by whitelist: ${LIST}`],
          ['spec.tags[b].from.name', `Forbidden: registry "docker.io" not allowed by whitelist: ${LIST}`],
        ],
      },
      {
        name: 'repository',
        body: stream('repo', [], { dockerImageRepository: 'evil.io/a/b' }),
        causes: [['spec.dockerImageRepository', `Forbidden: registry "evil.io" not allowed by whitelist: ${LIST}`]],
      },
      {
        name: 'reference tags are checked in spec and in the status they produce',
        body: stream('ref', [dockerTag('r', 'evil.io/a/b:1', { reference: true })]),
        causes: [
          ['spec.tags[r].from.name', `Forbidden: registry "evil.io" not allowed by whitelist: ${LIST}`],
          ['status.tags[r].items[0].dockerImageReference', `Forbidden: registry "evil.io" not allowed by whitelist: ${LIST}`],
        ],
      },
      {
        name: 'an http-only registry needs the insecure flag',
        body: stream('sec', [dockerTag('a', 'insecure.example/a/b')]),
        causes: [['spec.tags[a].from.name', `Forbidden: registry "insecure.example" not allowed by whitelist: ${LIST}`]],
      },
      { name: 'tag importPolicy.insecure', body: stream('ins', [dockerTag('a', 'insecure.example/a/b', { importPolicy: { insecure: true } })]) },
      {
        name: 'stream annotation insecureRepository',
        body: stream('ann', [dockerTag('a', 'insecure.example/a/b')], {}, { annotations: { 'openshift.io/image.insecureRepository': 'true' } }),
      },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const res = await s.request('POST', IS('allow'), { body: c.body });
        if (!c.causes) {
          assert.equal(res.status, 201, res.text);
          return;
        }
        assertInvalid(res, c.body.metadata.name, c.causes.map(([f, m]) => `${f}: ${m}`));
        assert.deepEqual(res.json.details.causes.map((x: any) => x.reason), c.causes.map(() => 'FieldValueForbidden'));
      });
    }

    test('updates grandfather the repositories the stream already had', async () => {
      const path = `${IS('allow')}/old`;
      let current = (await s.request('GET', path)).json;
      current.metadata.labels = { touched: 'yes' };
      let res = await s.request('PUT', path, { body: current });
      assert.equal(res.status, 200, res.text);
      current = res.json;
      specTag(current, 'hub').from.name = 'busybox:2';
      res = await s.request('PUT', path, { body: current });
      assert.equal(res.status, 200, res.text);
      current = res.json;
      current.spec.tags.push(dockerTag('new', 'docker.io/other/x'));
      res = await s.request('PUT', path, { body: current });
      assertInvalid(res, 'old', [`spec.tags[new].from.name: Forbidden: registry "docker.io" not allowed by whitelist: ${LIST}`]);
    });

    test('status updates check only new references', async () => {
      const current = (await s.request('GET', `${IS('allow')}/old`)).json;
      const keep = statusTag(current, 'hub');
      let res = await s.request('PUT', `${IS('allow')}/old/status`, { body: { ...current, status: { tags: [keep, { tag: 'q', items: [event('quay.io/a/b:1', '')] }] } } });
      assert.equal(res.status, 200, res.text);
      res = await s.request('PUT', `${IS('allow')}/old/status`, { body: { ...res.json, status: { tags: [...res.json.status.tags, { tag: 'z', items: [event('evil.io/a/b:1', '')] }] } } });
      assertInvalid(res, 'old', [`status.tags[z].items[0].dockerImageReference: Forbidden: registry "evil.io" not allowed by whitelist: ${LIST}`]);
    });

    test('an allow-list entry with more than one colon fails the writes that need it', async () => {
      await setConfig({ allowedRegistriesForImport: [{ domainName: '0:1:2:3' }] });
      const res = await s.request('POST', IS('allow'), { body: stream('colons') });
      assert.equal(res.status, 500, res.text);
      assert.equal(res.json.message, 'Internal error occurred: failed to parse allowed registry "0:1:2:3": too many colons');
      await setConfig({ allowedRegistriesForImport: [{ domainName: 'quay.io' }, { domainName: 'insecure.example', insecure: true }] });
    });
  });
});

// ---- internal writers (§2.3.10) and the tag verifier seam (§2.3.5) -------------------------------------------

describe('internal writers (§2.3.10)', () => {
  let dir: string;
  let storage: LevelStorage;
  let registry: APIRegistry;
  const ctx = { user: 'someone', groups: [], dryRun: false };
  const opts = { dryRun: false, fieldManager: 'test', ctx };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imagestream-internal-'));
    storage = await LevelStorage.open(dir);
    registry = new APIRegistry(resourceDefinitions, storage, PROJECT_ROOT, { imagePolicy: { internalRegistryHostname: 'reg:5000' } });
  });
  after(async () => {
    await registry.close();
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('create keeps the given status, recomputes the repository, sets generations to 1', async () => {
    const rest = imageStreamREST(registry);
    const created = await rest.internalCreate('ns', {
      metadata: { name: 'web', generation: 5 },
      spec: { tags: [{ name: 'a', from: { kind: 'DockerImage', name: 'busybox' }, generation: 3 }] },
      status: { dockerImageRepository: 'wrong', tags: [{ tag: 'a', items: [event(`quay.io/a/b@${DIGEST_A}`, DIGEST_A, 1)] }, { tag: 'empty', items: [] }] },
    }, opts);
    assert.equal(created.metadata.generation, 1);
    assert.equal(created.spec?.tags?.[0].generation, 1);
    assert.equal(created.status?.dockerImageRepository, 'reg:5000/ns/web');
    assert.deepEqual(created.status?.tags?.map((t) => t.tag), ['a', 'empty']);
    // The store registered for views holds the same object.
    assert.equal((await registry.store('image.openshift.io', 'v1', 'imagestreams')!.get('ns', 'web')).metadata.uid, created.metadata.uid);
  });

  test('update keeps the status it is given and runs spec-tag processing with tracking', async () => {
    const rest = imageStreamREST(registry);
    const updated = await rest.internalUpdate('ns', 'web', (current: ImageStream) => ({
      ...current,
      spec: { ...current.spec, tags: [...(current.spec?.tags ?? []), { name: 'b', from: { kind: 'ImageStreamTag', name: 'a' } }] },
      status: { ...current.status, tags: [{ tag: 'a', items: [event(`quay.io/a/b@${DIGEST_B}`, DIGEST_B, 1), event(`quay.io/a/b@${DIGEST_A}`, DIGEST_A, 1)] }, { tag: 'empty', items: [] }] },
    }), opts);
    assert.equal(updated.metadata.generation, 2);
    assert.deepEqual(updated.spec?.tags?.map((t) => [t.name, t.generation]), [['a', 1], ['b', 2]]);
    // Empty status tags it sends are dropped; `b` resolves from `a`, then tracking copies a's newest event
    // (whose generation differs) onto it, as upstream's strategy does.
    assert.deepEqual(updated.status?.tags?.map((t) => t.tag), ['a', 'b']);
    assert.deepEqual(updated.status?.tags?.[1].items?.map((e) => [e.image, e.generation]), [[DIGEST_B, 1]]);
  });

  test('the status they write is validated: an empty reference is Required', async () => {
    const rest = imageStreamREST(registry);
    await assert.rejects(
      rest.internalCreate('ns', { metadata: { name: 'bad' }, status: { dockerImageRepository: '', tags: [{ tag: 'a', items: [event('', '')] }] } }, opts),
      (err: any) => err.status.message === 'ImageStream.image.openshift.io "bad" is invalid: status.tags[a].items[0].dockerImageReference: Required value',
    );
  });
});

describe('tag verifier (§2.3.5)', () => {
  const theStream = (tags: unknown[]): ImageStream => ({ metadata: { name: 'stream', namespace: 'namespace' }, spec: { tags: tags as any } });
  const cross = (name: string, namespace: string, from: string) => ({ name, from: { kind: 'ImageStreamTag', namespace, name: from } });
  const user = { user: 'user', groups: ['group1'] };
  const fake = (answers: Record<string, { allowed?: boolean; reason?: string; evaluationError?: string; error?: string }>) => {
    const asked: string[] = [];
    const verifier: TagVerifier = {
      async review(r) {
        asked.push(`${r.namespace}/${r.stream} ${r.user} ${r.groups.join(',')}`);
        const a = answers[`${r.namespace}/${r.stream}`];
        if (a?.error) throw new Error(a.error);
        return { allowed: !!a?.allowed, reason: a?.reason, evaluationError: a?.evaluationError };
      },
    };
    return { verifier, asked };
  };

  test('one review per (namespace, stream); denials reported on every tag sharing it', async () => {
    const { verifier, asked } = fake({ 'otherns/otherstream': { error: 'foo' }, 'secondns/something': { reason: 'no', evaluationError: 'boom' }, 'thirdns/ok': { allowed: true } });
    const errs = await verifyTagAccess(
      verifier,
      undefined,
      theStream([
        cross('latest', 'otherns', 'otherstream:latest'),
        cross('other', 'otherns', 'otherstream:v2'),
        cross('third', 'secondns', 'something:latest'),
        cross('fine', 'thirdns', 'ok:1'),
        cross('same', 'namespace', 'x:1'),
        { name: 'local', from: { kind: 'ImageStreamTag', name: 'x:1' } },
        cross('split', 'otherns', 'a:b:c'),
      ]),
      user,
    );
    assert.deepEqual(asked, ['otherns/otherstream user group1', 'secondns/something user group1', 'thirdns/ok user group1']);
    assert.deepEqual(errs.map((e) => [e.field, e.type, e.type === 'FieldValueForbidden' ? e.detail : e.value]), [
      ['spec.tags[split].from.name', 'FieldValueInvalid', 'a:b:c'],
      ['spec.tags[latest].from', 'FieldValueForbidden', 'otherns/otherstream: "" ""- foo'],
      ['spec.tags[other].from', 'FieldValueForbidden', 'otherns/otherstream: "" ""- foo'],
      ['spec.tags[third].from', 'FieldValueForbidden', 'secondns/something: "no" "boom"'],
    ]);
  });

  test('a verifier given to the registry guards cross-namespace tags of client writes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imagestream-verifier-'));
    const storage = await LevelStorage.open(dir);
    const denied: TagVerifier = { review: async () => ({ allowed: false, reason: 'no access', evaluationError: '' }) };
    const registry = new APIRegistry(resourceDefinitions, storage, PROJECT_ROOT, { imagePolicy: { tagVerifier: denied } });
    try {
      const rest = imageStreamREST(registry);
      const opts = { dryRun: false, fieldManager: 'test', ctx: { user: 'u', groups: [], dryRun: false } };
      await assert.rejects(rest.create('mine', theStream([cross('latest', 'theirs', 'src:v1')]) as any, opts), (err: any) => {
        // Spec-tag processing still runs after a denial, so the missing source is reported too.
        const inner = ['spec.tags[latest].from: Forbidden: theirs/src: "no access" ""', 'spec.tags[latest].from.name: Not found: "src:v1"'];
        assert.equal(err.status.message, invalidMessage('stream', [wrapped('stream', inner)]));
        return true;
      });
      // Same-namespace sources need no review.
      await rest.create('mine', { metadata: { name: 'ok' }, spec: { tags: [{ name: 'a', from: { kind: 'ImageStreamTag', namespace: 'mine', name: 'ok:v1' } }] } }, opts);
    } finally {
      await registry.close();
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('unchanged tags are not reviewed again', async () => {
    const { verifier, asked } = fake({});
    const old = theStream([cross('latest', 'otherns', 'otherstream:latest')]);
    assert.deepEqual(await verifyTagAccess(verifier, old, theStream([cross('latest', 'otherns', 'otherstream:latest')]), user), []);
    assert.deepEqual(asked, []);
    const errs = await verifyTagAccess(verifier, old, theStream([cross('latest', 'otherns', 'otherstream:foo')]), user);
    assert.deepEqual(errs.map((e) => e.detail), ['otherns/otherstream: "" ""']);
  });
});
