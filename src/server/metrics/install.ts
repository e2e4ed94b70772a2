// Request accounting between authentication and authorization, where k8s.io/apiserver's handler chain has
// its maxinflight filter: the in-flight limits, apiserver_request_total and its histogram for every answered
// request, gauges for the watches being served, and the /metrics endpoint itself.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { grString } from '../../machinery/errors.js';
import type { APIRegistry } from '../../registry/registry.js';
import { MASTERS_GROUP, type UserInfo } from '../auth/user.js';
import { InflightCounter, isMutatingVerb, sendTooManyRequests, type InflightLimits } from '../inflight-limit.js';
import { classifyRequest, type RequestKind } from './request-labels.js';
import { ServerMetrics, type StoredResourceCount } from './server-metrics.js';

export interface RequestAccountingOptions {
  registry: APIRegistry;
  limits: InflightLimits;
  /** The authenticated user (system:masters is never turned away). */
  userOf(req: FastifyRequest): UserInfo;
}

/** Installs the hooks (call after authentication, before authorization) and GET /metrics. */
export function installRequestAccounting(app: FastifyInstance, opts: RequestAccountingOptions): ServerMetrics {
  const readOnly = new InflightCounter(opts.limits.maxRequestsInflight);
  const mutating = new InflightCounter(opts.limits.maxMutatingRequestsInflight);
  const metrics = new ServerMetrics({
    inflight: () => ({ readOnly: readOnly.watermark(), mutating: mutating.watermark() }),
    storedResources: storedResources(opts.registry),
  });
  const kinds = new Map(opts.registry.definitions.map((d) => [`${d.group}/${d.version}/${d.plural}`, d.kind]));
  const servedKind = (k: RequestKind) => kinds.get(`${k.labels.group}/${k.labels.version}/${k.labels.resource}`);
  const requests = new WeakMap<FastifyRequest, RequestKind>();

  app.addHook('onRequest', (req, reply, done) => {
    const kind = classifyRequest(req.method, req.url, req.headers['content-type']);
    if (kind.longRunning) requests.set(req, kind);
    const started = performance.now();
    // Upstream instruments only the routes it serves: unknown resources and unknown paths are not counted.
    const counted = kind.resourceRequest ? servedKind(kind) !== undefined : true;
    const seats = kind.longRunning ? undefined : isMutatingVerb(kind.verb) ? mutating : readOnly;
    const entered = seats?.tryEnter() ?? false;
    // One listener per request does both the accounting and the release of the seat.
    reply.raw.once('close', () => {
      if (entered) seats!.leave();
      const code = reply.raw.statusCode;
      if (counted && (kind.resourceRequest || code !== 404)) metrics.observeRequest(kind.labels, code, (performance.now() - started) / 1000);
    });
    if (!seats || entered || opts.userOf(req).groups.includes(MASTERS_GROUP)) return done();
    metrics.observeTermination(kind.labels, 429);
    sendTooManyRequests(reply);
  });

  // Watches count once authorized and routed, as serveWatch records them.
  app.addHook('preHandler', (req, reply, done) => {
    const kind = requests.get(req);
    const served = kind?.longRunning ? servedKind(kind) : undefined;
    if (kind && served) {
      const stopRequest = metrics.trackLongRunning(kind.labels);
      const stopWatcher = metrics.trackWatcher({ group: kind.labels.group, version: kind.labels.version, kind: served });
      reply.raw.once('close', () => {
        stopRequest();
        stopWatcher();
      });
    }
    done();
  });

  app.get('/metrics', async (_req, reply) => {
    const { contentType, text } = await metrics.exposition();
    return reply.header('content-type', contentType).send(text);
  });
  return metrics;
}

/** The stored kinds (views such as ImageStreamImage store nothing), counted in the storage. */
function storedResources(registry: APIRegistry): StoredResourceCount[] {
  const out: StoredResourceCount[] = [];
  for (const def of registry.definitions) {
    const store = registry.store(def.group, def.version, def.plural);
    if (!store) continue;
    out.push({ resource: grString(store.gr), count: () => registry.storage.count(store.prefix(undefined)) });
  }
  return out;
}
