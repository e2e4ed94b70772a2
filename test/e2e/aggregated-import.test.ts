// ImageStreamImport in aggregated mode, against a test double of the kube-apiserver and a real TLS registry:
// the permission shortcut (two SubjectAccessReviews as the requesting user; users allowed neither are held to
// allowedRegistriesForImport), additionalTrustedCA read from its ConfigMap in openshift-config, and the
// namespace's pull secrets (both types) used against a registry with htpasswd auth.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AUTHENTICATION_CONFIGMAP_PATH, authenticationConfigMap, startFakeKubeAPIServer, type FakeKubeAPIServer } from '../support/fake-kube-apiserver.js';
import { remoteUser, startAggregatedServer, type AggregatedServer } from '../support/aggregated-server.js';
import { missingRegistryTools, push, singleArchLayout, startRegistry, type BuiltManifest, type TestRegistry } from '../support/docker-registry.js';
import { createCA, type KeyPair } from '../support/test-pki.js';
import { call, type CallOptions } from '../support/tls-client.js';

const missing = missingRegistryTools();
const CA_CONFIGMAP = '/api/v1/namespaces/openshift-config/configmaps/registry-cas';
const SECRETS = '/api/v1/namespaces/imports/secrets';

describe('aggregated ImageStreamImport', { skip: missing ? `registry tests skipped: ${missing}` : false }, () => {
  let work: string;
  let frontProxy: KeyPair;
  let fake: FakeKubeAPIServer;
  let srv: AggregatedServer;
  let registry: TestRegistry;
  let secured: TestRegistry;
  let caPEM: string;
  let image: BuiltManifest;
  let mayCreateImages = true;

  const ALICE = remoteUser('alice', ['dev']);
  const as = (opts: CallOptions = {}): CallOptions => ({ identity: frontProxy, ...opts, headers: { ...ALICE, ...opts.headers } });
  const send = (method: string, path: string, body: object) => call(srv, path, as({ method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }));
  const setConfig = async (spec: object) => {
    const current = await call(srv, '/apis/config.openshift.io/v1/images/cluster', as());
    const res = current.status === 404
      ? await send('POST', '/apis/config.openshift.io/v1/images', { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec })
      : await send('PUT', '/apis/config.openshift.io/v1/images/cluster', { ...current.json, spec });
    assert.ok(res.status < 300, res.text);
  };
  const preview = (name: string) =>
    send('POST', '/apis/image.openshift.io/v1/namespaces/imports/imagestreamimports', {
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStreamImport',
      metadata: { name },
      spec: { import: false, images: [{ from: { kind: 'DockerImage', name: `${registry.host}/team/app:v1` } }] },
    });

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'aggregated-import-'));
    const registryCA = await createCA('registry CA');
    caPEM = registryCA.cert;
    await writeFile(join(work, 'ca.crt'), caPEM);
    registry = await startRegistry({ tls: await registryCA.issueServer(['127.0.0.1']) });
    image = await singleArchLayout(join(work, 'v1'), 'v1', 'aggregated');
    await push(join(work, 'v1'), 'v1', `${registry.host}/team/app:v1`, { certDir: work });
    secured = await startRegistry({ users: { alice: 'wonderland' } });
    await push(join(work, 'v1'), 'v1', `${secured.host}/team/app:v1`, { creds: 'alice:wonderland' });

    const frontProxyCA = await createCA('front-proxy-ca');
    frontProxy = await frontProxyCA.issueClient('front-proxy-client');
    fake = await startFakeKubeAPIServer({
      objects: {
        [AUTHENTICATION_CONFIGMAP_PATH]: authenticationConfigMap({ requestHeaderCA: frontProxyCA.cert, allowedNames: ['front-proxy-client'] }),
        '/api/v1/namespaces/imports': { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'imports' }, status: { phase: 'Active' } },
        [SECRETS]: { kind: 'SecretList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] },
      },
      authorize: (spec) => {
        const a = spec.resourceAttributes ?? {};
        // The import shortcut's questions; every request itself is allowed.
        if (a.group === 'image.openshift.io' && a.verb === 'create' && (a.resource === 'images' || a.resource === 'imagestreammapping') && !a.namespace) {
          return { allowed: mayCreateImages };
        }
        return { allowed: true };
      },
    });
    srv = await startAggregatedServer(fake);
    await setConfig({});
  });

  after(async () => {
    await srv?.close();
    await fake?.close();
    await Promise.all([registry?.stop(), secured?.stop()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('the shortcut: create images / imagestreammapping reviewed as the user; users allowed neither are held to the allow-list', async () => {
    await setConfig({ allowedRegistriesForImport: [{ domainName: 'quay.io' }] });
    try {
      mayCreateImages = false;
      const before = fake.subjectAccessReviews().length;
      const refused = await preview('allowlist');
      assert.equal(refused.status, 422, refused.text);
      assert.equal(
        refused.json.message,
        `ImageStreamImport.image.openshift.io "allowlist" is invalid: spec.images[0].from.name: Forbidden: importing images from registry "${registry.host}" is forbidden: registry "${registry.host}" not allowed by whitelist: "quay.io:443"`,
      );
      const shortcut = fake
        .subjectAccessReviews()
        .slice(before)
        .map((r) => r.body.spec)
        .filter((s) => s.resourceAttributes?.verb === 'create' && ['images', 'imagestreammapping'].includes(s.resourceAttributes?.resource));
      assert.deepEqual(shortcut, [
        { resourceAttributes: { verb: 'create', group: 'image.openshift.io', resource: 'images' }, user: 'alice', groups: ['dev', 'system:authenticated'] },
        { resourceAttributes: { verb: 'create', group: 'image.openshift.io', resource: 'imagestreammapping' }, user: 'alice', groups: ['dev', 'system:authenticated'] },
      ]);

      mayCreateImages = true;
      const allowed = await preview('allowlist');
      assert.equal(allowed.status, 201, allowed.text);
      // The registry's CA is not trusted (yet), but the request got past the allow-list.
      assert.equal(allowed.json.status.images[0].status.reason, 'InternalError');
    } finally {
      mayCreateImages = true;
      await setConfig({});
    }
  });

  test('additionalTrustedCA: the ConfigMap named in the cluster config (openshift-config) is trusted for imports', async () => {
    const ref = `${registry.host}/team/app:v1`;
    const untrusted = await preview('tls');
    assert.equal(untrusted.status, 201, untrusted.text);
    assert.equal(untrusted.json.status.images[0].status.message, `Internal error occurred: ${ref}: Get "https://${registry.host}/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority`);

    await setConfig({ additionalTrustedCA: { name: 'registry-cas' } });
    // Named but not there: nothing more is trusted.
    const noConfigMap = await preview('tls');
    assert.equal(noConfigMap.json.status.images[0].status.reason, 'InternalError');
    assert.ok(fake.requests.some((r) => r.method === 'GET' && r.path === CA_CONFIGMAP), 'the ConfigMap was looked up');

    fake.setObject(CA_CONFIGMAP, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'registry-cas', namespace: 'openshift-config' }, data: { [registry.host.replace(':', '..')]: caPEM } });
    try {
      const trusted = await preview('tls');
      assert.equal(trusted.json.status.images[0].status.status, 'Success', JSON.stringify(trusted.json.status.images[0]));
      assert.equal(trusted.json.status.images[0].image.metadata.name, image.digest);
    } finally {
      fake.setObject(CA_CONFIGMAP, undefined);
      await setConfig({});
    }
  });

  test('pull secrets: the namespace\'s dockerconfigjson and dockercfg secrets (not the excluded ones) authenticate imports', async () => {
    const ref = `${secured.host}/team/app:v1`;
    const importSecured = async () => {
      const res = await send('POST', '/apis/image.openshift.io/v1/namespaces/imports/imagestreamimports', {
        apiVersion: 'image.openshift.io/v1',
        kind: 'ImageStreamImport',
        metadata: { name: 'secured' },
        spec: { import: false, images: [{ from: { kind: 'DockerImage', name: ref }, importPolicy: { insecure: true } }] },
      });
      assert.equal(res.status, 201, res.text);
      return res.json.status.images[0];
    };
    const auth = Buffer.from('alice:wonderland').toString('base64');
    const encode = (doc: object) => Buffer.from(JSON.stringify(doc)).toString('base64');
    const secret = (name: string, type: string, data: Record<string, string>, annotations?: Record<string, string>) => ({
      metadata: { name, namespace: 'imports', ...(annotations ? { annotations } : {}) },
      type,
      data,
    });
    const setSecrets = (...items: object[]) => fake.setObject(SECRETS, { kind: 'SecretList', apiVersion: 'v1', metadata: { resourceVersion: '2' }, items });
    const unauthorized = { metadata: {}, status: 'Failure', message: `you may not have access to the container image "${ref}"`, reason: 'Unauthorized', code: 401 };
    try {
      assert.deepEqual((await importSecured()).status, unauthorized);

      setSecrets(secret('config-json', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': encode({ auths: { [secured.host]: { auth } } }) }));
      const json = await importSecured();
      assert.equal(json.status.status, 'Success', JSON.stringify(json.status));
      assert.equal(json.image.metadata.name, image.digest);

      setSecrets(secret('legacy', 'kubernetes.io/dockercfg', { '.dockercfg': encode({ [secured.host]: { auth } }) }));
      assert.equal((await importSecured()).status.status, 'Success');

      // Excluded by annotation, or not a pull secret type: not used.
      setSecrets(
        secret('excluded', 'kubernetes.io/dockercfg', { '.dockercfg': encode({ [secured.host]: { auth } }) }, { 'openshift.io/image.excludeSecret': 'true' }),
        secret('opaque', 'Opaque', { '.dockerconfigjson': encode({ auths: { [secured.host]: { auth } } }) }),
      );
      assert.deepEqual((await importSecured()).status, unauthorized);
      assert.ok(fake.requests.some((r) => r.method === 'GET' && r.path === SECRETS), 'the secrets were listed from the kube-apiserver');
    } finally {
      setSecrets();
    }
  });
});
