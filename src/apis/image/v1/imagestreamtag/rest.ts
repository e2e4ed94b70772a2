// imagestreamtags: a view of one tag of a stream through its newest image, written by editing the stream's spec tag
// (openshift-apiserver `pkg/image/apiserver/registry/imagestreamtag/rest.go`). Nothing is stored on its own: reads
// take the stream as the imagestreams REST shows it and the Image from its Store; writes go through the imagestreams
// REST (a new stream by its main create, an existing one by its internal writer).
import { badRequest, conflict, invalid, notFound, type GroupResource } from '../../../../machinery/errors.js';
import { prepareUpdateMeta, validateObjectMeta } from '../../../../machinery/meta.js';
import type { KubeObject } from '../../../../machinery/object.js';
import type { RegistryListOptions } from '../../../../registry/list-options.js';
import type { ObjectList } from '../../../../registry/list.js';
import type { DeleteOptions, DeleteResult, REST, UpdatedObjectInfo, WriteOptions, WriteResult } from '../../../../registry/rest.js';
import { ViewREST } from '../../../../registry/view-rest.js';
import type { RequestContext } from '../../../../registry/strategy.js';
import type { Image } from '../image/types.js';
import { setSpecTag, specTag } from '../imagestream/history.js';
import { imageStreamREST } from '../imagestream/rest.js';
import type { ImageStream } from '../imagestream/types.js';
import { loadImagePolicy } from './image-policy.js';
import { streamAndTag, streamAndTagForCreate } from './names.js';
import { retryOnConflict, type Attempt } from './retry.js';
import { createSpecTag, readStream, streamOrNew, writeStream } from './stream-access.js';
import { deleteTag } from './tag-delete.js';
import { isConflict, isNotFound } from './status-errors.js';
import {
  defaultImageStreamTag,
  prepareImageStreamTagForCreate,
  prepareImageStreamTagForUpdate,
  validateImageStreamTag,
  validateImageStreamTagUpdate,
} from './strategy.js';
import { imageForTag } from './tag-image.js';
import type { ImageStreamTag } from './types.js';
import { checkNameGenerated, checkNameMatchesURL, checkNamespace, decodeViewObject, fillSystemFields } from './view-request.js';
import { IMAGE_STREAM_TAGS, imageStreamTagView } from './view.js';

const BAD_NAME = 'ImageStreamTags must be retrieved with <name>:<tag>';
/** Upstream's AlreadyExists on create names the resource in the singular. */
const IMAGE_STREAM_TAG_SINGULAR: GroupResource = { group: 'image.openshift.io', resource: 'imagestreamtag' };

export class ImageStreamTagREST extends ViewREST {
  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const { stream: streamName, tag } = streamAndTag(name, BAD_NAME);
    const { hostnames } = await loadImagePolicy(this.registry);
    const stream = await readStream(this.registry, namespace, streamName, hostnames);
    const image = await imageForTag(this.registry, stream, tag, IMAGE_STREAM_TAGS);
    return this.view(tag, stream, image, false);
  }

  /**
   * Every status tag with an image of the streams the options select (the stream list gets the same options, so a
   * field selector on `<stream>:<tag>` names matches no stream). Images are not read. The list has no metadata.
   */
  async list(namespace: string | undefined, opts: RegistryListOptions): Promise<ObjectList> {
    const streams = await imageStreamREST(this.registry).list(namespace, opts);
    const items: KubeObject[] = [];
    for (const stream of streams.items as ImageStream[]) {
      for (const status of stream.status?.tags ?? []) {
        const tag = status.tag ?? '';
        if (!status.items?.[0]?.image) continue;
        const istag = this.view(tag, stream, undefined, false);
        if (opts.labelSelector && !opts.labelSelector.matches(istag.metadata.labels)) continue;
        if (opts.fieldSelector && !opts.fieldSelector.matches({ 'metadata.name': istag.metadata.name ?? '', 'metadata.namespace': istag.metadata.namespace ?? '' })) continue;
        items.push(istag);
      }
    }
    return { kind: this.def.listKind, apiVersion: this.apiVersion, metadata: {}, items };
  }

  async create(namespace: string | undefined, body: KubeObject, opts: WriteOptions): Promise<WriteResult> {
    const policy = await loadImagePolicy(this.registry);
    const istag = decodeViewObject<ImageStreamTag>(body, this.def, this.apiVersion, this.schema.validator);
    defaultImageStreamTag(istag, policy.importMode);
    fillSystemFields(istag.metadata, this.now());
    checkNameGenerated(istag.metadata);
    checkNamespace(istag.metadata, namespace);
    prepareImageStreamTagForCreate(istag);
    const errs = validateImageStreamTag(istag, policy.whitelist());
    if (errs.length) throw invalid(this.def.group, this.def.kind, istag.metadata.name ?? '', errs);
    if (!namespace) throw badRequest('a namespace must be specified to import images');
    const name = istag.metadata.name ?? '';
    const { stream: streamName, tag } = streamAndTagForCreate(name);

    const written = await createSpecTag(
      this.registry,
      { namespace, stream: streamName, tag, name, view: IMAGE_STREAM_TAG_SINGULAR, resource: this.gr },
      istag.tag ?? undefined,
      policy.hostnames,
      opts,
    );
    const image = await imageForTag(this.registry, written, tag, IMAGE_STREAM_TAGS).catch(() => undefined);
    return { object: this.view(tag, written, image, true), warnings: [], created: true };
  }

  /**
   * PUT and PATCH: the request edits the ImageStreamTag built from the stream (a missing stream is created). A
   * request without resourceVersion is a blind write, retried on conflicts as client-go's RetryOnConflict does.
   */
  async update(namespace: string | undefined, name: string, objInfo: UpdatedObjectInfo, opts: WriteOptions): Promise<WriteResult> {
    const { stream: streamName, tag } = streamAndTag(name, BAD_NAME);
    return retryOnConflict(() => this.updateOnce(namespace, name, streamName, tag, objInfo, opts));
  }

  private async updateOnce(
    namespace: string | undefined,
    name: string,
    streamName: string,
    tag: string,
    objInfo: UpdatedObjectInfo,
    opts: WriteOptions,
  ): Promise<Attempt<WriteResult>> {
    const policy = await loadImagePolicy(this.registry);
    const { stream: original, exists } = await streamOrNew(this.registry, namespace, streamName, policy.hostnames);
    if (!namespace) throw badRequest('namespace is required on ImageStreamTags');
    // The synthetic stream has a uid, so a patch applies to the empty tag built from it.
    if (!exists) fillSystemFields(original.metadata, this.now());
    const old = this.view(tag, original, undefined, true);
    const istag = decodeViewObject<ImageStreamTag>(objInfo(structuredClone(old)), this.def, this.apiVersion, this.schema.validator);
    defaultImageStreamTag(istag, policy.importMode);
    checkNameMatchesURL(istag.metadata, name);

    const canRetry = !istag.metadata.resourceVersion;
    const currentVersion = original.metadata.resourceVersion ?? '';
    if (canRetry) {
      // Blind writes were allowed before and stay allowed: they apply to whatever the stream is now.
      if (currentVersion) istag.metadata.resourceVersion = currentVersion;
    } else if (!currentVersion) {
      throw notFound(IMAGE_STREAM_TAGS, name);
    } else if (istag.metadata.resourceVersion !== currentVersion) {
      throw conflict(IMAGE_STREAM_TAGS, istag.metadata.name ?? '', `another caller has updated the resource version to ${currentVersion}`);
    }
    // Clients older than 3.6 never send labels: they are not a change.
    if (Object.keys(original.metadata.labels ?? {}).length && !Object.keys(istag.metadata.labels ?? {}).length) {
      istag.metadata.labels = { ...original.metadata.labels };
    }

    if (!exists) {
      fillSystemFields(istag.metadata, this.now());
      checkNameGenerated(istag.metadata);
      checkNamespace(istag.metadata, namespace);
      prepareImageStreamTagForCreate(istag);
      const errs = validateImageStreamTag(istag, policy.whitelist());
      if (errs.length) throw invalid(this.def.group, this.def.kind, name, errs);
    } else {
      checkNamespace(istag.metadata, namespace);
      prepareUpdateMeta(istag.metadata, old.metadata);
      prepareImageStreamTagForUpdate(istag, old);
      const errs = [
        ...validateObjectMeta(istag.metadata, { namespaced: true, nameRule: 'path-segment' }),
        ...validateImageStreamTagUpdate(istag, old, policy.whitelist()),
      ];
      if (errs.length) throw invalid(this.def.group, this.def.kind, name, errs);
    }

    const stream = structuredClone(original);
    const existing = specTag(stream, tag);
    if (!existing && !istag.tag) {
      throw badRequest(`imagestreamtag ${tag} is not a spec tag in imagestream ${original.metadata.namespace ?? ''}/${original.metadata.name ?? ''}, cannot be updated`);
    }
    // The lookup policy cannot be changed here; the spec tag always takes the object's annotations.
    const tagRef = istag.tag ? { ...structuredClone(istag.tag), name: tag } : { ...existing! };
    tagRef.annotations = istag.metadata.annotations ? { ...istag.metadata.annotations } : null;
    setSpecTag(stream, tagRef);

    let written: ImageStream;
    try {
      written = await writeStream(this.registry, namespace, stream, exists, opts);
    } catch (err) {
      if (canRetry && exists && isConflict(err)) return { conflict: err };
      throw err;
    }
    let image: Image | undefined;
    try {
      image = await imageForTag(this.registry, written, tag, IMAGE_STREAM_TAGS);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return { result: { object: this.view(tag, written, image, true), warnings: [], created: !existing } };
  }

  /** Removes the tag from spec and status; the image stays. Preconditions: only the stream's uid is checked. */
  delete(namespace: string | undefined, name: string, options: DeleteOptions, dryRun: boolean, ctx: RequestContext): Promise<DeleteResult> {
    const { stream, tag } = streamAndTag(name, BAD_NAME);
    return deleteTag(this.registry, { namespace: namespace ?? '', name, stream, tag, view: IMAGE_STREAM_TAGS }, options, dryRun, ctx);
  }

  private view(tag: string, stream: ImageStream, image: Image | undefined, allowEmptyEvent: boolean): ImageStreamTag {
    return imageStreamTagView(tag, stream, image, { apiVersion: this.apiVersion, allowEmptyEvent, now: this.now() });
  }
}
