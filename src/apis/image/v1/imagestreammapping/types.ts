// image.openshift.io/v1 ImageStreamMapping (openshift/api `image/v1/types.go`; descriptions as openshift/api's
// OpenAPI has them): "this image is now at tag T of stream S", sent by the integrated registry after a push.
import { Type } from '@sinclair/typebox';
import type { KubeObject } from '../../../../machinery/object.js';
import { OPENAPI_DEFINITION, typeMetaProperties } from '../../../meta/v1/object-meta.js';
import { describedField } from '../../../meta/v1/field-description.js';
import { ImageSchema, type Image } from '../image/types.js';

export const ImageStreamMappingSchema = Type.Object(
  {
    ...typeMetaProperties(),
    image: Type.Optional(describedField(ImageSchema, 'image is a container image.')),
    tag: Type.Optional(Type.String({ description: 'tag is a string value this image can be located with inside the stream.' })),
  },
  {
    additionalProperties: false,
    required: ['image', 'tag'],
    description:
      'ImageStreamMapping represents a mapping from a single image stream tag to a container image as well as the reference to the container image stream the image came from. This resource is used by privileged integrators to create an image resource and to associate it with an image stream in the status tags field. Creating an ImageStreamMapping will allow any user who can view the image stream to tag or pull that image, so only create mappings where the user has proven they have access to the image contents directly. The only operation supported for this resource is create and the metadata name and namespace should be set to the image stream containing the tag that should be updated.\n\nCompatibility level 1: Stable within a major release for a minimum of 12 months or 3 minor releases (whichever is longer).',
    [OPENAPI_DEFINITION]: 'com.github.openshift.api.image.v1.ImageStreamMapping',
  },
);

export interface ImageStreamMapping extends KubeObject {
  image?: Image;
  tag?: string;
}

/** `"true"` on an Image stored in the integrated registry (openshift/api ManagedByOpenShiftAnnotation). */
export const MANAGED_BY_OPENSHIFT_ANNOTATION = 'openshift.io/image.managed';
