// Serving certificates: generated once into --cert-dir and reused, and rotated files reach the TLS server
// without a restart.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SecureContextOptions } from 'node:tls';
import { pino } from 'pino';
import { parseConfig } from '../../src/config.js';
import { parseCertificateBundle } from '../../src/server/auth/client-certificates.js';
import { loadServingCertificate } from '../../src/server/auth/serving-certificate.js';
import { prepareSecurity } from '../../src/server/auth/setup.js';
import { createCA } from '../support/test-pki.js';

test('a generated serving certificate: CA-signed, SANs, key readable by the owner only, reused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'serving-cert-'));
  try {
    const first = await loadServingCertificate({ certDir: dir, hostnames: ['api.ns.svc', 'localhost', '127.0.0.1'] });
    const [leaf, ca] = parseCertificateBundle(first.cert);
    assert.equal(leaf.subjectAltName, 'DNS:api.ns.svc, DNS:localhost, IP Address:127.0.0.1');
    assert.ok(leaf.verify(ca.publicKey) && ca.ca && !leaf.ca);
    assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.equal((await stat(join(dir, 'apiserver.key'))).mode & 0o777, 0o600);
    const again = await loadServingCertificate({ certDir: dir, hostnames: ['other.svc'] });
    assert.equal(again.cert, first.cert);
    assert.equal(again.key, first.key);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('rotated certificate files are handed to the TLS server on the next refresh', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'serving-rotation-'));
  try {
    const ca = await createCA('rotation-ca');
    const [one, two] = await Promise.all([ca.issueServer(['localhost']), ca.issueServer(['localhost'])]);
    const certFile = join(dir, 'tls.crt');
    const keyFile = join(dir, 'tls.key');
    await writeFile(certFile, one.cert);
    await writeFile(keyFile, one.key);
    const config = parseConfig(['--secure-port=0', `--tls-cert-file=${certFile}`, `--tls-private-key-file=${keyFile}`, `--data-dir=${dir}`], {});
    const security = await prepareSecurity(config, pino({ level: 'silent' }), { refreshIntervalMs: 20 });
    assert.equal(security.https?.cert, one.cert);
    assert.equal(security.https?.requestCert, false);
    assert.equal(security.auth, undefined);
    const contexts: SecureContextOptions[] = [];
    const stop = security.startRefresh({ setSecureContext: (o) => contexts.push(o) });
    try {
      await new Promise((r) => setTimeout(r, 60));
      assert.equal(contexts.length, 0, 'unchanged files are not reloaded');
      await writeFile(keyFile, two.key);
      await writeFile(certFile, two.cert);
      for (let i = 0; i < 100 && !contexts.some((c) => c.cert === two.cert && c.key === two.key); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(contexts.some((c) => c.cert === two.cert && c.key === two.key));
      assert.equal(await readFile(certFile, 'utf8'), two.cert);
    } finally {
      stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
