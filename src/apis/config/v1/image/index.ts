// config.openshift.io/v1 images: a CustomResourceDefinition that kube-apiserver serves, reproduced here
// with CRD semantics (schema + CEL validation with ratcheting, status subresource, no strategic merge patch).
import type { ResourceDefinition } from '../../../../registry/resource.js';
import { imageConfigTable } from './table.js';
import { ImageConfigSchema } from './types.js';

export const imageConfigDefinition: ResourceDefinition = {
  group: 'config.openshift.io',
  version: 'v1',
  kind: 'Image',
  listKind: 'ImageList',
  plural: 'images',
  singular: 'image',
  namespaced: false,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [{ name: 'status', kind: 'Image', verbs: ['get', 'patch', 'update'] }],
  schema: ImageConfigSchema,
  openAPIName: 'com.github.openshift.api.config.v1.Image',
  table: imageConfigTable,
  validation: 'crd',
  strategicMergePatch: false,
  // customresource.customResourceStrategy: no create on update, and AllowUnconditionalUpdate() is false,
  // so a PUT without metadata.resourceVersion is refused like for built-in kinds.
  strategy: {
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
    generation: 'spec',
    nameRule: 'dns-subdomain',
  },
};
