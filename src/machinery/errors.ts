// metav1.Status errors with the reasons, codes and wording kube-apiserver uses.
import { aggregateMessage, errorBody, type ErrorList } from './field.js';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string; resourceVersion?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

/** Identifies a resource in error messages: `images.image.openshift.io`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export const grString = (gr: GroupResource) => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);

export class StatusError extends Error {
  readonly status: Status;
  constructor(code: number, reason: string, message: string, details?: StatusDetails, extra?: Partial<Status>) {
    super(message);
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
      ...extra,
    };
    if (reason === '') delete this.status.reason;
  }
  get code(): number {
    return this.status.code ?? 500;
  }
  get reason(): string {
    return this.status.reason ?? '';
  }
}

export const isStatusError = (e: unknown): e is StatusError => e instanceof StatusError;

export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${grString(gr)} "${name}" not found`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export function pathNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(gr: GroupResource, name: string, terminating = false): StatusError {
  return new StatusError(
    409,
    'AlreadyExists',
    `${terminating ? 'object is being deleted: ' : ''}${grString(gr)} "${name}" already exists`,
    { name, group: gr.group, kind: gr.resource },
  );
}

export function generateNameConflict(gr: GroupResource, name: string): StatusError {
  return new StatusError(
    409,
    'AlreadyExists',
    `${grString(gr)} "${name}" already exists, the server was not able to generate a unique name for the object`,
    { name, group: gr.group, kind: gr.resource, retryAfterSeconds: 1 },
  );
}

export function conflict(gr: GroupResource, name: string, cause: string): StatusError {
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${grString(gr)} "${name}": ${cause}`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

/** 422 Invalid. `kind` is the Kind (e.g. `Image`) and `group` its group; name may be empty. */
export function invalid(group: string, kind: string, name: string, errs: ErrorList): StatusError {
  const qualified = group ? `${kind}.${group}` : kind;
  return new StatusError(422, 'Invalid', `${qualified} "${name}" is invalid: ${aggregateMessage(errs)}`, {
    name,
    group,
    kind,
    causes: errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })),
  });
}

/** 422 for bad request options, e.g. `CreateOptions.meta.k8s.io "" is invalid: ...`. */
export function invalidOptions(optionsKind: string, errs: ErrorList): StatusError {
  return invalid('meta.k8s.io', optionsKind, '', errs);
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function methodNotSupported(gr: GroupResource, verb: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${grString(gr)}"`, {
    group: gr.group,
    kind: gr.resource,
  });
}

export function methodNotAllowed(): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export function unsupportedMediaType(accepted: string[]): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

export function notAcceptable(accepted: string[]): StatusError {
  return new StatusError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
}

export function gone(message: string, extra?: Partial<Status>): StatusError {
  return new StatusError(410, 'Expired', message, undefined, extra);
}

export function requestEntityTooLarge(message: string): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

export function internalError(err: unknown): StatusError {
  const text = err instanceof Error ? err.message : String(err);
  return new StatusError(500, 'InternalError', `Internal error occurred: ${text}`, { causes: [{ message: text }] });
}

export function tooLargeResourceVersion(requested: number, current: number): StatusError {
  return new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

export function timeout(message = 'request did not complete within the allotted timeout'): StatusError {
  return new StatusError(504, 'Timeout', `Timeout: ${message}`, { retryAfterSeconds: 0 });
}

export function tooManyRequests(message: string, retryAfterSeconds = 1): StatusError {
  return new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds });
}

export function forbidden(gr: GroupResource, name: string, reason: string): StatusError {
  const subject = name ? `${grString(gr)} "${name}"` : grString(gr);
  return new StatusError(403, 'Forbidden', `${subject} is forbidden: ${reason}`, {
    name: name || undefined,
    group: gr.group,
    kind: gr.resource,
  });
}

export function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized');
}

/** A raw 500 with an empty reason (what upstream sends for e.g. resourceVersion on create). */
export function rawInternal(message: string): StatusError {
  return new StatusError(500, '', message);
}
