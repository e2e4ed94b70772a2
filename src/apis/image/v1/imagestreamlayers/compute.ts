// The ImageStreamLayers of a stream (openshift-apiserver LayersREST, addImageStreamLayersFromCache): every
// image in the stream's tag history, the children of manifest lists among them, and each blob they use.
import type { ImageStream } from '../imagestream/types.js';
import type { ImageLayerEntry } from './image-layers.js';
import type { ImageBlobReferences, ImageLayerData, ImageStreamLayers } from './types.js';

/** Resolves an image name; undefined when no such image exists. */
export type ImageLayerLookup = (name: string) => Promise<ImageLayerEntry | undefined>;

export async function computeImageStreamLayers(stream: ImageStream, lookup: ImageLayerLookup, apiVersion: string): Promise<ImageStreamLayers> {
  const blobs = new Map<string, ImageLayerData>();
  const images = new Map<string, ImageBlobReferences>();

  const addImage = async (name: string): Promise<void> => {
    if (images.has(name)) return;
    const entry = await lookup(name);
    if (!entry) {
      images.set(name, { imageMissing: true, layers: null, config: null });
      return;
    }
    const reference: ImageBlobReferences = { imageMissing: false, layers: null, config: null };
    for (const layer of entry.layers) {
      const digest = layer.name ?? '';
      (reference.layers ??= []).push(digest);
      // The first image to name a blob describes it.
      if (!blobs.has(digest)) blobs.set(digest, { size: layer.size ?? 0, mediaType: layer.mediaType ?? '' });
    }
    if (entry.config) {
      reference.config = entry.config.name;
      // The config blob's size is not kept with the image.
      if (!blobs.has(entry.config.name)) blobs.set(entry.config.name, { size: null, mediaType: entry.config.mediaType });
    }
    if (entry.manifests.length > 0) reference.manifests = [...entry.manifests];
    // The manifest itself is a blob too.
    if (!blobs.has(name)) blobs.set(name, { size: null, mediaType: entry.mediaType });
    images.set(name, reference);
    for (const child of entry.manifests) await addImage(child);
  };

  for (const tag of stream.status?.tags ?? []) {
    for (const item of tag.items ?? []) {
      if (item.image) await addImage(item.image);
    }
  }

  return {
    apiVersion,
    kind: 'ImageStreamLayers',
    metadata: structuredClone(stream.metadata),
    blobs: sortedRecord(blobs),
    images: sortedRecord(images),
  };
}

/** Go writes map keys sorted. */
function sortedRecord<V>(map: Map<string, V>): Record<string, V> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
