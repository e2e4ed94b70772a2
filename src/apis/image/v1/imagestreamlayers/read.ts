// Reads the ImageStreamLayers of one stream from the ImageStream and Image stores; shared by
// imagestreams/layers and imagestreamimages, which resolves image ids against it.
import { internalError, invalid, isStatusError } from '../../../../machinery/errors.js';
import type { APIRegistry } from '../../../../registry/registry.js';
import type { Store } from '../../../../registry/store.js';
import type { Image } from '../image/types.js';
import type { ImageStream } from '../imagestream/types.js';
import { computeImageStreamLayers, type ImageLayerLookup } from './compute.js';
import { imageLayerEntry } from './image-layers.js';
import type { ImageStreamLayers } from './types.js';
import { validateImageStreamLayers } from './validation.js';

const GROUP = 'image.openshift.io';
const VERSION = 'v1';

/**
 * Upstream reads images from an informer cache, so it answers ServerTimeout until the cache has synced
 * and rescans once after 250 ms when images are missing. The stores are read directly here: they are
 * always current, so neither case arises.
 */
export async function readImageStreamLayers(registry: APIRegistry, namespace: string | undefined, name: string): Promise<ImageStreamLayers> {
  const stream = (await storeOf(registry, 'imagestreams').get(namespace, name)) as ImageStream;
  const images = storeOf(registry, 'images');
  const lookup: ImageLayerLookup = async (imageName) => {
    try {
      return imageLayerEntry((await images.get(undefined, imageName)) as Image);
    } catch (err) {
      if (isStatusError(err) && err.code === 404) return undefined;
      throw err;
    }
  };
  const layers = await computeImageStreamLayers(stream, lookup, `${GROUP}/${VERSION}`);
  const errs = validateImageStreamLayers(layers);
  if (errs.length) throw invalid(GROUP, 'ImageStreamLayers', name, errs);
  return layers;
}

function storeOf(registry: APIRegistry, resource: string): Store {
  const store = registry.store(GROUP, VERSION, resource);
  if (!store) throw internalError(new Error(`the ${resource} storage is not registered`));
  return store;
}
