// The server started in aggregated mode against a test double of the kube-apiserver, as
// `npm start -- --mode=aggregated ...` would start it, and the identity headers the aggregator's proxy sets.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseConfig } from '../../src/config.js';
import { start, type RunningServer } from '../../src/start.js';
import type { FakeKubeAPIServer } from './fake-kube-apiserver.js';
import type { TLSTarget } from './tls-client.js';

export const SERVICE_NAME = 'image-apiserver.image-apiserver.svc';

export interface AggregatedServer extends TLSTarget {
  server: RunningServer;
  close(): Promise<void>;
}

export async function startAggregatedServer(fake: FakeKubeAPIServer, args: string[] = []): Promise<AggregatedServer> {
  const dir = await mkdtemp(join(tmpdir(), 'image-apiserver-aggregated-'));
  const certs = join(dir, 'certs');
  const kubeconfig = await fake.writeKubeconfig(join(dir, 'kubeconfig'));
  const config = parseConfig(
    ['--mode=aggregated', '--secure-port=0', `--data-dir=${join(dir, 'data')}`, `--cert-dir=${certs}`, `--kubeconfig=${kubeconfig}`, '--log-level=silent', ...args],
    {},
  );
  const server = await start(config, pino({ level: 'silent' }));
  return {
    server,
    port: server.port,
    ca: await readFile(join(certs, 'apiserver.crt'), 'utf8'),
    servername: SERVICE_NAME,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** X-Remote-User, one X-Remote-Group line per group, X-Remote-Extra-<percent-encoded key> per extra. */
export function remoteUser(user: string, groups: string[] = [], extra: Record<string, string[]> = {}): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { 'X-Remote-User': user };
  if (groups.length) headers['X-Remote-Group'] = groups;
  for (const [key, values] of Object.entries(extra)) headers[`X-Remote-Extra-${encodeURIComponent(key)}`] = values;
  return headers;
}
