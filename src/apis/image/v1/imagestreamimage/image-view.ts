// The Image inside an ImageStreamImage: metadata filled from the manifest (as openshift-apiserver's
// InternalImageWithMetadata does on every read), then the raw manifest and config left out.
import { internalError } from '../../../../machinery/errors.js';
import { canonicalImage } from '../image/strategy.js';
import { decodeDockerImageMetadata, encodeDockerImageMetadata, imageWithMetadata, isDockerImageVersion } from '../image/manifest-metadata.js';
import type { Image, InternalImage } from '../image/types.js';

/** Throws a 500 when the stored manifest cannot be read, as upstream returns that error. */
export function imageForStreamView(image: Image, now: Date): Image {
  const version = image.dockerImageMetadataVersion || '1.0';
  if (!isDockerImageVersion(version)) throw internalError(new Error(`unknown dockerImageMetadataVersion ${JSON.stringify(version)}`));
  const { apiVersion: _a, kind: _k, ...stored } = structuredClone(image);
  const internal: InternalImage = { ...stored, metadata: stored.metadata, dockerImageMetadataVersion: version, dockerImageMetadata: decodeDockerImageMetadata(stored.dockerImageMetadata, version) };
  const { image: filled, error } = imageWithMetadata(internal, now);
  if (error !== undefined) throw internalError(new Error(error));
  delete filled.dockerImageManifest;
  delete filled.dockerImageConfig;
  return canonicalImage({ ...filled, dockerImageMetadata: encodeDockerImageMetadata(filled.dockerImageMetadata, version) });
}
