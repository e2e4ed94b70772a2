// The imagestreams REST: the generic Store driven by the ImageStream strategy, plus what openshift-apiserver
// layers on it (registry/imagestream/etcd/etcd.go): reads recompute the repository fields (its Decorator),
// `/status` writes and the internal writers (REST objects without a Decorator) answer with the stored form,
// and ImageStreamTag, ImageTag and ImageStreamImport write through internalCreate / internalUpdate.
import { notFound, StatusError, type StatusCause } from '../../../../machinery/errors.js';
import type { KubeObject } from '../../../../machinery/object.js';
import type { ObjectList } from '../../../../registry/list.js';
import type { RegistryListOptions } from '../../../../registry/list-options.js';
import type { APIRegistry } from '../../../../registry/registry.js';
import type { ResourceDefinition } from '../../../../registry/resource.js';
import type { DeleteOptions, DeleteResult, REST, UpdatedObjectInfo, WriteOptions, WriteResult } from '../../../../registry/rest.js';
import type { Store } from '../../../../registry/store.js';
import type { RequestContext } from '../../../../registry/strategy.js';
import type { WatchHandle, WatchSink } from '../../../../registry/watch.js';
import type { RegistryHostnameRetriever } from '../registry-hostnames.js';
import { dockerImageRepository, publicDockerImageRepository } from './repositories.js';
import type { ImageStreamRequestContext, ImageStreamWriteMode } from './strategy.js';
import type { ImageStream } from './types.js';
import { canonicalImageStream, withoutTagOrID } from './wire.js';

export class ImageStreamREST implements REST {
  readonly gr;
  readonly apiVersion;

  constructor(
    readonly def: ResourceDefinition,
    /** A Store of imagestreams whose strategy is createImageStreamStrategy's (and has no decorate). */
    private readonly store: Store,
    private readonly hostnames: RegistryHostnameRetriever,
    /** Resolves once the hostnames reflect the stored cluster config. */
    private readonly ready: Promise<void>,
  ) {
    this.gr = store.gr;
    this.apiVersion = store.apiVersion;
  }

  schemaForPruning(): object {
    return this.store.schemaForPruning();
  }

  selectableFieldNames(): string[] {
    return this.store.selectableFieldNames();
  }

  /** A stream as GET, LIST and WATCH show it: printed form, repository fields for the current hostnames. */
  present(stream: KubeObject): ImageStream {
    return decorateImageStream(stream as ImageStream, this.hostnames.hostnames());
  }

  /** GET of `/status` answers with the stored form: upstream's status store has no Decorator. */
  async get(namespace: string | undefined, name: string, ctx?: RequestContext): Promise<ImageStream> {
    await this.ready;
    const stored = await this.store.get(namespace, name);
    return ctx?.subresource === 'status' ? printedImageStream(stored as ImageStream) : this.present(stored);
  }

  async list(namespace: string | undefined, opts: RegistryListOptions): Promise<ObjectList> {
    await this.ready;
    const list = await this.store.list(namespace, opts);
    return { ...list, items: list.items.map((item) => this.present(item)) };
  }

  async watch(namespace: string | undefined, opts: RegistryListOptions, sink: WatchSink): Promise<WatchHandle> {
    await this.ready;
    return this.store.watch(namespace, opts, {
      send: (type, object) => sink.send(type, type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED' ? this.present(object as KubeObject) : object),
      end: () => sink.end(),
    });
  }

  async create(namespace: string | undefined, body: KubeObject, opts: WriteOptions): Promise<WriteResult> {
    await this.ready;
    const result = await this.write(() => this.store.create(namespace, body, { ...opts, ctx: writeContext(opts.ctx, 'main') }));
    return { ...result, object: this.present(result.object as KubeObject) };
  }

  async update(
    namespace: string | undefined,
    name: string,
    objInfo: UpdatedObjectInfo,
    opts: WriteOptions,
    extra: { subresource: string; isPatch: boolean },
  ): Promise<WriteResult> {
    await this.ready;
    const status = extra.subresource === 'status';
    const ctx = writeContext(opts.ctx, status ? 'status' : 'main');
    const result = await this.write(() => this.store.update(namespace, name, remember(ctx, objInfo), { ...opts, ctx }, extra));
    // The status REST has no Decorator upstream: it answers with what was stored.
    return { ...result, object: status ? printedImageStream(result.object as ImageStream) : this.present(result.object as KubeObject) };
  }

  async delete(namespace: string | undefined, name: string, options: DeleteOptions, dryRun: boolean): Promise<DeleteResult> {
    const result = await this.store.delete(namespace, name, options, dryRun);
    if (result.kind === 'object') return { kind: 'object', object: this.present(result.object) };
    return result.object ? { ...result, object: this.present(result.object) } : result;
  }

  // ---- internal writers (ImageStreamTag, ImageTag, ImageStreamImport) --------------------------------

  /**
   * Creates a stream keeping the status the caller built (only the repository fields are recomputed);
   * the tag verifier, spec-tag processing and allow-list run as for a client's create. `opts.ctx` is the
   * original request's (its user is the one verified).
   */
  async internalCreate(namespace: string, stream: ImageStream, opts: WriteOptions): Promise<ImageStream> {
    await this.ready;
    const ctx = writeContext(opts.ctx, 'internal', structuredClone(stream));
    const result = await this.write(() => this.store.create(namespace, stream, { ...opts, ctx }));
    return printedImageStream(result.object as ImageStream);
  }

  /**
   * Updates a stream from its stored form, keeping the status `update` returns. `update` runs again on
   * every optimistic-concurrency retry; it must keep metadata.resourceVersion of the stream it gets.
   */
  async internalUpdate(namespace: string, name: string, update: (current: ImageStream) => ImageStream, opts: WriteOptions): Promise<ImageStream> {
    await this.ready;
    const ctx = writeContext(opts.ctx, 'internal');
    const objInfo: UpdatedObjectInfo = (current) => {
      if (!current) throw notFound(this.gr, name);
      return update(printedImageStream(current as ImageStream));
    };
    const result = await this.write(() => this.store.update(namespace, name, remember(ctx, objInfo), { ...opts, ctx }, { subresource: '', isPatch: false }));
    return printedImageStream(result.object as ImageStream);
  }

  /** Runs a Store write, rendering Invalid errors with empty field paths as upstream prints them. */
  private async write<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw withUpstreamFieldRendering(err);
    }
  }
}

/** The ImageStream REST of a registry (for the resources that read and write streams). */
export function imageStreamREST(registry: APIRegistry): ImageStreamREST {
  const rest = registry.rest('image.openshift.io', 'v1', 'imagestreams');
  if (!(rest instanceof ImageStreamREST)) throw new Error('imagestreams are not served by ImageStreamREST');
  return rest;
}

/** The stream in its printed form with the repository fields computed from `hostnames` (Decorate). */
export function decorateImageStream(stream: ImageStream, hostnames: { internal: string; external: string }): ImageStream {
  const out = printedImageStream(stream);
  const { dockerImageRepository: _d, publicDockerImageRepository: _p, ...rest } = out.status ?? {};
  const pub = publicDockerImageRepository(out, hostnames, true);
  out.status = {
    dockerImageRepository: withoutTagOrID(dockerImageRepository(out, hostnames, true)),
    ...(pub ? { publicDockerImageRepository: pub } : {}),
    ...rest,
  };
  return out;
}

/** The stream as the v1 conversion prints it, with no tag or ID left in the repository fields. */
export function printedImageStream(stream: ImageStream): ImageStream {
  const out = canonicalImageStream(structuredClone(stream));
  if (out.spec?.dockerImageRepository) out.spec.dockerImageRepository = withoutTagOrID(out.spec.dockerImageRepository);
  if (out.status?.dockerImageRepository) out.status.dockerImageRepository = withoutTagOrID(out.status.dockerImageRepository);
  return out;
}

function writeContext(ctx: RequestContext, mode: ImageStreamWriteMode, requested?: ImageStream): ImageStreamRequestContext {
  return { ...ctx, imageStreamWrite: { mode, requested } };
}

/** Keeps what the client asked for on each attempt: the Store hands the strategy a reset copy. */
function remember(ctx: ImageStreamRequestContext, objInfo: UpdatedObjectInfo): UpdatedObjectInfo {
  return (current) => {
    const obj = objInfo(current);
    ctx.imageStreamWrite!.requested = structuredClone(obj) as ImageStream;
    return obj;
  };
}

/**
 * field.Error prints `<path>: <detail>` even when the path is empty (`: Internal error: ...`), and a
 * StatusCause omits an empty field. The shared renderer drops both, so such errors are rebuilt here.
 */
export function withUpstreamFieldRendering(err: unknown): unknown {
  if (!(err instanceof StatusError) || err.reason !== 'Invalid') return err;
  const details = err.status.details;
  const causes = details?.causes ?? [];
  if (!causes.some((c) => !c.field)) return err;
  const parts: string[] = [];
  for (const c of causes) {
    const text = `${c.field ?? ''}: ${c.message ?? ''}`;
    if (!parts.includes(text)) parts.push(text);
  }
  const kind = details?.group ? `${details.kind}.${details.group}` : (details?.kind ?? '');
  const message = `${kind} "${details?.name ?? ''}" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`;
  const rendered: StatusCause[] = causes.map((c) => (c.field ? c : { reason: c.reason, message: c.message }));
  return new StatusError(422, 'Invalid', message, { ...details, causes: rendered });
}
