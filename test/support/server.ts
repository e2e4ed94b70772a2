// An in-process server on 127.0.0.1 with a temporary data directory, for API tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { start, type RunningServer } from '../../src/start.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** fetch relative to the server, JSON body helpers. */
  request(method: string, path: string, opts?: RequestOptions): Promise<TestResponse>;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body text (sent as-is). */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body (undefined when not JSON). */
  json: any;
}

export async function startTestServer(): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'image-apiserver-test-'));
  const server = await start(
    { bindAddress: '127.0.0.1', port: 0, dataDir, logLevel: 'silent', storageBackend: 'level' },
    pino({ level: 'silent' }),
  );
  const request = async (method: string, path: string, opts: RequestOptions = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const res = await fetch(server.url + path, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  return {
    ...server,
    dataDir,
    request,
    close: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
