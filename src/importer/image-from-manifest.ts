// Image objects from what a registry returned (openshift-apiserver importer/image.go), finished by the same
// InternalImageWithMetadata the Image create path runs, and printed as the v1 API prints an Image.
import { encodeDockerImageMetadata, imageWithMetadata, unmarshalGo, go } from '../apis/image/v1/image/manifest-metadata.js';
import { canonicalImage } from '../apis/image/v1/image/strategy.js';
import type { DockerImage, Image, ImageManifest, InternalImage } from '../apis/image/v1/image/types.js';
import { timestamp } from '../machinery/object.js';
import type { ParsedManifest } from './manifest.js';
import { orderedObjectMeta } from './object-meta-order.js';

/** The content-integrity check upstream applies when the digest of a manifest is known in advance. */
export function checkManifestDigest(manifest: ParsedManifest, expected: string): void {
  if (!expected || manifest.digest === expected) return;
  if (manifest.kind === 'schema1') {
    throw new Error(
      `content integrity error: the schema 1 manifest retrieved with digest ${expected} does not match the digest calculated from the content ${manifest.digest}`,
    );
  }
  throw new Error(
    `content integrity error: the manifest retrieved (media type: ${manifest.mediaType}) with digest ${expected} does not match the digest calculated from the content ${manifest.digest}`,
  );
}

const emptyMetadata = (id: string): DockerImage => ({ Id: id, Created: null, ContainerConfig: {} });

/** The v1 form of an in-memory image (no uid or timestamps yet: Go prints `creationTimestamp: null`). */
export function printedImage(image: InternalImage): Image {
  const wire: Image = {
    ...image,
    metadata: orderedObjectMeta({ ...image.metadata, creationTimestamp: image.metadata.creationTimestamp ?? null }),
    dockerImageMetadataVersion: image.dockerImageMetadataVersion || '1.0',
    dockerImageMetadata: encodeDockerImageMetadata(image.dockerImageMetadata, '1.0'),
  };
  return canonicalImage(wire);
}

/**
 * schema2OrOCIToImage + InternalImageWithMetadata: the image named by the manifest digest, metadata from the
 * config blob, layers from the manifest. Throws on a config that is not a JSON object or a failed fill.
 */
export function imageFromImageManifest(manifest: Extract<ParsedManifest, { kind: 'image' }>, config: Buffer, now: Date): InternalImage {
  const configText = config.toString('utf8');
  // The config must decode as a Docker image (unmarshalDockerImage) before anything else.
  unmarshalGo(configText, go.struct('dockerpre012.DockerImage', { id: go.string, created: go.time, architecture: go.string, size: go.int }));
  return withMetadata(
    {
      metadata: { name: manifest.digest },
      dockerImageMetadata: emptyMetadata(manifest.digest),
      dockerImageMetadataVersion: '1.0',
      dockerImageManifest: manifest.payload.toString('utf8'),
      dockerImageConfig: configText,
      dockerImageManifestMediaType: manifest.mediaType,
    },
    now,
  );
}

/** schema1ToImage + InternalImageWithMetadata. */
export function imageFromSchema1(manifest: Extract<ParsedManifest, { kind: 'schema1' }>, now: Date): InternalImage {
  const text = manifest.payload.toString('utf8');
  const history = (JSON.parse(text) as { history?: unknown[] }).history;
  if (!Array.isArray(history) || history.length === 0) throw new Error('image has no v1Compatibility history and cannot be used');
  return withMetadata(
    {
      metadata: { name: manifest.digest },
      dockerImageMetadata: emptyMetadata(manifest.digest),
      dockerImageMetadataVersion: '1.0',
      dockerImageManifest: text,
      dockerImageManifestMediaType: manifest.mediaType,
    },
    now,
  );
}

/** manifestListToImage (PreserveOriginal): the list itself, its children in `dockerImageManifests`. */
export function imageFromManifestList(manifest: Extract<ParsedManifest, { kind: 'list' }>, now: Date): InternalImage {
  const children: ImageManifest[] = manifest.children.map((c) => ({
    digest: c.digest,
    mediaType: c.mediaType,
    manifestSize: c.size,
    architecture: c.platform.architecture,
    os: c.platform.os,
    ...(c.platform.variant ? { variant: c.platform.variant } : {}),
  }));
  return {
    metadata: { name: manifest.digest },
    dockerImageMetadata: { Id: manifest.digest, Created: timestamp(now), ContainerConfig: {} },
    dockerImageMetadataVersion: '1.0',
    dockerImageManifestMediaType: manifest.mediaType,
    ...(children.length ? { dockerImageManifests: children } : {}),
  };
}

function withMetadata(image: InternalImage, now: Date): InternalImage {
  const { image: filled, error } = imageWithMetadata(image, now);
  if (error !== undefined) throw new Error(error);
  return filled;
}

/**
 * calculateImageSize: layer sizes from blob HEAD requests (cached by digest), plus the config once; used when
 * the manifest carried no sizes. Mutates the image.
 */
export async function fillImageSize(image: InternalImage, blobSize: (digest: string) => Promise<number>, cache: Map<string, number>): Promise<void> {
  const seen = new Set<string>();
  let size = 0;
  for (const layer of image.dockerImageLayers ?? []) {
    const name = layer.name ?? '';
    if (seen.has(name)) continue;
    seen.add(name);
    let layerSize = cache.get(name);
    if (layerSize === undefined) {
      layerSize = await blobSize(name);
      cache.set(name, layerSize);
    }
    layer.size = layerSize;
    size += layerSize;
  }
  if (image.dockerImageConfig && !seen.has(image.dockerImageMetadata.Id)) size += Buffer.byteLength(image.dockerImageConfig, 'utf8');
  image.dockerImageMetadata.Size = size;
}
