// The HTTPS serving certificate: --tls-cert-file/--tls-private-key-file, or one generated on first start
// into --cert-dir and reused after (k8s.io/apiserver SecureServingOptions.MaybeDefaultWithSelfSignedCerts:
// a self-signed CA and a serving certificate it signs, the file holding both).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';

export interface ServingCertificate {
  cert: string;
  key: string;
  /** Where they were read from, to notice rotation. */
  certFile: string;
  keyFile: string;
}

export interface ServingCertificateOptions {
  certFile?: string;
  keyFile?: string;
  certDir: string;
  /** DNS names and IP addresses a generated certificate is valid for; the first names it. */
  hostnames: string[];
}

/** The file names k8s.io/apiserver uses in --cert-dir (PairName "apiserver"). */
export const GENERATED_CERT_FILE = 'apiserver.crt';
export const GENERATED_KEY_FILE = 'apiserver.key';

export async function loadServingCertificate(opts: ServingCertificateOptions): Promise<ServingCertificate> {
  if (opts.certFile || opts.keyFile) {
    if (!opts.certFile || !opts.keyFile) throw new Error('--tls-cert-file and --tls-private-key-file must be given together');
    return readServingCertificate(opts.certFile, opts.keyFile);
  }
  const certFile = join(opts.certDir, GENERATED_CERT_FILE);
  const keyFile = join(opts.certDir, GENERATED_KEY_FILE);
  try {
    return await readServingCertificate(certFile, keyFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const { cert, key } = await generateSelfSignedServingCertificate(opts.hostnames);
  await mkdir(opts.certDir, { recursive: true });
  // Key first and each file renamed into place, so a crash never leaves a certificate without its key.
  await writeAtomically(keyFile, key, 0o600);
  await writeAtomically(certFile, cert, 0o644);
  return { cert, key, certFile, keyFile };
}

export async function readServingCertificate(certFile: string, keyFile: string): Promise<ServingCertificate> {
  const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  return { cert, key, certFile, keyFile };
}

async function writeAtomically(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, path);
}

/**
 * An EC P-256 CA and a serving certificate it signs, valid one year, with every hostname as a SAN (Go
 * clients such as the aggregator ignore the CN). The certificate file holds the leaf and then the CA,
 * so it also serves as the APIService caBundle.
 */
export async function generateSelfSignedServingCertificate(hostnames: string[]): Promise<{ cert: string; key: string }> {
  const { generate } = await import('selfsigned');
  const stamp = Math.floor(Date.now() / 1000);
  const host = hostnames[0] ?? 'localhost';
  const ca = await generate([{ name: 'commonName', value: `${host}-ca@${stamp}` }], {
    algorithm: 'sha256',
    keyType: 'ec',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: `${host}@${stamp}` }], {
    algorithm: 'sha256',
    keyType: 'ec',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: hostnames.map((h) => (isIP(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h })) },
    ],
  });
  return { cert: `${leaf.cert.trim()}\n${ca.cert.trim()}\n`, key: leaf.private };
}
