// Everything a resource handler needs about one request.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { REST } from '../../registry/rest.js';
import type { Storage } from '../../storage/storage.js';
import type { RequestContext } from '../../registry/strategy.js';
import type { ResourceRequest } from '../request-info.js';
import type { Query } from './options.js';

export interface HandlerContext {
  req: FastifyRequest;
  reply: FastifyReply;
  info: ResourceRequest;
  rest: REST;
  /** For waiting on a resourceVersion (reads at a revision the store has not reached yet). */
  storage: Storage;
  query: Query;
  /** Builds the strategy's view of the request. */
  requestContext(dryRun: boolean): RequestContext;
}
