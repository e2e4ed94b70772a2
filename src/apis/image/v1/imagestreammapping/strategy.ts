// The rules of image.openshift.io/v1 imagestreammappings: openshift-apiserver's imagestreammapping Strategy
// (`registry/imagestreammapping/strategy.go`) and ValidateImageStreamMapping (`apis/image/validation/validation.go`).
import { invalid, prefixErrors, required, type ErrorList } from '../../../../machinery/field.js';
import { validateObjectMeta } from '../../../../machinery/meta.js';
import { nameIsDNSLabel } from '../../../../machinery/names.js';
import type { Strategy } from '../../../../registry/strategy.js';
import { validateImage } from '../image/strategy.js';
import { exact } from '../reference.js';
import type { ImageStreamMapping } from './types.js';

/** What the view's Store-less REST needs from the generic contract: no generation, path-segment names. */
export const imageStreamMappingStrategy: Strategy<ImageStreamMapping> = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: false,
  generation: 'none',
  nameRule: 'path-segment',
};

/**
 * PrepareForCreate: an image without a reference is where the integrated registry keeps it
 * (`<registry>/<namespace>/<stream>@<image>`), when the registry is known; signatures are only added through
 * images and imagesignatures. Mutates mapping.
 */
export function prepareImageStreamMappingForCreate(mapping: ImageStreamMapping, internalRegistryHostname: string): void {
  const image = (mapping.image ??= { metadata: {} });
  image.metadata ??= {};
  if (!image.dockerImageReference && internalRegistryHostname) {
    image.dockerImageReference = exact({
      registry: internalRegistryHostname,
      namespace: mapping.metadata.namespace ?? '',
      name: mapping.metadata.name ?? '',
      tag: '',
      id: image.metadata.name ?? '',
    });
  }
  delete image.signatures;
}

/**
 * ValidateImageStreamMapping: metadata, a stream (the v1 type names it only by metadata.name, so both ways of naming
 * one are reported missing), a namespace, a tag, and an Image valid as images are.
 */
export function validateImageStreamMapping(mapping: ImageStreamMapping): ErrorList {
  const errs = validateObjectMeta(mapping.metadata, { namespaced: true, nameRule: 'path-segment' });
  if (!mapping.metadata.name) errs.push(required('name', ''), required('dockerImageRepository', ''));
  const namespace = mapping.metadata.namespace ?? '';
  const reasons = nameIsDNSLabel(namespace, false);
  if (reasons.length) errs.push(invalid('metadata.namespace', namespace, reasons.join(', ')));
  if (!mapping.tag) errs.push(required('tag', ''));
  const image = mapping.image ?? { metadata: {} };
  errs.push(...prefixErrors('image', validateObjectMeta(image.metadata ?? {}, { namespaced: false, nameRule: 'path-segment' })));
  errs.push(...prefixErrors('image', validateImage(image)));
  return errs;
}
