// The consistency rules openshift-apiserver checks on an ImageStreamLayers before returning it. A
// single-image entry names its layers and config; a manifest list names only its children. Entries of
// missing images are built empty, so they need no rule here.
import { FieldPath, invalid, type ErrorList } from '../../../../machinery/field.js';
import type { ImageStreamLayers } from './types.js';

export function validateImageStreamLayers(isl: ImageStreamLayers): ErrorList {
  const errs: ErrorList = [];
  for (const [name, ref] of Object.entries(isl.images)) {
    if (ref.imageMissing) continue;
    const at = FieldPath.root('images').key(name);
    const manifests = ref.manifests ?? [];
    if (manifests.length > 0) {
      if (ref.layers?.length) errs.push(invalid(at.child('layers'), ref.layers, 'layers must be empty if manifests are present'));
      if (ref.config !== null) errs.push(invalid(at.child('config'), ref.config, 'config must be null if manifests are present'));
      manifests.forEach((m, i) => {
        if (!m) errs.push(invalid(at.child('manifests').index(i), m, 'manifest cannot be empty'));
      });
      continue;
    }
    (ref.layers ?? []).forEach((layer, i) => {
      if (!layer) errs.push(invalid(at.child('layers').index(i), layer, 'layer cannot be empty'));
    });
    if (ref.config === '') errs.push(invalid(at.child('config'), ref.config, 'config cannot be an empty string'));
  }
  return errs;
}
