// image.openshift.io/v1 ImageStream and the types it embeds, as openshift/api `image/v1/types.go` declares them.
// Descriptions, `required` lists and patch markers follow the OpenAPI openshift/api generates
// (`openapi/openapi.json`), which is what openshift-apiserver serves and `kubectl explain` shows.
//
// Every property is optional to the validator and to TypeScript: Go's decoder never enforces
// `required`, it only lists fields whose JSON tag has no omitempty. The lists still go into the
// schema (as `required` options) so the OpenAPI documents match upstream.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { KubeObject } from '../../../../machinery/object.js';
import { OPENAPI_DEFINITION, typeMetaProperties } from '../../../meta/v1/object-meta.js';
import { ObjectReferenceSchema } from '../object-reference.js';
import { describedField } from '../../../meta/v1/field-description.js';

const definition = (name: string) => `com.github.openshift.api.image.v1.${name}`;

const optional = <T extends TSchema>(schema: T) => Type.Optional(schema);
const str = (description: string) => optional(Type.String({ description }));
const bool = (description: string) => optional(Type.Boolean({ description }));
const int64 = (description: string) => optional(Type.Integer({ format: 'int64', description }));
/** A metav1.Time without omitempty: Go writes `null` for the zero time. */
const time = (description: string) =>
  optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description }));

export const ImageLookupPolicySchema = Type.Object(
  {
    local: bool(
      'local will change the docker short image references (like "mysql" or "php:latest") on objects in this namespace to the image ID whenever they match this image stream, instead of reaching out to a remote registry. The name will be fully qualified to an image ID if found. The tag\'s referencePolicy is taken into account on the replaced value. Only works within the current namespace.',
    ),
  },
  {
    additionalProperties: false,
    required: ['local'],
    description:
      'ImageLookupPolicy describes how an image stream can be used to override the image references used by pods, builds, and other resources in a namespace.',
    [OPENAPI_DEFINITION]: definition('ImageLookupPolicy'),
  },
);

export const TagImportPolicySchema = Type.Object(
  {
    importMode: str('importMode describes how to import an image manifest.'),
    insecure: bool(
      'insecure is true if the server may bypass certificate verification or connect directly over HTTP during image import.',
    ),
    scheduled: bool(
      'scheduled indicates to the server that this tag should be periodically checked to ensure it is up to date, and imported',
    ),
  },
  {
    additionalProperties: false,
    description: 'TagImportPolicy controls how images related to this tag will be imported.',
    [OPENAPI_DEFINITION]: definition('TagImportPolicy'),
  },
);

export const TagReferencePolicySchema = Type.Object(
  {
    type: str(
      "type determines how the image pull spec should be transformed when the image stream tag is used in deployment config triggers or new builds. The default value is `Source`, indicating the original location of the image should be used (if imported). The user may also specify `Local`, indicating that the pull spec should point to the integrated container image registry and leverage the registry's ability to proxy the pull to an upstream registry. `Local` allows the credentials used to pull this image to be managed from the image stream's namespace, so others on the platform can access a remote image but have no access to the remote secret. It also allows the image layers to be mirrored into the local registry which the images can still be pulled even if the upstream registry is unavailable.",
    ),
  },
  {
    additionalProperties: false,
    required: ['type'],
    description:
      'TagReferencePolicy describes how pull-specs for images in this image stream tag are generated when image change triggers in deployment configs or builds are resolved. This allows the image stream author to control how images are accessed.',
    [OPENAPI_DEFINITION]: definition('TagReferencePolicy'),
  },
);

export const TagReferenceSchema = Type.Object(
  {
    // No omitempty on a map: Go writes `null` when no annotations are set.
    annotations: optional(
      Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()], {
        description: 'Optional; if specified, annotations that are applied to images retrieved via ImageStreamTags.',
      }),
    ),
    from: optional(
      describedField(
        ObjectReferenceSchema,
        'Optional; if specified, a reference to another image that this tag should point to. Valid values are ImageStreamTag, ImageStreamImage, and DockerImage.  ImageStreamTag references can only reference a tag within this same ImageStream.',
      ),
    ),
    // *int64 without omitempty: `null` is how legacy clients say "keep the stored generation".
    generation: optional(
      Type.Union([Type.Integer({ format: 'int64' }), Type.Null()], {
        description:
          'generation is a counter that tracks mutations to the spec tag (user intent). When a tag reference is changed the generation is set to match the current stream generation (which is incremented every time spec is changed). Other processes in the system like the image importer observe that the generation of spec tag is newer than the generation recorded in the status and use that as a trigger to import the newest remote tag. To trigger a new import, clients may set this value to zero which will reset the generation to the latest stream generation. Legacy clients will send this value as nil which will be merged with the current tag generation.',
      }),
    ),
    importPolicy: optional(describedField(TagImportPolicySchema, 'importPolicy is information that controls how images may be imported by the server.')),
    name: str('name of the tag'),
    reference: bool('reference states if the tag will be imported. Default value is false, which means the tag will be imported.'),
    referencePolicy: optional(describedField(TagReferencePolicySchema, 'referencePolicy defines how other components should consume the image.')),
  },
  {
    additionalProperties: false,
    required: ['name'],
    description:
      'TagReference specifies optional annotations for images using this tag and an optional reference to an ImageStreamTag, ImageStreamImage, or DockerImage this tag should track.',
    [OPENAPI_DEFINITION]: definition('TagReference'),
  },
);

export const ImageStreamSpecSchema = Type.Object(
  {
    dockerImageRepository: str(
      'dockerImageRepository is optional, if specified this stream is backed by a container repository on this server Deprecated: This field is deprecated as of v3.7 and will be removed in a future release. Specify the source for the tags to be imported in each tag via the spec.tags.from reference instead.',
    ),
    lookupPolicy: optional(describedField(ImageLookupPolicySchema, 'lookupPolicy controls how other resources reference images within this namespace.')),
    tags: optional(
      Type.Array(TagReferenceSchema, {
        description: 'tags map arbitrary string values to specific image locators',
        'x-kubernetes-patch-merge-key': 'name',
        // openshift/api declares only the patch markers (no +listType): server-side apply derives the
        // map list keyed by name from them, as structured-merge-diff's schema conversion does.
        'x-kubernetes-patch-strategy': 'merge',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'ImageStreamSpec represents options for ImageStreams.',
    [OPENAPI_DEFINITION]: definition('ImageStreamSpec'),
  },
);

export const TagEventSchema = Type.Object(
  {
    created: time('created holds the time the TagEvent was created'),
    dockerImageReference: str('dockerImageReference is the string that can be used to pull this image'),
    generation: int64('generation is the spec tag generation that resulted in this tag being updated'),
    image: str('image is the image'),
  },
  {
    additionalProperties: false,
    required: ['created', 'dockerImageReference', 'image', 'generation'],
    description: 'TagEvent is used by ImageStreamStatus to keep a historical record of images associated with a tag.',
    [OPENAPI_DEFINITION]: definition('TagEvent'),
  },
);

export const TagEventConditionSchema = Type.Object(
  {
    generation: int64('generation is the spec tag generation that this status corresponds to'),
    lastTransitionTime: time('lastTransitionTime is the time the condition transitioned from one status to another.'),
    message: str('message is a human readable description of the details about last transition, complementing reason.'),
    reason: str("reason is a brief machine readable explanation for the condition's last transition."),
    status: str('status of the condition, one of True, False, Unknown.'),
    type: str('type of tag event condition, currently only ImportSuccess'),
  },
  {
    additionalProperties: false,
    required: ['type', 'status', 'generation'],
    description: 'TagEventCondition contains condition information for a tag event.',
    [OPENAPI_DEFINITION]: definition('TagEventCondition'),
  },
);

export const NamedTagEventListSchema = Type.Object(
  {
    // Upstream declares no patch markers on either list: a strategic merge patch replaces them whole.
    conditions: optional(
      Type.Array(TagEventConditionSchema, { description: 'conditions is an array of conditions that apply to the tag event list.' }),
    ),
    // No omitempty on a slice: Go writes `null` for a tag without history. The description is upstream's (sic).
    items: optional(Type.Union([Type.Array(TagEventSchema), Type.Null()], { description: "Standard object's metadata." })),
    tag: str('tag is the tag for which the history is recorded'),
  },
  {
    additionalProperties: false,
    required: ['tag', 'items'],
    description: 'NamedTagEventList relates a tag to its image history.',
    [OPENAPI_DEFINITION]: definition('NamedTagEventList'),
  },
);

export const ImageStreamStatusSchema = Type.Object(
  {
    dockerImageRepository: str(
      'dockerImageRepository represents the effective location this stream may be accessed at. May be empty until the server determines where the repository is located',
    ),
    publicDockerImageRepository: str(
      'publicDockerImageRepository represents the public location from where the image can be pulled outside the cluster. This field may be empty if the administrator has not exposed the integrated registry externally.',
    ),
    tags: optional(
      Type.Array(NamedTagEventListSchema, {
        description:
          'tags are a historical record of images associated with each tag. The first entry in the TagEvent array is the currently tagged image.',
        'x-kubernetes-patch-merge-key': 'tag',
        'x-kubernetes-patch-strategy': 'merge',
      }),
    ),
  },
  {
    additionalProperties: false,
    required: ['dockerImageRepository'],
    description: 'ImageStreamStatus contains information about the state of this image stream.',
    [OPENAPI_DEFINITION]: definition('ImageStreamStatus'),
  },
);

const typeMeta = typeMetaProperties();

export const ImageStreamSchema = Type.Object(
  {
    apiVersion: optional(typeMeta.apiVersion),
    kind: optional(typeMeta.kind),
    metadata: optional(typeMeta.metadata),
    spec: optional(describedField(ImageStreamSpecSchema, 'spec describes the desired state of this stream')),
    status: optional(describedField(ImageStreamStatusSchema, 'status describes the current state of this stream')),
  },
  {
    additionalProperties: false,
    description:
      'An ImageStream stores a mapping of tags to images, metadata overrides that are applied when images are tagged in a stream, and an optional reference to a container image repository on a registry. Users typically update the spec.tags field to point to external images which are imported from container registries using credentials in your namespace with the pull secret type, or to existing image stream tags and images which are immediately accessible for tagging or pulling. The history of images applied to a tag is visible in the status.tags field and any user who can view an image stream is allowed to tag that image into their own image streams. Access to pull images from the integrated registry is granted by having the "get imagestreams/layers" permission on a given image stream. Users may remove a tag by deleting the imagestreamtag resource, which causes both spec and status for that tag to be removed. Image stream history is retained until an administrator runs the prune operation, which removes references that are no longer in use. To preserve a historical image, ensure there is a tag in spec pointing to that image by its digest.\n\nCompatibility level 1: Stable within a major release for a minimum of 12 months or 3 minor releases (whichever is longer).',
    [OPENAPI_DEFINITION]: definition('ImageStream'),
  },
);

export type ImageLookupPolicy = Static<typeof ImageLookupPolicySchema>;
export type TagImportPolicy = Static<typeof TagImportPolicySchema>;
export type TagReferencePolicy = Static<typeof TagReferencePolicySchema>;
export type TagReference = Static<typeof TagReferenceSchema>;
export type ImageStreamSpec = Static<typeof ImageStreamSpecSchema>;
export type TagEvent = Static<typeof TagEventSchema>;
export type TagEventCondition = Static<typeof TagEventConditionSchema>;
export type NamedTagEventList = Static<typeof NamedTagEventListSchema>;
export type ImageStreamStatus = Static<typeof ImageStreamStatusSchema>;

/** An ImageStream as the registry handles it (metadata typed by the shared ObjectMeta contract). */
export interface ImageStream extends KubeObject {
  spec?: ImageStreamSpec;
  status?: ImageStreamStatus;
}

// ---- constants of openshift/api image/v1 (consts.go, types.go) -------------------------------------

/** The tag used when a reference names none (imagev1.DefaultImageTag). */
export const DEFAULT_IMAGE_TAG = 'latest';

/** `"true"` on a stream (or ISTag/ImageTag) lets allow-list checks accept plain HTTP registries as well. */
export const INSECURE_REPOSITORY_ANNOTATION = 'openshift.io/image.insecureRepository';

/** TagImportPolicy.importMode values (`""` is also accepted on input and means "the server default"). */
export type ImportMode = 'Legacy' | 'PreserveOriginal';
export const IMPORT_MODE_LEGACY: ImportMode = 'Legacy';
export const IMPORT_MODE_PRESERVE_ORIGINAL: ImportMode = 'PreserveOriginal';

/** TagReferencePolicy.type values. */
export type TagReferencePolicyType = 'Source' | 'Local';
export const SOURCE_TAG_REFERENCE_POLICY: TagReferencePolicyType = 'Source';
export const LOCAL_TAG_REFERENCE_POLICY: TagReferencePolicyType = 'Local';

/** The kinds a spec tag's `from` may name. */
export const TAG_FROM_KINDS = ['DockerImage', 'ImageStreamTag', 'ImageStreamImage'] as const;
export type TagFromKind = (typeof TAG_FROM_KINDS)[number];
