// An ImageStream exactly as openshift-apiserver prints it: the tag lists come from maps (one entry per
// name, the last given winning, sorted), fields without omitempty always appear (`null` for nil maps,
// slices and pointers), empty omitempty fields disappear, and keys follow the Go struct order.
import { isDeepStrictEqual } from 'node:util';
import type { ObjectReference } from '../object-reference.js';
import { exact, tryParseImageReference } from '../reference.js';
import { keyedList } from './history.js';
import type {
  ImageStream,
  ImageStreamSpec,
  ImageStreamStatus,
  NamedTagEventList,
  TagEvent,
  TagEventCondition,
  TagImportPolicy,
  TagReference,
} from './types.js';

/** The stream in its printed form (a new object; metadata is shared). */
export function canonicalImageStream(stream: ImageStream): ImageStream {
  const { apiVersion, kind, metadata, spec, status, ...rest } = stream;
  return {
    ...(apiVersion !== undefined ? { apiVersion } : {}),
    ...(kind !== undefined ? { kind } : {}),
    metadata,
    spec: canonicalSpec(spec),
    status: canonicalStatus(status),
    ...rest,
  };
}

export function canonicalSpec(spec: ImageStreamSpec | undefined): ImageStreamSpec {
  const tags = keyedList(spec?.tags ?? [], (t) => t.name ?? '').map(canonicalTagReference);
  return {
    lookupPolicy: { local: spec?.lookupPolicy?.local ?? false },
    ...(spec?.dockerImageRepository ? { dockerImageRepository: spec.dockerImageRepository } : {}),
    ...(tags.length ? { tags } : {}),
  };
}

export function canonicalStatus(status: ImageStreamStatus | undefined): ImageStreamStatus {
  const tags = keyedList(status?.tags ?? [], (t) => t.tag ?? '').map(canonicalTagEventList);
  return {
    dockerImageRepository: status?.dockerImageRepository ?? '',
    ...(status?.publicDockerImageRepository ? { publicDockerImageRepository: status.publicDockerImageRepository } : {}),
    ...(tags.length ? { tags } : {}),
  };
}

export function canonicalTagReference(ref: TagReference): TagReference {
  return {
    name: ref.name ?? '',
    annotations: ref.annotations ?? null,
    ...(ref.from ? { from: canonicalObjectReference(ref.from) } : {}),
    ...(ref.reference ? { reference: true } : {}),
    generation: ref.generation ?? null,
    importPolicy: canonicalImportPolicy(ref.importPolicy),
    referencePolicy: { type: ref.referencePolicy?.type ?? '' },
  };
}

function canonicalImportPolicy(policy: TagImportPolicy | undefined): TagImportPolicy {
  return {
    ...(policy?.insecure ? { insecure: true } : {}),
    ...(policy?.scheduled ? { scheduled: true } : {}),
    ...(policy?.importMode ? { importMode: policy.importMode } : {}),
  };
}

/** core/v1 ObjectReference: every field is omitempty. */
export function canonicalObjectReference(ref: ObjectReference): ObjectReference {
  const out: ObjectReference = {};
  for (const key of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const) {
    if (ref[key]) out[key] = ref[key];
  }
  return out;
}

function canonicalTagEventList(list: NamedTagEventList): NamedTagEventList {
  return {
    tag: list.tag ?? '',
    items: list.items ? list.items.map(canonicalTagEvent) : null,
    ...(list.conditions?.length ? { conditions: list.conditions.map(canonicalCondition) } : {}),
  };
}

export function canonicalTagEvent(event: TagEvent): TagEvent {
  return {
    created: event.created ?? null,
    dockerImageReference: event.dockerImageReference ?? '',
    image: event.image ?? '',
    generation: event.generation ?? 0,
  };
}

function canonicalCondition(c: TagEventCondition): TagEventCondition {
  return {
    type: c.type ?? '',
    status: c.status ?? '',
    lastTransitionTime: c.lastTransitionTime ?? null,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
    generation: c.generation ?? 0,
  };
}

/**
 * Whether two specs are equal as Go's semantic DeepEqual sees the server's internal form: tags are a map,
 * a nil map or slice equals an empty one, absent strings and booleans are their zero values, while nil and
 * zero pointers (a tag's `generation` and `from`) differ.
 */
export function specsSemanticallyEqual(a: ImageStreamSpec | undefined, b: ImageStreamSpec | undefined): boolean {
  return isDeepStrictEqual(comparableSpec(a), comparableSpec(b));
}

function comparableSpec(spec: ImageStreamSpec | undefined) {
  return {
    local: spec?.lookupPolicy?.local ?? false,
    dockerImageRepository: spec?.dockerImageRepository ?? '',
    tags: keyedList(spec?.tags ?? [], (t) => t.name ?? '').map(comparableTagReference),
  };
}

/** A spec tag in a form where equal Go values compare equal. */
export function comparableTagReference(ref: TagReference) {
  const annotations = ref.annotations ?? {};
  return {
    name: ref.name ?? '',
    annotations: Object.keys(annotations).length ? annotations : null,
    from: ref.from ? comparableObjectReference(ref.from) : null,
    reference: ref.reference ?? false,
    generation: ref.generation ?? null,
    importPolicy: {
      insecure: ref.importPolicy?.insecure ?? false,
      scheduled: ref.importPolicy?.scheduled ?? false,
      importMode: ref.importPolicy?.importMode ?? '',
    },
    referencePolicy: ref.referencePolicy?.type ?? '',
  };
}

function comparableObjectReference(ref: ObjectReference) {
  return {
    kind: ref.kind ?? '',
    namespace: ref.namespace ?? '',
    name: ref.name ?? '',
    uid: ref.uid ?? '',
    apiVersion: ref.apiVersion ?? '',
    resourceVersion: ref.resourceVersion ?? '',
    fieldPath: ref.fieldPath ?? '',
  };
}

/**
 * A repository pull spec without tag or ID: the v1 conversion rewrites `dockerImageRepository` this way on
 * output, as releases before 1.0.7 could store one with a tag. Unparseable values are left alone.
 */
export function withoutTagOrID(repository: string): string {
  if (!repository) return repository;
  const parsed = tryParseImageReference(repository);
  if (!parsed.ref || (!parsed.ref.tag && !parsed.ref.id)) return repository;
  return exact({ ...parsed.ref, tag: '', id: '' });
}
