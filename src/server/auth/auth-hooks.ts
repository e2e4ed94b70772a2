// Authentication and authorization of every request, as Fastify onRequest hooks that run before the
// body is read, in the order of k8s.io/apiserver's handler chain (WithAuthentication, [WithMaxInFlightLimit],
// WithAuthorization).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unauthorized } from '../../machinery/errors.js';
import { sendError } from '../responses.js';
import { authenticationRequestOf } from './authentication-request.js';
import type { Authenticator } from './authenticator.js';
import type { Authorizer } from './authorizer.js';
import { authorizationFailureText, forbiddenError } from './forbidden.js';
import { requestAttributes } from './request-attributes.js';
import type { UserInfo } from './user.js';

export interface RequestAuth {
  authenticator: Authenticator;
  authorizer: Authorizer;
  /** Fingerprints of the CAs the TLS server was given (see authenticationRequestOf). */
  serverCAs(): ReadonlySet<string>;
}

/**
 * Installs authentication; the returned function gives later hooks and the handlers the user a request was
 * authenticated as. Authorization is installed separately, so the in-flight limit can sit between the two.
 */
export function installAuthentication(app: FastifyInstance, auth: RequestAuth): (req: FastifyRequest) => UserInfo {
  const users = new WeakMap<FastifyRequest, UserInfo>();
  app.addHook('onRequest', async (req, reply) => {
    const authn = await auth.authenticator.authenticate(authenticationRequestOf(req.raw, () => auth.serverCAs()));
    if (!authn.user) {
      if (authn.error) req.log.debug({ err: authn.error }, 'Unable to authenticate the request');
      return sendError(reply, unauthorized());
    }
    users.set(req, authn.user);
  });
  return (req) => users.get(req) ?? { name: '', groups: [] };
}

export function installAuthorization(app: FastifyInstance, auth: RequestAuth, userOf: (req: FastifyRequest) => UserInfo): void {
  app.addHook('onRequest', async (req, reply) => {
    const attributes = { ...requestAttributes(req.method, req.url), user: userOf(req) };
    const result = await auth.authorizer.authorize(attributes);
    // An authorizer may allow despite an evaluation error, so the decision is checked first.
    if (result.decision === 'allow') return;
    if (result.error) {
      req.log.error({ err: result.error }, 'authorization failed');
      return reply
        .code(500)
        .header('content-type', 'text/plain; charset=utf-8')
        .header('x-content-type-options', 'nosniff')
        .send(authorizationFailureText(req.url, result.error));
    }
    return sendError(reply, forbiddenError(attributes, result.reason));
  });
}
