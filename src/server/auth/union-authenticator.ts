// The delegating authenticator's chain (k8s.io/apiserver authenticatorfactory/delegating.go): the
// authenticators in order, first success wins; authenticated users gain system:authenticated; anonymous
// only when nothing was presented at all, since a bad credential must not degrade to anonymous.
import { aggregateErrors, type AuthenticationRequest, type AuthenticationResult, type Authenticator } from './authenticator.js';
import { anonymousUser, withAuthenticatedGroup } from './user.js';

export function unionAuthenticator(authenticators: readonly Authenticator[], opts: { anonymous: boolean }): Authenticator {
  return {
    async authenticate(req: AuthenticationRequest): Promise<AuthenticationResult> {
      const errors: Error[] = [];
      for (const a of authenticators) {
        const result = await a.authenticate(req);
        if (result.user) return { user: withAuthenticatedGroup(result.user) };
        if (result.error) errors.push(result.error);
      }
      const error = aggregateErrors(errors);
      if (error) return { error };
      if (opts.anonymous) return { user: anonymousUser() };
      return {};
    },
  };
}
