// image.openshift.io/v1 imagestreamimports: a namespaced, create-only kind that imports images from
// container registries into an image stream.
import type { ResourceDefinition } from '../../../../registry/resource.js';
import type { Strategy } from '../../../../registry/strategy.js';
import { ImageStreamImportREST } from './rest.js';
import { ImageStreamImportSchema, type ImageStreamImport } from './types.js';

/** Nothing is stored: the strategy only states the name rule; the REST applies the import's own rules. */
const imageStreamImportStrategy: Strategy<ImageStreamImport> = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: false,
  generation: 'none',
  nameRule: 'path-segment',
};

export const imageStreamImportDefinition: ResourceDefinition<ImageStreamImport> = {
  group: 'image.openshift.io',
  version: 'v1',
  kind: 'ImageStreamImport',
  // Upstream registers no list type: the resource cannot be listed.
  listKind: 'ImageStreamImportList',
  plural: 'imagestreamimports',
  singular: 'imagestreamimport',
  namespaced: true,
  verbs: ['create'],
  schema: ImageStreamImportSchema,
  openAPIName: 'com.github.openshift.api.image.v1.ImageStreamImport',
  validation: 'typed',
  strategicMergePatch: true,
  strategy: imageStreamImportStrategy,
  rest: (registry) => new ImageStreamImportREST(imageStreamImportDefinition as unknown as ResourceDefinition, registry),
};
