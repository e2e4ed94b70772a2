// Tags and their history on an ImageStream in its wire form, where `spec.tags` and `status.tags` are lists
// keyed by `name` / `tag` (maps inside openshift-apiserver). The rules are openshift-apiserver's
// `internalimageutil/helpers.go` and library-go's `image/imageutil`. Functions that change a stream mutate
// the stream they are given (as upstream's do) and keep both lists sorted by name.
import { conflict, notFound, type GroupResource } from '../../../../machinery/errors.js';
import { exact, isDigest, tryParseImageReference } from '../reference.js';
import {
  DEFAULT_IMAGE_TAG,
  LOCAL_TAG_REFERENCE_POLICY,
  type ImageStream,
  type NamedTagEventList,
  type TagEvent,
  type TagEventCondition,
  type TagReference,
} from './types.js';

/** The resource named by ImageStreamImage lookups in error messages. */
const IMAGE_STREAM_IMAGE: GroupResource = { group: 'image.openshift.io', resource: 'imagestreamimage' };

/** Go's string order (bytes of UTF-8), which is how the server sorts tag names on output. */
export function compareTagNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// ---- lookups and edits of the two keyed lists ---------------------------------------------------------

/** The spec tag `tag` (with duplicates on input, the last one counts, as when decoding into a map). */
export function specTag(stream: ImageStream, tag: string): TagReference | undefined {
  return lastWhere(stream.spec?.tags, (t) => (t.name ?? '') === tag);
}

/** The status history of `tag`. */
export function statusTag(stream: ImageStream, tag: string): NamedTagEventList | undefined {
  return lastWhere(stream.status?.tags, (t) => (t.tag ?? '') === tag);
}

/** Adds or replaces the spec tag named `tagRef.name`. */
export function setSpecTag(stream: ImageStream, tagRef: TagReference): void {
  stream.spec ??= {};
  stream.spec.tags = insertSorted(stream.spec.tags ?? [], tagRef, (t) => t.name ?? '');
}

/** Adds or replaces the status history of `list.tag`. */
export function setStatusTag(stream: ImageStream, list: NamedTagEventList): void {
  stream.status ??= { dockerImageRepository: '' };
  stream.status.tags = insertSorted(stream.status.tags ?? [], list, (t) => t.tag ?? '');
}

/** Removes tag `tag` from spec and status (what deleting an ImageStreamTag does). True when anything went. */
export function removeTag(stream: ImageStream, tag: string): boolean {
  let removed = false;
  if (stream.spec?.tags) {
    const kept = stream.spec.tags.filter((t) => (t.name ?? '') !== tag);
    removed ||= kept.length !== stream.spec.tags.length;
    if (kept.length) stream.spec.tags = kept;
    else delete stream.spec.tags;
  }
  if (stream.status?.tags) {
    const kept = stream.status.tags.filter((t) => (t.tag ?? '') !== tag);
    removed ||= kept.length !== stream.status.tags.length;
    if (kept.length) stream.status.tags = kept;
    else delete stream.status.tags;
  }
  return removed;
}

/** Both lists as the server prints its maps: one entry per name (the last one given), sorted by name. */
export function sortTags(stream: ImageStream): void {
  if (stream.spec?.tags) stream.spec.tags = keyedList(stream.spec.tags, (t) => t.name ?? '');
  if (stream.status?.tags) stream.status.tags = keyedList(stream.status.tags, (t) => t.tag ?? '');
}

/** Drops status tags with neither history nor conditions (collapseEmptyStatusTags). */
export function collapseEmptyStatusTags(stream: ImageStream): void {
  if (!stream.status?.tags) return;
  const kept = stream.status.tags.filter((t) => (t.items?.length ?? 0) > 0 || (t.conditions?.length ?? 0) > 0);
  if (kept.length) stream.status.tags = kept;
  else delete stream.status.tags;
}

/** A list with one entry per key, the last given winning, sorted by key. */
export function keyedList<T>(items: T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return [...byKey.entries()].sort(([a], [b]) => compareTagNames(a, b)).map(([, item]) => item);
}

function lastWhere<T>(items: T[] | null | undefined, pred: (item: T) => boolean): T | undefined {
  for (let i = (items?.length ?? 0) - 1; i >= 0; i--) if (pred(items![i])) return items![i];
  return undefined;
}

function insertSorted<T>(items: T[], item: T, key: (item: T) => string): T[] {
  const name = key(item);
  const rest = items.filter((i) => key(i) !== name);
  const at = rest.findIndex((i) => compareTagNames(key(i), name) > 0);
  if (at < 0) return [...rest, item];
  return [...rest.slice(0, at), item, ...rest.slice(at)];
}

// ---- history ------------------------------------------------------------------------------------------

/** The newest event of `tag` ('' means `latest`), or undefined when the tag has no history. */
export function latestTaggedImage(stream: ImageStream, tag: string): TagEvent | undefined {
  const items = statusTag(stream, tag || DEFAULT_IMAGE_TAG)?.items;
  return items && items.length > 0 ? items[0] : undefined;
}

/**
 * Records `next` as the current image of `tag`, collapsing it into the newest event when it names the
 * same reference or the same image. Any change clears the tag's conditions. Returns whether anything
 * changed (AddTagEventToImageStream).
 */
export function addTagEventToImageStream(stream: ImageStream, tag: string, next: TagEvent): boolean {
  const list = statusTag(stream, tag);
  if (!list || !list.items || list.items.length === 0) {
    setStatusTag(stream, { tag, items: [{ ...next }] });
    return true;
  }
  const previous = list.items[0];
  const sameRef = (previous.dockerImageReference ?? '') === (next.dockerImageReference ?? '');
  const sameImage = (previous.image ?? '') === (next.image ?? '');
  const sameGeneration = (previous.generation ?? 0) === (next.generation ?? 0);
  if (sameRef && sameImage && sameGeneration) return false;

  let items: TagEvent[];
  const generation = next.generation ?? 0;
  const older = list.items.slice(1);
  if (sameRef && sameImage) items = [{ ...previous, generation }, ...older];
  else if (sameRef) items = [{ ...previous, image: next.image ?? '', generation }, ...older];
  else if (sameImage) items = [{ ...previous, dockerImageReference: next.dockerImageReference ?? '', generation }, ...older];
  else items = [{ ...next }, ...list.items];
  const { conditions: _dropped, ...rest } = list;
  setStatusTag(stream, { ...rest, items });
  return true;
}

/** Replaces the conditions of `tag`, keeping its history (SetTagConditions). */
export function setTagConditions(stream: ImageStream, tag: string, conditions: TagEventCondition[]): void {
  const list = statusTag(stream, tag) ?? { tag, items: null };
  setStatusTag(stream, { ...list, conditions });
}

/** Whether `tag` has a condition of the same type, status and reason (HasTagCondition). */
export function hasTagCondition(stream: ImageStream, tag: string, condition: TagEventCondition): boolean {
  return (statusTag(stream, tag)?.conditions ?? []).some(
    (c) => c.type === condition.type && c.status === condition.status && (c.reason ?? '') === (condition.reason ?? ''),
  );
}

// ---- pull specs (reference policy) -------------------------------------------------------------------

/**
 * The pull spec consumers get for `event` of `tag`: the event's own reference, unless the spec tag asks for
 * `Local` and the stream has an integrated-registry location and the event an image ID, in which case it is
 * `<status.dockerImageRepository>@<image>` (ResolveReferenceForTagEvent).
 */
export function resolveReferenceForTagEvent(stream: ImageStream, tag: string, event: TagEvent): string {
  const original = event.dockerImageReference ?? '';
  const ref = specTag(stream, tag);
  if (!ref || ref.referencePolicy?.type !== LOCAL_TAG_REFERENCE_POLICY) return original;
  const local = stream.status?.dockerImageRepository ?? '';
  if (!local || !event.image) return original;
  const parsed = tryParseImageReference(local);
  if (!parsed.ref) return original;
  return exact({ ...parsed.ref, tag: '', id: event.image });
}

/** As resolveReferenceForTagEvent; undefined when there is no event (resolveTagReference). */
export function resolveTagReference(stream: ImageStream, tag: string, event: TagEvent | undefined): string | undefined {
  return event ? resolveReferenceForTagEvent(stream, tag, event) : undefined;
}

/** The pull spec of the current image of `tag` ('' means `latest`), or undefined (ResolveLatestTaggedImage). */
export function resolveLatestTaggedImage(stream: ImageStream, tag: string): string | undefined {
  const name = tag || DEFAULT_IMAGE_TAG;
  return resolveTagReference(stream, name, latestTaggedImage(stream, name));
}

// ---- ImageStreamImage ids -----------------------------------------------------------------------------

/** Whether image name `image` is named by `id`: a prefix of the digest's hex, or of the whole name. */
export function digestOrImageMatch(image: string, id: string): boolean {
  if (isDigest(image)) {
    const hex = image.slice(image.indexOf(':') + 1);
    if (hex.startsWith(id)) return true;
  }
  return image.startsWith(id);
}

/**
 * The event for the one image of the stream that `id` names (ResolveImageID): a fresh event (created now)
 * with that image's reference. Throws the NotFound / Conflict Status upstream produces.
 */
export function resolveImageID(stream: ImageStream, id: string, now: string): TagEvent {
  let found: TagEvent | undefined;
  const images = new Set<string>();
  for (const list of stream.status?.tags ?? []) {
    for (const item of list.items ?? []) {
      if (!digestOrImageMatch(item.image ?? '', id)) continue;
      found = item;
      images.add(item.image ?? '');
    }
  }
  if (images.size === 0 || !found) throw notFound(IMAGE_STREAM_IMAGE, id);
  if (images.size > 1) {
    const names = [...images].sort(compareTagNames).join(', ');
    throw conflict(IMAGE_STREAM_IMAGE, id, `multiple images match the prefix ${JSON.stringify(id)}: ${names}`);
  }
  return { created: now, dockerImageReference: found.dockerImageReference ?? '', image: found.image ?? '', generation: 0 };
}

// ---- tracking tags ------------------------------------------------------------------------------------

/**
 * Copies `event`, the new current image of `updatedTag`, to every spec tag that follows it: `from` of kind
 * ImageStreamTag in this namespace naming `<updatedTag>` or `<this stream>:<updatedTag>` (UpdateTrackingTags).
 * Returns how many tags changed.
 */
export function updateTrackingTags(stream: ImageStream, updatedTag: string, event: TagEvent): number {
  let updated = 0;
  for (const ref of stream.spec?.tags ?? []) {
    const from = ref.from;
    if (!from || from.kind !== 'ImageStreamTag') continue;
    const namespace = from.namespace || stream.metadata.namespace || '';
    if (namespace !== (stream.metadata.namespace ?? '')) continue;
    const fromName = from.name ?? '';
    let streamName: string;
    let tag: string;
    if (fromName.includes(':')) {
      ({ name: streamName, tag } = splitImageStreamTag(fromName));
    } else {
      // A bare tag means this stream (kept for old clients, although `:<tag>` would be clearer).
      streamName = stream.metadata.name ?? '';
      tag = fromName;
    }
    if (streamName !== (stream.metadata.name ?? '') || tag !== updatedTag) continue;
    if (addTagEventToImageStream(stream, ref.name ?? '', event)) updated++;
  }
  return updated;
}

// ---- names ----------------------------------------------------------------------------------------------

/** library-go SplitImageStreamTag: split at the first `:`; a missing or empty tag is `latest`. */
export function splitImageStreamTag(nameAndTag: string): { name: string; tag: string; ok: boolean } {
  const colon = nameAndTag.indexOf(':');
  const name = colon < 0 ? nameAndTag : nameAndTag.slice(0, colon);
  const tag = colon < 0 ? '' : nameAndTag.slice(colon + 1);
  return { name, tag: tag || DEFAULT_IMAGE_TAG, ok: colon >= 0 };
}

/**
 * An ImageStreamTag name `<stream>:<tag>`: exactly one `:`, both parts non-empty, no `@`
 * (ParseImageStreamTagName). Undefined when the name is not of that form.
 */
export function parseStreamTagName(name: string): { stream: string; tag: string } | undefined {
  if (name.includes('@')) return undefined;
  const parts = name.split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { stream: parts[0], tag: parts[1] };
}

/** `<stream>:<tag>`, with `latest` for an empty tag (JoinImageStreamTag). */
export function joinStreamTag(stream: string, tag: string): string {
  return `${stream}:${tag || DEFAULT_IMAGE_TAG}`;
}

/** `<stream>@<id>` (JoinImageStreamImage). */
export function joinStreamImage(stream: string, id: string): string {
  return `${stream}@${id}`;
}
