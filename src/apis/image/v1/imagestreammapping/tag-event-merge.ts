// One try of an ImageStreamMapping's status write (openshift-apiserver's imagestreammapping Create loop): the new
// event goes onto the stream as it is now, unless another writer changed the mapped tag since the stream the
// previous try worked from.
import { addTagEventToImageStream, latestTaggedImage, updateTrackingTags } from '../imagestream/history.js';
import type { ImageStream, TagEvent } from '../imagestream/types.js';

export type MergeOutcome =
  /** `stream` is `current` with the event recorded (and copied to the tags tracking the mapped tag). */
  | { kind: 'write'; stream: ImageStream }
  /** The tag already shows this image at this reference and generation: nothing to write. */
  | { kind: 'unchanged' }
  /** The mapped tag moved on since `base`: the write's Conflict goes back to the client. */
  | { kind: 'conflict' };

/**
 * `base` is the stream the previous try read (the first try: the one the mapping was checked against); `current`
 * is the stream now. When they differ only elsewhere, or `base` had no event for the tag, the event applies to
 * `current`; generation and creation time of the tag's newest event are not compared. The event's generation
 * is the stream's.
 */
export function mergeMappedEvent(base: ImageStream, current: ImageStream, tag: string, event: TagEvent): MergeOutcome {
  if ((base.metadata.resourceVersion ?? '') !== (current.metadata.resourceVersion ?? '')) {
    const before = latestTaggedImage(base, tag);
    if (before) {
      const now = latestTaggedImage(current, tag);
      if (!now || (now.dockerImageReference ?? '') !== (before.dockerImageReference ?? '') || (now.image ?? '') !== (before.image ?? '')) {
        return { kind: 'conflict' };
      }
    }
  }
  const stream = structuredClone(current);
  const next: TagEvent = { ...event, generation: stream.metadata.generation ?? 0 };
  if (!addTagEventToImageStream(stream, tag, next)) return { kind: 'unchanged' };
  updateTrackingTags(stream, tag, next);
  return { kind: 'write', stream };
}
