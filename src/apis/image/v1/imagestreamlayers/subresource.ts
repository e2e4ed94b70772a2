// imagestreams/{name}/layers, as the ImageStream definition lists it.
import type { SubresourceDefinition } from '../../../../registry/resource.js';
import { ImageStreamLayersREST } from './rest.js';

export const imageStreamLayersSubresource: SubresourceDefinition = {
  name: 'layers',
  kind: 'ImageStreamLayers',
  verbs: ['get'],
  rest: (registry) => new ImageStreamLayersREST(registry),
};
