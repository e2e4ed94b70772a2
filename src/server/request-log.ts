// One structured log line per request (verb, path, code, latency, user, user agent, audit ID).
import type { FastifyRequest } from 'fastify';

export interface LineLogger {
  info(obj: object, msg: string): void;
}

export function logRequest(
  logger: LineLogger & { isLevelEnabled?(level: string): boolean },
  req: FastifyRequest,
  code: number,
  latencyMs: number,
  user?: string,
): void {
  if (logger.isLevelEnabled && !logger.isLevelEnabled('info')) return;
  logger.info(
    {
      verb: req.method,
      path: req.url,
      code,
      latencyMs: Math.round(latencyMs * 1000) / 1000,
      ...(user ? { user } : {}),
      userAgent: req.headers['user-agent'],
      auditID: req.id,
    },
    'request',
  );
}
