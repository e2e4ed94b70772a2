// The rules of image.openshift.io/v1 images: openshift-apiserver's imageStrategy
// (`pkg/image/apiserver/registry/image/strategy.go`), the manifest and config checks of
// `internalimageutil/helpers.go`, and validateImage (`pkg/image/apis/image/validation/validation.go`).
import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto';
import { badRequest } from '../../../../machinery/errors.js';
import * as field from '../../../../machinery/field.js';
import type { ErrorList } from '../../../../machinery/field.js';
import { OBJECT_META_ORDER, type ObjectMeta } from '../../../../machinery/object.js';
import type { Strategy } from '../../../../registry/strategy.js';
import { tryParseImageReference } from '../reference.js';
import { validateImageSignature, type ImageSignature, type SignatureCondition } from '../signature.js';
import {
  decodeDockerImageMetadata,
  decodeGo,
  encodeDockerImageMetadata,
  go,
  imageWithMetadata,
  manifestListEntries,
  OCI_DESCRIPTOR,
  unmarshalGo,
  type DockerImageVersion,
  type GoType,
} from './manifest-metadata.js';
import {
  IMAGE_MANIFEST_BLOB_STORED_ANNOTATION,
  MANAGED_SIGNATURE_ANNOTATION,
  MEDIA_TYPE_OCI_MANIFEST,
  MEDIA_TYPE_SCHEMA1,
  MEDIA_TYPE_SCHEMA2,
  type Image,
  type ImageLayer,
  type ImageManifest,
  type InternalImage,
} from './types.js';

// ---- wire form ↔ internal form --------------------------------------------------------------

/** The v1 → internal conversion: `dockerImageMetadata` decoded in `dockerImageMetadataVersion` (default 1.0). */
function toInternal(image: Image): InternalImage {
  const version = image.dockerImageMetadataVersion || '1.0';
  let metadata;
  try {
    metadata = decodeDockerImageMetadata(image.dockerImageMetadata, version);
  } catch (err) {
    // Upstream fails while decoding the request body, before any strategy code runs.
    throw badRequest(`Image in version "v1" cannot be handled as a Image: ${(err as Error).message}`);
  }
  return { ...structuredClone(image), dockerImageMetadataVersion: version, dockerImageMetadata: metadata };
}

/** The internal → v1 conversion: the metadata re-encoded with kind and apiVersion. */
function toWire(image: InternalImage): Image {
  const version = image.dockerImageMetadataVersion as DockerImageVersion;
  return { ...image, dockerImageMetadataVersion: version, dockerImageMetadata: encodeDockerImageMetadata(image.dockerImageMetadata, version) };
}

/** The strategy contract mutates the request object: give it the computed contents. */
function replaceContents(target: Image, source: Image): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, source);
}

/** The last steps of both PrepareForCreate and PrepareForUpdate. */
function finishPreparation(image: InternalImage): void {
  // The registry keeps manifest and config in its own storage: the API drops its copies.
  if (image.metadata.annotations?.[IMAGE_MANIFEST_BLOB_STORED_ANNOTATION] === 'true') {
    delete image.dockerImageManifest;
    delete image.dockerImageConfig;
  }
  // A bug in old updates let this annotation through although validation forbids signature annotations.
  for (const sig of image.signatures ?? []) {
    const annotations = sig.metadata?.annotations;
    if (annotations && Object.hasOwn(annotations, MANAGED_SIGNATURE_ANNOTATION)) {
      delete annotations[MANAGED_SIGNATURE_ANNOTATION];
      if (Object.keys(annotations).length === 0) delete sig.metadata!.annotations;
    }
  }
}

// Fill failures are only logged upstream (utilruntime.HandleError): the object is stored anyway.
export function prepareImageForCreate(obj: Image, now: Date): void {
  const { image } = imageWithMetadata(toInternal(obj), now);
  const children = manifestListEntries(image.dockerImageManifestMediaType, image.dockerImageManifest);
  if (children) image.dockerImageManifests = children;
  finishPreparation(image);
  replaceContents(obj, toWire(image));
}

export function prepareImageForUpdate(obj: Image, old: Image, now: Date): void {
  // The request's metadata is decoded (a bad one is a 400) even though the stored one replaces it.
  const requested = toInternal(obj);
  const stored = toInternal(old);
  const next: InternalImage = { ...requested, dockerImageMetadata: stored.dockerImageMetadata, dockerImageMetadataVersion: stored.dockerImageMetadataVersion };
  delete next.dockerImageLayers;
  if (stored.dockerImageLayers) next.dockerImageLayers = stored.dockerImageLayers;
  if (stored.dockerImageSignatures) next.dockerImageSignatures = stored.dockerImageSignatures;

  // A manifest may be corrected to one matching the digest (the name), or cleared; nothing else.
  const newManifest = next.dockerImageManifest ?? '';
  if (newManifest !== (stored.dockerImageManifest ?? '')) {
    const ok = newManifest === '' || manifestMatchesImage(stored.metadata.name ?? '', stored.dockerImageManifestMediaType ?? '', newManifest);
    if (!ok) restore(next, stored, 'dockerImageManifest');
  }
  const newConfig = next.dockerImageConfig ?? '';
  if (newConfig !== (stored.dockerImageConfig ?? '')) {
    const ok = newConfig === '' || configMatchesImage(next.dockerImageManifestMediaType ?? '', next.dockerImageManifest ?? '', newConfig);
    if (!ok) restore(next, stored, 'dockerImageConfig');
  }

  const { image } = imageWithMetadata(next, now);
  finishPreparation(image);
  replaceContents(obj, toWire(image));
}

function restore(next: InternalImage, stored: InternalImage, key: 'dockerImageManifest' | 'dockerImageConfig'): void {
  if (stored[key] === undefined) delete next[key];
  else next[key] = stored[key];
}

// ---- does a manifest / config belong to the image? ------------------------------------------

const DIGEST_HEX_LENGTH = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

/** opencontainers/go-digest Parse: a supported algorithm and lower-case hex of its length. */
function parseDigest(digest: string): { algorithm: string; hex: string } | undefined {
  const colon = digest.indexOf(':');
  if (colon <= 0) return undefined;
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTH.get(algorithm);
  if (length === undefined || hex.length !== length || !/^[a-f0-9]+$/.test(hex)) return undefined;
  return { algorithm, hex };
}

/** The digest's verifier over `data`; a digest that does not parse never verifies. */
function digestVerifies(digest: string, data: Buffer): boolean {
  const parsed = parseDigest(digest);
  return !!parsed && createHash(parsed.algorithm).update(data).digest('hex') === parsed.hex;
}

const SCHEMA2_MANIFEST = go.struct('schema2.Manifest', {
  schemaVersion: go.int,
  mediaType: go.string,
  config: OCI_DESCRIPTOR,
  layers: go.slice(OCI_DESCRIPTOR),
});

const OCI_MANIFEST = go.struct('ocischema.Manifest', {
  schemaVersion: go.int,
  mediaType: go.string,
  artifactType: go.string,
  config: OCI_DESCRIPTOR,
  layers: go.slice(OCI_DESCRIPTOR),
  subject: go.ptr(OCI_DESCRIPTOR),
  annotations: go.map(go.string),
});

const SCHEMA1_MANIFEST = go.struct('schema1.Manifest', {
  schemaVersion: go.int,
  mediaType: go.string,
  name: go.string,
  tag: go.string,
  architecture: go.string,
  fsLayers: go.slice(go.struct('schema1.FSLayer', { blobSum: go.string })),
  history: go.slice(go.struct('schema1.History', { v1Compatibility: go.string })),
});

/** distribution's DeserializedManifest for schema 2 / OCI: the payload is the document itself. */
function deserializedManifestPayload(text: string, type: GoType, mediaTypeOk: (mediaType: string) => boolean): Buffer {
  const manifest = unmarshalGo<{ mediaType: string }>(text, type);
  if (!mediaTypeOk(manifest.mediaType)) throw new Error(`unexpected manifest media type "${manifest.mediaType}"`);
  return Buffer.from(text, 'utf8');
}

/** ManifestMatchesImage: the manifest's canonical form hashes to the image name. */
export function manifestMatchesImage(name: string, storedMediaType: string, manifest: string): boolean {
  if (!parseDigest(name)) return false;
  try {
    switch (storedMediaType) {
      case MEDIA_TYPE_OCI_MANIFEST:
        return digestVerifies(name, deserializedManifestPayload(manifest, OCI_MANIFEST, (mt) => mt === '' || mt === MEDIA_TYPE_OCI_MANIFEST));
      case MEDIA_TYPE_SCHEMA2:
        return digestVerifies(name, deserializedManifestPayload(manifest, SCHEMA2_MANIFEST, (mt) => mt === MEDIA_TYPE_SCHEMA2));
      case MEDIA_TYPE_SCHEMA1:
      case '': {
        const canonical = schema1CanonicalPayload(manifest);
        decodeGo(JSON.parse(canonical.toString('utf8')), SCHEMA1_MANIFEST, { foldCase: true });
        return digestVerifies(name, canonical);
      }
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/** ImageConfigMatchesImage: the config hashes to `config.digest` of the (schema 2 / OCI) manifest. */
export function configMatchesImage(mediaType: string, manifest: string, config: string): boolean {
  try {
    let parsed: { config: { digest: string } };
    if (mediaType === MEDIA_TYPE_OCI_MANIFEST) {
      parsed = unmarshalGo(manifest, OCI_MANIFEST);
      const mt = (parsed as unknown as { mediaType: string }).mediaType;
      if (mt !== '' && mt !== MEDIA_TYPE_OCI_MANIFEST) return false;
    } else if (mediaType === MEDIA_TYPE_SCHEMA2) {
      parsed = unmarshalGo(manifest, SCHEMA2_MANIFEST);
      if ((parsed as unknown as { mediaType: string }).mediaType !== MEDIA_TYPE_SCHEMA2) return false;
    } else {
      return false;
    }
    // go-digest's Verified compares the recomputed digest string, so only a canonical digest matches.
    const digest = parsed.config.digest;
    const colon = digest.indexOf(':');
    const algorithm = digest.slice(0, colon);
    if (colon <= 0 || !DIGEST_HEX_LENGTH.has(algorithm)) return false;
    return `${algorithm}:${createHash(algorithm).update(Buffer.from(config, 'utf8')).digest('hex')}` === digest;
  } catch {
    return false;
  }
}

// ---- schema 1: the JWS payload a signed manifest's digest is computed over ------------------

/** libtrust's joseBase64UrlDecode: unpadded base64url (Go's decoder skips line breaks). */
function base64UrlDecode(text: string): Buffer {
  const s = text.replace(/[\r\n]/g, '');
  if (s.length % 4 === 1 || !/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('illegal base64 data');
  return Buffer.from(s, 'base64url');
}

const JS_PARSED_SIGNATURES = go.slice(
  go.struct('libtrust.jsParsedSignature', {
    header: go.struct('libtrust.jsParsedHeader', { jwk: go.raw, alg: go.string, x5c: go.strings }),
    signature: go.string,
    protected: go.string,
  }),
);

/**
 * libtrust ParsePrettySignature(manifest, "signatures") + Payload(): the manifest bytes up to each
 * protected header's `formatLength`, followed by its `formatTail` (the `signatures` key stripped).
 * Throws where libtrust returns an error (a manifest without signatures has an empty payload).
 */
export function schema1CanonicalPayload(manifest: string): Buffer {
  const content = Buffer.from(manifest, 'utf8');
  const top: unknown = JSON.parse(manifest);
  if (typeof top !== 'object' || Array.isArray(top)) throw new Error('error unmarshalling content');
  if (top === null || !Object.hasOwn(top, 'signatures')) throw new Error('missing signature key');
  const blocks = decodeGo<{ header: { jwk: unknown }; protected: string }[] | null>((top as Record<string, unknown>).signatures, JS_PARSED_SIGNATURES, {
    foldCase: true,
  });
  let formatLength = 0;
  let formatTail: Buffer = Buffer.alloc(0);
  for (const block of blocks ?? []) {
    const header: unknown = JSON.parse(base64UrlDecode(block.protected).toString('utf8'));
    if (header !== null && (typeof header !== 'object' || Array.isArray(header))) throw new Error('error unmarshalling protected header');
    const fields = (header ?? {}) as Record<string, unknown>;
    if (typeof fields.formatLength !== 'number') throw new Error('missing formatted length');
    if (typeof fields.formatTail !== 'string') throw new Error('missing formatted tail');
    const length = Math.trunc(fields.formatLength);
    const tail = base64UrlDecode(fields.formatTail);
    if (formatLength === 0) formatLength = length;
    else if (formatLength !== length) throw new Error('conflicting format length');
    if (formatTail.length === 0) formatTail = tail;
    else if (!formatTail.equals(tail)) throw new Error('conflicting format tail');
    if (block.header.jwk !== undefined) checkPublicKeyJwk(block.header.jwk);
  }
  if (formatLength < 0 || formatLength > content.length) throw new Error('invalid format length');
  return Buffer.concat([content.subarray(0, formatLength), formatTail]);
}

const EC_COORDINATE_BYTES = new Map([
  ['P-256', 32],
  ['P-384', 48],
  ['P-521', 66],
]);

/** libtrust UnmarshalPublicKeyJWK: an EC or RSA public key whose optional `kid` matches the key. */
function checkPublicKeyJwk(jwk: unknown): void {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw new Error('JWK Public Key type: missing kty');
  const key = jwk as Record<string, unknown>;
  const text = (name: string) => {
    if (typeof key[name] !== 'string') throw new Error(`JWK ${name}`);
    return key[name] as string;
  };
  const kty = text('kty');
  if (kty === 'EC') {
    const size = EC_COORDINATE_BYTES.get(text('crv'));
    if (size === undefined) throw new Error('JWK EC Public Key curve identifier not supported');
    if (base64UrlDecode(text('x')).length !== size || base64UrlDecode(text('y')).length !== size) throw new Error('JWK EC Public Key coordinate');
  } else if (kty === 'RSA') {
    base64UrlDecode(text('n'));
    base64UrlDecode(text('e'));
  } else {
    throw new Error('JWK Public Key type not supported');
  }
  if (Object.hasOwn(key, 'kid') && text('kid') !== libtrustKeyId(key)) throw new Error('JWK Public Key ID does not match');
}

/** libtrust's key ID: SHA-256 of the PKIX DER key, first 240 bits, base32, in groups of four. An invalid key has ''. */
function libtrustKeyId(jwk: Record<string, unknown>): string {
  let der: Buffer;
  try {
    const { kid: _kid, ...material } = jwk;
    der = createPublicKey({ key: material as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'der' });
  } catch {
    return '';
  }
  const bytes = createHash('sha256').update(der).digest().subarray(0, 30);
  return base32(bytes).match(/.{1,4}/g)!.join(':');
}

function base32(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

// ---- validation -----------------------------------------------------------------------------

const IMAGE_DIGEST = /[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}/;
const IMAGE_MEDIA_TYPE = /^ *([A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126})\/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}) *$/;

function validateImageManifests(manifests: ImageManifest[]): ErrorList {
  const errs: ErrorList = [];
  manifests.forEach((m, i) => {
    const at = (child: string) => `dockerImageManifests[${i}].${child}`;
    if (!IMAGE_DIGEST.test(m.digest ?? '')) errs.push(field.invalid(at('digest'), m.digest ?? '', 'digest does not conform with OCI image specification'));
    if (!IMAGE_MEDIA_TYPE.test(m.mediaType ?? '')) errs.push(field.invalid(at('mediaType'), m.mediaType ?? '', 'media type does not conform to RFC6838'));
    if (!m.architecture) errs.push(field.required(at('architecture'), ''));
    if (!m.os) errs.push(field.required(at('os'), ''));
    // Upstream reports the negative manifestSize at `size`.
    if ((m.manifestSize ?? 0) < 0) errs.push(field.invalid(at('size'), m.manifestSize, 'manifest size cannot be negative'));
  });
  return errs;
}

/** validateImage without its ObjectMeta part (the Store applies the generic metadata rules). */
export function validateImage(image: Image): ErrorList {
  const errs: ErrorList = [];
  const reference = image.dockerImageReference ?? '';
  if (!reference) errs.push(field.required('dockerImageReference', ''));
  else {
    const parsed = tryParseImageReference(reference);
    if (parsed.error !== undefined) errs.push(field.invalid('dockerImageReference', reference, parsed.error));
  }
  (image.signatures ?? []).forEach((sig, i) => errs.push(...validateImageSignature(sig, `signatures[${i}]`)));
  const manifests = image.dockerImageManifests ?? [];
  if (manifests.length > 0) {
    errs.push(...validateImageManifests(manifests));
    if (image.dockerImageLayers?.length) {
      errs.push(field.invalid('dockerImageLayers', image.dockerImageLayers, 'dockerImageLayers should not be set when dockerImageManifests is set'));
    }
  }
  return errs;
}

// ---- what Go's encoder would write ----------------------------------------------------------

const IMAGE_FIELD_ORDER = [
  'dockerImageReference',
  'dockerImageMetadata',
  'dockerImageMetadataVersion',
  'dockerImageManifest',
  'dockerImageLayers',
  'signatures',
  'dockerImageSignatures',
  'dockerImageManifestMediaType',
  'dockerImageConfig',
  'dockerImageManifests',
] as const;

const isEmptyValue = (v: unknown) =>
  v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v as object).length === 0);

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Go decodes []byte from base64 and encodes it back canonically (padding, no line breaks). */
function canonicalBase64(text: string): string {
  const compact = text.replace(/[\r\n]/g, '');
  return BASE64.test(compact) ? Buffer.from(compact, 'base64').toString('base64') : text;
}

/** An embedded ObjectMeta: omitempty fields dropped, creationTimestamp (a struct) written as null. */
function canonicalEmbeddedMeta(meta: ObjectMeta | undefined): ObjectMeta {
  const source = (meta ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of OBJECT_META_ORDER) {
    if (key === 'creationTimestamp') out[key] = source[key] ?? null;
    else if (!isEmptyValue(source[key])) out[key] = source[key];
  }
  return out as ObjectMeta;
}

function canonicalCondition(c: SignatureCondition): SignatureCondition {
  return {
    type: c.type ?? '',
    status: c.status ?? '',
    lastProbeTime: c.lastProbeTime ?? null,
    lastTransitionTime: c.lastTransitionTime ?? null,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
  };
}

const entity = (e: { organization?: string; commonName?: string }) => ({
  ...(e.organization ? { organization: e.organization } : {}),
  ...(e.commonName ? { commonName: e.commonName } : {}),
});

/** An embedded signature as Go writes it (nested objects carry no kind/apiVersion after conversion). */
function canonicalSignature(sig: ImageSignature): ImageSignature {
  const out: ImageSignature = {
    metadata: canonicalEmbeddedMeta(sig.metadata),
    type: sig.type ?? '',
    content: typeof sig.content === 'string' ? canonicalBase64(sig.content) : null,
  };
  if (sig.conditions?.length) out.conditions = sig.conditions.map(canonicalCondition);
  if (sig.imageIdentity) out.imageIdentity = sig.imageIdentity;
  if (!isEmptyValue(sig.signedClaims)) out.signedClaims = sig.signedClaims;
  if (sig.created) out.created = sig.created;
  if (sig.issuedBy) out.issuedBy = entity(sig.issuedBy);
  if (sig.issuedTo) out.issuedTo = { ...entity(sig.issuedTo), publicKeyID: sig.issuedTo.publicKeyID ?? '' };
  return out;
}

const canonicalLayer = (l: ImageLayer): ImageLayer => ({ name: l.name ?? '', size: l.size ?? 0, mediaType: l.mediaType ?? '' });

const canonicalManifest = (m: ImageManifest): ImageManifest => ({
  digest: m.digest ?? '',
  mediaType: m.mediaType ?? '',
  manifestSize: m.manifestSize ?? 0,
  architecture: m.architecture ?? '',
  os: m.os ?? '',
  ...(m.variant ? { variant: m.variant } : {}),
});

/** The image in Go's field order, with omitempty applied and always-written fields filled in. */
export function canonicalImage(image: Image): Image {
  const out: Image = { ...(image.apiVersion !== undefined ? { apiVersion: image.apiVersion } : {}), ...(image.kind !== undefined ? { kind: image.kind } : {}), metadata: image.metadata };
  for (const key of IMAGE_FIELD_ORDER) {
    const value = image[key];
    if (key !== 'dockerImageMetadata' && isEmptyValue(value)) continue;
    if (value === undefined) continue;
    switch (key) {
      case 'dockerImageLayers':
        out.dockerImageLayers = image.dockerImageLayers!.map(canonicalLayer);
        break;
      case 'dockerImageManifests':
        out.dockerImageManifests = image.dockerImageManifests!.map(canonicalManifest);
        break;
      case 'signatures':
        out.signatures = image.signatures!.map(canonicalSignature);
        break;
      case 'dockerImageSignatures':
        out.dockerImageSignatures = image.dockerImageSignatures!.map(canonicalBase64);
        break;
      default:
        (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

// ---- the strategy ---------------------------------------------------------------------------

export const imageStrategy: Strategy<Image> = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: false,
  // openshift-apiserver's image strategy never touches metadata.generation.
  generation: 'none',
  nameRule: 'path-segment',
  prepareForCreate: (obj) => prepareImageForCreate(obj, new Date()),
  prepareForUpdate: (obj, old) => prepareImageForUpdate(obj, old, new Date()),
  validate: (obj) => validateImage(obj),
  validateUpdate: (obj) => validateImage(obj),
  canonicalize: (obj) => replaceContents(obj, canonicalImage(obj)),
};
