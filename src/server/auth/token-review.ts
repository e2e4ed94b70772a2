// Bearer tokens checked by the kube-apiserver with a TokenReview, cached by token hash
// (k8s.io/apiserver plugin/pkg/authenticator/token/webhook + pkg/authentication/token/cache).
import { createHash } from 'node:crypto';
import type { TokenCheck, TokenResult } from './token-authenticator.js';
import { TTLCache } from './ttl-cache.js';
import type { UserInfo } from './user.js';

/** authentication.k8s.io/v1 TokenReview, as much as the server sends and reads. */
export interface TokenReview {
  apiVersion: 'authentication.k8s.io/v1';
  kind: 'TokenReview';
  spec: { token: string; audiences?: string[] };
  status?: {
    authenticated?: boolean;
    user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
    audiences?: string[];
    error?: string;
  };
}

export type CreateTokenReview = (review: TokenReview) => Promise<TokenReview>;

/** The token cache's size in k8s.io/apiserver (a striped LRU of that many entries). */
const MAX_CACHED_TOKENS = 4096;

/**
 * Successful and failed reviews are kept `ttlMs`; a review that errs (the kube-apiserver unreachable,
 * or the review reporting an error) is not cached, as upstream builds this cache with cacheErrs=false.
 */
export function tokenReviewCheck(createTokenReview: CreateTokenReview, opts: { ttlMs: number; now?: () => number }): TokenCheck {
  const cache = new TTLCache<TokenResult>({ maxEntries: MAX_CACHED_TOKENS, now: opts.now });
  const review = async (token: string): Promise<TokenResult> => {
    let answer: TokenReview;
    try {
      answer = await createTokenReview({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
    } catch (err) {
      return { error: err as Error };
    }
    const status = answer.status ?? {};
    if (!status.authenticated) return status.error ? { error: new Error(status.error) } : {};
    return { user: userOf(status.user ?? {}) };
  };
  return (token) => {
    const key = createHash('sha256').update(token).digest('base64');
    return cache.getOrLoad(key, () => review(token), (result) => (result.error ? 0 : opts.ttlMs));
  };
}

function userOf(u: NonNullable<NonNullable<TokenReview['status']>['user']>): UserInfo {
  return {
    name: u.username ?? '',
    ...(u.uid ? { uid: u.uid } : {}),
    groups: u.groups ?? [],
    ...(u.extra ? { extra: u.extra } : {}),
  };
}
