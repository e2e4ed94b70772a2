// What the import controllers decide from a stream alone (openshift-controller-manager
// pkg/image/controller: imagestream_controller.go and scheduled_image_controller.go). Everything they need to
// know is in the stream: spec tag generations against the generations its status observed, so a restarted
// server picks up exactly where it stopped.
import { DOCKER_IMAGE_REPOSITORY_CHECK_ANNOTATION } from '../apis/image/v1/imagestreamimport/import-image-stream.js';
import type { ImageImportSpec, ImageStreamImport } from '../apis/image/v1/imagestreamimport/types.js';
import { statusTag } from '../apis/image/v1/imagestream/history.js';
import { INSECURE_REPOSITORY_ANNOTATION, type ImageStream, type TagReference } from '../apis/image/v1/imagestream/types.js';
import { tryParseImageReference } from '../apis/image/v1/reference.js';

/** A spec tag the importer fetches: it follows a registry image and is not a mere reference. */
export function tagImportable(ref: TagReference): boolean {
  return ref.from?.kind === 'DockerImage' && !ref.reference;
}

/**
 * The generation of tag `tag` the status has seen: its newest event's, or the first ImportSuccess
 * condition's when that is newer (a failed import counts as observed); 0 without a status tag.
 */
export function latestObservedTagGeneration(stream: ImageStream, tag: string): number {
  const list = statusTag(stream, tag);
  if (!list) return 0;
  let last = Math.max(0, list.items?.[0]?.generation ?? 0);
  const condition = list.conditions?.find((c) => c.type === 'ImportSuccess');
  if (condition && (condition.generation ?? 0) > last) last = condition.generation ?? 0;
  return last;
}

/** The tag's generation is newer than the observed one; a tag without generation counts as `whenNoGeneration`. */
export function tagNeedsImport(stream: ImageStream, ref: TagReference, whenNoGeneration: boolean): boolean {
  if (!tagImportable(ref)) return false;
  if (ref.generation === null || ref.generation === undefined) return whenNoGeneration;
  return ref.generation > latestObservedTagGeneration(stream, ref.name ?? '');
}

/**
 * Whether the stream needs an import, and whether a partial one (its spec tags) does: a stream never checked
 * (no `openshift.io/image.dockerRepositoryCheck`) with `spec.dockerImageRepository` gets a full import, one
 * with importable tags a partial one; otherwise tags newer than their status do.
 */
export function needsImport(stream: ImageStream): { needed: boolean; partial: boolean } {
  const tags = stream.spec?.tags ?? [];
  if (!stream.metadata.annotations?.[DOCKER_IMAGE_REPOSITORY_CHECK_ANNOTATION]) {
    if (stream.spec?.dockerImageRepository) return { needed: true, partial: false };
    if (tags.some(tagImportable)) return { needed: true, partial: true };
  }
  if (tags.some((ref) => tagNeedsImport(stream, ref, false))) return { needed: true, partial: true };
  return { needed: false, partial: false };
}

/**
 * The ImageStreamImport the controller sends for `stream`, or undefined when nothing needs importing. It
 * names the stream's resourceVersion and uid, so an import of a stream that changed meanwhile is refused.
 */
export function imageStreamImportFor(stream: ImageStream): ImageStreamImport | undefined {
  const { needed, partial } = needsImport(stream);
  if (!needed) return undefined;
  const images: ImageImportSpec[] = [];
  for (const ref of stream.spec?.tags ?? []) {
    if (!tagImportable(ref) || !(tagNeedsImport(stream, ref, true) || !partial)) continue;
    images.push({
      from: { kind: 'DockerImage', name: ref.from?.name ?? '' },
      to: { name: ref.name ?? '' },
      importPolicy: { ...ref.importPolicy },
      referencePolicy: { ...ref.referencePolicy },
    });
  }
  const repository = partial ? '' : (stream.spec?.dockerImageRepository ?? '');
  if (!repository && !images.length) return undefined;
  const { name, namespace, resourceVersion, uid } = stream.metadata;
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStreamImport',
    metadata: { name, namespace, resourceVersion, uid },
    spec: {
      import: true,
      ...(images.length ? { images } : {}),
      ...(repository
        ? {
            repository: {
              from: { kind: 'DockerImage', name: repository },
              importPolicy: stream.metadata.annotations?.[INSECURE_REPOSITORY_ANNOTATION] === 'true' ? { insecure: true } : {},
            },
          }
        : {}),
    },
    status: {},
  };
}

/**
 * A tag the scheduled import re-imports: importable and `importPolicy.scheduled`. A tag pinned to a digest
 * only until an import of its current generation succeeded (a digest never changes; a failed one is tried
 * again), and a tag whose source does not parse not at all, as openshift-controller-manager's scheduling
 * tests expect.
 */
export function scheduledForImport(stream: ImageStream, ref: TagReference): boolean {
  if (!tagImportable(ref) || !ref.importPolicy?.scheduled) return false;
  const name = ref.from?.name ?? '';
  const parsed = tryParseImageReference(name);
  if (!parsed.ref) return !name;
  if (!parsed.ref.id) return true;
  const latest = statusTag(stream, ref.name ?? '')?.items?.[0];
  if (!latest) return true;
  return ref.generation !== null && ref.generation !== undefined && (latest.generation ?? 0) < ref.generation;
}

/** Whether the scheduled import controller keeps the stream on its schedule. */
export function needsScheduling(stream: ImageStream): boolean {
  return (stream.spec?.tags ?? []).some((ref) => scheduledForImport(stream, ref));
}

/**
 * A copy of `stream` whose scheduled tags claim a generation newer than the stream's, so that they "need
 * import" and go into the controller's ImageStreamImport (resetScheduledTags). The stored stream is untouched.
 */
export function withScheduledTagsReset(stream: ImageStream): ImageStream {
  const copy = structuredClone(stream);
  const next = (stream.metadata.generation ?? 0) + 1;
  copy.spec = { ...copy.spec, tags: (copy.spec?.tags ?? []).map((ref) => (scheduledForImport(stream, ref) ? { ...ref, generation: next } : ref)) };
  if (!stream.spec?.tags) delete copy.spec.tags;
  return copy;
}
