// image.openshift.io/v1 ImageStreamImport (openshift/api `image/v1/types.go`): a request to import images
// into a stream, answered with the same object and a filled status. Nothing is stored under this kind.
import { Type, type TSchema } from '@sinclair/typebox';
import type { KubeObject } from '../../../../machinery/object.js';
import { OPENAPI_DEFINITION, typeMetaProperties } from '../../../meta/v1/object-meta.js';
import { describedField } from '../../../meta/v1/field-description.js';
import { ImageSchema, type Image } from '../image/types.js';
import { ImageStreamSchema, TagImportPolicySchema, TagReferencePolicySchema, type ImageStream, type TagImportPolicy, type TagReferencePolicy } from '../imagestream/types.js';
import { ObjectReferenceSchema, type ObjectReference } from '../object-reference.js';
import type { EmbeddedStatus } from '../../../../importer/import-status.js';
import { StatusSchema } from './status-schema.js';

const definition = (name: string) => `com.github.openshift.api.image.v1.${name}`;
const optional = <T extends TSchema>(schema: T) => Type.Optional(schema);
const bool = (description: string) => optional(Type.Boolean({ description }));

export const LocalObjectReferenceSchema = Type.Object(
  {
    name: optional(
      Type.String({
        default: '',
        description:
          'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.',
    'x-kubernetes-map-type': 'atomic',
    [OPENAPI_DEFINITION]: 'io.k8s.api.core.v1.LocalObjectReference',
  },
);

export const ImageImportSpecSchema = Type.Object(
  {
    from: optional(describedField(ObjectReferenceSchema, 'From is the source of an image to import; only kind DockerImage is allowed')),
    importPolicy: optional(describedField(TagImportPolicySchema, 'ImportPolicy is the policy controlling how the image is imported')),
    includeManifest: bool('includeManifest determines if the manifest for each image is returned in the response'),
    referencePolicy: optional(describedField(TagReferencePolicySchema, 'ReferencePolicy defines how other components should consume the image')),
    to: optional(
      describedField(
        LocalObjectReferenceSchema,
        'To is a tag in the current image stream to assign the imported image to, if name is not specified the default tag from from.name will be used',
      ),
    ),
  },
  {
    additionalProperties: false,
    required: ['from'],
    description: 'ImageImportSpec describes a request to import a specific image.',
    [OPENAPI_DEFINITION]: definition('ImageImportSpec'),
  },
);

export const RepositoryImportSpecSchema = Type.Object(
  {
    from: optional(
      describedField(
        ObjectReferenceSchema,
        'From is the source for the image repository to import; only kind DockerImage and a name of a container image repository is allowed',
      ),
    ),
    importPolicy: optional(describedField(TagImportPolicySchema, 'ImportPolicy is the policy controlling how the image is imported')),
    includeManifest: bool('includeManifest determines if the manifest for each image is returned in the response'),
    referencePolicy: optional(describedField(TagReferencePolicySchema, 'ReferencePolicy defines how other components should consume the image')),
  },
  {
    additionalProperties: false,
    required: ['from'],
    description: 'RepositoryImportSpec describes a request to import images from a container image repository.',
    [OPENAPI_DEFINITION]: definition('RepositoryImportSpec'),
  },
);

export const ImageStreamImportSpecSchema = Type.Object(
  {
    images: optional(Type.Array(ImageImportSpecSchema, { description: 'Images are a list of individual images to import.' })),
    import: bool(
      'Import indicates whether to perform an import - if so, the specified tags are set on the spec and status of the image stream defined by the type meta.',
    ),
    repository: optional(
      describedField(
        RepositoryImportSpecSchema,
        'Repository is an optional import of an entire container image repository. A maximum limit on the number of tags imported this way is imposed by the server.',
      ),
    ),
  },
  {
    additionalProperties: false,
    required: ['import'],
    description: 'ImageStreamImportSpec defines what images should be imported.',
    [OPENAPI_DEFINITION]: definition('ImageStreamImportSpec'),
  },
);

export const ImageImportStatusSchema = Type.Object(
  {
    image: optional(describedField(ImageSchema, 'Image is the metadata of that image, if the image was located')),
    manifests: optional(Type.Array(ImageSchema, { description: 'Manifests holds sub-manifests metadata when importing a manifest list' })),
    status: optional(StatusSchema),
    tag: optional(Type.String({ description: 'Tag is the tag this image was located under, if any' })),
  },
  {
    additionalProperties: false,
    required: ['status'],
    description: 'ImageImportStatus describes the result of an image import.',
    [OPENAPI_DEFINITION]: definition('ImageImportStatus'),
  },
);

export const RepositoryImportStatusSchema = Type.Object(
  {
    additionalTags: optional(
      Type.Array(Type.String(), { description: 'AdditionalTags are tags that exist in the repository but were not imported because a maximum limit of automatic imports was applied.' }),
    ),
    images: optional(Type.Array(ImageImportStatusSchema, { description: 'Images is a list of images successfully retrieved by the import of the repository.' })),
    status: optional(StatusSchema),
  },
  {
    additionalProperties: false,
    description: 'RepositoryImportStatus describes the result of an image repository import',
    [OPENAPI_DEFINITION]: definition('RepositoryImportStatus'),
  },
);

export const ImageStreamImportStatusSchema = Type.Object(
  {
    images: optional(Type.Array(ImageImportStatusSchema, { description: 'Images is set with the result of importing spec.images' })),
    import: optional(describedField(ImageStreamSchema, "Import is the image stream that was successfully updated or created when 'to' was set.")),
    repository: optional(describedField(RepositoryImportStatusSchema, 'Repository is set if spec.repository was set to the outcome of the import')),
  },
  {
    additionalProperties: false,
    description: 'ImageStreamImportStatus contains information about the status of an image stream import.',
    [OPENAPI_DEFINITION]: definition('ImageStreamImportStatus'),
  },
);

const typeMeta = typeMetaProperties();

export const ImageStreamImportSchema = Type.Object(
  {
    apiVersion: optional(typeMeta.apiVersion),
    kind: optional(typeMeta.kind),
    metadata: optional(typeMeta.metadata),
    spec: optional(describedField(ImageStreamImportSpecSchema, 'Spec is a description of the images that the user wishes to import')),
    status: optional(describedField(ImageStreamImportStatusSchema, 'Status is the result of importing the image')),
  },
  {
    additionalProperties: false,
    required: ['spec', 'status'],
    description:
      'The image stream import resource provides an easy way for a user to find and import container images from other container image registries into the server. Individual images or an entire image repository may be imported, and users may choose to see the results of the import prior to tagging the resulting images into the specified image stream.\n\nThis API is intended for end-user tools that need to see the metadata of the image prior to import (for instance, to generate an application from it). Clients that know the desired image can continue to create spec.tags directly into their image streams.\n\nCompatibility level 1: Stable within a major release for a minimum of 12 months or 3 minor releases (whichever is longer).',
    [OPENAPI_DEFINITION]: definition('ImageStreamImport'),
  },
);

export interface ImageImportSpec {
  from: ObjectReference;
  to?: { name?: string } | null;
  importPolicy?: TagImportPolicy;
  referencePolicy?: TagReferencePolicy;
  includeManifest?: boolean;
}

export interface RepositoryImportSpec {
  from: ObjectReference;
  importPolicy?: TagImportPolicy;
  referencePolicy?: TagReferencePolicy;
  includeManifest?: boolean;
}

export interface ImageImportStatus {
  status: EmbeddedStatus;
  image?: Image;
  tag?: string;
  manifests?: Image[];
}

export interface RepositoryImportStatus {
  status: EmbeddedStatus;
  images?: ImageImportStatus[];
  additionalTags?: string[];
}

export interface ImageStreamImport extends KubeObject {
  spec: {
    import?: boolean;
    repository?: RepositoryImportSpec | null;
    images?: ImageImportSpec[];
  };
  status: {
    import?: ImageStream;
    repository?: RepositoryImportStatus;
    images?: ImageImportStatus[];
  };
}
