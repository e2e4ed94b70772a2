// imagesignatures over HTTP: create and delete as edits of Image.signatures (openshift-apiserver
// registry/imagesignature), their validation, and the verbs the resource refuses.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const GROUP = '/apis/image.openshift.io/v1';
const IMAGES = `${GROUP}/images`;
const SIGNATURES = `${GROUP}/imagesignatures`;
const SUCCESS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };

const digest = (seed: string) => `sha256:${seed.repeat(64).slice(0, 64)}`;
const CONTENT = Buffer.from('signature blob').toString('base64');

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(async () => {
  await srv.close();
});

async function createImage(name: string): Promise<void> {
  const res = await srv.request('POST', IMAGES, { body: { metadata: { name }, dockerImageReference: `registry.example.com/ns/app@${name}` } });
  assert.equal(res.status, 201, res.text);
}

async function imageSignatures(name: string): Promise<any[]> {
  const res = await srv.request('GET', `${IMAGES}/${name}`);
  assert.equal(res.status, 200, res.text);
  return res.json.signatures ?? [];
}

const signature = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'image.openshift.io/v1',
  kind: 'ImageSignature',
  metadata: { name },
  type: 'AtomicImageV1',
  content: CONTENT,
  ...extra,
});

describe('create', () => {
  test('returns 201 with the signature as stored inside the image', async () => {
    const image = digest('1');
    await createImage(image);
    const res = await srv.request('POST', SIGNATURES, { body: signature(`${image}@sig-a`) });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.kind, 'ImageSignature');
    assert.equal(res.json.apiVersion, 'image.openshift.io/v1');
    assert.equal(res.json.metadata.name, `${image}@sig-a`);
    assert.match(res.json.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(res.json.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(res.json.type, 'AtomicImageV1');
    assert.equal(res.json.content, CONTENT);

    const stored = await imageSignatures(image);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].kind, undefined, 'embedded signatures carry no type meta');
    assert.equal(stored[0].metadata.uid, res.json.metadata.uid);
    assert.deepEqual({ ...res.json, apiVersion: undefined, kind: undefined }, { ...stored[0], apiVersion: undefined, kind: undefined });
  });

  test('what only a verifier may set is cleared', async () => {
    const image = digest('2');
    await createImage(image);
    const verified = {
      conditions: [
        { type: 'Trusted', status: 'True', lastProbeTime: '2024-01-01T00:00:00Z' },
        { type: 'ForImage', status: 'True', lastProbeTime: '2024-01-01T00:00:00Z' },
      ],
      imageIdentity: 'registry.example.com/ns/app:latest',
      signedClaims: { a: 'b' },
      created: '2024-01-01T00:00:00Z',
      issuedBy: { organization: 'Org', commonName: 'CA' },
      issuedTo: { organization: 'Org', commonName: 'Me', publicKeyID: '0x1' },
    };
    const res = await srv.request('POST', SIGNATURES, { body: signature(`${image}@cleared`, verified) });
    assert.equal(res.status, 201, res.text);
    for (const key of Object.keys(verified)) assert.equal(res.json[key], undefined, key);
    const [stored] = await imageSignatures(image);
    for (const key of Object.keys(verified)) assert.equal(stored[key], undefined, key);
  });

  test('fields that would be invalid without a Trusted condition are cleared before validation', async () => {
    const image = digest('3');
    await createImage(image);
    const res = await srv.request('POST', SIGNATURES, { body: signature(`${image}@identity`, { imageIdentity: 'x' }) });
    assert.equal(res.status, 201, res.text);
  });

  test('a body namespace is dropped on this cluster-scoped kind', async () => {
    const image = digest('4');
    await createImage(image);
    const body = signature(`${image}@ns`);
    (body.metadata as Record<string, unknown>).namespace = 'somewhere';
    const res = await srv.request('POST', SIGNATURES, { body });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.metadata.namespace, undefined);
  });

  test('a duplicate name or type+content is 409 AlreadyExists on imageSignatures', async () => {
    const image = digest('5');
    await createImage(image);
    assert.equal((await srv.request('POST', SIGNATURES, { body: signature(`${image}@first`) })).status, 201);
    const cases = [
      { name: 'same name', body: signature(`${image}@first`, { content: Buffer.from('other').toString('base64') }), conflicting: `${image}@first` },
      { name: 'same type and content', body: signature(`${image}@second`), conflicting: `${image}@second` },
    ];
    for (const c of cases) {
      const res = await srv.request('POST', SIGNATURES, { body: c.body });
      assert.equal(res.status, 409, `${c.name}: ${res.text}`);
      assert.equal(res.json.reason, 'AlreadyExists');
      assert.equal(res.json.message, `imageSignatures.image.openshift.io "${c.conflicting}" already exists`);
      assert.deepEqual(res.json.details, { name: c.conflicting, group: 'image.openshift.io', kind: 'imageSignatures' });
    }
    assert.equal((await imageSignatures(image)).length, 1);
  });

  test('the same content with another type is a new signature', async () => {
    const image = digest('6');
    await createImage(image);
    assert.equal((await srv.request('POST', SIGNATURES, { body: signature(`${image}@a`) })).status, 201);
    const res = await srv.request('POST', SIGNATURES, { body: signature(`${image}@b`, { type: 'OtherType' }) });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual((await imageSignatures(image)).map((s) => s.metadata.name), [`${image}@a`, `${image}@b`]);
  });

  test('a missing image is 404 on images', async () => {
    const image = digest('7');
    const res = await srv.request('POST', SIGNATURES, { body: signature(`${image}@sig`) });
    assert.equal(res.status, 404, res.text);
    assert.equal(res.json.message, `images.image.openshift.io "${image}" not found`);
  });

  test('only generateName fails as on every view kind', async () => {
    const res = await srv.request('POST', SIGNATURES, { body: { ...signature(''), metadata: { generateName: 'img@' } } });
    assert.equal(res.status, 500, res.text);
    assert.equal(res.json.reason, 'InternalError');
    assert.equal(res.json.message, 'Internal error occurred: metadata.name was not generated');
  });

  test('a wrong JSON type is 400 from the decoder', async () => {
    const res = await srv.request('POST', SIGNATURES, { body: signature(`${digest('8')}@sig`, { type: 5 }) });
    assert.equal(res.status, 400, res.text);
    assert.match(res.json.message, /^ImageSignature in version "v1" cannot be handled as a ImageSignature: /);
  });

  test('dryRun=All answers as a create would and stores nothing (upstream ignores dryRun; see README)', async () => {
    const image = digest('9');
    await createImage(image);
    const before = (await srv.request('GET', `${IMAGES}/${image}`)).json.metadata.resourceVersion;
    const res = await srv.request('POST', `${SIGNATURES}?dryRun=All`, { body: signature(`${image}@dry`) });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.metadata.name, `${image}@dry`);
    assert.equal(res.json.content, CONTENT);
    assert.deepEqual(await imageSignatures(image), []);
    assert.equal((await srv.request('GET', `${IMAGES}/${image}`)).json.metadata.resourceVersion, before);
    // Its checks still run: a duplicate is refused in a dry run too.
    assert.equal((await srv.request('POST', SIGNATURES, { body: signature(`${image}@real`) })).status, 201);
    assert.equal((await srv.request('POST', `${SIGNATURES}?dryRun=All`, { body: signature(`${image}@real`) })).status, 409);
  });

  test('concurrent creates on one image are all kept (the image write retries on conflict)', async () => {
    const image = digest('a');
    await createImage(image);
    const names = Array.from({ length: 8 }, (_, i) => `${image}@c${i}`);
    const results = await Promise.all(
      names.map((n, i) => srv.request('POST', SIGNATURES, { body: signature(n, { content: Buffer.from(`blob ${i}`).toString('base64') }) })),
    );
    for (const r of results) assert.equal(r.status, 201, r.text);
    assert.deepEqual((await imageSignatures(image)).map((s) => s.metadata.name).sort(), [...names].sort());
  });
});

describe('create validation (422 ImageSignature)', () => {
  const image = digest('b');
  before(async () => {
    await createImage(image);
  });

  const cases: { name: string; body: Record<string, unknown>; message: string }[] = [
    {
      name: 'no name',
      body: { type: 'AtomicImageV1', content: CONTENT },
      message:
        'ImageSignature.image.openshift.io "" is invalid: [metadata.name: Required value: name or generateName is required, metadata.name: Invalid value: "": name must be of format <imageName>@<signatureName>]',
    },
    ...['noat', 'a@b@c', '@sig', `${image}@`].map((n) => ({
      name: `name ${JSON.stringify(n)}`,
      body: signature(n),
      message: `ImageSignature.image.openshift.io "${n}" is invalid: metadata.name: Invalid value: "${n}": name must be of format <imageName>@<signatureName>`,
    })),
    {
      name: 'name with a slash',
      body: signature('a/b@c'),
      message: `ImageSignature.image.openshift.io "a/b@c" is invalid: metadata.name: Invalid value: "a/b@c": may not contain '/'`,
    },
    {
      name: 'name with a percent sign',
      body: signature('a%b@c'),
      message: `ImageSignature.image.openshift.io "a%b@c" is invalid: metadata.name: Invalid value: "a%b@c": may not contain '%'`,
    },
    {
      name: 'name ..',
      body: signature('..'),
      message:
        `ImageSignature.image.openshift.io ".." is invalid: [metadata.name: Invalid value: "..": may not be '..', metadata.name: Invalid value: "..": name must be of format <imageName>@<signatureName>]`,
    },
    {
      name: 'labels',
      body: { ...signature(`${image}@l`), metadata: { name: `${image}@l`, labels: { a: 'b' } } },
      message: `ImageSignature.image.openshift.io "${image}@l" is invalid: metadata.labels: Forbidden: signature labels cannot be set`,
    },
    {
      name: 'annotations',
      body: { ...signature(`${image}@n`), metadata: { name: `${image}@n`, annotations: { a: 'b' } } },
      message: `ImageSignature.image.openshift.io "${image}@n" is invalid: metadata.annotations: Forbidden: signature annotations cannot be set`,
    },
    {
      name: 'no type',
      body: signature(`${image}@t`, { type: '' }),
      message: `ImageSignature.image.openshift.io "${image}@t" is invalid: type: Required value`,
    },
    {
      name: 'no content',
      body: signature(`${image}@c`, { content: undefined }),
      message: `ImageSignature.image.openshift.io "${image}@c" is invalid: content: Required value`,
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const res = await srv.request('POST', SIGNATURES, { body: c.body });
      assert.equal(res.status, 422, res.text);
      assert.equal(res.json.reason, 'Invalid');
      assert.equal(res.json.message, c.message);
      assert.equal(res.json.details.kind, 'ImageSignature');
      assert.equal(res.json.details.group, 'image.openshift.io');
    });
  }

  test('nothing was written', async () => {
    assert.deepEqual(await imageSignatures(image), []);
  });
});

describe('signature rules on Image.signatures (422 Image)', () => {
  const image = digest('c');
  before(async () => {
    await createImage(image);
  });

  const trusted = (status: string) => ({ type: 'Trusted', status, lastProbeTime: '2024-01-01T00:00:00Z' });
  const forImage = { type: 'ForImage', status: 'True', lastProbeTime: '2024-01-01T00:00:00Z' };
  const entry = (extra: Record<string, unknown>) => ({ metadata: { name: `${image}@s` }, type: 'AtomicImageV1', content: CONTENT, ...extra });
  const patchSignatures = (signatures: unknown[]) =>
    srv.request('PATCH', `${IMAGES}/${image}`, { body: { signatures }, contentType: 'application/merge-patch+json' });

  const cases: { name: string; entry: Record<string, unknown>; causes: { field: string; message: RegExp }[] }[] = [
    { name: 'Trusted without ForImage', entry: entry({ conditions: [trusted('True')] }), causes: [{ field: 'signatures[0].conditions', message: /: missing "ForImage" condition type$/ }] },
    { name: 'ForImage without Trusted', entry: entry({ conditions: [forImage] }), causes: [{ field: 'signatures[0].conditions', message: /: missing "Trusted" condition type$/ }] },
    {
      name: 'verifier fields without a Trusted condition',
      entry: entry({ imageIdentity: 'id', signedClaims: { a: 'b' }, issuedBy: { commonName: 'CA' }, issuedTo: { publicKeyID: '0x1' } }),
      causes: [
        { field: 'signatures[0].imageIdentity', message: /^Invalid value: "id": must be unset for unknown signature state$/ },
        { field: 'signatures[0].signedClaims', message: /: must be unset for unknown signature state$/ },
        { field: 'signatures[0].issuedBy', message: /: must be unset for unknown signature state$/ },
        { field: 'signatures[0].issuedTo', message: /: must be unset for unknown signature state$/ },
      ],
    },
    {
      name: 'verifier fields when the newest Trusted condition is Unknown',
      entry: entry({ conditions: [trusted('True'), { ...trusted('Unknown'), lastProbeTime: '2024-02-01T00:00:00Z' }, forImage], imageIdentity: 'id' }),
      causes: [{ field: 'signatures[0].imageIdentity', message: /^Invalid value: "id": must be unset for unknown signature state$/ }],
    },
    {
      name: 'labels, annotations, name format, type and content',
      entry: { metadata: { name: 'bad', labels: { a: 'b' }, annotations: { c: 'd' } } },
      causes: [
        { field: 'signatures[0].metadata.labels', message: /^Forbidden: signature labels cannot be set$/ },
        { field: 'signatures[0].metadata.annotations', message: /^Forbidden: signature annotations cannot be set$/ },
        { field: 'signatures[0].metadata.name', message: /^Invalid value: "bad": name must be of format <imageName>@<signatureName>$/ },
        { field: 'signatures[0].type', message: /^Required value$/ },
        { field: 'signatures[0].content', message: /^Required value$/ },
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const res = await patchSignatures([c.entry]);
      assert.equal(res.status, 422, res.text);
      assert.equal(res.json.details.kind, 'Image');
      assert.match(res.json.message, new RegExp(`^Image\\.image\\.openshift\\.io "${image}" is invalid: `));
      assert.deepEqual(
        res.json.details.causes.map((x: { field: string }) => x.field),
        c.causes.map((x) => x.field),
      );
      c.causes.forEach((want, i) => assert.match(res.json.details.causes[i].message, want.message));
    });
  }

  test('a trusted signature may carry what the verifier found', async () => {
    const res = await patchSignatures([
      entry({ conditions: [trusted('True'), forImage], imageIdentity: 'id', signedClaims: { a: 'b' }, issuedBy: { commonName: 'CA' }, issuedTo: { publicKeyID: '0x1' } }),
    ]);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.signatures[0].imageIdentity, 'id');
  });
});

describe('delete', () => {
  test('removes the signature, keeps the order of the others, answers a bare Success', async () => {
    const image = digest('d');
    await createImage(image);
    for (const n of ['x', 'y', 'z']) {
      const res = await srv.request('POST', SIGNATURES, { body: signature(`${image}@${n}`, { content: Buffer.from(n).toString('base64') }) });
      assert.equal(res.status, 201, res.text);
    }
    const res = await srv.request('DELETE', `${SIGNATURES}/${image}@y`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, SUCCESS);
    assert.deepEqual((await imageSignatures(image)).map((s) => s.metadata.name), [`${image}@x`, `${image}@z`]);
  });

  test('dryRun=All answers Success and removes nothing', async () => {
    const image = digest('ab');
    await createImage(image);
    assert.equal((await srv.request('POST', SIGNATURES, { body: signature(`${image}@keep`) })).status, 201);
    const res = await srv.request('DELETE', `${SIGNATURES}/${image}@keep?dryRun=All`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, SUCCESS);
    assert.deepEqual((await imageSignatures(image)).map((s) => s.metadata.name), [`${image}@keep`]);
    // A dry run still reports what a real delete would: a missing signature is 404.
    assert.equal((await srv.request('DELETE', `${SIGNATURES}/${image}@nope?dryRun=All`)).status, 404);
  });

  test('the last signature leaves an image without signatures', async () => {
    const image = digest('e');
    await createImage(image);
    assert.equal((await srv.request('POST', SIGNATURES, { body: signature(`${image}@only`) })).status, 201);
    assert.equal((await srv.request('DELETE', `${SIGNATURES}/${image}@only`)).status, 200);
    const res = await srv.request('GET', `${IMAGES}/${image}`);
    assert.equal(res.json.signatures, undefined);
  });

  for (const name of ['noat', 'a@b@c', '@sig', 'img@']) {
    test(`bad name ${JSON.stringify(name)} is 400`, async () => {
      const res = await srv.request('DELETE', `${SIGNATURES}/${encodeURIComponent(name)}`);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.reason, 'BadRequest');
      assert.equal(res.json.message, 'ImageSignatures must be accessed with <imageName>@<signatureName>');
    });
  }

  test('a missing image is 404 on images', async () => {
    const image = digest('f');
    const res = await srv.request('DELETE', `${SIGNATURES}/${image}@sig`);
    assert.equal(res.status, 404, res.text);
    assert.equal(res.json.message, `images.image.openshift.io "${image}" not found`);
  });

  test('a missing signature is 404 on imageSignatures', async () => {
    const image = digest('0');
    await createImage(image);
    const res = await srv.request('DELETE', `${SIGNATURES}/${image}@missing`);
    assert.equal(res.status, 404, res.text);
    assert.equal(res.json.message, `imageSignatures.image.openshift.io "${image}@missing" not found`);
    assert.deepEqual(res.json.details, { name: `${image}@missing`, group: 'image.openshift.io', kind: 'imageSignatures' });
  });
});

describe('verbs', () => {
  test('discovery lists create and delete only', async () => {
    const res = await srv.request('GET', GROUP);
    const resource = res.json.resources.find((r: { name: string }) => r.name === 'imagesignatures');
    assert.deepEqual(resource, { name: 'imagesignatures', singularName: 'imagesignature', namespaced: false, kind: 'ImageSignature', verbs: ['create', 'delete'] });
  });

  const refused: { method: string; path: string; body?: unknown; contentType?: string }[] = [
    { method: 'GET', path: SIGNATURES },
    { method: 'GET', path: `${SIGNATURES}/img@sig` },
    { method: 'PUT', path: `${SIGNATURES}/img@sig`, body: signature('img@sig') },
    { method: 'PATCH', path: `${SIGNATURES}/img@sig`, body: {}, contentType: 'application/merge-patch+json' },
  ];
  for (const r of refused) {
    test(`${r.method} ${r.path.slice(GROUP.length)} is 405`, async () => {
      const res = await srv.request(r.method, r.path, { body: r.body, contentType: r.contentType });
      assert.equal(res.status, 405, res.text);
      assert.equal(res.json.reason, 'MethodNotAllowed');
    });
  }

  test('there is no namespaced path', async () => {
    const res = await srv.request('POST', `${GROUP}/namespaces/default/imagesignatures`, { body: signature('img@sig') });
    assert.equal(res.status, 404, res.text);
  });
});
