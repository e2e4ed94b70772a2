// config.openshift.io/v1 Image, as the CustomResourceDefinition images.config.openshift.io declares it
// (openshift/api config/v1/zz_generated.crd-manifests/0000_10_config-operator_01_images.crd.yaml, with the
// ImageStreamImportMode feature gate merged in). The schema is the CRD's openAPIV3Schema: it drives the
// CRD-mode validator (including the CEL rules) and the published OpenAPI, so keywords and rule texts must
// stay byte-for-byte those of the CRD.
//
// `additionalProperties: false` is not in the CRD YAML; it is how this project marks objects as closed,
// which a structural CRD schema implies (unknown fields are pruned, or rejected with fieldValidation=Strict).
import { Type, type Static } from '@sinclair/typebox';
import type { KubeObject } from '../../../../machinery/object.js';
import { OPENAPI_DEFINITION, typeMetaProperties } from '../../../meta/v1/object-meta.js';
import { describedField } from '../../../meta/v1/field-description.js';

/** The rule each registry scope entry must pass; the text is the CRD's, escapes included. */
export const REGISTRY_SCOPE_RULE = String.raw`self.matches('^\\*(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+$|^((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+)?(?::[0-9]+)?)(?:(?:/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?$')`;
export const REGISTRY_SCOPE_MESSAGE =
  'each registry must be a valid hostname[:port][/path] or wildcard *.hostname format without tags or digests';

export const ONLY_ONE_REGISTRY_LIST_RULE = 'has(self.blockedRegistries) ? !has(self.allowedRegistries) : true';
export const ONLY_ONE_REGISTRY_LIST_MESSAGE = 'Only one of blockedRegistries or allowedRegistries may be set';

export const IMPORT_MODES = ['', 'Legacy', 'PreserveOriginal'] as const;
export type ImportModeType = (typeof IMPORT_MODES)[number];

const importMode = (description: string) =>
  Type.Optional(Type.Unsafe<ImportModeType>(Type.String({ description, enum: [...IMPORT_MODES] })));

const hostnames = (description: string) =>
  Type.Optional(Type.Array(Type.String(), { description, 'x-kubernetes-list-type': 'atomic' }));

/** insecureRegistries / blockedRegistries / allowedRegistries share one item shape and limit. */
const registryScopes = (description: string) =>
  Type.Optional(
    Type.Array(
      Type.String({
        minLength: 1,
        maxLength: 256,
        'x-kubernetes-validations': [{ rule: REGISTRY_SCOPE_RULE, message: REGISTRY_SCOPE_MESSAGE }],
      }),
      { description, maxItems: 1024, 'x-kubernetes-list-type': 'atomic' },
    ),
  );

const EXTERNAL_REGISTRY_HOSTNAMES =
  'externalRegistryHostnames provides the hostnames for the default external image registry. The external hostname should be set only when the image registry is exposed externally. The first value is used in \'publicDockerImageRepository\' field in ImageStreams. The value must be in "hostname[:port]" format.';

export const ConfigMapNameReferenceSchema = Type.Object(
  {
    name: Type.String({ description: 'name is the metadata.name of the referenced config map' }),
  },
  {
    additionalProperties: false,
    description:
      'additionalTrustedCA is a reference to a ConfigMap containing additional CAs that should be trusted during imagestream import, pod image pull, build image pull, and imageregistry pullthrough. The namespace for this config map is openshift-config.',
  },
);

export const RegistryLocationSchema = Type.Object(
  {
    domainName: Type.Optional(
      Type.String({
        description:
          'domainName specifies a domain name for the registry In case the registry use non-standard (80 or 443) port, the port should be included in the domain name as well.',
      }),
    ),
    insecure: Type.Optional(
      Type.Boolean({
        description:
          'insecure indicates whether the registry is secure (https) or insecure (http) By default (if not specified) the registry is assumed as secure.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "RegistryLocation contains a location of the registry specified by the registry domain name. The domain name might include wildcards, like '*' or '??'.",
  },
);

export const RegistrySourcesSchema = Type.Object(
  {
    allowedRegistries: registryScopes(
      'allowedRegistries are the only registries permitted for image pull and push actions. All other registries are denied. Only one of BlockedRegistries or AllowedRegistries may be set.',
    ),
    blockedRegistries: registryScopes(
      'blockedRegistries cannot be used for image pull and push actions. All other registries are permitted. Only one of BlockedRegistries or AllowedRegistries may be set.',
    ),
    // `format: hostname` sits on the array, as in the CRD, so it never checks the items.
    containerRuntimeSearchRegistries: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'containerRuntimeSearchRegistries are registries that will be searched when pulling images that do not have fully qualified domains in their pull specs. Registries will be searched in the order provided in the list. Note: this search list only works with the container runtime, i.e CRI-O. Will NOT work with builds or imagestream imports.',
        format: 'hostname',
        minItems: 1,
        'x-kubernetes-list-type': 'set',
      }),
    ),
    insecureRegistries: registryScopes(
      'insecureRegistries are registries which do not have a valid TLS certificates or only support HTTP connections.',
    ),
  },
  {
    additionalProperties: false,
    description:
      'registrySources contains configuration that determines how the container runtime should treat individual registries when accessing images for builds+pods. (e.g. whether or not to allow insecure access). It does not contain configuration for the internal cluster registry.',
    'x-kubernetes-validations': [{ rule: ONLY_ONE_REGISTRY_LIST_RULE, message: ONLY_ONE_REGISTRY_LIST_MESSAGE }],
  },
);

export const ImageSpecSchema = Type.Object(
  {
    additionalTrustedCA: Type.Optional(ConfigMapNameReferenceSchema),
    allowedRegistriesForImport: Type.Optional(
      Type.Array(RegistryLocationSchema, {
        description:
          'allowedRegistriesForImport limits the container image registries that normal users may import images from. Set this list to the registries that you trust to contain valid Docker images and that you want applications to be able to import from. Users with permission to create Images or ImageStreamMappings via the API are not affected by this policy - typically only administrators or system integrations will have those permissions.',
        'x-kubernetes-list-type': 'atomic',
      }),
    ),
    externalRegistryHostnames: hostnames(EXTERNAL_REGISTRY_HOSTNAMES),
    imageStreamImportMode: importMode(
      'imageStreamImportMode controls the import mode behaviour of imagestreams. It can be set to `Legacy` or `PreserveOriginal` or the empty string. If this value is specified, this setting is applied to all newly created imagestreams which do not have the value set. `Legacy` indicates that the legacy behaviour should be used. For manifest lists, the legacy behaviour will discard the manifest list and import a single sub-manifest. In this case, the platform is chosen in the following order of priority: 1. tag annotations; 2. control plane arch/os; 3. linux/amd64; 4. the first manifest in the list. `PreserveOriginal` indicates that the original manifest will be preserved. For manifest lists, the manifest list and all its sub-manifests will be imported. When empty, the behaviour will be decided based on the payload type advertised by the ClusterVersion status, i.e single arch payload implies the import mode is Legacy and multi payload implies PreserveOriginal.',
    ),
    registrySources: Type.Optional(RegistrySourcesSchema),
  },
  { additionalProperties: false, description: 'spec holds user settable values for configuration' },
);

export const ImageStatusSchema = Type.Object(
  {
    externalRegistryHostnames: hostnames(EXTERNAL_REGISTRY_HOSTNAMES),
    imageStreamImportMode: importMode(
      'imageStreamImportMode controls the import mode behaviour of imagestreams. It can be `Legacy` or `PreserveOriginal`. `Legacy` indicates that the legacy behaviour should be used. For manifest lists, the legacy behaviour will discard the manifest list and import a single sub-manifest. In this case, the platform is chosen in the following order of priority: 1. tag annotations; 2. control plane arch/os; 3. linux/amd64; 4. the first manifest in the list. `PreserveOriginal` indicates that the original manifest will be preserved. For manifest lists, the manifest list and all its sub-manifests will be imported. This value will be reconciled based on either the spec value or if no spec value is specified, the image registry operator would look at the ClusterVersion status to determine the payload type and set the import mode accordingly, i.e single arch payload implies the import mode is Legacy and multi payload implies PreserveOriginal.',
    ),
    internalRegistryHostname: Type.Optional(
      Type.String({
        description:
          'internalRegistryHostname sets the hostname for the default internal image registry. The value must be in "hostname[:port]" format. This value is set by the image registry operator which controls the internal registry hostname.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'status holds observed values from the cluster. They may not be overridden.',
  },
);

const typeMeta = typeMetaProperties();

export const ImageConfigSchema = Type.Object(
  {
    apiVersion: Type.Optional(typeMeta.apiVersion),
    kind: Type.Optional(typeMeta.kind),
    // apiextensions' OpenAPI builder gives every custom resource this metadata text.
    metadata: Type.Optional(
      describedField(typeMeta.metadata, "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"),
    ),
    spec: ImageSpecSchema,
    status: Type.Optional(ImageStatusSchema),
  },
  {
    additionalProperties: false,
    description:
      "Image governs policies related to imagestream imports and runtime configuration for external registries. It allows cluster admins to configure which registries OpenShift is allowed to import images from, extra CA trust bundles for external registries, and policies to block or allow registry hostnames. When exposing OpenShift's image registry to the public, this also lets cluster admins specify the external hostname. Compatibility level 1: Stable within a major release for a minimum of 12 months or 3 minor releases (whichever is longer).",
    [OPENAPI_DEFINITION]: 'com.github.openshift.api.config.v1.Image',
  },
);

export type ConfigMapNameReference = Static<typeof ConfigMapNameReferenceSchema>;
export type RegistryLocation = Static<typeof RegistryLocationSchema>;
export type RegistrySources = Static<typeof RegistrySourcesSchema>;
export type ImageSpec = Static<typeof ImageSpecSchema>;
export type ImageStatus = Static<typeof ImageStatusSchema>;

/** A config.openshift.io Image as the registry handles it (metadata typed by the shared ObjectMeta contract). */
export interface ImageConfig extends KubeObject {
  spec: ImageSpec;
  status?: ImageStatus;
}
