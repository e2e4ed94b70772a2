// What an authenticator sees of a request and what it answers (k8s.io/apiserver pkg/authentication/authenticator).
import type { X509Certificate } from 'node:crypto';
import type { UserInfo } from './user.js';

export interface AuthenticationRequest {
  /** Every value of a header, in the order received; names compare case-insensitively. */
  headerValues(name: string): string[];
  /** Every header name received (lower-case), once each. */
  headerNames(): string[];
  /** The client certificate chain as the client presented it, leaf first; empty without one. */
  peerCertificates(): X509Certificate[];
}

/**
 * `user` set: authenticated. Otherwise the authenticator did not apply (no error) or the presented
 * credential was bad (error): upstream answers 401 for the latter rather than falling back to anonymous.
 */
export type AuthenticationResult = { user: UserInfo; error?: undefined } | { user?: undefined; error?: Error };

export interface Authenticator {
  authenticate(req: AuthenticationRequest): Promise<AuthenticationResult>;
}

/** The first non-empty value of the first of `names` that has one (http.Header.Get per name). */
export function firstHeaderValue(req: AuthenticationRequest, names: readonly string[]): string {
  for (const name of names) {
    const value = req.headerValues(name)[0];
    if (value) return value;
  }
  return '';
}

/** utilerrors.NewAggregate's text: one error as is, several as `[a, b]`. */
export function aggregateErrors(errors: Error[]): Error | undefined {
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0];
  return new Error(`[${errors.map((e) => e.message).join(', ')}]`);
}
