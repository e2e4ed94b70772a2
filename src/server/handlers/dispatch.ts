// Maps a parsed resource request to its handler, with kube's 404 / 405 answers for what is not served.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { methodNotAllowed, methodNotSupported, pathNotFound } from '../../machinery/errors.js';
import type { APIRegistry } from '../../registry/registry.js';
import type { REST } from '../../registry/rest.js';
import type { Verb } from '../../registry/resource.js';
import type { RequestContext } from '../../registry/strategy.js';
import type { ResourceRequest } from '../request-info.js';
import type { HandlerContext } from './context.js';
import { handleDelete, handleDeleteCollection } from './delete.js';
import type { Query } from './options.js';
import { conversionSource, handleGet, handleList, handleWatch, readOutputTarget, transformResponse } from './read.js';
import { sendObject } from '../responses.js';
import { handleCreate, handlePatch, handleUpdate } from './write.js';

type Handler = (ctx: HandlerContext) => Promise<void>;

const HANDLERS: Record<string, Handler> = {
  get: handleGet,
  list: handleList,
  watch: handleWatch,
  create: handleCreate,
  update: handleUpdate,
  patch: handlePatch,
  delete: handleDelete,
  deletecollection: handleDeleteCollection,
};

/** The REST method each verb needs. */
const REST_METHOD: Record<string, keyof REST> = {
  get: 'get',
  list: 'list',
  watch: 'watch',
  create: 'create',
  update: 'update',
  patch: 'update',
  delete: 'delete',
  deletecollection: 'delete',
};

/** Which verbs are addressed to an item (name present) and which to a collection. */
const ITEM_VERBS = new Set(['get', 'update', 'patch', 'delete', 'watch']);
const COLLECTION_VERBS = new Set(['list', 'watch', 'create', 'deletecollection']);

export async function dispatchResource(
  req: FastifyRequest,
  reply: FastifyReply,
  info: ResourceRequest,
  registry: APIRegistry,
  user: { name: string; groups: string[]; extra?: Record<string, string[]> },
  /** Admission for the writes (NamespaceLifecycle when connected to a kube-apiserver). */
  admit?: (rest: REST) => REST,
): Promise<void> {
  const served = registry.rest(info.group, info.version, info.resource);
  if (!served) throw pathNotFound();
  const rest = admit ? admit(served) : served;
  const def = rest.def;

  // Scope: namespaced kinds answer item and write paths only inside a namespace; cluster kinds never do.
  if (!def.namespaced && info.namespace !== undefined) throw pathNotFound();
  if (def.namespaced && info.namespace === undefined && !(info.verb === 'list' || info.verb === 'watch')) {
    throw info.name ? pathNotFound() : methodNotAllowed();
  }
  if (info.name ? !ITEM_VERBS.has(info.verb) : !COLLECTION_VERBS.has(info.verb)) throw methodNotAllowed();

  const requestContext = (dryRun: boolean): RequestContext => ({
    namespace: info.namespace,
    user: user.name,
    groups: user.groups,
    ...(user.extra ? { extra: user.extra } : {}),
    dryRun,
    ...(info.subresource ? { subresource: info.subresource } : {}),
  });
  const query = req.query as Query;

  let allowed: Verb[] = def.verbs;
  if (info.subresource) {
    if (!info.name) throw pathNotFound();
    const sub = def.subresources?.find((s) => s.name === info.subresource);
    if (!sub) throw pathNotFound();
    if (!(sub.verbs as string[]).includes(info.verb)) throw methodNotAllowed();
    const own = registry.subresource(def.group, def.version, def.plural, sub.name);
    if (own) {
      // A subresource with its own handler (read-only views such as imagestreams/layers).
      if (info.verb !== 'get' || !own.get) throw methodNotAllowed();
      // Without a table convertor of its own, such a subresource offers PartialObjectMetadata but no Table.
      const target = readOutputTarget({ req, query }, { table: false });
      const body = await own.get(info.namespace, info.name, requestContext(false), query);
      sendObject(reply, 200, transformResponse(query, body, target, conversionSource(undefined)), target);
      return;
    }
    allowed = sub.verbs;
  }
  if (!(allowed as string[]).includes(info.verb) || rest[REST_METHOD[info.verb]] === undefined) {
    if (info.verb === 'watch' || info.verb === 'deletecollection') throw methodNotSupported(rest.gr, info.verb);
    throw methodNotAllowed();
  }
  await HANDLERS[info.verb]({ req, reply, info, rest, storage: registry.storage, query, requestContext });
}
