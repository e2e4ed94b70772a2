// Aggregated mode: an update that creates its object needs `create` as well (k8s.io/apiserver's update and patch
// handlers ask the authorizer once more with verb create): server-side apply of a missing object, and PUT or PATCH
// of an ImageStreamTag or ImageTag whose stream does not exist. Against a test double of the kube-apiserver that
// allows everything but `create` to the user no-create.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AUTHENTICATION_CONFIGMAP_PATH, authenticationConfigMap, startFakeKubeAPIServer, type FakeKubeAPIServer } from '../support/fake-kube-apiserver.js';
import { remoteUser, startAggregatedServer, type AggregatedServer } from '../support/aggregated-server.js';
import { createCA, type KeyPair } from '../support/test-pki.js';
import { call, type CallOptions } from '../support/tls-client.js';

const GROUP = 'image.openshift.io';
const NS = `/apis/${GROUP}/v1/namespaces/ns`;
const NO_CREATE = remoteUser('no-create', ['dev']);
const CREATOR = remoteUser('creator');
const SAR_FAILS = remoteUser('create-review-fails');
const REASONED = remoteUser('reasoned');
const REVIEW_REFUSED = 'subjectaccessreviews.authorization.k8s.io is forbidden: User "system:serviceaccount:image-apiserver:image-apiserver" cannot create resource "subjectaccessreviews"';

let frontProxy: KeyPair;
let fake: FakeKubeAPIServer;
let srv: AggregatedServer;

before(async () => {
  const frontProxyCA = await createCA('front-proxy-ca');
  frontProxy = await frontProxyCA.issueClient('front-proxy-client');
  fake = await startFakeKubeAPIServer({
    objects: {
      [AUTHENTICATION_CONFIGMAP_PATH]: authenticationConfigMap({ requestHeaderCA: frontProxyCA.cert, allowedNames: ['front-proxy-client'] }),
      '/api/v1/namespaces/ns': { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'ns' }, status: { phase: 'Active' } },
    },
    authorize: (spec) => {
      const creating = spec.resourceAttributes?.verb === 'create';
      if (spec.user === 'creator' || !creating) return { allowed: true };
      if (spec.user === 'reasoned') return { allowed: false, reason: 'no RBAC policy matched' };
      if (spec.user === 'create-review-fails') {
        // Not retried (a transient 5xx would be): the review fails at once.
        return { httpStatus: 403, status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: REVIEW_REFUSED, reason: 'Forbidden', code: 403 } };
      }
      return { allowed: false };
    },
  });
  srv = await startAggregatedServer(fake);
});

after(async () => {
  await srv?.close();
  await fake?.close();
});

const as = (identity: Record<string, string | string[]>, opts: CallOptions = {}): CallOptions => ({ identity: frontProxy, ...opts, headers: { ...identity, ...opts.headers } });
const send = (identity: Record<string, string | string[]>, method: string, path: string, body: object, contentType = 'application/json') =>
  call(srv, path, as(identity, { method, body: JSON.stringify(body), headers: { 'content-type': contentType } }));
const apply = (identity: Record<string, string | string[]>, name: string, extra: object = {}, query = '') =>
  send(identity, 'PATCH', `${NS}/imagestreams/${name}?fieldManager=test${query}`, { apiVersion: `${GROUP}/v1`, kind: 'ImageStream', metadata: { name, ...extra } }, 'application/apply-patch+yaml');
const istag = (name: string) => ({ apiVersion: `${GROUP}/v1`, kind: 'ImageStreamTag', metadata: { name }, tag: { name: name.split(':')[1], from: { kind: 'DockerImage', name: 'quay.io/team/app:v1' } } });
/** The resource attributes of the reviews made while `work` ran. */
async function reviewsDuring(work: () => Promise<unknown>): Promise<object[]> {
  const before = fake.subjectAccessReviews().length;
  await work();
  return fake.subjectAccessReviews().slice(before).map((r) => r.body.spec.resourceAttributes);
}
const forbidden = (resource: string, name: string, reason = '') => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: `${resource}.${GROUP} "${name}" is forbidden: ${reason}`,
  reason: 'Forbidden',
  details: { name, group: GROUP, kind: resource },
  code: 403,
});

describe('server-side apply of a missing object', () => {
  test('without create: 403 worded as withAuthorization, after a review for create; nothing is stored', async () => {
    let res: Awaited<ReturnType<typeof call>> | undefined;
    const reviews = await reviewsDuring(async () => (res = await apply(NO_CREATE, 'applied')));
    assert.equal(res?.status, 403, res?.text);
    assert.deepEqual(res?.json, forbidden('imagestreams', 'applied'));
    assert.deepEqual(reviews, [
      { group: GROUP, name: 'applied', namespace: 'ns', resource: 'imagestreams', verb: 'patch', version: 'v1' },
      { group: GROUP, name: 'applied', namespace: 'ns', resource: 'imagestreams', verb: 'create', version: 'v1' },
    ]);
    assert.equal((await call(srv, `${NS}/imagestreams/applied`, as(CREATOR))).status, 404);
  });

  test('the dry run is refused too; the review for create carries the user as the request does', async () => {
    const res = await apply(NO_CREATE, 'dry', {}, '&dryRun=All');
    assert.equal(res.status, 403, res.text);
    const review = fake.subjectAccessReviews().at(-1)?.body.spec;
    assert.deepEqual(review, {
      resourceAttributes: { group: GROUP, name: 'dry', namespace: 'ns', resource: 'imagestreams', verb: 'create', version: 'v1' },
      groups: ['dev', 'system:authenticated'],
      user: 'no-create',
    });
  });

  test("the authorizer's reason is the message's end", async () => {
    const res = await apply(REASONED, 'reasoned');
    assert.equal(res.status, 403, res.text);
    assert.deepEqual(res.json, forbidden('imagestreams', 'reasoned', 'no RBAC policy matched'));
  });

  test('with create: 201, the object exists; applying again asks for patch only', async () => {
    const created = await apply(CREATOR, 'made');
    assert.equal(created.status, 201, created.text);
    const reviews = await reviewsDuring(async () => assert.equal((await apply(NO_CREATE, 'made', { labels: { a: 'b' } })).status, 200));
    assert.deepEqual(reviews.map((r: any) => r.verb), ['patch']);
  });

  test('what upstream reports before it asks still comes first: validation, then the namespace', async () => {
    const invalid = await apply(NO_CREATE, 'invalid', { labels: { a: '-bad-' } });
    assert.equal(invalid.status, 422, invalid.text);
    assert.equal(invalid.json.reason, 'Invalid');
    const nowhere = await send(NO_CREATE, 'PATCH', `/apis/${GROUP}/v1/namespaces/nowhere/imagestreams/x?fieldManager=test`, { apiVersion: `${GROUP}/v1`, kind: 'ImageStream', metadata: { name: 'x' } }, 'application/apply-patch+yaml');
    assert.equal(nowhere.status, 404, nowhere.text);
    assert.equal(nowhere.json.message, 'namespaces "nowhere" not found');
  });

  test('a review for create that fails: 500 InternalError', async () => {
    const res = await apply(SAR_FAILS, 'failing');
    assert.equal(res.status, 500, res.text);
    assert.equal(res.json.reason, 'InternalError');
    assert.equal(res.json.message, `Internal error occurred: ${REVIEW_REFUSED}`);
  });
});

describe('tag views whose stream does not exist', () => {
  test('PUT imagestreamtags without create: 403, no stream made', async () => {
    let res: Awaited<ReturnType<typeof call>> | undefined;
    const reviews = await reviewsDuring(async () => (res = await send(NO_CREATE, 'PUT', `${NS}/imagestreamtags/fresh:latest`, istag('fresh:latest'))));
    assert.equal(res?.status, 403, res?.text);
    assert.deepEqual(res?.json, forbidden('imagestreamtags', 'fresh:latest'));
    assert.deepEqual(reviews.map((r: any) => `${r.verb} ${r.resource} ${r.name}`), ['update imagestreamtags fresh:latest', 'create imagestreamtags fresh:latest']);
    assert.equal((await call(srv, `${NS}/imagestreams/fresh`, as(CREATOR))).status, 404);
  });

  test('PATCH imagetags without create: 403', async () => {
    const res = await send(NO_CREATE, 'PATCH', `${NS}/imagetags/other:v1`, { spec: { name: 'v1', from: { kind: 'DockerImage', name: 'quay.io/team/app:v1' } } }, 'application/merge-patch+json');
    assert.equal(res.status, 403, res.text);
    assert.deepEqual(res.json, forbidden('imagetags', 'other:v1'));
  });

  test('a new tag in a stream that exists is an update: no review for create', async () => {
    assert.equal((await apply(CREATOR, 'existing')).status, 201);
    let res: Awaited<ReturnType<typeof call>> | undefined;
    const reviews = await reviewsDuring(async () => (res = await send(NO_CREATE, 'PUT', `${NS}/imagestreamtags/existing:latest`, istag('existing:latest'))));
    assert.equal(res?.status, 201, res?.text);
    assert.deepEqual(reviews.map((r: any) => r.verb), ['update']);
  });

  test('with create: the stream is made', async () => {
    const res = await send(CREATOR, 'PUT', `${NS}/imagestreamtags/made-by-tag:latest`, istag('made-by-tag:latest'));
    assert.equal(res.status, 201, res.text);
    assert.equal((await call(srv, `${NS}/imagestreams/made-by-tag`, as(CREATOR))).status, 200);
  });
});
