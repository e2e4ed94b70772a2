// imagestreammappings: create only. The integrated registry's "this image is now at tag T of stream S": the Image is
// created (an existing one is reused as it is) and the tag gets a new history entry through imagestreams/status
// (openshift-apiserver `pkg/image/apiserver/registry/imagestreammapping/rest.go`). Answers a Success Status.
import { conflict, internalError, invalid, notFound, OBJECT_MODIFIED, type GroupResource, type Status } from '../../../../machinery/errors.js';
import type { KubeObject } from '../../../../machinery/object.js';
import { timestamp } from '../../../../machinery/object.js';
import type { WriteOptions, WriteResult } from '../../../../registry/rest.js';
import { ViewREST } from '../../../../registry/view-rest.js';
import type { Store } from '../../../../registry/store.js';
import type { Image } from '../image/types.js';
import { imageStreamREST } from '../imagestream/rest.js';
import type { ImageStream, TagEvent } from '../imagestream/types.js';
import { loadImagePolicy } from '../imagestreamtag/image-policy.js';
import { isAlreadyExists } from '../imagestreamtag/status-errors.js';
import { readStream } from '../imagestreamtag/stream-access.js';
import { checkNameGenerated, checkNamespace, decodeViewObject, fillSystemFields } from '../imagestreamtag/view-request.js';
import { exact, tryParseImageReference } from '../reference.js';
import { prepareImageStreamMappingForCreate, validateImageStreamMapping } from './strategy.js';
import { mergeMappedEvent } from './tag-event-merge.js';
import { MANAGED_BY_OPENSHIFT_ANNOTATION, type ImageStreamMapping } from './types.js';

const IMAGE_STREAMS: GroupResource = { group: 'image.openshift.io', resource: 'imagestreams' };
const CREATED: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

/** Thrown inside the status write when the tag already shows the mapped image: nothing is written. */
class Unchanged extends Error {}

export class ImageStreamMappingREST extends ViewREST {
  /**
   * dryRun persists nothing: the Image create and the stream write both run as dry runs (upstream drops the option
   * and writes both).
   */
  async create(namespace: string | undefined, body: KubeObject, opts: WriteOptions): Promise<WriteResult> {
    const policy = await loadImagePolicy(this.registry);
    const mapping = decodeViewObject<ImageStreamMapping>(body, this.def, this.apiVersion, this.schema.validator);
    fillSystemFields(mapping.metadata, this.now());
    checkNameGenerated(mapping.metadata);
    checkNamespace(mapping.metadata, namespace);
    prepareImageStreamMappingForCreate(mapping, policy.hostnames.internal);
    const errs = validateImageStreamMapping(mapping);
    if (errs.length) throw invalid(this.def.group, this.def.kind, mapping.metadata.name ?? '', errs);

    const streams = imageStreamREST(this.registry);
    const name = mapping.metadata.name!;
    const stream = await readStream(this.registry, namespace, name, policy.hostnames);
    const image = mapping.image!;
    const tag = mapping.tag!;

    // The Image and the stream are written as upstream's mapping writes them, through the registry: no managedFields.
    const internal = { ...opts, fieldManager: undefined };
    let existed = false;
    try {
      await this.images().create(undefined, image, internal);
    } catch (err) {
      // The Image is immutable here: an existing one is used as it is.
      if (!isAlreadyExists(err)) throw err;
      existed = true;
    }
    const event: TagEvent = {
      created: timestamp(this.now()),
      dockerImageReference: eventReference(image, stream, existed),
      image: image.metadata.name ?? '',
      generation: 0,
    };

    // Conflicting writes are retried here (the Store re-reads and calls again) as long as the tag stays as it was.
    let base: ImageStream = stream;
    try {
      await streams.update(
        namespace,
        name,
        (current) => {
          if (!current) throw notFound(IMAGE_STREAMS, name);
          const outcome = mergeMappedEvent(base, current as ImageStream, tag, event);
          if (outcome.kind === 'conflict') throw conflict(IMAGE_STREAMS, name, OBJECT_MODIFIED);
          if (outcome.kind === 'unchanged') throw new Unchanged();
          base = current as ImageStream;
          return outcome.stream;
        },
        internal,
        { subresource: 'status', isPatch: false },
      );
    } catch (err) {
      if (!(err instanceof Unchanged)) throw err;
    }
    return { object: structuredClone(CREATED), warnings: [], created: true };
  }

  /** Looked up per request: the view does not hold on to another kind's storage. */
  private images(): Store {
    const store = this.registry.store('image.openshift.io', 'v1', 'images');
    if (!store) throw internalError(new Error('the images storage is not registered'));
    return store;
  }
}

/**
 * The reference the tag event records: the mapping's, except for an image of the integrated registry that already
 * existed (most likely pushed to another stream), which is referenced through this stream's repository.
 */
function eventReference(image: Image, stream: ImageStream, existed: boolean): string {
  const requested = image.dockerImageReference ?? '';
  if (!existed || image.metadata?.annotations?.[MANAGED_BY_OPENSHIFT_ANNOTATION] !== 'true') return requested;
  const repository = stream.status?.dockerImageRepository || stream.spec?.dockerImageRepository || '';
  if (!repository) return requested;
  const parsed = tryParseImageReference(repository);
  return parsed.ref ? exact({ ...parsed.ref, id: image.metadata?.name ?? '' }) : requested;
}
