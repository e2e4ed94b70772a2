// image.openshift.io/v1 imagestreammappings: create only; nothing is stored under this resource.
import type { ResourceDefinition } from '../../../../registry/resource.js';
import { ImageStreamMappingREST } from './rest.js';
import { imageStreamMappingStrategy } from './strategy.js';
import { ImageStreamMappingSchema, type ImageStreamMapping } from './types.js';

export const imageStreamMappingDefinition: ResourceDefinition<ImageStreamMapping> = {
  group: 'image.openshift.io',
  version: 'v1',
  kind: 'ImageStreamMapping',
  // Upstream registers no list type: the resource cannot be listed.
  listKind: 'ImageStreamMappingList',
  plural: 'imagestreammappings',
  singular: 'imagestreammapping',
  namespaced: true,
  verbs: ['create'],
  schema: ImageStreamMappingSchema,
  openAPIName: 'com.github.openshift.api.image.v1.ImageStreamMapping',
  validation: 'typed',
  strategicMergePatch: true,
  strategy: imageStreamMappingStrategy,
  rest: (registry) => new ImageStreamMappingREST(imageStreamMappingDefinition as unknown as ResourceDefinition, registry),
};
