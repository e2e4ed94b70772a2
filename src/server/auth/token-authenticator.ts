// Bearer tokens from the Authorization header (k8s.io/apiserver pkg/authentication/request/bearertoken).
import type { Authenticator } from './authenticator.js';
import type { UserInfo } from './user.js';

/** What a token check answers: a user, nothing (not a token it knows), or an error. */
export type TokenResult = { user: UserInfo; error?: undefined } | { user?: undefined; error?: Error };

export type TokenCheck = (token: string) => Promise<TokenResult>;

/** `Authorization: Bearer <token>`; anything else (or an empty token) is not this authenticator's. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const value = (authorization ?? '').trim();
  if (value === '') return undefined;
  const parts = value.split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined;
  return parts[1] === '' ? undefined : parts[1];
}

/** A presented token that no check accepts is an error ("invalid bearer token"), never anonymous. */
export function tokenAuthenticator(check: TokenCheck): Authenticator {
  return {
    async authenticate(req) {
      const token = bearerToken(req.headerValues('authorization')[0]);
      if (token === undefined) return {};
      const result = await check(token);
      if (result.user) return result;
      return { error: result.error ?? new Error('invalid bearer token') };
    },
  };
}
