// The registry allow-list (image-api-behavior §2.0.5); cases from openshift-apiserver's whitelister_test.go.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RegistryLocation } from '../../src/apis/config/v1/image/types.js';
import { parseImageReference, type DockerImageReference } from '../../src/apis/image/v1/reference.js';
import {
  admitHostname,
  admitPullSpec,
  admitReference,
  allowRegistry,
  canonicalRepository,
  imagePolicyWhitelist,
  isWildcardMatch,
  newRegistryWhitelist,
  withRepositories,
  type WhitelistTransport,
} from '../../src/apis/image/v1/registry-whitelist.js';

const allowed = (insecure: boolean, ...names: string[]): RegistryLocation[] => names.map((domainName) => ({ domainName, insecure }));
const ref = (r: Partial<DockerImageReference>): DockerImageReference => ({ registry: '', namespace: '', name: '', tag: '', id: '', ...r });
const notAllowed = (host: string, list: string) => `registry "${host}" not allowed by whitelist: ${list}`;

test('canonicalRepository', () => {
  const cases: Record<string, string> = {
    busybox: 'docker.io/library/busybox',
    'busybox:glibc': 'docker.io/library/busybox',
    'docker.io/busybox@sha256:1303dbf110c57f3edf68d9f5a16c082ec06c4cf7604831669faf2c712260b5a0': 'docker.io/library/busybox',
    'docker.io/busybox:latest@sha256:1303dbf110c57f3edf68d9f5a16c082ec06c4cf7604831669faf2c712260b5a0': 'docker.io/library/busybox',
    'library/busybox:1': 'docker.io/library/busybox',
    'image-registry.openshift-image-registry.svc:5000/openshift/httpd@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855':
      'image-registry.openshift-image-registry.svc:5000/openshift/httpd',
  };
  for (const [pullSpec, want] of Object.entries(cases)) assert.equal(canonicalRepository(parseImageReference(pullSpec)), want, pullSpec);
});

describe('admit', () => {
  const cases: {
    name: string;
    transport: WhitelistTransport;
    list: RegistryLocation[];
    hostnames?: Record<string, string | undefined>;
    refs?: [DockerImageReference, string | undefined][];
    pullSpecs?: Record<string, string | undefined>;
  }[] = [
    {
      name: 'empty whitelist',
      transport: 'secure',
      list: [],
      hostnames: {
        'example.com': 'registry "example.com" not allowed by empty whitelist',
        'localhost:5000': 'registry "localhost:5000" not allowed by empty whitelist',
      },
      refs: [
        [ref({ registry: 'docker.io', namespace: 'library', name: 'busybox' }), 'registry "docker.io" not allowed by empty whitelist'],
        [ref({ name: 'busybox' }), 'registry "docker.io:443" not allowed by empty whitelist'],
      ],
    },
    {
      name: 'any host, secure',
      transport: 'secure',
      list: allowed(false, '*'),
      hostnames: {
        'docker.io': undefined,
        'example.com': undefined,
        'localhost:443': undefined,
        'localhost:5000': notAllowed('localhost:5000', '"*:443"'),
        'localhost:80': notAllowed('localhost:80', '"*:443"'),
        localhost: undefined,
      },
    },
    {
      name: 'any host, insecure',
      transport: 'insecure',
      list: allowed(true, '*'),
      hostnames: { 'docker.io': undefined, 'localhost:443': notAllowed('localhost:443', '"*:80"'), 'localhost:80': undefined, localhost: undefined },
    },
    {
      name: 'any host, any transport',
      transport: 'any',
      list: allowed(true, '*'),
      hostnames: {
        'docker.io': undefined,
        'localhost:443': notAllowed('localhost:443', '"*:80"'),
        'localhost:5000': notAllowed('localhost:5000', '"*:80"'),
        'localhost:80': undefined,
        localhost: undefined,
      },
    },
    {
      name: 'any host and port',
      transport: 'secure',
      list: allowed(false, '*:*'),
      hostnames: { 'docker.io': undefined, 'localhost:5000': undefined, 'localhost:80': undefined },
      refs: [[ref({ registry: 'localhost:5000', namespace: 'my', name: 'app' }), undefined]],
    },
    {
      name: 'listed registries, secure',
      transport: 'secure',
      list: allowed(false, 'localhost:5000', 'docker.io', 'example.com:*', 'registry.com:80'),
      hostnames: {
        'example.com:5000': undefined,
        'example.com': undefined,
        'localhost:443': notAllowed('localhost:443', '"localhost:5000", "docker.io:443", "example.com:*", "registry.com:80"'),
        'registry-1.docker.io:443': undefined,
        'registry.com:443': notAllowed('registry.com:443', '"localhost:5000", "docker.io:443", "example.com:*", "registry.com:80"'),
        'registry.com:80': undefined,
        'registry.com': notAllowed('registry.com', '"localhost:5000", "docker.io:443", "example.com:*", "registry.com:80"'),
      },
      refs: [
        [ref({ registry: 'index.docker.io' }), undefined],
        [ref({ registry: 'registry.example.com' }), notAllowed('registry.example.com', '"localhost:5000", "docker.io:443", "example.com:*", "registry.com:80"')],
        [ref({ name: 'busybox' }), undefined],
      ],
    },
    {
      name: 'listed registries with globs, insecure (more than five are cut)',
      transport: 'insecure',
      list: allowed(true, 'localhost:5000', 'docker.io', 'example.com:*', 'registry.com:80', '*.foo.com', '*domain.ltd'),
      hostnames: {
        'a.b.c.d.foo.com:80': undefined,
        'domain.ltd': undefined,
        'foo.com': notAllowed('foo.com', '"localhost:5000", "docker.io:80", "example.com:*", "registry.com:80", and 2 more ...'),
        'index.docker.io': undefined,
        'my.domain.ltd:443': notAllowed('my.domain.ltd:443', '"localhost:5000", "docker.io:80", "example.com:*", "registry.com:80", and 2 more ...'),
        'mydomain.ltd': undefined,
        'registry.foo.com': undefined,
      },
    },
    {
      name: 'listed registries with globs, any transport',
      transport: 'any',
      list: allowed(false, 'localhost:5000', 'docker.io', 'example.com:*', 'registry.com:80', '*.foo.com', '*domain.ltd'),
      hostnames: {
        'a.b.c.d.foo.com:80': notAllowed('a.b.c.d.foo.com:80', '"localhost:5000", "docker.io:443", "example.com:*", "registry.com:80", and 2 more ...'),
        'my.domain.ltd:443': undefined,
        'my.domain.ltd:80': notAllowed('my.domain.ltd:80', '"localhost:5000", "docker.io:443", "example.com:*", "registry.com:80", and 2 more ...'),
        'registry.com': undefined,
        'registry.com:443': notAllowed('registry.com:443', '"localhost:5000", "docker.io:443", "example.com:*", "registry.com:80", and 2 more ...'),
      },
    },
    {
      name: 'pull specs, any transport',
      transport: 'any',
      list: allowed(true, 'localhost:5000', 'docker.io', 'example.com:*', 'registry.com:80', '*.foo.com', '*domain.ltd'),
      pullSpecs: {
        'a.b.c.d.foo.com:80/repo': undefined,
        'foo.com/foo': notAllowed('foo.com', '"localhost:5000", "docker.io:80", "example.com:*", "registry.com:80", and 2 more ...'),
        'index.docker.io/bar': undefined,
        'my.domain.ltd:80/foo:latest': undefined,
        'registry.com:443/ab:tag': notAllowed('registry.com:443', '"localhost:5000", "docker.io:80", "example.com:*", "registry.com:80", and 2 more ...'),
        'repository:latest': undefined,
        'nm/repo:latest': undefined,
        'Bad/Ref': 'repository name must be lowercase',
      },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const list = newRegistryWhitelist(c.list);
      for (const [host, want] of Object.entries(c.hostnames ?? {})) assert.equal(admitHostname(list, host, c.transport), want, host);
      for (const [r, want] of c.refs ?? []) assert.equal(admitReference(list, r, c.transport), want, JSON.stringify(r));
      for (const [spec, want] of Object.entries(c.pullSpecs ?? {})) assert.equal(admitPullSpec(list, spec, c.transport), want, spec);
    });
  }
});

test('allowRegistry: any transport adds both ports, duplicates are not repeated', () => {
  let list = allowRegistry(newRegistryWhitelist([]), 'foo.com', 'any');
  assert.equal(admitHostname(list, 'sub.foo.com', 'any'), notAllowed('sub.foo.com', '"foo.com:443", "foo.com:80"'));
  list = allowRegistry(newRegistryWhitelist([]), 'foo.com', 'insecure');
  list = allowRegistry(list, 'foo.com', 'insecure');
  assert.equal(admitHostname(list, 'sub.foo.com', 'any'), notAllowed('sub.foo.com', '"foo.com:80"'));
  list = allowRegistry(list, 'foo.com', 'any');
  assert.equal(admitHostname(list, 'sub.foo.com', 'any'), notAllowed('sub.foo.com', '"foo.com:443", "foo.com:80"'));
});

test('more than one colon is refused; any other text is a glob', () => {
  assert.throws(() => newRegistryWhitelist(allowed(true, '0:1:2:3')), { message: 'failed to parse allowed registry "0:1:2:3": too many colons' });
  assert.doesNotThrow(() => newRegistryWhitelist(allowed(true, '先生，先生！')));
});

test('server policy: no list allows everything; a list adds the integrated registry first', () => {
  const all = imagePolicyWhitelist(undefined, 'internal.svc:5000');
  assert.equal(admitHostname(all, 'anything.example:1234', 'secure'), undefined);
  assert.equal(admitHostname(imagePolicyWhitelist([], ''), 'x.io', 'secure'), undefined);
  const list = imagePolicyWhitelist(allowed(false, 'quay.io'), 'internal.svc:5000');
  assert.equal(admitHostname(list, 'internal.svc:5000', 'secure'), undefined);
  assert.equal(admitHostname(list, 'x.io', 'secure'), notAllowed('x.io', '"internal.svc:5000", "quay.io:443"'));
});

test('repositories already referenced stay allowed whatever their registry', () => {
  const list = withRepositories(newRegistryWhitelist(allowed(false, 'quay.io')), ['evil.io/a/b:1', 'not a ref']);
  assert.equal(admitPullSpec(list, 'evil.io/a/b@sha256:1303dbf110c57f3edf68d9f5a16c082ec06c4cf7604831669faf2c712260b5a0', 'secure'), undefined);
  assert.equal(admitPullSpec(list, 'evil.io/a/c', 'secure'), notAllowed('evil.io', '"quay.io:443"'));
});

test('isWildcardMatch', () => {
  const cases: [string, string, boolean][] = [
    ['abc', 'abc', true],
    ['abc', 'a?c', true],
    ['abc', 'a*', true],
    ['abc', '*', true],
    ['', '*', true],
    ['', '', true],
    ['abc', 'ab', false],
    ['a.b.c.foo.com', '*.foo.com', true],
    ['foo.com', '*.foo.com', false],
    ['domain.ltd', '*domain.ltd', true],
    ['ABC', 'abc', false],
  ];
  for (const [input, pattern, want] of cases) assert.equal(isWildcardMatch(input, pattern), want, `${input} ~ ${pattern}`);
});
