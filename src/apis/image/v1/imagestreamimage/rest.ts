// GET imagestreamimages/<stream>@<id>: an image the stream references, found among the images of its
// layers view (so children of manifest lists are found too), shown with the stream's annotations.
import { badRequest, internalError, notFound } from '../../../../machinery/errors.js';
import type { KubeObject, ObjectMeta } from '../../../../machinery/object.js';

import { ViewREST } from '../../../../registry/view-rest.js';
import type { Image } from '../image/types.js';
import { readImageStreamLayers } from '../imagestreamlayers/read.js';
import { imageForStreamView } from './image-view.js';
import { parseImageStreamImageName } from './name.js';
import { resolveImageID } from './resolve.js';
import type { ImageStreamImage } from './types.js';

export class ImageStreamImageREST extends ViewREST {
  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const parsed = parseImageStreamImageName(name);
    if (!parsed) throw badRequest('ImageStreamImages must be retrieved with <name>@<id>');
    const layers = await readImageStreamLayers(this.registry, namespace, parsed.stream);
    const imageName = resolveImageID(Object.keys(layers.images), parsed.id);
    // Upstream names the resource in the singular here.
    if (imageName === undefined) throw notFound({ group: this.def.group, resource: 'imagestreamimage' }, name);

    const images = this.registry.store(this.def.group, this.def.version, 'images');
    if (!images) throw internalError(new Error('the images storage is not registered'));
    const image = imageForStreamView((await images.get(undefined, imageName)) as Image, this.now());

    const annotations = layers.metadata.annotations ?? {};
    const metadata: ObjectMeta = {
      name,
      namespace,
      creationTimestamp: image.metadata.creationTimestamp ?? null,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    };
    const view: ImageStreamImage = { apiVersion: this.apiVersion, kind: this.def.kind, metadata, image };
    return view;
  }
}
