// Authorization attributes, decisions and the union of authorizers
// (k8s.io/apiserver pkg/authorization/authorizer, pkg/authorization/union).
import { aggregateErrors } from './authenticator.js';
import type { UserInfo } from './user.js';

/** What kube-apiserver derives from a request to authorize it (authorizer.AttributesRecord). */
export interface RequestAttributes {
  resourceRequest: boolean;
  /** The URL path, percent-decoded. */
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection; the lower-case method for non-resource requests. */
  verb: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** The raw selectors of list, watch and deletecollection requests (AuthorizeWithSelectors). */
  fieldSelector: string;
  labelSelector: string;
}

export interface AuthorizationAttributes extends RequestAttributes {
  user: UserInfo;
}

export type Decision = 'allow' | 'deny' | 'no-opinion';

export interface AuthorizationResult {
  decision: Decision;
  reason: string;
  error?: Error;
}

export interface Authorizer {
  authorize(attributes: AuthorizationAttributes): Promise<AuthorizationResult>;
}

/** The first allow or deny wins; otherwise no opinion with every reason (one per line) and every error. */
export function unionAuthorizer(authorizers: readonly Authorizer[]): Authorizer {
  return {
    async authorize(attributes) {
      const reasons: string[] = [];
      const errors: Error[] = [];
      for (const a of authorizers) {
        const result = await a.authorize(attributes);
        if (result.error) errors.push(result.error);
        if (result.reason) reasons.push(result.reason);
        if (result.decision !== 'no-opinion') return result;
      }
      const error = aggregateErrors(errors);
      return { decision: 'no-opinion', reason: reasons.join('\n'), ...(error ? { error } : {}) };
    },
  };
}
