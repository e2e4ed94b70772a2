// image.openshift.io/v1 ImageStreamLayers, the response of GET imagestreams/{name}/layers (openshift/api
// `image/v1/types.go`; descriptions and `required` lists as openshift/api's OpenAPI has them).
import { Type } from '@sinclair/typebox';
import type { ObjectMeta } from '../../../../machinery/object.js';
import { OPENAPI_DEFINITION, typeMetaProperties } from '../../../meta/v1/object-meta.js';

const definition = (name: string) => `com.github.openshift.api.image.v1.${name}`;

export const ImageLayerDataSchema = Type.Object(
  {
    mediaType: Type.Optional(Type.String({ description: 'MediaType of the referenced object.' })),
    size: Type.Optional(
      Type.Union([Type.Integer({ format: 'int64' }), Type.Null()], {
        description: 'Size of the layer in bytes as defined by the underlying store. This field is optional if the necessary information about size is not available.',
      }),
    ),
  },
  {
    additionalProperties: false,
    required: ['size', 'mediaType'],
    description: 'ImageLayerData contains metadata about an image layer.',
    [OPENAPI_DEFINITION]: definition('ImageLayerData'),
  },
);

export const ImageBlobReferencesSchema = Type.Object(
  {
    config: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description:
          'config, if set, is the blob that contains the image config. Some images do not have separate config blobs and this field will be set to nil if so.',
      }),
    ),
    imageMissing: Type.Optional(
      Type.Boolean({
        description:
          'imageMissing is true if the image is referenced by the image stream but the image object has been deleted from the API by an administrator. When this field is set, layers and config fields may be empty and callers that depend on the image metadata should consider the image to be unavailable for download or viewing.',
      }),
    ),
    layers: Type.Optional(
      Type.Union([Type.Array(Type.String()), Type.Null()], {
        description:
          'layers is the list of blobs that compose this image, from base layer to top layer. All layers referenced by this array will be defined in the blobs map. Some images may have zero layers.',
      }),
    ),
    manifests: Type.Optional(
      Type.Array(Type.String(), {
        description:
          "manifests is the list of other image names that this image points to. For a single architecture image, it is empty. For a multi-arch image, it consists of the digests of single architecture images, such images shouldn't have layers nor config.",
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'ImageBlobReferences describes the blob references within an image.',
    [OPENAPI_DEFINITION]: definition('ImageBlobReferences'),
  },
);

export const ImageStreamLayersSchema = Type.Object(
  {
    ...typeMetaProperties(),
    blobs: Type.Optional(Type.Record(Type.String(), ImageLayerDataSchema, { description: 'blobs is a map of blob name to metadata about the blob.' })),
    images: Type.Optional(
      Type.Record(Type.String(), ImageBlobReferencesSchema, {
        description: 'images is a map between an image name and the names of the blobs and config that comprise the image.',
      }),
    ),
  },
  {
    additionalProperties: false,
    required: ['blobs', 'images'],
    description:
      'ImageStreamLayers describes information about the layers referenced by images in this image stream.\n\nCompatibility level 1: Stable within a major release for a minimum of 12 months or 3 minor releases (whichever is longer).',
    [OPENAPI_DEFINITION]: definition('ImageStreamLayers'),
  },
);

export interface ImageLayerData {
  /** null when unknown (manifests and config blobs). */
  size: number | null;
  mediaType: string;
}

/** Go writes imageMissing, layers and config always (nil as null) and manifests only when non-empty. */
export interface ImageBlobReferences {
  imageMissing: boolean;
  layers: string[] | null;
  config: string | null;
  manifests?: string[];
}

export interface ImageStreamLayers {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  blobs: Record<string, ImageLayerData>;
  images: Record<string, ImageBlobReferences>;
}
