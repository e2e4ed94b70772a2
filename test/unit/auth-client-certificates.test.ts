// Client certificate chains verified as Go's x509 Verify does for k8s.io/apiserver, and subject fields.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, test } from 'node:test';
import { generate } from 'selfsigned';
import { parseCertificateBundle, subjectValues, verifyClientCertificate } from '../../src/server/auth/client-certificates.js';
import { createCA, type CertificateAuthority } from '../support/test-pki.js';

let root: CertificateAuthority;
let intermediate: CertificateAuthority;
let other: CertificateAuthority;
const x509 = (pem: string) => new X509Certificate(pem);

before(async () => {
  root = await createCA('root-ca');
  intermediate = await root.issueIntermediate('intermediate-ca');
  other = await createCA('other-ca');
});

test('a certificate the root signed verifies; one from another CA does not', async () => {
  const leaf = await root.issueClient('alice');
  const chains = verifyClientCertificate([x509(leaf.cert)], [x509(root.cert)]);
  assert.deepEqual(chains.map((c) => c.map((cert) => subjectValues(cert, 'CN')[0])), [['alice', 'root-ca']]);
  assert.throws(() => verifyClientCertificate([x509(leaf.cert)], [x509(other.cert)]), { message: 'x509: certificate signed by unknown authority' });
});

test('an intermediate counts only when the client sends it', async () => {
  const leaf = await intermediate.issueClient('bob');
  assert.equal(verifyClientCertificate([x509(leaf.cert), x509(intermediate.cert)], [x509(root.cert)])[0].length, 3);
  assert.throws(() => verifyClientCertificate([x509(leaf.cert)], [x509(root.cert)]), { message: 'x509: certificate signed by unknown authority' });
});

test('a leaf that is not a CA cannot act as an intermediate', async () => {
  const notCA = await root.issueClient('not-a-ca');
  const forged = await generate([{ name: 'commonName', value: 'mallory' }], { algorithm: 'sha256', keyType: 'ec', ca: notCA });
  assert.throws(() => verifyClientCertificate([x509(forged.cert), x509(notCA.cert)], [x509(root.cert)]), { message: 'x509: certificate signed by unknown authority' });
});

test('expired and not yet valid certificates fail with Go texts', async () => {
  const leaf = await root.issueClient('carol');
  const cert = x509(leaf.cert);
  const later = new Date(new Date(cert.validTo).getTime() + 1000);
  assert.throws(() => verifyClientCertificate([cert], [x509(root.cert)], later), {
    message: new RegExp(`^x509: certificate has expired or is not yet valid: current time ${later.toISOString().slice(0, 19)}Z is after `),
  });
  const earlier = new Date(new Date(cert.validFrom).getTime() - 1000);
  assert.throws(() => verifyClientCertificate([cert], [x509(root.cert)], earlier), { message: /is before / });
});

test('a certificate only for server authentication is refused for client authentication', async () => {
  const serving = await root.issueServer(['example.com']);
  assert.throws(() => verifyClientCertificate([x509(serving.cert)], [x509(root.cert)]), { message: 'x509: certificate specifies an incompatible key usage' });
});

test('subject values: CN and every O, in order', async () => {
  const leaf = await root.issueClient('dave', ['system:masters', 'team-b']);
  const cert = x509(leaf.cert);
  assert.deepEqual(subjectValues(cert, 'CN'), ['dave']);
  assert.deepEqual(subjectValues(cert, 'O'), ['system:masters', 'team-b']);
  assert.deepEqual(subjectValues(cert, 'OU'), []);
});

test('a bundle parses every certificate and rejects text without any', () => {
  assert.equal(parseCertificateBundle(`${root.cert}\n${other.cert}`).length, 2);
  assert.throws(() => parseCertificateBundle('not a certificate'), { message: 'data does not contain any valid RSA or ECDSA certificates' });
});
