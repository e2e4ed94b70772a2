// A Docker Registry HTTP API v2 / OCI distribution client for one import: the `/v2/` ping (with the HTTP
// fallback for insecure registries), Bearer-token and Basic authentication from WWW-Authenticate challenges,
// manifests, blobs and tag lists, with upstream's retries and rate limits. Results of pings and tokens
// are kept for the import only.
import { parseChallenges, type AuthChallenge } from './auth-challenge.js';
import type { Keyring } from './credentials.js';
import type { ImportLimits } from './limits.js';
import { parseManifest, type ParsedManifest } from './manifest.js';
import { MANIFEST_ACCEPT } from './media-types.js';
import { sleep, TokenBucket } from '../machinery/token-bucket.js';
import { errorFromResponse, NotV2RegistryError, RegistryErrors, statusLine, TransportError } from './registry-errors.js';
import type { HttpResponse, RegistryTransport } from './transport.js';

interface Ping {
  scheme: 'https' | 'http';
  challenges: AuthChallenge[];
}

export interface RequestCounter {
  requests: number;
}

/** A fetch failure carrying the wording of Go's url.Error around an authentication problem. */
export class AuthenticationError extends Error {}

/** The blob was not found (distribution.ErrBlobUnknown). */
export class BlobUnknownError extends Error {
  constructor() {
    super('unknown blob');
  }
}

export interface RegistryClientOptions {
  transport: RegistryTransport;
  keyring: Keyring;
  limits: ImportLimits;
  deadline: AbortSignal;
  counter?: RequestCounter;
}

export class RegistryClient {
  private readonly pings = new Map<string, Promise<Ping>>();
  private readonly tokens = new Map<string, Promise<string>>();
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly opts: RegistryClientOptions) {}

  /** `host` is the registry to contact (Docker Hub already rewritten to its API host), `name` the repository. */
  repository(host: string, name: string, insecure: boolean): RegistryRepository {
    const key = `${host}/${name}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.opts.limits.repositoryQPS, this.opts.limits.repositoryBurst);
      this.buckets.set(key, bucket);
    }
    return new RegistryRepository(this, host, name, insecure, bucket);
  }

  /** distribution's ping: decides the scheme and remembers the host's challenges. */
  ping(host: string, insecure: boolean): Promise<Ping> {
    const key = `${insecure}/${host}`;
    let ping = this.pings.get(key);
    if (!ping) {
      ping = this.doPing(host, insecure);
      this.pings.set(key, ping);
    }
    return ping;
  }

  private async doPing(host: string, insecure: boolean): Promise<Ping> {
    let res: HttpResponse;
    let scheme: Ping['scheme'] = 'https';
    try {
      res = await this.send({ method: 'GET', url: `https://${host}/v2/`, insecure, maxBodyBytes: this.opts.limits.maxOtherBytes, ping: true });
    } catch (err) {
      if (!insecure || !(err instanceof TransportError)) throw err;
      scheme = 'http';
      try {
        res = await this.send({ method: 'GET', url: `http://${host}/v2/`, insecure, maxBodyBytes: this.opts.limits.maxOtherBytes, ping: true });
      } catch {
        throw err;
      }
    }
    const versioned = res.headers['docker-distribution-api-version'] !== undefined;
    const v2 = versioned || (res.status >= 200 && res.status < 300) || res.status === 401 || res.status === 403;
    if (!v2) throw new NotV2RegistryError(`${scheme}://${host}/v2/`, statusLine(res.status, res.statusText));
    const challenges = res.status === 401 ? parseChallenges(res.headers['www-authenticate']) : [];
    return { scheme, challenges };
  }

  /** The Authorization header for a request to `repository` on `host`, per the host's challenges. */
  async authorization(host: string, repository: string, insecure: boolean, method: string, url: string): Promise<string | undefined> {
    const { challenges } = await this.ping(host, insecure);
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    const credentials = this.opts.keyring.lookup(`${host === 'registry-1.docker.io' ? 'docker.io' : host}/${repository}`);
    if (bearer) {
      const token = await this.token(bearer, repository, credentials, insecure, method, url);
      return token ? `Bearer ${token}` : undefined;
    }
    if (basic) {
      if (!credentials || !credentials.username || !credentials.password) {
        throw new AuthenticationError(goURLError(method, url, 'no basic auth credentials'));
      }
      return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    }
    return undefined;
  }

  private token(
    challenge: AuthChallenge,
    repository: string,
    credentials: { username: string; password: string } | undefined,
    insecure: boolean,
    method: string,
    url: string,
  ): Promise<string> {
    const realm = challenge.parameters.realm ?? '';
    const service = challenge.parameters.service ?? '';
    const scope = `repository:${repository}:pull`;
    const key = JSON.stringify([realm, service, scope, credentials?.username ?? '']);
    let token = this.tokens.get(key);
    if (!token) {
      token = this.fetchToken(realm, service, scope, credentials, insecure).catch((err: Error) => {
        this.tokens.delete(key);
        throw new AuthenticationError(goURLError(method, url, err.message));
      });
      this.tokens.set(key, token);
    }
    return token;
  }

  private async fetchToken(
    realm: string,
    service: string,
    scope: string,
    credentials: { username: string; password: string } | undefined,
    insecure: boolean,
  ): Promise<string> {
    let target: URL;
    try {
      target = new URL(realm);
    } catch {
      throw new Error(`invalid token auth challenge realm: ${JSON.stringify(realm)}`);
    }
    if (service) target.searchParams.set('service', service);
    target.searchParams.set('scope', scope);
    const headers: Record<string, string> = {};
    if (credentials?.username && credentials.password) {
      target.searchParams.set('account', credentials.username);
      headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    }
    const res = await this.send({ method: 'GET', url: target.href, insecure, headers, maxBodyBytes: this.opts.limits.maxTokenBytes });
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.statusText, res.body);
    let parsed: { token?: unknown; access_token?: unknown };
    try {
      parsed = JSON.parse(res.body.toString('utf8'));
    } catch (err) {
      throw new Error(`unable to decode token response: ${(err as Error).message}`);
    }
    const token = typeof parsed.token === 'string' && parsed.token ? parsed.token : typeof parsed.access_token === 'string' ? parsed.access_token : '';
    if (!token) throw new Error('authorization server did not include a token in the response');
    return token;
  }

  /**
   * One HTTP exchange with upstream's retries: network failures (1 s), 500/502/503/504 and UNAVAILABLE
   * (5 s), 429 and TOOMANYREQUESTS (2 s), at most `retries` times.
   */
  async send(req: { method: 'GET' | 'HEAD'; url: string; insecure: boolean; headers?: Record<string, string>; maxBodyBytes: number; ping?: boolean }): Promise<HttpResponse> {
    const limits = this.opts.limits;
    for (let attempt = 0; ; attempt++) {
      let wait = 0;
      try {
        if (this.opts.counter) this.opts.counter.requests++;
        const res = await this.opts.transport.fetch({
          method: req.method,
          url: req.url,
          headers: req.headers,
          insecure: req.insecure,
          timeoutMs: req.ping ? limits.pingTimeoutMs : limits.requestTimeoutMs,
          maxBodyBytes: req.maxBodyBytes,
        });
        wait = retryDelay(res);
        if (wait === 0 || attempt >= limits.retries || req.ping) return res;
      } catch (err) {
        if (!(err instanceof TransportError) || !err.temporary || attempt >= limits.retries || req.ping) throw err;
        wait = 1_000;
      }
      await sleep(wait * limits.retryDelayScale, this.opts.deadline).catch(() => undefined);
    }
  }

  get deadline(): AbortSignal {
    return this.opts.deadline;
  }

  get limits(): ImportLimits {
    return this.opts.limits;
  }
}

function retryDelay(res: HttpResponse): number {
  if ([500, 502, 503, 504].includes(res.status)) return 5_000;
  if (res.status === 429) return 2_000;
  if (res.status >= 400) {
    const text = res.body.toString('utf8');
    if (text.includes('"UNAVAILABLE"')) return 5_000;
    if (text.includes('"TOOMANYREQUESTS"')) return 2_000;
  }
  return 0;
}

/** Go's url.Error text: `Get "<url>": <cause>`. */
function goURLError(method: string, url: string, cause: string): string {
  return `${method.charAt(0)}${method.slice(1).toLowerCase()} ${JSON.stringify(url)}: ${cause}`;
}

/** The bearer error of a 401's WWW-Authenticate header (RFC 6750), if any. */
function bearerError(res: HttpResponse): { error: string; description: string } | undefined {
  const bearer = parseChallenges(res.headers['www-authenticate']).find((c) => c.scheme === 'bearer');
  if (!bearer?.parameters.error) return undefined;
  return { error: bearer.parameters.error, description: bearer.parameters.error_description ?? '' };
}

/** One repository of a registry. */
export class RegistryRepository {
  constructor(
    private readonly client: RegistryClient,
    readonly host: string,
    readonly name: string,
    readonly insecure: boolean,
    private readonly bucket: TokenBucket,
  ) {}

  private async get(path: string, method: 'GET' | 'HEAD', maxBodyBytes: number, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const { scheme } = await this.client.ping(this.host, this.insecure);
    const url = path.startsWith('http') ? path : `${scheme}://${this.host}${path}`;
    const authorization = await this.client.authorization(this.host, this.name, this.insecure, method, url);
    await this.bucket.accept(this.client.deadline);
    return this.client.send({ method, url, insecure: this.insecure, maxBodyBytes, headers: { ...headers, ...(authorization ? { authorization } : {}) } });
  }

  /** The manifest of a tag or digest; errors are the registry's (RegistryErrors) or the client's. */
  async manifest(reference: string): Promise<ParsedManifest> {
    const res = await this.get(`/v2/${this.name}/manifests/${reference}`, 'GET', this.client.limits.maxManifestBytes, { accept: MANIFEST_ACCEPT.join(', ') });
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.statusText, res.body, bearerError(res));
    const type = res.headers['content-type'];
    return parseManifest(res.body, Array.isArray(type) ? type[0] : type);
  }

  /** A blob's bytes (image configs). */
  async blob(digest: string): Promise<Buffer> {
    const res = await this.get(`/v2/${this.name}/blobs/${digest}`, 'GET', this.client.limits.maxConfigBytes);
    if (res.status === 404) throw new BlobUnknownError();
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.statusText, res.body, bearerError(res));
    return res.body;
  }

  /** A blob's size from a HEAD request. */
  async blobSize(digest: string): Promise<number> {
    const res = await this.get(`/v2/${this.name}/blobs/${digest}`, 'HEAD', this.client.limits.maxOtherBytes);
    if (res.status === 404) throw new BlobUnknownError();
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.statusText, res.body, bearerError(res));
    const length = Number(res.headers['content-length']);
    return Number.isFinite(length) && length >= 0 ? length : 0;
  }

  /** Every tag, following `Link: <...>; rel="next"` pages. */
  async tags(): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${this.name}/tags/list`;
    for (let page = 0; path && page < this.client.limits.maxTagPages; page++) {
      const res = await this.get(path, 'GET', this.client.limits.maxTagListBytes);
      if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.statusText, res.body, bearerError(res));
      let parsed: { tags?: unknown };
      try {
        parsed = JSON.parse(res.body.toString('utf8'));
      } catch (err) {
        throw new Error((err as Error).message);
      }
      if (Array.isArray(parsed.tags)) tags.push(...parsed.tags.filter((t): t is string => typeof t === 'string'));
      path = nextPage(res);
    }
    return tags;
  }
}

/** The next page of a paginated list, resolved against the URL that answered. */
function nextPage(res: HttpResponse): string | undefined {
  const link = res.headers.link;
  const values = link === undefined ? [] : Array.isArray(link) ? link : [link];
  for (const value of values) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(value);
    if (match) {
      const next = new URL(match[1], res.url);
      // Pages stay on the registry that serves the repository.
      if (next.origin === new URL(res.url).origin) return next.href;
    }
  }
  return undefined;
}

export { RegistryErrors };
