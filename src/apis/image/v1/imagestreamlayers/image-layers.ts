// What the layers view needs to know of one image: openshift-apiserver keeps exactly this per image in its
// layer cache (`registry/imagestream/etcd/image.go`, imageLayersForImage), not the whole object.
import { decodeDockerImageMetadata } from '../image/manifest-metadata.js';
import { MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_SCHEMA2, type Image, type ImageLayer } from '../image/types.js';

export const MEDIA_TYPE_DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const MEDIA_TYPE_OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';

export interface ImageLayerEntry {
  /** The manifest's media type; images stored without one are taken for schema 2. */
  mediaType: string;
  /** The config blob: only schema 2 and OCI images have one. */
  config?: { name: string; mediaType: string };
  /** Base layer first, as stored. */
  layers: ImageLayer[];
  /** Child image names of a manifest list. */
  manifests: string[];
}

export function imageLayerEntry(image: Image): ImageLayerEntry {
  const config = configBlob(image);
  return {
    mediaType: image.dockerImageManifestMediaType || MEDIA_TYPE_SCHEMA2,
    ...(config ? { config } : {}),
    layers: image.dockerImageLayers ?? [],
    manifests: (image.dockerImageManifests ?? []).map((m) => m.digest ?? ''),
  };
}

/** The config digest is the metadata `Id` (the manifest's config.digest); an undecodable metadata has none. */
function configBlob(image: Image): ImageLayerEntry['config'] {
  const mediaType = configMediaType(image.dockerImageManifestMediaType ?? '');
  if (!mediaType) return undefined;
  try {
    const metadata = decodeDockerImageMetadata(image.dockerImageMetadata, image.dockerImageMetadataVersion || '1.0');
    return { name: metadata.Id, mediaType };
  } catch {
    return undefined;
  }
}

function configMediaType(manifestMediaType: string): string | undefined {
  if (manifestMediaType === MEDIA_TYPE_SCHEMA2) return MEDIA_TYPE_DOCKER_CONFIG;
  if (manifestMediaType === MEDIA_TYPE_OCI_MANIFEST) return MEDIA_TYPE_OCI_CONFIG;
  return undefined;
}
