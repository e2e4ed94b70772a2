// Builds the Fastify application from the registered API groups.
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { parseGoDuration } from '../machinery/duration.js';
import { badRequest, pathNotFound, requestEntityTooLarge, StatusError, timeout } from '../machinery/errors.js';
import { firstValue } from '../machinery/query.js';
import type { APIRegistry } from '../registry/registry.js';
import { installAuthentication, installAuthorization, type RequestAuth } from './auth/auth-hooks.js';
import type { HttpsOptions } from './auth/setup.js';
import { admissionWithCreateOnUpdate } from './auth/create-on-update.js';
import type { REST } from '../registry/rest.js';
import { DiscoveryDocuments, versionInfo } from './discovery-routes.js';
import { dispatchResource } from './handlers/dispatch.js';
import type { Query } from './handlers/options.js';
import { supportedPatchTypes } from './handlers/write.js';
import { registerHealth, type HealthCheck } from './health.js';
import { DEFAULT_INFLIGHT_LIMITS, type InflightLimits } from './inflight-limit.js';
import { installRequestAccounting } from './metrics/install.js';
import { OpenAPIDocuments } from './openapi-routes.js';
import { parseAPIPath } from './request-info.js';
import { logRequest } from './request-log.js';
import { sendError } from './responses.js';

/** kube-apiserver's request body limit (3 MiB). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;
/** The server-side deadline of non-watch requests; `?timeout=` may only shorten it. */
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export interface AppOptions {
  registry: APIRegistry;
  logger: Logger;
  version: string;
  healthChecks: HealthCheck[];
  /** Serve HTTPS with HTTP/2 and HTTP/1.1 (ALPN) instead of plain HTTP. */
  https?: HttpsOptions;
  /** Authenticate and authorize every request; absent = neither (standalone default). */
  auth?: RequestAuth;
  /** --max-requests-inflight / --max-mutating-requests-inflight (default 400 / 200). */
  inflightLimits?: InflightLimits;
  /** Admission for resource writes (NamespaceLifecycle when connected to a kube-apiserver). */
  admit?: (rest: REST) => REST;
}

export function buildApp(opts: AppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: opts.logger,
    // One line per request is written by the onResponse hook (and by watch handlers) instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_REQUEST_BODY_BYTES,
    genReqId: (req) => String(req.headers['audit-id'] ?? randomUUID()),
    // Request lines carry the audit ID themselves; a per-request child logger would only cost time.
    childLoggerFactory: (logger) => logger,
    routerOptions: { ignoreDuplicateSlashes: false, maxParamLength: 1000 },
    // Fastify types HTTP/2 servers through a separate overload; the request and reply API the app uses is the same.
    ...((opts.https ? { http2: true, https: { allowHTTP1: true, ...opts.https } } : {}) as object),
  }) as unknown as FastifyInstance;
  const discovery = new DiscoveryDocuments(opts.registry.definitions);
  const openapi = new OpenAPIDocuments(opts.registry.definitions, supportedPatchTypes);

  // Every body is read raw: handlers decode by media type and report errors the way kube does.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // Callback-style hooks: no promise per request on the hot path.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('audit-id', req.id);
    reply.header('cache-control', 'no-cache, private');
    done();
  });
  const userOf = opts.auth ? installAuthentication(app, opts.auth) : () => ({ name: '', groups: [] });
  installRequestAccounting(app, { registry: opts.registry, limits: opts.inflightLimits ?? DEFAULT_INFLIGHT_LIMITS, userOf });
  if (opts.auth) installAuthorization(app, opts.auth, userOf);
  app.addHook('onResponse', (req, reply, done) => {
    logRequest(opts.logger, req, reply.statusCode, reply.elapsedTime, userOf(req).name);
    done();
  });

  app.setErrorHandler((err, _req, reply) => {
    const e = err as { code?: string; statusCode?: number; message?: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, requestEntityTooLarge(`limit is ${MAX_REQUEST_BODY_BYTES}`));
    if (err instanceof StatusError) return sendError(reply, err);
    if (e.statusCode && e.statusCode < 500) return sendError(reply, new StatusError(e.statusCode, 'BadRequest', e.message ?? 'bad request'));
    opts.logger.error({ err }, 'request failed');
    return sendError(reply, err);
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, pathNotFound()));

  registerHealth(app, { healthz: opts.healthChecks, livez: opts.healthChecks, readyz: opts.healthChecks });
  app.get('/version', (_req, reply) => reply.header('content-type', 'application/json').send(JSON.stringify(versionInfo(opts.version), null, 2)));
  app.get('/openapi/v2', (req, reply) => openapi.serveV2(req, reply));
  app.get('/openapi/v3', (req, reply) => openapi.serveV3Index(req, reply));
  app.get('/openapi/v3/*', (req, reply) => openapi.serveV3((req.params as { '*': string })['*'], req, reply));

  const apis = async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0];
    const query = req.query as Query;
    const info = parseAPIPath(req.method, path, query);
    switch (info.type) {
      case 'root':
        if (req.method !== 'GET') throw pathNotFound();
        return discovery.root(req, reply);
      case 'group':
        if (req.method !== 'GET') throw pathNotFound();
        return discovery.group(info.group, reply);
      case 'groupVersion':
        if (req.method !== 'GET') throw pathNotFound();
        return discovery.groupVersion(info.group, info.version, reply);
      case 'resource': {
        const deadline = requestDeadline(query, info.info.verb === 'watch');
        const user = userOf(req);
        const admit = admissionWithCreateOnUpdate(opts.auth?.authorizer, opts.admit, info.info, path, user);
        const work = dispatchResource(req, reply, info.info, opts.registry, user, admit);
        if (deadline === undefined) return work;
        return withDeadline(work, deadline);
      }
      default:
        throw pathNotFound();
    }
  };
  app.all('/apis', apis);
  app.all('/apis/*', apis);
  return app;
}

/** `?timeout=<Go duration>` shortens the 60 s deadline of a non-watch request. */
function requestDeadline(query: Query, watch: boolean): number | undefined {
  if (watch) return undefined;
  const raw = firstValue(query, 'timeout');
  if (raw === undefined || raw === '') return DEFAULT_REQUEST_TIMEOUT_MS;
  let ms: number;
  try {
    ms = parseGoDuration(raw);
  } catch (err) {
    throw badRequest(`invalid timeout specified in the request URL - ${(err as Error).message}`);
  }
  return ms > 0 && ms < DEFAULT_REQUEST_TIMEOUT_MS ? ms : DEFAULT_REQUEST_TIMEOUT_MS;
}

function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(timeout()), ms);
    timer.unref();
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
