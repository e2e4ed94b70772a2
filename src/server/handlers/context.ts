// Everything a resource handler needs about one request.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../registry/store.js';
import type { RequestContext } from '../../registry/strategy.js';
import type { ResourceRequest } from '../request-info.js';
import type { Query } from './options.js';

export interface HandlerContext {
  req: FastifyRequest;
  reply: FastifyReply;
  info: ResourceRequest;
  store: Store;
  query: Query;
  /** Builds the strategy's view of the request. */
  requestContext(dryRun: boolean): RequestContext;
}
