// DELETE of an ImageStreamTag or ImageTag: the tag leaves both spec and status of its stream; its images stay
// (openshift-apiserver's imagestreamtag and imagetag Delete, which are the same but for the resource they name).
import { conflict, notFound, type GroupResource, type Status } from '../../../../machinery/errors.js';
import type { APIRegistry } from '../../../../registry/registry.js';
import type { DeleteOptions, DeleteResult } from '../../../../registry/rest.js';
import type { RequestContext } from '../../../../registry/strategy.js';
import { removeTag } from '../imagestream/history.js';
import { loadImagePolicy } from './image-policy.js';
import { isConflict, isNotFound, serverTimeout } from './status-errors.js';
import { readStream, writeStream } from './stream-access.js';

/** Conflicting stream writes are retried this many times. */
const MAX_ATTEMPTS = 10;
/** A DELETE carries no field manager; the stream write it makes is recorded under the server's name. */
const SUCCESS: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };

export interface TagDelete {
  namespace: string;
  /** `<stream>:<tag>`, as named in errors. */
  name: string;
  stream: string;
  tag: string;
  /** The view's resource, for its NotFound, Conflict and ServerTimeout errors. */
  view: GroupResource;
}

/**
 * Only a uid precondition is checked (against the stream's uid); a stream deleted meanwhile counts as done. Answers
 * the bare Success Status.
 */
export async function deleteTag(registry: APIRegistry, del: TagDelete, options: DeleteOptions, dryRun: boolean, ctx: RequestContext): Promise<DeleteResult> {
  const { hostnames } = await loadImagePolicy(registry);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stream = await readStream(registry, del.namespace, del.stream, hostnames);
    const uid = options.preconditions?.uid;
    if (uid && uid !== stream.metadata.uid) throw conflict(del.view, del.name, 'the UID precondition was not met');
    if (!removeTag(stream, del.tag)) throw notFound(del.view, del.name);
    try {
      await writeStream(registry, del.namespace, stream, true, { dryRun, fieldManager: undefined, ctx });
    } catch (err) {
      if (isConflict(err)) continue;
      if (!isNotFound(err)) throw err;
    }
    return { kind: 'status', status: structuredClone(SUCCESS) };
  }
  throw serverTimeout(del.view.group, del.view.resource, 'delete', 2);
}
