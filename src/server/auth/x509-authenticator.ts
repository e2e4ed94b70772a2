// Client certificates signed by the client CA authenticate as CN, with the O values as groups
// (k8s.io/apiserver pkg/authentication/request/x509: Authenticator + CommonNameUserConversion).
import type { X509Certificate } from 'node:crypto';
import type { Authenticator } from './authenticator.js';
import { subjectValues, verifyClientCertificate } from './client-certificates.js';

/** `roots` is read per request, so a reloaded CA bundle applies at once; empty = not configured. */
export function x509Authenticator(roots: () => X509Certificate[], now: () => Date = () => new Date()): Authenticator {
  return {
    async authenticate(req) {
      const presented = req.peerCertificates();
      const ca = roots();
      if (presented.length === 0 || ca.length === 0) return {};
      try {
        verifyClientCertificate(presented, ca, now());
      } catch (err) {
        return { error: new Error(`verifying certificate SN=${BigInt(`0x${presented[0].serialNumber}`)} failed: ${(err as Error).message}`) };
      }
      const name = subjectValues(presented[0], 'CN')[0] ?? '';
      if (name === '') return {};
      return { user: { name, groups: subjectValues(presented[0], 'O') } };
    },
  };
}
