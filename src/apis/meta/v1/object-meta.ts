// meta/v1 schemas shared by every kind (descriptions paraphrase k8s.io/apimachinery's types.go).
import { Type, type TSchema } from '@sinclair/typebox';

/** Marks a schema as the OpenAPI definition `name`; the OpenAPI writer emits it once and `$ref`s it. */
export const OPENAPI_DEFINITION = 'x-openapi-definition';

const str = (description: string) => Type.String({ description });

export const ManagedFieldsEntrySchema = Type.Object(
  {
    apiVersion: Type.Optional(str('APIVersion defines the version of this resource that this field set applies to.')),
    fieldsType: Type.Optional(str('FieldsType is the discriminator for the different fields format and version. There is currently only one possible value: "FieldsV1"')),
    fieldsV1: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.' })),
    manager: Type.Optional(str('Manager is an identifier of the workflow managing these fields.')),
    operation: Type.Optional(str("Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and 'Update'.")),
    subresource: Type.Optional(str('Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource.')),
    time: Type.Optional(Type.String({ format: 'date-time', description: "Time is the timestamp of when the ManagedFields entry was added." })),
  },
  { additionalProperties: false, description: 'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.', [OPENAPI_DEFINITION]: 'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry' },
);

export const OwnerReferenceSchema = Type.Object(
  {
    apiVersion: str('API version of the referent.'),
    blockOwnerDeletion: Type.Optional(Type.Boolean({ description: 'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.' })),
    controller: Type.Optional(Type.Boolean({ description: 'If true, this reference points to the managing controller.' })),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
  },
  {
    additionalProperties: false,
    description: 'OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.',
    'x-kubernetes-map-type': 'atomic',
    [OPENAPI_DEFINITION]: 'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
  },
);

export const ObjectMetaSchema = Type.Object(
  {
    annotations: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects.' })),
    creationTimestamp: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is represented in RFC3339 form and is in UTC. Populated by the system. Read-only.' })),
    deletionGracePeriodSeconds: Type.Optional(Type.Integer({ format: 'int64', description: 'Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set. Read-only.' })),
    deletionTimestamp: Type.Optional(Type.String({ format: 'date-time', description: 'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. It is set by the server when a graceful deletion is requested by the user, and is not directly settable by a client. Read-only.' })),
    finalizers: Type.Optional(Type.Array(Type.String(), { description: 'Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list.', 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' })),
    generateName: Type.Optional(str('GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.')),
    generation: Type.Optional(Type.Integer({ format: 'int64', description: 'A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.' })),
    labels: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Map of string keys and values that can be used to organize and categorize (scope and select) objects.' })),
    managedFields: Type.Optional(Type.Array(ManagedFieldsEntrySchema, { description: 'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow. This is mostly for internal housekeeping, and users typically shouldn\'t need to set or understand this field.', 'x-kubernetes-list-type': 'atomic' })),
    name: Type.Optional(str('Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.')),
    namespace: Type.Optional(str('Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the "default" namespace, but "default" is the canonical representation. Not all objects are required to be scoped to a namespace - the value of this field for those objects will be empty.')),
    ownerReferences: Type.Optional(Type.Array(OwnerReferenceSchema, { description: 'List of objects depended by this object.', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['uid'], 'x-kubernetes-patch-merge-key': 'uid', 'x-kubernetes-patch-strategy': 'merge' })),
    resourceVersion: Type.Optional(str('An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. Populated by the system. Read-only.')),
    selfLink: Type.Optional(str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.')),
    uid: Type.Optional(str('UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations. Populated by the system. Read-only.')),
  },
  { additionalProperties: false, description: 'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.', [OPENAPI_DEFINITION]: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
);

export const ListMetaSchema = Type.Object(
  {
    continue: Type.Optional(str('continue may be set if the user set a limit on the number of items returned, and indicates that the server has more data available.')),
    remainingItemCount: Type.Optional(Type.Integer({ format: 'int64', description: 'remainingItemCount is the number of subsequent items in the list which are not included in this list response.' })),
    resourceVersion: Type.Optional(str("String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed.")),
    selfLink: Type.Optional(str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.')),
  },
  { additionalProperties: false, description: 'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.', [OPENAPI_DEFINITION]: 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta' },
);

/** The standard `apiVersion` / `kind` / `metadata` properties every kind starts with. */
export function typeMetaProperties(): Record<string, TSchema> {
  return {
    apiVersion: Type.Optional(str('APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.')),
    kind: Type.Optional(str('Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase.')),
    metadata: Type.Optional(ObjectMetaSchema),
  };
}
