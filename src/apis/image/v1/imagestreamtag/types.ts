// image.openshift.io/v1 ImageStreamTag (openshift/api `image/v1/types.go`; descriptions as openshift/api's OpenAPI
// has them): one tag of a stream, seen through its newest image.
import { Type } from '@sinclair/typebox';
import type { KubeObject } from '../../../../machinery/object.js';
import { OPENAPI_DEFINITION, typeMetaProperties } from '../../../meta/v1/object-meta.js';
import { describedField } from '../../../meta/v1/field-description.js';
import { ImageSchema, type Image } from '../image/types.js';
import { ImageLookupPolicySchema, TagEventConditionSchema, TagReferenceSchema, type ImageLookupPolicy, type TagEventCondition, type TagReference } from '../imagestream/types.js';

export const ImageStreamTagSchema = Type.Object(
  {
    ...typeMetaProperties(),
    // A pointer without omitempty: `null` when the tag has no spec entry.
    tag: Type.Optional(
      Type.Union([TagReferenceSchema, Type.Null()], {
        description: 'tag is the spec tag associated with this image stream tag, and it may be null if only pushes have occurred to this image stream.',
      }),
    ),
    generation: Type.Optional(
      Type.Integer({
        format: 'int64',
        description:
          'generation is the current generation of the tagged image - if tag is provided and this value is not equal to the tag generation, a user has requested an import that has not completed, or conditions will be filled out indicating any error.',
      }),
    ),
    lookupPolicy: Type.Optional(describedField(ImageLookupPolicySchema, 'lookupPolicy indicates whether this tag will handle image references in this namespace.')),
    conditions: Type.Optional(
      Type.Array(TagEventConditionSchema, { description: 'conditions is an array of conditions that apply to the image stream tag.' }),
    ),
    image: Type.Optional(describedField(ImageSchema, 'image associated with the ImageStream and tag.')),
  },
  {
    additionalProperties: false,
    required: ['tag', 'generation', 'lookupPolicy', 'image'],
    description:
      'ImageStreamTag represents an Image that is retrieved by tag name from an ImageStream. Use this resource to interact with the tags and images in an image stream by tag, or to see the image details for a particular tag. The image associated with this resource is the most recently successfully tagged, imported, or pushed image (as described in the image stream status.tags.items list for this tag). If an import is in progress or has failed the previous image will be shown. Deleting an image stream tag clears both the status and spec fields of an image stream. If no image can be retrieved for a given tag, a not found error will be returned.\n\nCompatibility level 1: Stable within a major release for a minimum of 12 months or 3 minor releases (whichever is longer).',
    [OPENAPI_DEFINITION]: 'com.github.openshift.api.image.v1.ImageStreamTag',
  },
);

export interface ImageStreamTag extends KubeObject {
  tag?: TagReference | null;
  generation?: number;
  lookupPolicy?: ImageLookupPolicy;
  conditions?: TagEventCondition[];
  image?: Image;
}
