// imagetags: the complete view of one tag of a stream (spec, history, image), written by editing the stream's spec
// tag (openshift-apiserver `pkg/image/apiserver/registry/imagetag/rest.go`). Reads take the stream as the imagestreams
// REST shows it and the Image from its Store; writes go through the imagestreams REST (main create for a new stream,
// internal writer else).
import { badRequest, conflict, invalid, notFound } from '../../../../machinery/errors.js';
import { prepareUpdateMeta, validateObjectMeta } from '../../../../machinery/meta.js';
import type { KubeObject } from '../../../../machinery/object.js';
import type { RegistryListOptions } from '../../../../registry/list-options.js';
import type { ObjectList } from '../../../../registry/list.js';
import type { DeleteOptions, DeleteResult, REST, UpdatedObjectInfo, WriteOptions, WriteResult } from '../../../../registry/rest.js';
import { ViewREST } from '../../../../registry/view-rest.js';
import type { RequestContext } from '../../../../registry/strategy.js';
import type { Image } from '../image/types.js';
import { compareTagNames, setSpecTag, specTag } from '../imagestream/history.js';
import { imageStreamREST } from '../imagestream/rest.js';
import type { ImageStream } from '../imagestream/types.js';
import { loadImagePolicy } from '../imagestreamtag/image-policy.js';
import { streamAndTag, streamAndTagForCreate } from '../imagestreamtag/names.js';
import { isNotFound } from '../imagestreamtag/status-errors.js';
import { createSpecTag, readStream, streamOrNew, writeStream } from '../imagestreamtag/stream-access.js';
import { deleteTag } from '../imagestreamtag/tag-delete.js';
import { imageForTag } from '../imagestreamtag/tag-image.js';
import { checkNameGenerated, checkNameMatchesURL, checkNamespace, decodeViewObject, fillSystemFields } from '../imagestreamtag/view-request.js';
import { defaultImageTag, prepareImageTagForCreate, prepareImageTagForUpdate, validateImageTag, validateImageTagUpdate } from './strategy.js';
import type { ImageTag } from './types.js';
import { IMAGE_TAGS, imageTagView } from './view.js';

const BAD_NAME = 'ImageTags must be retrieved with <name>:<tag>';

export class ImageTagREST extends ViewREST {
  /** A missing Image only leaves `image` null; 404 when neither spec nor status has the tag. */
  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const { stream: streamName, tag } = streamAndTag(name, BAD_NAME);
    const { hostnames } = await loadImagePolicy(this.registry);
    const stream = await readStream(this.registry, namespace, streamName, hostnames);
    return this.view(tag, stream, await this.imageOrNone(stream, tag), false);
  }

  /** One item per spec or status tag, by stream and then tag name; images are not read. The list has no metadata. */
  async list(namespace: string | undefined, opts: RegistryListOptions): Promise<ObjectList> {
    const streams = await imageStreamREST(this.registry).list(namespace, opts);
    const items: KubeObject[] = [];
    for (const stream of streams.items as ImageStream[]) {
      const tags = new Set([...(stream.spec?.tags ?? []).map((t) => t.name ?? ''), ...(stream.status?.tags ?? []).map((t) => t.tag ?? '')]);
      for (const tag of [...tags].sort(compareTagNames)) {
        const itag = this.view(tag, stream, undefined, false);
        if (opts.labelSelector && !opts.labelSelector.matches(itag.metadata.labels)) continue;
        if (opts.fieldSelector && !opts.fieldSelector.matches({ 'metadata.name': itag.metadata.name ?? '', 'metadata.namespace': itag.metadata.namespace ?? '' })) continue;
        items.push(itag);
      }
    }
    return { kind: this.def.listKind, apiVersion: this.apiVersion, metadata: {}, items };
  }

  async create(namespace: string | undefined, body: KubeObject, opts: WriteOptions): Promise<WriteResult> {
    const policy = await loadImagePolicy(this.registry);
    const itag = decodeViewObject<ImageTag>(body, this.def, this.apiVersion, this.schema.validator);
    defaultImageTag(itag, policy.importMode);
    fillSystemFields(itag.metadata, this.now());
    checkNameGenerated(itag.metadata);
    checkNamespace(itag.metadata, namespace);
    prepareImageTagForCreate(itag);
    const errs = validateImageTag(itag, policy.whitelist());
    if (errs.length) throw invalid(this.def.group, this.def.kind, itag.metadata.name ?? '', errs);
    if (!namespace) throw badRequest('a namespace must be specified to import images');
    const name = itag.metadata.name ?? '';
    const { stream: streamName, tag } = streamAndTagForCreate(name);

    const written = await createSpecTag(
      this.registry,
      { namespace, stream: streamName, tag, name, view: IMAGE_TAGS, resource: this.gr },
      itag.spec ?? undefined,
      policy.hostnames,
      opts,
    );
    const image = await imageForTag(this.registry, written, tag, IMAGE_TAGS).catch(() => undefined);
    return { object: this.view(tag, written, image, true), warnings: [], created: true };
  }

  /**
   * PUT and PATCH: the request edits the ImageTag built from the stream (a missing stream is created). Only `spec`
   * may change; a null spec removes the spec tag (its history stays). A blind write is not retried on conflict.
   */
  async update(namespace: string | undefined, name: string, objInfo: UpdatedObjectInfo, opts: WriteOptions): Promise<WriteResult> {
    const { stream: streamName, tag } = streamAndTag(name, BAD_NAME);
    if (!namespace) throw badRequest('namespace is required on ImageTags');
    const policy = await loadImagePolicy(this.registry);
    const { stream: original, exists } = await streamOrNew(this.registry, namespace, streamName, policy.hostnames);
    // The synthetic stream has a uid, so a patch applies to the empty tag built from it.
    if (!exists) fillSystemFields(original.metadata, this.now());
    const old = this.view(tag, original, undefined, true);
    const itag = decodeViewObject<ImageTag>(objInfo(structuredClone(old)), this.def, this.apiVersion, this.schema.validator);
    defaultImageTag(itag, policy.importMode);
    checkNameMatchesURL(itag.metadata, name);

    const currentVersion = original.metadata.resourceVersion ?? '';
    if (!itag.metadata.resourceVersion) {
      // A blind write: "this tag should be this", whatever the stream is now.
      if (currentVersion) itag.metadata.resourceVersion = currentVersion;
    } else if (!currentVersion) {
      throw notFound(IMAGE_TAGS, name);
    } else if (itag.metadata.resourceVersion !== currentVersion) {
      throw conflict(IMAGE_TAGS, itag.metadata.name ?? '', `another caller has updated the resource version to ${currentVersion}`);
    }

    if (!exists) {
      fillSystemFields(itag.metadata, this.now());
      checkNameGenerated(itag.metadata);
      checkNamespace(itag.metadata, namespace);
      prepareImageTagForCreate(itag);
      const errs = validateImageTag(itag, policy.whitelist());
      if (errs.length) throw invalid(this.def.group, this.def.kind, name, errs);
    } else {
      checkNamespace(itag.metadata, namespace);
      // A client that does not know managedFields leaves them out: they are kept, not removed.
      if (!itag.metadata.managedFields && old.metadata.managedFields) itag.metadata.managedFields = old.metadata.managedFields;
      prepareUpdateMeta(itag.metadata, old.metadata);
      prepareImageTagForUpdate(itag, old);
      const errs = [...validateObjectMeta(itag.metadata, { namespaced: true, nameRule: 'path-segment' }), ...validateImageTagUpdate(itag, old, policy.whitelist())];
      if (errs.length) throw invalid(this.def.group, this.def.kind, name, errs);
    }

    const stream = structuredClone(original);
    const existed = !!specTag(stream, tag);
    if (itag.spec) setSpecTag(stream, { ...structuredClone(itag.spec), name: tag });
    else removeSpecTag(stream, tag);
    const written = await writeStream(this.registry, namespace, stream, exists, opts);
    return { object: this.view(tag, written, await this.imageOrNone(written, tag), true), warnings: [], created: !existed };
  }

  /** Removes the tag from spec and status; the image stays. Preconditions: only the stream's uid is checked. */
  delete(namespace: string | undefined, name: string, options: DeleteOptions, dryRun: boolean, ctx: RequestContext): Promise<DeleteResult> {
    const { stream, tag } = streamAndTag(name, BAD_NAME);
    return deleteTag(this.registry, { namespace: namespace ?? '', name, stream, tag, view: IMAGE_TAGS }, options, dryRun, ctx);
  }

  /** The Image of the tag's newest event, or undefined when there is none or it is gone. */
  private async imageOrNone(stream: ImageStream, tag: string): Promise<Image | undefined> {
    try {
      return await imageForTag(this.registry, stream, tag, IMAGE_TAGS);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private view(tag: string, stream: ImageStream, image: Image | undefined, allowEmpty: boolean): ImageTag {
    return imageTagView(tag, stream, image, { apiVersion: this.apiVersion, allowEmpty, now: this.now() });
  }
}

/** Drops the spec tag `tag`, keeping its history. */
function removeSpecTag(stream: ImageStream, tag: string): void {
  const kept = (stream.spec?.tags ?? []).filter((t) => (t.name ?? '') !== tag);
  if (!stream.spec) return;
  if (kept.length) stream.spec.tags = kept;
  else delete stream.spec.tags;
}
