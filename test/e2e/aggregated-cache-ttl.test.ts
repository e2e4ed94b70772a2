// Aggregated mode: the cache lifetimes of TokenReviews and SubjectAccessReviews come from
// --authentication-token-webhook-cache-ttl and --authorization-webhook-cache-(un)authorized-ttl: an answer is
// reused while its lifetime lasts and asked for again after it, allowed and denied answers each by their own flag.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AUTHENTICATION_CONFIGMAP_PATH, authenticationConfigMap, startFakeKubeAPIServer, type FakeKubeAPIServer } from '../support/fake-kube-apiserver.js';
import { startAggregatedServer, type AggregatedServer } from '../support/aggregated-server.js';
import { createCA } from '../support/test-pki.js';
import { call } from '../support/tls-client.js';

const STREAMS = '/apis/image.openshift.io/v1/namespaces/ns/imagestreams';
const SHORT_MS = 300;

let fake: FakeKubeAPIServer;
let srv: AggregatedServer;

before(async () => {
  const frontProxyCA = await createCA('front-proxy-ca');
  fake = await startFakeKubeAPIServer({
    tokens: { reader: { username: 'reader' }, outsider: { username: 'outsider' } },
    objects: { [AUTHENTICATION_CONFIGMAP_PATH]: authenticationConfigMap({ requestHeaderCA: frontProxyCA.cert }) },
    authorize: (spec) => ({ allowed: spec.user === 'reader' }),
  });
  srv = await startAggregatedServer(fake, [
    `--authentication-token-webhook-cache-ttl=${SHORT_MS}ms`,
    `--authorization-webhook-cache-authorized-ttl=${SHORT_MS}ms`,
    // Denials are kept far longer than the test runs.
    '--authorization-webhook-cache-unauthorized-ttl=1h',
  ]);
});

after(async () => {
  await srv?.close();
  await fake?.close();
});

const counts = () => ({ tokenReviews: fake.tokenReviews().length, accessReviews: fake.subjectAccessReviews().length });
const get = (token: string) => call(srv, STREAMS, { headers: { Authorization: `Bearer ${token}` } });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('an allowed answer and its token review are reused within their lifetime and asked for again after it', async () => {
  const start = counts();
  assert.equal((await get('reader')).status, 200);
  assert.equal((await get('reader')).status, 200);
  assert.deepEqual(counts(), { tokenReviews: start.tokenReviews + 1, accessReviews: start.accessReviews + 1 });
  await pause(SHORT_MS + 100);
  assert.equal((await get('reader')).status, 200);
  assert.deepEqual(counts(), { tokenReviews: start.tokenReviews + 2, accessReviews: start.accessReviews + 2 });
});

test('a denied answer lives by the unauthorized lifetime', async () => {
  assert.equal((await get('outsider')).status, 403);
  const start = counts();
  await pause(SHORT_MS + 100);
  assert.equal((await get('outsider')).status, 403);
  // The token was reviewed again (its lifetime passed); the denial was not asked for again.
  assert.deepEqual(counts(), { tokenReviews: start.tokenReviews + 1, accessReviews: start.accessReviews });
});
