// The answers of k8s.io/apiserver's authorization filter when it does not let a request through
// (pkg/endpoints/handlers/responsewriters/errors.go: Forbidden, InternalError).
import { StatusError, type StatusDetails } from '../../machinery/errors.js';
import { goQuote } from '../../machinery/selectors.js';
import type { AuthorizationAttributes } from './authorizer.js';

/** The writer escapes what could be read as HTML in the (partly client-chosen) text. */
const sanitize = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function forbiddenMessage(a: AuthorizationAttributes): string {
  const user = a.user.name;
  if (!a.resourceRequest) return `User ${goQuote(user)} cannot ${a.verb} path ${goQuote(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace ${goQuote(a.namespace)}` : 'at the cluster scope';
  return `User ${goQuote(user)} cannot ${a.verb} resource ${goQuote(resource)} in API group ${goQuote(a.apiGroup)} ${where}`;
}

/** 403 Forbidden worded as apierrors.NewForbidden(groupResource, name, "<message>[: <reason>]"). */
export function forbiddenError(a: AuthorizationAttributes, reason: string): StatusError {
  const message = sanitize(forbiddenMessage(a));
  const cause = reason ? `${message}: ${reason}` : message;
  const gr = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  let text: string;
  if (a.apiGroup === '' && a.resource === '') text = `forbidden: ${cause}`;
  else if (a.name === '') text = `${gr} is forbidden: ${cause}`;
  else text = `${gr} ${goQuote(a.name)} is forbidden: ${cause}`;
  // StatusDetails fields are omitempty: a non-resource request gets `"details":{}`.
  const details: StatusDetails = {};
  if (a.name) details.name = a.name;
  if (a.apiGroup) details.group = a.apiGroup;
  if (a.resource) details.kind = a.resource;
  return new StatusError(403, 'Forbidden', text, details);
}

/** The plain-text 500 for an authorizer failure (the SubjectAccessReview could not be made). */
export function authorizationFailureText(requestURI: string, err: Error): string {
  return `${sanitize(`Internal Server Error: ${goQuote(requestURI)}: ${err.message}`)}\n`;
}
