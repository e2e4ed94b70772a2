// Certificate authorities and certificates made in-test (selfsigned, EC P-256): the front proxy's CA,
// a client CA, a stranger's CA, and the certificates they sign.
import { generate } from 'selfsigned';

export interface KeyPair {
  cert: string;
  key: string;
}

export interface CertificateAuthority extends KeyPair {
  /** A client certificate (ExtKeyUsage clientAuth) for CN with the O values. */
  issueClient(cn: string, organizations?: string[]): Promise<KeyPair>;
  /** A serving certificate for DNS names and IP addresses. */
  issueServer(names: string[]): Promise<KeyPair>;
  /** A CA this one signs. */
  issueIntermediate(name: string): Promise<CertificateAuthority>;
}

const CA_EXTENSIONS = [
  { name: 'basicConstraints', cA: true, critical: true },
  { name: 'keyUsage', keyCertSign: true, digitalSignature: true, critical: true },
] as const;

export async function createCA(name: string, parent?: KeyPair): Promise<CertificateAuthority> {
  const ca = await generate([{ name: 'commonName', value: name }], {
    algorithm: 'sha256',
    keyType: 'ec',
    extensions: [...CA_EXTENSIONS],
    ...(parent ? { ca: parent } : {}),
  });
  const signer = { key: ca.private, cert: ca.cert };
  return {
    cert: ca.cert,
    key: ca.private,
    async issueClient(cn, organizations = []) {
      const pems = await generate([{ name: 'commonName', value: cn }, ...organizations.map((o) => ({ name: 'organizationName', value: o }))], {
        algorithm: 'sha256',
        keyType: 'ec',
        ca: signer,
        extensions: [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, critical: true },
          { name: 'extKeyUsage', clientAuth: true },
        ],
      });
      return { cert: pems.cert, key: pems.private };
    },
    async issueServer(names) {
      const pems = await generate([{ name: 'commonName', value: names[0] }], {
        algorithm: 'sha256',
        keyType: 'ec',
        ca: signer,
        extensions: [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, critical: true },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames: names.map((n) => (/^[\d.]+$/.test(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) },
        ],
      });
      return { cert: pems.cert, key: pems.private };
    },
    issueIntermediate: (intermediate) => createCA(intermediate, signer),
  };
}
