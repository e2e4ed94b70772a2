// Command-line flags (kube-style names) with environment fallbacks.
import { parseArgs } from 'node:util';
import type { ImageImportOptions } from './apis/image/v1/imagestreamimport/options.js';
import { controllerSelectionErrors, DEFAULT_CONTROLLERS, parseControllerList } from './controllers/controller-selection.js';
import { parseGoDuration } from './machinery/duration.js';
import { parseSecurityConfig, SECURITY_FLAGS, type SecurityConfig } from './server/auth/security-config.js';

/** Serving mode, HTTPS and authentication/authorization come from SecurityConfig (src/server/auth/security-config.ts). */
export interface Config extends SecurityConfig {
  bindAddress: string;
  port: number;
  dataDir: string;
  logLevel: string;
  storageBackend: 'level';
  /** The integrated registry's hostname inside the cluster ('' = none); the cluster Image config overrides it. */
  internalRegistryHostname?: string;
  /** The integrated registry's public hostname ('' = none); the cluster Image config overrides it. */
  externalRegistryHostname?: string;
  /** Image import settings (`--registry-auth-file`, `--additional-trusted-ca-file`, `--max-images-bulk-imported-per-repository`). */
  imageImport?: ImageImportOptions;
  /** Read-only requests served at once, watches aside (0 = unlimited; default 400). */
  maxRequestsInflight?: number;
  /** Mutating requests served at once (0 = unlimited; default 200). */
  maxMutatingRequestsInflight?: number;
  /**
   * Aggregated mode: the kube-apiserver namespaces (NamespaceLifecycle), pull secrets and cross-namespace tag
   * reviews come from, through `--kubeconfig` or the in-cluster service account.
   */
  cluster?: { kubeconfig?: string };
  /**
   * `--controllers`: the in-process controllers to run, kube-style (`*` every controller on by default,
   * `name` one more, `-name` one less). The command line defaults to `*`; absent here means none, so that
   * embedders such as tests opt in.
   */
  controllers?: string[];
  /** `--scheduled-image-import-interval` in ms (default 15 minutes). */
  scheduledImageImportIntervalMs?: number;
}

const FLAGS = {
  'bind-address': { type: 'string', env: 'IMAGE_APISERVER_BIND_ADDRESS', default: '127.0.0.1' },
  port: { type: 'string', env: 'IMAGE_APISERVER_PORT', default: '8080' },
  'data-dir': { type: 'string', env: 'IMAGE_APISERVER_DATA_DIR', default: './data' },
  'log-level': { type: 'string', env: 'IMAGE_APISERVER_LOG_LEVEL', default: 'info' },
  'storage-backend': { type: 'string', env: 'IMAGE_APISERVER_STORAGE_BACKEND', default: 'level' },
  ...SECURITY_FLAGS,
  'internal-registry-hostname': { type: 'string', env: 'IMAGE_APISERVER_INTERNAL_REGISTRY_HOSTNAME', default: '' },
  'external-registry-hostname': { type: 'string', env: 'IMAGE_APISERVER_EXTERNAL_REGISTRY_HOSTNAME', default: '' },
  'registry-auth-file': { type: 'string', env: 'IMAGE_APISERVER_REGISTRY_AUTH_FILE', default: '' },
  'additional-trusted-ca-file': { type: 'string', env: 'IMAGE_APISERVER_ADDITIONAL_TRUSTED_CA_FILE', default: '' },
  'max-images-bulk-imported-per-repository': { type: 'string', env: 'IMAGE_APISERVER_MAX_IMAGES_BULK_IMPORTED_PER_REPOSITORY', default: '50' },
  'max-requests-inflight': { type: 'string', env: 'IMAGE_APISERVER_MAX_REQUESTS_INFLIGHT', default: '400' },
  'max-mutating-requests-inflight': { type: 'string', env: 'IMAGE_APISERVER_MAX_MUTATING_REQUESTS_INFLIGHT', default: '200' },
  controllers: { type: 'string', env: 'IMAGE_APISERVER_CONTROLLERS', default: DEFAULT_CONTROLLERS.join(',') },
  'scheduled-image-import-interval': { type: 'string', env: 'IMAGE_APISERVER_SCHEDULED_IMAGE_IMPORT_INTERVAL', default: '15m' },
} as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' as const }])),
    strict: true,
    allowPositionals: false,
  });
  const get = (name: keyof typeof FLAGS): string => (values[name] as string | undefined) ?? env[FLAGS[name].env] ?? FLAGS[name].default;
  const given = (name: keyof typeof FLAGS): boolean => values[name] !== undefined || env[FLAGS[name].env] !== undefined;

  const port = Number(get('port'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${JSON.stringify(get('port'))}: must be 0-65535`);
  const logLevel = get('log-level');
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`invalid --log-level ${JSON.stringify(logLevel)}: one of ${LOG_LEVELS.join(', ')}`);
  const backend = get('storage-backend');
  if (backend !== 'level') throw new Error(`invalid --storage-backend ${JSON.stringify(backend)}: supported: level`);
  const security = parseSecurityConfig({ get, given });
  const kubeconfig = get('kubeconfig');
  return {
    bindAddress: get('bind-address'),
    port,
    dataDir: get('data-dir'),
    logLevel,
    storageBackend: backend,
    internalRegistryHostname: registryHostname('internal-registry-hostname', get('internal-registry-hostname')),
    externalRegistryHostname: registryHostname('external-registry-hostname', get('external-registry-hostname')),
    imageImport: {
      registryAuthFile: get('registry-auth-file') || undefined,
      additionalTrustedCAFile: get('additional-trusted-ca-file') || undefined,
      maxImagesBulkImportedPerRepository: bulkImportLimit(get('max-images-bulk-imported-per-repository')),
    },
    maxRequestsInflight: nonNegativeInt('max-requests-inflight', get('max-requests-inflight')),
    maxMutatingRequestsInflight: nonNegativeInt('max-mutating-requests-inflight', get('max-mutating-requests-inflight')),
    controllers: controllerSelection(get('controllers')),
    scheduledImageImportIntervalMs: positiveDuration('scheduled-image-import-interval', get('scheduled-image-import-interval')),
    ...security,
    ...(security.mode === 'aggregated' ? { cluster: kubeconfig ? { kubeconfig } : {} } : {}),
  };
}

function nonNegativeInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`invalid --${flag} ${JSON.stringify(value)}: must be a non-negative integer`);
  return Number(value);
}

/** kube-controller-manager's validation of --controllers: unknown names are refused. */
function controllerSelection(text: string): string[] {
  const selection = parseControllerList(text);
  const errs = controllerSelectionErrors(selection);
  if (errs.length) throw new Error(`invalid --controllers: ${errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`}`);
  return selection;
}

/** A Go duration (`90s`, `15m`) above zero, in ms. */
function positiveDuration(flag: string, text: string): number {
  let ms: number;
  try {
    ms = parseGoDuration(text);
  } catch (err) {
    throw new Error(`invalid --${flag}: ${(err as Error).message}`);
  }
  if (!(ms > 0)) throw new Error(`invalid --${flag} ${JSON.stringify(text)}: must be positive`);
  return ms;
}

/** imagePolicyConfig.maxImagesBulkImportedPerRepository: a count, or -1 for no limit. */
function bulkImportLimit(value: string): number {
  if (!/^(-1|\d+)$/.test(value)) throw new Error(`invalid --max-images-bulk-imported-per-repository ${JSON.stringify(value)}: must be -1 or a non-negative integer`);
  return Number(value);
}

/** `hostname[:port]` (or empty): what openshift-apiserver accepts for its registry hostnames. */
function registryHostname(flag: string, value: string): string {
  if (value && !/^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?)(:[0-9]+)?$/.test(value)) {
    throw new Error(`invalid --${flag} ${JSON.stringify(value)}: must be hostname[:port]`);
  }
  return value;
}
