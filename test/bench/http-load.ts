// (a), (c), (d): one autocannon run against a server in a child process.
import autocannon from 'autocannon';
import type { Measurement } from './measurement.js';

export interface HttpLoad {
  url: string;
  path: string;
  method: 'GET' | 'POST';
  connections: number;
  durationSeconds: number;
  /** A fresh body for every request (autocannon's setupRequest hook); none for GET. */
  body?: () => string;
}

export async function measureHttp(load: HttpLoad): Promise<Measurement> {
  const makeBody = load.body;
  // An own `setupRequest: undefined` would replace autocannon's default hook, so it is only set when used.
  const request: autocannon.Request = makeBody
    ? {
        method: load.method,
        path: load.path,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        setupRequest: (req) => ({ ...req, body: makeBody() }),
      }
    : { method: load.method, path: load.path, headers: { accept: 'application/json' } };
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    pipelining: 1,
    duration: load.durationSeconds,
    requests: [request],
  });
  // autocannon's latency histogram holds 2xx responses only, in whole milliseconds.
  return {
    throughput: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    completed: result['2xx'],
    failed: result.non2xx + result.errors,
    concurrency: load.connections,
    durationSeconds: result.duration,
  };
}
