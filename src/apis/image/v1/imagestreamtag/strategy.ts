// The rules of image.openshift.io/v1 imagestreamtags: openshift-apiserver's imagestreamtag Strategy
// (`registry/imagestreamtag/strategy.go`) with ValidateImageStreamTagWithWhitelister and
// ValidateImageStreamTagUpdateWithWhitelister (`apis/image/validation/validation.go`). Functions mutate the
// object they prepare, as the Strategy hooks do.
import { FieldPath, invalid, type ErrorList } from '../../../../machinery/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../../machinery/meta.js';
import type { ObjectMeta } from '../../../../machinery/object.js';
import type { Strategy } from '../../../../registry/strategy.js';
import { defaultTagReference } from '../imagestream/defaults.js';
import { splitImageStreamTag } from '../imagestream/history.js';
import type { ImportMode } from '../imagestream/types.js';
import { isRepositoryInsecure, validateTagReference } from '../imagestream/validation.js';
import { withRepositories, type RegistryWhitelist } from '../registry-whitelist.js';
import { semanticallyEqual } from './semantic-equal.js';
import type { ImageStreamTag } from './types.js';

const META_RULES = { namespaced: true, nameRule: 'path-segment' } as const;

/** What the view's Store-less REST needs from the generic contract: no generation, path-segment names. */
export const imageStreamTagStrategy: Strategy<ImageStreamTag> = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: false,
  generation: 'none',
  nameRule: 'path-segment',
};

/** The decoder's defaults for `tag` (reference policy `Source`, the server's import mode). Mutates istag. */
export function defaultImageStreamTag(istag: ImageStreamTag, importMode: ImportMode): void {
  if (istag.tag) istag.tag = defaultTagReference(istag.tag, importMode);
}

/** PrepareForCreate: the tag is named after the object; conditions and image are the server's. */
export function prepareImageStreamTagForCreate(istag: ImageStreamTag): void {
  if (istag.tag && !istag.tag.name) istag.tag.name = splitImageStreamTag(istag.metadata.name ?? '').tag;
  delete istag.conditions;
  delete istag.image;
}

/** PrepareForUpdate: tag annotations follow the object's; conditions and image stay the old ones. */
export function prepareImageStreamTagForUpdate(istag: ImageStreamTag, old: ImageStreamTag): void {
  if (istag.tag) istag.tag.annotations = istag.metadata.annotations ?? null;
  if (old.conditions) istag.conditions = old.conditions;
  else delete istag.conditions;
  istag.image = old.image;
  if (old.metadata.selfLink) istag.metadata.selfLink = old.metadata.selfLink;
  else delete istag.metadata.selfLink;
}

/** ValidateImageStreamTagWithWhitelister: metadata, the tag reference and its annotations. */
export function validateImageStreamTag(istag: ImageStreamTag, whitelist: RegistryWhitelist): ErrorList {
  return [...validateObjectMeta(istag.metadata, META_RULES), ...validateTag(istag, whitelist)];
}

/**
 * ValidateImageStreamTagUpdateWithWhitelister: the old DockerImage source stays allowed, and nothing but
 * metadata.annotations, tag, lookupPolicy and generation may change.
 */
export function validateImageStreamTagUpdate(istag: ImageStreamTag, old: ImageStreamTag, whitelist: RegistryWhitelist): ErrorList {
  const errs = validateObjectMetaUpdate(istag.metadata, old.metadata);
  const from = old.tag?.from;
  const allowed = from?.kind === 'DockerImage' ? withRepositories(whitelist, [from.name ?? '']) : whitelist;
  errs.push(...validateTag(istag, allowed));
  if (!semanticallyEqual(fixedPart(istag), fixedPart(old))) {
    errs.push(invalid('metadata', '', 'may not update fields other than metadata.annotations'));
  }
  return errs;
}

function validateTag(istag: ImageStreamTag, whitelist: RegistryWhitelist): ErrorList {
  const tag = istag.tag;
  if (!tag) return [];
  const errs = validateTagReference(tag, FieldPath.root('tag'), whitelist, isRepositoryInsecure(istag.metadata));
  if (tag.annotations != null && !semanticallyEqual(tag.annotations, istag.metadata.annotations)) {
    errs.push(invalid('tag.annotations', '<map>', 'tag annotations must not be provided or must be equal to the object meta annotations'));
  }
  return errs;
}

/** The object without what an update may change (and without type meta, which is not compared). */
function fixedPart(istag: ImageStreamTag): unknown {
  const { apiVersion: _a, kind: _k, tag: _t, lookupPolicy: _l, generation: _g, metadata, ...rest } = istag;
  const { annotations: _n, ...meta } = metadata as ObjectMeta;
  return { ...rest, metadata: meta };
}
