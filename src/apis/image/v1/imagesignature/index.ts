// image.openshift.io/v1 imagesignatures: a cluster-scoped view that only creates and deletes entries of
// `Image.signatures`.
import type { ResourceDefinition } from '../../../../registry/resource.js';
import { ImageSignatureSchema } from '../signature.js';
import { ImageSignatureREST } from './rest.js';
import { imageSignatureStrategy, type ImageSignatureObject } from './strategy.js';

export const imageSignatureDefinition: ResourceDefinition<ImageSignatureObject> = {
  group: 'image.openshift.io',
  version: 'v1',
  kind: 'ImageSignature',
  // Upstream registers no list type: the resource cannot be listed.
  listKind: 'ImageSignatureList',
  plural: 'imagesignatures',
  singular: 'imagesignature',
  namespaced: false,
  verbs: ['create', 'delete'],
  schema: ImageSignatureSchema,
  openAPIName: 'com.github.openshift.api.image.v1.ImageSignature',
  validation: 'typed',
  strategicMergePatch: true,
  strategy: imageSignatureStrategy,
  rest: (registry) => new ImageSignatureREST(imageSignatureDefinition as unknown as ResourceDefinition, registry),
};
