// Metadata-only views of objects and lists (meta.k8s.io PartialObjectMetadata / PartialObjectMetadataList), as
// k8s.io/apiserver pkg/endpoints/handlers/response.go builds them for metadata clients and Table rows.
import { StatusError } from './errors.js';
import type { KubeObject, ListMeta, ObjectMeta } from './object.js';

/** The meta.k8s.io versions that carry Table and PartialObjectMetadata. */
export type MetaVersion = 'v1' | 'v1beta1';

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: string;
  metadata: ObjectMeta;
}

export interface PartialObjectMetadataList {
  kind: 'PartialObjectMetadataList';
  apiVersion: string;
  metadata: ListMeta;
  items: PartialObjectMetadata[];
}

/** A list as the handlers see it: list metadata and items. */
export interface ListLike {
  kind?: string;
  apiVersion?: string;
  metadata?: ListMeta;
  items: unknown[];
}

export const isListLike = (obj: unknown): obj is ListLike =>
  !!obj && typeof obj === 'object' && Array.isArray((obj as { items?: unknown }).items);

/**
 * meta.AsPartialObjectMetadata copies ObjectMeta field by field, so the view has ObjectMeta's JSON field order;
 * a zero creationTimestamp marshals as null because Go's omitempty never drops a struct.
 */
export function partialMetadata(meta: ObjectMeta | undefined): ObjectMeta {
  const m = meta ?? {};
  const out: ObjectMeta = {};
  if (m.name) out.name = m.name;
  if (m.generateName) out.generateName = m.generateName;
  if (m.namespace) out.namespace = m.namespace;
  if (m.selfLink) out.selfLink = m.selfLink;
  if (m.uid) out.uid = m.uid;
  if (m.resourceVersion) out.resourceVersion = m.resourceVersion;
  if (m.generation) out.generation = m.generation;
  out.creationTimestamp = m.creationTimestamp ?? null;
  if (m.deletionTimestamp) out.deletionTimestamp = m.deletionTimestamp;
  if (m.deletionGracePeriodSeconds !== undefined) out.deletionGracePeriodSeconds = m.deletionGracePeriodSeconds;
  if (m.labels && Object.keys(m.labels).length) out.labels = m.labels;
  if (m.annotations && Object.keys(m.annotations).length) out.annotations = m.annotations;
  if (m.ownerReferences?.length) out.ownerReferences = m.ownerReferences;
  if (m.finalizers?.length) out.finalizers = m.finalizers;
  if (m.managedFields?.length) out.managedFields = m.managedFields;
  return out;
}

export function toPartialObjectMetadata(obj: KubeObject, version: MetaVersion): PartialObjectMetadata {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: partialMetadata(obj.metadata) };
}

/** List metadata carried over to converted lists (Table, PartialObjectMetadataList). */
export function carriedListMeta(meta: ListMeta | undefined): ListMeta {
  const out: ListMeta = {};
  if (meta?.resourceVersion) out.resourceVersion = meta.resourceVersion;
  if (meta?.continue) out.continue = meta.continue;
  if (meta?.remainingItemCount !== undefined) out.remainingItemCount = meta.remainingItemCount;
  return out;
}

/**
 * The Go type `%T` prints in the 406 messages: openshift-apiserver's internal types live in a package named after
 * the group's first label (`*image.ImageStreamList`, core kinds in `*core.SecretList`); CRDs are served as
 * unstructured objects by kube-apiserver.
 */
export function goTypeName(obj: { kind?: string; apiVersion?: string }, opts: { unstructured: boolean; list: boolean }): string {
  if (opts.unstructured) return opts.list ? '*unstructured.UnstructuredList' : '*unstructured.Unstructured';
  const apiVersion = obj.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const pkg = group ? group.split('.')[0] : 'core';
  return `*${pkg}.${obj.kind ?? ''}`;
}

const notAcceptable = (message: string) => new StatusError(406, 'NotAcceptable', message);

/** asPartialObjectMetadata: a single object only; a list is 406. */
export function asPartialObjectMetadata(obj: unknown, version: MetaVersion, unstructured: boolean): PartialObjectMetadata {
  if (isListLike(obj)) {
    throw notAcceptable(`you requested PartialObjectMetadata, but the requested object is a list (${goTypeName(obj, { unstructured, list: true })})`);
  }
  return toPartialObjectMetadata(obj as KubeObject, version);
}

/** asPartialObjectMetadataList: a list only; a single object is 406. */
export function asPartialObjectMetadataList(obj: unknown, version: MetaVersion, unstructured: boolean): PartialObjectMetadataList {
  if (!isListLike(obj)) {
    const o = (obj ?? {}) as KubeObject;
    throw notAcceptable(`you requested PartialObjectMetadataList, but the requested object is not a list (${goTypeName(o, { unstructured, list: false })})`);
  }
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: carriedListMeta(obj.metadata),
    items: obj.items.map((item) => toPartialObjectMetadata(item as KubeObject, version)),
  };
}
