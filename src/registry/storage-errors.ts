// Storage errors as the Status a client sees (k8s.io/apiserver pkg/storage/errors.go + store.go interpretation).
import { alreadyExists, conflict, gone, notFound, OBJECT_MODIFIED, StatusError, tooLargeResourceVersion, type GroupResource } from '../machinery/errors.js';
import type { StorageError } from '../storage/storage.js';

export function storageErrorToStatus(err: StorageError, gr: GroupResource, name: string): StatusError {
  switch (err.code) {
    case 'KeyNotFound':
      return notFound(gr, name);
    case 'KeyExists':
      return alreadyExists(gr, name);
    case 'Conflict':
    case 'PreconditionFailed':
      return conflict(gr, name, OBJECT_MODIFIED);
    case 'TooOld':
      return gone('The resourceVersion for the provided list is too old.');
    case 'TooLarge':
      return tooLargeResourceVersion(Number(err.message.match(/\d+/)?.[0] ?? 0), err.revision);
    case 'Closed':
      return new StatusError(503, 'ServiceUnavailable', 'storage is shutting down');
  }
}
