// An AuthenticationRequest over Node's request objects (HTTP/1.1 and HTTP/2 alike).
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { AuthenticationRequest } from './authenticator.js';

/**
 * `serverCAs` are the fingerprints of the CAs the TLS server was given. Node appends the issuers it
 * finds there to the chain the client sent; Go verifies with only what the client sent, so those are
 * dropped again (each is a root of its own bundle anyway).
 */
export function authenticationRequestOf(raw: IncomingMessage | Http2ServerRequest, serverCAs: () => ReadonlySet<string>): AuthenticationRequest {
  let headers: Map<string, string[]> | undefined;
  let certificates: X509Certificate[] | undefined;
  const headerMap = () => (headers ??= groupHeaders(raw.rawHeaders));
  return {
    headerValues: (name) => headerMap().get(name.toLowerCase()) ?? [],
    headerNames: () => [...headerMap().keys()],
    peerCertificates: () => (certificates ??= presentedChain(raw.socket as TLSSocket, serverCAs())),
  };
}

/** Node joins repeated headers into one string; group names may contain commas, so read the raw pairs. */
function groupHeaders(rawHeaders: string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (name.startsWith(':')) continue;
    const values = map.get(name);
    if (values) values.push(rawHeaders[i + 1]);
    else map.set(name, [rawHeaders[i + 1]]);
  }
  return map;
}

function presentedChain(socket: TLSSocket | undefined, serverCAs: ReadonlySet<string>): X509Certificate[] {
  if (!socket || typeof socket.getPeerCertificate !== 'function') return [];
  const leaf = socket.getPeerCertificate(true) as DetailedPeerCertificate;
  if (!leaf || !leaf.raw) return [];
  const chain = [new X509Certificate(leaf.raw)];
  const seen = new Set([chain[0].fingerprint256]);
  for (let c = leaf.issuerCertificate; c && c.raw; c = c.issuerCertificate) {
    const cert = new X509Certificate(c.raw);
    if (seen.has(cert.fingerprint256)) break;
    seen.add(cert.fingerprint256);
    if (!serverCAs.has(cert.fingerprint256)) chain.push(cert);
  }
  return chain;
}
