// Import outcomes as the metav1.Status objects ImageStreamImport reports per image and per repository
// (openshift-apiserver importer: formatRepositoryError, imageImportStatus, invalidStatus, forbiddenStatus).
import { StatusError, type Status } from '../machinery/errors.js';
import { errorBody, type FieldError } from '../machinery/field.js';
import { isRegistryError } from './registry-errors.js';

/** A Status embedded in an object: no kind or apiVersion, `metadata: {}` always written. */
export interface EmbeddedStatus {
  metadata: Record<string, never>;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: Status['details'];
  code?: number;
}

export const successStatus = (): EmbeddedStatus => ({ metadata: {}, status: 'Success' });
/** metav1.Status{}: what an entry that was never attempted reports. */
export const emptyStatus = (): EmbeddedStatus => ({ metadata: {} });

/** An import failure that already is an API status (NotFound, Unauthorized, Forbidden, Invalid). */
export class ImportStatusError extends Error {
  constructor(readonly status: EmbeddedStatus) {
    super(status.message ?? '');
  }
}

/** A field error (kapierrors.NewInvalid with an empty kind and name). */
export class ImportFieldError extends Error {
  constructor(readonly fieldError: FieldError) {
    super(`${fieldError.field}: ${errorBody(fieldError)}`);
  }
}

function embed(err: StatusError): EmbeddedStatus {
  const { kind: _k, apiVersion: _a, metadata: _m, ...rest } = err.status;
  return { metadata: {}, ...rest };
}

const DOCKER_IMAGE_RESOURCE = { group: 'image.openshift.io', resource: 'dockerimage' };

export function notFoundStatus(ref: string): ImportStatusError {
  return new ImportStatusError({
    metadata: {},
    status: 'Failure',
    message: `${DOCKER_IMAGE_RESOURCE.resource}.${DOCKER_IMAGE_RESOURCE.group} "${ref}" not found`,
    reason: 'NotFound',
    details: { name: ref, group: DOCKER_IMAGE_RESOURCE.group, kind: DOCKER_IMAGE_RESOURCE.resource },
    code: 404,
  });
}

export function unauthorizedStatus(message: string): ImportStatusError {
  return new ImportStatusError({ metadata: {}, status: 'Failure', message, reason: 'Unauthorized', code: 401 });
}

/** kapierrors.NewForbidden with an empty resource and name: `forbidden: <reason>`. */
export function forbiddenStatus(reason: string): ImportStatusError {
  return new ImportStatusError({ metadata: {}, status: 'Failure', message: `forbidden: ${reason}`, reason: 'Forbidden', details: {}, code: 403 });
}

/** kapierrors.NewInvalid(GroupKind{}, "", errs): the message starts with ` "" is invalid`. */
export function invalidStatus(err: FieldError): EmbeddedStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: ` "" is invalid: ${err.field}: ${errorBody(err)}`,
    reason: 'Invalid',
    details: { causes: [{ reason: err.type, message: errorBody(err), field: err.field }] },
    code: 422,
  };
}

/** kapierrors.NewInternalError. */
export function internalErrorStatus(message: string): EmbeddedStatus {
  return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
}

/** imageImportStatus: API statuses as they are, field errors as Invalid, anything else InternalError. */
export function statusForError(err: unknown): EmbeddedStatus {
  if (err instanceof ImportStatusError) return structuredClone(err.status);
  if (err instanceof StatusError) return embed(err);
  if (err instanceof ImportFieldError) return invalidStatus(err.fieldError);
  return internalErrorStatus(err instanceof Error ? err.message : String(err));
}

/**
 * formatRepositoryError: what a failed manifest or config fetch of `ref` (the docker-normalized reference)
 * means for the user.
 */
export function repositoryError(ref: string, err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  if (isRegistryError(err, 'MANIFEST_UNKNOWN')) return notFoundStatus(ref);
  if (isRegistryError(err, 'UNAUTHORIZED') || message.endsWith('no basic auth credentials')) {
    return unauthorizedStatus(`you may not have access to the container image ${JSON.stringify(ref)}`);
  }
  if (message.endsWith('incorrect username or password')) return unauthorizedStatus(`incorrect username or password for image ${JSON.stringify(ref)}`);
  return new Error(`${ref}: ${message}`);
}

/** The error of a failed tag listing (importRepositoryFromDocker); `ref` is the repository as written. */
export function tagListError(ref: string, err: unknown): Error {
  if (isRegistryError(err, 'NAME_UNKNOWN')) return notFoundStatus(ref);
  if (isRegistryError(err, 'UNAUTHORIZED')) return unauthorizedStatus(`you may not have access to the container image ${JSON.stringify(ref)}`);
  return err instanceof Error ? err : new Error(String(err));
}
