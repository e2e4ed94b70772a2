// Wires storage, registry and HTTP server together for one Config.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { resourceDefinitions } from './apis/index.js';
import type { Config } from './config.js';
import { optionalClusterConfig } from './apis/image/v1/imagestreamimport/cluster-config.js';
import type { ImageImportOptions, ImageImportRegistryOptions } from './apis/image/v1/imagestreamimport/options.js';
import { startControllers } from './controllers/manager.js';
import { APIRegistry } from './registry/registry.js';
import type { REST } from './registry/rest.js';
import { buildApp } from './server/app.js';
import { prepareSecurity, type SecureContextTarget } from './server/auth/setup.js';
import { connectCluster } from './server/cluster/connect.js';
import { DEFAULT_INFLIGHT_LIMITS } from './server/inflight-limit.js';
import { LevelStorage } from './storage/level.js';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_VERSION = '0.1.0';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function start(config: Config, logger: Logger = pino({ level: config.logLevel })): Promise<RunningServer> {
  // First, so a kube-apiserver that cannot be reached fails the start before storage is opened.
  const security = await prepareSecurity(config, logger);
  const cluster = config.cluster ? await connectCluster(config.cluster) : undefined;
  mkdirSync(config.dataDir, { recursive: true });
  const storage = await LevelStorage.open(config.dataDir);
  const imageImport: ImageImportOptions = { ...config.imageImport };
  if (cluster) {
    // Aggregated: the import shortcut asks the kube-apiserver, and additionalTrustedCA names a ConfigMap there.
    imageImport.authorizer ??= cluster.importAuthorizer;
    imageImport.additionalTrustedCAs ??= cluster.importTrustedCAs(() => optionalClusterConfig(registry));
  }
  const registryOptions: ImageImportRegistryOptions = {
    imageImport,
    imagePolicy: {
      internalRegistryHostname: config.internalRegistryHostname ?? '',
      externalRegistryHostname: config.externalRegistryHostname ?? '',
      ...(cluster ? { tagVerifier: cluster.tagVerifier, pullSecretSource: cluster.pullSecretSource } : {}),
    },
  };
  const registry = new APIRegistry(resourceDefinitions, storage, PROJECT_ROOT, registryOptions);
  const app = buildApp({
    registry,
    logger,
    version: SERVER_VERSION,
    healthChecks: [
      { name: 'ping', check: () => undefined },
      { name: 'log', check: () => undefined },
      { name: 'storage', check: async () => void (await storage.currentRevision()) },
    ],
    https: security.https,
    auth: security.auth,
    inflightLimits: {
      maxRequestsInflight: config.maxRequestsInflight ?? DEFAULT_INFLIGHT_LIMITS.maxRequestsInflight,
      maxMutatingRequestsInflight: config.maxMutatingRequestsInflight ?? DEFAULT_INFLIGHT_LIMITS.maxMutatingRequestsInflight,
    },
    ...(cluster ? { admit: (rest: REST) => cluster.admission.admitted(rest) } : {}),
  });
  await app.listen({ host: config.bindAddress, port: config.secureServing?.port ?? config.port });
  const stopRefresh = security.startRefresh(security.https ? (app.server as unknown as SecureContextTarget) : undefined);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.bindAddress.includes(':') ? `[${config.bindAddress}]` : config.bindAddress;
  const url = `${security.https ? 'https' : 'http'}://${host}:${port}`;
  logger.info({ url, dataDir: config.dataDir }, 'serving');
  const controllers = await startControllers(registry, logger, {
    controllers: config.controllers ?? [],
    scheduledImageImportIntervalMs: config.scheduledImageImportIntervalMs,
  });
  return {
    url,
    port,
    close: async () => {
      stopRefresh();
      await controllers.stop();
      await app.close();
      await registry.close();
      await storage.close();
    },
  };
}
