// The kube-apiserver calls delegated authentication and authorization make, through
// @kubernetes/client-node. The library costs about a second to import, so it is loaded only here,
// when a server actually delegates. Calls time out and retry on transient failures as client-go's
// webhook client does (k8s.io/apiserver pkg/util/webhook: 500 ms backoff ×1.5, five attempts).
// Reviews keep this project's types (the library's make every status field required) and are cast at the call.
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig, V1SubjectAccessReview, V1TokenReview } from '@kubernetes/client-node';
import { isStatusError, StatusError, type Status } from '../../machinery/errors.js';
import type { CreateSubjectAccessReview, SubjectAccessReview } from './subject-access-review.js';
import type { CreateTokenReview, TokenReview } from './token-review.js';

export interface ConfigMap {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

export interface Namespace {
  metadata?: { name?: string; deletionTimestamp?: string };
  status?: { phase?: string };
}

/** A core/v1 list as kube-apiserver sends it. */
export interface KubeList {
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items?: object[];
}

export interface KubeClient {
  createTokenReview: CreateTokenReview;
  createSubjectAccessReview: CreateSubjectAccessReview;
  /** undefined when the ConfigMap does not exist. */
  readConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  /** undefined when the namespace does not exist. */
  readNamespace(name: string): Promise<Namespace | undefined>;
  /**
   * A namespace's Secrets, `query` being ListOptions in their query form. A failure the kube-apiserver
   * answered with a Status is thrown as that Status (a StatusError), as client-go hands it on.
   */
  listSecrets(namespace: string, query: Record<string, string>): Promise<KubeList>;
}

export interface KubeClientOptions {
  /** Per-attempt limit (upstream: 10 s). */
  timeoutMs?: number;
  /** Attempts for transient failures (upstream: 5). */
  attempts?: number;
  /** First retry delay, growing ×1.5 (upstream: 500 ms). */
  backoffMs?: number;
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** `kubeconfig` undefined = the in-cluster service account, as rest.InClusterConfig. */
export async function connectKube(kubeconfig: string | undefined, opts: KubeClientOptions = {}): Promise<KubeClient> {
  const k8s = await import('@kubernetes/client-node');
  const config = new k8s.KubeConfig();
  if (kubeconfig !== undefined) {
    config.loadFromFile(kubeconfig);
  } else {
    if (!process.env.KUBERNETES_SERVICE_HOST || !process.env.KUBERNETES_SERVICE_PORT) {
      throw new Error('unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined');
    }
    if (!existsSync(SERVICE_ACCOUNT_TOKEN)) throw new Error(`open ${SERVICE_ACCOUNT_TOKEN}: no such file or directory`);
    config.loadFromCluster();
  }
  const authentication = config.makeApiClient(k8s.AuthenticationV1Api);
  const authorization = config.makeApiClient(k8s.AuthorizationV1Api);
  const core = config.makeApiClient(k8s.CoreV1Api);
  const call = <T>(fn: () => Promise<T>) => withRetries(fn, opts);
  // Objects are read as raw JSON: the generated models would turn timestamps into Dates and `continue` into `_continue`.
  const getJSON = <T>(path: string, query: Record<string, string> = {}) => call(() => getRawJSON<T>(config, path, query));
  return {
    createTokenReview: (body) => call(async () => (await authentication.createTokenReview({ body: body as V1TokenReview })) as TokenReview),
    createSubjectAccessReview: (body) => call(async () => (await authorization.createSubjectAccessReview({ body: body as V1SubjectAccessReview })) as SubjectAccessReview),
    readConfigMap: (namespace, name) =>
      call(async () => {
        try {
          return (await core.readNamespacedConfigMap({ name, namespace })) as ConfigMap;
        } catch (err) {
          if ((err as { code?: number }).code === 404) return undefined;
          throw err;
        }
      }),
    readNamespace: async (name) => {
      try {
        return await getJSON<Namespace>(`/api/v1/namespaces/${encodeURIComponent(name)}`);
      } catch (err) {
        if (isStatusError(err) && err.code === 404) return undefined;
        throw err;
      }
    },
    listSecrets: (namespace, query) => getJSON<KubeList>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`, query),
  };
}

/** GET with the kubeconfig's credentials (read again each time: in-cluster tokens rotate). */
async function getRawJSON<T>(config: KubeConfig, path: string, query: Record<string, string>): Promise<T> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error('no current cluster in the kubeconfig');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const options: RequestOptions = { method: 'GET', headers: {} };
  await config.applyToHTTPSOptions(options);
  options.headers = { ...options.headers, accept: 'application/json' };
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  if (url.protocol === 'http:') delete options.agent;
  const { code, text } = await new Promise<{ code: number; text: string }>((resolve, reject) => {
    const req = send(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, text: body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  if (code >= 200 && code < 300) return JSON.parse(text) as T;
  throw statusErrorOf(code, text);
}

/** The kube-apiserver's Status as an error, or client-go's generic text when the body is not one. */
export function statusErrorOf(code: number, text: string): StatusError {
  try {
    const status = JSON.parse(text) as Partial<Status>;
    if (status.kind === 'Status') return new StatusError(status.code ?? code, status.reason ?? '', status.message ?? '', status.details);
  } catch {
    // not JSON
  }
  return new StatusError(code, 'InternalError', `an error on the server (${JSON.stringify(text)}) has prevented the request from succeeding`);
}

async function withRetries<T>(fn: () => Promise<T>, opts: KubeClientOptions): Promise<T> {
  const attempts = opts.attempts ?? 5;
  let delay = opts.backoffMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTimeout(fn(), opts.timeoutMs ?? 10_000);
    } catch (err) {
      const e = asError(err);
      if (attempt >= attempts || !isTransient(err)) throw e;
      await new Promise((r) => setTimeout(r, delay * (1 + Math.random() * 0.2)));
      delay *= 1.5;
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the kube-apiserver did not answer within ${ms / 1000}s`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** Transport failures (no HTTP status) and the statuses client-go's webhook retries. */
function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'number') return true;
  return code === 429 || code === 500 || code === 503 || code === 504;
}

/** client-node's ApiException carries the kube Status as a JSON string; its message is what upstream reports. */
function asError(err: unknown): Error {
  if (isStatusError(err)) return err;
  const e = err as { code?: unknown; body?: unknown; message?: string };
  if (typeof e.code !== 'number') return err instanceof Error ? err : new Error(String(err));
  try {
    const status = JSON.parse(String(e.body)) as { kind?: string; message?: string };
    if (status.kind === 'Status' && status.message) return new Error(status.message);
  } catch {
    // not a Status
  }
  return new Error(`an error on the server (${JSON.stringify(String(e.body ?? ''))}) has prevented the request from succeeding (HTTP ${e.code})`);
}
