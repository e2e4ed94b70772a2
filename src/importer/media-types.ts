// The manifest media types the importer asks registries for, in the order of its Accept headers
// (what distribution's client sends for the manifest types registered in openshift-apiserver).
import {
  MEDIA_TYPE_MANIFEST_LIST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST,
  MEDIA_TYPE_SCHEMA1_SIGNED,
  MEDIA_TYPE_SCHEMA2,
} from '../apis/image/v1/image/types.js';

export { MEDIA_TYPE_MANIFEST_LIST, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_SCHEMA1_SIGNED, MEDIA_TYPE_SCHEMA2 };

/** One Accept header per supported manifest type; `application/json` lets old registries answer schema 1. */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPE_SCHEMA2,
  MEDIA_TYPE_MANIFEST_LIST,
  MEDIA_TYPE_OCI_MANIFEST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_SCHEMA1_SIGNED,
  'application/json',
] as const;

/** mime.ParseMediaType's media type: lower-cased, parameters dropped ('' for an empty header). */
export function baseMediaType(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0].trim().toLowerCase();
}
