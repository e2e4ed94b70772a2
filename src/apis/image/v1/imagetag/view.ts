// An ImageTag built from its stream and (on reads and writes of one tag) its Image: openshift-apiserver's newITag
// (`registry/imagetag/rest.go`).
import { notFound, type GroupResource } from '../../../../machinery/errors.js';
import type { Image } from '../image/types.js';
import { joinStreamTag, resolveReferenceForTagEvent, specTag, statusTag } from '../imagestream/history.js';
import type { ImageStream, NamedTagEventList } from '../imagestream/types.js';
import { imageForStreamView } from '../imagestreamimage/image-view.js';
import type { ImageTag } from './types.js';

export const IMAGE_TAGS: GroupResource = { group: 'image.openshift.io', resource: 'imagetags' };

export interface ImageTagViewOptions {
  apiVersion: string;
  /** Writes answer for a tag neither spec nor status has; reads answer 404 `imagetags "<stream>:<tag>" not found`. */
  allowEmpty: boolean;
  now: Date;
}

/**
 * The ImageTag of `tag`: the stream's metadata under the tag's name, the spec tag, the whole status tag, and the
 * Image of the newest event when it was read (metadata filled from its manifest, its reference the tag's pull spec;
 * spec-tag annotations are not merged in).
 */
export function imageTagView(tag: string, stream: ImageStream, image: Image | undefined, opts: ImageTagViewOptions): ImageTag {
  const name = joinStreamTag(stream.metadata.name ?? '', tag);
  const spec = specTag(stream, tag);
  const history = statusTag(stream, tag);
  if (!opts.allowEmpty && !spec && !history) throw notFound(IMAGE_TAGS, name);

  const status: NamedTagEventList | null = history
    ? {
        tag,
        items: history.items ? structuredClone(history.items) : null,
        ...(history.conditions?.length ? { conditions: structuredClone(history.conditions) } : {}),
      }
    : null;
  const event = history?.items?.[0];
  let shown: Image | null = null;
  if (image) {
    shown = imageForStreamView(image, opts.now);
    const reference = event ? resolveReferenceForTagEvent(stream, tag, event) : '';
    if (reference) shown.dockerImageReference = reference;
    else delete shown.dockerImageReference;
  }
  return {
    apiVersion: opts.apiVersion,
    kind: 'ImageTag',
    metadata: { ...structuredClone(stream.metadata), name },
    spec: spec ? structuredClone(spec) : null,
    status,
    image: shown,
  };
}
