// image.openshift.io/v1 imagetags: the complete view of one tag of a stream (no watch, no deletecollection).
import type { ResourceDefinition } from '../../../../registry/resource.js';
import { ImageTagREST } from './rest.js';
import { imageTagStrategy } from './strategy.js';
import { imageTagTable } from './table.js';
import { ImageTagSchema, type ImageTag } from './types.js';

export const imageTagDefinition: ResourceDefinition<ImageTag> = {
  group: 'image.openshift.io',
  version: 'v1',
  kind: 'ImageTag',
  listKind: 'ImageTagList',
  plural: 'imagetags',
  singular: 'imagetag',
  namespaced: true,
  shortNames: ['itag'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
  schema: ImageTagSchema,
  openAPIName: 'com.github.openshift.api.image.v1.ImageTag',
  table: imageTagTable,
  validation: 'typed',
  strategicMergePatch: true,
  strategy: imageTagStrategy,
  rest: (registry) => new ImageTagREST(imageTagDefinition as unknown as ResourceDefinition, registry),
};
