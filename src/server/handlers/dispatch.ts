// Maps a parsed resource request to its handler, with kube's 404 / 405 answers for what is not served.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { methodNotAllowed, methodNotSupported, pathNotFound } from '../../machinery/errors.js';
import type { APIRegistry } from '../../registry/registry.js';
import type { Verb } from '../../registry/resource.js';
import type { RequestContext } from '../../registry/strategy.js';
import type { ResourceRequest } from '../request-info.js';
import type { HandlerContext } from './context.js';
import { handleDelete, handleDeleteCollection } from './delete.js';
import type { Query } from './options.js';
import { handleGet, handleList, handleWatch } from './read.js';
import { handleCreate, handlePatch, handleUpdate } from './write.js';

type Handler = (ctx: HandlerContext) => Promise<void>;

const MAIN_HANDLERS: Record<string, Handler> = {
  get: handleGet,
  list: handleList,
  watch: handleWatch,
  create: handleCreate,
  update: handleUpdate,
  patch: handlePatch,
  delete: handleDelete,
  deletecollection: handleDeleteCollection,
};

/** Which verbs are addressed to an item (name present) and which to a collection. */
const ITEM_VERBS = new Set(['get', 'update', 'patch', 'delete', 'watch']);
const COLLECTION_VERBS = new Set(['list', 'watch', 'create', 'deletecollection']);

export async function dispatchResource(
  req: FastifyRequest,
  reply: FastifyReply,
  info: ResourceRequest,
  registry: APIRegistry,
  user: { name: string; groups: string[] },
): Promise<void> {
  const store = registry.store(info.group, info.version, info.resource);
  if (!store) throw pathNotFound();
  const def = store.def;

  // Scope: namespaced kinds answer item and write paths only inside a namespace; cluster kinds never do.
  if (!def.namespaced && info.namespace !== undefined) throw pathNotFound();
  if (def.namespaced && info.namespace === undefined && !(info.verb === 'list' || info.verb === 'watch') ) {
    throw info.name ? pathNotFound() : methodNotAllowed();
  }
  if (info.name ? !ITEM_VERBS.has(info.verb) : !COLLECTION_VERBS.has(info.verb)) throw methodNotAllowed();

  let allowed: Verb[] = def.verbs;
  if (info.subresource) {
    if (!info.name) throw pathNotFound();
    const sub = def.subresources?.find((s) => s.name === info.subresource);
    if (!sub) throw pathNotFound();
    allowed = sub.verbs;
  }
  if (!(allowed as string[]).includes(info.verb)) {
    if (info.verb === 'watch' || info.verb === 'deletecollection') throw methodNotSupported(store.gr, info.verb);
    throw methodNotAllowed();
  }
  const handler = MAIN_HANDLERS[info.verb];
  if (!handler) throw methodNotAllowed();

  const ctx: HandlerContext = {
    req,
    reply,
    info,
    store,
    query: req.query as Query,
    requestContext: (dryRun: boolean): RequestContext => ({ namespace: info.namespace, user: user.name, groups: user.groups, dryRun }),
  };
  await handler(ctx);
}
