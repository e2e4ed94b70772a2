// The serving, authentication and authorization flags (kube-style names, as k8s.io/apiserver's
// SecureServing, DelegatingAuthentication and DelegatingAuthorization options spell them) and the
// configuration they make. Standalone (default): plain HTTP, no auth unless a credential source is
// given. Aggregated: HTTPS, and authentication and authorization delegated to a kube-apiserver.
import { isIP } from 'node:net';
import { parseGoDuration } from '../../machinery/duration.js';

export interface SecureServingConfig {
  port: number;
  certFile?: string;
  keyFile?: string;
  /** Where a self-signed certificate is generated (and found again on restart). */
  certDir: string;
  /** Names a generated certificate is valid for. */
  hostnames: string[];
}

export interface RequestHeaderFlags {
  clientCAFile: string;
  allowedNames: string[];
  usernameHeaders: string[];
  uidHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
}

export interface AuthenticationConfig {
  /** Requests without credentials run as system:anonymous (else 401). */
  anonymous: boolean;
  clientCAFile?: string;
  requestHeader?: RequestHeaderFlags;
  tokenAuthFile?: string;
  /** TokenReviews, and the extension-apiserver-authentication ConfigMap for what the flags leave out. */
  delegated?: { kubeconfig?: string; tokenCacheTTLMs: number };
}

export interface AuthorizationConfig {
  alwaysAllowPaths: string[];
  alwaysAllowGroups: string[];
  /** SubjectAccessReviews; without it, any authenticated user may do anything. */
  delegated?: { kubeconfig?: string; allowCacheTTLMs: number; denyCacheTTLMs: number };
}

export type ServingMode = 'standalone' | 'aggregated';

/** The fields this adds to Config; all absent = standalone plain HTTP without auth. */
export interface SecurityConfig {
  mode?: ServingMode;
  /** HTTPS (HTTP/2 and HTTP/1.1) instead of plain HTTP on `port`. */
  secureServing?: SecureServingConfig;
  authentication?: AuthenticationConfig;
  authorization?: AuthorizationConfig;
}

export const SECURITY_FLAGS = {
  mode: { type: 'string', env: 'IMAGE_APISERVER_MODE', default: 'standalone' },
  'secure-port': { type: 'string', env: 'IMAGE_APISERVER_SECURE_PORT', default: '' },
  'cert-dir': { type: 'string', env: 'IMAGE_APISERVER_CERT_DIR', default: 'apiserver.local.config/certificates' },
  'tls-cert-file': { type: 'string', env: 'IMAGE_APISERVER_TLS_CERT_FILE', default: '' },
  'tls-private-key-file': { type: 'string', env: 'IMAGE_APISERVER_TLS_PRIVATE_KEY_FILE', default: '' },
  'service-name': { type: 'string', env: 'IMAGE_APISERVER_SERVICE_NAME', default: 'image-apiserver' },
  'service-namespace': { type: 'string', env: 'IMAGE_APISERVER_SERVICE_NAMESPACE', default: 'image-apiserver' },
  'client-ca-file': { type: 'string', env: 'IMAGE_APISERVER_CLIENT_CA_FILE', default: '' },
  'requestheader-client-ca-file': { type: 'string', env: 'IMAGE_APISERVER_REQUESTHEADER_CLIENT_CA_FILE', default: '' },
  'requestheader-allowed-names': { type: 'string', env: 'IMAGE_APISERVER_REQUESTHEADER_ALLOWED_NAMES', default: '' },
  'requestheader-username-headers': { type: 'string', env: 'IMAGE_APISERVER_REQUESTHEADER_USERNAME_HEADERS', default: 'x-remote-user' },
  'requestheader-group-headers': { type: 'string', env: 'IMAGE_APISERVER_REQUESTHEADER_GROUP_HEADERS', default: 'x-remote-group' },
  'requestheader-extra-headers-prefix': { type: 'string', env: 'IMAGE_APISERVER_REQUESTHEADER_EXTRA_HEADERS_PREFIX', default: 'x-remote-extra-' },
  'authentication-kubeconfig': { type: 'string', env: 'IMAGE_APISERVER_AUTHENTICATION_KUBECONFIG', default: '' },
  'authorization-kubeconfig': { type: 'string', env: 'IMAGE_APISERVER_AUTHORIZATION_KUBECONFIG', default: '' },
  kubeconfig: { type: 'string', env: 'IMAGE_APISERVER_KUBECONFIG', default: '' },
  'authentication-token-webhook-cache-ttl': { type: 'string', env: 'IMAGE_APISERVER_AUTHENTICATION_TOKEN_WEBHOOK_CACHE_TTL', default: '10s' },
  'authorization-webhook-cache-authorized-ttl': { type: 'string', env: 'IMAGE_APISERVER_AUTHORIZATION_WEBHOOK_CACHE_AUTHORIZED_TTL', default: '10s' },
  'authorization-webhook-cache-unauthorized-ttl': { type: 'string', env: 'IMAGE_APISERVER_AUTHORIZATION_WEBHOOK_CACHE_UNAUTHORIZED_TTL', default: '10s' },
  'authorization-always-allow-paths': { type: 'string', env: 'IMAGE_APISERVER_AUTHORIZATION_ALWAYS_ALLOW_PATHS', default: '/healthz,/readyz,/livez' },
  'anonymous-auth': { type: 'string', env: 'IMAGE_APISERVER_ANONYMOUS_AUTH', default: 'true' },
  'token-auth-file': { type: 'string', env: 'IMAGE_APISERVER_TOKEN_AUTH_FILE', default: '' },
} as const;

type SecurityFlag = keyof typeof SECURITY_FLAGS;

/** The default secure port in aggregated mode (sample-apiserver's is 443, which needs privileges). */
export const AGGREGATED_SECURE_PORT = 8443;
/** k8s.io/apiserver's always-allowed group. */
const ALWAYS_ALLOW_GROUPS = ['system:masters'];

export interface FlagSource {
  /** The flag's value, its environment variable's, or the default. */
  get(name: SecurityFlag | 'port' | 'bind-address'): string;
  /** Whether the flag or its environment variable was set. */
  given(name: SecurityFlag | 'port'): boolean;
}

export function parseSecurityConfig(flags: FlagSource): SecurityConfig {
  const mode = flags.get('mode');
  if (mode !== 'standalone' && mode !== 'aggregated') throw new Error(`invalid --mode ${JSON.stringify(mode)}: standalone or aggregated`);
  const aggregated = mode === 'aggregated';

  if (aggregated && flags.given('port')) throw new Error('--port (plain HTTP) is not served in aggregated mode: use --secure-port');
  if (!aggregated && flags.given('port') && flags.given('secure-port')) throw new Error('--port (HTTP) and --secure-port (HTTPS) exclude each other');
  if (!aggregated) {
    for (const f of ['authentication-kubeconfig', 'authorization-kubeconfig', 'kubeconfig'] as const) {
      if (flags.given(f)) throw new Error(`--${f} needs --mode=aggregated`);
    }
  }

  const securePortText = flags.get('secure-port') || (aggregated ? String(AGGREGATED_SECURE_PORT) : '');
  const secureServing = securePortText === '' ? undefined : secureServingConfig(flags, securePortText);

  const anonymous = parseBool('anonymous-auth', flags.get('anonymous-auth'));
  const clientCAFile = flags.get('client-ca-file') || undefined;
  const tokenAuthFile = flags.get('token-auth-file') || undefined;
  const requestHeaderCA = flags.get('requestheader-client-ca-file');
  const requestHeader: RequestHeaderFlags | undefined = requestHeaderCA
    ? {
        clientCAFile: requestHeaderCA,
        allowedNames: list(flags.get('requestheader-allowed-names')),
        usernameHeaders: list(flags.get('requestheader-username-headers')),
        uidHeaders: [],
        groupHeaders: list(flags.get('requestheader-group-headers')),
        extraHeaderPrefixes: list(flags.get('requestheader-extra-headers-prefix')),
      }
    : undefined;
  const alwaysAllowPaths = list(flags.get('authorization-always-allow-paths'));
  const kubeconfig = flags.get('kubeconfig') || undefined;

  if (!aggregated && !clientCAFile && !tokenAuthFile && !requestHeader) return { mode, secureServing };
  if (!aggregated && !secureServing && (clientCAFile || requestHeader)) {
    throw new Error('--client-ca-file and --requestheader-client-ca-file need HTTPS: set --secure-port');
  }
  return {
    mode,
    secureServing,
    authentication: {
      anonymous,
      ...(clientCAFile ? { clientCAFile } : {}),
      ...(requestHeader ? { requestHeader } : {}),
      ...(tokenAuthFile ? { tokenAuthFile } : {}),
      ...(aggregated
        ? {
            delegated: {
              kubeconfig: flags.get('authentication-kubeconfig') || kubeconfig,
              tokenCacheTTLMs: duration('authentication-token-webhook-cache-ttl', flags.get('authentication-token-webhook-cache-ttl')),
            },
          }
        : {}),
    },
    authorization: {
      alwaysAllowPaths,
      alwaysAllowGroups: ALWAYS_ALLOW_GROUPS,
      ...(aggregated
        ? {
            delegated: {
              kubeconfig: flags.get('authorization-kubeconfig') || kubeconfig,
              allowCacheTTLMs: duration('authorization-webhook-cache-authorized-ttl', flags.get('authorization-webhook-cache-authorized-ttl')),
              denyCacheTTLMs: duration('authorization-webhook-cache-unauthorized-ttl', flags.get('authorization-webhook-cache-unauthorized-ttl')),
            },
          }
        : {}),
    },
  };
}

function secureServingConfig(flags: FlagSource, portText: string): SecureServingConfig {
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`invalid --secure-port ${JSON.stringify(portText)}: must be 0-65535`);
  const certFile = flags.get('tls-cert-file') || undefined;
  const keyFile = flags.get('tls-private-key-file') || undefined;
  if (!certFile !== !keyFile) throw new Error('--tls-cert-file and --tls-private-key-file must be given together');
  const bind = flags.get('bind-address');
  const hostnames = [`${flags.get('service-name')}.${flags.get('service-namespace')}.svc`, 'localhost', '127.0.0.1'];
  // A specific bind address is how clients may reach the server too (upstream adds it as well).
  if (isIP(bind) && !['0.0.0.0', '::', '127.0.0.1'].includes(bind)) hostnames.push(bind);
  return { port, certDir: flags.get('cert-dir'), hostnames, ...(certFile ? { certFile, keyFile } : {}) };
}

/** pflag's StringSlice: comma-separated, blanks dropped. */
function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** strconv.ParseBool. */
function parseBool(flag: string, text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new Error(`invalid --${flag} ${JSON.stringify(text)}: true or false`);
}

function duration(flag: string, text: string): number {
  let ms: number;
  try {
    ms = parseGoDuration(text);
  } catch (err) {
    throw new Error(`invalid --${flag}: ${(err as Error).message}`);
  }
  if (ms < 0) throw new Error(`invalid --${flag} ${JSON.stringify(text)}: must not be negative`);
  return ms;
}
