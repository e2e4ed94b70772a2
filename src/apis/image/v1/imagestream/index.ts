// image.openshift.io/v1 imagestreams: a stored kind served by ImageStreamREST (openshift-apiserver's rules on the Store).
import type { KubeObject } from '../../../../machinery/object.js';
import type { ResourceDefinition } from '../../../../registry/resource.js';
import { createImageStreamREST } from './rest-factory.js';
import { imageStreamStrategy } from './strategy.js';
import { imageStreamTable } from './table.js';
import { ImageStreamSchema, type ImageStream } from './types.js';
import { imageStreamLayersSubresource } from '../imagestreamlayers/subresource.js';
import { imageStreamSecretsSubresource } from '../imagestreamsecrets/subresource.js';

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
  subresources: [{ name: 'status', kind: 'ImageStream', verbs: ['get', 'patch', 'update'] }, imageStreamLayersSubresource, imageStreamSecretsSubresource],
  schema: ImageStreamSchema,
  openAPIName: 'com.github.openshift.api.image.v1.ImageStream',
  table: imageStreamTable,
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
  rest: (registry) => createImageStreamREST(registry, imageStreamDefinition),
};
