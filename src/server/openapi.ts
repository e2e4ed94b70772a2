// OpenAPI documents as kube-openapi builds them for a k8s.io/apiserver server: the /openapi/v3 index,
// one OpenAPI 3.0 document per group/version (pkg/builder3) and the Swagger 2.0 document
// (pkg/builder). Paths, operation ids, parameters and responses follow the route table of
// k8s.io/apiserver pkg/endpoints/installer.go; schemas come from each ResourceDefinition's TypeBox
// schema, whose named nodes (OPENAPI_DEFINITION) become shared definitions.
import { createHash } from 'node:crypto';
import type { TSchema } from '@sinclair/typebox';
import { describedField, OPENAPI_FIELD_DESCRIPTION } from '../apis/meta/v1/field-description.js';
import { ListMetaSchema, ObjectMetaSchema, OPENAPI_DEFINITION, typeMetaProperties } from '../apis/meta/v1/object-meta.js';
import type { ResourceDefinition, Verb } from '../registry/resource.js';

export type Schema = { [key: string]: unknown };

export interface OpenAPIOptions {
  /** The PATCH content types the server accepts for a resource: exactly what PATCH operations list. */
  patchTypes(def: ResourceDefinition): string[];
  /**
   * Schemas of kinds that only a subresource returns (e.g. ImageStreamLayers), by kind. A
   * subresource whose kind is neither its parent's, another served kind nor listed here is left out.
   */
  subresourceSchemas?: Record<string, TSchema>;
  info?: { title: string; version: string };
}

export interface GroupVersionKind {
  group: string;
  kind: string;
  version: string;
}

export interface OpenAPIV3Document {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Record<string, Schema>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Schema> };
}

export interface SwaggerDocument {
  swagger: '2.0';
  info: { title: string; version: string };
  paths: Record<string, Schema>;
  definitions: Record<string, Schema>;
  securityDefinitions: Record<string, Schema>;
  security: Record<string, string[]>[];
}

/** Uppercase hex SHA-512: the `?hash=` of a GV document and, quoted, its ETag (kube-openapi handler3). */
export function hashOf(body: string): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

/**
 * `GET /openapi/v3`: one entry per served group/version. `path` is the index key (`apis/<g>/<v>`,
 * no leading slash) and `hash` the hashOf() the exact bytes served for that document.
 */
export function openAPIv3Index(docs: { path: string; hash: string }[]): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { path, hash } of [...docs].sort((a, b) => cmp(a.path, b.path))) {
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}

// ---------------------------------------------------------------------------------------------
// Media types. The server speaks JSON and YAML; watch streams are newline-delimited JSON.

const MEDIA_TYPES = ['application/json', 'application/yaml'];
const STREAM_MEDIA_TYPES = ['application/json;stream=watch'];

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const N = {
  objectMeta: `${META}.ObjectMeta`,
  listMeta: `${META}.ListMeta`,
  time: `${META}.Time`,
  status: `${META}.Status`,
  statusDetails: `${META}.StatusDetails`,
  statusCause: `${META}.StatusCause`,
  deleteOptions: `${META}.DeleteOptions`,
  preconditions: `${META}.Preconditions`,
  patch: `${META}.Patch`,
  watchEvent: `${META}.WatchEvent`,
  apiResource: `${META}.APIResource`,
  apiResourceList: `${META}.APIResourceList`,
  rawExtension: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
} as const;

const V3_REF = '#/components/schemas/';
const V2_REF = '#/definitions/';

// ---------------------------------------------------------------------------------------------
// Query and path parameters (descriptions are the SwaggerDoc of the meta/v1 option types).

type ParamType = 'string' | 'integer' | 'boolean';

interface Param {
  name: string;
  in: 'path' | 'query';
  description: string;
  type: ParamType;
  required?: true;
}

const q = (name: string, type: ParamType, description: string): Param => ({ name, in: 'query', type, description });

const P = {
  pretty: q('pretty', 'string', "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)."),
  dryRun: q('dryRun', 'string', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.'),
  patchFieldManager: q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint. This field is required for apply requests (application/apply-patch) but optional for non-apply patch types (JsonPatch, MergePatch, StrategicMergePatch).'),
  fieldValidation: q('fieldValidation', 'string', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.'),
  force: q('force', 'boolean', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.'),
  ignoreStoreReadError: q('ignoreStoreReadErrorWithClusterBreakingPotential', 'boolean', 'if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error. A resource is considered corrupt if it can not be retrieved from the underlying storage successfully because of a) its data can not be transformed e.g. decryption failure, or b) it fails to decode into an object. NOTE: unsafe deletion ignores finalizer constraints, skips precondition checks, and removes the object from the storage. WARNING: This may potentially break the cluster if the workload associated with the resource being unsafe-deleted relies on normal deletion flow. Use only if you REALLY know what you are doing. The default value is false, and the user must opt in to enable it'),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the "orphan" finalizer will be added to/removed from the object\'s finalizers list. Either this field or PropagationPolicy may be set, but not both.'),
  propagationPolicy: q('propagationPolicy', 'string', "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground."),
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server\'s discretion. Clients should not assume bookmarks are returned at any specific interval, nor may they assume the server will send any BOOKMARK event during a session. If this is not a watch, this field is ignored.'),
  continue: q('continue', 'string', 'The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue) and the server may reject a continue value it does not recognize. If the specified continue value is no longer valid whether due to expiration (generally five to fifteen minutes) or a configuration change on the server, the server will respond with a 410 ResourceExpired error together with a continue token. If the client needs a consistent list, it must restart their list without the continue field. Otherwise, the client may send another list request with the token received with the 410 error, the server will respond with a list starting from the next key, but from the latest snapshot, which is inconsistent from the previous list results - objects that are created, modified, or deleted after the first list request will be included in the response, as long as their keys are after the "next key".\n\nThis field is not supported when watch is true. Clients may start a watch from the last resourceVersion value returned by the server and not miss any modifications.'),
  fieldSelector: q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  labelSelector: q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  limit: q('limit', 'integer', 'limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results. Setting a limit may return fewer than the requested amount of items (up to zero items) in the event all requested objects are filtered out and clients should only use the presence of the continue field to determine whether more results are available. Servers may choose not to support the limit argument and will return all of the available results. If limit is specified and the continue field is empty, clients may assume that no more results are available. This field is not supported if watch is true.\n\nThe server guarantees that the objects returned when using continue will be identical to issuing a single list call without a limit - that is, no objects created, modified, or deleted after the first request is issued will be included in any subsequent continued requests. This is sometimes referred to as a consistent snapshot, and ensures that a client that is using limit to receive smaller chunks of a very large result can ensure they see all possible objects. If objects are updated during a chunked list the version of the object that was present at the time the first list result was calculated is returned.'),
  resourceVersion: q('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls. It is highly recommended that resourceVersionMatch be set for list calls where resourceVersion is set See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', '`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection. Once all such events have been sent, a synthetic "Bookmark" event  will be sent. The bookmark will report the ResourceVersion (RV) corresponding to the set of objects, and be marked with `"k8s.io/initial-events-end": "true"` annotation. Afterwards, the watch stream will proceed as usual, sending watch events corresponding to changes (subsequent to the RV) to objects watched.\n\nWhen `sendInitialEvents` option is set, we require `resourceVersionMatch` option to also be set. The semantic of the watch request is as following: - `resourceVersionMatch` = NotOlderThan\n  is interpreted as "data at least as new as the provided `resourceVersion`"\n  and the bookmark event is send when the state is synced\n  to a `resourceVersion` at least as fresh as the one provided by the ListOptions.\n  If `resourceVersion` is unset, this is interpreted as "consistent read" and the\n  bookmark event is send when the state is synced at least to the moment\n  when request started being processed.\n- `resourceVersionMatch` set to any other value or unset\n  Invalid error is returned.\n\nDefaults to true if `resourceVersion=""` or `resourceVersion="0"` (for backward compatibility reasons) and to false otherwise.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.'),
  watch: q('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.'),
};

const LIST_OPTIONS = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch];
const DELETE_OPTIONS = [P.dryRun, P.gracePeriodSeconds, P.ignoreStoreReadError, P.orphanDependents, P.propagationPolicy];
const CREATE_OPTIONS = [P.dryRun, P.fieldManager, P.fieldValidation];
const UPDATE_OPTIONS = CREATE_OPTIONS;
const PATCH_OPTIONS = [P.dryRun, P.patchFieldManager, P.fieldValidation, P.force];
/** kubectl's fieldValidation probe reads only the PATCH operation's own parameters (§2.3b). */
const PATCH_INLINE = new Set(PATCH_OPTIONS.map((p) => p.name));

const pathParam = (name: string, description: string): Param => ({ name, in: 'path', type: 'string', description, required: true });
const namespaceParam = pathParam('namespace', 'object name and auth scope, such as for teams and projects');

// ---------------------------------------------------------------------------------------------
// meta/v1 definitions the routes refer to, as kube-openapi publishes them.

const ref = (name: string): Schema => ({ $ref: V3_REF + name });
const refProperty = (name: string, extra: Schema = {}): Schema => ({ allOf: [ref(name)], ...extra });

const API_VERSION_DOC = 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC = 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const str = (description: string, extra: Schema = {}): Schema => ({ description, type: 'string', ...extra });
const stringList = (description: string): Schema => ({ description, items: { default: '', type: 'string' }, type: 'array', 'x-kubernetes-list-type': 'atomic' });

/** Definitions that kube registers once for every group/version (their GVK lists name them all). */
function metaDefinitions(servedGroupVersions: { group: string; version: string }[]): Map<string, Schema> {
  const everyGroup = (kind: string) => [{ group: '', kind, version: 'v1' }, ...servedGroupVersions.map((gv) => ({ group: gv.group, kind, version: gv.version }))];
  const defs = new Map<string, Schema>();
  defs.set(N.time, {
    description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
    format: 'date-time',
    type: 'string',
  });
  defs.set(N.patch, { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' });
  defs.set(N.preconditions, {
    description: 'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.',
    properties: { resourceVersion: str('Specifies the target ResourceVersion'), uid: str('Specifies the target UID.') },
    type: 'object',
  });
  defs.set(N.deleteOptions, {
    description: 'DeleteOptions may be provided when deleting an API object.',
    properties: {
      apiVersion: str(API_VERSION_DOC),
      dryRun: stringList('When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed'),
      gracePeriodSeconds: { description: P.gracePeriodSeconds.description, format: 'int64', type: 'integer' },
      ignoreStoreReadErrorWithClusterBreakingPotential: { description: P.ignoreStoreReadError.description, type: 'boolean' },
      kind: str(KIND_DOC),
      orphanDependents: { description: P.orphanDependents.description, type: 'boolean' },
      preconditions: refProperty(N.preconditions, { description: 'Must be fulfilled before a deletion is carried out. If not possible, a 409 Conflict status will be returned.' }),
      propagationPolicy: str(P.propagationPolicy.description),
    },
    type: 'object',
    'x-kubernetes-group-version-kind': everyGroup('DeleteOptions'),
  });
  defs.set(N.statusCause, {
    description: 'StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.',
    properties: {
      field: str('The field of the resource that has caused this error, as named by its JSON serialization. May include dot and postfix notation for nested attributes. Arrays are zero-indexed.  Fields may appear more than once in an array of causes due to fields having multiple errors. Optional.\n\nExamples:\n  "name" - the field "name" on the current resource\n  "items[0].name" - the field "name" on the first array entry in "items"'),
      message: str('A human-readable description of the cause of the error.  This field may be presented as-is to a reader.'),
      reason: str('A machine-readable description of the cause of the error. If this value is empty there is no information available.'),
    },
    type: 'object',
  });
  defs.set(N.statusDetails, {
    description: 'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response. The Reason field of a Status object defines what attributes will be set. Clients must ignore fields that do not match the defined type of each attribute, and should assume that any attribute may be empty, invalid, or under defined.',
    properties: {
      causes: {
        description: 'The Causes array includes more details associated with the StatusReason failure. Not all StatusReasons may provide detailed causes.',
        items: refProperty(N.statusCause, { default: {} }),
        type: 'array',
        'x-kubernetes-list-type': 'atomic',
      },
      group: str('The group attribute of the resource associated with the status StatusReason.'),
      kind: str('The kind attribute of the resource associated with the status StatusReason. On some operations may differ from the requested resource Kind. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds'),
      name: str('The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described).'),
      retryAfterSeconds: { description: 'If specified, the time in seconds before the operation should be retried. Some errors may indicate the client must take an alternate action - for those errors this field may indicate how long to wait before taking the alternate action.', format: 'int32', type: 'integer' },
      uid: str('UID of the resource. (when there is a single resource which can be described). More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids'),
    },
    type: 'object',
  });
  defs.set(N.status, {
    description: "Status is a return value for calls that don't return other objects.",
    properties: {
      apiVersion: str(API_VERSION_DOC),
      code: { description: 'Suggested HTTP return code for this status, 0 if not set.', format: 'int32', type: 'integer' },
      details: refProperty(N.statusDetails, { description: 'Extended data associated with the reason.  Each reason may define its own extended details. This field is optional and the data returned is not guaranteed to conform to any schema except that defined by the reason type.' }),
      kind: str(KIND_DOC),
      message: str('A human-readable description of the status of this operation.'),
      metadata: refProperty(N.listMeta, { default: {}, description: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds' }),
      reason: str('A machine-readable description of why this operation is in the "Failure" status. If this value is empty there is no information available. A Reason clarifies an HTTP status code but does not override it.'),
      status: str('Status of the operation. One of: "Success" or "Failure". More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'),
    },
    type: 'object',
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
  });
  defs.set(N.rawExtension, {
    description: 'RawExtension is used to hold extensions in external versions.\n\nTo use this, make a field which has RawExtension as its type in your external, versioned struct, and Object in your internal struct. You also need to register your various plugin types.\n\n// Internal package:\n\n\ttype MyAPIObject struct {\n\t\truntime.TypeMeta `json:",inline"`\n\t\tMyPlugin runtime.Object `json:"myPlugin"`\n\t}\n\n\ttype PluginA struct {\n\t\tAOption string `json:"aOption"`\n\t}\n\n// External package:\n\n\ttype MyAPIObject struct {\n\t\truntime.TypeMeta `json:",inline"`\n\t\tMyPlugin runtime.RawExtension `json:"myPlugin"`\n\t}\n\n\ttype PluginA struct {\n\t\tAOption string `json:"aOption"`\n\t}\n\n// On the wire, the JSON will look something like this:\n\n\t{\n\t\t"kind":"MyAPIObject",\n\t\t"apiVersion":"v1",\n\t\t"myPlugin": {\n\t\t\t"kind":"PluginA",\n\t\t\t"aOption":"foo",\n\t\t},\n\t}\n\nSo what happens? Decode first uses json or yaml to unmarshal the serialized data into your external MyAPIObject. That causes the raw JSON to be stored, but not unpacked. The next step is to copy (using pkg/conversion) into the internal struct. The runtime package\'s DefaultScheme has conversion functions installed which will unpack the JSON stored in RawExtension, turning it into the correct object type, and storing it in the Object.',
    type: 'object',
  });
  defs.set(N.watchEvent, {
    description: 'Event represents a single event to a watched resource.',
    properties: {
      object: refProperty(N.rawExtension, { description: 'Object is:\n * If Type is Added or Modified: the new state of the object.\n * If Type is Deleted: the state of the object immediately before deletion.\n * If Type is Error: *Status is recommended; other types may make sense\n   depending on context.' }),
      type: { default: '', type: 'string' },
    },
    required: ['type', 'object'],
    type: 'object',
    'x-kubernetes-group-version-kind': everyGroup('WatchEvent'),
  });
  defs.set(N.apiResource, {
    description: 'APIResource specifies the name of a resource and whether it is namespaced.',
    properties: {
      categories: stringList("categories is a list of the grouped resources this resource belongs to (e.g. 'all')"),
      group: str('group is the preferred group of the resource.  Empty implies the group of the containing resource list. For subresources, this may have a different value, for example: Scale".'),
      kind: str("kind is the kind for the resource (e.g. 'Foo' is the kind for a resource 'foo')", { default: '' }),
      name: str('name is the plural name of the resource.', { default: '' }),
      namespaced: { default: false, description: 'namespaced indicates if a resource is namespaced or not.', type: 'boolean' },
      shortNames: stringList('shortNames is a list of suggested short names of the resource.'),
      singularName: str('singularName is the singular name of the resource.  This allows clients to handle plural and singular opaquely. The singularName is more correct for reporting status on a single item and both singular and plural are allowed from the kubectl CLI interface.', { default: '' }),
      storageVersionHash: str('The hash value of the storage version, the version this resource is converted to when written to the data store. Value must be treated as opaque by clients. Only equality comparison on the value is valid. This is an alpha feature and may change or be removed in the future. The field is populated by the apiserver only if the StorageVersionHash feature gate is enabled. This field will remain optional even if it graduates.'),
      verbs: { description: 'verbs is a list of supported kube verbs (this includes get, list, watch, create, update, patch, delete, deletecollection, and proxy)', items: { default: '', type: 'string' }, type: 'array' },
      version: str("version is the preferred version of the resource.  Empty implies the version of the containing resource list For subresources, this may have a different value, for example: v1 (while inside a v1beta1 version of the core resource's group)\"."),
    },
    required: ['name', 'singularName', 'namespaced', 'kind', 'verbs'],
    type: 'object',
  });
  defs.set(N.apiResourceList, {
    description: 'APIResourceList is a list of APIResource, it is used to expose the name of the resources supported in a specific group and version, and if the resource is namespaced.',
    properties: {
      apiVersion: str(API_VERSION_DOC),
      groupVersion: str('groupVersion is the group and version this APIResourceList is for.', { default: '' }),
      kind: str(KIND_DOC),
      resources: { description: 'resources contains the name of the resources and if they are namespaced.', items: refProperty(N.apiResource, { default: {} }), type: 'array', 'x-kubernetes-list-type': 'atomic' },
    },
    required: ['groupVersion', 'resources'],
    type: 'object',
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'APIResourceList', version: 'v1' }],
  });
  return defs;
}

// ---------------------------------------------------------------------------------------------
// TypeBox (JSON Schema) -> OpenAPI 3.0 schema.

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

// Keywords OpenAPI 3.0 schema objects share with JSON Schema; everything else (TypeBox's $id,
// const, patternProperties...) is either converted below or dropped. `x-` extensions pass through.
const PASS_THROUGH = new Set([
  'type', 'format', 'description', 'title', 'default', 'enum', 'pattern', 'maxLength', 'minLength', 'maximum', 'minimum',
  'multipleOf', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'example', 'readOnly', 'writeOnly',
  'deprecated', 'nullable',
]);

/** Definitions discovered while converting schemas, by OpenAPI name. */
class DefinitionCollector {
  readonly definitions = new Map<string, Schema>();

  /** kube's own meta/v1 definitions, published as kube-openapi does whatever a kind's schema says of them. */
  private readonly seeded: ReadonlySet<string>;

  constructor(seed: Map<string, Schema>) {
    for (const [name, schema] of seed) this.definitions.set(name, schema);
    this.seeded = new Set(seed.keys());
  }

  /** Names whose body is being converted: a schema that contains itself refers, not recurses. */
  private readonly pending = new Set<string>();

  /** Converts `node` as the body of definition `name` and records it. */
  define(name: string, node: Schema): void {
    // A kind embedding a meta/v1 type (a Status inside its status, say) refers to kube's definition.
    if (this.pending.has(name) || this.seeded.has(name)) return;
    this.pending.add(name);
    try {
      const next = this.body(node);
      const existing = this.definitions.get(name);
      if (!existing) this.definitions.set(name, next);
      else if (stableStringify(comparable(existing)) !== stableStringify(comparable(next))) {
        throw new Error(`OpenAPI definition ${name} is declared by two different schemas`);
      }
    } finally {
      this.pending.delete(name);
    }
  }

  /**
   * The schema of a property, array item or map value: named nodes become references. Only
   * properties describe the reference (kube-openapi takes it from the field's comment); an item or
   * map value has no field of its own.
   */
  site(node: unknown, describe = true): Schema {
    if (!isObject(node)) return {};
    const name = node[OPENAPI_DEFINITION];
    if (typeof name === 'string') {
      this.define(name, node);
      // The field's own text only: the type's description already sits on the definition.
      const own = node[OPENAPI_FIELD_DESCRIPTION];
      return this.reference(name, node, describe && typeof own === 'string' ? { description: own } : {});
    }
    const description = describe && typeof node.description === 'string' ? { description: node.description } : {};
    if (isPlainDateTime(node)) return refProperty(N.time, description);
    return this.body(node);
  }

  private reference(name: string, node: Schema, description: Schema): Schema {
    const site: Schema = { ...description };
    // kube-openapi defaults every struct-valued field to {} (Go zero value of a non-pointer struct).
    if (node.type === 'object') site.default = {};
    return refProperty(name, site);
  }

  /** Converts one schema node, keeping the node itself inline. */
  body(node: Schema): Schema {
    const union = this.union(node);
    if (union) return union;
    const out: Schema = {};
    for (const [key, value] of Object.entries(node)) {
      if (PASS_THROUGH.has(key) || key.startsWith('x-')) {
        if (key !== OPENAPI_DEFINITION && key !== OPENAPI_FIELD_DESCRIPTION) out[key] = value;
      }
    }
    if (Array.isArray(node.type)) {
      // JSON Schema's ["string","null"]: OpenAPI 3.0 has one type plus nullable.
      const types = node.type.filter((t) => t !== 'null');
      if (types.length === 1) out.type = types[0];
      else delete out.type;
      if (types.length < node.type.length) out.nullable = true;
    }
    if ('const' in node) out.enum = [node.const];
    if (typeof node.exclusiveMinimum === 'number') Object.assign(out, { minimum: node.exclusiveMinimum, exclusiveMinimum: true });
    if (typeof node.exclusiveMaximum === 'number') Object.assign(out, { maximum: node.exclusiveMaximum, exclusiveMaximum: true });
    if (isObject(node.properties) && Object.keys(node.properties).length > 0) {
      out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, this.site(v)]));
    }
    if (Array.isArray(node.required) && node.required.length > 0) out.required = [...node.required];
    if (node.items !== undefined) out.items = this.site(node.items, false);
    if (isObject(node.additionalProperties)) out.additionalProperties = this.site(node.additionalProperties, false);
    if (isObject(node.patternProperties)) {
      // A TypeBox Record is a single catch-all pattern: OpenAPI spells that additionalProperties.
      const [first] = Object.values(node.patternProperties);
      if (first !== undefined) out.additionalProperties = this.site(first, false);
    }
    for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
      if (Array.isArray(node[key])) out[key] = (node[key] as unknown[]).map((branch) => this.site(branch));
    }
    if (isObject(node.not)) out.not = this.site(node.not);
    return out;
  }

  /** anyOf forms with an OpenAPI 3.0 spelling: nullable, enums of literals, int-or-string. */
  private union(node: Schema): Schema | undefined {
    if (!Array.isArray(node.anyOf)) return undefined;
    const branches = node.anyOf.filter(isObject);
    const { anyOf: _anyOf, ...rest } = node;
    const annotations = this.body(rest);
    const nonNull = branches.filter((b) => b.type !== 'null');
    if (nonNull.length === 1 && branches.length === 2) {
      return { ...this.site(nonNull[0]), ...annotations, nullable: true };
    }
    if (branches.length > 0 && branches.every((b) => 'const' in b)) {
      const types = new Set(branches.map((b) => b.type ?? typeof b.const));
      return { ...(types.size === 1 ? { type: [...types][0] } : {}), ...annotations, enum: branches.map((b) => b.const) };
    }
    const types = new Set(branches.map((b) => b.type));
    if (branches.length === 2 && types.has('integer') && types.has('string')) {
      // intstr.IntOrString is published as a formatted string.
      return { ...annotations, format: 'int-or-string', type: 'string' };
    }
    return undefined;
  }
}

const isPlainDateTime = (node: Schema) => node.type === 'string' && node.format === 'date-time' && node.pattern === undefined;

/** What must agree when two schema nodes claim one definition name: all but the annotations
 * that legitimately differ per use (description) or are added later (the kinds it serves as). */
function comparable(schema: Schema): Schema {
  const { description: _d, 'x-kubernetes-group-version-kind': _g, ...rest } = schema;
  return rest;
}

/** JSON with object keys sorted at every level (arrays keep their order). */
function stableStringify(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const out: Schema = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Definitions of the served kinds.

const gvkOf = (group: string, version: string, kind: string): GroupVersionKind => ({ group, kind, version });

/** `com.github.openshift.api.image.v1.Image` -> `com.github.openshift.api.image.v1.<kind>`. */
const siblingName = (openAPIName: string, kind: string) => `${openAPIName.slice(0, openAPIName.lastIndexOf('.') + 1)}${kind}`;

function listSchema(def: ResourceDefinition): Schema {
  const typeMeta = typeMetaProperties();
  const { description: _kindDescription, ...kind } = def.schema as Schema;
  // apiextensions' builder words a custom resource's list its own way (buildListSchema).
  const crd = def.validation === 'crd';
  return {
    description: crd ? `${def.listKind} is a list of ${def.kind}` : `${def.listKind} is a list of ${def.kind} objects.`,
    properties: {
      apiVersion: typeMeta.apiVersion,
      items: {
        description: crd ? `List of ${def.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md` : `Items is a list of ${def.kind} objects.`,
        items: { ...kind, [OPENAPI_DEFINITION]: def.openAPIName },
        type: 'array',
      },
      kind: typeMeta.kind,
      metadata: describedField(ListMetaSchema, 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds'),
    },
    required: ['items'],
    type: 'object',
  };
}

/** What an operation returns for a subresource: its definition name and GVK, if its schema is known. */
interface SubresourceTarget {
  definition: string;
  gvk: GroupVersionKind;
}

function subresourceTarget(defs: ResourceDefinition[], def: ResourceDefinition, kind: string, options: OpenAPIOptions, collector: DefinitionCollector): SubresourceTarget | undefined {
  const gvk = gvkOf(def.group, def.version, kind);
  if (kind === def.kind) return { definition: def.openAPIName, gvk };
  const served = defs.find((d) => d.group === def.group && d.version === def.version && d.kind === kind);
  if (served) return { definition: served.openAPIName, gvk };
  const schema = options.subresourceSchemas?.[kind] as Schema | undefined;
  if (!schema) return undefined;
  const declared = schema[OPENAPI_DEFINITION];
  const definition = typeof declared === 'string' ? declared : siblingName(def.openAPIName, kind);
  collector.define(definition, schema);
  tagKind(collector, definition, gvk);
  return { definition, gvk };
}

function tagKind(collector: DefinitionCollector, name: string, gvk: GroupVersionKind): void {
  const schema = collector.definitions.get(name)!;
  const known = (schema['x-kubernetes-group-version-kind'] as GroupVersionKind[] | undefined) ?? [];
  if (!known.some((k) => k.group === gvk.group && k.version === gvk.version && k.kind === gvk.kind)) {
    schema['x-kubernetes-group-version-kind'] = [...known, gvk];
  }
}

// ---------------------------------------------------------------------------------------------
// Routes (k8s.io/apiserver pkg/endpoints/installer.go registerResourceHandlers).

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

interface Response {
  code: '200' | '201' | '202' | '401';
  description: string;
  definition?: string;
}

interface Operation {
  path: string;
  method: Method;
  operationId: string;
  description: string;
  tag: string;
  action?: string;
  gvk?: GroupVersionKind;
  params: Param[];
  body?: { definition: string; required: boolean; contentTypes: string[] };
  produces: string[];
  responses: Response[];
}

/** kube-openapi ToValidOperationID: drops punctuation and camel-cases what follows it. */
function toValidOperationID(s: string, capitalizeFirst: boolean): string {
  let out = '';
  let capitalize = capitalizeFirst;
  [...s].forEach((ch, i) => {
    if (/\p{L}/u.test(ch) || ch === '_' || (i !== 0 && /\p{Nd}/u.test(ch))) {
      out += capitalize ? ch.toUpperCase() : ch;
      capitalize = false;
    } else {
      capitalize = true;
    }
  });
  return out;
}

/** The group/version part of operation ids and tags (k8s.io/apiserver pkg/endpoints/openapi GetOperationIDAndTags). */
function naming(group: string, version: string) {
  const trimmed = (group || 'core').replace(/\.k8s\.io$/, '');
  const gv = toValidOperationID(trimmed, true) + toValidOperationID(version, true);
  return {
    tag: `${toValidOperationID(trimmed, false)}_${toValidOperationID(version, false)}`,
    // The verb trie matches the shortest prefix, so `deletecollection` splits into delete + Collection.
    operationId: (verb: string, rest: string) => (verb === 'deletecollection' ? `delete${gv}Collection${rest}` : `${verb}${gv}${rest}`),
  };
}

/** installer.go GetArticleForNoun with padding " ". */
function article(noun: string): string {
  if (!noun.endsWith('ss') && noun.endsWith('s')) return ' ';
  return /^[aeiou]/i.test(noun) ? ' an ' : ' a ';
}

const title = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);

const ok = (definition: string): Response => ({ code: '200', description: 'OK', definition });
const created = (definition: string): Response => ({ code: '201', description: 'Created', definition });
const accepted = (definition: string): Response => ({ code: '202', description: 'Accepted', definition });
const unauthorized: Response = { code: '401', description: 'Unauthorized' };

function resourceOperations(defs: ResourceDefinition[], def: ResourceDefinition, options: OpenAPIOptions, collector: DefinitionCollector): Operation[] {
  const { tag, operationId } = naming(def.group, def.version);
  const root = `/apis/${def.group}/${def.version}`;
  const has = (verb: Verb) => def.verbs.includes(verb);
  const namespaced = def.namespaced ? 'Namespaced' : '';
  const scope = def.namespaced ? `namespaces/{namespace}/${def.plural}` : def.plural;
  const scopeParams = def.namespaced ? [namespaceParam] : [];
  const nameParam = (kind: string) => pathParam('name', `name of the ${kind}`);
  const kindGVK = gvkOf(def.group, def.version, def.kind);
  const listName = siblingName(def.openAPIName, def.listKind);
  const ops: Operation[] = [];
  const op = (o: Omit<Operation, 'tag' | 'params'> & { params: Param[] }): void => {
    ops.push({ ...o, tag, params: [...o.params, P.pretty] });
  };

  const collectionPath = `${root}/${scope}`;
  const itemPath = `${collectionPath}/{name}`;
  const itemParams = [...scopeParams, nameParam(def.kind)];
  const streaming = [...MEDIA_TYPES, ...STREAM_MEDIA_TYPES];

  if (has('list')) {
    const description = has('watch') ? `list or watch objects of kind ${def.kind}` : `list objects of kind ${def.kind}`;
    op({ path: collectionPath, method: 'get', operationId: operationId('list', `${namespaced}${def.kind}`), description, action: 'list', gvk: kindGVK, params: [...scopeParams, ...LIST_OPTIONS], produces: streaming, responses: [ok(listName), unauthorized] });
    if (def.namespaced) {
      op({ path: `${root}/${def.plural}`, method: 'get', operationId: operationId('list', `${def.kind}ForAllNamespaces`), description, action: 'list', gvk: kindGVK, params: LIST_OPTIONS, produces: streaming, responses: [ok(listName), unauthorized] });
    }
  }
  if (has('create')) {
    op({ path: collectionPath, method: 'post', operationId: operationId('create', `${namespaced}${def.kind}`), description: `create${article(def.kind)}${def.kind}`, action: 'post', gvk: kindGVK, params: [...scopeParams, ...CREATE_OPTIONS], body: { definition: def.openAPIName, required: true, contentTypes: ['*/*'] }, produces: MEDIA_TYPES, responses: [ok(def.openAPIName), created(def.openAPIName), accepted(def.openAPIName), unauthorized] });
  }
  if (has('deletecollection')) {
    const listParams = LIST_OPTIONS.filter((p) => p !== P.watch && p !== P.allowWatchBookmarks);
    op({ path: collectionPath, method: 'delete', operationId: operationId('deletecollection', `${namespaced}${def.kind}`), description: `delete collection of ${def.kind}`, action: 'deletecollection', gvk: kindGVK, params: [...scopeParams, ...DELETE_OPTIONS, ...listParams], body: { definition: N.deleteOptions, required: false, contentTypes: ['*/*'] }, produces: MEDIA_TYPES, responses: [ok(N.status), unauthorized] });
  }
  if (has('watch') && has('list')) {
    const description = `watch individual changes to a list of ${def.kind}. deprecated: use the 'watch' parameter with a list operation instead.`;
    op({ path: `${root}/watch/${scope}`, method: 'get', operationId: operationId('watch', `${namespaced}${def.kind}List`), description, action: 'watchlist', gvk: kindGVK, params: [...scopeParams, ...LIST_OPTIONS], produces: streaming, responses: [ok(N.watchEvent), unauthorized] });
    if (def.namespaced) {
      op({ path: `${root}/watch/${def.plural}`, method: 'get', operationId: operationId('watch', `${def.kind}ListForAllNamespaces`), description, action: 'watchlist', gvk: kindGVK, params: LIST_OPTIONS, produces: streaming, responses: [ok(N.watchEvent), unauthorized] });
    }
  }
  if (has('get')) {
    op({ path: itemPath, method: 'get', operationId: operationId('read', `${namespaced}${def.kind}`), description: `read the specified ${def.kind}`, action: 'get', gvk: kindGVK, params: itemParams, produces: MEDIA_TYPES, responses: [ok(def.openAPIName), unauthorized] });
  }
  if (has('update')) {
    op({ path: itemPath, method: 'put', operationId: operationId('replace', `${namespaced}${def.kind}`), description: `replace the specified ${def.kind}`, action: 'put', gvk: kindGVK, params: [...itemParams, ...UPDATE_OPTIONS], body: { definition: def.openAPIName, required: true, contentTypes: ['*/*'] }, produces: MEDIA_TYPES, responses: [ok(def.openAPIName), created(def.openAPIName), unauthorized] });
  }
  if (has('patch')) {
    op({ path: itemPath, method: 'patch', operationId: operationId('patch', `${namespaced}${def.kind}`), description: `partially update the specified ${def.kind}`, action: 'patch', gvk: kindGVK, params: [...itemParams, ...PATCH_OPTIONS], body: { definition: N.patch, required: true, contentTypes: options.patchTypes(def) }, produces: MEDIA_TYPES, responses: [ok(def.openAPIName), created(def.openAPIName), unauthorized] });
  }
  if (has('delete')) {
    op({ path: itemPath, method: 'delete', operationId: operationId('delete', `${namespaced}${def.kind}`), description: `delete${article(def.kind)}${def.kind}`, action: 'delete', gvk: kindGVK, params: [...itemParams, ...DELETE_OPTIONS], body: { definition: N.deleteOptions, required: false, contentTypes: ['*/*'] }, produces: MEDIA_TYPES, responses: [ok(N.status), accepted(N.status), unauthorized] });
  }
  if (has('watch')) {
    const description = `watch changes to an object of kind ${def.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`;
    op({ path: `${root}/watch/${scope}/{name}`, method: 'get', operationId: operationId('watch', `${namespaced}${def.kind}`), description, action: 'watch', gvk: kindGVK, params: [...itemParams, ...LIST_OPTIONS], produces: streaming, responses: [ok(N.watchEvent), unauthorized] });
  }

  for (const sub of def.subresources ?? []) {
    const target = subresourceTarget(defs, def, sub.kind, options, collector);
    if (!target) continue;
    const path = `${itemPath}/${sub.name}`;
    const params = [...scopeParams, nameParam(sub.kind)];
    const rest = `${namespaced}${def.kind}${title(sub.name)}`;
    const common = { path, gvk: target.gvk, produces: MEDIA_TYPES };
    const returned = target.definition;
    if (sub.verbs.includes('get')) {
      op({ ...common, method: 'get', operationId: operationId('read', rest), description: `read ${sub.name} of the specified ${def.kind}`, action: 'get', params, responses: [ok(returned), unauthorized] });
    }
    if (sub.verbs.includes('create')) {
      op({ ...common, method: 'post', operationId: operationId('create', rest), description: `create ${sub.name} of${article(def.kind)}${def.kind}`, action: 'post', params: [...params, ...CREATE_OPTIONS], body: { definition: returned, required: true, contentTypes: ['*/*'] }, responses: [ok(returned), created(returned), accepted(returned), unauthorized] });
    }
    if (sub.verbs.includes('update')) {
      op({ ...common, method: 'put', operationId: operationId('replace', rest), description: `replace ${sub.name} of the specified ${def.kind}`, action: 'put', params: [...params, ...UPDATE_OPTIONS], body: { definition: returned, required: true, contentTypes: ['*/*'] }, responses: [ok(returned), created(returned), unauthorized] });
    }
    if (sub.verbs.includes('patch')) {
      op({ ...common, method: 'patch', operationId: operationId('patch', rest), description: `partially update ${sub.name} of the specified ${def.kind}`, action: 'patch', params: [...params, ...PATCH_OPTIONS], body: { definition: N.patch, required: true, contentTypes: options.patchTypes(def) }, responses: [ok(returned), created(returned), unauthorized] });
    }
    if (sub.verbs.includes('delete')) {
      op({ ...common, method: 'delete', operationId: operationId('delete', rest), description: `delete ${sub.name} of${article(def.kind)}${def.kind}`, action: 'delete', params: [...params, ...DELETE_OPTIONS], body: { definition: N.deleteOptions, required: false, contentTypes: ['*/*'] }, responses: [ok(N.status), accepted(N.status), unauthorized] });
    }
  }
  return ops;
}

/** `GET /apis/<group>/<version>/`: the APIResourceList route every group/version has. */
function resourceListOperation(group: string, version: string): Operation {
  const { tag, operationId } = naming(group, version);
  return {
    path: `/apis/${group}/${version}/`,
    method: 'get',
    operationId: operationId('get', 'APIResources'),
    description: 'get available resources',
    tag,
    params: [],
    produces: MEDIA_TYPES,
    responses: [ok(N.apiResourceList), unauthorized],
  };
}

// ---------------------------------------------------------------------------------------------
// Assembly.

interface Model {
  operations: Operation[];
  definitions: Map<string, Schema>;
}

function servedGroupVersions(defs: ResourceDefinition[]) {
  const seen = new Map<string, { group: string; version: string }>();
  for (const d of defs) seen.set(`${d.group}/${d.version}`, { group: d.group, version: d.version });
  return [...seen.values()].sort((a, b) => (a.group === b.group ? cmp(a.version, b.version) : cmp(a.group, b.group)));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Operations and definitions for `selected` (all served kinds stay known, for subresource kinds). */
function buildModel(defs: ResourceDefinition[], selected: ResourceDefinition[], options: OpenAPIOptions): Model {
  const gvs = servedGroupVersions(defs);
  const collector = new DefinitionCollector(metaDefinitions(gvs));
  collector.define(N.objectMeta, ObjectMetaSchema as Schema);
  collector.define(N.listMeta, ListMetaSchema as Schema);
  for (const def of selected) {
    collector.define(def.openAPIName, def.schema as Schema);
    tagKind(collector, def.openAPIName, gvkOf(def.group, def.version, def.kind));
    if (def.verbs.includes('list')) {
      const listName = siblingName(def.openAPIName, def.listKind);
      collector.define(listName, listSchema(def));
      tagKind(collector, listName, gvkOf(def.group, def.version, def.listKind));
    }
  }
  const operations: Operation[] = [];
  for (const gv of servedGroupVersions(selected)) operations.push(resourceListOperation(gv.group, gv.version));
  for (const def of selected) operations.push(...resourceOperations(defs, def, options, collector));
  return { operations, definitions: collector.definitions };
}

const paramKey = (p: Param) => `${p.in}:${p.name}`;
const byParamName = (a: Param, b: Param) => cmp(a.name, b.name) || cmp(a.in, b.in);

/**
 * Groups operations by path and moves the parameters every operation of a path shares to the
 * path (kube-openapi findCommonParameters), except PATCH's own options.
 */
function pathItems(operations: Operation[]): Map<string, { params: Param[]; operations: Operation[] }> {
  const byPath = new Map<string, Operation[]>();
  for (const o of operations) byPath.set(o.path, [...(byPath.get(o.path) ?? []), o]);
  const items = new Map<string, { params: Param[]; operations: Operation[] }>();
  for (const path of [...byPath.keys()].sort()) {
    const ops = byPath.get(path)!;
    const hasPatch = ops.some((o) => o.method === 'patch');
    const common = ops[0].params.filter(
      (p) => ops.every((o) => o.params.some((x) => paramKey(x) === paramKey(p))) && !(hasPatch && PATCH_INLINE.has(p.name)),
    );
    const commonKeys = new Set(common.map(paramKey));
    items.set(path, {
      params: [...common].sort(byParamName),
      operations: ops.map((o) => ({ ...o, params: o.params.filter((p) => !commonKeys.has(paramKey(p))).sort(byParamName) })),
    });
  }
  return items;
}

/** Every definition name reachable from `roots` through `$ref`s. */
function reachable(roots: unknown, definitions: Map<string, Schema>, prefix: string): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(prefix)) {
        const name = child.slice(prefix.length);
        if (!found.has(name)) {
          found.add(name);
          visit(definitions.get(name));
        }
      } else {
        visit(child);
      }
    }
  };
  visit(roots);
  return found;
}

function pruned(definitions: Map<string, Schema>, paths: unknown, prefix: string): Record<string, Schema> {
  const keep = reachable(paths, definitions, prefix);
  const out: Record<string, Schema> = {};
  for (const name of [...keep].sort()) {
    const schema = definitions.get(name);
    if (!schema) throw new Error(`OpenAPI definition ${name} is referenced but not defined`);
    out[name] = schema;
  }
  return out;
}

const BEARER_TOKEN: Schema = { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' };
const DEFAULT_INFO = { title: 'Kubernetes', version: 'unversioned' };

// ---------------------------------------------------------------------------------------------
// OpenAPI 3.0 rendering.

function v3Param(p: Param): Schema {
  return { description: p.description, in: p.in, name: p.name, ...(p.required ? { required: true } : {}), schema: { type: p.type, uniqueItems: true } };
}

function v3Operation(o: Operation): Schema {
  const out: Schema = { description: o.description, operationId: o.operationId };
  if (o.params.length) out.parameters = o.params.map(v3Param);
  if (o.body) {
    const content = Object.fromEntries(o.body.contentTypes.map((t) => [t, { schema: ref(o.body!.definition) }]));
    out.requestBody = { content, ...(o.body.required ? { required: true } : {}) };
  }
  out.responses = Object.fromEntries(
    o.responses.map((r) => [
      r.code,
      r.definition
        ? { content: Object.fromEntries(o.produces.map((t) => [t, { schema: ref(r.definition!) }])), description: r.description }
        : { description: r.description },
    ]),
  );
  out.tags = [o.tag];
  if (o.action) out['x-kubernetes-action'] = o.action;
  if (o.gvk) out['x-kubernetes-group-version-kind'] = o.gvk;
  return out;
}

function v3Paths(operations: Operation[]): Record<string, Schema> {
  const paths: Record<string, Schema> = {};
  for (const [path, item] of pathItems(operations)) {
    const rendered: Schema = {};
    if (item.params.length) rendered.parameters = item.params.map(v3Param);
    for (const o of item.operations) rendered[o.method] = v3Operation(o);
    paths[path] = rendered;
  }
  return paths;
}

/**
 * `GET /openapi/v3/apis/<group>/<version>`: the document kube-openapi's builder3 produces for one
 * group/version; undefined for a group/version this server does not serve.
 */
export function openAPIv3GroupVersion(defs: ResourceDefinition[], group: string, version: string, options: OpenAPIOptions): OpenAPIV3Document | undefined {
  const selected = defs.filter((d) => d.group === group && d.version === version);
  if (!selected.length) return undefined;
  const model = buildModel(defs, selected, options);
  const paths = v3Paths(model.operations);
  const doc: OpenAPIV3Document = {
    openapi: '3.0.0',
    info: options.info ?? DEFAULT_INFO,
    paths,
    components: { schemas: pruned(model.definitions, paths, V3_REF), securitySchemes: { BearerToken: BEARER_TOKEN } },
  };
  return sortKeys(doc) as OpenAPIV3Document;
}

// ---------------------------------------------------------------------------------------------
// Swagger 2.0 rendering.

/** OpenAPI 3.0 schema -> Swagger 2.0: `$ref` beside its siblings, no nullable, no anyOf/oneOf. */
function v2Schema(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, child] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'anyOf' || key === 'oneOf') continue;
    if (key === '$ref' && typeof child === 'string') {
      out.$ref = child.replace(V3_REF, V2_REF);
    } else if (key === 'allOf' && Array.isArray(child)) {
      const [only] = child;
      if (child.length === 1 && isObject(only) && typeof only.$ref === 'string') out.$ref = only.$ref.replace(V3_REF, V2_REF);
      else out.allOf = child.filter(isObject).map(v2Schema);
    } else if (key === 'properties' && isObject(child)) {
      out.properties = Object.fromEntries(Object.entries(child).map(([name, prop]) => [name, isObject(prop) ? v2Schema(prop) : prop]));
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isObject(child)) {
      out[key] = v2Schema(child);
    } else {
      out[key] = child;
    }
  }
  return out;
}

function v2Param(p: Param): Schema {
  return { description: p.description, in: p.in, name: p.name, ...(p.required ? { required: true } : {}), type: p.type, uniqueItems: true };
}

function v2Operation(o: Operation): Schema {
  const params: Schema[] = o.params.map(v2Param);
  if (o.body) params.push({ in: 'body', name: 'body', ...(o.body.required ? { required: true } : {}), schema: { $ref: V2_REF + o.body.definition } });
  params.sort((a, b) => cmp(a.name as string, b.name as string));
  const out: Schema = {
    // Routes without a body inherit the web service's `*/*`; the discovery route lists its own types.
    consumes: o.body ? o.body.contentTypes : o.action ? ['*/*'] : MEDIA_TYPES,
    description: o.description,
    operationId: o.operationId,
  };
  if (params.length) out.parameters = params;
  out.produces = o.produces;
  out.responses = Object.fromEntries(
    o.responses.map((r) => [r.code, r.definition ? { description: r.description, schema: { $ref: V2_REF + r.definition } } : { description: r.description }]),
  );
  out.schemes = ['https'];
  out.tags = [o.tag];
  if (o.action) out['x-kubernetes-action'] = o.action;
  if (o.gvk) out['x-kubernetes-group-version-kind'] = o.gvk;
  return out;
}

/** `GET /openapi/v2`: the Swagger 2.0 document of every served group/version. */
export function openAPIv2(defs: ResourceDefinition[], options: OpenAPIOptions): SwaggerDocument {
  const model = buildModel(defs, defs, options);
  const paths: Record<string, Schema> = {};
  for (const [path, item] of pathItems(model.operations)) {
    const rendered: Schema = {};
    if (item.params.length) rendered.parameters = item.params.map(v2Param);
    for (const o of item.operations) rendered[o.method] = v2Operation(o);
    paths[path] = rendered;
  }
  const definitions = Object.fromEntries([...model.definitions].map(([name, schema]) => [name, v2Schema(schema)]));
  const doc: SwaggerDocument = {
    swagger: '2.0',
    info: options.info ?? DEFAULT_INFO,
    paths,
    definitions: pruned(new Map(Object.entries(definitions)), paths, V2_REF),
    securityDefinitions: { BearerToken: BEARER_TOKEN },
    security: [{ BearerToken: [] }],
  };
  return sortKeys(doc) as SwaggerDocument;
}
