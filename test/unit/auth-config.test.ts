// The serving/authentication/authorization flags, the TTL cache, the ConfigMap parser and the
// client CA source's refresh.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config.js';
import { parseAuthenticationConfigMap } from '../../src/server/auth/authentication-configmap.js';
import { ClientCertificateSource } from '../../src/server/auth/client-certificate-source.js';
import type { ConfigMap, KubeClient } from '../../src/server/auth/kube-client.js';
import { TTLCache } from '../../src/server/auth/ttl-cache.js';
import { authenticationConfigMap } from '../support/fake-kube-apiserver.js';
import { createCA } from '../support/test-pki.js';

test('standalone by default: plain HTTP, no authentication', () => {
  const c = parseConfig([], {});
  assert.equal(c.mode, 'standalone');
  assert.equal(c.secureServing, undefined);
  assert.equal(c.authentication, undefined);
  assert.equal(c.authorization, undefined);
});

test('standalone with a token file: a guard with the default always-allowed paths', () => {
  const c = parseConfig(['--token-auth-file', '/etc/tokens.csv'], {});
  assert.deepEqual(c.authentication, { anonymous: true, tokenAuthFile: '/etc/tokens.csv' });
  assert.deepEqual(c.authorization, { alwaysAllowPaths: ['/healthz', '/readyz', '/livez'], alwaysAllowGroups: ['system:masters'] });
});

test('aggregated: HTTPS on 8443 with names for the service, delegated authn and authz with kube defaults', () => {
  const c = parseConfig(['--mode=aggregated', '--service-name=api', '--service-namespace=images', '--bind-address=10.1.2.3'], {});
  assert.deepEqual(c.secureServing, { port: 8443, certDir: 'apiserver.local.config/certificates', hostnames: ['api.images.svc', 'localhost', '127.0.0.1', '10.1.2.3'] });
  assert.deepEqual(c.authentication, { anonymous: true, delegated: { kubeconfig: undefined, tokenCacheTTLMs: 10_000 } });
  assert.deepEqual(c.authorization, {
    alwaysAllowPaths: ['/healthz', '/readyz', '/livez'],
    alwaysAllowGroups: ['system:masters'],
    delegated: { kubeconfig: undefined, allowCacheTTLMs: 10_000, denyCacheTTLMs: 10_000 },
  });
});

test('aggregated flags and their environment variables', () => {
  const c = parseConfig(
    [
      '--secure-port=9443',
      '--kubeconfig=/k',
      '--authorization-kubeconfig=/z',
      '--requestheader-client-ca-file=/ca',
      '--requestheader-allowed-names=front-proxy-client, other',
      '--anonymous-auth=false',
      '--authorization-webhook-cache-unauthorized-ttl=1m30s',
      '--authorization-always-allow-paths=/healthz,/openapi/*',
      '--tls-cert-file=/c',
      '--tls-private-key-file=/k.key',
    ],
    { IMAGE_APISERVER_MODE: 'aggregated', IMAGE_APISERVER_AUTHENTICATION_TOKEN_WEBHOOK_CACHE_TTL: '2s' },
  );
  assert.equal(c.secureServing?.port, 9443);
  assert.equal(c.secureServing?.certFile, '/c');
  assert.deepEqual(c.authentication, {
    anonymous: false,
    requestHeader: {
      clientCAFile: '/ca',
      allowedNames: ['front-proxy-client', 'other'],
      usernameHeaders: ['x-remote-user'],
      uidHeaders: [],
      groupHeaders: ['x-remote-group'],
      extraHeaderPrefixes: ['x-remote-extra-'],
    },
    delegated: { kubeconfig: '/k', tokenCacheTTLMs: 2000 },
  });
  assert.deepEqual(c.authorization?.delegated, { kubeconfig: '/z', allowCacheTTLMs: 10_000, denyCacheTTLMs: 90_000 });
  assert.deepEqual(c.authorization?.alwaysAllowPaths, ['/healthz', '/openapi/*']);
});

test('contradictory or malformed flags fail', () => {
  const fails = (argv: string[], message: RegExp) => assert.throws(() => parseConfig(argv, {}), { message });
  fails(['--mode=clustered'], /^invalid --mode "clustered"/);
  fails(['--mode=aggregated', '--port=8080'], /--port \(plain HTTP\) is not served in aggregated mode/);
  fails(['--port=1', '--secure-port=2'], /exclude each other/);
  fails(['--kubeconfig=/k'], /--kubeconfig needs --mode=aggregated/);
  fails(['--secure-port=70000'], /^invalid --secure-port "70000"/);
  fails(['--secure-port=1', '--tls-cert-file=/c'], /must be given together/);
  fails(['--mode=aggregated', '--anonymous-auth=maybe'], /^invalid --anonymous-auth "maybe"/);
  fails(['--mode=aggregated', '--authentication-token-webhook-cache-ttl=10'], /^invalid --authentication-token-webhook-cache-ttl: time: missing unit in duration "10"/);
  fails(['--client-ca-file=/ca'], /need HTTPS: set --secure-port/);
});

test('TTL cache: expiry, LRU bound, shared lookups, failures not kept', async () => {
  let now = 0;
  const cache = new TTLCache<string>({ maxEntries: 2, now: () => now });
  cache.set('a', 'A', 10);
  cache.set('b', 'B', 10);
  cache.get('a');
  cache.set('c', 'C', 10);
  assert.equal(cache.get('b'), undefined, 'least recently used evicted');
  assert.equal(cache.get('a'), 'A');
  now = 10;
  assert.equal(cache.get('a'), undefined);
  let lookups = 0;
  const load = () => cache.getOrLoad('k', async () => `v${++lookups}`, () => 10);
  assert.deepEqual(await Promise.all([load(), load()]), ['v1', 'v1']);
  await assert.rejects(cache.getOrLoad('f', async () => Promise.reject(new Error('x')), () => 10));
  assert.equal(await cache.getOrLoad('f', async () => 'ok', () => 10), 'ok');
});

test('the extension-apiserver-authentication ConfigMap', () => {
  const cm = authenticationConfigMap({ clientCA: 'CLIENT', requestHeaderCA: 'PROXY', allowedNames: ['front-proxy-client'] }) as ConfigMap;
  assert.deepEqual(parseAuthenticationConfigMap(cm), {
    clientCA: 'CLIENT',
    requestHeader: {
      clientCA: 'PROXY',
      allowedNames: ['front-proxy-client'],
      usernameHeaders: ['X-Remote-User'],
      uidHeaders: [],
      groupHeaders: ['X-Remote-Group'],
      extraHeaderPrefixes: ['X-Remote-Extra-'],
    },
  });
  assert.deepEqual(parseAuthenticationConfigMap({ data: {} }), {});
  assert.throws(() => parseAuthenticationConfigMap({ data: { 'requestheader-client-ca-file': 'X', 'requestheader-allowed-names': '{}' } }), /not a JSON array of strings/);
});

test('client CAs: the ConfigMap fills in what the flags leave out, and a refresh picks up rotation', async () => {
  const [flagCA, proxyCA, rotatedCA] = await Promise.all([createCA('flag-client-ca'), createCA('proxy-ca'), createCA('rotated-proxy-ca')]);
  const dir = await mkdtemp(join(tmpdir(), 'client-ca-'));
  try {
    await writeFile(join(dir, 'client-ca.crt'), flagCA.cert);
    let cm = authenticationConfigMap({ clientCA: proxyCA.cert, requestHeaderCA: proxyCA.cert }) as ConfigMap;
    const reads: string[] = [];
    const kube = { readConfigMap: async (ns: string, name: string) => (reads.push(`${ns}/${name}`), cm) } as unknown as KubeClient;
    const source = await ClientCertificateSource.load({ anonymous: true, clientCAFile: join(dir, 'client-ca.crt') }, kube);
    assert.deepEqual(reads, ['kube-system/extension-apiserver-authentication']);
    const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
    assert.equal(source.current().clientCA[0].fingerprint256, fingerprint(flagCA.cert), 'the flag wins');
    assert.equal(source.current().requestHeader?.roots[0].fingerprint256, fingerprint(proxyCA.cert));
    assert.equal(source.current().caPEMs.length, 2);
    assert.equal(await source.refresh(), false);
    cm = authenticationConfigMap({ requestHeaderCA: rotatedCA.cert }) as ConfigMap;
    assert.equal(await source.refresh(), true);
    assert.equal(source.current().requestHeader?.roots[0].fingerprint256, fingerprint(rotatedCA.cert));
    assert.ok(source.current().caFingerprints.has(fingerprint(rotatedCA.cert)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a ConfigMap that cannot be read fails the start with the RBAC hint', async () => {
  const kube = { readConfigMap: async () => Promise.reject(new Error('configmaps "extension-apiserver-authentication" is forbidden')) } as unknown as KubeClient;
  await assert.rejects(ClientCertificateSource.load({ anonymous: true }, kube), {
    message: /^unable to load configmap kube-system\/extension-apiserver-authentication: configmaps .* is forbidden\. Usually fixed by 'kubectl create rolebinding -n kube-system/,
  });
});
