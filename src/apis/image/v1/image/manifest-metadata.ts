// Image metadata from manifests and configs: openshift-apiserver's InternalImageWithMetadata
// (`pkg/image/apiserver/internalimageutil/helpers.go`), the manifest-list children PrepareForCreate
// records, and the DockerImage codec behind `dockerImageMetadata` (`pkg/image/apis/image/v1/conversion.go`).
//
// Upstream reads manifests and configs with Go's encoding/json into typed structs, so the same
// documents succeed or fail here: keys match case-insensitively, unknown keys are ignored, null
// leaves the zero value and a wrong JSON type is an error. `decodeGo` reproduces exactly that.
import type { DockerConfig, DockerImage, ImageLayer, ImageManifest, InternalImage } from './types.js';
import {
  IMAGE_LAYERS_ORDER_ANNOTATION,
  IMAGE_LAYERS_ORDER_ASCENDING,
  IMAGE_LAYERS_ORDER_DESCENDING,
  MEDIA_TYPE_MANIFEST_LIST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST,
  MEDIA_TYPE_SCHEMA1,
  MEDIA_TYPE_SCHEMA1_LAYER,
  MEDIA_TYPE_SCHEMA1_SIGNED,
  MEDIA_TYPE_SCHEMA2,
} from './types.js';
import { timestamp } from '../../../../machinery/object.js';

// ---- Go's encoding/json, for the struct shapes used here -------------------------------------

/** A Go type as encoding/json sees it. Struct field keys are the JSON names. */
export type GoType =
  | { kind: 'string' }
  | { kind: 'int' }
  | { kind: 'bool' }
  /** time.Time / metav1.Time: an RFC 3339 string; decoded to second precision UTC, null for the zero time. */
  | { kind: 'time' }
  /** []byte: standard base64 text. */
  | { kind: 'bytes' }
  /** json.RawMessage: any JSON value, kept as is (null included). */
  | { kind: 'raw' }
  | { kind: 'slice'; elem: GoType }
  | { kind: 'map'; elem: GoType }
  | { kind: 'struct'; name: string; fields: Record<string, GoType> }
  | { kind: 'ptr'; elem: GoType };

const STRING: GoType = { kind: 'string' };
const INT: GoType = { kind: 'int' };
const BOOL: GoType = { kind: 'bool' };
const TIME: GoType = { kind: 'time' };
const STRINGS: GoType = { kind: 'slice', elem: STRING };
const struct = (name: string, fields: Record<string, GoType>): GoType => ({ kind: 'struct', name, fields });
const ptr = (elem: GoType): GoType => ({ kind: 'ptr', elem });
const slice = (elem: GoType): GoType => ({ kind: 'slice', elem });
const map = (elem: GoType): GoType => ({ kind: 'map', elem });
const BYTES: GoType = { kind: 'bytes' };

/** Building blocks for GoType values. */
export const go = { string: STRING, int: INT, bool: BOOL, time: TIME, bytes: BYTES, raw: { kind: 'raw' } as GoType, strings: STRINGS, struct, ptr, slice, map };

/** A decode failure, worded as Go's encoding/json words it. */
export class GoDecodeError extends Error {}

/** Go's name for a type, as printed in UnmarshalTypeError. */
function goTypeName(t: GoType): string {
  switch (t.kind) {
    case 'string':
      return 'string';
    case 'int':
      return 'int64';
    case 'bool':
      return 'bool';
    case 'time':
      return 'v1.Time';
    case 'bytes':
      return '[]uint8';
    case 'raw':
      return 'json.RawMessage';
    case 'slice':
      return `[]${goTypeName(t.elem)}`;
    case 'map':
      return `map[string]${goTypeName(t.elem)}`;
    case 'struct':
      return t.name;
    case 'ptr':
      return `*${goTypeName(t.elem)}`;
  }
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'number') return 'number';
  return typeof v === 'boolean' ? 'bool' : 'string';
}

interface DecodeContext {
  /** encoding/json folds key case; the apimachinery serializer (sigs.k8s.io/json) does not. */
  foldCase: boolean;
  /** Innermost struct type name and JSON path, for error messages. */
  struct: string;
  path: string[];
}

function typeError(value: unknown, t: GoType, ctx: DecodeContext, literal?: string): GoDecodeError {
  const what = literal === undefined ? jsonKind(value) : `number ${literal}`;
  // Go names the innermost struct without its package, but a top-level type with it.
  const bareStruct = ctx.struct.slice(ctx.struct.lastIndexOf('.') + 1);
  const where = ctx.path.length ? `Go struct field ${bareStruct}.${ctx.path.join('.')}` : `Go value of type ${ctx.struct}`;
  return new GoDecodeError(`json: cannot unmarshal ${what} into ${where} of type ${goTypeName(t)}`);
}

/** The zero value of a type, in the representation `decodeGo` returns. */
function zero(t: GoType): unknown {
  switch (t.kind) {
    case 'string':
    case 'bytes':
      return '';
    case 'int':
      return 0;
    case 'bool':
      return false;
    case 'struct':
      return Object.fromEntries(Object.entries(t.fields).map(([k, f]) => [k, zero(f)]));
    case 'raw':
      // A missing json.RawMessage is nil; a JSON null is kept as the text `null`.
      return undefined;
    default:
      return null;
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeValue(value: unknown, t: GoType, ctx: DecodeContext): unknown {
  if (value === null) return t.kind === 'raw' ? null : zero(t);
  switch (t.kind) {
    case 'raw':
      return value;
    case 'string':
      if (typeof value !== 'string') throw typeError(value, t, ctx);
      return value;
    case 'bytes':
      if (typeof value !== 'string') throw typeError(value, t, ctx);
      // Go's decoder skips line breaks inside base64 text.
      if (!BASE64.test(value.replace(/[\r\n]/g, ''))) throw new GoDecodeError(`illegal base64 data at input byte 0`);
      return value;
    case 'int':
      if (typeof value !== 'number') throw typeError(value, t, ctx);
      if (!Number.isInteger(value) || Math.abs(value) > 2 ** 63) throw typeError(value, t, ctx, String(value));
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw typeError(value, t, ctx);
      return value;
    case 'time':
      if (typeof value !== 'string') throw new GoDecodeError(`json: cannot unmarshal ${jsonKind(value)} into Go value of type string`);
      return parseTime(value);
    case 'ptr':
      return decodeValue(value, t.elem, ctx);
    case 'slice':
      if (!Array.isArray(value)) throw typeError(value, t, ctx);
      return value.map((item) => decodeValue(item, t.elem, ctx));
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(value, t, ctx);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        Object.defineProperty(out, k, { value: decodeValue(v, t.elem, { ...ctx, path: [...ctx.path, k] }), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(value, t, ctx);
      const out = zero(t) as Record<string, unknown>;
      const folded = new Map(Object.keys(t.fields).map((k) => [k.toLowerCase(), k]));
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const field = Object.hasOwn(t.fields, key) ? key : ctx.foldCase ? folded.get(key.toLowerCase()) : undefined;
        if (field === undefined) continue;
        out[field] = decodeValue(v, t.fields[field], { foldCase: ctx.foldCase, struct: t.name, path: [...ctx.path, field] });
      }
      return out;
    }
  }
}

/** Decodes parsed JSON into a Go type; throws GoDecodeError where encoding/json returns an error. */
export function decodeGo<T = Record<string, unknown>>(value: unknown, t: GoType, opts: { foldCase: boolean }): T {
  return decodeValue(value, t, { foldCase: opts.foldCase, struct: goTypeName(t), path: [] }) as T;
}

/** JSON text → Go type; syntax errors are GoDecodeErrors too. */
export function unmarshalGo<T = Record<string, unknown>>(text: string, t: GoType): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new GoDecodeError((err as Error).message);
  }
  return decodeGo<T>(parsed, t, { foldCase: true });
}

// ---- RFC 3339 as time.Parse(time.RFC3339) reads it and metav1.Time writes it -------------------

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Go's zero time, 0001-01-01T00:00:00Z, in Unix seconds. */
const ZERO_TIME_UNIX = -62135596800;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * Parses an RFC 3339 time as Go does and returns it as metav1.Time serializes it: UTC, whole
 * seconds, or null for Go's zero time. Throws GoDecodeError for text Go rejects.
 */
export function parseTime(text: string): string | null {
  const m = RFC3339.exec(text);
  const fail = (why: string) => new GoDecodeError(`parsing time ${JSON.stringify(text)}: ${why}`);
  if (!m) throw fail('cannot parse as RFC 3339');
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12) throw fail('month out of range');
  const monthDays = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day < 1 || day > monthDays) throw fail('day out of range');
  if (hour > 23) throw fail('hour out of range');
  if (minute > 59) throw fail('minute out of range');
  if (second > 59) throw fail('second out of range');
  let offset = 0;
  if (m[8]) {
    const [oh, om] = [Number(m[9]), Number(m[10])];
    if (oh > 23 || om > 59) throw fail('time zone offset hour out of range');
    offset = (m[8] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second - offset, 0);
  const hasFraction = m[7] !== undefined && /[1-9]/.test(m[7]);
  if (date.getTime() / 1000 === ZERO_TIME_UNIX && !hasFraction) return null;
  return timestamp(date);
}

// ---- The shapes upstream decodes ----------------------------------------------------------

const EMPTY_STRUCT = struct('struct {}', {});

/** docker10.DockerConfig (dockerpre012 has the same keys). */
const DOCKER_CONFIG = struct('DockerConfig', {
  Hostname: STRING,
  Domainname: STRING,
  User: STRING,
  Memory: INT,
  MemorySwap: INT,
  CpuShares: INT,
  Cpuset: STRING,
  AttachStdin: BOOL,
  AttachStdout: BOOL,
  AttachStderr: BOOL,
  PortSpecs: STRINGS,
  ExposedPorts: map(EMPTY_STRUCT),
  Tty: BOOL,
  OpenStdin: BOOL,
  StdinOnce: BOOL,
  Env: STRINGS,
  Cmd: STRINGS,
  Dns: STRINGS,
  Image: STRING,
  Volumes: map(EMPTY_STRUCT),
  VolumesFrom: STRING,
  WorkingDir: STRING,
  Entrypoint: STRINGS,
  NetworkDisabled: BOOL,
  SecurityOpts: STRINGS,
  OnBuild: STRINGS,
  Labels: map(STRING),
});

/** The image fields shared by a schema-1 `v1Compatibility` entry and a schema-2 config blob. */
const V1_IMAGE_FIELDS = {
  id: STRING,
  parent: STRING,
  comment: STRING,
  created: TIME,
  container: STRING,
  container_config: DOCKER_CONFIG,
  docker_version: STRING,
  author: STRING,
  config: ptr(DOCKER_CONFIG),
  architecture: STRING,
  size: INT,
};

const DOCKER_V1_COMPATIBILITY_IMAGE = struct('docker10.DockerV1CompatibilityImage', V1_IMAGE_FIELDS);
const DOCKER_V1_COMPATIBILITY_IMAGE_SIZE = struct('docker10.DockerV1CompatibilityImageSize', { size: INT });

const DOCKER_IMAGE_CONFIG = struct('docker10.DockerImageConfig', {
  ...V1_IMAGE_FIELDS,
  rootfs: ptr(struct('DockerConfigRootFS', { type: STRING, diff_ids: STRINGS })),
  history: slice(
    struct('DockerConfigHistory', { created: TIME, author: STRING, created_by: STRING, comment: STRING, empty_layer: BOOL }),
  ),
  os: STRING,
  'os.version': STRING,
  'os.features': STRINGS,
});

const SIMPLE_DESCRIPTOR = struct('Descriptor', { mediaType: STRING, size: INT, digest: STRING });

const DOCKER_IMAGE_MANIFEST = struct('docker10.DockerImageManifest', {
  schemaVersion: INT,
  mediaType: STRING,
  name: STRING,
  tag: STRING,
  architecture: STRING,
  fsLayers: slice(struct('DockerFSLayer', { blobSum: STRING })),
  history: slice(struct('DockerHistory', { v1Compatibility: STRING })),
  layers: slice(SIMPLE_DESCRIPTOR),
  config: SIMPLE_DESCRIPTOR,
});

const PLATFORM_FIELDS = {
  architecture: STRING,
  os: STRING,
  'os.version': STRING,
  'os.features': STRINGS,
  variant: STRING,
};

/** OCI image-spec v1.Descriptor, as distribution v3 embeds it in manifests. */
export const OCI_DESCRIPTOR = struct('v1.Descriptor', {
  mediaType: STRING,
  digest: STRING,
  size: INT,
  urls: STRINGS,
  annotations: map(STRING),
  data: BYTES,
  platform: ptr(struct('v1.Platform', PLATFORM_FIELDS)),
  artifactType: STRING,
});

/** distribution v3 manifestlist.ManifestList. */
const MANIFEST_LIST = struct('manifestlist.ManifestList', {
  schemaVersion: INT,
  mediaType: STRING,
  manifests: slice(
    struct('manifestlist.ManifestDescriptor', {
      mediaType: STRING,
      digest: STRING,
      size: INT,
      urls: STRINGS,
      annotations: map(STRING),
      data: BYTES,
      artifactType: STRING,
      // ManifestDescriptor's own `platform` shadows the embedded descriptor's.
      platform: struct('manifestlist.PlatformSpec', { ...PLATFORM_FIELDS, features: STRINGS }),
    }),
  ),
});

// ---- dockerImageMetadata: the DockerImage codec ----------------------------------------------

export const DOCKER_IMAGE_GROUP = 'image.openshift.io';
export const DOCKER_IMAGE_KIND = 'DockerImage';
/** The metadata versions openshift-apiserver registers; `1.0` is the default. */
export const DOCKER_IMAGE_VERSIONS = ['1.0', 'pre012'] as const;
export type DockerImageVersion = (typeof DOCKER_IMAGE_VERSIONS)[number];

/** docker10.DockerImage wire keys → the internal (docker10) names, per version. */
const WIRE_KEYS: Record<DockerImageVersion, Record<keyof DockerImage, string>> = {
  '1.0': {
    Id: 'Id',
    Parent: 'Parent',
    Comment: 'Comment',
    Created: 'Created',
    Container: 'Container',
    ContainerConfig: 'ContainerConfig',
    DockerVersion: 'DockerVersion',
    Author: 'Author',
    Config: 'Config',
    Architecture: 'Architecture',
    Size: 'Size',
  },
  pre012: {
    Id: 'id',
    Parent: 'parent',
    Comment: 'comment',
    Created: 'created',
    Container: 'container',
    ContainerConfig: 'container_config',
    DockerVersion: 'docker_version',
    Author: 'author',
    Config: 'config',
    Architecture: 'architecture',
    Size: 'size',
  },
};

function wireType(version: DockerImageVersion): GoType {
  const keys = WIRE_KEYS[version];
  const types: Record<keyof DockerImage, GoType> = {
    Id: STRING,
    Parent: STRING,
    Comment: STRING,
    Created: TIME,
    Container: STRING,
    ContainerConfig: DOCKER_CONFIG,
    DockerVersion: STRING,
    Author: STRING,
    Config: ptr(DOCKER_CONFIG),
    Architecture: STRING,
    Size: INT,
  };
  const fields: Record<string, GoType> = { kind: STRING, apiVersion: STRING };
  for (const name of Object.keys(keys) as (keyof DockerImage)[]) fields[keys[name]] = types[name];
  return struct(version === '1.0' ? 'docker10.DockerImage' : 'dockerpre012.DockerImage', fields);
}

export const isDockerImageVersion = (v: string): v is DockerImageVersion => (DOCKER_IMAGE_VERSIONS as readonly string[]).includes(v);

/** The metadata of an image without any: what Go's zero DockerImage holds. */
export const emptyDockerImage = (): DockerImage => ({ Id: '', Created: null, ContainerConfig: {} });

/** scheme.New's error for a DockerImage version (or kind) openshift-apiserver does not register. */
const notRegistered = (kind: string, gv: string) =>
  new GoDecodeError(
    `no kind "${kind}" is registered for version "${gv}" in scheme "github.com/openshift/openshift-apiserver/pkg/image/apis/image/v1/conversion.go:22"`,
  );

/**
 * Decodes `dockerImageMetadata` (the RawExtension) as the v1 → internal conversion does: the embedded
 * object's own apiVersion/kind win over `version`; keys are matched case-sensitively.
 */
export function decodeDockerImageMetadata(raw: unknown, version: string): DockerImage {
  // Upstream fails later for an unknown version without metadata (encoding the object); here both fail.
  if (!isDockerImageVersion(version)) throw notRegistered(DOCKER_IMAGE_KIND, `${DOCKER_IMAGE_GROUP}/${version}`);
  if (raw === undefined || raw === null) return emptyDockerImage();
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new GoDecodeError(
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(raw)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  const typeMeta = raw as { apiVersion?: unknown; kind?: unknown };
  const apiVersion = typeof typeMeta.apiVersion === 'string' && typeMeta.apiVersion ? typeMeta.apiVersion : `${DOCKER_IMAGE_GROUP}/${version}`;
  const kind = typeof typeMeta.kind === 'string' && typeMeta.kind ? typeMeta.kind : DOCKER_IMAGE_KIND;
  const dataVersion = apiVersion.startsWith(`${DOCKER_IMAGE_GROUP}/`) ? apiVersion.slice(DOCKER_IMAGE_GROUP.length + 1) : '';
  if (kind !== DOCKER_IMAGE_KIND || !isDockerImageVersion(dataVersion)) throw notRegistered(kind, apiVersion);
  const decoded = decodeGo(raw, wireType(dataVersion), { foldCase: false });
  const keys = WIRE_KEYS[dataVersion];
  const field = (name: keyof DockerImage) => decoded[keys[name]];
  return compactDockerImage({
    Id: field('Id') as string,
    Parent: field('Parent') as string,
    Comment: field('Comment') as string,
    Created: field('Created') as string | null,
    Container: field('Container') as string,
    ContainerConfig: field('ContainerConfig') as DockerConfig,
    DockerVersion: field('DockerVersion') as string,
    Author: field('Author') as string,
    Config: (field('Config') ?? undefined) as DockerConfig | undefined,
    Architecture: field('Architecture') as string,
    Size: field('Size') as number,
  });
}

/** The wire form of the metadata in `version`: kind and apiVersion first, then Go's field order. */
export function encodeDockerImageMetadata(meta: DockerImage, version: DockerImageVersion): Record<string, unknown> {
  const keys = WIRE_KEYS[version];
  const out: Record<string, unknown> = { kind: DOCKER_IMAGE_KIND, apiVersion: `${DOCKER_IMAGE_GROUP}/${version}` };
  const compact = compactDockerImage(meta);
  for (const name of Object.keys(keys) as (keyof DockerImage)[]) {
    if (compact[name] !== undefined) out[keys[name]] = compact[name];
  }
  return out;
}

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v as object).length === 0);

/** Go's omitempty over a DockerConfig; the empty-struct values of port and volume sets print as `{}`. */
function compactDockerConfig(config: Record<string, unknown>): DockerConfig {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys((DOCKER_CONFIG as { fields: object }).fields)) {
    const v = config[name];
    if (isEmpty(v)) continue;
    out[name] = name === 'ExposedPorts' || name === 'Volumes' ? Object.fromEntries(Object.keys(v as object).map((k) => [k, {}])) : v;
  }
  return out as DockerConfig;
}

/** Go's omitempty over a DockerImage: Id, Created and ContainerConfig always stay. */
function compactDockerImage(meta: DockerImage): DockerImage {
  const out: DockerImage = { Id: meta.Id ?? '', Created: meta.Created ?? null, ContainerConfig: compactDockerConfig((meta.ContainerConfig ?? {}) as Record<string, unknown>) };
  for (const name of ['Parent', 'Comment', 'Container', 'DockerVersion', 'Author', 'Architecture', 'Size'] as const) {
    if (!isEmpty(meta[name])) (out as unknown as Record<string, unknown>)[name] = meta[name];
  }
  if (meta.Config) out.Config = compactDockerConfig(meta.Config as Record<string, unknown>);
  return out;
}

/** Convert_DockerImageConfig_to_image_DockerImage / Convert_DockerV1CompatibilityImage_to_image_DockerImage. */
function dockerImageFromV1(v1: Record<string, unknown>): DockerImage {
  return compactDockerImage({
    Id: v1.id as string,
    Parent: v1.parent as string,
    Comment: v1.comment as string,
    Created: v1.created as string | null,
    Container: v1.container as string,
    ContainerConfig: v1.container_config as DockerConfig,
    DockerVersion: v1.docker_version as string,
    Author: v1.author as string,
    Config: (v1.config ?? undefined) as DockerConfig | undefined,
    Architecture: v1.architecture as string,
    Size: v1.size as number,
  });
}

// ---- InternalImageWithMetadata -------------------------------------------------------------

interface ManifestDescriptor {
  mediaType: string;
  size: number;
  digest: string;
}

interface DockerImageManifest {
  schemaVersion: number;
  mediaType: string;
  fsLayers: { blobSum: string }[] | null;
  history: { v1Compatibility: string }[] | null;
  layers: ManifestDescriptor[] | null;
  config: ManifestDescriptor;
}

/**
 * Ascending order (base layer first) is what the API stores. Without the order annotation the
 * media type decides: schema 1 lists layers base-first, schema 2 / OCI images stored by old servers
 * top-first.
 */
function reorderImageLayers(image: InternalImage): void {
  const layers = image.dockerImageLayers;
  if (!layers?.length) return;
  const annotations = image.metadata.annotations ?? {};
  let order = Object.hasOwn(annotations, IMAGE_LAYERS_ORDER_ANNOTATION) ? annotations[IMAGE_LAYERS_ORDER_ANNOTATION] : undefined;
  if (order === undefined) {
    switch (image.dockerImageManifestMediaType ?? '') {
      case MEDIA_TYPE_SCHEMA1:
      case MEDIA_TYPE_SCHEMA1_SIGNED:
        order = IMAGE_LAYERS_ORDER_ASCENDING;
        break;
      case MEDIA_TYPE_SCHEMA2:
      case MEDIA_TYPE_OCI_MANIFEST:
        order = IMAGE_LAYERS_ORDER_DESCENDING;
        break;
      default:
        return;
    }
  }
  if (order === IMAGE_LAYERS_ORDER_DESCENDING) layers.reverse();
  setAnnotation(image, IMAGE_LAYERS_ORDER_ANNOTATION, IMAGE_LAYERS_ORDER_ASCENDING);
}

function setAnnotation(image: InternalImage, key: string, value: string): void {
  image.metadata.annotations = { ...(image.metadata.annotations ?? {}), [key]: value };
}

const describe = (image: InternalImage) => `${image.metadata.name ?? ''} (${image.dockerImageReference ?? ''})`;

/** Layers from the manifest when the image has none yet; returns an error message on failure. */
function fillImageLayers(image: InternalImage, manifest: DockerImageManifest): string | undefined {
  if (image.dockerImageLayers?.length) return undefined;
  switch (manifest.schemaVersion) {
    case 1: {
      const history = manifest.history ?? [];
      const fsLayers = manifest.fsLayers ?? [];
      if (history.length !== fsLayers.length) {
        return `the image ${describe(image)} has mismatched history and fslayer cardinality (${history.length} != ${fsLayers.length})`;
      }
      // Schema 1 lists the newest layer first; the API stores the base layer first.
      image.dockerImageLayers = history
        .map((entry, i): ImageLayer => ({ name: fsLayers[i].blobSum, size: v1CompatibilitySize(entry.v1Compatibility), mediaType: MEDIA_TYPE_SCHEMA1_LAYER }))
        .reverse();
      break;
    }
    case 2:
      image.dockerImageLayers = (manifest.layers ?? []).map((l) => ({ name: l.digest, size: l.size, mediaType: l.mediaType }));
      break;
    default:
      return `unrecognized container image manifest schema ${manifest.schemaVersion} for "${image.metadata.name ?? ''}" (${image.dockerImageReference ?? ''})`;
  }
  setAnnotation(image, IMAGE_LAYERS_ORDER_ANNOTATION, IMAGE_LAYERS_ORDER_ASCENDING);
  return undefined;
}

function v1CompatibilitySize(text: string): number {
  try {
    return unmarshalGo<{ size: number }>(text, DOCKER_V1_COMPATIBILITY_IMAGE_SIZE).size;
  } catch {
    return 0;
  }
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Metadata from the manifest (and config); mutates image and returns an error message on failure. */
function fillMetadata(image: InternalImage, now: Date): string | undefined {
  reorderImageLayers(image);
  if (image.dockerImageLayers?.length && (image.dockerImageMetadata.Size ?? 0) > 0 && image.dockerImageManifestMediaType) return undefined;

  let manifest: DockerImageManifest;
  try {
    manifest = unmarshalGo<DockerImageManifest>(image.dockerImageManifest ?? '', DOCKER_IMAGE_MANIFEST);
  } catch (err) {
    return errorMessage(err);
  }
  // Manifest lists have no layers or config: only the basics are known.
  if (manifest.mediaType === MEDIA_TYPE_MANIFEST_LIST || manifest.mediaType === MEDIA_TYPE_OCI_INDEX) {
    image.dockerImageMetadata = { ...image.dockerImageMetadata, Id: image.metadata.name ?? '', Created: timestamp(now) };
    return undefined;
  }

  const layersError = fillImageLayers(image, manifest);
  if (layersError) return layersError;

  switch (manifest.schemaVersion) {
    case 1: {
      image.dockerImageManifestMediaType = MEDIA_TYPE_SCHEMA1;
      const history = manifest.history ?? [];
      if (history.length === 0) return `the image ${describe(image)} has a schema 1 manifest, but it doesn't have history`;
      try {
        image.dockerImageMetadata = dockerImageFromV1(unmarshalGo(history[0].v1Compatibility, DOCKER_V1_COMPATIBILITY_IMAGE));
      } catch (err) {
        return errorMessage(err);
      }
      break;
    }
    case 2: {
      if (manifest.mediaType) image.dockerImageManifestMediaType = manifest.mediaType;
      else if (!image.dockerImageManifestMediaType) image.dockerImageManifestMediaType = MEDIA_TYPE_SCHEMA2;
      if (!image.dockerImageConfig) return `dockerImageConfig must not be empty for manifest type "${image.dockerImageManifestMediaType}"`;
      try {
        image.dockerImageMetadata = dockerImageFromV1(unmarshalGo(image.dockerImageConfig, DOCKER_IMAGE_CONFIG));
      } catch (err) {
        return `failed to parse dockerImageConfig: ${errorMessage(err)}`;
      }
      image.dockerImageMetadata.Id = manifest.config.digest;
      break;
    }
    default:
      return `unrecognized container image manifest schema ${manifest.schemaVersion} for "${image.metadata.name ?? ''}" (${image.dockerImageReference ?? ''})`;
  }

  // A blob shared by several layers (or equal to the config) is stored, and counted, once.
  const seen = new Set<string>();
  let size = 0;
  if (manifest.schemaVersion === 2) {
    seen.add(manifest.config.digest);
    size = Buffer.byteLength(image.dockerImageConfig ?? '', 'utf8');
  }
  for (const layer of image.dockerImageLayers ?? []) {
    const name = layer.name ?? '';
    if (seen.has(name)) continue;
    seen.add(name);
    size += layer.size ?? 0;
  }
  image.dockerImageMetadata.Size = size;
  return undefined;
}

/**
 * InternalImageWithMetadata on a copy of `image`: layer order, layers, manifest media type and
 * metadata from `dockerImageManifest` / `dockerImageConfig`. Like upstream, a failure keeps what
 * was filled before it and is reported in `error` (the strategy logs and ignores it).
 */
export function imageWithMetadata(image: InternalImage, now: Date): { image: InternalImage; error?: string } {
  const out = structuredClone(image);
  if (!out.dockerImageManifest) return { image: out };
  const error = fillMetadata(out, now);
  return error === undefined ? { image: out } : { image: out, error };
}

// ---- Manifest lists -------------------------------------------------------------------------

const MEDIA_TYPE_TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+\/[!#$%&'*+\-.^_`|~0-9a-z]+$/;

/** mime.ParseMediaType's media type (lower-cased, parameters dropped), undefined when malformed. */
function baseMediaType(header: string): string | undefined {
  const base = header.split(';', 1)[0].trim().toLowerCase();
  return MEDIA_TYPE_TOKEN.test(base) ? base : undefined;
}

/**
 * The children PrepareForCreate records in `dockerImageManifests`: only when
 * distribution.UnmarshalManifest, keyed by `dockerImageManifestMediaType`, yields a Docker manifest
 * list (an OCI index decodes to another type upstream and is left alone).
 */
export function manifestListEntries(mediaType: string | undefined, manifest: string | undefined): ImageManifest[] | undefined {
  if (!mediaType || baseMediaType(mediaType) !== MEDIA_TYPE_MANIFEST_LIST) return undefined;
  let list: { mediaType: string; manifests: ({ mediaType: string; digest: string; size: number; platform: Record<string, string> })[] | null };
  try {
    list = unmarshalGo(manifest ?? '', MANIFEST_LIST);
  } catch {
    return undefined;
  }
  if (list.mediaType !== MEDIA_TYPE_MANIFEST_LIST) return undefined;
  return (list.manifests ?? []).map((m) => ({
    digest: m.digest,
    mediaType: m.mediaType,
    manifestSize: m.size,
    architecture: m.platform.architecture,
    os: m.platform.os,
    ...(m.platform.variant ? { variant: m.platform.variant } : {}),
  }));
}
