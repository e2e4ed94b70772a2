// The defaults openshift-apiserver applies when it decodes an ImageStreamImport (SetDefaults_TagImportPolicy,
// SetDefaults_TagReferencePolicy, SetDefaults_ImageImportSpec), and the canonical wire form of its spec.
import { defaultImportPolicy, defaultImportTarget, defaultReferencePolicy } from '../imagestream/defaults.js';
import type { ImportMode } from '../imagestream/types.js';
import { canonicalObjectReference } from '../imagestream/wire.js';
import type { ImageImportSpec, ImageStreamImport, RepositoryImportSpec } from './types.js';

/** The spec with every default applied (a new object). */
export function defaultImageStreamImportSpec(spec: ImageStreamImport['spec'] | undefined, importMode: ImportMode): ImageStreamImport['spec'] {
  const out: ImageStreamImport['spec'] = { import: spec?.import ?? false };
  if (spec?.repository) out.repository = defaultRepositorySpec(spec.repository, importMode);
  if (spec?.images?.length) out.images = spec.images.map((image) => defaultImageSpec(image, importMode));
  return out;
}

function defaultRepositorySpec(spec: RepositoryImportSpec, importMode: ImportMode): RepositoryImportSpec {
  return {
    from: canonicalObjectReference(spec.from ?? {}),
    importPolicy: printedImportPolicy(defaultImportPolicy(spec.importPolicy, importMode)),
    referencePolicy: defaultReferencePolicy(spec.referencePolicy),
    ...(spec.includeManifest ? { includeManifest: true } : {}),
  };
}

function defaultImageSpec(spec: ImageImportSpec, importMode: ImportMode): ImageImportSpec {
  const to = defaultImportTarget(spec.from, spec.to);
  return {
    from: canonicalObjectReference(spec.from ?? {}),
    ...(to ? { to: to.name ? { name: to.name } : {} } : {}),
    importPolicy: printedImportPolicy(defaultImportPolicy(spec.importPolicy, importMode)),
    referencePolicy: defaultReferencePolicy(spec.referencePolicy),
    ...(spec.includeManifest ? { includeManifest: true } : {}),
  };
}

/** TagImportPolicy fields are omitempty. */
function printedImportPolicy(policy: ImageImportSpec['importPolicy']): NonNullable<ImageImportSpec['importPolicy']> {
  return {
    ...(policy?.insecure ? { insecure: true } : {}),
    ...(policy?.scheduled ? { scheduled: true } : {}),
    ...(policy?.importMode ? { importMode: policy.importMode } : {}),
  };
}
