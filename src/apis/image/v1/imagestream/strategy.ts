// The rules of image.openshift.io/v1 imagestreams: openshift-apiserver's imagestream Strategy,
// StatusStrategy and InternalStrategy (pkg/image/apiserver/registry/imagestream/strategy.go) on the
// generic Store. One strategy serves the three kinds of writes; which one a call is comes with its
// request context (see ImageStreamRequestContext).
import { internalError as internalStatusError, invalid as invalidStatus } from '../../../../machinery/errors.js';
import { internalError, type ErrorList } from '../../../../machinery/field.js';
import { prepareUpdateMeta } from '../../../../machinery/meta.js';
import { timestamp } from '../../../../machinery/object.js';
import type { RequestContext, Strategy } from '../../../../registry/strategy.js';
import type { ImageConfig } from '../../../config/v1/image/types.js';
import type { RegistryHostnameRetriever } from '../registry-hostnames.js';
import { imagePolicyWhitelist, type RegistryWhitelist } from '../registry-whitelist.js';
import { defaultImageStream, defaultImportMode } from './defaults.js';
import { collapseEmptyStatusTags, sortTags } from './history.js';
import { dockerImageRepository, publicDockerImageRepository } from './repositories.js';
import { resolveSpecTags, type ImageStreamGetter } from './tag-sources.js';
import { ensureSpecTagGenerationsAreSet, updateObservedGenerationForStatusUpdate, updateSpecTagGenerationsForUpdate } from './tag-changes.js';
import { verifyTagAccess, type TagVerifier } from './tag-verifier.js';
import type { ImageStream } from './types.js';
import { validateImageStream, validateImageStreamName, validateImageStreamStatusUpdate, validateImageStreamUpdate } from './validation.js';
import { canonicalSpec, canonicalStatus, specsSemanticallyEqual } from './wire.js';

export { validateImageStreamName, REPOSITORY_NAME_COMPONENT, NAME_TOTAL_LENGTH_MAX } from './validation.js';

/**
 * `main`: PUT/PATCH/POST on imagestreams (status comes from the server); `status`: the `/status`
 * subresource; `internal`: the writers behind ImageStreamTag, ImageTag and ImageStreamImport, which keep
 * the status they send.
 */
export type ImageStreamWriteMode = 'main' | 'status' | 'internal';

/** A request context that says which kind of write this is, and what the client sent. */
export interface ImageStreamRequestContext extends RequestContext {
  imageStreamWrite?: {
    mode: ImageStreamWriteMode;
    /** The object as requested; the Store hands the strategy a copy whose status or metadata it reset. */
    requested?: ImageStream;
  };
}

export interface ImageStreamStrategyDeps {
  hostnames: RegistryHostnameRetriever;
  /** The config.openshift.io Image `cluster` (import mode default, allowed registries); undefined if none. */
  clusterConfig(): Promise<ImageConfig | undefined>;
  /** Reads a stream referenced by a spec tag. */
  getStream: ImageStreamGetter;
  tagVerifier: TagVerifier;
  now(): Date;
}

/**
 * What holds for every ImageStream whatever the server's configuration: the Store flags and the name
 * rules. The served strategy (createImageStreamStrategy) adds the tag and registry rules.
 */
export const imageStreamStrategy: Strategy<ImageStream> = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: false,
  generation: 'spec',
  nameRule: 'path-segment',
  validate: (obj) => validateImageStreamName(obj.metadata),
  validateUpdate: (obj) => validateImageStreamName(obj.metadata),
};

export function createImageStreamStrategy(deps: ImageStreamStrategyDeps): Strategy<ImageStream> {
  const modeOf = (ctx: RequestContext): ImageStreamWriteMode => (ctx as ImageStreamRequestContext).imageStreamWrite?.mode ?? 'main';
  const requestedOf = (ctx: RequestContext) => (ctx as ImageStreamRequestContext).imageStreamWrite?.requested;

  /** The request as the server decodes it: tag maps, then the import and reference policy defaults. */
  const decode = (stream: ImageStream, config: ImageConfig | undefined): void => {
    sortTags(stream);
    defaultImageStream(stream, defaultImportMode(config));
  };
  /** A stored stream as the server decodes it, for comparisons (the Store's `old` is left alone). */
  const decoded = (stream: ImageStream, config: ImageConfig | undefined): ImageStream => {
    const copy = structuredClone(stream);
    decode(copy, config);
    return copy;
  };

  const whitelist = (config: ImageConfig | undefined): RegistryWhitelist => {
    try {
      return imagePolicyWhitelist(config?.spec?.allowedRegistriesForImport, deps.hostnames.hostnames().internal);
    } catch (err) {
      // openshift-apiserver refuses to start with such a list; here it fails the writes that need it.
      throw internalStatusError(err);
    }
  };

  /**
   * The tag verifier and spec-tag processing (which fills status from the tags' sources). Their errors
   * reach the client as one InternalError cause wrapping an Invalid error of kind `imagestreams`.
   */
  const validateTags = async (old: ImageStream | undefined, stream: ImageStream, ctx: RequestContext): Promise<ErrorList> => {
    const errs = [
      ...(await verifyTagAccess(deps.tagVerifier, old, stream, ctx)),
      ...(await resolveSpecTags(old, stream, {
        getStream: deps.getStream,
        internalRegistryHostname: deps.hostnames.hostnames().internal,
        now: timestamp(deps.now()),
      })),
    ];
    if (errs.length === 0) return [];
    const wrapped = invalidStatus('', 'imagestreams', stream.metadata.name ?? '', errs);
    return [internalError('', wrapped.status.message ?? '')];
  };

  const setRepositories = (stream: ImageStream, defaultNamespace: boolean): void => {
    const hostnames = deps.hostnames.hostnames();
    const status = stream.status ?? { dockerImageRepository: '' };
    const { dockerImageRepository: _d, publicDockerImageRepository: _p, ...rest } = status;
    const pub = publicDockerImageRepository(stream, hostnames, defaultNamespace);
    stream.status = {
      dockerImageRepository: dockerImageRepository(stream, hostnames, defaultNamespace),
      ...(pub ? { publicDockerImageRepository: pub } : {}),
      ...rest,
    };
  };

  return {
    ...imageStreamStrategy,
    // The strategy moves metadata.generation itself: on spec changes only, never on `/status`.
    generation: 'none',

    async prepareForCreate(stream, ctx) {
      const config = await deps.clusterConfig();
      const mode = modeOf(ctx);
      // The Store dropped the request's status; internal writers keep theirs.
      if (mode === 'internal') {
        const requested = requestedOf(ctx)?.status;
        if (requested) stream.status = structuredClone(requested);
      } else {
        stream.status = { dockerImageRepository: '' };
      }
      decode(stream, config);
      setRepositories(stream, false);
      stream.metadata.generation = 1;
      if (stream.spec?.tags) stream.spec.tags = stream.spec.tags.map((t) => ({ ...t, generation: 1 }));
      if (mode === 'main') collapseEmptyStatusTags(stream);
    },

    async validate(stream, ctx) {
      const config = await deps.clusterConfig();
      const errs = await validateTags(undefined, stream, ctx);
      errs.push(...validateImageStream(stream, whitelist(config)));
      return errs;
    },

    async prepareForUpdate(stream, old, ctx) {
      const config = await deps.clusterConfig();
      const previous = decoded(old, config);
      // The Store put the stored status in place; internal writers keep the one they send.
      if (modeOf(ctx) === 'internal') {
        const requested = requestedOf(ctx);
        if (requested?.status) stream.status = structuredClone(requested.status);
        else delete stream.status;
        collapseEmptyStatusTags(stream);
      }
      decode(stream, config);
      stream.metadata.generation = previous.metadata.generation ?? 0;
      setRepositories(stream, true);
      updateSpecTagGenerationsForUpdate(stream, previous);
      if (!specsSemanticallyEqual(previous.spec, stream.spec) || stream.metadata.generation === 0) {
        stream.metadata.generation = (previous.metadata.generation ?? 0) + 1;
      }
      ensureSpecTagGenerationsAreSet(stream, previous);
    },

    async validateUpdate(stream, old, ctx) {
      const config = await deps.clusterConfig();
      const previous = decoded(old, config);
      const errs = await validateTags(previous, stream, ctx);
      errs.push(...validateImageStreamUpdate(stream, previous, whitelist(config)));
      return errs;
    },

    async prepareForStatusUpdate(stream, old, ctx) {
      const config = await deps.clusterConfig();
      const previous = decoded(old, config);
      const requested = requestedOf(ctx);
      if (requested) {
        // Upstream keeps the whole request here but for the spec's tags and repository (Appendix B #15):
        // labels, annotations and spec.lookupPolicy change through /status too.
        // The Store already checked the request's name and namespace against the URL's.
        const metadata = { ...structuredClone(requested.metadata ?? {}), name: old.metadata.name, namespace: old.metadata.namespace };
        prepareUpdateMeta(metadata, old.metadata);
        metadata.managedFields = old.metadata.managedFields;
        if (metadata.managedFields === undefined) delete metadata.managedFields;
        stream.metadata = metadata;
        stream.spec = { ...structuredClone(requested.spec ?? {}) };
      }
      stream.spec ??= {};
      if (old.spec?.tags) stream.spec.tags = structuredClone(old.spec.tags);
      else delete stream.spec.tags;
      if (old.spec?.dockerImageRepository) stream.spec.dockerImageRepository = old.spec.dockerImageRepository;
      else delete stream.spec.dockerImageRepository;
      decode(stream, config);
      updateObservedGenerationForStatusUpdate(stream, previous);
    },

    async validateStatusUpdate(stream, old) {
      const config = await deps.clusterConfig();
      return validateImageStreamStatusUpdate(stream, decoded(old, config), whitelist(config));
    },

    canonicalize(stream) {
      stream.spec = canonicalSpec(stream.spec);
      stream.status = canonicalStatus(stream.status);
    },
  };
}
