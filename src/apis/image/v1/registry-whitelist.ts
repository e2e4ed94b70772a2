// The registry allow-list ("whitelist") of openshift-apiserver
// (pkg/image/apis/image/validation/whitelist/whitelister.go): which registries image references may
// point to, from `allowedRegistriesForImport` of the cluster Image config plus the integrated registry.
// An allow-list is a value: widening it for one validation returns a new one.
import type { RegistryLocation } from '../../config/v1/image/types.js';
import {
  asRepository,
  dockerClientDefaults,
  DOCKER_DEFAULT_REGISTRY,
  DOCKER_DEFAULT_V1_REGISTRY,
  DOCKER_DEFAULT_V2_REGISTRY,
  exact,
  registryHostPort,
  tryParseImageReference,
  type DockerImageReference,
} from './reference.js';

/**
 * `secure`: compare host and port (443 unless the reference names one); `insecure`: port 80 by default;
 * `any`: the port comes only from the reference, and without one any entry for 80, 443 or `*` matches.
 */
export type WhitelistTransport = 'any' | 'secure' | 'insecure';

interface HostPortGlob {
  host: string;
  port: string;
}

export interface RegistryWhitelist {
  /** Host/port globs in the order messages list them; the integrated registry comes first. */
  readonly entries: readonly HostPortGlob[];
  /** Canonical repositories allowed whatever their registry (references the object had already). */
  readonly repositories: ReadonlySet<string>;
}

/** The list that admits everything: what the server uses when no allowed registries are configured. */
export const ALLOW_ALL_REGISTRIES: RegistryWhitelist = { entries: [{ host: '*', port: '*' }], repositories: new Set() };

const SHOW_MAX = 5;

/**
 * The allow-list the server applies for `allowedRegistriesForImport`: an empty or absent list admits every
 * registry; otherwise the listed ones plus the integrated registry (over TLS).
 */
export function imagePolicyWhitelist(allowed: readonly RegistryLocation[] | undefined, internalRegistryHostname: string): RegistryWhitelist {
  if (!allowed || allowed.length === 0) return ALLOW_ALL_REGISTRIES;
  return newRegistryWhitelist(allowed, internalRegistryHostname);
}

/**
 * NewRegistryWhitelister: the listed registries in their order, the integrated registry (when known) in
 * front. Throws `failed to parse allowed registry "<x>": too many colons`.
 */
export function newRegistryWhitelist(allowed: readonly RegistryLocation[], internalRegistryHostname = ''): RegistryWhitelist {
  let list: RegistryWhitelist = { entries: [], repositories: new Set() };
  // Entries are prepended, so walking backwards keeps the configured order.
  for (let i = allowed.length - 1; i >= 0; i--) {
    list = allowRegistry(list, allowed[i].domainName ?? '', allowed[i].insecure ? 'insecure' : 'secure');
  }
  if (internalRegistryHostname) list = allowRegistry(list, internalRegistryHostname, 'secure');
  return list;
}

/**
 * WhitelistRegistry: adds `<host>[:<port>]` globs in front; without a port, the transport's default port
 * (`any`: both 80 and 443). Entries already present are not repeated.
 */
export function allowRegistry(list: RegistryWhitelist, hostPortGlob: string, transport: WhitelistTransport): RegistryWhitelist {
  const parts = hostPortGlob.split(':');
  let added: HostPortGlob[];
  if (parts.length === 1) {
    if (transport === 'any') added = [{ host: parts[0], port: '80' }, { host: parts[0], port: '443' }];
    else added = [{ host: parts[0], port: transport === 'insecure' ? '80' : '443' }];
  } else if (parts.length === 2) {
    added = [{ host: parts[0], port: parts[1] }];
  } else {
    throw new Error(`failed to parse allowed registry ${JSON.stringify(hostPortGlob)}: too many colons`);
  }
  let entries = [...list.entries];
  for (const hp of added) {
    if (!entries.some((e) => e.host === hp.host && e.port === hp.port)) entries = [hp, ...entries];
  }
  return { entries, repositories: list.repositories };
}

/**
 * The list widened by the repositories of `pullSpecs` (WhitelistRepository): references an object already
 * had stay allowed when the list changes. Pull specs that do not parse are skipped.
 */
export function withRepositories(list: RegistryWhitelist, pullSpecs: Iterable<string>): RegistryWhitelist {
  const repositories = new Set(list.repositories);
  for (const spec of pullSpecs) {
    const parsed = tryParseImageReference(spec);
    if (parsed.ref) repositories.add(canonicalRepository(parsed.ref));
  }
  return { entries: list.entries, repositories };
}

/** `registry/namespace/name` after Docker defaults, without tag or ID. */
export function canonicalRepository(ref: DockerImageReference): string {
  return exact(asRepository(dockerClientDefaults(ref)));
}

/** Why `ref` is not allowed (the upstream message), or undefined when it is (AdmitDockerImageReference). */
export function admitReference(list: RegistryWhitelist, ref: DockerImageReference, transport: WhitelistTransport): string | undefined {
  if (list.repositories.size > 0 && list.repositories.has(canonicalRepository(ref))) return undefined;

  let host: string;
  let port: string;
  if (transport === 'any') {
    const split = splitHostPort(ref.registry);
    if (split && split.port) ({ host, port } = split);
    else {
      host = ref.registry;
      port = '';
    }
    if (!host) host = registryHostPort(ref, false).host;
  } else {
    ({ host, port } = registryHostPort(ref, transport === 'insecure'));
  }

  const matchHost = (h: string) =>
    list.entries.some((e) => {
      if (!isWildcardMatch(h, e.host)) return false;
      if (!port) return e.port === '80' || e.port === '443' || e.port === '*';
      return isWildcardMatch(port, e.port);
    });
  // Docker Hub's API hosts also match a plain `docker.io` entry (and so `docker.io:*`).
  if ((host === DOCKER_DEFAULT_V1_REGISTRY || host === DOCKER_DEFAULT_V2_REGISTRY) && matchHost(DOCKER_DEFAULT_REGISTRY)) return undefined;
  if (matchHost(host)) return undefined;

  const hostname = ref.registry || (port ? joinHostPort(host, port) : host);
  if (list.entries.length === 0) return `registry ${JSON.stringify(hostname)} not allowed by empty whitelist`;
  const shown = list.entries.map((e) => JSON.stringify(joinHostPort(e.host, e.port)));
  if (shown.length <= SHOW_MAX) return `registry ${JSON.stringify(hostname)} not allowed by whitelist: ${shown.join(', ')}`;
  return `registry ${JSON.stringify(hostname)} not allowed by whitelist: ${shown.slice(0, SHOW_MAX - 1).join(', ')}, and ${shown.length - SHOW_MAX + 1} more ...`;
}

/** AdmitHostname: a bare `host[:port]`. */
export function admitHostname(list: RegistryWhitelist, hostname: string, transport: WhitelistTransport): string | undefined {
  return admitReference(list, { registry: hostname, namespace: '', name: '', tag: '', id: '' }, transport);
}

/** AdmitPullSpec: the parse error, or why the reference is not allowed, or undefined. */
export function admitPullSpec(list: RegistryWhitelist, pullSpec: string, transport: WhitelistTransport): string | undefined {
  const parsed = tryParseImageReference(pullSpec);
  return parsed.ref ? admitReference(list, parsed.ref, transport) : parsed.error;
}

/** The transport for an object flagged insecure or not (getWhitelistTransportForFlag with secure fallback). */
export function transportFor(insecure: boolean): WhitelistTransport {
  return insecure ? 'any' : 'secure';
}

/** openshift's glob: `*` any run of bytes (also empty), `?` exactly one. */
export function isWildcardMatch(input: string, pattern: string): boolean {
  const s = Buffer.from(input, 'utf8');
  const p = Buffer.from(pattern, 'utf8');
  const STAR = 0x2a;
  const QUESTION = 0x3f;
  let row = new Array<boolean>(s.length + 1).fill(false);
  row[0] = true;
  for (let j = 1; j <= p.length; j++) {
    const next = new Array<boolean>(s.length + 1).fill(false);
    next[0] = row[0] && p[j - 1] === STAR;
    for (let i = 1; i <= s.length; i++) {
      next[i] = p[j - 1] === STAR ? next[i - 1] || row[i] : row[i - 1] && (p[j - 1] === QUESTION || p[j - 1] === s[i - 1]);
    }
    row = next;
  }
  return row[s.length];
}

/** Go's net.JoinHostPort. */
function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Go's net.SplitHostPort; undefined where Go returns an error (e.g. no port). */
function splitHostPort(hostport: string): { host: string; port: string } | undefined {
  const colon = hostport.lastIndexOf(':');
  if (colon < 0) return undefined;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0 || end + 1 !== colon) return undefined;
    return { host: hostport.slice(1, end), port: hostport.slice(colon + 1) };
  }
  const host = hostport.slice(0, colon);
  if (host.includes(':') || host.includes('[') || host.includes(']')) return undefined;
  return { host, port: hostport.slice(colon + 1) };
}
