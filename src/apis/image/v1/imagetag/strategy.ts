// The rules of image.openshift.io/v1 imagetags: openshift-apiserver's imagetag Strategy (`registry/imagetag/strategy.go`)
// with ValidateImageTagWithWhitelister and ValidateImageTagUpdateWithWhitelister (`apis/image/validation/validation.go`).
// Functions mutate the object they prepare, as the Strategy hooks do.
import { FieldPath, invalid, required, type ErrorList } from '../../../../machinery/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../../machinery/meta.js';
import type { Strategy } from '../../../../registry/strategy.js';
import { defaultTagReference } from '../imagestream/defaults.js';
import { splitImageStreamTag } from '../imagestream/history.js';
import type { ImportMode } from '../imagestream/types.js';
import { isRepositoryInsecure, validateTagReference } from '../imagestream/validation.js';
import { semanticallyEqual } from '../imagestreamtag/semantic-equal.js';
import { withRepositories, type RegistryWhitelist } from '../registry-whitelist.js';
import type { ImageTag } from './types.js';

const META_RULES = { namespaced: true, nameRule: 'path-segment' } as const;
const ONLY_SPEC = 'may not update fields other than spec';

/** What the view's Store-less REST needs from the generic contract: no generation, path-segment names. */
export const imageTagStrategy: Strategy<ImageTag> = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: false,
  generation: 'none',
  nameRule: 'path-segment',
};

/** The decoder's defaults for `spec` (reference policy `Source`, the server's import mode). Mutates itag. */
export function defaultImageTag(itag: ImageTag, importMode: ImportMode): void {
  if (itag.spec) itag.spec = defaultTagReference(itag.spec, importMode);
}

/** PrepareForCreate: the spec tag is named after the object; status and image are the server's. */
export function prepareImageTagForCreate(itag: ImageTag): void {
  if (itag.spec && !itag.spec.name) itag.spec.name = splitImageStreamTag(itag.metadata.name ?? '').tag;
  itag.status = null;
  itag.image = null;
}

/** PrepareForUpdate: the image stays the old one; status is not copied, so a client must send it back unchanged. */
export function prepareImageTagForUpdate(itag: ImageTag, old: ImageTag): void {
  itag.image = old.image ?? null;
  if (old.metadata.selfLink) itag.metadata.selfLink = old.metadata.selfLink;
  else delete itag.metadata.selfLink;
}

/** ValidateImageTagWithWhitelister: metadata, and a spec named after the object that is a valid tag reference. */
export function validateImageTag(itag: ImageTag, whitelist: RegistryWhitelist): ErrorList {
  const errs = validateObjectMeta(itag.metadata, META_RULES);
  if (!itag.spec) errs.push(required('spec', 'spec is a required field during creation'));
  else errs.push(...validateSpec(itag, whitelist));
  return errs;
}

/**
 * ValidateImageTagUpdateWithWhitelister: the old DockerImage source stays allowed, and metadata and status must be
 * what they were (ImageTag metadata is the stream's, which this resource cannot change).
 */
export function validateImageTagUpdate(itag: ImageTag, old: ImageTag, whitelist: RegistryWhitelist): ErrorList {
  const errs = validateObjectMetaUpdate(itag.metadata, old.metadata);
  const from = old.spec?.from;
  const allowed = from?.kind === 'DockerImage' ? withRepositories(whitelist, [from.name ?? '']) : whitelist;
  if (itag.spec) errs.push(...validateSpec(itag, allowed));
  if (!semanticallyEqual(itag.metadata, old.metadata)) errs.push(invalid('metadata', '', ONLY_SPEC));
  if (!semanticallyEqual(itag.status, old.status)) errs.push(invalid('status', '', ONLY_SPEC));
  return errs;
}

function validateSpec(itag: ImageTag, whitelist: RegistryWhitelist): ErrorList {
  const spec = itag.spec!;
  const errs: ErrorList = [];
  const split = splitImageStreamTag(itag.metadata.name ?? '');
  if (!split.ok || (spec.name ?? '') !== split.tag) errs.push(invalid('spec.name', spec.name ?? '', 'must match image tag name'));
  errs.push(...validateTagReference(spec, FieldPath.root('spec'), whitelist, isRepositoryInsecure(itag.metadata)));
  return errs;
}
