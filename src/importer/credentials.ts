// Registry credentials by Docker keyring rules (k8s.io/kubernetes pkg/credentialprovider BasicDockerKeyring):
// the entries of docker config files (`{"auths": {...}}`, the `.dockerconfigjson` of pull secrets) and of
// legacy `.dockercfg` files, matched against `<registry>/<namespace>/<name>`; the most specific key wins.
import type { Secret } from '../apis/image/v1/imagestreamsecrets/types.js';
import { SECRET_TYPE_DOCKER_CONFIG_JSON, SECRET_TYPE_DOCKERCFG } from '../apis/image/v1/imagestreamsecrets/types.js';
import { DOCKER_DEFAULT_REGISTRY, DOCKER_DEFAULT_V1_REGISTRY, DOCKER_DEFAULT_V2_REGISTRY } from '../apis/image/v1/reference.js';

export interface BasicCredentials {
  username: string;
  password: string;
}

interface KeyringEntry {
  /** Lower-cased host (globs `*` per label allowed), port ('' when absent) and path prefix. */
  host: string;
  port: string;
  path: string;
  /** `host[:port][/path]` as written (no scheme, no `/v1/` or `/v2/` suffix): the keyring's index. */
  key: string;
  credentials: BasicCredentials;
}

/** An ordered set of credentials; lookups return the most specific match. */
export interface Keyring {
  lookup(image: string): BasicCredentials | undefined;
}

export const EMPTY_KEYRING: Keyring = { lookup: () => undefined };

/** Entries of a docker config document (`auths` map) or a legacy dockercfg map. Bad entries are skipped. */
export function keyringEntries(config: unknown): KeyringEntry[] {
  if (!config || typeof config !== 'object') return [];
  const auths = (config as { auths?: unknown }).auths;
  const map = auths && typeof auths === 'object' ? (auths as Record<string, unknown>) : (config as Record<string, unknown>);
  const entries: KeyringEntry[] = [];
  for (const [key, value] of Object.entries(map)) {
    const credentials = credentialsOf(value);
    if (!credentials) continue;
    const parsed = parseKey(key);
    if (parsed) entries.push({ ...parsed, credentials });
  }
  return entries;
}

function credentialsOf(value: unknown): BasicCredentials | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const entry = value as { auth?: unknown; username?: unknown; password?: unknown };
  if (typeof entry.auth === 'string' && entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry.username === 'string' || typeof entry.password === 'string') {
    return { username: String(entry.username ?? ''), password: String(entry.password ?? '') };
  }
  return undefined;
}

/** Docker Hub's aliases all mean one registry. */
function canonicalHost(host: string): string {
  return host === DOCKER_DEFAULT_V1_REGISTRY || host === DOCKER_DEFAULT_V2_REGISTRY ? DOCKER_DEFAULT_REGISTRY : host;
}

/** `[scheme://]host[:port][/path]` with Docker's `/v1/` / `/v2/` suffixes dropped. */
function parseKey(key: string): Omit<KeyringEntry, 'credentials'> | undefined {
  let rest = key.trim().replace(/^[a-z]+:\/\//i, '');
  rest = rest.replace(/\/+(v1|v2)\/*$/, '').replace(/\/+$/, '');
  if (!rest) return undefined;
  const slash = rest.indexOf('/');
  const hostPort = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash + 1);
  const colon = hostPort.lastIndexOf(':');
  const host = (colon < 0 ? hostPort : hostPort.slice(0, colon)).toLowerCase();
  const port = colon < 0 ? '' : hostPort.slice(colon + 1);
  return { host: canonicalHost(host), port, path, key: rest };
}

function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.split('.');
  const h = host.split('.');
  if (p.length !== h.length) return false;
  return p.every((label, i) => label === '*' || label === h[i] || (label.includes('*') && new RegExp(`^${label.split('*').map(escapeRegExp).join('[^.]*')}$`).test(h[i])));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A keyring over entries from several sources (credentialprovider's UnionDockerKeyring): the first source with a
 * match decides, so namespace pull secrets win over the server's file even when its key is more specific.
 * Within a source the index is sorted in reverse byte order (BasicDockerKeyring), which puts `host/path` before
 * `host` and exact hosts before globs; entries with the same key keep their order.
 */
export function keyringOf(...sources: KeyringEntry[][]): Keyring {
  const keyrings = sources.map((entries) =>
    entries
      .map((e, i) => ({ e, i }))
      .sort((a, b) => (a.e.key === b.e.key ? a.i - b.i : a.e.key < b.e.key ? 1 : -1))
      .map(({ e }) => e),
  );
  return {
    lookup(image: string): BasicCredentials | undefined {
      for (const ordered of keyrings) {
        const found = lookupIn(ordered, image);
        if (found) return found;
      }
      return undefined;
    },
  };
}

/** The first entry of one keyring matching `<registry>/<namespace>/<name>`. */
function lookupIn(ordered: readonly KeyringEntry[], image: string): BasicCredentials | undefined {
  const slash = image.indexOf('/');
  const hostPort = slash < 0 ? image : image.slice(0, slash);
  const path = slash < 0 ? '' : image.slice(slash + 1);
  const colon = hostPort.lastIndexOf(':');
  const host = canonicalHost((colon < 0 ? hostPort : hostPort.slice(0, colon)).toLowerCase());
  const port = colon < 0 ? '' : hostPort.slice(colon + 1);
  for (const entry of ordered) {
    if (!hostMatches(entry.host, host)) continue;
    if (entry.port !== port) continue;
    if (entry.path && path !== entry.path && !path.startsWith(`${entry.path}/`)) continue;
    return entry.credentials;
  }
  return undefined;
}

/** The entries of the namespace's pull secrets (both secret types), in list order. */
export function pullSecretEntries(secrets: readonly Secret[]): KeyringEntry[] {
  const entries: KeyringEntry[] = [];
  for (const secret of secrets) {
    const key = secret.type === SECRET_TYPE_DOCKER_CONFIG_JSON ? '.dockerconfigjson' : secret.type === SECRET_TYPE_DOCKERCFG ? '.dockercfg' : undefined;
    const data = key ? secret.data?.[key] : undefined;
    if (!data) continue;
    try {
      entries.push(...keyringEntries(JSON.parse(Buffer.from(data, 'base64').toString('utf8'))));
    } catch {
      // An unreadable secret contributes nothing, as upstream skips it.
    }
  }
  return entries;
}
