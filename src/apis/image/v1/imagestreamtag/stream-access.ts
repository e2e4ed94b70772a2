// How the views read and write the stream behind a tag: read as the imagestreams REST shows it, a missing stream
// taken as a new one to create, a new stream written by the main create (2.3.2) and an existing one by the internal
// writer (2.3.10), which keeps the status the view sends.
import { alreadyExists, internalError, type GroupResource } from '../../../../machinery/errors.js';
import type { APIRegistry } from '../../../../registry/registry.js';
import type { WriteOptions } from '../../../../registry/rest.js';
import type { RegistryHostnames } from '../registry-hostnames.js';
import { dockerImageRepository, publicDockerImageRepository } from '../imagestream/repositories.js';
import { imageStreamREST } from '../imagestream/rest.js';
import { setSpecTag, specTag } from '../imagestream/history.js';
import type { ImageStream, TagReference } from '../imagestream/types.js';
import { withoutTagOrID } from '../imagestream/wire.js';
import { isAlreadyExists, isConflict, isNotFound, serverTimeout } from './status-errors.js';

/**
 * The stream as the imagestreams REST answers a GET: the stored (printed) form with the repository fields for the
 * current registry hostnames. Read from the Store, whose get returns a private copy, so the Decorator's own copy of
 * a possibly large stream is saved. 404 `imagestreams "<name>" not found`.
 */
export async function readStream(registry: APIRegistry, namespace: string | undefined, name: string, hostnames: RegistryHostnames): Promise<ImageStream> {
  const store = registry.store('image.openshift.io', 'v1', 'imagestreams');
  if (!store) throw internalError(new Error('the imagestreams storage is not registered'));
  const stream = (await store.get(namespace, name)) as ImageStream;
  const { dockerImageRepository: _d, publicDockerImageRepository: _p, ...rest } = stream.status ?? {};
  const pub = publicDockerImageRepository(stream, hostnames, true);
  stream.status = {
    dockerImageRepository: withoutTagOrID(dockerImageRepository(stream, hostnames, true)),
    ...(pub ? { publicDockerImageRepository: pub } : {}),
    ...rest,
  };
  if (stream.spec?.dockerImageRepository) stream.spec.dockerImageRepository = withoutTagOrID(stream.spec.dockerImageRepository);
  return stream;
}

/** The stream, or a new one (`exists` false) named `name` when there is none. */
export async function streamOrNew(registry: APIRegistry, namespace: string | undefined, name: string, hostnames: RegistryHostnames): Promise<{ stream: ImageStream; exists: boolean }> {
  try {
    return { stream: await readStream(registry, namespace, name, hostnames), exists: true };
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return { stream: { metadata: { name, namespace } }, exists: false };
  }
}

/**
 * Writes `stream` as the view built it. An existing stream is written only if it is still at the resourceVersion
 * `stream` carries: otherwise the imagestreams Conflict, which the callers' retry loops look for.
 */
export async function writeStream(registry: APIRegistry, namespace: string, stream: ImageStream, exists: boolean, opts: WriteOptions): Promise<ImageStream> {
  const streams = imageStreamREST(registry);
  // The stream is written as upstream's tag views write it, through the registry: no managedFields.
  const internal = { ...opts, fieldManager: undefined };
  if (!exists) return (await streams.create(namespace, stream, internal)).object as ImageStream;
  return streams.internalUpdate(namespace, stream.metadata.name ?? '', () => structuredClone(stream), internal);
}

/** A create gives up after this many conflicting stream writes (upstream's retry count). */
const MAX_CREATE_ATTEMPTS = 10;

/**
 * ImageStreamTag / ImageTag create: adds spec tag `tag` (when `ref` is given) to the stream, creating the stream when
 * it is missing; a tag already in the spec is AlreadyExists on `view`. Conflicting stream writes are retried, then
 * ServerTimeout, as upstream's create loops do.
 */
export async function createSpecTag(
  registry: APIRegistry,
  target: { namespace: string; stream: string; tag: string; name: string; view: GroupResource; resource: GroupResource },
  ref: TagReference | undefined,
  hostnames: RegistryHostnames,
  opts: WriteOptions,
): Promise<ImageStream> {
  for (let attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
    const { stream, exists } = await streamOrNew(registry, target.namespace, target.stream, hostnames);
    if (specTag(stream, target.tag)) throw alreadyExists(target.view, target.name);
    // The tag is stored under the name's tag part, with the annotations it was sent with.
    if (ref) setSpecTag(stream, { ...structuredClone(ref), name: target.tag });
    try {
      return await writeStream(registry, target.namespace, stream, exists, opts);
    } catch (err) {
      if (isAlreadyExists(err) || isConflict(err)) continue;
      throw err;
    }
  }
  throw serverTimeout(target.resource.group, target.resource.resource, 'create', 2);
}
