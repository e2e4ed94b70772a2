// Client certificate checks as Go's x509.Certificate.Verify does them for k8s.io/apiserver
// (roots = one CA bundle, intermediates = what the client sent, KeyUsages = [ClientAuth]),
// plus the subject fields the authenticators read.
import { X509Certificate } from 'node:crypto';

const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE_OID = '2.5.29.37.0';
/** Go bounds chain building too; real chains are two or three certificates long. */
const MAX_CHAIN_LENGTH = 10;

/** Every certificate of a PEM bundle; throws when the text holds none. */
export function parseCertificateBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('data does not contain any valid RSA or ECDSA certificates');
  return blocks.map((b) => new X509Certificate(b));
}

const sameCertificate = (a: X509Certificate, b: X509Certificate) => a.fingerprint256 === b.fingerprint256;

const issuedBy = (child: X509Certificate, parent: X509Certificate) => child.checkIssued(parent) && child.verify(parent.publicKey);

/** Go prints times in verification errors as RFC 3339 (UTC, seconds). */
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function checkValidity(cert: X509Certificate, now: Date): void {
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (now < notBefore) throw new Error(`x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is before ${rfc3339(notBefore)}`);
  if (now > notAfter) throw new Error(`x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is after ${rfc3339(notAfter)}`);
}

/** A certificate without extended key usages may be used for anything (Go's checkChainForKeyUsage). */
function allowsClientAuth(cert: X509Certificate): boolean {
  const usages = cert.keyUsage;
  if (!usages || usages.length === 0) return true;
  return usages.includes(CLIENT_AUTH_OID) || usages.includes(ANY_EXTENDED_KEY_USAGE_OID);
}

function buildChains(chain: X509Certificate[], intermediates: X509Certificate[], roots: X509Certificate[], now: Date): X509Certificate[][] {
  const cert = chain[chain.length - 1];
  const found: X509Certificate[][] = [];
  for (const root of roots) {
    if (issuedBy(cert, root)) {
      try {
        checkValidity(root, now);
        found.push([...chain, root]);
      } catch {
        // An expired root does not anchor a chain; another root may.
      }
    }
  }
  if (chain.length >= MAX_CHAIN_LENGTH) return found;
  for (const candidate of intermediates) {
    if (!candidate.ca || chain.some((c) => sameCertificate(c, candidate)) || !issuedBy(cert, candidate)) continue;
    try {
      checkValidity(candidate, now);
    } catch {
      continue;
    }
    found.push(...buildChains([...chain, candidate], intermediates, roots, now));
  }
  return found;
}

/**
 * The verified chains (leaf first) from `presented` (leaf, then the client's intermediates) to one
 * of `roots`, usable for client authentication. Throws with Go's x509 error texts.
 */
export function verifyClientCertificate(presented: X509Certificate[], roots: X509Certificate[], now: Date = new Date()): X509Certificate[][] {
  const [leaf, ...intermediates] = presented;
  if (!leaf) throw new Error('x509: no certificate presented');
  checkValidity(leaf, now);
  const chains = roots.some((r) => sameCertificate(r, leaf)) ? [[leaf]] : buildChains([leaf], intermediates, roots, now);
  if (chains.length === 0) throw new Error('x509: certificate signed by unknown authority');
  const usable = chains.filter((chain) => chain.every(allowsClientAuth));
  if (usable.length === 0) throw new Error('x509: certificate specifies an incompatible key usage');
  return usable;
}

/**
 * The values of one attribute (`CN`, `O`, ...) of the certificate's subject, in order. Node prints
 * the subject one attribute per line with RFC 2253 escapes (`\,`, `\+`, ... and `\XX` for bytes).
 */
export function subjectValues(cert: X509Certificate, attribute: string): string[] {
  const prefix = `${attribute}=`;
  return cert.subject
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => unescapeRFC2253(line.slice(prefix.length)));
}

function unescapeRFC2253(value: string): string {
  // Runs of \XX are the UTF-8 bytes of one or more characters; any other \c stands for c.
  return value.replace(/(?:\\[0-9A-Fa-f]{2})+|\\(.)/gsu, (match: string, escaped: string | undefined) =>
    escaped !== undefined ? escaped : Buffer.from(match.replace(/\\/g, ''), 'hex').toString('utf8'),
  );
}
