// HTTP for the registry client, on undici: a verifying agent (system CAs plus the additional trusted CAs)
// and an unverifying one for registries the policy marks insecure, each refusing link-local and metadata
// addresses unless the registry is named explicitly. Every request is bounded: the import's deadline, a
// per-request timeout, a maximum body size, and a few redirects of the kinds the distribution spec uses.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent, request, type Dispatcher } from 'undici';
import { addressRefusal, type ExplicitHosts } from './address-policy.js';
import { TransportError } from './registry-errors.js';

export interface TransportOptions {
  /** PEM certificates trusted on top of the system pool. */
  additionalCAs: readonly string[];
  /** Registry hosts the policy names (they may resolve to link-local or metadata addresses). */
  explicitHosts: ExplicitHosts;
  /** Aborts every request of the import (its total time limit). */
  deadline: AbortSignal;
  maxRedirects: number;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  /** Skip TLS verification. */
  insecure: boolean;
  timeoutMs: number;
  /** Larger bodies abort the request. */
  maxBodyBytes: number;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A dns lookup that fails for refused addresses of hosts the policy does not name. */
function guardedLookup(explicit: ExplicitHosts) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as LookupAddress[];
      for (const a of list) {
        const refusal = addressRefusal(hostname, a.address, explicit);
        if (refusal) return callback(Object.assign(new Error(refusal), { code: 'EREFUSEDADDRESS' }), '');
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
}

export class RegistryTransport {
  private readonly secure: Agent;
  private readonly insecure: Agent;

  constructor(private readonly opts: TransportOptions) {
    const lookup = guardedLookup(opts.explicitHosts);
    const common = { keepAliveTimeout: 4_000, connect: { lookup, timeout: 15_000 } };
    this.secure = new Agent({ ...common, connect: { ...common.connect, ca: [...rootCertificates, ...opts.additionalCAs] } });
    this.insecure = new Agent({ ...common, connect: { ...common.connect, rejectUnauthorized: false } });
  }

  /**
   * Ends the transport once the import no longer waits on it. Destroyed, not closed: a graceful close would
   * wait for a connection attempt abandoned at the deadline (see untilAborted) to time out.
   */
  async close(): Promise<void> {
    await Promise.all([this.secure.destroy(), this.insecure.destroy()]);
  }

  /** One request, following redirects; throws TransportError when no response came. */
  async fetch(req: HttpRequest): Promise<HttpResponse> {
    let url = req.url;
    let headers = { ...req.headers };
    for (let hop = 0; ; hop++) {
      const response = await this.once({ ...req, url, headers });
      const location = response.headers.location;
      if (!REDIRECTS.has(response.status) || typeof location !== 'string' || hop >= this.opts.maxRedirects) return response;
      const next = new URL(location, url);
      const previous = new URL(url);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') return response;
      // A redirect may not downgrade a verified connection to plain HTTP.
      if (previous.protocol === 'https:' && next.protocol === 'http:' && !req.insecure) {
        throw new TransportError(req.method, url, `refusing redirect from https to ${next.href}`, false);
      }
      // Credentials only go to the origin they were meant for.
      if (next.origin !== previous.origin) {
        const { authorization: _a, Authorization: _b, ...rest } = headers;
        headers = rest;
      }
      url = next.href;
    }
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    const target = new URL(req.url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const refusal = addressRefusal(host, host, this.opts.explicitHosts);
      const port = target.port || (target.protocol === 'https:' ? '443' : '80');
      if (refusal) throw new TransportError(req.method, req.url, `dial tcp ${target.hostname}:${port}: ${refusal}`, false);
    }
    const timeout = AbortSignal.timeout(req.timeoutMs);
    const signal = AbortSignal.any([this.opts.deadline, timeout]);
    let res: Dispatcher.ResponseData<unknown>;
    try {
      const pending = request(req.url, {
        method: req.method,
        headers: req.headers,
        dispatcher: req.insecure ? this.insecure : this.secure,
        signal,
        maxRedirections: 0,
      } as Parameters<typeof request>[1]);
      res = await untilAborted(pending, signal);
    } catch (err) {
      throw transportError(req, target, err, this.opts.deadline, timeout);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > req.maxBodyBytes) {
          res.body.destroy();
          throw new TransportError(req.method, req.url, `http: response body too large (more than ${req.maxBodyBytes} bytes)`, false);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      if (err instanceof TransportError) throw err;
      throw transportError(req, target, err, this.opts.deadline, timeout);
    }
    return {
      status: res.statusCode,
      statusText: '',
      headers: res.headers as Record<string, string | string[] | undefined>,
      body: Buffer.concat(chunks),
      url: req.url,
    };
  }
}

/**
 * undici leaves a connection attempt (TCP connect, TLS handshake) running after its signal aborts, until the
 * agent's connect timeout: a registry that accepts connections and never completes a handshake would hold the
 * import past its deadline. The caller is released when the signal aborts; a late response is discarded.
 */
function untilAborted(pending: Promise<Dispatcher.ResponseData<unknown>>, signal: AbortSignal): Promise<Dispatcher.ResponseData<unknown>> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (res) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) res.body.destroy();
        else resolve(res);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Node's and undici's failures in the words Go's net/http and crypto/tls use. */
function transportError(req: HttpRequest, target: URL, err: unknown, deadline: AbortSignal, timeout: AbortSignal): TransportError {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e?.code ?? e?.cause?.code ?? '';
  const message = e?.message ?? String(err);
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const addr = `${target.hostname}:${port}`;
  const fail = (cause: string, temporary: boolean) => new TransportError(req.method, req.url, cause, temporary);
  if (deadline.aborted) return fail('context deadline exceeded', false);
  if (timeout.aborted) return fail('net/http: request canceled (Client.Timeout exceeded while awaiting headers)', true);
  switch (code) {
    case 'EREFUSEDADDRESS':
      return fail(`dial tcp ${addr}: ${e.cause?.message ?? message}`, false);
    case 'ECONNREFUSED':
      return fail(`dial tcp ${addr}: connect: connection refused`, true);
    case 'ECONNRESET':
      return fail(`read tcp ${addr}: read: connection reset by peer`, true);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail(`dial tcp: lookup ${target.hostname}: no such host`, code === 'EAI_AGAIN');
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return fail(`dial tcp ${addr}: i/o timeout`, true);
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return fail('net/http: timeout awaiting response headers', true);
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return fail('EOF', true);
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return fail('tls: failed to verify certificate: x509: certificate signed by unknown authority', false);
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return fail('tls: failed to verify certificate: x509: certificate has expired or is not yet valid', false);
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return fail(`tls: failed to verify certificate: x509: certificate is not valid for ${target.hostname}`, false);
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'EPROTO':
      if (/wrong version number|packet length too long|http request/i.test(message)) return fail('http: server gave HTTP response to HTTPS client', false);
      return fail(`remote error: ${message}`, false);
    default:
      if (/wrong version number/i.test(message)) return fail('http: server gave HTTP response to HTTPS client', false);
      return fail(message, false);
  }
}
