// image.openshift.io/v1 imagestreamimages: a get-only view of the images a stream references.
import type { ResourceDefinition } from '../../../../registry/resource.js';
import type { Strategy } from '../../../../registry/strategy.js';
import { ImageStreamImageREST } from './rest.js';
import { imageStreamImageTable } from './table.js';
import { ImageStreamImageSchema, type ImageStreamImage } from './types.js';

/** Nothing is written through this resource: the strategy only states the name rule. */
const imageStreamImageStrategy: Strategy<ImageStreamImage> = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: false,
  generation: 'none',
  nameRule: 'path-segment',
};

export const imageStreamImageDefinition: ResourceDefinition<ImageStreamImage> = {
  group: 'image.openshift.io',
  version: 'v1',
  kind: 'ImageStreamImage',
  // Upstream registers no list type: the resource cannot be listed.
  listKind: 'ImageStreamImageList',
  plural: 'imagestreamimages',
  singular: 'imagestreamimage',
  namespaced: true,
  shortNames: ['isimage'],
  verbs: ['get'],
  schema: ImageStreamImageSchema,
  openAPIName: 'com.github.openshift.api.image.v1.ImageStreamImage',
  table: imageStreamImageTable,
  validation: 'typed',
  strategicMergePatch: true,
  strategy: imageStreamImageStrategy,
  rest: (registry) => new ImageStreamImageREST(imageStreamImageDefinition as unknown as ResourceDefinition, registry),
};
