// image.openshift.io/v1 imagestreamtags: a view of one tag of a stream (no watch, no deletecollection).
import type { ResourceDefinition } from '../../../../registry/resource.js';
import { ImageStreamTagREST } from './rest.js';
import { imageStreamTagStrategy } from './strategy.js';
import { imageStreamTagTable } from './table.js';
import { ImageStreamTagSchema, type ImageStreamTag } from './types.js';

export const imageStreamTagDefinition: ResourceDefinition<ImageStreamTag> = {
  group: 'image.openshift.io',
  version: 'v1',
  kind: 'ImageStreamTag',
  listKind: 'ImageStreamTagList',
  plural: 'imagestreamtags',
  singular: 'imagestreamtag',
  namespaced: true,
  shortNames: ['istag'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
  schema: ImageStreamTagSchema,
  openAPIName: 'com.github.openshift.api.image.v1.ImageStreamTag',
  table: imageStreamTagTable,
  validation: 'typed',
  strategicMergePatch: true,
  strategy: imageStreamTagStrategy,
  rest: (registry) => new ImageStreamTagREST(imageStreamTagDefinition as unknown as ResourceDefinition, registry),
};
