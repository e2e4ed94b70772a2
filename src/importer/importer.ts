// The import of ImageStreamImport.spec.images and .spec.repository from registries
// (openshift-apiserver pkg/image/apiserver/importer/importer.go): references are grouped by repository,
// each distinct manifest is fetched once, manifest lists are resolved per import mode, and every spec
// entry gets an image or a Status. Nothing here writes to the API: the caller applies the results.
import type { InternalImage, Image } from '../apis/image/v1/image/types.js';
import { specTag } from '../apis/image/v1/imagestream/history.js';
import type { ImageStream, TagImportPolicy } from '../apis/image/v1/imagestream/types.js';
import type { ImageImportStatus, RepositoryImportStatus } from '../apis/image/v1/imagestreamimport/types.js';
import type { ObjectReference } from '../apis/image/v1/object-reference.js';
import {
  asV2,
  dockerClientDefaults,
  exact,
  isRegistryDockerHub,
  mostSpecific,
  repositoryName,
  tryParseImageReference,
  type DockerImageReference,
} from '../apis/image/v1/reference.js';
import { invalid as invalidField } from '../machinery/field.js';
import { digestMatches, parseDigest } from './digest.js';
import {
  checkManifestDigest,
  fillImageSize,
  imageFromImageManifest,
  imageFromManifestList,
  imageFromSchema1,
  printedImage,
} from './image-from-manifest.js';
import {
  emptyStatus,
  forbiddenStatus,
  internalErrorStatus,
  invalidStatus,
  repositoryError,
  statusForError,
  successStatus,
  tagListError,
} from './import-status.js';
import type { ParsedManifest } from './manifest.js';
import { TokenBucket } from '../machinery/token-bucket.js';
import { prioritizeTags } from './tag-priority.js';
import type { RegistryClient, RegistryRepository } from './registry-client.js';

export const PREFER_ARCH_ANNOTATION = 'importer.image.openshift.io/prefer-arch';
export const PREFER_OS_ANNOTATION = 'importer.image.openshift.io/prefer-os';

export interface ImageImportSpec {
  from: ObjectReference;
  to?: { name?: string } | null;
  importPolicy?: TagImportPolicy;
  includeManifest?: boolean;
}

export interface RepositoryImportSpec {
  from: ObjectReference;
  importPolicy?: TagImportPolicy;
  includeManifest?: boolean;
}

export type { ImageImportStatus, RepositoryImportStatus };

/** What the registry configuration says about one registry (matched by its docker-defaulted host). */
export interface RegistryAccessPolicy {
  blocked(registry: string): boolean;
  insecure(registry: string): boolean;
}

export interface ImporterOptions {
  client: RegistryClient;
  policy: RegistryAccessPolicy;
  /** imagePolicyConfig.maxImagesBulkImportedPerRepository: -1 = unlimited. */
  maximumTagsPerRepo: number;
  /** The platform Legacy imports prefer in manifest lists (the server's own, as Go's runtime reports it). */
  platform: { architecture: string; os: string };
  /** Layer sizes learnt from blob HEAD requests, kept across imports. */
  layerSizes: Map<string, number>;
  now: () => Date;
  manifestQPS: number;
  manifestBurst: number;
}

interface Fetched {
  image?: InternalImage;
  manifests?: InternalImage[];
  err?: unknown;
}

interface TagToImport extends Fetched {
  name: string;
  preferArch: string;
  preferOS: string;
  importMode: string;
}

interface DigestToImport extends Fetched {
  name: string;
  importMode: string;
}

interface ImportRepository {
  ref: DockerImageReference;
  host: string;
  name: string;
  insecure: boolean;
  importMode: string;
  tags: TagToImport[];
  digests: DigestToImport[];
  maximumTags: number;
  additionalTags: string[];
  err?: unknown;
}

/** Go's runtime.GOARCH / GOOS for the platform this server runs on. */
export function serverPlatform(): { architecture: string; os: string } {
  const arch: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  const os: Record<string, string> = { win32: 'windows', sunos: 'solaris' };
  return { architecture: arch[process.arch] ?? process.arch, os: os[process.platform] ?? process.platform };
}

/** ParseNormalizedNamed(...).String(): the reference docker-normalized, without adding a tag. */
function normalizedName(ref: DockerImageReference): string {
  let registry = ref.registry || 'docker.io';
  if (registry === 'index.docker.io') registry = 'docker.io';
  const namespace = !ref.namespace && isRegistryDockerHub(registry) ? 'library' : ref.namespace;
  return exact({ ...ref, registry, namespace });
}

const key = (...parts: string[]) => JSON.stringify(parts);

export class ImageStreamImporter {
  private readonly cache = new Map<string, Fetched>();
  private readonly limiter: TokenBucket;

  constructor(private readonly opts: ImporterOptions) {
    this.limiter = new TokenBucket(opts.manifestQPS, opts.manifestBurst);
  }

  /** Import: statuses for every spec image (same order) and for the repository when one is asked for. */
  async import(
    spec: { images?: ImageImportSpec[]; repository?: RepositoryImportSpec | null },
    stream: ImageStream,
  ): Promise<{ images: ImageImportStatus[]; repository?: RepositoryImportStatus }> {
    const images = await this.importImages(spec.images ?? [], stream);
    const repository = spec.repository ? await this.importFromRepository(spec.repository) : undefined;
    return { images, ...(repository ? { repository } : {}) };
  }

  private allowInsecure(policy: TagImportPolicy | undefined, ref: DockerImageReference): boolean {
    return !!policy?.insecure || this.opts.policy.insecure(dockerClientDefaults(ref).registry);
  }

  private blocked(ref: DockerImageReference): boolean {
    return this.opts.policy.blocked(dockerClientDefaults(ref).registry);
  }

  private async importImages(specs: ImageImportSpec[], stream: ImageStream): Promise<ImageImportStatus[]> {
    const statuses: ImageImportStatus[] = specs.map(() => ({ status: emptyStatus() }));
    const tagIndexes = new Map<string, number[]>();
    const idIndexes = new Map<string, number[]>();
    const repositories = new Map<string, ImportRepository>();

    specs.forEach((spec, i) => {
      if (spec.from?.kind !== 'DockerImage') return;
      const fromName = spec.from.name ?? '';
      let ref: DockerImageReference;
      if (fromName !== '*') {
        const parsed = tryParseImageReference(fromName);
        if (!parsed.ref) {
          statuses[i].status = invalidStatus(invalidField('from.name', fromName, `invalid name: ${parsed.error}`));
          return;
        }
        ref = parsed.ref;
      } else {
        ref = { registry: '', namespace: '', name: fromName, tag: '', id: '' };
      }
      if (this.blocked(ref)) {
        statuses[i].status = forbiddenStatus(`registry ${ref.registry} blocked`).status;
        return;
      }
      const defaults = dockerClientDefaults(ref);
      const repoName = repositoryName(defaults);
      const host = asV2(defaults).registry;
      const repoKey = key(host, repoName);
      let repo = repositories.get(repoKey);
      if (!repo) {
        repo = newRepository(ref, host, repoName, this.allowInsecure(spec.importPolicy, ref));
        repositories.set(repoKey, repo);
      }
      const importMode = spec.importPolicy?.importMode ?? '';
      if (defaults.id) {
        const id = key(repoKey, defaults.id, importMode);
        const seen = idIndexes.get(id) ?? [];
        seen.push(i);
        idIndexes.set(id, seen);
        if (seen.length === 1) repo.digests.push({ name: defaults.id, importMode, ...this.cache.get(id) });
      } else {
        const toName = spec.to ? (spec.to.name ?? '') : defaults.tag;
        const annotations = specTag(stream, toName)?.annotations ?? {};
        const preferArch = annotations[PREFER_ARCH_ANNOTATION] ?? '';
        const preferOS = annotations[PREFER_OS_ANNOTATION] ?? '';
        const tag = key(repoKey, defaults.tag, preferArch, preferOS, importMode);
        const seen = tagIndexes.get(tag) ?? [];
        seen.push(i);
        tagIndexes.set(tag, seen);
        if (seen.length === 1) repo.tags.push({ name: defaults.tag, preferArch, preferOS, importMode, ...this.cache.get(tag) });
      }
    });

    for (const [repoKey, repo] of repositories) {
      await this.importRepositoryFromDocker(repo);
      for (const tag of repo.tags) {
        const tagKey = key(repoKey, tag.name, tag.preferArch, tag.preferOS, tag.importMode);
        if (tag.image) this.cache.set(tagKey, { image: tag.image, manifests: tag.manifests });
        for (const index of tagIndexes.get(tagKey) ?? []) {
          statuses[index] = this.resultStatus(repo, tag, tag.name, `tag ${JSON.stringify(tag.name)}`);
        }
      }
      for (const digest of repo.digests) {
        const idKey = key(repoKey, digest.name, digest.importMode);
        if (digest.image) this.cache.set(idKey, { image: digest.image, manifests: digest.manifests });
        for (const index of idIndexes.get(idKey) ?? []) {
          statuses[index] = this.resultStatus(repo, digest, '', `digest ${JSON.stringify(digest.name)}`);
        }
      }
    }
    return statuses;
  }

  /** One spec entry's status from what its repository import produced. */
  private resultStatus(repo: ImportRepository, fetched: Fetched & { importMode: string }, tag: string, what: string): ImageImportStatus {
    if (!fetched.image && fetched.err === undefined) {
      return {
        tag,
        status: internalErrorStatus(
          `unknown error while importing ${what} from repository ${JSON.stringify(repo.name)} with import mode ${JSON.stringify(fetched.importMode)}, please try again.`,
        ),
      };
    }
    if (fetched.err !== undefined || !fetched.image) return { tag, status: statusForError(fetched.err) };
    const image = withReference(fetched.image, { ...repo.ref, tag, id: fetched.image.metadata.name ?? '' });
    return {
      status: successStatus(),
      ...(tag ? { tag } : {}),
      image,
      ...(fetched.manifests?.length ? { manifests: fetched.manifests.map((m) => printedImage(m)) } : {}),
    };
  }

  private async importFromRepository(spec: RepositoryImportSpec): Promise<RepositoryImportStatus> {
    const status: RepositoryImportStatus = { status: emptyStatus() };
    if (spec.from?.kind !== 'DockerImage') return status;
    const fromName = spec.from.name ?? '';
    let ref: DockerImageReference;
    if (fromName !== '*') {
      const parsed = tryParseImageReference(fromName);
      if (!parsed.ref) {
        status.status = invalidStatus(invalidField('from.name', fromName, `invalid name: ${parsed.error}`));
        return status;
      }
      ref = parsed.ref;
    } else {
      ref = { registry: '', namespace: '', name: fromName, tag: '', id: '' };
    }
    if (this.blocked(ref)) {
      status.status = forbiddenStatus(`registry ${ref.registry} blocked`).status;
      return status;
    }
    const defaults = dockerClientDefaults(ref);
    const repoName = repositoryName(defaults);
    const host = asV2(defaults).registry;
    const importMode = spec.importPolicy?.importMode ?? '';
    const repo = newRepository(ref, host, repoName, this.allowInsecure(spec.importPolicy, ref));
    repo.maximumTags = this.opts.maximumTagsPerRepo;
    repo.importMode = importMode;
    await this.importRepositoryFromDocker(repo);
    if (repo.err !== undefined) {
      status.status = statusForError(repo.err);
      return status;
    }

    const additional: string[] = [];
    for (const name of repo.additionalTags) {
      const cached = this.cache.get(key(key(host, repoName), name, '', '', importMode));
      if (cached?.image) repo.tags.push({ name, preferArch: '', preferOS: '', importMode, image: cached.image, manifests: cached.manifests });
      else additional.push(name);
    }
    if (additional.length) status.additionalTags = additional;

    let failures = 0;
    status.status = successStatus();
    status.images = repo.tags.map((tag): ImageImportStatus => {
      if (tag.err !== undefined || !tag.image) {
        failures++;
        return { tag: tag.name, status: statusForError(tag.err ?? new Error('unknown error prevented import')) };
      }
      return {
        tag: tag.name,
        status: successStatus(),
        image: withReference(tag.image, { ...ref, tag: tag.name, id: tag.image.metadata.name ?? '' }),
        ...(tag.manifests?.length ? { manifests: tag.manifests.map((m) => printedImage(m)) } : {}),
      };
    });
    if (failures > 0) {
      status.status = {
        metadata: {},
        status: 'Failure',
        message: failures === 1 ? 'one of the images from this repository failed to import' : `${failures} of the images from this repository failed to import`,
        reason: 'ImportFailed',
      };
    }
    return status;
  }

  /** importRepositoryFromDocker: digests, then (for repository imports) the tag list, then tags. */
  private async importRepositoryFromDocker(repo: ImportRepository): Promise<void> {
    const registry = this.opts.client.repository(repo.host, repo.name, repo.insecure);

    for (const digest of repo.digests) {
      if (digest.err !== undefined || digest.image) continue;
      if (!parseDigest(digest.name)) {
        digest.err = new Error(digestParseError(digest.name));
        continue;
      }
      const ref = { ...repo.ref, tag: '', id: digest.name };
      await this.fetchInto(digest, registry, repo, ref, digest.name, '', '', digest.importMode);
    }

    if (repo.maximumTags > 0 || repo.maximumTags === -1) {
      let tags: string[];
      try {
        tags = await registry.tags();
      } catch (err) {
        repo.err = tagListError(exact(repo.ref), err);
        return;
      }
      // Some repositories list an empty tag: it means `latest`.
      const unique = [...new Set(tags.map((t) => t || 'latest'))].sort();
      let count = repo.maximumTags;
      for (const name of prioritizeTags(unique)) {
        if (count <= 0 && repo.maximumTags !== -1) {
          repo.additionalTags.push(name);
          continue;
        }
        count--;
        repo.tags.push({ name, preferArch: '', preferOS: '', importMode: repo.importMode });
      }
    }

    for (const tag of repo.tags) {
      if (tag.err !== undefined || tag.image) continue;
      const ref = { ...repo.ref, tag: tag.name, id: '' };
      await this.fetchInto(tag, registry, repo, ref, '', tag.preferArch, tag.preferOS, tag.importMode);
    }
  }

  /** Fetches one manifest (and what it needs) into `target`: image and sub-manifests, or the error. */
  private async fetchInto(
    target: Fetched,
    registry: RegistryRepository,
    repo: ImportRepository,
    ref: DockerImageReference,
    digest: string,
    preferArch: string,
    preferOS: string,
    importMode: string,
  ): Promise<void> {
    const name = exact(ref);
    const parsed = tryParseImageReference(name);
    if (!parsed.ref) {
      target.err = new Error(`unable to parse docker reference ${name}: ${parsed.error}`);
      return;
    }
    const refString = normalizedName(ref);
    try {
      await this.limiter.accept(this.opts.client.deadline);
    } catch (err) {
      target.err = repositoryError(refString, err);
      return;
    }
    let manifest: ParsedManifest;
    try {
      manifest = await registry.manifest(ref.id || ref.tag || 'latest');
    } catch (err) {
      target.err = repositoryError(refString, err);
      return;
    }
    try {
      target.image = await this.importManifest(manifest, registry, refString, digest, preferArch, preferOS, importMode);
      target.manifests = await this.importSubManifests(target.image, registry, repo);
    } catch (err) {
      delete target.image;
      delete target.manifests;
      target.err = err;
    }
  }

  /** importManifest: a single image, or the list (PreserveOriginal), or the chosen child (Legacy). */
  private async importManifest(
    fetched: ParsedManifest,
    registry: RegistryRepository,
    refString: string,
    expectedDigest: string,
    preferArch: string,
    preferOS: string,
    importMode: string,
  ): Promise<InternalImage> {
    let manifest = fetched;
    let digest = expectedDigest;
    const legacy = importMode === '' || importMode === 'Legacy';
    const now = this.opts.now();
    if (manifest.kind === 'list') {
      if (!legacy) {
        checkManifestDigest(manifest, digest);
        return imageFromManifestList(manifest, now);
      }
      const child = chooseChild(manifest, preferArch || this.opts.platform.architecture, preferOS || this.opts.platform.os);
      if (!child) throw repositoryError(refString, new Error('no manifests in manifest list'));
      try {
        manifest = await registry.manifest(child);
      } catch (err) {
        throw repositoryError(refString, err);
      }
      digest = child;
    }
    checkManifestDigest(manifest, digest);
    let image: InternalImage;
    switch (manifest.kind) {
      case 'schema1':
        image = imageFromSchema1(manifest, now);
        break;
      case 'image': {
        let config: Buffer;
        try {
          config = await registry.blob(manifest.config.digest);
        } catch (err) {
          throw repositoryError(refString, err);
        }
        if (!digestMatches(manifest.config.digest, config)) {
          throw new Error(`content integrity error: the image config retrieved with digest ${manifest.config.digest} does not match its content`);
        }
        image = imageFromImageManifest(manifest, config, now);
        break;
      }
      default:
        throw new Error('unsupported image manifest type: *manifestlist.DeserializedManifestList');
    }
    if ((image.dockerImageMetadata.Size ?? 0) === 0) {
      await fillImageSize(image, (d) => registry.blobSize(d), this.opts.layerSizes);
    }
    return image;
  }

  /** importSubManifests: every child of a PreserveOriginal list, fetched by digest and imported Legacy. */
  private async importSubManifests(image: InternalImage, registry: RegistryRepository, repo: ImportRepository): Promise<InternalImage[]> {
    const images: InternalImage[] = [];
    for (const child of image.dockerImageManifests ?? []) {
      const ref = { ...repo.ref, tag: '', id: child.digest ?? '' };
      const refString = normalizedName(ref);
      const parsed = tryParseImageReference(exact(ref));
      if (!parsed.ref) throw new Error(parsed.error);
      let manifest: ParsedManifest;
      try {
        manifest = await registry.manifest(child.digest ?? '');
      } catch (err) {
        throw repositoryError(refString, err);
      }
      const imported = await this.importManifest(manifest, registry, refString, child.digest ?? '', '', '', '');
      imported.dockerImageReference = exact(mostSpecific(ref));
      images.push(imported);
    }
    return images;
  }
}

function newRepository(ref: DockerImageReference, host: string, name: string, insecure: boolean): ImportRepository {
  return { ref, host, name, insecure, importMode: '', tags: [], digests: [], maximumTags: 0, additionalTags: [] };
}

/** The image as a status reports it: `<repository as written>@<digest>`. */
function withReference(image: InternalImage, ref: DockerImageReference): Image {
  return printedImage({ ...image, dockerImageReference: exact(mostSpecific(ref)) });
}

/** manifestFromManifestList's choice: the preferred platform, else linux/amd64, else the first child. */
export function chooseChild(list: Extract<ParsedManifest, { kind: 'list' }>, arch: string, os: string): string | undefined {
  if (list.children.length === 0) return undefined;
  const preferred = list.children.find((c) => c.platform.architecture === arch && c.platform.os === os);
  if (preferred) return preferred.digest;
  const amd64 = list.children.find((c) => c.platform.architecture === 'amd64' && c.platform.os === 'linux');
  return (amd64 ?? list.children[0]).digest;
}

/** godigest.Parse's error text. */
function digestParseError(digest: string): string {
  const colon = digest.indexOf(':');
  if (colon < 0 || !/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) return 'invalid checksum digest format';
  const algorithm = digest.slice(0, colon);
  if (!['sha256', 'sha384', 'sha512'].includes(algorithm)) return 'unsupported digest algorithm';
  return 'invalid checksum digest length';
}

