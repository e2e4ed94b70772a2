// Container image pull specs (`[registry/][namespace/]name[:tag][@digest]`), parsed and printed as
// openshift/library-go `image/reference` does on top of its copy of the docker/distribution grammar
// (`reference/regexp.go`, `reference/reference.go`) and digest package (`digest/digest.go`).

/** A parsed pull spec. Empty strings mean "not given". */
export interface DockerImageReference {
  registry: string;
  namespace: string;
  name: string;
  tag: string;
  id: string;
}

/** The registry used when a pull spec names none. */
export const DOCKER_DEFAULT_REGISTRY = 'docker.io';
/** Docker Hub's v1 host name. */
export const DOCKER_DEFAULT_V1_REGISTRY = 'index.docker.io';
/** Docker Hub's v2 host name, the one actually reached over the network. */
export const DOCKER_DEFAULT_V2_REGISTRY = 'registry-1.docker.io';
/** Longest allowed `[registry/]repository` part of a reference. */
export const NAME_TOTAL_LENGTH_MAX = 255;

export const ERR_NAME_EMPTY = 'repository name must have at least one component';
export const ERR_NAME_CONTAINS_UPPERCASE = 'repository name must be lowercase';
export const ERR_REFERENCE_INVALID_FORMAT = 'invalid reference format';
export const ERR_NAME_TOO_LONG = `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`;
export const ERR_DIGEST_INVALID_FORMAT = 'invalid checksum digest format';
export const ERR_DIGEST_INVALID_LENGTH = 'invalid checksum digest length';
export const ERR_DIGEST_UNSUPPORTED = 'unsupported digest algorithm';

// The grammar accepts the same language as docker/distribution's, but path components are written
// with a non-empty separator (`\.|_|__|-+` instead of `(?:[._]|__|[-]*)`): Go's RE2 is linear-time
// whatever the pattern, while a backtracking engine would go exponential on the ambiguous original.
const ALPHA_NUMERIC = '[a-z0-9]+';
const PATH_COMPONENT = `${ALPHA_NUMERIC}(?:(?:\\.|__|_|-+)${ALPHA_NUMERIC})*`;
const HOST_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `${HOST_COMPONENT}(?:\\.${HOST_COMPONENT})*(?::[0-9]+)?`;
const NAME = `(?:${HOST}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);

/** What docker/distribution's digest package checks before an algorithm is considered. */
const DIGEST_SHAPE = /^[a-zA-Z0-9_+.-]+:[a-fA-F0-9]+$/;
/** Hex length of each supported algorithm's digest. */
const DIGEST_HEX_LENGTH = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

/** Why a digest string is not a valid digest (the digest package's error text), or undefined if it is. */
export function digestError(digest: string): string | undefined {
  if (!DIGEST_SHAPE.test(digest)) return ERR_DIGEST_INVALID_FORMAT;
  const colon = digest.indexOf(':');
  const hexLength = DIGEST_HEX_LENGTH.get(digest.slice(0, colon));
  if (hexLength === undefined) return ERR_DIGEST_UNSUPPORTED;
  if (digest.length - colon - 1 !== hexLength) return ERR_DIGEST_INVALID_LENGTH;
  return undefined;
}

/** True when `id` parses as a digest (`sha256:<64 hex>` and the like). */
export const isDigest = (id: string): boolean => digestError(id) === undefined;

/** Parses a pull spec; throws an Error carrying upstream's message when it is not one. */
export function parseImageReference(text: string): DockerImageReference {
  const match = REFERENCE.exec(text);
  if (!match) {
    if (text === '') throw new Error(ERR_NAME_EMPTY);
    if (REFERENCE.test(text.toLowerCase())) throw new Error(ERR_NAME_CONTAINS_UPPERCASE);
    throw new Error(ERR_REFERENCE_INVALID_FORMAT);
  }
  const [, name, tag = '', digest = ''] = match;
  if (name.length > NAME_TOTAL_LENGTH_MAX) throw new Error(ERR_NAME_TOO_LONG);
  if (digest) {
    const err = digestError(digest);
    if (err) throw new Error(err);
  }
  return splitReference(name, tag, digest);
}

/** Parses a pull spec, returning the error message instead of throwing. */
export function tryParseImageReference(text: string): { ref: DockerImageReference; error?: undefined } | { ref?: undefined; error: string } {
  try {
    return { ref: parseImageReference(text) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

// library-go's heuristics for telling a registry host from the first path component.
function splitReference(name: string, tag: string, digest: string): DockerImageReference {
  const ref: DockerImageReference = { registry: '', namespace: '', name: '', tag: '', id: digest };
  const slash = name.indexOf('/');
  const registryOnly = slash === -1 && (name.includes('.') || name.startsWith('localhost'));
  const nameOnly =
    (slash === -1 && !registryOnly) ||
    (slash > -1 && !/[:.]/.test(name.slice(0, slash)) && name.slice(0, slash) !== 'localhost');
  if (registryOnly) {
    // Upstream keeps the whole reference string here, so `localhost:5000` (parsed as name
    // `localhost`, tag `5000`) comes back as the registry, and the tag is dropped.
    ref.registry = name + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
  } else if (nameOnly) {
    ref.name = name;
  } else {
    ref.registry = name.slice(0, slash);
    ref.name = name.slice(slash + 1);
  }
  if (!registryOnly) ref.tag = tag;
  const nsSlash = ref.name.indexOf('/');
  if (nsSlash !== -1) {
    ref.namespace = ref.name.slice(0, nsSlash);
    ref.name = ref.name.slice(nsSlash + 1);
  }
  return ref;
}

/** True for the host names of Docker Hub. */
export function isRegistryDockerHub(registry: string): boolean {
  return registry === DOCKER_DEFAULT_REGISTRY || registry === DOCKER_DEFAULT_V1_REGISTRY || registry === DOCKER_DEFAULT_V2_REGISTRY;
}

/** The defaults the Docker client applies: registry `docker.io`, namespace `library` on Docker Hub, tag `latest`. */
export function dockerClientDefaults(ref: DockerImageReference): DockerImageReference {
  const out = { ...ref };
  if (!out.registry) out.registry = DOCKER_DEFAULT_REGISTRY;
  if (!out.namespace && isRegistryDockerHub(out.registry)) out.namespace = 'library';
  if (!out.tag) out.tag = 'latest';
  return out;
}

/** Two references are equal once Docker client defaults are applied (`foo` = `docker.io/library/foo:latest`). */
export function referencesEqual(a: DockerImageReference, b: DockerImageReference): boolean {
  const x = dockerClientDefaults(a);
  const y = dockerClientDefaults(b);
  return x.registry === y.registry && x.namespace === y.namespace && x.name === y.name && x.tag === y.tag && x.id === y.id;
}

/** Drops the implied `latest` tag. */
export function minimal(ref: DockerImageReference): DockerImageReference {
  return ref.tag === 'latest' ? { ...ref, tag: '' } : { ...ref };
}

/** The repository alone, without tag or ID. */
export function asRepository(ref: DockerImageReference): DockerImageReference {
  return { ...ref, tag: '', id: '' };
}

/** Rewrites Docker Hub's `docker.io` / `index.docker.io` to the v2 host that serves the registry API. */
export function asV2(ref: DockerImageReference): DockerImageReference {
  const v1Hosts = ref.registry === DOCKER_DEFAULT_V1_REGISTRY || ref.registry === DOCKER_DEFAULT_REGISTRY;
  return v1Hosts ? { ...ref, registry: DOCKER_DEFAULT_V2_REGISTRY } : { ...ref };
}

/** Clears what the Docker daemon assumes anyway (Docker Hub host aliases, `library/`, `latest`). */
export function daemonMinimal(ref: DockerImageReference): DockerImageReference {
  const out = { ...ref };
  if (out.registry === DOCKER_DEFAULT_V1_REGISTRY || out.registry === DOCKER_DEFAULT_V2_REGISTRY) out.registry = DOCKER_DEFAULT_REGISTRY;
  if (isRegistryDockerHub(out.registry) && out.namespace === 'library') out.namespace = '';
  return minimal(out);
}

/**
 * The most specific reference: a valid digest ID wins over the tag; an ID that is not a digest
 * (a v1 image ID) is moved into the tag when there is none.
 */
export function mostSpecific(ref: DockerImageReference): DockerImageReference {
  if (!ref.id) return { ...ref };
  if (isDigest(ref.id)) return { ...ref, tag: '' };
  if (!ref.tag) return { ...ref, tag: ref.id, id: '' };
  return { ...ref };
}

/** `name[:tag]` or `name@digest` (`name:id` for an ID that is not a digest); '' without a name. */
export function nameString(ref: DockerImageReference): string {
  if (!ref.name) return '';
  if (ref.id) return ref.name + (isDigest(ref.id) ? `@${ref.id}` : `:${ref.id}`);
  if (ref.tag) return `${ref.name}:${ref.tag}`;
  return ref.name;
}

/** Exactly the fields that are set: `[registry/][namespace/]name[:tag|@id]`. */
export function exact(ref: DockerImageReference): string {
  let s = ref.registry ? `${ref.registry}/` : '';
  if (ref.namespace) s += `${ref.namespace}/`;
  const name = nameString(ref);
  if (!name) return ref.registry ? s : '';
  return s + name;
}

/** Like `exact`, but with the implied `library` namespace on Docker Hub (Go's `String()`). */
export function referenceString(ref: DockerImageReference): string {
  const withNamespace = !ref.namespace && isRegistryDockerHub(ref.registry) ? { ...ref, namespace: 'library' } : ref;
  return exact(withNamespace);
}

/** The registry-relative repository name, `[namespace/]name`. */
export function repositoryName(ref: DockerImageReference): string {
  return exact({ ...ref, registry: '', tag: '', id: '' });
}

/**
 * Host and port to contact: the registry after AsV2, then Docker defaults (so an implicit registry
 * stays `docker.io`), with the port from the host name, else `80`
 * when insecure, else `443`. A host that Go's net.SplitHostPort rejects gives empty strings.
 */
export function registryHostPort(ref: DockerImageReference, insecure: boolean): { host: string; port: string } {
  const registry = dockerClientDefaults(asV2(ref)).registry;
  if (registry.includes(':')) return splitHostPort(registry) ?? { host: '', port: '' };
  return { host: registry, port: insecure ? '80' : '443' };
}

/** Go's net.SplitHostPort (IPv6 literals in brackets), undefined where Go returns an error. */
function splitHostPort(hostport: string): { host: string; port: string } | undefined {
  const lastColon = hostport.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  let host: string;
  let openFrom = 0;
  let closeFrom = 0;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0 || end + 1 !== lastColon) return undefined;
    host = hostport.slice(1, end);
    openFrom = 1;
    closeFrom = end + 1;
  } else {
    host = hostport.slice(0, lastColon);
    if (host.includes(':')) return undefined;
  }
  if (hostport.slice(openFrom).includes('[') || hostport.slice(closeFrom).includes(']')) return undefined;
  return { host, port: hostport.slice(lastColon + 1) };
}
