// Manifests as distribution's client decodes them (distribution.UnmarshalManifest): the response's
// Content-Type picks the decoder, an unknown or empty type falls back to schema 1, and each decoder checks
// the document's own mediaType. Digests are computed over the bytes exactly as received (schema 1: over
// the JWS payload without its signatures).
import { go, unmarshalGo, GoDecodeError } from '../apis/image/v1/image/manifest-metadata.js';
import { schema1CanonicalPayload } from '../apis/image/v1/image/strategy.js';
import { digestOf } from './digest.js';
import {
  baseMediaType,
  MEDIA_TYPE_MANIFEST_LIST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST,
  MEDIA_TYPE_SCHEMA1_SIGNED,
  MEDIA_TYPE_SCHEMA2,
} from './media-types.js';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface Platform {
  architecture: string;
  os: string;
  variant: string;
}

/** A child of a manifest list / OCI index. */
export interface ManifestReference extends Descriptor {
  platform: Platform;
}

interface ManifestCommon {
  /** The media type the manifest is of (the decoder's, as distribution reports it). */
  mediaType: string;
  /** The bytes as the registry sent them. */
  payload: Buffer;
  /** The digest naming the manifest. */
  digest: string;
}

export type ParsedManifest =
  | (ManifestCommon & { kind: 'list'; children: ManifestReference[] })
  | (ManifestCommon & { kind: 'image'; config: Descriptor; layers: Descriptor[] })
  | (ManifestCommon & { kind: 'schema1' });

const DESCRIPTOR_FIELDS = { mediaType: go.string, digest: go.string, size: go.int };
const PLATFORM = go.struct('v1.Platform', { architecture: go.string, os: go.string, variant: go.string, 'os.version': go.string, 'os.features': go.strings });
const MANIFEST_LIST = go.struct('manifestlist.ManifestList', {
  schemaVersion: go.int,
  mediaType: go.string,
  manifests: go.slice(go.struct('manifestlist.ManifestDescriptor', { ...DESCRIPTOR_FIELDS, platform: PLATFORM })),
});
const IMAGE_MANIFEST = go.struct('schema2.Manifest', {
  schemaVersion: go.int,
  mediaType: go.string,
  config: go.struct('distribution.Descriptor', DESCRIPTOR_FIELDS),
  layers: go.slice(go.struct('distribution.Descriptor', DESCRIPTOR_FIELDS)),
});

interface DecodedList {
  mediaType: string;
  manifests: (Descriptor & { platform: Platform })[] | null;
}

interface DecodedImage {
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[] | null;
}

/** Decodes a manifest the way the Content-Type says; throws Errors with distribution's messages. */
export function parseManifest(body: Buffer, contentType: string | undefined): ParsedManifest {
  const mediaType = baseMediaType(contentType);
  const text = body.toString('utf8');
  switch (mediaType) {
    case MEDIA_TYPE_MANIFEST_LIST:
    case MEDIA_TYPE_OCI_INDEX: {
      const list = unmarshalGo<DecodedList>(text, MANIFEST_LIST);
      if (mediaType === MEDIA_TYPE_MANIFEST_LIST && list.mediaType !== MEDIA_TYPE_MANIFEST_LIST) {
        throw new Error(`mediaType in manifest list should be '${MEDIA_TYPE_MANIFEST_LIST}' not '${list.mediaType}'`);
      }
      if (mediaType === MEDIA_TYPE_OCI_INDEX && list.mediaType !== '' && list.mediaType !== MEDIA_TYPE_OCI_INDEX) {
        throw new Error(`if present, mediaType in image index should be '${MEDIA_TYPE_OCI_INDEX}' not '${list.mediaType}'`);
      }
      const children = (list.manifests ?? []).map((m) => ({ mediaType: m.mediaType, digest: m.digest, size: m.size, platform: { ...m.platform } }));
      return { kind: 'list', mediaType, payload: body, digest: digestOf(body), children };
    }
    case MEDIA_TYPE_SCHEMA2:
    case MEDIA_TYPE_OCI_MANIFEST: {
      const manifest = unmarshalGo<DecodedImage>(text, IMAGE_MANIFEST);
      if (mediaType === MEDIA_TYPE_SCHEMA2 && manifest.mediaType !== MEDIA_TYPE_SCHEMA2) {
        throw new Error(`mediaType in manifest should be '${MEDIA_TYPE_SCHEMA2}' not '${manifest.mediaType}'`);
      }
      if (mediaType === MEDIA_TYPE_OCI_MANIFEST && manifest.mediaType !== '' && manifest.mediaType !== MEDIA_TYPE_OCI_MANIFEST) {
        throw new Error(`if present, mediaType in manifest should be '${MEDIA_TYPE_OCI_MANIFEST}' not '${manifest.mediaType}'`);
      }
      return { kind: 'image', mediaType, payload: body, digest: digestOf(body), config: manifest.config, layers: manifest.layers ?? [] };
    }
    default:
      return parseSchema1(body);
  }
}

/** A signed schema 1 manifest; its digest covers the payload without the signatures. */
function parseSchema1(body: Buffer): ParsedManifest {
  let canonical: Buffer;
  try {
    canonical = schema1CanonicalPayload(body.toString('utf8'));
  } catch (err) {
    if (err instanceof SyntaxError) throw new GoDecodeError(err.message);
    throw err;
  }
  unmarshalGo(canonical.toString('utf8'), go.struct('schema1.Manifest', { schemaVersion: go.int, name: go.string, tag: go.string }));
  return { kind: 'schema1', mediaType: MEDIA_TYPE_SCHEMA1_SIGNED, payload: body, digest: digestOf(canonical) };
}
