// Which spec tags a write changes, and the generation bookkeeping around them (openshift-apiserver
// registry/imagestream/strategy.go: tagRefChanged, updateSpecTagGenerationsForUpdate,
// ensureSpecTagGenerationsAreSet, updateObservedGenerationForStatusUpdate).
import type { ObjectReference } from '../object-reference.js';
import { specTag, statusTag } from './history.js';
import type { ImageStream, TagEvent, TagReference } from './types.js';

/**
 * Whether a spec tag changed between two versions: its source (namespace defaulting to the stream's,
 * name), `reference`, import mode, or a generation reset to 0. A change of `from.kind` alone does not
 * count, and a tag without a usable `from` never changed.
 */
export function tagRefChanged(old: TagReference, next: TagReference, streamNamespace: string): boolean {
  if (!next.from) return false;
  if (!next.from.kind && !next.from.name) return false;
  const oldFrom: ObjectReference = old.from ?? {};
  if ((oldFrom.namespace || streamNamespace) !== (next.from.namespace || streamNamespace)) return true;
  if ((oldFrom.name ?? '') !== (next.from.name ?? '')) return true;
  if (!!old.reference !== !!next.reference) return true;
  if ((old.importPolicy?.importMode ?? '') !== (next.importPolicy?.importMode ?? '')) return true;
  return tagRefGenerationChanged(old, next);
}

/** True only when both generations are set, differ, and the new one is 0 (a re-import request). */
function tagRefGenerationChanged(old: TagReference, next: TagReference): boolean {
  if (old.generation === null || old.generation === undefined || next.generation === null || next.generation === undefined) return false;
  return old.generation !== next.generation && next.generation === 0;
}

/** The spec tags of `stream` that are new or changed relative to `old` (all of them on create). */
export function isNewOrChangedTag(old: ImageStream | undefined, stream: ImageStream, ref: TagReference): boolean {
  const oldRef = old ? specTag(old, ref.name ?? '') : undefined;
  return !oldRef || tagRefChanged(oldRef, ref, stream.metadata.namespace ?? '');
}

/** Users may only set a spec tag's generation to 0; any other value becomes the stored one. */
export function updateSpecTagGenerationsForUpdate(stream: ImageStream, old: ImageStream): void {
  mapSpecTags(stream, (ref) => {
    if (ref.generation === 0) return ref;
    const oldRef = specTag(old, ref.name ?? '');
    return oldRef ? { ...ref, generation: oldRef.generation ?? null } : ref;
  });
}

/** New and changed tags, and tags whose generation is unset or 0, take the stream's generation. */
export function ensureSpecTagGenerationsAreSet(stream: ImageStream, old: ImageStream | undefined): void {
  const generation = stream.metadata.generation ?? 0;
  mapSpecTags(stream, (ref) => {
    let current = ref.generation;
    if (isNewOrChangedTag(old, stream, ref)) current = null;
    if (current !== null && current !== undefined && current !== 0) return ref;
    return { ...ref, generation };
  });
}

/** Whether a status update changed a tag's newest event (tagEventChanged). */
export function tagEventChanged(old: TagEvent, next: TagEvent): boolean {
  return (
    (old.image ?? '') !== (next.image ?? '') ||
    (old.dockerImageReference ?? '') !== (next.dockerImageReference ?? '') ||
    (old.generation ?? 0) > (next.generation ?? 0)
  );
}

/**
 * A `/status` write may leave the newest event's generation at 0: it becomes the stream's generation when
 * the tag is new or its newest event did not change, else the spec tag's generation (or the stream's).
 */
export function updateObservedGenerationForStatusUpdate(stream: ImageStream, old: ImageStream): void {
  const streamGeneration = stream.metadata.generation ?? 0;
  for (const list of stream.status?.tags ?? []) {
    const newest = list.items?.[0];
    if (!newest || (newest.generation ?? 0) !== 0) continue;
    const older = statusTag(old, list.tag ?? '')?.items?.[0];
    let generation = streamGeneration;
    if (older && tagEventChanged(older, newest)) {
      const spec = specTag(stream, list.tag ?? '');
      if (spec && spec.generation !== null && spec.generation !== undefined) generation = spec.generation;
    }
    list.items![0] = { ...newest, generation };
  }
}

function mapSpecTags(stream: ImageStream, fn: (ref: TagReference) => TagReference): void {
  if (stream.spec?.tags) stream.spec.tags = stream.spec.tags.map(fn);
}
