// One controller import of one stream (handleImageStream): the ImageStreamImport built from the stream's spec
// tags, validated as the ImageStreamImport REST would, then importImageStream, the path every import takes.
// The controller acts as openshift-controller-manager's image-import-controller service account, which may
// create images, so the allow-list shortcut of the REST does not apply (stream validation still does).
import { invalid, isStatusError } from '../machinery/errors.js';
import type { APIRegistry } from '../registry/registry.js';
import type { RequestContext } from '../registry/strategy.js';
import { importImageStream } from '../apis/image/v1/imagestreamimport/import-image-stream.js';
import type { ImageImportOptions } from '../apis/image/v1/imagestreamimport/options.js';
import type { ImageStreamImport } from '../apis/image/v1/imagestreamimport/types.js';
import { validateImageStreamImport } from '../apis/image/v1/imagestreamimport/validation.js';
import type { ImageStream } from '../apis/image/v1/imagestream/types.js';
import { imageStreamImportFor } from './import-decisions.js';

/** The identity of the import controller's writes (bootstrap policy's InfraImageImportControllerServiceAccountName). */
export const IMPORT_CONTROLLER_CONTEXT: Readonly<RequestContext> = Object.freeze({
  user: 'system:serviceaccount:openshift-infra:image-import-controller',
  groups: Object.freeze(['system:serviceaccounts', 'system:serviceaccounts:openshift-infra', 'system:authenticated']) as string[],
  dryRun: false,
});

/** The manager of the fields its imports write (the user agent's program name upstream). */
export const IMPORT_CONTROLLER_FIELD_MANAGER = 'openshift-controller-manager';

export interface StreamImportDeps {
  registry: APIRegistry;
  options: ImageImportOptions;
  /** Layer sizes learnt from registries, kept across the controller's imports. */
  layerSizes: Map<string, number>;
  now?: () => Date;
}

/**
 * Imports what `stream` (as the controller saw it) needs; undefined when it needs nothing. Errors are
 * importImageStream's (a 404: the stream is gone or was replaced, see isNotImportable).
 */
export async function importStream(deps: StreamImportDeps, stream: ImageStream): Promise<ImageStreamImport | undefined> {
  const isi = imageStreamImportFor(stream);
  if (!isi) return undefined;
  const errs = validateImageStreamImport(isi);
  if (errs.length) throw invalid('image.openshift.io', 'ImageStreamImport', isi.metadata.name ?? '', errs);
  return importImageStream(deps.registry, stream.metadata.namespace ?? '', isi, {
    ctx: IMPORT_CONTROLLER_CONTEXT,
    fieldManager: IMPORT_CONTROLLER_FIELD_MANAGER,
    options: deps.options,
    layerSizes: deps.layerSizes,
    ...(deps.now ? { now: deps.now } : {}),
  });
}

/** The stream the import named no longer exists as seen (ErrNotImportable): nothing to retry. */
export function isNotImportable(err: unknown): boolean {
  return isStatusError(err) && err.code === 404;
}
