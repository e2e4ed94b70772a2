// HTTPS requests to the server under test over HTTP/1.1 or HTTP/2, optionally with a client certificate
// and repeated header lines (X-Remote-Group), verifying the server certificate against a CA and a name.
import { connect, type IncomingHttpHeaders as H2Headers } from 'node:http2';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';

export interface TLSTarget {
  port: number;
  /** PEM the server certificate must chain to. */
  ca: string;
  /** The name the certificate must be valid for (SNI and verification). */
  servername: string;
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string | string[]>;
  /** A client certificate and its key. */
  identity?: { cert: string; key: string };
  body?: string;
  http2?: boolean;
  /** Resolve once the response headers arrived and drop the connection (for watches). */
  headersOnly?: boolean;
}

export interface CallResult {
  status: number;
  headers: IncomingHttpHeaders | H2Headers;
  text: string;
  json: any;
  /** The negotiated ALPN protocol. */
  alpn: string | false | null | undefined;
}

const parse = (text: string) => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export function call(target: TLSTarget, path: string, opts: CallOptions = {}): Promise<CallResult> {
  return opts.http2 ? callHTTP2(target, path, opts) : callHTTP1(target, path, opts);
}

function callHTTP1(target: TLSTarget, path: string, opts: CallOptions): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    // ALPNProtocols goes through to tls.connect: offer only HTTP/1.1, as an HTTP/1-only client does.
    const options: RequestOptions & { ALPNProtocols: string[] } = {
      host: '127.0.0.1',
      port: target.port,
      path,
      method: opts.method ?? 'GET',
      // Node sends a DELETE body with neither Content-Length nor chunking unless told its length.
      headers: opts.body === undefined ? opts.headers : { 'content-length': String(Buffer.byteLength(opts.body)), ...opts.headers },
      ca: target.ca,
      servername: target.servername,
      ALPNProtocols: ['http/1.1'],
      agent: false,
      ...(opts.identity ? { cert: opts.identity.cert, key: opts.identity.key } : {}),
    };
    const req = httpsRequest(options, (res) => {
      const alpn = (res.socket as TLSSocket).alpnProtocol;
      if (opts.headersOnly) {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '', json: undefined, alpn });
        res.destroy();
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parse(text), alpn }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

function callHTTP2(target: TLSTarget, path: string, opts: CallOptions): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const session = connect(`https://127.0.0.1:${target.port}`, {
      ca: target.ca,
      servername: target.servername,
      ...(opts.identity ? { cert: opts.identity.cert, key: opts.identity.key } : {}),
    });
    session.on('error', reject);
    const stream = session.request({ ':method': opts.method ?? 'GET', ':path': path, ...opts.headers });
    stream.on('error', reject);
    stream.on('response', (headers) => {
      const status = Number(headers[':status']);
      const alpn = session.alpnProtocol;
      if (opts.headersOnly) {
        resolve({ status, headers, text: '', json: undefined, alpn });
        session.destroy();
        return;
      }
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => (text += c));
      stream.on('end', () => {
        session.close();
        resolve({ status, headers, text, json: parse(text), alpn });
      });
    });
    stream.end(opts.body);
  });
}

/** Opens a stream over HTTP/2 and hands back each newline-terminated line as it arrives. */
export function streamLines(target: TLSTarget, path: string, opts: CallOptions): { lines: string[]; status: Promise<number>; close(): void } {
  const lines: string[] = [];
  const session = connect(`https://127.0.0.1:${target.port}`, {
    ca: target.ca,
    servername: target.servername,
    ...(opts.identity ? { cert: opts.identity.cert, key: opts.identity.key } : {}),
  });
  session.on('error', () => undefined);
  const stream = session.request({ ':method': 'GET', ':path': path, ...opts.headers });
  stream.on('error', () => undefined);
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (c: string) => {
    buffered += c;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      lines.push(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
  });
  const status = new Promise<number>((resolve) => stream.on('response', (h) => resolve(Number(h[':status']))));
  return { lines, status, close: () => session.destroy() };
}
