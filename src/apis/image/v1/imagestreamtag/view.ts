// An ImageStreamTag built from its stream and (when read) its Image: openshift-apiserver's newISTag
// (`registry/imagestreamtag/rest.go`).
import { notFound, type GroupResource } from '../../../../machinery/errors.js';
import type { ObjectMeta } from '../../../../machinery/object.js';
import { canonicalImage } from '../image/strategy.js';
import { emptyDockerImage, encodeDockerImageMetadata } from '../image/manifest-metadata.js';
import type { Image } from '../image/types.js';
import { joinStreamTag, latestTaggedImage, resolveReferenceForTagEvent, specTag, statusTag } from '../imagestream/history.js';
import type { ImageStream, TagEvent } from '../imagestream/types.js';
import { imageForStreamView } from '../imagestreamimage/image-view.js';
import type { ImageStreamTag } from './types.js';

export const IMAGE_STREAM_TAGS: GroupResource = { group: 'image.openshift.io', resource: 'imagestreamtags' };

export interface ImageStreamTagViewOptions {
  apiVersion: string;
  /**
   * Create and update answer even for a tag without an image (its event is then empty, created when the stream
   * was); reads answer 404 `imagestreamtags "<stream>:<tag>" not found`.
   */
  allowEmptyEvent: boolean;
  now: Date;
}

/**
 * The ImageStreamTag of `tag`. `image` is the stored Image of the tag's newest event, when it was read: its
 * metadata is filled from the manifest, the spec tag's annotations are merged into it and its reference becomes
 * the tag's pull spec; without one, `image` carries only the name and the pull spec.
 */
export function imageStreamTagView(tag: string, stream: ImageStream, image: Image | undefined, opts: ImageStreamTagViewOptions): ImageStreamTag {
  const name = joinStreamTag(stream.metadata.name ?? '', tag);
  let event: TagEvent | undefined = latestTaggedImage(stream, tag);
  if (!event?.image) {
    if (!opts.allowEmptyEvent) throw notFound(IMAGE_STREAM_TAGS, name);
    event = { created: stream.metadata.creationTimestamp ?? null, dockerImageReference: '', image: '', generation: 0 };
  }

  const spec = specTag(stream, tag);
  const annotations = { ...(spec?.annotations ?? {}) };
  const labels = stream.metadata.labels ?? {};
  const metadata: ObjectMeta = {
    name,
    namespace: stream.metadata.namespace,
    uid: stream.metadata.uid,
    resourceVersion: stream.metadata.resourceVersion,
    creationTimestamp: event.created ?? null,
    ...(Object.keys(labels).length ? { labels: { ...labels } } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
  const conditions = statusTag(stream, tag)?.conditions ?? [];
  const reference = resolveReferenceForTagEvent(stream, tag, event);

  return {
    apiVersion: opts.apiVersion,
    kind: 'ImageStreamTag',
    metadata,
    tag: spec ? structuredClone(spec) : null,
    generation: event.generation ?? 0,
    lookupPolicy: { local: stream.spec?.lookupPolicy?.local ?? false },
    ...(conditions.length ? { conditions: structuredClone(conditions) } : {}),
    image: image ? tagImage(image, annotations, reference, opts.now) : bareImage(event.image ?? '', reference),
  };
}

/** The tag's Image as the view shows it: spec-tag annotations merged in, metadata filled, pull spec resolved. */
function tagImage(stored: Image, annotations: Record<string, string>, reference: string, now: Date): Image {
  const image = structuredClone(stored);
  if (Object.keys(annotations).length) image.metadata = { ...image.metadata, annotations: { ...image.metadata?.annotations, ...annotations } };
  const shown = imageForStreamView(image, now);
  if (reference) shown.dockerImageReference = reference;
  else delete shown.dockerImageReference;
  return shown;
}

/** An empty internal Image with a name, as the v1 conversion prints it (metadata version 1.0, empty metadata). */
function bareImage(name: string, reference: string): Image {
  const version = '1.0';
  const metadata: ObjectMeta = { ...(name ? { name } : {}), creationTimestamp: null };
  return canonicalImage({
    metadata,
    dockerImageReference: reference,
    dockerImageMetadata: encodeDockerImageMetadata(emptyDockerImage(), version),
    dockerImageMetadataVersion: version,
  });
}
