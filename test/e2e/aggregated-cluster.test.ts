// Aggregated mode, what the server takes from the cluster: NamespaceLifecycle on writes, pull secrets for
// imagestreams/secrets, SubjectAccessReviews for cross-namespace tags, /metrics behind authorization, and the
// in-flight limits, against a test double of the kube-apiserver and the aggregator's front-proxy identity.
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { AUTHENTICATION_CONFIGMAP_PATH, authenticationConfigMap, startFakeKubeAPIServer, type FakeKubeAPIServer } from '../support/fake-kube-apiserver.js';
import { remoteUser, startAggregatedServer, type AggregatedServer } from '../support/aggregated-server.js';
import { createCA, type KeyPair } from '../support/test-pki.js';
import { call, streamLines, type CallOptions } from '../support/tls-client.js';

const GROUP = 'image.openshift.io';
const streams = (ns: string) => `/apis/${GROUP}/v1/namespaces/${ns}/imagestreams`;
const namespace = (name: string, phase: 'Active' | 'Terminating') => ({
  kind: 'Namespace',
  apiVersion: 'v1',
  metadata: { name, uid: `uid-${name}`, resourceVersion: '10', creationTimestamp: '2025-01-01T00:00:00Z' },
  spec: { finalizers: ['kubernetes'] },
  status: { phase },
});
const secret = (name: string, type: string, annotations?: Record<string, string>) => ({
  metadata: { name, namespace: 'live', uid: `uid-${name}`, resourceVersion: '5', creationTimestamp: '2025-01-01T00:00:00Z', ...(annotations ? { annotations } : {}) },
  data: { '.dockercfg': 'e30=' },
  type,
});
const SECRETS = {
  kind: 'SecretList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '1234' },
  items: [
    secret('secret-1', 'kubernetes.io/dockercfg'),
    secret('secret-2', 'kubernetes.io/dockercfg', { 'openshift.io/image.excludeSecret': 'true' }),
    secret('secret-3', 'Opaque'),
    secret('secret-4', 'kubernetes.io/service-account-token'),
    secret('secret-5', 'kubernetes.io/dockerconfigjson'),
  ],
};

let frontProxy: KeyPair;
let fake: FakeKubeAPIServer;
let srv: AggregatedServer;

const ALICE = remoteUser('alice', ['dev'], { scopes: ['user:full'] });
const BOB = remoteUser('bob');
const AGGREGATOR = remoteUser('system:kube-aggregator', ['system:masters']);
const as = (identity: Record<string, string | string[]>, opts: CallOptions = {}): CallOptions => ({ identity: frontProxy, ...opts, headers: { ...identity, ...opts.headers } });
const json = (body: object) => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const namespaceReads = (name: string) => fake.requests.filter((r) => r.path === `/api/v1/namespaces/${name}`).length;

before(async () => {
  const frontProxyCA = await createCA('front-proxy-ca');
  frontProxy = await frontProxyCA.issueClient('front-proxy-client');
  fake = await startFakeKubeAPIServer({
    objects: {
      [AUTHENTICATION_CONFIGMAP_PATH]: authenticationConfigMap({ requestHeaderCA: frontProxyCA.cert, allowedNames: ['front-proxy-client'] }),
      '/api/v1/namespaces/live': namespace('live', 'Active'),
      '/api/v1/namespaces/cached': namespace('cached', 'Active'),
      '/api/v1/namespaces/ending': namespace('ending', 'Terminating'),
      '/api/v1/namespaces/other': namespace('other', 'Active'),
      '/api/v1/namespaces/live/secrets': SECRETS,
    },
    authorize: (spec) => {
      if (spec.user !== 'alice') return { allowed: false };
      if (spec.resourceAttributes?.subresource === 'layers' && spec.resourceAttributes.name === 'forbidden-src') return { allowed: false, reason: 'denied by test' };
      return { allowed: true };
    },
  });
  srv = await startAggregatedServer(fake);
});

after(async () => {
  await srv?.close();
  await fake?.close();
});

describe('namespace lifecycle', () => {
  test('a create in a namespace that does not exist: the NotFound of the kube-apiserver', async () => {
    const res = await call(srv, streams('gone'), as(ALICE, json({ metadata: { name: 'a' } })));
    assert.equal(res.status, 404, res.text);
    assert.deepEqual(res.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'namespaces "gone" not found',
      reason: 'NotFound',
      details: { name: 'gone', kind: 'namespaces' },
      code: 404,
    });
  });

  test('a create in a terminating namespace: 403 NamespaceTerminating, dry runs too', async () => {
    for (const query of ['', '?dryRun=All']) {
      const res = await call(srv, streams('ending') + query, as(ALICE, json({ metadata: { generateName: 'build' } })));
      assert.equal(res.status, 403, res.text);
      assert.deepEqual(res.json, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'imagestreams.image.openshift.io "build" is forbidden: unable to create new content in namespace ending because it is being terminated',
        reason: 'Forbidden',
        details: {
          name: 'build',
          group: GROUP,
          kind: 'imagestreams',
          causes: [{ reason: 'NamespaceTerminating', message: 'namespace ending is being terminated', field: 'metadata.namespace' }],
        },
        code: 403,
      });
    }
  });

  test('decoding errors come before admission', async () => {
    const res = await call(srv, streams('gone'), as(ALICE, { method: 'POST', body: '{"metadata":', headers: { 'content-type': 'application/json' } }));
    assert.equal(res.status, 400, res.text);
  });

  test('creates in an active namespace succeed; the namespace is read once for several writes', async () => {
    const before = namespaceReads('cached');
    for (const name of ['one', 'two']) {
      const res = await call(srv, streams('cached'), as(ALICE, json({ metadata: { name } })));
      assert.equal(res.status, 201, res.text);
    }
    const patched = await call(srv, `${streams('cached')}/one`, as(ALICE, { method: 'PATCH', body: '{"metadata":{"labels":{"a":"b"}}}', headers: { 'content-type': 'application/merge-patch+json' } }));
    assert.equal(patched.status, 200, patched.text);
    assert.equal(namespaceReads('cached') - before, 1);
  });

  test('a missing object is NotFound before the namespace is looked at; reads and deletes need no namespace', async () => {
    const put = await call(srv, `${streams('gone')}/x`, as(ALICE, { method: 'PUT', body: '{"metadata":{"name":"x"}}', headers: { 'content-type': 'application/json' } }));
    assert.equal(put.status, 404);
    assert.equal(put.json.message, 'imagestreams.image.openshift.io "x" not found');
    const before = namespaceReads('nowhere');
    assert.equal((await call(srv, streams('nowhere'), as(ALICE))).status, 200);
    assert.equal((await call(srv, `${streams('nowhere')}/x`, as(ALICE, { method: 'DELETE' }))).status, 404);
    assert.equal(namespaceReads('nowhere'), before);
  });
});

describe('imagestreams/secrets', () => {
  test("the namespace's pull secrets, listed with the query's ListOptions", async () => {
    const res = await call(srv, `${streams('live')}/any/secrets?labelSelector=app%3Dweb&limit=10`, as(ALICE, { http2: true }));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'SecretList');
    assert.equal(res.json.apiVersion, `${GROUP}/v1`);
    assert.deepEqual(res.json.metadata, { resourceVersion: '1234' });
    assert.deepEqual(res.json.items, [SECRETS.items[0], SECRETS.items[4]]);
    const listed = fake.requests.filter((r) => r.path === '/api/v1/namespaces/live/secrets').at(-1);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(listed?.query)), { labelSelector: 'app=web', limit: '10' });
    // Listed with the server's own credentials, not the caller's.
    assert.equal(listed?.authorization, `Bearer ${fake.clientToken}`);
  });

  test("the kube-apiserver's refusal is handed on as it is", async () => {
    const refusal = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'secrets is forbidden: User "system:serviceaccount:image-apiserver:image-apiserver" cannot list resource "secrets" in API group "" in the namespace "locked"',
      reason: 'Forbidden',
      details: { kind: 'secrets' },
      code: 403,
    };
    fake.setFailure('/api/v1/namespaces/locked/secrets', { code: 403, status: refusal });
    const res = await call(srv, `${streams('locked')}/any/secrets`, as(ALICE));
    assert.equal(res.status, 403);
    assert.deepEqual(res.json, refusal);
  });
});

describe('cross-namespace spec tags', () => {
  const tagged = (name: string, source: string) => json({ metadata: { name }, spec: { tags: [{ name: 'latest', from: { kind: 'ImageStreamTag', namespace: 'other', name: `${source}:v1` } }] } });
  const layerReviews = () => fake.subjectAccessReviews().filter((r) => r.body.spec.resourceAttributes?.subresource === 'layers');

  test('a SubjectAccessReview for get imagestreams/layers as the requesting user; a denial is a Forbidden field error', async () => {
    const res = await call(srv, streams('live'), as(ALICE, tagged('copy', 'forbidden-src')));
    assert.equal(res.status, 422, res.text);
    assert.ok(res.json.message.includes('spec.tags[latest].from: Forbidden: other/forbidden-src: "denied by test" ""'), res.json.message);
    assert.deepEqual(layerReviews().at(-1)?.body, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        resourceAttributes: { namespace: 'other', verb: 'get', group: GROUP, resource: 'imagestreams', subresource: 'layers', name: 'forbidden-src' },
        user: 'alice',
        groups: ['dev', 'system:authenticated'],
        extra: { scopes: ['user:full'] },
      },
    });
  });

  test('an allowed source passes the verifier', async () => {
    const before = layerReviews().length;
    const res = await call(srv, streams('live'), as(ALICE, tagged('copy2', 'src')));
    assert.equal(layerReviews().length, before + 1);
    assert.ok(!String(res.json?.message).includes('Forbidden'), res.text);
  });
});

describe('/metrics', () => {
  test('authorized as the non-resource path, then Prometheus text with the request counters', async () => {
    assert.equal((await call(srv, '/metrics', as(BOB))).status, 403);
    const res = await call(srv, '/metrics', as(ALICE, { http2: true }));
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    assert.deepEqual(fake.subjectAccessReviews().at(-1)?.body.spec.nonResourceAttributes, { path: '/metrics', verb: 'get' });
    assert.match(
      res.text,
      /^apiserver_request_total\{verb="POST",dry_run="",group="image\.openshift\.io",version="v1",resource="imagestreams",subresource="",scope="resource",component="apiserver",code="201"\} [1-9]/m,
    );
    assert.match(res.text, /^apiserver_request_total\{verb="GET",dry_run="",group="image\.openshift\.io",version="v1",resource="imagestreams",subresource="secrets",scope="resource",component="apiserver",code="200"\} 1$/m);
    assert.match(res.text, /^apiserver_request_duration_seconds_bucket\{verb="POST",dry_run="",group="image\.openshift\.io",.*,le="\+Inf"\} [1-9]/m);
    assert.match(res.text, /^apiserver_storage_objects\{resource="imagestreams\.image\.openshift\.io"\} 2$/m);
    assert.match(res.text, /^apiserver_current_inflight_requests\{request_kind="readOnly"\} \d+$/m);
    assert.match(res.text, /^process_cpu_seconds_total \d/m);
  });

  test('watches are counted while they run', async () => {
    const metric = async (pattern: RegExp) => Number(pattern.exec((await call(srv, '/metrics', as(ALICE))).text)?.[1]);
    const watchers = /^apiserver_registered_watchers\{group="image\.openshift\.io",version="v1",kind="ImageStream"\} (\d+)$/m;
    const longRunning =
      /^apiserver_longrunning_requests\{verb="WATCH",group="image\.openshift\.io",version="v1",resource="imagestreams",subresource="",scope="namespace",component="apiserver"\} (\d+)$/m;
    const watch = streamLines(srv, `${streams('live')}?watch=true`, as(ALICE));
    try {
      assert.equal(await watch.status, 200);
      assert.equal(await metric(watchers), 1);
      assert.equal(await metric(longRunning), 1);
    } finally {
      watch.close();
    }
    for (let i = 0; i < 100 && (await metric(watchers)) !== 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await metric(watchers), 0);
    assert.equal(await metric(longRunning), 0);
  });
});

/** A POST whose body never finishes: it holds its in-flight seat until released. */
function heldPost(target: AggregatedServer, path: string, headers: Record<string, string | string[]>): { release(): Promise<number> } {
  const req = httpsRequest({
    host: '127.0.0.1',
    port: target.port,
    path,
    method: 'POST',
    ca: target.ca,
    servername: target.servername,
    cert: frontProxy.cert,
    key: frontProxy.key,
    agent: false,
    headers: { ...headers, 'content-type': 'application/json', 'content-length': '25' },
  });
  const done = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
  req.write('{"metadata":');
  return {
    release: async () => {
      req.end('{"name":"x"}}');
      return done;
    },
  };
}

describe('in-flight limits', () => {
  let limited: AggregatedServer;
  before(async () => {
    limited = await startAggregatedServer(fake, ['--max-requests-inflight=1', '--max-mutating-requests-inflight=1']);
  });
  after(async () => {
    await limited?.close();
  });

  test('over the mutating limit: 429 with Retry-After, system:masters still served, reads and watches apart', async () => {
    const reviews = fake.subjectAccessReviews().length;
    const held = heldPost(limited, streams('live'), ALICE as Record<string, string | string[]>);
    // The seat is taken before authorization, so the held request's review shows it is in.
    for (let i = 0; i < 200 && fake.subjectAccessReviews().length === reviews; i++) await new Promise((r) => setTimeout(r, 10));
    try {
      const rejected = await call(limited, streams('live'), as(ALICE, json({ metadata: { name: 'y' } })));
      assert.equal(rejected.status, 429);
      assert.equal(rejected.headers['retry-after'], '1');
      assert.equal(rejected.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(rejected.text, 'Too many requests, please try again later.\n');

      const master = await call(limited, streams('live'), as(AGGREGATOR, json({ metadata: { name: 'z' } })));
      assert.equal(master.status, 201, master.text);

      const watch = streamLines(limited, `${streams('live')}?watch=true`, as(ALICE));
      try {
        assert.equal(await watch.status, 200);
        assert.equal((await call(limited, streams('live'), as(ALICE))).status, 200);
      } finally {
        watch.close();
      }
      const metrics = (await call(limited, '/metrics', as(AGGREGATOR))).text;
      assert.match(metrics, /^apiserver_request_terminations_total\{verb="POST",group="image\.openshift\.io",version="v1",resource="imagestreams",subresource="",scope="resource",component="apiserver",code="429"\} 1$/m);
      assert.match(metrics, /^apiserver_request_total\{verb="POST",dry_run="",group="image\.openshift\.io",version="v1",resource="imagestreams",subresource="",scope="resource",component="apiserver",code="429"\} 1$/m);
    } finally {
      assert.equal(await held.release(), 201);
    }
    const after = await call(limited, streams('live'), as(ALICE, json({ metadata: { name: 'w' } })));
    assert.equal(after.status, 201, after.text);
  });
});
