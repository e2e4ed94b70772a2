// An update that creates its object (server-side apply of a missing object; PUT or PATCH of an ImageStreamTag or
// ImageTag whose stream does not exist) needs `create` on the resource besides the `update`/`patch` the request
// filter authorized, as k8s.io/apiserver's update and patch handlers check it (withAuthorization around
// createValidation, pkg/endpoints/handlers/rest.go). Upstream asks once the store knows it is creating, after
// admission and the create strategy; a REST here computes and validates the new object in one call, so the
// first attempt stops where it would create, the check is made, and a refusal is preceded by a dry run that
// reports what upstream would have reported first.
import { forbidden, internalError, type StatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import type { REST, UpdatedObjectInfo } from '../../registry/rest.js';
import type { ResourceRequest } from '../request-info.js';
import type { AuthorizationAttributes, Authorizer } from './authorizer.js';
import { pathUnescape } from './path-unescape.js';
import type { UserInfo } from './user.js';

/** Stops the first attempt of an update at the point where it would create. */
class CreateNotYetAuthorized extends Error {
  constructor() {
    super('creating through an update needs the create verb');
  }
}

/**
 * An object the REST hands to an update without a resourceVersion was never stored: the update creates it
 * (stores pass undefined; tag views pass the tag of a synthetic stream).
 */
const createsObject = (current: KubeObject | undefined) => !current?.metadata?.resourceVersion;

/** The attributes of the extra check: the request's, with verb `create` (createAuthorizerAttributes). */
export function createOnUpdateAttributes(info: ResourceRequest, rawPath: string, user: UserInfo): AuthorizationAttributes {
  return {
    resourceRequest: true,
    path: pathUnescape(rawPath),
    verb: 'create',
    apiGroup: info.group,
    apiVersion: info.version,
    resource: info.resource,
    subresource: info.subresource ?? '',
    namespace: info.namespace ?? '',
    name: info.name ?? '',
    fieldSelector: '',
    labelSelector: '',
    user,
  };
}

/** withAuthorization's answer: allowed (undefined), an authorizer failure (500), or Forbidden with the reason. */
export async function authorizeCreateOnUpdate(authorizer: Authorizer, attributes: AuthorizationAttributes): Promise<StatusError | undefined> {
  const result = await authorizer.authorize(attributes);
  // An authorizer may allow despite an evaluation error, so the decision is checked first.
  if (result.decision === 'allow') return undefined;
  if (result.error) return internalError(result.error);
  return forbidden({ group: attributes.apiGroup, resource: attributes.resource }, attributes.name, result.reason);
}

/** `rest` whose updates ask `authorizeCreate` before they create; everything else is the REST's own. */
export function withCreateOnUpdateAuthorization(rest: REST, authorizeCreate: () => Promise<StatusError | undefined>): REST {
  const update = rest.update;
  if (!update) return rest;
  const guardedUpdate: REST['update'] = async (namespace, name, objInfo, opts, extra) => {
    const guarded: UpdatedObjectInfo = (current) => {
      const obj = objInfo(current);
      if (createsObject(current)) throw new CreateNotYetAuthorized();
      return obj;
    };
    try {
      return await update.call(rest, namespace, name, guarded, opts, extra);
    } catch (err) {
      if (!(err instanceof CreateNotYetAuthorized)) throw err;
    }
    const refused = await authorizeCreate();
    if (!refused) return update.call(rest, namespace, name, objInfo, opts, extra);
    // Admission and validation errors come before the refusal upstream; a dry run surfaces them.
    await update.call(rest, namespace, name, objInfo, { ...opts, dryRun: true, ctx: { ...opts.ctx, dryRun: true } }, extra);
    throw refused;
  };
  return new Proxy(rest, {
    get(target, prop) {
      if (prop === 'update') return guardedUpdate;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The admission dispatch applies to one request's REST: `admit` as given, and for PUT and PATCH under an
 * authorizer also the create check (outermost, so admission still sees the request first).
 */
export function admissionWithCreateOnUpdate(
  authorizer: Authorizer | undefined,
  admit: ((rest: REST) => REST) | undefined,
  info: ResourceRequest,
  rawPath: string,
  user: UserInfo,
): ((rest: REST) => REST) | undefined {
  if (!authorizer || (info.verb !== 'update' && info.verb !== 'patch')) return admit;
  const attributes = createOnUpdateAttributes(info, rawPath, user);
  return (rest) => withCreateOnUpdateAuthorization(admit ? admit(rest) : rest, () => authorizeCreateOnUpdate(authorizer, attributes));
}
