// Command-line flags (kube-style names) with environment fallbacks.
import { parseArgs } from 'node:util';

export interface Config {
  bindAddress: string;
  port: number;
  dataDir: string;
  logLevel: string;
  storageBackend: 'level';
}

const FLAGS = {
  'bind-address': { type: 'string', env: 'IMAGE_APISERVER_BIND_ADDRESS', default: '127.0.0.1' },
  port: { type: 'string', env: 'IMAGE_APISERVER_PORT', default: '8080' },
  'data-dir': { type: 'string', env: 'IMAGE_APISERVER_DATA_DIR', default: './data' },
  'log-level': { type: 'string', env: 'IMAGE_APISERVER_LOG_LEVEL', default: 'info' },
  'storage-backend': { type: 'string', env: 'IMAGE_APISERVER_STORAGE_BACKEND', default: 'level' },
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

  const port = Number(get('port'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${JSON.stringify(get('port'))}: must be 0-65535`);
  const logLevel = get('log-level');
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`invalid --log-level ${JSON.stringify(logLevel)}: one of ${LOG_LEVELS.join(', ')}`);
  const backend = get('storage-backend');
  if (backend !== 'level') throw new Error(`invalid --storage-backend ${JSON.stringify(backend)}: supported: level`);
  return { bindAddress: get('bind-address'), port, dataDir: get('data-dir'), logLevel, storageBackend: backend };
}
