// The authenticators and their chain, fed hand-made requests: front-proxy headers, client certificates,
// bearer tokens (static file and TokenReview with its cache), anonymous.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, test } from 'node:test';
import type { AuthenticationRequest, Authenticator } from '../../src/server/auth/authenticator.js';
import { requestHeaderAuthenticator, type RequestHeaderSettings } from '../../src/server/auth/request-header-authenticator.js';
import { bearerToken, tokenAuthenticator } from '../../src/server/auth/token-authenticator.js';
import { parseTokenFile, tokenFileCheck } from '../../src/server/auth/token-file.js';
import { tokenReviewCheck, type TokenReview } from '../../src/server/auth/token-review.js';
import { unionAuthenticator } from '../../src/server/auth/union-authenticator.js';
import { x509Authenticator } from '../../src/server/auth/x509-authenticator.js';
import { createCA, type CertificateAuthority, type KeyPair } from '../support/test-pki.js';

function request(headers: [string, string][], certs: KeyPair[] = []): AuthenticationRequest {
  return {
    headerValues: (name) => headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v),
    headerNames: () => [...new Set(headers.map(([n]) => n.toLowerCase()))],
    peerCertificates: () => certs.map((c) => new X509Certificate(c.cert)),
  };
}

let proxyCA: CertificateAuthority;
let proxy: KeyPair;
let settings: RequestHeaderSettings;

before(async () => {
  proxyCA = await createCA('front-proxy-ca');
  proxy = await proxyCA.issueClient('front-proxy-client');
  settings = {
    roots: [new X509Certificate(proxyCA.cert)],
    allowedNames: ['front-proxy-client'],
    usernameHeaders: ['X-Remote-User'],
    uidHeaders: ['X-Remote-Uid'],
    groupHeaders: ['X-Remote-Group'],
    extraHeaderPrefixes: ['X-Remote-Extra-'],
  };
});

describe('request-header authenticator', () => {
  const authn = () => requestHeaderAuthenticator(() => settings);

  test('user, uid, every group line (commas kept), extras lower-cased and percent-decoded', async () => {
    const result = await authn().authenticate(
      request(
        [
          ['X-Remote-User', 'alice'],
          ['X-Remote-Uid', 'uid-1'],
          ['X-Remote-Group', 'a,b'],
          ['X-Remote-Group', ''],
          ['X-Remote-Group', 'system:authenticated'],
          ['X-Remote-Extra-Authentication.kubernetes.io%2fcredential-Id', 'JTI=1'],
          ['x-remote-extra-scopes', 'x'],
          ['X-Remote-Extra-Scopes', 'y'],
          ['X-Remote-Extra-bad%zz', 'kept'],
        ],
        [proxy],
      ),
    );
    assert.deepEqual(result, {
      user: {
        name: 'alice',
        uid: 'uid-1',
        groups: ['a,b', 'system:authenticated'],
        extra: { 'authentication.kubernetes.io/credential-id': ['JTI=1'], scopes: ['x', 'y'], 'bad%zz': ['kept'] },
      },
    });
  });

  test('does not apply without a certificate or without a user header', async () => {
    assert.deepEqual(await authn().authenticate(request([['X-Remote-User', 'alice']])), {});
    assert.deepEqual(await authn().authenticate(request([['X-Remote-Group', 'g']], [proxy])), {});
    assert.deepEqual(await requestHeaderAuthenticator(() => undefined).authenticate(request([['X-Remote-User', 'alice']], [proxy])), {});
  });

  test('errors for a certificate from another CA and for a CN not allowed', async () => {
    const stranger = await (await createCA('x')).issueClient('front-proxy-client');
    const other = await proxyCA.issueClient('other');
    assert.equal((await authn().authenticate(request([['X-Remote-User', 'a']], [stranger]))).error?.message, 'x509: certificate signed by unknown authority');
    assert.equal((await authn().authenticate(request([['X-Remote-User', 'a']], [other]))).error?.message, 'x509: subject with cn=other is not in the allowed list');
    const anyName = requestHeaderAuthenticator(() => ({ ...settings, allowedNames: [] }));
    assert.equal((await anyName.authenticate(request([['X-Remote-User', 'a']], [other]))).user?.name, 'a');
  });
});

test('x509 authenticator: CN and O from a certificate the client CA signed', async () => {
  const ca = await createCA('client-ca');
  const authn = x509Authenticator(() => [new X509Certificate(ca.cert)]);
  assert.deepEqual(await authn.authenticate(request([], [await ca.issueClient('carol', ['g1', 'g2'])])), { user: { name: 'carol', groups: ['g1', 'g2'] } });
  assert.match((await authn.authenticate(request([], [proxy]))).error?.message ?? '', /^verifying certificate SN=\d+ failed: x509: certificate signed by unknown authority$/);
  assert.deepEqual(await x509Authenticator(() => []).authenticate(request([], [proxy])), {});
});

test('bearer tokens: only `Bearer <token>`', () => {
  assert.equal(bearerToken('Bearer abc'), 'abc');
  assert.equal(bearerToken('  bearer abc  '), 'abc');
  assert.equal(bearerToken('Bearer abc def'), 'abc');
  assert.equal(bearerToken('Bearer  abc'), undefined);
  assert.equal(bearerToken('Basic abc'), undefined);
  assert.equal(bearerToken('Bearer'), undefined);
  assert.equal(bearerToken(undefined), undefined);
});

test('token file: kube-apiserver CSV with quoted groups', async () => {
  const tokens = parseTokenFile('t1,alice,uid1,"dev,ops"\n\n"t,2",bob,uid2\r\n,skipped,uid3\n', 'tokens.csv');
  assert.deepEqual([...tokens.entries()], [
    ['t1', { name: 'alice', uid: 'uid1', groups: ['dev', 'ops'] }],
    ['t,2', { name: 'bob', uid: 'uid2', groups: [] }],
  ]);
  assert.throws(() => parseTokenFile('t1,alice\n', 'tokens.csv'), { message: "token file 'tokens.csv' must have at least 3 columns (token, user name, user uid), found 2" });
  const authn = tokenAuthenticator(tokenFileCheck(tokens));
  assert.equal((await authn.authenticate(request([['Authorization', 'Bearer t1']]))).user?.name, 'alice');
  assert.equal((await authn.authenticate(request([['Authorization', 'Bearer nope']]))).error?.message, 'invalid bearer token');
  assert.deepEqual(await authn.authenticate(request([])), {});
});

describe('TokenReview check', () => {
  const reviewer = (answers: Record<string, TokenReview['status'] | Error>) => {
    const calls: string[] = [];
    const create = async (r: TokenReview): Promise<TokenReview> => {
      calls.push(r.spec.token);
      await new Promise((res) => setTimeout(res, 5));
      const answer = answers[r.spec.token];
      if (answer instanceof Error) throw answer;
      return { ...r, status: answer };
    };
    return { calls, create };
  };

  test('successes and plain failures are cached for the TTL; concurrent lookups share one review', async () => {
    let now = 0;
    const r = reviewer({ good: { authenticated: true, user: { username: 'u', groups: ['g'] } }, unknown: { authenticated: false } });
    const check = tokenReviewCheck(r.create, { ttlMs: 10_000, now: () => now });
    const [a, b] = await Promise.all([check('good'), check('good')]);
    assert.deepEqual(a, { user: { name: 'u', groups: ['g'] } });
    assert.deepEqual(b, a);
    assert.deepEqual(await check('unknown'), {});
    await check('good');
    await check('unknown');
    assert.deepEqual(r.calls, ['good', 'unknown']);
    now = 10_001;
    await check('good');
    assert.deepEqual(r.calls, ['good', 'unknown', 'good']);
  });

  test('errors (reported by the review or failing to reach it) are not cached', async () => {
    const r = reviewer({ revoked: { authenticated: false, error: 'token has been revoked' }, down: new Error('connection refused') });
    const check = tokenReviewCheck(r.create, { ttlMs: 10_000 });
    assert.equal((await check('revoked')).error?.message, 'token has been revoked');
    assert.equal((await check('revoked')).error?.message, 'token has been revoked');
    assert.equal((await check('down')).error?.message, 'connection refused');
    await check('down');
    assert.deepEqual(r.calls, ['revoked', 'revoked', 'down', 'down']);
  });
});

describe('the chain', () => {
  const fixed = (result: Awaited<ReturnType<Authenticator['authenticate']>>): Authenticator => ({ authenticate: async () => result });

  test('first success wins and gains system:authenticated', async () => {
    const chain = unionAuthenticator([fixed({ error: new Error('bad cert') }), fixed({ user: { name: 'u', groups: ['g'] } })], { anonymous: true });
    assert.deepEqual(await chain.authenticate(request([])), { user: { name: 'u', groups: ['g', 'system:authenticated'] } });
    const already = unionAuthenticator([fixed({ user: { name: 'u', groups: ['system:unauthenticated'] } })], { anonymous: true });
    assert.deepEqual((await already.authenticate(request([]))).user?.groups, ['system:unauthenticated']);
  });

  test('a presented but bad credential is an error, not anonymous', async () => {
    const chain = unionAuthenticator([fixed({ error: new Error('a') }), fixed({ error: new Error('b') })], { anonymous: true });
    assert.equal((await chain.authenticate(request([]))).error?.message, '[a, b]');
  });

  test('nothing presented: anonymous, or nothing when anonymous is off', async () => {
    assert.deepEqual(await unionAuthenticator([fixed({})], { anonymous: true }).authenticate(request([])), {
      user: { name: 'system:anonymous', groups: ['system:unauthenticated'] },
    });
    assert.deepEqual(await unionAuthenticator([fixed({})], { anonymous: false }).authenticate(request([])), {});
  });
});
