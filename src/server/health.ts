// /healthz, /livez, /readyz with ?verbose and ?exclude (k8s.io/apiserver pkg/server/healthz/healthz.go).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface HealthCheck {
  name: string;
  check: () => Promise<void> | void;
}

export function registerHealth(app: FastifyInstance, endpoints: Record<'healthz' | 'livez' | 'readyz', HealthCheck[]>): void {
  for (const [endpoint, checks] of Object.entries(endpoints)) {
    app.get(`/${endpoint}`, (req, reply) => runChecks(endpoint, checks, req, reply));
    app.get(`/${endpoint}/:check`, async (req, reply) => {
      const name = (req.params as { check: string }).check;
      const found = checks.find((c) => c.name === name);
      plain(reply);
      if (!found) return reply.code(404).send('404 page not found\n');
      try {
        await found.check();
        return reply.code(200).send('ok');
      } catch (err) {
        return reply.code(500).send(`internal server error: ${(err as Error).message}\n`);
      }
    });
  }
}

function plain(reply: FastifyReply): void {
  reply.header('content-type', 'text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').header('cache-control', 'no-cache, private');
}

async function runChecks(endpoint: string, checks: HealthCheck[], req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const query = req.query as Record<string, string | string[] | undefined>;
  const verbose = query.verbose !== undefined;
  const excludes = new Set(([] as string[]).concat(query.exclude ?? []));
  const lines: string[] = [];
  let failed = false;
  for (const c of checks) {
    if (excludes.has(c.name)) {
      lines.push(`[+]${c.name} excluded: ok`);
      excludes.delete(c.name);
      continue;
    }
    try {
      await c.check();
      lines.push(`[+]${c.name} ok`);
    } catch {
      failed = true;
      lines.push(`[-]${c.name} failed: reason withheld`);
    }
  }
  if (excludes.size) lines.push(`warn: some health checks cannot be excluded: no matches for ${[...excludes].map((e) => `"${e}"`).join(',')}`);
  plain(reply);
  if (failed) return reply.code(500).send(`${lines.join('\n')}\n${endpoint} check failed\n`);
  if (!verbose) return reply.code(200).send('ok');
  return reply.code(200).send(`${lines.join('\n')}\n${endpoint} check passed\n`);
}
