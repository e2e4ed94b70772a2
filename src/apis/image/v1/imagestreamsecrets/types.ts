// image.openshift.io/v1 SecretList, the response of GET imagestreams/{name}/secrets: openshift/api declares
// it as `type SecretList corev1.SecretList`, so its items are core/v1 Secrets (schemas and descriptions as
// the OpenAPI of openshift/api and Kubernetes have them).
import { Type } from '@sinclair/typebox';
import type { ListMeta, ObjectMeta } from '../../../../machinery/object.js';
import { ListMetaSchema, ObjectMetaSchema, OPENAPI_DEFINITION, typeMetaProperties } from '../../../meta/v1/object-meta.js';
import { describedField } from '../../../meta/v1/field-description.js';

const typeMeta = typeMetaProperties();

export const SecretSchema = Type.Object(
  {
    apiVersion: typeMeta.apiVersion,
    data: Type.Optional(
      Type.Record(Type.String(), Type.String({ format: 'byte' }), {
        description:
          "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
      }),
    ),
    immutable: Type.Optional(
      Type.Boolean({
        description:
          'Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.',
      }),
    ),
    kind: typeMeta.kind,
    metadata: Type.Optional(
      describedField(ObjectMetaSchema, "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"),
    ),
    stringData: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description:
          'stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values. The stringData field is never output when reading from the API.',
      }),
    ),
    type: Type.Optional(
      Type.String({
        description: 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
    [OPENAPI_DEFINITION]: 'io.k8s.api.core.v1.Secret',
  },
);

export const SecretListSchema = Type.Object(
  {
    apiVersion: typeMeta.apiVersion,
    items: Type.Optional(Type.Array(SecretSchema, { description: 'Items is a list of secret objects. More info: https://kubernetes.io/docs/concepts/configuration/secret' })),
    kind: typeMeta.kind,
    metadata: Type.Optional(
      describedField(ListMetaSchema, 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds'),
    ),
  },
  {
    additionalProperties: false,
    required: ['items'],
    description: 'SecretList is a list of Secret.',
    [OPENAPI_DEFINITION]: 'com.github.openshift.api.image.v1.SecretList',
  },
);

export interface Secret {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  immutable?: boolean;
  /** Values are base64. */
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  type?: string;
}

export interface SecretList {
  apiVersion: string;
  kind: 'SecretList';
  metadata: ListMeta;
  items: Secret[];
}

export const SECRET_TYPE_DOCKERCFG = 'kubernetes.io/dockercfg';
export const SECRET_TYPE_DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson';
/** `"true"` on a Secret hides it from imagestreams/secrets (and so from imports). */
export const EXCLUDE_IMAGE_SECRET_ANNOTATION = 'openshift.io/image.excludeSecret';
