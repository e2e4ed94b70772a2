// image.openshift.io/v1 ImageSignature: its schema (openshift/api `image/v1/types.go`, descriptions and
// markers from `openapi/openapi.json`) and openshift-apiserver's validateImageSignature, which checks
// both `imagesignatures` objects and every entry of `Image.signatures`.
import { Type, type TSchema } from '@sinclair/typebox';
import * as field from '../../../machinery/field.js';
import type { ErrorList } from '../../../machinery/field.js';
import { validateObjectMeta } from '../../../machinery/meta.js';
import type { ObjectMeta } from '../../../machinery/object.js';
import { OPENAPI_DEFINITION, typeMetaProperties } from '../../meta/v1/object-meta.js';

const definition = (name: string) => `com.github.openshift.api.image.v1.${name}`;

const optional = <T extends TSchema>(schema: T) => Type.Optional(schema);
const str = (description: string) => optional(Type.String({ description }));
/** A metav1.Time: Go writes `null` for the zero time. */
const time = (description: string) => optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description }));

export const SignatureConditionSchema = Type.Object(
  {
    lastProbeTime: time('Last time the condition was checked.'),
    lastTransitionTime: time('Last time the condition transit from one status to another.'),
    message: str('Human readable message indicating details about last transition.'),
    reason: str("(brief) reason for the condition's last transition."),
    status: str('status of the condition, one of True, False, Unknown.'),
    type: str('type of signature condition, Complete or Failed.'),
  },
  {
    additionalProperties: false,
    required: ['type', 'status'],
    description: 'SignatureCondition describes an image signature condition of particular kind at particular probe time.',
    [OPENAPI_DEFINITION]: definition('SignatureCondition'),
  },
);

const entityProperties = () => ({
  commonName: str('Common name (e.g. openshift-signing-service).'),
  organization: str('organization name.'),
});

export const SignatureIssuerSchema = Type.Object(entityProperties(), {
  additionalProperties: false,
  description: 'SignatureIssuer holds information about an issuer of signing certificate or key.',
  [OPENAPI_DEFINITION]: definition('SignatureIssuer'),
});

export const SignatureSubjectSchema = Type.Object(
  {
    ...entityProperties(),
    publicKeyID: str(
      "If present, it is a human readable key id of public key belonging to the subject used to verify image signature. It should contain at least 64 lowest bits of public key's fingerprint (e.g. 0x685ebe62bf278440).",
    ),
  },
  {
    additionalProperties: false,
    required: ['publicKeyID'],
    description: 'SignatureSubject holds information about a person or entity who created the signature.',
    [OPENAPI_DEFINITION]: definition('SignatureSubject'),
  },
);

const typeMeta = typeMetaProperties();

export const ImageSignatureSchema = Type.Object(
  {
    apiVersion: optional(typeMeta.apiVersion),
    conditions: optional(
      Type.Array(SignatureConditionSchema, {
        description: "conditions represent the latest available observations of a signature's current state.",
        'x-kubernetes-patch-merge-key': 'type',
        'x-kubernetes-patch-strategy': 'merge',
      }),
    ),
    content: optional(
      Type.Union([Type.String({ format: 'byte' }), Type.Null()], { description: "Required: An opaque binary string which is an image's signature." }),
    ),
    created: time("If specified, it is the time of signature's creation."),
    imageIdentity: str(
      'A human readable string representing image\'s identity. It could be a product name and version, or an image pull spec (e.g. "registry.access.redhat.com/rhel7/rhel:7.2").',
    ),
    issuedBy: optional(
      Type.Union([SignatureIssuerSchema, Type.Null()], {
        description:
          'If specified, it holds information about an issuer of signing certificate or key (a person or entity who signed the signing certificate or key).',
      }),
    ),
    issuedTo: optional(
      Type.Union([SignatureSubjectSchema, Type.Null()], {
        description: 'If specified, it holds information about a subject of signing certificate or key (a person or entity who signed the image).',
      }),
    ),
    kind: optional(typeMeta.kind),
    metadata: optional(typeMeta.metadata),
    signedClaims: optional(Type.Record(Type.String(), Type.String(), { description: 'Contains claims from the signature.' })),
    type: str('Required: Describes a type of stored blob.'),
  },
  {
    additionalProperties: false,
    required: ['type', 'content'],
    description:
      "ImageSignature holds a signature of an image. It allows to verify image identity and possibly other claims as long as the signature is trusted. Based on this information it is possible to restrict runnable images to those matching cluster-wide policy. Mandatory fields should be parsed by clients doing image verification. The others are parsed from signature's content by the server. They serve just an informative purpose.\n\nCompatibility level 1: Stable within a major release for a minimum of 12 months or 3 minor releases (whichever is longer).",
    [OPENAPI_DEFINITION]: definition('ImageSignature'),
  },
);

export interface SignatureCondition {
  type?: string;
  status?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export interface SignatureIssuer {
  organization?: string;
  commonName?: string;
}

export interface SignatureSubject extends SignatureIssuer {
  publicKeyID?: string;
}

export interface ImageSignature {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  type?: string;
  /** Base64 of the signature blob. */
  content?: string | null;
  conditions?: SignatureCondition[];
  imageIdentity?: string;
  signedClaims?: Record<string, string>;
  created?: string | null;
  issuedBy?: SignatureIssuer | null;
  issuedTo?: SignatureSubject | null;
}

export const SIGNATURE_TYPE_ATOMIC_IMAGE_V1 = 'AtomicImageV1';
export const SIGNATURE_TRUSTED = 'Trusted';
export const SIGNATURE_FOR_IMAGE = 'ForImage';
export const SIGNATURE_EXPIRED = 'Expired';
export const SIGNATURE_REVOKED = 'Revoked';

/** `<imageName>@<signatureName>`: exactly one `@`, both sides non-empty. */
export function splitImageSignatureName(name: string): { imageName: string; signatureName: string } | undefined {
  const parts = name.split('@');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { imageName: parts[0], signatureName: parts[1] };
}

/** Probe time as a number for ordering; the zero (or missing) time sorts first. */
const probeTime = (c: SignatureCondition) => {
  const t = c.lastProbeTime ? Date.parse(c.lastProbeTime) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
};

/** The newest condition of a type by lastProbeTime; on a tie the later entry wins. */
function newestCondition(conditions: SignatureCondition[], type: string): SignatureCondition | undefined {
  let newest: SignatureCondition | undefined;
  for (const c of conditions) {
    if (c.type === type && (!newest || probeTime(c) >= probeTime(newest))) newest = c;
  }
  return newest;
}

/**
 * validateImageSignature. `path` is '' for an ImageSignature object and `signatures[i]` for an
 * entry of an Image. The ForImage condition is picked as upstream intends: its loop has an
 * operator-precedence bug that can match (or crash on) unrelated conditions.
 */
export function validateImageSignature(sig: ImageSignature, path: string): ErrorList {
  const at = (child: string) => (path ? `${path}.${child}` : child);
  const meta = sig.metadata ?? {};
  const metaErrors = validateObjectMeta(meta, { namespaced: false, nameRule: 'path-segment' });
  const errs: ErrorList = path ? field.prefixErrors(path, metaErrors) : metaErrors;

  if (Object.keys(meta.labels ?? {}).length > 0) errs.push(field.forbidden(at('metadata.labels'), 'signature labels cannot be set'));
  if (Object.keys(meta.annotations ?? {}).length > 0) {
    errs.push(field.forbidden(at('metadata.annotations'), 'signature annotations cannot be set'));
  }
  const name = meta.name ?? '';
  if (!splitImageSignatureName(name)) {
    errs.push(field.invalid(at('metadata.name'), name, 'name must be of format <imageName>@<signatureName>'));
  }
  if (!sig.type) errs.push(field.required(at('type'), ''));
  if (!sig.content) errs.push(field.required(at('content'), ''));

  const conditions = sig.conditions ?? [];
  const trusted = newestCondition(conditions, SIGNATURE_TRUSTED);
  const forImage = newestCondition(conditions, SIGNATURE_FOR_IMAGE);
  if (trusted && !forImage) {
    errs.push(field.invalid(at('conditions'), conditions, `missing "${SIGNATURE_FOR_IMAGE}" condition type`));
  } else if (forImage && !trusted) {
    errs.push(field.invalid(at('conditions'), conditions, `missing "${SIGNATURE_TRUSTED}" condition type`));
  }

  if (!trusted || trusted.status === 'Unknown') {
    const detail = 'must be unset for unknown signature state';
    if (sig.imageIdentity) errs.push(field.invalid(at('imageIdentity'), sig.imageIdentity, detail));
    if (Object.keys(sig.signedClaims ?? {}).length > 0) errs.push(field.invalid(at('signedClaims'), sig.signedClaims, detail));
    if (sig.issuedBy) errs.push(field.invalid(at('issuedBy'), sig.issuedBy, detail));
    if (sig.issuedTo) errs.push(field.invalid(at('issuedTo'), sig.issuedTo, detail));
  }
  return errs;
}
