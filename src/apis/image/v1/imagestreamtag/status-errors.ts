// The Status errors the views' retry loops test for and give up with (k8s.io/apimachinery pkg/api/errors).
import { StatusError } from '../../../../machinery/errors.js';

/** errors.NewServerTimeout: what a view answers when its retries on conflicts ran out. */
export function serverTimeout(group: string, resource: string, operation: string, retryAfterSeconds: number): StatusError {
  return new StatusError(
    500,
    'ServerTimeout',
    `The ${operation} operation against ${resource}.${group} could not be completed at this time, please try again.`,
    { name: operation, group, kind: resource, retryAfterSeconds },
  );
}

/** True for a 409 Conflict Status. */
export const isConflict = (err: unknown): boolean => err instanceof StatusError && err.reason === 'Conflict';

/** True for a 409 AlreadyExists Status. */
export const isAlreadyExists = (err: unknown): boolean => err instanceof StatusError && err.reason === 'AlreadyExists';

/** True for a 404 NotFound Status. */
export const isNotFound = (err: unknown): boolean => err instanceof StatusError && err.reason === 'NotFound';
