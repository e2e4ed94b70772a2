// Spec tags that point somewhere the server can resolve right away get their status history on write
// (openshift-apiserver registry/imagestream/strategy.go: tagsChanged, tagReferenceToTagEvent,
// updateChangedTrackingTags): `reference: true` DockerImage tags, tags of other (or this) streams, and
// images of streams by ID. Tags tracking a tag of this stream follow it.
import { isDeepStrictEqual } from 'node:util';
import { isStatusError, StatusError } from '../../../../machinery/errors.js';
import { FieldPath, invalid, notFound, type ErrorList } from '../../../../machinery/field.js';
import type { ObjectReference } from '../object-reference.js';
import { exact, tryParseImageReference } from '../reference.js';
import { addTagEventToImageStream, latestTaggedImage, resolveImageID, setSpecTag, statusTag, updateTrackingTags } from './history.js';
import { isNewOrChangedTag } from './tag-changes.js';
import type { ImageStream, TagEvent, TagReference } from './types.js';

/** Reads another stream (as the REST would answer a GET); throws the Status error of the read. */
export type ImageStreamGetter = (namespace: string, name: string) => Promise<ImageStream>;

export interface TagSourceContext {
  getStream: ImageStreamGetter;
  /** The integrated registry's hostname ('' when unknown). */
  internalRegistryHostname: string;
  /** The time new events record as `created`. */
  now: string;
}

/**
 * The stream and tag (ImageStreamTag: `<tag>` or `<stream>:<tag>`) or stream and ID (ImageStreamImage:
 * `<id>` or `<stream>@<id>`) a spec tag's `from` names; undefined for other kinds or more separators.
 */
export function parseFromReference(stream: ImageStream, from: ObjectReference): { stream: string; tagOrID: string } | undefined {
  let separator: string;
  if (from.kind === 'ImageStreamTag') separator = ':';
  else if (from.kind === 'ImageStreamImage') separator = '@';
  else return undefined;
  const parts = (from.name ?? '').split(separator);
  if (parts.length === 1) return { stream: stream.metadata.name ?? '', tagOrID: parts[0] };
  if (parts.length === 2) return { stream: parts[0], tagOrID: parts[1] };
  return undefined;
}

/**
 * Adds the status events of every new or changed spec tag that can be resolved now, then updates the tags
 * tracking a changed tag. Mutates `stream`; returns the errors upstream wraps into an InternalError cause.
 */
export async function resolveSpecTags(old: ImageStream | undefined, stream: ImageStream, ctx: TagSourceContext): Promise<ErrorList> {
  const errs: ErrorList = [];
  const namespace = stream.metadata.namespace ?? '';
  const otherStreams = new Map<string, Promise<ImageStream>>();
  const readStream = (ns: string, name: string) => {
    const key = JSON.stringify([ns, name]);
    let read = otherStreams.get(key);
    if (!read) {
      read = ctx.getStream(ns, name);
      // Failures are reported per tag below; a memoized rejection must not go unhandled meanwhile.
      read.catch(() => undefined);
      otherStreams.set(key, read);
    }
    return read;
  };

  for (const original of [...(stream.spec?.tags ?? [])]) {
    if (!isNewOrChangedTag(old, stream, original) || !original.from) continue;
    const tag = original.name ?? '';
    const tagRef: TagReference = { ...original, generation: stream.metadata.generation ?? 0 };
    const from = tagRef.from!;
    const namePath = FieldPath.root('spec').child('tags').key(tag).child('from').child('name');

    if (from.kind === 'DockerImage' && from.name) {
      if (tagRef.reference) {
        setSpecTag(stream, tagRef);
        addTagEventToImageStream(stream, tag, {
          created: ctx.now,
          dockerImageReference: from.name,
          image: '',
          generation: tagRef.generation ?? 0,
        });
      }
      continue;
    }

    const source = parseFromReference(stream, from);
    if (!source) {
      errs.push(invalid(namePath, from.name ?? '', 'must be of the form <tag>, <repo>:<tag>, <id>, or <repo>@<id>'));
      continue;
    }

    let sourceStream = stream;
    const sourceNamespace = from.namespace || namespace;
    if (sourceNamespace !== namespace || source.stream !== stream.metadata.name) {
      try {
        sourceStream = await readStream(sourceNamespace, source.stream);
      } catch (err) {
        if (isStatusError(err) && err.code === 404) errs.push(notFound(namePath, from.name ?? ''));
        else errs.push(invalid(namePath, from.name ?? '', `unable to retrieve image stream: ${errorText(err)}`));
        continue;
      }
    }

    let event: TagEvent | undefined;
    try {
      event = sourceEvent(sourceStream, from, source.tagOrID, ctx.now);
    } catch (err) {
      errs.push(invalid(namePath, from.name ?? '', `error generating tag event: ${errorText(err)}`));
      continue;
    }
    // A tag that does not exist yet is fine: tracking fills it in later.
    if (!event) continue;
    event = { ...event, generation: tagRef.generation ?? 0 };

    // Pulls of an integrated-registry image go through this stream rather than the source stream.
    if (!tagRef.reference && ctx.internalRegistryHostname) {
      const parsed = tryParseImageReference(event.dockerImageReference ?? '');
      const ref = parsed.ref;
      if (
        ref &&
        ref.registry === ctx.internalRegistryHostname &&
        ref.namespace === (sourceStream.metadata.namespace ?? '') &&
        ref.name === (sourceStream.metadata.name ?? '')
      ) {
        event.dockerImageReference = exact({ ...ref, namespace, name: stream.metadata.name ?? '' });
      }
    }

    setSpecTag(stream, tagRef);
    addTagEventToImageStream(stream, tag, event);
  }

  updateChangedTrackingTags(stream, old);
  return errs;
}

/** The event a source names: the newest of a tag (possibly none), or the one image an ID matches. */
function sourceEvent(source: ImageStream, from: ObjectReference, tagOrID: string, now: string): TagEvent | undefined {
  if (from.kind === 'ImageStreamImage') return resolveImageID(source, tagOrID, now);
  const latest = latestTaggedImage(source, tagOrID);
  return latest ? { ...latest } : undefined;
}

/**
 * Every status tag whose newest event this write changed (and did not delete) passes that event on to the
 * spec tags tracking it. Tags newly filled by tracking pass theirs on in turn.
 */
export function updateChangedTrackingTags(stream: ImageStream, old: ImageStream | undefined): number {
  let changes = 0;
  const queue = (stream.status?.tags ?? []).map((t) => t.tag ?? '');
  const seen = new Set(queue);
  for (let i = 0; i < queue.length; i++) {
    const tag = queue[i];
    const newest = statusTag(stream, tag)?.items?.[0];
    if (!newest) continue;
    if (old) {
      const previous = statusTag(old, tag)?.items?.[0];
      if (previous && isDeepStrictEqual(normalizedEvent(previous), normalizedEvent(newest))) continue;
    }
    changes += updateTrackingTags(stream, tag, newest);
    for (const list of stream.status?.tags ?? []) {
      const name = list.tag ?? '';
      if (!seen.has(name)) {
        seen.add(name);
        queue.push(name);
      }
    }
  }
  return changes;
}

const normalizedEvent = (e: TagEvent) => [e.created ?? null, e.dockerImageReference ?? '', e.image ?? '', e.generation ?? 0];

function errorText(err: unknown): string {
  if (err instanceof StatusError) return err.status.message ?? err.message;
  return err instanceof Error ? err.message : String(err);
}
