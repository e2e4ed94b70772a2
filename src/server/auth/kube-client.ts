// The kube-apiserver calls delegated authentication and authorization make, through
// @kubernetes/client-node. The library costs about a second to import, so it is loaded only here,
// when a server actually delegates. Calls time out and retry on transient failures as client-go's
// webhook client does (k8s.io/apiserver pkg/util/webhook: 500 ms backoff ×1.5, five attempts).
// Reviews keep this project's types (the library's make every status field required) and are cast at the call.
import { existsSync } from 'node:fs';
import type { V1SubjectAccessReview, V1TokenReview } from '@kubernetes/client-node';
import type { CreateSubjectAccessReview, SubjectAccessReview } from './subject-access-review.js';
import type { CreateTokenReview, TokenReview } from './token-review.js';

export interface ConfigMap {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

export interface KubeClient {
  createTokenReview: CreateTokenReview;
  createSubjectAccessReview: CreateSubjectAccessReview;
  /** undefined when the ConfigMap does not exist. */
  readConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
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
  };
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
