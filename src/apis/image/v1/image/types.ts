// image.openshift.io/v1 Image and the types it embeds, as openshift/api `image/v1/types.go` declares them.
// Descriptions, `required` lists and patch markers follow the OpenAPI openshift/api generates
// (`openapi/openapi.json`); the Docker metadata keys follow `image/docker10/dockertypes.go`.
//
// Every property is optional to the validator and to TypeScript: Go's decoder never enforces
// `required`, it only lists fields whose JSON tag has no omitempty. The lists still go into the
// schema (as `required` options) so the OpenAPI documents match upstream.
import { Type, type TSchema } from '@sinclair/typebox';
import type { KubeObject } from '../../../../machinery/object.js';
import { OPENAPI_DEFINITION, typeMetaProperties } from '../../../meta/v1/object-meta.js';
import { ImageSignatureSchema, type ImageSignature } from '../signature.js';

const definition = (name: string) => `com.github.openshift.api.image.v1.${name}`;

const optional = <T extends TSchema>(schema: T) => Type.Optional(schema);
const str = (description: string) => optional(Type.String({ description }));
const int64 = (description: string) => optional(Type.Integer({ format: 'int64', description }));

export const ImageLayerSchema = Type.Object(
  {
    mediaType: str('mediaType of the referenced object.'),
    name: str('name of the layer as defined by the underlying store.'),
    size: int64('size of the layer in bytes as defined by the underlying store.'),
  },
  {
    additionalProperties: false,
    required: ['name', 'size', 'mediaType'],
    description: 'ImageLayer represents a single layer of the image. Some images may have multiple layers. Some may have none.',
    [OPENAPI_DEFINITION]: definition('ImageLayer'),
  },
);

export const ImageManifestSchema = Type.Object(
  {
    architecture: str('architecture specifies the supported CPU architecture, for example `amd64` or `ppc64le`.'),
    digest: str('digest is the unique identifier for the manifest. It refers to an Image object.'),
    manifestSize: int64('manifestSize represents the size of the raw object contents, in bytes.'),
    mediaType: str(
      'mediaType defines the type of the manifest, possible values are application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json or application/vnd.docker.distribution.manifest.v1+json.',
    ),
    os: str('os specifies the operating system, for example `linux`.'),
    variant: str(
      'variant is an optional field repreenting a variant of the CPU, for example v6 to specify a particular CPU variant of the ARM CPU.',
    ),
  },
  {
    additionalProperties: false,
    required: ['digest', 'mediaType', 'manifestSize', 'architecture', 'os'],
    description: 'ImageManifest represents sub-manifests of a manifest list. The Digest field points to a regular Image object.',
    [OPENAPI_DEFINITION]: definition('ImageManifest'),
  },
);

/**
 * A key of the embedded DockerImage, documented but left untyped: the object is decoded by the
 * strategy as the v1 → internal conversion does, so a wrong type fails there, worded as Go words it
 * (`json: cannot unmarshal string into Go struct field DockerImage.Size of type int64`).
 */
const documented = (type: string, description: string, format?: string) =>
  optional(Type.Unsafe<unknown>({ description: `${description} (${type})`, ...(format ? { format } : {}) }));

/** docker10.DockerConfig: the configuration a container is created with (Docker's capitalised keys). */
export const DockerConfigSchema = Type.Unsafe<Record<string, unknown>>({
  description: 'DockerConfig is the list of configuration options used when creating a container.',
  properties: {
    Hostname: documented('string', 'Hostname is the host name of the container.'),
    Domainname: documented('string', 'Domainname is the domain name of the container.'),
    User: documented('string', 'User is the user (and optionally group) the container processes run as.'),
    Memory: documented('int64', 'Memory is the memory limit in bytes.', 'int64'),
    MemorySwap: documented('int64', 'MemorySwap is the total memory plus swap limit in bytes.', 'int64'),
    CpuShares: documented('int64', 'CpuShares is the relative CPU weight.', 'int64'),
    Cpuset: documented('string', 'Cpuset lists the CPUs the container may run on.'),
    AttachStdin: documented('boolean', 'AttachStdin attaches the standard input stream.'),
    AttachStdout: documented('boolean', 'AttachStdout attaches the standard output stream.'),
    AttachStderr: documented('boolean', 'AttachStderr attaches the standard error stream.'),
    PortSpecs: documented('string array', 'PortSpecs are legacy port specifications.'),
    ExposedPorts: documented('map of empty objects', 'ExposedPorts is the set of exposed ports, such as "8080/tcp".'),
    Tty: documented('boolean', 'Tty allocates a pseudo terminal.'),
    OpenStdin: documented('boolean', 'OpenStdin keeps the standard input open.'),
    StdinOnce: documented('boolean', 'StdinOnce closes the standard input after the first attached client disconnects.'),
    Env: documented('string array', 'Env lists the environment as KEY=value entries.'),
    Cmd: documented('string array', 'Cmd is the default command.'),
    Dns: documented('string array', 'Dns lists DNS servers (Docker API v1.9 and below only).'),
    Image: documented('string', 'Image is the name of the image the container was created from.'),
    Volumes: documented('map of empty objects', 'Volumes is the set of volume mount points.'),
    VolumesFrom: documented('string', 'VolumesFrom names a container to take volumes from.'),
    WorkingDir: documented('string', 'WorkingDir is the working directory of the container processes.'),
    Entrypoint: documented('string array', 'Entrypoint is the entrypoint of the container.'),
    NetworkDisabled: documented('boolean', 'NetworkDisabled turns networking off.'),
    SecurityOpts: documented('string array', 'SecurityOpts lists security options.'),
    OnBuild: documented('string array', 'OnBuild lists the ONBUILD triggers of the image.'),
    Labels: documented('map of strings', 'Labels are the labels of the image.'),
  },
});

/**
 * `dockerImageMetadata`: a runtime.RawExtension holding a DockerImage of `dockerImageMetadataVersion`.
 * The keys listed are those of version 1.0; the server re-encodes the object and drops any other key.
 */
export const DockerImageMetadataSchema = Type.Unsafe<Record<string, unknown>>({
  type: 'object',
  additionalProperties: true,
  'x-kubernetes-preserve-unknown-fields': true,
  'x-kubernetes-patch-strategy': 'replace',
  description: 'dockerImageMetadata contains metadata about this image',
  properties: {
    kind: documented('string', 'kind is always "DockerImage".'),
    apiVersion: documented('string', 'apiVersion is "image.openshift.io/1.0" (or "image.openshift.io/pre012" for legacy metadata).'),
    Id: documented('string', 'Id is the image ID.'),
    Parent: documented('string', 'Parent is the ID of the parent image.'),
    Comment: documented('string', 'Comment is the commit message of the image.'),
    Created: documented('RFC 3339 time or null', 'Created is the time the image was created.', 'date-time'),
    Container: documented('string', 'Container is the ID of the container the image was committed from.'),
    ContainerConfig: optional(DockerConfigSchema),
    DockerVersion: documented('string', 'DockerVersion is the version of the engine that built the image.'),
    Author: documented('string', 'Author is the author of the image.'),
    Config: optional(DockerConfigSchema),
    Architecture: documented('string', 'Architecture is the CPU architecture the image runs on.'),
    Size: documented('int64', 'Size is the size of the image in bytes.', 'int64'),
  },
});

const typeMeta = typeMetaProperties();

export const ImageSchema = Type.Object(
  {
    apiVersion: optional(typeMeta.apiVersion),
    dockerImageConfig: str(
      'dockerImageConfig is a JSON blob that the runtime uses to set up the container. This is a part of manifest schema v2. Will not be set when the image represents a manifest list.',
    ),
    dockerImageLayers: optional(
      Type.Array(ImageLayerSchema, {
        description:
          'dockerImageLayers represents the layers in the image. May not be set if the image does not define that data or if the image represents a manifest list.',
      }),
    ),
    dockerImageManifest: str('dockerImageManifest is the raw JSON of the manifest'),
    dockerImageManifestMediaType: str('dockerImageManifestMediaType specifies the mediaType of manifest. This is a part of manifest schema v2.'),
    dockerImageManifests: optional(
      Type.Array(ImageManifestSchema, {
        description:
          'dockerImageManifests holds information about sub-manifests when the image represents a manifest list. When this field is present, no DockerImageLayers should be specified.',
      }),
    ),
    dockerImageMetadata: optional(DockerImageMetadataSchema),
    dockerImageMetadataVersion: str('dockerImageMetadataVersion conveys the version of the object, which if empty defaults to "1.0"'),
    dockerImageReference: str('dockerImageReference is the string that can be used to pull this image.'),
    dockerImageSignatures: optional(
      Type.Array(Type.String({ format: 'byte' }), {
        description: 'dockerImageSignatures provides the signatures as opaque blobs. This is a part of manifest schema v1.',
      }),
    ),
    kind: optional(typeMeta.kind),
    metadata: optional(typeMeta.metadata),
    signatures: optional(
      Type.Array(ImageSignatureSchema, {
        description: 'signatures holds all signatures of the image.',
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Image is an immutable representation of a container image and metadata at a point in time. Images are named by taking a hash of their contents (metadata and content) and any change in format, content, or metadata results in a new name. The images resource is primarily for use by cluster administrators and integrations like the cluster image registry - end users instead access images via the imagestreamtags or imagestreamimages resources. While image metadata is stored in the API, any integration that implements the container image registry API must provide its own storage for the raw manifest data, image config, and layer contents.\n\nCompatibility level 1: Stable within a major release for a minimum of 12 months or 3 minor releases (whichever is longer).',
    [OPENAPI_DEFINITION]: definition('Image'),
  },
);

export interface ImageLayer {
  name?: string;
  size?: number;
  mediaType?: string;
}

export interface ImageManifest {
  digest?: string;
  mediaType?: string;
  manifestSize?: number;
  architecture?: string;
  os?: string;
  variant?: string;
}

/** docker10.DockerConfig with Go's omitempty applied: zero values are absent. */
export interface DockerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  Memory?: number;
  MemorySwap?: number;
  CpuShares?: number;
  Cpuset?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  PortSpecs?: string[];
  ExposedPorts?: Record<string, Record<string, never>>;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[];
  Cmd?: string[];
  Dns?: string[];
  Image?: string;
  Volumes?: Record<string, Record<string, never>>;
  VolumesFrom?: string;
  WorkingDir?: string;
  Entrypoint?: string[];
  NetworkDisabled?: boolean;
  SecurityOpts?: string[];
  OnBuild?: string[];
  Labels?: Record<string, string>;
}

/**
 * The server's (internal) DockerImage, keyed as docker10 spells it, with omitempty applied.
 * `Id`, `Created` (null = zero time) and `ContainerConfig` are always present, as Go always writes them.
 */
export interface DockerImage {
  Id: string;
  Parent?: string;
  Comment?: string;
  Created: string | null;
  Container?: string;
  ContainerConfig: DockerConfig;
  DockerVersion?: string;
  Author?: string;
  Config?: DockerConfig;
  Architecture?: string;
  Size?: number;
}

/** Image's own fields (besides metadata), as they travel on the wire. */
export interface ImageFields {
  dockerImageReference?: string;
  /** On the wire: a DockerImage of dockerImageMetadataVersion with `kind`/`apiVersion`. */
  dockerImageMetadata?: Record<string, unknown>;
  dockerImageMetadataVersion?: string;
  dockerImageManifest?: string;
  dockerImageLayers?: ImageLayer[];
  signatures?: ImageSignature[];
  dockerImageSignatures?: string[];
  dockerImageManifestMediaType?: string;
  dockerImageConfig?: string;
  dockerImageManifests?: ImageManifest[];
}

/** An Image as the registry handles it (metadata typed by the shared ObjectMeta contract). */
export interface Image extends KubeObject, ImageFields {}

/** The image with its metadata decoded, as openshift-apiserver's internal type holds it. */
export interface InternalImage extends KubeObject, Omit<ImageFields, 'dockerImageMetadata'> {
  dockerImageMetadata: DockerImage;
}

export const IMAGE_LAYERS_ORDER_ANNOTATION = 'image.openshift.io/dockerLayersOrder';
export const IMAGE_LAYERS_ORDER_ASCENDING = 'ascending';
export const IMAGE_LAYERS_ORDER_DESCENDING = 'descending';
export const IMAGE_MANIFEST_BLOB_STORED_ANNOTATION = 'image.openshift.io/manifestBlobStored';
/** Set by the old signature import controller; the strategy strips it from every signature. */
export const MANAGED_SIGNATURE_ANNOTATION = 'image.openshift.io/managed-signature';

export const MEDIA_TYPE_SCHEMA1 = 'application/vnd.docker.distribution.manifest.v1+json';
export const MEDIA_TYPE_SCHEMA1_SIGNED = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
export const MEDIA_TYPE_SCHEMA1_LAYER = 'application/vnd.docker.container.image.rootfs.diff+x-gtar';
export const MEDIA_TYPE_SCHEMA2 = 'application/vnd.docker.distribution.manifest.v2+json';
export const MEDIA_TYPE_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const MEDIA_TYPE_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_TYPE_OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
