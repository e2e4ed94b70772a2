// The rules of image.openshift.io/v1 imagesignatures (openshift-apiserver
// `pkg/image/apiserver/registry/imagesignature/strategy.go`): only the server, or a verifier writing the
// Image, may record what a signature was found to prove.
import type { Strategy } from '../../../../registry/strategy.js';
import { validateImageSignature, type ImageSignature } from '../signature.js';

/** The signature as it reaches the REST code; `ImageSignature` is not a KubeObject on its own. */
export type ImageSignatureObject = ImageSignature & { metadata: NonNullable<ImageSignature['metadata']>; [field: string]: unknown };

/** PrepareForCreate: a created signature starts unverified. Mutates obj. */
export function prepareImageSignatureForCreate(obj: ImageSignatureObject): void {
  delete obj.conditions;
  delete obj.imageIdentity;
  delete obj.signedClaims;
  delete obj.created;
  delete obj.issuedBy;
  delete obj.issuedTo;
}

export const imageSignatureStrategy: Strategy<ImageSignatureObject> = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: false,
  generation: 'none',
  nameRule: 'path-segment',
  prepareForCreate: (obj) => prepareImageSignatureForCreate(obj),
  validate: (obj) => validateImageSignature(obj, ''),
};
