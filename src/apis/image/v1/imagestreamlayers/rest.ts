// GET imagestreams/{name}/layers: which blobs the stream's images are made of (the integrated registry
// asks before serving a blob of the stream).
import type { APIRegistry } from '../../../../registry/registry.js';
import type { SubresourceREST } from '../../../../registry/rest.js';
import { readImageStreamLayers } from './read.js';
import type { ImageStreamLayers } from './types.js';

export class ImageStreamLayersREST implements SubresourceREST {
  constructor(private readonly registry: APIRegistry) {}

  get(namespace: string | undefined, name: string): Promise<ImageStreamLayers> {
    return readImageStreamLayers(this.registry, namespace, name);
  }
}
