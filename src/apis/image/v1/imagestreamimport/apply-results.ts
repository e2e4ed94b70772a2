// What `import: true` does to the target stream (openshift-apiserver registry/imagestreamimport/rest.go:
// checkImportFailure, importSuccessful, ensureSpecTag): failed tags get an ImportSuccess=False condition,
// imported tags a spec tag following the source and a new tag event; each Image is created once.
import { isStatusError } from '../../../../machinery/errors.js';
import type { Image } from '../image/types.js';
import { addTagEventToImageStream, setSpecTag, setStatusTag, setTagConditions, specTag, statusTag } from '../imagestream/history.js';
import type { ImageStream, TagEventCondition, TagImportPolicy, TagReferencePolicy } from '../imagestream/types.js';
import { exact, mostSpecific, tryParseImageReference } from '../reference.js';
import type { ImageImportStatus, ImageStreamImport } from './types.js';

/** Creates an Image (or finds it already there) and returns what the status should show for it. */
export type ImageCreator = (image: Image) => Promise<Image>;

/** PrepareImageForCreate of the ImageStreamImport strategy: signatures, manifest and config are not stored. */
export function prepareImportedImage(image: Image): void {
  delete image.signatures;
  delete image.dockerImageManifest;
  delete image.dockerImageConfig;
}

/** Creates images at most once per name within one import (cachedImageCreater). */
export function cachedImageCreator(create: (image: Image) => Promise<Image>): ImageCreator {
  const cache = new Map<string, Image>();
  return async (image) => {
    prepareImportedImage(image);
    const name = image.metadata.name ?? '';
    const cached = cache.get(name);
    if (cached) return cached;
    let result: Image;
    try {
      result = await create(image);
    } catch (err) {
      if (!(isStatusError(err) && err.reason === 'AlreadyExists')) throw err;
      result = image;
    }
    cache.set(name, result);
    return result;
  };
}

/**
 * Applies the import results to `stream` (mutated) and replaces the status images by the created ones:
 * repository tags first, then spec images, as upstream walks them.
 */
export async function applyImportResults(isi: ImageStreamImport, stream: ImageStream, nextGeneration: number, now: string, createImage: ImageCreator): Promise<void> {
  const repository = isi.spec.repository;
  if (repository && isi.status.repository) {
    const images = isi.status.repository.images ?? [];
    for (const status of images) {
      if (recordFailure(status, stream, status.tag ?? '', nextGeneration, now)) continue;
      const image = status.image!;
      const ref = tryParseImageReference(image.dockerImageReference ?? '').ref;
      const from = tryParseImageReference(repository.from.name ?? '').ref;
      if (!ref || !from) continue;
      const tag = status.tag || ref.tag;
      const source = exact({ ...from, id: '', tag });
      await recordSuccess(status, stream, tag, source, nextGeneration, now, repository.importPolicy ?? {}, repository.referencePolicy ?? {}, createImage);
    }
  }
  const specs = isi.spec.images ?? [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    if (!spec.to) continue;
    const tag = spec.to.name ?? '';
    const status = isi.status.images![i];
    if (recordFailure(status, stream, tag, nextGeneration, now)) {
      ensureSpecTag(stream, tag, spec.from.name ?? '', spec.importPolicy ?? {}, spec.referencePolicy ?? {}, false);
      continue;
    }
    await recordSuccess(status, stream, tag, spec.from.name ?? '', nextGeneration, now, spec.importPolicy ?? {}, spec.referencePolicy ?? {}, createImage);
  }
}

/** The ImportSuccess=False condition of a failed import. */
export function importFailedCondition(reason: string, message: string, generation: number, now: string): TagEventCondition {
  return { type: 'ImportSuccess', status: 'False', lastTransitionTime: now, reason, message: message || 'unknown error prevented import', generation };
}

/** checkImportFailure: true (and a condition recorded unless an equal one is there) when the entry failed. */
function recordFailure(status: ImageImportStatus, stream: ImageStream, tagName: string, nextGeneration: number, now: string): boolean {
  if (status.image && status.status.status === 'Success') return false;
  const condition = importFailedCondition(status.status.reason ?? '', status.status.message ?? '', nextGeneration, now);
  let tag = tagName;
  if (!tag) {
    if (status.tag) tag = status.tag;
    else if (status.image) tag = tryParseImageReference(status.image.dockerImageReference ?? '').ref?.tag ?? '';
  }
  const same = (statusTag(stream, tag)?.conditions ?? []).some(
    (c) => c.type === condition.type && c.status === condition.status && (c.reason ?? '') === (condition.reason ?? '') && (c.message ?? '') === condition.message,
  );
  if (!same) {
    setTagConditions(stream, tag, [condition]);
    const ref = specTag(stream, tag);
    if (ref) setSpecTag(stream, { ...ref, generation: 0 });
  }
  return true;
}

/** ensureSpecTag: the spec tag follows `from`; an existing tag is kept unless `reset`. */
function ensureSpecTag(stream: ImageStream, tag: string, from: string, importPolicy: TagImportPolicy, referencePolicy: TagReferencePolicy, reset: boolean): void {
  const existing = specTag(stream, tag);
  if (existing && !reset) return;
  const next = {
    ...(existing ?? { name: tag, annotations: null }),
    name: tag,
    from: { kind: 'DockerImage', name: from },
    generation: 0,
    importPolicy: { ...importPolicy },
    // Importing an image does not change a reference policy the tag already has.
    referencePolicy: existing?.referencePolicy?.type ? existing.referencePolicy : { ...referencePolicy },
  };
  setSpecTag(stream, next);
}

/** importSuccessful: the tag follows the imported image; its image (and sub-manifests) are created. */
async function recordSuccess(
  status: ImageImportStatus,
  stream: ImageStream,
  tag: string,
  from: string,
  nextGeneration: number,
  now: string,
  importPolicy: TagImportPolicy,
  referencePolicy: TagReferencePolicy,
  createImage: ImageCreator,
): Promise<void> {
  const image = status.image!;
  prepareImportedImage(image);
  const parsed = tryParseImageReference(image.dockerImageReference ?? '').ref;
  const pullSpec = parsed ? exact(mostSpecific({ ...parsed, id: image.metadata.name || parsed.id })) : (image.dockerImageReference ?? '');
  const event = { created: now, dockerImageReference: pullSpec, image: image.metadata.name ?? '', generation: nextGeneration };

  const latest = statusTag(stream, tag)?.items?.[0];
  const differentEvent = !latest || latest.dockerImageReference !== event.dockerImageReference || latest.image !== event.image;
  const ref = specTag(stream, tag);
  const differentGeneration =
    !ref || ref.generation === null || ref.generation === undefined || !latest || (ref.generation ?? 0) > (latest.generation ?? 0);
  if (differentEvent || differentGeneration || !ref) {
    ensureSpecTag(stream, tag, from, importPolicy, referencePolicy, true);
    addTagEventToImageStream(stream, tag, event);
  }
  // The import policy is always the request's.
  setSpecTag(stream, { ...specTag(stream, tag)!, importPolicy: { ...importPolicy } });
  const list = statusTag(stream, tag);
  if (list?.conditions) setStatusTag(stream, { tag: list.tag, items: list.items ?? null });

  if (status.manifests?.length) {
    const created: Image[] = [];
    for (const manifest of status.manifests) created.push(withoutTypeMeta(await createImage(manifest)));
    status.manifests = created;
  }
  status.image = withoutTypeMeta(await createImage(image));
}

/** Images nested in a status carry no kind or apiVersion. */
function withoutTypeMeta(image: Image): Image {
  const { apiVersion: _a, kind: _k, ...rest } = image;
  return rest as Image;
}
