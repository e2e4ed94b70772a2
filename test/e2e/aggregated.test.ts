// Aggregated mode end to end: HTTPS (HTTP/2 and HTTP/1.1) with a generated serving certificate, the
// aggregator's front-proxy requests, client certificates, bearer tokens checked with TokenReviews and
// every request authorized with a SubjectAccessReview, against a test double of the kube-apiserver.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { resourceDefinitions } from '../../src/apis/index.js';
import { parseConfig } from '../../src/config.js';
import { start, type RunningServer } from '../../src/start.js';
import { AUTHENTICATION_CONFIGMAP_PATH, authenticationConfigMap, startFakeKubeAPIServer, type FakeKubeAPIServer } from '../support/fake-kube-apiserver.js';
import { Kubectl } from '../support/kubectl.js';
import { createCA, type CertificateAuthority, type KeyPair } from '../support/test-pki.js';
import { call, streamLines, type CallOptions, type TLSTarget } from '../support/tls-client.js';

const SERVICE_NAME = 'image-apiserver.image-apiserver.svc';
const GROUP = 'image.openshift.io';
const IMAGESTREAMS = `/apis/${GROUP}/v1/namespaces/ns/imagestreams`;

interface AggregatedServer extends TLSTarget {
  server: RunningServer;
  dir: string;
  certDir: string;
  close(): Promise<void>;
}

/** Starts the server as `npm start -- --mode=aggregated ...` would, talking to `fake`. */
async function startAggregated(fake: FakeKubeAPIServer, args: string[] = [], certDir?: string): Promise<AggregatedServer> {
  const dir = await mkdtemp(join(tmpdir(), 'image-apiserver-aggregated-'));
  const certs = certDir ?? join(dir, 'certs');
  const kubeconfig = await fake.writeKubeconfig(join(dir, 'kubeconfig'));
  const config = parseConfig(
    ['--mode=aggregated', '--secure-port=0', `--data-dir=${join(dir, 'data')}`, `--cert-dir=${certs}`, `--kubeconfig=${kubeconfig}`, '--log-level=silent', ...args],
    {},
  );
  const server = await start(config, pino({ level: 'silent' }));
  return {
    server,
    dir,
    certDir: certs,
    port: server.port,
    ca: await readFile(join(certs, 'apiserver.crt'), 'utf8'),
    servername: SERVICE_NAME,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The identity headers kube-aggregator's proxy sets. */
function remoteUser(user: string, groups: string[] = [], extra: Record<string, string[]> = {}): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { 'X-Remote-User': user };
  if (groups.length) headers['X-Remote-Group'] = groups;
  for (const [key, values] of Object.entries(extra)) headers[`X-Remote-Extra-${encodeURIComponent(key)}`] = values;
  return headers;
}

const forbiddenStatus = (message: string, details: object) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason: 'Forbidden',
  details,
  code: 403,
});

const UNAUTHORIZED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

let frontProxyCA: CertificateAuthority;
let clientCA: CertificateAuthority;
let strangerCA: CertificateAuthority;
let frontProxy: KeyPair;
let disallowedProxy: KeyPair;
let strangerProxy: KeyPair;
let carol: KeyPair;
let fake: FakeKubeAPIServer;
let srv: AggregatedServer;

const ALLOWED_USERS = new Set(['alice', 'carol', 'token-user', 'system:aggregator']);

before(async () => {
  [frontProxyCA, clientCA, strangerCA] = await Promise.all([createCA('front-proxy-ca'), createCA('kubernetes-client-ca'), createCA('stranger-ca')]);
  [frontProxy, disallowedProxy, strangerProxy, carol] = await Promise.all([
    frontProxyCA.issueClient('front-proxy-client'),
    frontProxyCA.issueClient('someone-else'),
    strangerCA.issueClient('front-proxy-client'),
    clientCA.issueClient('carol', ['team-a', 'team-b']),
  ]);
  fake = await startFakeKubeAPIServer({
    tokens: { 'good-token': { username: 'token-user', uid: 'u-1', groups: ['token-group'], extra: { scope: ['read'] } } },
    objects: {
      [AUTHENTICATION_CONFIGMAP_PATH]: authenticationConfigMap({ clientCA: clientCA.cert, requestHeaderCA: frontProxyCA.cert, allowedNames: ['front-proxy-client'] }),
    },
    authorize: (spec) => {
      if (spec.user === 'reasoned-bob') return { allowed: false, reason: 'no RBAC policy matched' };
      if (spec.user === 'sar-failure') {
        return {
          httpStatus: 403,
          status: {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message:
              'subjectaccessreviews.authorization.k8s.io is forbidden: User "system:serviceaccount:image-apiserver:image-apiserver" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope',
            reason: 'Forbidden',
            details: { group: 'authorization.k8s.io', kind: 'subjectaccessreviews' },
            code: 403,
          },
        };
      }
      if (ALLOWED_USERS.has(spec.user)) return { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "${spec.user}"` };
      if (spec.user.startsWith('table-')) return { allowed: false };
      // What the system:discovery ClusterRole grants every authenticated user.
      const discovery = /^\/(api|apis|openapi|version)(\/|$)/.test(spec.nonResourceAttributes?.path ?? '');
      if (discovery && spec.groups?.includes('system:authenticated')) return { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery"' };
      return { allowed: false };
    },
  });
  srv = await startAggregated(fake);
});

after(async () => {
  await srv?.close();
  await fake?.close();
});

const asProxy = (headers: Record<string, string | string[]>, extra: CallOptions = {}): CallOptions => ({ identity: frontProxy, headers, ...extra });
const aggregator = remoteUser('system:kube-aggregator', ['system:masters']);
const lastSAR = () => fake.subjectAccessReviews().at(-1)?.body;

describe('serving', () => {
  test('HTTPS with a generated certificate valid for the service name, localhost and 127.0.0.1', async () => {
    const leaf = new X509Certificate(srv.ca);
    assert.equal(leaf.checkHost(SERVICE_NAME), SERVICE_NAME);
    assert.equal(leaf.checkHost('localhost'), 'localhost');
    assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
    // The file holds the leaf and its CA, so it serves as the APIService caBundle.
    assert.equal((srv.ca.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
    assert.match(srv.server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test('ALPN offers h2 first and HTTP/1.1 still works', async () => {
    const h2 = await call(srv, '/healthz', { http2: true });
    assert.equal(h2.alpn, 'h2');
    assert.equal(h2.status, 200);
    assert.equal(h2.text, 'ok');
    const h1 = await call(srv, '/healthz');
    assert.equal(h1.alpn, 'http/1.1');
    assert.equal(h1.status, 200);
    assert.equal(h1.text, 'ok');
  });

  test('the generated certificate is reused on restart', async () => {
    const again = await startAggregated(fake, [], srv.certDir);
    try {
      assert.equal(again.ca, srv.ca);
      assert.equal((await call(again, '/readyz', { http2: true })).status, 200);
    } finally {
      await again.close();
    }
  });

  test('a watch streams over HTTP/2', async () => {
    const watch = streamLines(srv, `/apis/${GROUP}/v1/images?watch=true`, asProxy(aggregator));
    try {
      assert.equal(await watch.status, 200);
      const digest = `sha256:${'c'.repeat(64)}`;
      const created = await call(srv, `/apis/${GROUP}/v1/images`, asProxy(
        { ...aggregator, 'content-type': 'application/json' },
        { method: 'POST', body: JSON.stringify({ metadata: { name: digest }, dockerImageReference: `registry.example.com/a/b@${digest}` }) },
      ));
      assert.equal(created.status, 201, created.text);
      for (let i = 0; i < 100 && watch.lines.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const event = JSON.parse(watch.lines[0]);
      assert.equal(event.type, 'ADDED');
      assert.equal(event.object.metadata.name, digest);
    } finally {
      watch.close();
    }
  });

  test('a DELETE body without a Content-Type (as the garbage collector sends) is accepted', async () => {
    const digest = `sha256:${'d'.repeat(64)}`;
    const created = await call(srv, `/apis/${GROUP}/v1/images`, asProxy(
      { ...aggregator, 'content-type': 'application/json' },
      { method: 'POST', body: JSON.stringify({ metadata: { name: digest }, dockerImageReference: `registry.example.com/a/b@${digest}` }) },
    ));
    assert.equal(created.status, 201, created.text);
    const deleted = await call(srv, `/apis/${GROUP}/v1/images/${digest}`, asProxy(aggregator, { method: 'DELETE', body: '{"propagationPolicy":"Background"}' }));
    assert.equal(deleted.status, 200, deleted.text);
  });

  test('no redirects, not even for a trailing slash', async () => {
    const res = await call(srv, `/apis/${GROUP}/v1/`, asProxy(aggregator));
    assert.ok(res.status < 300 || res.status >= 400, `got ${res.status}`);
  });
});

describe('front proxy (request-header authentication)', () => {
  test('the user, groups and extras from the headers reach the SubjectAccessReview', async () => {
    const res = await call(
      srv,
      IMAGESTREAMS,
      asProxy({
        ...remoteUser('alice', ['dev', 'system:authenticated'], { scopes: ['a', 'b'] }),
        'X-Remote-Extra-Authentication.kubernetes.io%2fcredential-Id': 'JTI=abc',
        'X-Forwarded-For': '10.0.0.1',
        'Audit-Id': 'b0c5f8a4-0000-4000-8000-000000000001',
      }, { http2: true }),
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['audit-id'], 'b0c5f8a4-0000-4000-8000-000000000001');
    assert.deepEqual(lastSAR(), {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        extra: { scopes: ['a', 'b'], 'authentication.kubernetes.io/credential-id': ['JTI=abc'] },
        groups: ['dev', 'system:authenticated'],
        resourceAttributes: { group: GROUP, namespace: 'ns', resource: 'imagestreams', verb: 'list', version: 'v1' },
        user: 'alice',
      },
    });
  });

  test('system:authenticated is added when the proxy does not send it', async () => {
    await call(srv, `${IMAGESTREAMS}/one`, asProxy(remoteUser('alice', ['dev'])));
    assert.deepEqual(lastSAR().spec.groups, ['dev', 'system:authenticated']);
  });

  test('denied: 403 worded as kube-apiserver', async () => {
    const res = await call(srv, `${IMAGESTREAMS}/x`, asProxy(remoteUser('bob')));
    assert.equal(res.status, 403);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(
      res.json,
      forbiddenStatus('imagestreams.image.openshift.io "x" is forbidden: User "bob" cannot get resource "imagestreams" in API group "image.openshift.io" in the namespace "ns"', {
        name: 'x',
        group: GROUP,
        kind: 'imagestreams',
      }),
    );
  });

  const denials: { name: string; path: string; method?: string; user?: string; message: string; details: object }[] = [
    {
      name: 'a subresource',
      path: `${IMAGESTREAMS}/x/layers`,
      message: 'imagestreams.image.openshift.io "x" is forbidden: User "bob" cannot get resource "imagestreams/layers" in API group "image.openshift.io" in the namespace "ns"',
      details: { name: 'x', group: GROUP, kind: 'imagestreams' },
    },
    {
      name: 'a collection at the cluster scope',
      path: `/apis/${GROUP}/v1/images`,
      message: 'images.image.openshift.io is forbidden: User "bob" cannot list resource "images" in API group "image.openshift.io" at the cluster scope',
      details: { group: GROUP, kind: 'images' },
    },
    {
      name: 'deletecollection in a namespace',
      path: IMAGESTREAMS,
      method: 'DELETE',
      message: 'imagestreams.image.openshift.io is forbidden: User "bob" cannot deletecollection resource "imagestreams" in API group "image.openshift.io" in the namespace "ns"',
      details: { group: GROUP, kind: 'imagestreams' },
    },
    {
      name: 'a non-resource path',
      path: '/metrics',
      message: 'forbidden: User "bob" cannot get path "/metrics"',
      details: {},
    },
    {
      name: "the authorizer's reason appended",
      path: `${IMAGESTREAMS}/x/secrets`,
      user: 'reasoned-bob',
      message:
        'imagestreams.image.openshift.io "x" is forbidden: User "reasoned-bob" cannot get resource "imagestreams/secrets" in API group "image.openshift.io" in the namespace "ns": no RBAC policy matched',
      details: { name: 'x', group: GROUP, kind: 'imagestreams' },
    },
  ];
  for (const d of denials) {
    test(`denied: ${d.name}`, async () => {
      const res = await call(srv, d.path, asProxy(remoteUser(d.user ?? 'bob'), { method: d.method ?? 'GET' }));
      assert.equal(res.status, 403, res.text);
      assert.deepEqual(res.json, forbiddenStatus(d.message, d.details));
    });
  }

  test('the headers without a client certificate are ignored (anonymous)', async () => {
    const res = await call(srv, `${IMAGESTREAMS}/x`, { headers: remoteUser('alice', ['system:masters']) });
    assert.equal(res.status, 403);
    assert.match(res.json.message, /User "system:anonymous" cannot get resource "imagestreams"/);
    assert.deepEqual(lastSAR().spec, {
      groups: ['system:unauthenticated'],
      resourceAttributes: { group: GROUP, name: 'x', namespace: 'ns', resource: 'imagestreams', verb: 'get', version: 'v1' },
      user: 'system:anonymous',
    });
  });

  test('a certificate from another CA: the headers are not trusted, 401', async () => {
    const before = fake.subjectAccessReviews().length;
    const res = await call(srv, IMAGESTREAMS, { identity: strangerProxy, headers: remoteUser('alice', ['system:masters']) });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, UNAUTHORIZED);
    assert.equal(fake.subjectAccessReviews().length, before);
  });

  test('a CN not in requestheader-allowed-names: 401', async () => {
    const res = await call(srv, IMAGESTREAMS, { identity: disallowedProxy, headers: remoteUser('alice', ['system:masters']) });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, UNAUTHORIZED);
  });

  test('system:masters needs no SubjectAccessReview: the availability probe, five in parallel', async () => {
    const before = fake.subjectAccessReviews().length;
    const probes = await Promise.all(Array.from({ length: 5 }, () => call(srv, `/apis/${GROUP}/v1`, asProxy(aggregator, { http2: true }))));
    for (const p of probes) {
      assert.equal(p.status, 200, p.text);
      assert.equal(p.json.kind, 'APIResourceList');
    }
    assert.equal(fake.subjectAccessReviews().length, before);
  });

  test('aggregated discovery for the aggregator', async () => {
    const res = await call(srv, '/apis', asProxy({ ...aggregator, Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' }, { http2: true }));
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /v="?v2"?;\s*as="?APIGroupDiscoveryList/);
    assert.equal(res.json.kind, 'APIGroupDiscoveryList');
  });

  test('OpenAPI for system:aggregator: a non-resource SubjectAccessReview, answered with an ETag', async () => {
    const res = await call(srv, '/openapi/v2', asProxy(remoteUser('system:aggregator'), { http2: true }));
    assert.equal(res.status, 200);
    assert.ok(res.headers.etag);
    assert.deepEqual(lastSAR().spec, {
      groups: ['system:authenticated'],
      nonResourceAttributes: { path: '/openapi/v2', verb: 'get' },
      user: 'system:aggregator',
    });
  });
});

describe('client certificates signed by the client CA', () => {
  test('authenticate as CN with the O values as groups', async () => {
    const res = await call(srv, IMAGESTREAMS, { identity: carol, http2: true });
    assert.equal(res.status, 200, res.text);
    assert.equal(lastSAR().spec.user, 'carol');
    assert.deepEqual(lastSAR().spec.groups, ['team-a', 'team-b', 'system:authenticated']);
  });
});

test('kubectl (a Go client: HTTP/2, SNI, client certificate) as an allowed and a denied user', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubectl-identity-'));
  try {
    const bob = await clientCA.issueClient('bob', ['dev']);
    const files = { ca: join(dir, 'ca.crt'), carol: join(dir, 'carol.crt'), carolKey: join(dir, 'carol.key'), bob: join(dir, 'bob.crt'), bobKey: join(dir, 'bob.key') };
    await Promise.all([
      writeFile(files.ca, srv.ca),
      writeFile(files.carol, carol.cert),
      writeFile(files.carolKey, carol.key),
      writeFile(files.bob, bob.cert),
      writeFile(files.bobKey, bob.key),
    ]);
    const kubectl = new Kubectl(srv.server.url.replace('127.0.0.1', 'localhost'));
    const tls = [`--certificate-authority=${files.ca}`, `--tls-server-name=${SERVICE_NAME}`];
    const asCarol = await kubectl.run([...tls, `--client-certificate=${files.carol}`, `--client-key=${files.carolKey}`, 'get', 'imagestreams.image.openshift.io', '-n', 'ns']);
    assert.equal(asCarol.code, 0, asCarol.stderr);
    assert.match(asCarol.stderr, /No resources found in ns namespace/);
    const asBob = await kubectl.run([...tls, `--client-certificate=${files.bob}`, `--client-key=${files.bobKey}`, 'get', 'imagestreams.image.openshift.io', 'x', '-n', 'ns']);
    assert.equal(asBob.code, 1);
    assert.equal(
      asBob.stderr.trim(),
      'Error from server (Forbidden): imagestreams.image.openshift.io "x" is forbidden: User "bob" cannot get resource "imagestreams" in API group "image.openshift.io" in the namespace "ns"',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

describe('bearer tokens (TokenReview)', () => {
  test('a good token: one TokenReview, then the SubjectAccessReview for its user', async () => {
    const reviews = fake.tokenReviews().length;
    const res = await call(srv, `${IMAGESTREAMS}?labelSelector=app%3Dweb`, { headers: { Authorization: 'Bearer good-token' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(fake.tokenReviews().length, reviews + 1);
    assert.deepEqual(fake.tokenReviews().at(-1)?.body, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'good-token' } });
    assert.equal(fake.tokenReviews().at(-1)?.authorization, `Bearer ${fake.clientToken}`);
    assert.deepEqual(lastSAR().spec, {
      extra: { scope: ['read'] },
      groups: ['token-group', 'system:authenticated'],
      resourceAttributes: {
        group: GROUP,
        labelSelector: { requirements: [{ key: 'app', operator: 'In', values: ['web'] }] },
        namespace: 'ns',
        resource: 'imagestreams',
        verb: 'list',
        version: 'v1',
      },
      uid: 'u-1',
      user: 'token-user',
    });
  });

  test('answers are cached: the same request again makes no TokenReview and no SubjectAccessReview', async () => {
    await call(srv, `${IMAGESTREAMS}/cached`, { headers: { Authorization: 'Bearer good-token' } });
    const reviews = fake.tokenReviews().length;
    const sars = fake.subjectAccessReviews().length;
    const res = await call(srv, `${IMAGESTREAMS}/cached`, { headers: { Authorization: 'Bearer good-token' }, http2: true });
    assert.equal(res.status, 404, res.text);
    assert.equal(fake.tokenReviews().length, reviews);
    assert.equal(fake.subjectAccessReviews().length, sars);
  });

  test('denials are cached too', async () => {
    await call(srv, `${IMAGESTREAMS}/denied-twice`, asProxy(remoteUser('bob')));
    const sars = fake.subjectAccessReviews().length;
    const res = await call(srv, `${IMAGESTREAMS}/denied-twice`, asProxy(remoteUser('bob')));
    assert.equal(res.status, 403);
    assert.equal(fake.subjectAccessReviews().length, sars);
  });

  test('a bad token is 401, never anonymous', async () => {
    const sars = fake.subjectAccessReviews().length;
    const res = await call(srv, IMAGESTREAMS, { headers: { Authorization: 'Bearer bad-token' } });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, UNAUTHORIZED);
    assert.equal(fake.tokenReviews().at(-1)?.body.spec.token, 'bad-token');
    assert.equal(fake.subjectAccessReviews().length, sars);
  });
});

describe('anonymous requests', () => {
  test('run as system:anonymous in system:unauthenticated', async () => {
    const res = await call(srv, `/apis/${GROUP}/v1/images`);
    assert.equal(res.status, 403);
    assert.deepEqual(lastSAR().spec, {
      groups: ['system:unauthenticated'],
      resourceAttributes: { group: GROUP, resource: 'images', verb: 'list', version: 'v1' },
      user: 'system:anonymous',
    });
  });

  test('/healthz, /livez and /readyz are always allowed, without a SubjectAccessReview', async () => {
    const before = fake.subjectAccessReviews().length;
    for (const path of ['/healthz', '/livez', '/readyz', '/readyz?verbose']) {
      const res = await call(srv, path);
      assert.equal(res.status, 200, `${path}: ${res.text}`);
    }
    assert.equal(fake.subjectAccessReviews().length, before);
  });

  test('discovery and OpenAPI are authorized like any path (upstream grants them through RBAC)', async () => {
    for (const path of ['/apis', '/openapi/v3']) {
      await call(srv, path);
      assert.deepEqual(lastSAR().spec.nonResourceAttributes, { path, verb: 'get' });
    }
  });
});

test('a SubjectAccessReview that cannot be made is a plain-text 500', async () => {
  const res = await call(srv, IMAGESTREAMS, asProxy(remoteUser('sar-failure')));
  assert.equal(res.status, 500);
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(
    res.text,
    'Internal Server Error: "/apis/image.openshift.io/v1/namespaces/ns/imagestreams": subjectaccessreviews.authorization.k8s.io is forbidden: User "system:serviceaccount:image-apiserver:image-apiserver" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope\n',
  );
});

describe('flags instead of the ConfigMap, anonymous disabled, more always-allowed paths', () => {
  let own: FakeKubeAPIServer;
  let flagged: AggregatedServer;
  before(async () => {
    own = await startFakeKubeAPIServer({ authorize: () => ({ allowed: true }) });
    const dir = await mkdtemp(join(tmpdir(), 'image-apiserver-cas-'));
    await writeFile(join(dir, 'front-proxy-ca.crt'), frontProxyCA.cert);
    await writeFile(join(dir, 'client-ca.crt'), clientCA.cert);
    flagged = await startAggregated(own, [
      '--anonymous-auth=false',
      `--requestheader-client-ca-file=${join(dir, 'front-proxy-ca.crt')}`,
      '--requestheader-allowed-names=front-proxy-client',
      `--client-ca-file=${join(dir, 'client-ca.crt')}`,
      '--authorization-always-allow-paths=/healthz,/openapi/*',
    ]);
    await rm(dir, { recursive: true, force: true });
  });
  after(async () => {
    await flagged?.close();
    await own?.close();
  });

  test('with both CA files given the ConfigMap is not read', () => {
    assert.deepEqual(own.requests.filter((r) => r.path === AUTHENTICATION_CONFIGMAP_PATH), []);
  });

  test('without credentials: 401, also on /healthz (authentication comes first)', async () => {
    for (const path of [IMAGESTREAMS, '/healthz']) {
      const res = await call(flagged, path);
      assert.equal(res.status, 401, path);
      assert.deepEqual(res.json, UNAUTHORIZED);
    }
  });

  test('the front proxy works with the flag-given CA and default header names', async () => {
    const res = await call(flagged, IMAGESTREAMS, asProxy(remoteUser('alice', ['dev'], { scopes: ['x'] })));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(own.subjectAccessReviews().at(-1)?.body.spec.extra, { scopes: ['x'] });
  });

  test('a prefix pattern in --authorization-always-allow-paths skips the SubjectAccessReview', async () => {
    const before = own.subjectAccessReviews().length;
    for (const path of ['/openapi/v2', '/openapi/v3', '/healthz']) {
      const res = await call(flagged, path, { identity: carol });
      assert.equal(res.status, 200, path);
    }
    assert.equal(own.subjectAccessReviews().length, before);
    await call(flagged, '/readyz', { identity: carol });
    assert.deepEqual(own.subjectAccessReviews().at(-1)?.body.spec.nonResourceAttributes, { path: '/readyz', verb: 'get' });
  });
});

describe('SubjectAccessReview attributes for every resource, verb and subresource served', () => {
  interface Row {
    method: string;
    path: string;
    expect: Record<string, unknown>;
  }
  const rows: Row[] = [];
  for (const def of resourceDefinitions) {
    const base = `/apis/${def.group}/${def.version}`;
    const ns = def.namespaced ? { namespace: 'ns1' } : {};
    const collection = `${base}${def.namespaced ? '/namespaces/ns1' : ''}/${def.plural}`;
    const attrs = (verb: string, extra: Record<string, unknown> = {}) => ({ group: def.group, version: def.version, resource: def.plural, verb, ...ns, ...extra });
    const item = `${collection}/name1`;
    const byVerb: Record<string, Row[]> = {
      get: [{ method: 'GET', path: item, expect: attrs('get', { name: 'name1' }) }],
      list: [
        { method: 'GET', path: collection, expect: attrs('list') },
        { method: 'GET', path: `${collection}?watch=false`, expect: attrs('list') },
        {
          method: 'GET',
          path: `${collection}?fieldSelector=metadata.name%3Dname2`,
          expect: attrs('list', { name: 'name2', fieldSelector: { requirements: [{ key: 'metadata.name', operator: 'In', values: ['name2'] }] } }),
        },
      ],
      watch: [
        { method: 'GET', path: `${collection}?watch=true`, expect: attrs('watch') },
        { method: 'GET', path: `${collection}?watch=1&labelSelector=a%20in%20(y%2Cx)%2C!b`, expect: attrs('watch', { labelSelector: { requirements: [{ key: 'a', operator: 'In', values: ['x', 'y'] }, { key: 'b', operator: 'DoesNotExist' }] } }) },
        { method: 'GET', path: collection.replace(base, `${base}/watch`), expect: attrs('watch') },
        { method: 'GET', path: `${item.replace(base, `${base}/watch`)}?labelSelector=a%3Db`, expect: attrs('watch', { name: 'name1' }) },
      ],
      create: [{ method: 'POST', path: collection, expect: attrs('create') }],
      update: [{ method: 'PUT', path: item, expect: attrs('update', { name: 'name1' }) }],
      patch: [{ method: 'PATCH', path: item, expect: attrs('patch', { name: 'name1' }) }],
      delete: [{ method: 'DELETE', path: item, expect: attrs('delete', { name: 'name1' }) }],
      deletecollection: [
        { method: 'DELETE', path: `${collection}?labelSelector=app%3Dweb`, expect: attrs('deletecollection', { labelSelector: { requirements: [{ key: 'app', operator: 'In', values: ['web'] }] } }) },
      ],
    };
    for (const verb of def.verbs) rows.push(...byVerb[verb]);
    if (def.namespaced && def.verbs.includes('list')) {
      rows.push({ method: 'GET', path: `${base}/${def.plural}`, expect: { group: def.group, version: def.version, resource: def.plural, verb: 'list' } });
    }
    const methods: Record<string, string> = { get: 'GET', update: 'PUT', patch: 'PATCH', create: 'POST', delete: 'DELETE' };
    for (const sub of def.subresources ?? []) {
      for (const verb of sub.verbs) {
        rows.push({ method: methods[verb], path: `${item}/${sub.name}`, expect: attrs(verb, { name: 'name1', subresource: sub.name }) });
      }
    }
  }
  const nonResource: [string, string][] = [
    ['GET', '/apis'],
    ['GET', `/apis/${GROUP}`],
    ['GET', `/apis/${GROUP}/v1`],
    ['GET', '/openapi/v2'],
    ['GET', `/openapi/v3/apis/${GROUP}/v1`],
    ['GET', '/version'],
    ['GET', '/metrics'],
    ['GET', '/healthz/ping'],
    ['POST', '/apis'],
  ];
  for (const [method, path] of nonResource) rows.push({ method, path, expect: { nonResource: { path, verb: method.toLowerCase() } } });

  test(`${rows.length} requests, one SubjectAccessReview each`, async () => {
    const failures: string[] = [];
    for (const [i, row] of rows.entries()) {
      const user = `table-${i}`;
      const before = fake.subjectAccessReviews().length;
      const res = await call(srv, row.path, asProxy({ ...remoteUser(user), 'content-type': 'application/json' }, { method: row.method, body: row.method === 'GET' ? undefined : '{}', headersOnly: true }));
      const sars = fake.subjectAccessReviews().slice(before);
      const { nonResource: nonResourceAttributes, ...resourceAttributes } = row.expect as { nonResource?: object };
      const expected = {
        ...(nonResourceAttributes ? { nonResourceAttributes } : { resourceAttributes }),
        groups: ['system:authenticated'],
        user,
      };
      const got = sars.map((s) => s.body.spec);
      try {
        assert.equal(res.status, 403, 'denied requests are forbidden');
        assert.deepEqual(got, [expected]);
      } catch (err) {
        failures.push(`${row.method} ${row.path}: ${(err as Error).message}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
