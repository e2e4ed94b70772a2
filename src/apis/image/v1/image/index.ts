// image.openshift.io/v1 images: a cluster-scoped stored kind without subresources.
import type { ResourceDefinition } from '../../../../registry/resource.js';
import { imageStrategy } from './strategy.js';
import { imageTable } from './table.js';
import { ImageSchema, type Image } from './types.js';

export const imageDefinition: ResourceDefinition<Image> = {
  group: 'image.openshift.io',
  version: 'v1',
  kind: 'Image',
  listKind: 'ImageList',
  plural: 'images',
  singular: 'image',
  namespaced: false,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  schema: ImageSchema,
  openAPIName: 'com.github.openshift.api.image.v1.Image',
  table: imageTable,
  validation: 'typed',
  strategicMergePatch: true,
  strategy: imageStrategy,
};
