// The Image behind a tag of a stream (the views' imageFor): the image named by the tag's newest history entry,
// read from the Image Store.
import { internalError, notFound, type GroupResource } from '../../../../machinery/errors.js';
import type { APIRegistry } from '../../../../registry/registry.js';
import type { Image } from '../image/types.js';
import { joinStreamTag, latestTaggedImage } from '../imagestream/history.js';
import type { ImageStream } from '../imagestream/types.js';

/**
 * The stored Image of `tag`'s newest event. 404 `<view resource> "<stream>:<tag>" not found` when the tag has no
 * event naming an image; the Image Store's own 404 when that image is gone.
 */
export async function imageForTag(registry: APIRegistry, stream: ImageStream, tag: string, view: GroupResource): Promise<Image> {
  const event = latestTaggedImage(stream, tag);
  if (!event?.image) throw notFound(view, joinStreamTag(stream.metadata.name ?? '', tag));
  const images = registry.store('image.openshift.io', 'v1', 'images');
  if (!images) throw internalError(new Error('the images storage is not registered'));
  return (await images.get(undefined, event.image)) as Image;
}
