// meta/v1 Status as embedded in ImageStreamImport statuses (k8s.io/apimachinery `types.go`; descriptions
// paraphrase upstream's OpenAPI). Written inline: the OpenAPI writer seeds its own meta/v1 Status
// definitions, whose reference sites (no default on the `details` pointer) a TypeBox node cannot reproduce.
import { Type } from '@sinclair/typebox';
import { ListMetaSchema } from '../../../meta/v1/object-meta.js';

const str = (description: string) => Type.Optional(Type.String({ description }));

export const StatusCauseSchema = Type.Object(
  {
    field: str('The field of the resource that has caused this error, as named by its JSON serialization.'),
    message: str('A human-readable description of the cause of the error.'),
    reason: str('A machine-readable description of the cause of the error. If this value is empty there is no information available.'),
  },
  {
    additionalProperties: false,
    description: 'StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.',
  },
);

export const StatusDetailsSchema = Type.Object(
  {
    causes: Type.Optional(
      Type.Array(StatusCauseSchema, {
        description: 'The Causes array includes more details associated with the StatusReason failure. Not all StatusReasons may provide detailed causes.',
        'x-kubernetes-list-type': 'atomic',
      }),
    ),
    group: str('The group attribute of the resource associated with the status StatusReason.'),
    kind: str('The kind attribute of the resource associated with the status StatusReason.'),
    name: str('The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described).'),
    retryAfterSeconds: Type.Optional(Type.Integer({ format: 'int32', description: 'If specified, the time in seconds before the operation should be retried.' })),
    uid: str('UID of the resource. (when there is a single resource which can be described).'),
  },
  {
    additionalProperties: false,
    description:
      'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response. The Reason field of a Status object defines what attributes will be set. Clients must ignore fields that do not match the defined type of each attribute, and should assume that any attribute may be empty, invalid, or under defined.',
  },
);

export const StatusSchema = Type.Object(
  {
    apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
    code: Type.Optional(Type.Integer({ format: 'int32', description: 'Suggested HTTP return code for this status, 0 if not set.' })),
    details: Type.Optional(StatusDetailsSchema),
    kind: str('Kind is a string value representing the REST resource this object represents.'),
    message: str('A human-readable description of the status of this operation.'),
    metadata: Type.Optional(ListMetaSchema),
    reason: str(
      'A machine-readable description of why this operation is in the "Failure" status. If this value is empty there is no information available. A Reason clarifies an HTTP status code but does not override it.',
    ),
    status: str('Status of the operation. One of: "Success" or "Failure".'),
  },
  {
    additionalProperties: false,
    description: 'Status is a return value for calls that don\'t return other objects.',
  },
);
