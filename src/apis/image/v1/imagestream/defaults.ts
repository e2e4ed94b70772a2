// The defaults openshift-apiserver applies when it decodes image objects (pkg/image/apis/image/v1/defaults.go):
// a tag's reference policy becomes `Source` and its import mode the server-wide default. That default comes
// from the cluster's config.openshift.io Image (status, then spec `imageStreamImportMode`), else `Legacy`
// (the configuration chain of openshift-apiserver's imagePolicyConfig.imageStreamImportMode).
import type { ImageConfig } from '../../../config/v1/image/types.js';
import { tryParseImageReference } from '../reference.js';
import type { ObjectReference } from '../object-reference.js';
import {
  IMPORT_MODE_LEGACY,
  SOURCE_TAG_REFERENCE_POLICY,
  type ImageStream,
  type ImportMode,
  type TagImportPolicy,
  type TagReference,
  type TagReferencePolicy,
} from './types.js';

/** The import mode an empty `importPolicy.importMode` stands for, given the cluster Image config. */
export function defaultImportMode(config: ImageConfig | undefined): ImportMode {
  const fromConfig = config?.status?.imageStreamImportMode || config?.spec?.imageStreamImportMode;
  return fromConfig === 'Legacy' || fromConfig === 'PreserveOriginal' ? fromConfig : IMPORT_MODE_LEGACY;
}

/** SetDefaults_TagImportPolicy. */
export function defaultImportPolicy(policy: TagImportPolicy | undefined, importMode: ImportMode): TagImportPolicy {
  const out = { ...policy };
  if (!out.importMode) out.importMode = importMode;
  return out;
}

/** SetDefaults_TagReferencePolicy. */
export function defaultReferencePolicy(policy: TagReferencePolicy | undefined): TagReferencePolicy {
  return { ...policy, type: policy?.type || SOURCE_TAG_REFERENCE_POLICY };
}

/** A tag reference with both policies defaulted (spec tags, ImageStreamTag.tag, ImageTag.spec). */
export function defaultTagReference(ref: TagReference, importMode: ImportMode): TagReference {
  return { ...ref, importPolicy: defaultImportPolicy(ref.importPolicy, importMode), referencePolicy: defaultReferencePolicy(ref.referencePolicy) };
}

/** Defaults every spec tag of a stream in place. */
export function defaultImageStream(stream: ImageStream, importMode: ImportMode): void {
  if (stream.spec?.tags) stream.spec.tags = stream.spec.tags.map((t) => defaultTagReference(t, importMode));
}

/**
 * SetDefaults_ImageImportSpec: an image import without `to` whose `from.name` carries a tag imports into
 * that tag. A reference without a tag (or with only a digest) keeps `to` unset.
 */
export function defaultImportTarget(from: ObjectReference | undefined, to: { name?: string } | null | undefined): { name?: string } | undefined {
  if (to) return to;
  const parsed = tryParseImageReference(from?.name ?? '');
  return parsed.ref?.tag ? { name: parsed.ref.tag } : undefined;
}
