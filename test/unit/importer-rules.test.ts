// The importer's pure rules: tag priority, registry error texts and their statuses, WWW-Authenticate,
// Docker keyrings, address refusals and the registry configuration of imports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressRefusal, isRefusedAddress } from '../../src/importer/address-policy.js';
import { parseChallenges } from '../../src/importer/auth-challenge.js';
import { keyringEntries, keyringOf, pullSecretEntries } from '../../src/importer/credentials.js';
import { forbiddenStatus, invalidStatus, repositoryError, statusForError, tagListError } from '../../src/importer/import-status.js';
import { errorFromResponse, RegistryErrors, UnexpectedResponseError } from '../../src/importer/registry-errors.js';
import { explicitRegistryHosts, registryAccessPolicy } from '../../src/importer/registry-policy.js';
import { prioritizeTags } from '../../src/importer/tag-priority.js';
import { invalid } from '../../src/machinery/field.js';

test('tags are imported latest first, then minor versions, full versions, the rest', () => {
  const cases: [string[], string[]][] = [
    // library-go's own examples.
    [['other', 'latest', 'v5.5', '5.2.3', 'v5.3.6-bother', '5.3.6-abba', '5.6'], ['latest', '5.6', 'v5.5', 'v5.3.6-bother', '5.3.6-abba', '5.2.3', 'other']],
    [['1.1-beta1', '1.2-rc1', '1.1-rc1', '1.1-beta2', '1.2-beta1', '1.2-alpha1', '1.2-beta4', 'latest'], ['latest', '1.2-rc1', '1.2-beta4', '1.2-beta1', '1.2-alpha1', '1.1-rc1', '1.1-beta2', '1.1-beta1']],
    [['7.1', 'v7.1', '7.1.0'], ['7.1', 'v7.1', '7.1.0']],
    // openshift-apiserver's repository import example: `3`, `v1`, `v2` are "other" tags.
    [['v1', 'other', 'v2', '3', '3.1', 'abc'], ['3.1', '3', 'abc', 'other', 'v1', 'v2']],
  ];
  for (const [input, want] of cases) assert.deepEqual(prioritizeTags(input), want, input.join(','));
});

test('registry error bodies decode as distribution does', () => {
  const manifestUnknown = errorFromResponse(404, 'Not Found', Buffer.from('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}'));
  assert.ok(manifestUnknown instanceof RegistryErrors && manifestUnknown.has('MANIFEST_UNKNOWN'));
  assert.equal(manifestUnknown.message, 'manifest unknown: manifest unknown');
  assert.equal(errorFromResponse(404, '', Buffer.from('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}')).message, 'manifest unknown');
  assert.equal(errorFromResponse(401, '', Buffer.from('')).message, 'unauthorized: authentication required');
  assert.equal(errorFromResponse(401, '', Buffer.from('{"details":"incorrect username or password"}')).message, 'unauthorized: incorrect username or password');
  assert.equal(errorFromResponse(400, '', Buffer.from('{"errors":[{"code":"WHATEVER","message":"odd"}]}')).message, 'unknown: odd');
  const two = errorFromResponse(403, '', Buffer.from('{"errors":[{"code":"DENIED","message":"no"},{"code":"UNAUTHORIZED","message":"who"}]}'));
  assert.equal(two.message, 'errors:\ndenied: no\nunauthorized: who\n');
  assert.ok(errorFromResponse(500, 'Internal Server Error', Buffer.from('boom')) instanceof UnexpectedResponseError);
  assert.equal(errorFromResponse(502, '', Buffer.from('')).message, 'received unexpected HTTP status: 502 Bad Gateway');
  assert.equal(errorFromResponse(404, '', Buffer.from('<html>')).message.startsWith('error parsing HTTP 404 response body: '), true);
  const scoped = errorFromResponse(401, '', Buffer.from(''), { error: 'insufficient_scope', description: '' });
  assert.ok(scoped instanceof RegistryErrors && scoped.has('DENIED') && !scoped.has('MANIFEST_UNKNOWN'));
});

test('fetch failures map to the statuses upstream reports', () => {
  const ref = 'docker.io/library/busybox:nope';
  const cases: [unknown, object][] = [
    [RegistryErrors.single('MANIFEST_UNKNOWN'), { reason: 'NotFound', code: 404, message: `dockerimage.image.openshift.io "${ref}" not found`, details: { name: ref, group: 'image.openshift.io', kind: 'dockerimage' } }],
    [RegistryErrors.single('UNAUTHORIZED'), { reason: 'Unauthorized', code: 401, message: `you may not have access to the container image "${ref}"` }],
    [new Error('Get "https://x/v2/": no basic auth credentials'), { reason: 'Unauthorized', code: 401, message: `you may not have access to the container image "${ref}"` }],
    [new Error('Get "https://x/v2/": unauthorized: incorrect username or password'), { reason: 'Unauthorized', code: 401, message: `incorrect username or password for image "${ref}"` }],
    [RegistryErrors.single('NAME_UNKNOWN'), { reason: 'InternalError', code: 500, message: `Internal error occurred: ${ref}: name unknown: repository name not known to registry` }],
    [new Error('no such manifest tag'), { reason: 'InternalError', code: 500, message: `Internal error occurred: ${ref}: no such manifest tag` }],
  ];
  for (const [err, want] of cases) {
    const status = statusForError(repositoryError(ref, err));
    assert.deepEqual({ reason: status.reason, code: status.code, message: status.message, ...(status.details?.name ? { details: status.details } : {}) }, want);
  }
  assert.equal(statusForError(tagListError('quay.io/a/b', RegistryErrors.single('NAME_UNKNOWN'))).message, 'dockerimage.image.openshift.io "quay.io/a/b" not found');
  assert.equal(statusForError(tagListError('quay.io/a/b', new Error('endpoint "x" does not support v2 API (got 404 Not Found)'))).message, 'Internal error occurred: endpoint "x" does not support v2 API (got 404 Not Found)');
  assert.deepEqual(forbiddenStatus('registry  blocked').status, { metadata: {}, status: 'Failure', message: 'forbidden: registry  blocked', reason: 'Forbidden', details: {}, code: 403 });
  assert.deepEqual(invalidStatus(invalid('from.name', 'A', 'invalid name: repository name must be lowercase')), {
    metadata: {},
    status: 'Failure',
    message: ' "" is invalid: from.name: Invalid value: "A": invalid name: repository name must be lowercase',
    reason: 'Invalid',
    details: { causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "A": invalid name: repository name must be lowercase', field: 'from.name' }] },
    code: 422,
  });
});

test('WWW-Authenticate challenges', () => {
  assert.deepEqual(parseChallenges('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"'), [
    { scheme: 'bearer', parameters: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull' } },
  ]);
  assert.deepEqual(parseChallenges(['Basic realm="x y"', 'Bearer realm=plain, error="insufficient_scope"']), [
    { scheme: 'basic', parameters: { realm: 'x y' } },
    { scheme: 'bearer', parameters: { realm: 'plain', error: 'insufficient_scope' } },
  ]);
  assert.deepEqual(parseChallenges(undefined), []);
});

test('keyrings: secrets are asked before the node file; within one, reverse key order (paths before hosts, exact hosts before globs); Docker Hub aliases are one registry', () => {
  const auth = (u: string) => Buffer.from(`${u}:pw`).toString('base64');
  const node = keyringEntries({ auths: { 'https://index.docker.io/v1/': { auth: auth('hub') }, 'quay.io': { auth: auth('quay') }, '*.example.com': { username: 'wild', password: 'pw' } } });
  const secret = pullSecretEntries([
    { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { 'quay.io/team': { auth: auth('team') } } })).toString('base64') } },
    { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': Buffer.from(JSON.stringify({ 'localhost:5000': { auth: auth('local') } })).toString('base64') } },
    { type: 'Opaque', data: { '.dockerconfigjson': 'e30=' } },
  ]);
  const keyring = keyringOf(secret, node);
  const user = (image: string) => keyring.lookup(image)?.username;
  assert.equal(user('docker.io/library/busybox'), 'hub');
  assert.equal(user('quay.io/team/app'), 'team');
  assert.equal(user('quay.io/teams/app'), 'quay');
  assert.equal(user('quay.io/other/app'), 'quay');
  assert.equal(user('localhost:5000/app'), 'local');
  assert.equal(user('localhost:5001/app'), undefined);
  assert.equal(user('registry.example.com/app'), 'wild');
  assert.equal(user('a.b.example.com/app'), undefined);

  // A secret that matches at all wins over the server's file, however specific the file's key
  // (UnionDockerKeyring: the secrets' keyring is asked first).
  const union = keyringOf(keyringEntries({ auths: { 'quay.io': { auth: auth('secret') } } }), keyringEntries({ auths: { 'quay.io/team/app': { auth: auth('node') } } }));
  assert.equal(union.lookup('quay.io/team/app')?.username, 'secret');
  // Within one keyring: the index in reverse byte order, so exact hosts come before globs and paths before hosts;
  // the first of two equal keys stays first.
  const one = keyringOf(
    keyringEntries({ auths: { '*.example.com': { auth: auth('glob') }, 'registry.example.com': { auth: auth('exact') }, 'registry.example.com/team': { auth: auth('team') } } }),
    [...keyringEntries({ auths: { 'dup.io': { auth: auth('first') } } }), ...keyringEntries({ auths: { 'dup.io': { auth: auth('second') } } })],
  );
  assert.equal(one.lookup('registry.example.com/team/app')?.username, 'team');
  assert.equal(one.lookup('registry.example.com/other/app')?.username, 'exact');
  assert.equal(one.lookup('cache.example.com/other/app')?.username, 'glob');
  assert.equal(one.lookup('dup.io/a/b')?.username, 'first');
});

test('link-local and metadata addresses are refused unless the host is named', () => {
  for (const ip of ['169.254.169.254', '169.254.0.1', 'fe80::1', 'fd00:ec2::254', '::ffff:169.254.169.254', '100.100.100.200']) assert.ok(isRefusedAddress(ip), ip);
  for (const ip of ['127.0.0.1', '10.0.0.1', '::1', '192.168.1.1', 'fd00::1', '8.8.8.8']) assert.ok(!isRefusedAddress(ip), ip);
  assert.match(addressRefusal('metadata.internal', '169.254.169.254', new Set()) ?? '', /refused/);
  assert.equal(addressRefusal('metadata.internal', '169.254.169.254', new Set(['metadata.internal'])), undefined);
  assert.equal(addressRefusal('127.0.0.1', '127.0.0.1', new Set()), undefined);
});

test('registry configuration: exact hosts only, for blocking, insecure access and explicit naming', () => {
  const config = {
    metadata: {},
    spec: {
      allowedRegistriesForImport: [{ domainName: 'quay.io' }, { domainName: '*.example.com' }, { domainName: 'Mirror.local:5000' }],
      registrySources: { blockedRegistries: ['blocked.io', '*.wild.io', 'path.io/team'], insecureRegistries: ['127.0.0.1:5000', '169.254.10.10'] },
    },
  };
  const policy = registryAccessPolicy(config);
  assert.ok(policy.blocked('blocked.io'));
  assert.ok(!policy.blocked('a.wild.io'));
  assert.ok(!policy.blocked('path.io'));
  assert.ok(policy.insecure('127.0.0.1:5000'));
  assert.ok(!policy.insecure('127.0.0.1'));
  assert.deepEqual([...explicitRegistryHosts(config)].sort(), ['127.0.0.1', '169.254.10.10', 'mirror.local', 'quay.io']);
});
