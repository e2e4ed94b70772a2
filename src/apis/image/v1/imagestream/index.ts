// image.openshift.io/v1 imagestreams, registered as a plain stored kind with a /status subresource.
import type { KubeObject } from '../../../../machinery/object.js';
import type { ResourceDefinition } from '../../../../registry/resource.js';
import { imageStreamStrategy } from './strategy.js';
import { ImageStreamSchema, type ImageStream } from './types.js';

export const imageStreamDefinition: ResourceDefinition = {
  group: 'image.openshift.io',
  version: 'v1',
  kind: 'ImageStream',
  listKind: 'ImageStreamList',
  plural: 'imagestreams',
  singular: 'imagestream',
  namespaced: true,
  shortNames: ['is'],
  categories: ['all'],
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [{ name: 'status', kind: 'ImageStream', verbs: ['get', 'patch', 'update'] }],
  schema: ImageStreamSchema,
  openAPIName: 'com.github.openshift.api.image.v1.ImageStream',
  // openshift-apiserver's SelectableFields: the stored values, not the ones recomputed on read.
  selectableFields: (obj: KubeObject) => {
    const is = obj as ImageStream;
    return {
      'spec.dockerImageRepository': is.spec?.dockerImageRepository ?? '',
      'status.dockerImageRepository': is.status?.dockerImageRepository ?? '',
    };
  },
  validation: 'typed',
  strategicMergePatch: true,
  strategy: imageStreamStrategy,
};
