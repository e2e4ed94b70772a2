// The front proxy (the kube-apiserver aggregator) vouches for a user in X-Remote-* headers; they count
// only on a request whose client certificate chains to the request-header CA and carries an allowed CN
// (k8s.io/apiserver pkg/authentication/request/headerrequest + x509.Verifier).
import type { X509Certificate } from 'node:crypto';
import { firstHeaderValue, type AuthenticationRequest, type Authenticator } from './authenticator.js';
import { subjectValues, verifyClientCertificate } from './client-certificates.js';
import { pathUnescape } from './path-unescape.js';

export interface RequestHeaderSettings {
  /** requestheader-client-ca-file: the front proxy's signing CA. Empty = not configured. */
  roots: X509Certificate[];
  /** Allowed client certificate CNs; empty = any CN the CA signed. */
  allowedNames: string[];
  usernameHeaders: string[];
  uidHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
}

/** `settings` is read per request, so a reloaded ConfigMap applies at once. */
export function requestHeaderAuthenticator(settings: () => RequestHeaderSettings | undefined, now: () => Date = () => new Date()): Authenticator {
  return {
    async authenticate(req) {
      const presented = req.peerCertificates();
      const s = settings();
      if (presented.length === 0 || !s || s.roots.length === 0) return {};
      try {
        verifyClientCertificate(presented, s.roots, now());
      } catch (err) {
        return { error: err as Error };
      }
      const cn = subjectValues(presented[0], 'CN')[0] ?? '';
      if (s.allowedNames.length > 0 && !s.allowedNames.includes(cn)) {
        return { error: new Error(`x509: subject with cn=${cn} is not in the allowed list`) };
      }
      const name = firstHeaderValue(req, s.usernameHeaders);
      if (name === '') return {};
      const uid = firstHeaderValue(req, s.uidHeaders);
      const groups = s.groupHeaders.flatMap((h) => req.headerValues(h).filter((v) => v !== ''));
      const extra = extraFromHeaders(req, s.extraHeaderPrefixes);
      return { user: { name, ...(uid ? { uid } : {}), groups, extra } };
    },
  };
}

/**
 * `<prefix><key>: <value>` headers, the key lower-cased and percent-decoded (the proxy escapes every
 * byte outside the HTTP token set, e.g. `authentication.kubernetes.io%2Fcredential-id`).
 */
function extraFromHeaders(req: AuthenticationRequest, prefixes: string[]): Record<string, string[]> {
  const extra: Record<string, string[]> = {};
  for (const prefix of prefixes) {
    const p = prefix.toLowerCase();
    for (const header of req.headerNames()) {
      if (!header.startsWith(p)) continue;
      const key = pathUnescape(header.slice(p.length));
      (extra[key] ??= []).push(...req.headerValues(header));
    }
  }
  return extra;
}
