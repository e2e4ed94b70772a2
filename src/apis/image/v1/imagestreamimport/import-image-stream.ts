// ImageStreamImport from the point where the request is valid and allowed (openshift-apiserver
// registry/imagestreamimport/rest.go Create): the target stream, the cluster's registry configuration and
// the namespace's pull secrets, the import (again without credentials when they were refused), then for
// `import: true` the images and the stream written. The REST handler and the import controllers both call
// importImageStream.
import { isDeepStrictEqual } from 'node:util';
import { badRequest, conflict, internalError, isStatusError, notFound } from '../../../../machinery/errors.js';
import { timestamp } from '../../../../machinery/object.js';
import type { APIRegistry } from '../../../../registry/registry.js';
import type { RequestContext } from '../../../../registry/strategy.js';
import { keyringOf, pullSecretEntries } from '../../../../importer/credentials.js';
import { DEFAULT_IMPORT_LIMITS } from '../../../../importer/limits.js';
import { orderedObjectMeta } from '../../../../importer/object-meta-order.js';
import type { Image } from '../image/types.js';
import { defaultImageStream, defaultImportMode } from '../imagestream/defaults.js';
import { imageStreamREST, printedImageStream } from '../imagestream/rest.js';
import type { ImageStream } from '../imagestream/types.js';
import type { Secret, SecretList } from '../imagestreamsecrets/types.js';
import { applyImportResults, cachedImageCreator } from './apply-results.js';
import { requiredClusterConfig } from './cluster-config.js';
import { defaultImageStreamImportSpec } from './defaults.js';
import type { ImageImportOptions } from './options.js';
import { additionalCAs, authFileEntries, runImporter, type ImporterRun } from './run-importer.js';
import type { ImageImportStatus, ImageStreamImport } from './types.js';

/** `openshift.io/image.dockerRepositoryCheck`: when an import last changed (or created) the stream. */
export const DOCKER_IMAGE_REPOSITORY_CHECK_ANNOTATION = 'openshift.io/image.dockerRepositoryCheck';

/** ISI errors name the stream resource in the singular. */
const IMAGE_STREAM_SINGULAR = { group: 'image.openshift.io', resource: 'imagestream' };

export interface ImportImageStreamOptions {
  /** The requesting user (their identity is what stream writes verify). */
  ctx: RequestContext;
  fieldManager: string;
  options: ImageImportOptions;
  /** Layer sizes learnt from registries, kept by the caller across imports. */
  layerSizes: Map<string, number>;
  now?: () => Date;
  /**
   * The stream version and uid the request named (its metadata as sent, before the server filled a uid);
   * absent: taken from `isi.metadata`.
   */
  expected?: { resourceVersion?: string; uid?: string };
}

/**
 * Imports what `isi` (valid; defaults are applied here) asks for into the stream it names in `namespace`,
 * returning the ImageStreamImport with its status filled. The import controllers call this with an
 * ImageStreamImport built from a stream's spec tags (resourceVersion and uid of the stream they saw).
 */
export async function importImageStream(registry: APIRegistry, namespace: string, isi: ImageStreamImport, opts: ImportImageStreamOptions): Promise<ImageStreamImport> {
  if (!namespace) throw badRequest('a namespace must be specified to import images');
  const now = opts.now ?? (() => new Date());
  const name = isi.metadata.name ?? '';
  const streams = imageStreamREST(registry);
  const expected = opts.expected ?? { resourceVersion: isi.metadata.resourceVersion, uid: isi.metadata.uid };

  let stream: ImageStream;
  let create = false;
  try {
    stream = await streams.get(namespace, name);
  } catch (err) {
    if (!(isStatusError(err) && err.code === 404)) throw err;
    // A request naming a version or uid of the stream is about an existing stream.
    if (expected.resourceVersion || expected.uid) throw err;
    create = true;
    stream = { metadata: { name, namespace, generation: 0 }, spec: {}, status: { dockerImageRepository: '' } };
  }
  if (!create) {
    const requestedRV = expected.resourceVersion;
    if (requestedRV && requestedRV !== stream.metadata.resourceVersion) {
      throw conflict(IMAGE_STREAM_SINGULAR, name, `the image stream was updated from ${JSON.stringify(requestedRV)} to ${JSON.stringify(stream.metadata.resourceVersion ?? '')}`);
    }
    if (expected.uid && expected.uid !== stream.metadata.uid) throw notFound(IMAGE_STREAM_SINGULAR, name);
  }

  const config = await requiredClusterConfig(registry);
  // Idempotent for requests the REST handler defaulted; controllers may pass a bare spec.
  isi.spec = defaultImageStreamImportSpec(isi.spec, defaultImportMode(config));
  isi.status ??= {};
  const secrets = await pullSecrets(registry, namespace, name, opts.ctx);
  const limits = { ...DEFAULT_IMPORT_LIMITS, ...opts.options.limits };
  let cas: string[];
  try {
    cas = await additionalCAs(opts.options);
  } catch (err) {
    throw internalError(err);
  }
  const nodeEntries = await authFileEntries(opts.options.registryAuthFile);
  const run: Omit<ImporterRun, 'keyring'> = {
    config,
    options: opts.options,
    limits,
    additionalCAs: cas,
    deadline: AbortSignal.timeout(limits.totalTimeoutMs),
    layerSizes: opts.layerSizes,
    now,
  };

  let result = await runImporter({ ...run, keyring: keyringOf(pullSecretEntries(secrets), nodeEntries) }, isi.spec, stream);
  // Registries answer 401 to public images when a wrong secret is sent: such failures are retried
  // anonymously, and whatever still fails keeps the first attempt's status.
  const refused = result.images.some((s) => s.status.reason === 'Unauthorized' && (s.status.message ?? '').toLowerCase().includes('username or password'));
  if (refused) {
    const first = result.images;
    result = await runImporter({ ...run, keyring: keyringOf() }, isi.spec, stream);
    result.images = result.images.map((s, i) => (s.status.reason === 'Unauthorized' ? first[i] : s));
  }
  isi.status = { ...(result.repository ? { repository: result.repository } : {}), images: result.images };

  if (!isi.spec.import) {
    clearManifests(isi);
    return canonicalImageStreamImport(isi);
  }

  const nextGeneration = (stream.metadata.generation ?? 0) + 1;
  const nowText = timestamp(now());
  const hasAnnotation = Object.hasOwn(stream.metadata.annotations ?? {}, DOCKER_IMAGE_REPOSITORY_CHECK_ANNOTATION);
  const original = structuredClone(stream);
  const updated = structuredClone(stream);

  const images = registry.store('image.openshift.io', 'v1', 'images');
  if (!images) throw internalError(new Error('the images storage is not registered'));
  // Images and the stream are written as upstream's importer does, through the registry: no managedFields.
  const writeOptions = { dryRun: false, fieldManager: undefined, ctx: { ...opts.ctx, dryRun: false } };
  const createImage = cachedImageCreator(async (image: Image) => (await images.create(undefined, image, writeOptions)).object as Image);
  await applyImportResults(isi, updated, nextGeneration, nowText, createImage);
  clearManifests(isi);

  // The stream round-trips through the v1 defaults before it is compared and written.
  const importMode = defaultImportMode(config);
  defaultImageStream(updated, importMode);
  const comparable = (s: ImageStream) => {
    const copy = structuredClone(s);
    defaultImageStream(copy, importMode);
    return printedImageStream(copy);
  };
  const hasChanges = !isDeepStrictEqual(comparable(original), comparable(updated));

  let written: ImageStream;
  const annotate = () => {
    updated.metadata.annotations = { ...updated.metadata.annotations, [DOCKER_IMAGE_REPOSITORY_CHECK_ANNOTATION]: nowText };
  };
  if (create) {
    annotate();
    delete updated.metadata.generation;
    written = await streams.internalCreate(namespace, updated, writeOptions);
  } else if (hasAnnotation && !hasChanges) {
    written = original;
  } else {
    annotate();
    // The stream as read, with its resourceVersion: a concurrent change makes this a 409.
    written = await streams.internalUpdate(namespace, name, () => structuredClone(updated), writeOptions);
  }
  const { apiVersion: _a, kind: _k, ...imported } = written;
  isi.status = { import: imported as ImageStream, ...isi.status };
  return canonicalImageStreamImport(isi);
}

/** imagestreams/<name>/secrets, read with the server's own access; any failure is a 500. */
async function pullSecrets(registry: APIRegistry, namespace: string, name: string, ctx: RequestContext): Promise<Secret[]> {
  const source = registry.subresource('image.openshift.io', 'v1', 'imagestreams', 'secrets');
  if (!source?.get) return [];
  try {
    const list = (await source.get(namespace, name, ctx, {})) as SecretList;
    return list.items ?? [];
  } catch (err) {
    throw internalError(isStatusError(err) ? new Error(err.status.message) : err);
  }
}

/** clearManifests: raw manifests and configs only stay where the spec entry asked for them. */
function clearManifests(isi: ImageStreamImport): void {
  const clear = (image: Image | undefined) => {
    if (!image) return;
    delete image.dockerImageManifest;
    delete image.dockerImageConfig;
  };
  (isi.status.images ?? []).forEach((status, i) => {
    if (!isi.spec.images?.[i]?.includeManifest) clear(status.image);
  });
  if (isi.spec.repository && !isi.spec.repository.includeManifest) {
    for (const status of isi.status.repository?.images ?? []) clear(status.image);
  }
}

/** Go's field order for the ImageStreamImport and its status entries. */
export function canonicalImageStreamImport(isi: ImageStreamImport): ImageStreamImport {
  const entry = (s: ImageImportStatus): ImageImportStatus => ({
    status: s.status,
    ...(s.image ? { image: s.image } : {}),
    ...(s.tag ? { tag: s.tag } : {}),
    ...(s.manifests?.length ? { manifests: s.manifests } : {}),
  });
  const { apiVersion, kind, metadata, spec, status } = isi;
  const repository = status?.repository;
  return {
    apiVersion,
    kind,
    metadata: orderedObjectMeta(metadata),
    spec,
    status: {
      ...(status?.import ? { import: status.import } : {}),
      ...(repository
        ? {
            repository: {
              status: repository.status,
              ...(repository.images?.length ? { images: repository.images.map(entry) } : {}),
              ...(repository.additionalTags?.length ? { additionalTags: repository.additionalTags } : {}),
            },
          }
        : {}),
      ...(status?.images?.length ? { images: status.images.map(entry) } : {}),
    },
  };
}
