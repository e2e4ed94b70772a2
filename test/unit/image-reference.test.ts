// Image pull specs: parse errors (upstream wording and order), registry/namespace/name splitting
// (library-go image/reference's own table plus the registry-only quirks), printing and defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  asRepository,
  asV2,
  daemonMinimal,
  digestError,
  dockerClientDefaults,
  exact,
  isDigest,
  minimal,
  mostSpecific,
  nameString,
  parseImageReference,
  referencesEqual,
  referenceString,
  registryHostPort,
  repositoryName,
  tryParseImageReference,
  type DockerImageReference,
} from '../../src/apis/image/v1/reference.js';

const SHA = 'sha256:3c87c572822935df60f0f5d3665bd376841a7fcfeb806b5f212de6a00e9a7b25';
const ref = (fields: Partial<DockerImageReference>): DockerImageReference => ({ registry: '', namespace: '', name: '', tag: '', id: '', ...fields });

test('parse splits pull specs into registry, namespace, name, tag and id', () => {
  const cases: [string, Partial<DockerImageReference>][] = [
    ['foo', { name: 'foo' }],
    ['foo:tag', { name: 'foo', tag: 'tag' }],
    // A bare digest-looking string is a name and a tag.
    [SHA, { name: 'sha256', tag: SHA.slice(7) }],
    [`foo@${SHA}`, { name: 'foo', id: SHA }],
    ['bar/foo', { namespace: 'bar', name: 'foo' }],
    ['bar/foo:tag', { namespace: 'bar', name: 'foo', tag: 'tag' }],
    [`bar/foo@${SHA}`, { namespace: 'bar', name: 'foo', id: SHA }],
    ['bar/foo/baz', { namespace: 'bar', name: 'foo/baz' }],
    ['bar/library/baz', { namespace: 'bar', name: 'library/baz' }],
    ['bar/foo/baz:tag', { namespace: 'bar', name: 'foo/baz', tag: 'tag' }],
    ['bar/foo/baz/biz', { namespace: 'bar', name: 'foo/baz/biz' }],
    ['bar:5000/foo/baz', { registry: 'bar:5000', namespace: 'foo', name: 'baz' }],
    ['bar:5000/library/baz', { registry: 'bar:5000', namespace: 'library', name: 'baz' }],
    ['bar:5000/baz', { registry: 'bar:5000', name: 'baz' }],
    ['bar:5000/foo/baz:tag', { registry: 'bar:5000', namespace: 'foo', name: 'baz', tag: 'tag' }],
    [`bar:5000/foo/baz@${SHA}`, { registry: 'bar:5000', namespace: 'foo', name: 'baz', id: SHA }],
    [`bar:5000/foo/baz:tag@${SHA}`, { registry: 'bar:5000', namespace: 'foo', name: 'baz', tag: 'tag', id: SHA }],
    ['myregistry.io/foo', { registry: 'myregistry.io', name: 'foo' }],
    ['localhost/bar', { registry: 'localhost', name: 'bar' }],
    ['docker.io/library/myapp', { registry: 'docker.io', namespace: 'library', name: 'myapp' }],
    ['docker.io/myapp', { registry: 'docker.io', name: 'myapp' }],
    ['docker.io/user/project/myapp', { registry: 'docker.io', namespace: 'user', name: 'project/myapp' }],
    ['index.docker.io/bar', { registry: 'index.docker.io', name: 'bar' }],
    ['quay.io', { registry: 'quay.io' }],
    ['quay.io/org', { registry: 'quay.io', name: 'org' }],
    ['localhost:5000', { registry: 'localhost:5000' }],
    ['localhost:5000/org', { registry: 'localhost:5000', name: 'org' }],
    // Registry-only references keep the whole string (Go's namedRef.String()) and drop the tag.
    ['example.com:latest', { registry: 'example.com:latest' }],
    [`localhost:5000@${SHA}`, { registry: `localhost:5000@${SHA}`, id: SHA }],
    ['localhostfoo', { registry: 'localhostfoo' }],
    // Separators inside path components.
    ['a/b.c_d__e---f', { namespace: 'a', name: 'b.c_d__e---f' }],
    ['Registry.Example.COM:443/a/b', { registry: 'Registry.Example.COM:443', namespace: 'a', name: 'b' }],
    [`bar:5000/${'a'.repeat(63)}/${'b'.repeat(182)}:tag`, { registry: 'bar:5000', namespace: 'a'.repeat(63), name: 'b'.repeat(182), tag: 'tag' }],
    [`docker.io/library/${'b'.repeat(231)}:tag`, { registry: 'docker.io', namespace: 'library', name: 'b'.repeat(231), tag: 'tag' }],
    [`docker.io/${'b'.repeat(231)}:tag`, { registry: 'docker.io', name: 'b'.repeat(231), tag: 'tag' }],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseImageReference(text), ref(want), text);
});

test('parse errors carry upstream messages, in upstream order', () => {
  const cases: [string, string][] = [
    ['', 'repository name must have at least one component'],
    ['Foo', 'repository name must be lowercase'],
    ['registry:3000/integration/imageStream:success', 'repository name must be lowercase'],
    ['registry.io/foo/bar/:Tag', 'invalid reference format'],
    ['https://bar:5000/foo/baz', 'invalid reference format'],
    [`http://bar:5000/foo/baz@${SHA}`, 'invalid reference format'],
    ['abc@badid', 'invalid reference format'],
    ['a/b@sha256:something', 'invalid reference format'],
    ['index.docker.io/mysql@sha256:bad', 'invalid reference format'],
    [`@${SHA}`, 'invalid reference format'],
    [':tag', 'invalid reference format'],
    ['bar/foo/baz////biz', 'invalid reference format'],
    ['//foo/baz/biz', 'invalid reference format'],
    ['ftp://baz/baz/biz', 'invalid reference format'],
    ['\\', 'invalid reference format'],
    ['foo:' + 't'.repeat(129), 'invalid reference format'],
    ['a_-b', 'invalid reference format'],
    ['a___b', 'invalid reference format'],
    [`bar:5000/${'a'.repeat(63)}/${'b'.repeat(183)}:tag`, 'repository name must not be more than 255 characters'],
    [`docker.io/${'b'.repeat(246)}:tag`, 'repository name must not be more than 255 characters'],
    // Too long wins over a bad digest: the name is checked first.
    [`${'b'.repeat(256)}@sha256:${'0'.repeat(32)}`, 'repository name must not be more than 255 characters'],
    ['registry:5000/integration/test-image-stream@sha256:00000000000000000000000000000001', 'invalid checksum digest length'],
    [`foo@sha512:${'a'.repeat(64)}`, 'invalid checksum digest length'],
    [`foo@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm'],
    [`foo@tarsum.v1+sha256:${'a'.repeat(64)}`, 'unsupported digest algorithm'],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseImageReference(text), (err: unknown) => err instanceof Error && err.message === message, text);
    assert.deepEqual(tryParseImageReference(text), { error: message }, text);
  }
});

test('digest validation has the digest package wording', () => {
  assert.equal(digestError(SHA), undefined);
  assert.equal(digestError(`sha384:${'A'.repeat(96)}`), undefined);
  assert.equal(digestError(`sha512:${'f'.repeat(128)}`), undefined);
  // Unreachable through the reference grammar, which already requires 32+ hex digits.
  assert.equal(digestError('sha256:'), 'invalid checksum digest format');
  assert.equal(digestError('sha256:xyz'), 'invalid checksum digest format');
  assert.equal(digestError('sha256'), 'invalid checksum digest format');
  assert.equal(digestError('sha256:abc'), 'invalid checksum digest length');
  assert.equal(digestError('md5:abc'), 'unsupported digest algorithm');
  assert.equal(digestError('constructor:abc'), 'unsupported digest algorithm');
  assert.equal(isDigest(SHA), true);
  assert.equal(isDigest('abc'), false);
});

test('parse is linear-time on hostile input', () => {
  const started = process.hrtime.bigint();
  for (const text of [`${'a'.repeat(50_000)}!`, `${'a-'.repeat(20_000)}!`, `${'a.'.repeat(20_000)}`, `${'a/'.repeat(10_000)}A`]) {
    assert.ok(tryParseImageReference(text).error, text.slice(0, 10));
  }
  assert.ok(process.hrtime.bigint() - started < 2_000_000_000n, 'parsing took more than 2s');
});

test('exact and nameString print what is set; an ID that is a digest uses @', () => {
  const cases: [Partial<DockerImageReference>, string, string][] = [
    [{ registry: 'r:5000', namespace: 'ns', name: 'n', tag: 't' }, 'r:5000/ns/n:t', 'n:t'],
    [{ registry: 'r', namespace: 'ns', name: 'n', tag: 't', id: SHA }, `r/ns/n@${SHA}`, `n@${SHA}`],
    [{ name: 'n', id: 'abc123' }, 'n:abc123', 'n:abc123'],
    [{ name: 'n' }, 'n', 'n'],
    [{ namespace: 'ns', name: 'n' }, 'ns/n', 'n'],
    [{ registry: 'quay.io' }, 'quay.io/', ''],
    [{ registry: 'quay.io', tag: 't' }, 'quay.io/', ''],
    [{ namespace: 'ns' }, '', ''],
    [{}, '', ''],
  ];
  for (const [fields, wantExact, wantName] of cases) {
    assert.equal(exact(ref(fields)), wantExact, JSON.stringify(fields));
    assert.equal(nameString(ref(fields)), wantName, JSON.stringify(fields));
  }
  for (const text of ['foo', 'bar/foo:tag', `bar:5000/foo/baz@${SHA}`, 'docker.io/user/project/myapp']) {
    assert.equal(exact(parseImageReference(text)), text);
  }
});

test('mostSpecific prefers a digest over the tag and moves a non-digest ID into an empty tag', () => {
  assert.deepEqual(mostSpecific(ref({ name: 'n', tag: 't', id: SHA })), ref({ name: 'n', id: SHA }));
  assert.deepEqual(mostSpecific(ref({ name: 'n', id: 'abc' })), ref({ name: 'n', tag: 'abc' }));
  assert.deepEqual(mostSpecific(ref({ name: 'n', tag: 't', id: 'abc' })), ref({ name: 'n', tag: 't', id: 'abc' }));
  assert.deepEqual(mostSpecific(ref({ name: 'n', tag: 't' })), ref({ name: 'n', tag: 't' }));
  const input = ref({ name: 'n', tag: 't', id: SHA });
  mostSpecific(input);
  assert.equal(input.tag, 't', 'helpers do not mutate their argument');
});

test('Docker client defaults, v2 host and equality', () => {
  assert.deepEqual(dockerClientDefaults(parseImageReference('foo')), ref({ registry: 'docker.io', namespace: 'library', name: 'foo', tag: 'latest' }));
  assert.deepEqual(dockerClientDefaults(parseImageReference('index.docker.io/bar:1')), ref({ registry: 'index.docker.io', namespace: 'library', name: 'bar', tag: '1' }));
  assert.deepEqual(dockerClientDefaults(parseImageReference('quay.io/foo')), ref({ registry: 'quay.io', name: 'foo', tag: 'latest' }));
  assert.deepEqual(dockerClientDefaults(parseImageReference(`a/b@${SHA}`)), ref({ registry: 'docker.io', namespace: 'a', name: 'b', tag: 'latest', id: SHA }));
  assert.equal(asV2(ref({ registry: 'docker.io' })).registry, 'registry-1.docker.io');
  assert.equal(asV2(ref({ registry: 'index.docker.io' })).registry, 'registry-1.docker.io');
  assert.equal(asV2(ref({ registry: 'quay.io' })).registry, 'quay.io');
  assert.equal(referencesEqual(parseImageReference('foo'), parseImageReference('docker.io/library/foo:latest')), true);
  assert.equal(referencesEqual(parseImageReference('foo'), parseImageReference('index.docker.io/library/foo:latest')), false);
  assert.equal(referencesEqual(parseImageReference('quay.io/foo'), parseImageReference('quay.io/library/foo')), false);
});

test('registryHostPort defaults the host and the port', () => {
  // Upstream applies AsV2 before the defaults, so an implicit registry stays `docker.io`.
  assert.deepEqual(registryHostPort(parseImageReference('foo'), false), { host: 'docker.io', port: '443' });
  assert.deepEqual(registryHostPort(parseImageReference('docker.io/foo'), false), { host: 'registry-1.docker.io', port: '443' });
  assert.deepEqual(registryHostPort(parseImageReference('docker.io/foo'), true), { host: 'registry-1.docker.io', port: '80' });
  assert.deepEqual(registryHostPort(parseImageReference('quay.io/foo'), false), { host: 'quay.io', port: '443' });
  assert.deepEqual(registryHostPort(parseImageReference('localhost:5000/foo'), false), { host: 'localhost', port: '5000' });
  assert.deepEqual(registryHostPort(parseImageReference('localhost:5000'), true), { host: 'localhost', port: '5000' });
  assert.deepEqual(registryHostPort(ref({ registry: '[::1]:5000' }), false), { host: '::1', port: '5000' });
  // net.SplitHostPort errors are ignored upstream: both parts come back empty.
  assert.deepEqual(registryHostPort(parseImageReference(`localhost:5000@${SHA}`), false), { host: '', port: '' });
  assert.deepEqual(registryHostPort(ref({ registry: '[::1]' + ':' }), false), { host: '::1', port: '' });
  assert.deepEqual(registryHostPort(ref({ registry: '[::1]x:1' }), false), { host: '', port: '' });
});

test('minimal, daemonMinimal, asRepository, repositoryName and String()', () => {
  assert.equal(exact(minimal(parseImageReference('quay.io/a/b:latest'))), 'quay.io/a/b');
  assert.equal(exact(minimal(parseImageReference('quay.io/a/b:1'))), 'quay.io/a/b:1');
  assert.equal(exact(daemonMinimal(parseImageReference('registry-1.docker.io/library/foo:latest'))), 'docker.io/foo');
  assert.equal(exact(daemonMinimal(parseImageReference('index.docker.io/user/foo:1'))), 'docker.io/user/foo:1');
  assert.equal(exact(asRepository(parseImageReference(`quay.io/a/b:1@${SHA}`))), 'quay.io/a/b');
  assert.equal(repositoryName(parseImageReference(`quay.io/a/b:1@${SHA}`)), 'a/b');
  assert.equal(referenceString(parseImageReference('docker.io/foo:1')), 'docker.io/library/foo:1');
  assert.equal(referenceString(parseImageReference('quay.io/foo:1')), 'quay.io/foo:1');
});
