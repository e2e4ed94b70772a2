// image.openshift.io/v1 ImageTag (openshift/api `image/v1/types.go`; descriptions as openshift/api's OpenAPI has
// them): the complete view of one tag of a stream, spec, whole history and current image.
import { Type } from '@sinclair/typebox';
import type { KubeObject } from '../../../../machinery/object.js';
import { OPENAPI_DEFINITION, typeMetaProperties } from '../../../meta/v1/object-meta.js';
import { ImageSchema, type Image } from '../image/types.js';
import { NamedTagEventListSchema, TagReferenceSchema, type NamedTagEventList, type TagReference } from '../imagestream/types.js';

export const ImageTagSchema = Type.Object(
  {
    ...typeMetaProperties(),
    // Pointers without omitempty: each is `null` when absent.
    spec: Type.Optional(
      Type.Union([TagReferenceSchema, Type.Null()], {
        description: 'spec is the spec tag associated with this image stream tag, and it may be null if only pushes have occurred to this image stream.',
      }),
    ),
    status: Type.Optional(
      Type.Union([NamedTagEventListSchema, Type.Null()], {
        description: 'status is the status tag details associated with this image stream tag, and it may be null if no push or import has been performed.',
      }),
    ),
    image: Type.Optional(
      Type.Union([ImageSchema, Type.Null()], {
        description:
          'image is the details of the most recent image stream status tag, and it may be null if import has not completed or an administrator has deleted the image object. To verify this is the most recent image, you must verify the generation of the most recent status.items entry matches the spec tag (if a spec tag is set). This field will not be set when listing image tags.',
      }),
    ),
  },
  {
    additionalProperties: false,
    required: ['spec', 'status', 'image'],
    description:
      'ImageTag represents a single tag within an image stream and includes the spec, the status history, and the currently referenced image (if any) of the provided tag. This type replaces the ImageStreamTag by providing a full view of the tag. ImageTags are returned for every spec or status tag present on the image stream. If no tag exists in either form a not found error will be returned by the API. A create operation will succeed if no spec tag has already been defined and the spec field is set. Delete will remove both spec and status elements from the image stream.\n\nCompatibility level 1: Stable within a major release for a minimum of 12 months or 3 minor releases (whichever is longer).',
    [OPENAPI_DEFINITION]: 'com.github.openshift.api.image.v1.ImageTag',
  },
);

export interface ImageTag extends KubeObject {
  spec?: TagReference | null;
  status?: NamedTagEventList | null;
  image?: Image | null;
}
