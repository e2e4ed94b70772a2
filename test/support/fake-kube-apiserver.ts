// A test double of the kube-apiserver for delegated authentication and authorization: HTTPS, the
// real TokenReview (authentication.k8s.io/v1) and SubjectAccessReview (authorization.k8s.io/v1)
// request and response shapes, GETs of stored objects (the extension-apiserver-authentication
// ConfigMap, namespaces, secrets) with kube's 404 Status, and a record of every request.
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCA } from './test-pki.js';

export interface ReviewUser {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string as sent (without `?`). */
  query: string;
  authorization?: string;
  body: any;
}

/** What the SubjectAccessReview decides, or an HTTP error answer instead of a review. */
export type AccessDecision = { allowed: boolean; denied?: boolean; reason?: string } | { httpStatus: number; status: object };

export interface FakeKubeOptions {
  /** Bearer tokens the TokenReview endpoint knows. */
  tokens?: Record<string, ReviewUser>;
  /** Decides each SubjectAccessReview from its spec (default: deny everything, no opinion). */
  authorize?: (spec: any) => AccessDecision;
  /** Objects served at their exact paths, e.g. `/api/v1/namespaces/kube-system/configmaps/<name>`. */
  objects?: Record<string, object>;
}

export interface FakeKubeAPIServer {
  url: string;
  /** The CA that signed its serving certificate. */
  caPEM: string;
  /** The token the server under test must present (from the kubeconfig). */
  clientToken: string;
  requests: RecordedRequest[];
  tokenReviews(): RecordedRequest[];
  subjectAccessReviews(): RecordedRequest[];
  setObject(path: string, object: object | undefined): void;
  /** GETs of `path` are answered with this code and Status (undefined: served normally again). */
  setFailure(path: string, failure: { code: number; status: object } | undefined): void;
  /** Writes a kubeconfig for this server and returns its path. */
  writeKubeconfig(path: string): Promise<string>;
  close(): Promise<void>;
}

const TOKEN_REVIEWS = '/apis/authentication.k8s.io/v1/tokenreviews';
const SUBJECT_ACCESS_REVIEWS = '/apis/authorization.k8s.io/v1/subjectaccessreviews';

const status = (code: number, reason: string, message: string, details?: object) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(details ? { details } : {}),
  code,
});

export async function startFakeKubeAPIServer(opts: FakeKubeOptions = {}): Promise<FakeKubeAPIServer> {
  const ca = await createCA('fake-kube-apiserver-ca');
  const serving = await ca.issueServer(['localhost', '127.0.0.1']);
  const clientToken = 'image-apiserver-service-account-token';
  const requests: RecordedRequest[] = [];
  const objects = new Map(Object.entries(opts.objects ?? {}));
  const failures = new Map<string, { code: number; status: object }>();

  const server: Server = createServer({ key: serving.key, cert: serving.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [path, query = ''] = (req.url ?? '/').split('?');
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : undefined;
      requests.push({ method: req.method ?? '', path, query, authorization: req.headers.authorization, body });
      const send = (code: number, obj: object) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      if (req.headers.authorization !== `Bearer ${clientToken}`) return send(401, status(401, 'Unauthorized', 'Unauthorized'));

      if (req.method === 'POST' && path === TOKEN_REVIEWS) {
        const user = opts.tokens?.[body.spec.token];
        const reviewStatus = user
          ? { authenticated: true, user: { username: user.username, uid: user.uid, groups: user.groups, extra: user.extra }, audiences: ['https://kubernetes.default.svc'] }
          : { user: {}, error: '[invalid bearer token, token lookup failed]' };
        return send(201, { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec: body.spec, status: reviewStatus });
      }
      if (req.method === 'POST' && path === SUBJECT_ACCESS_REVIEWS) {
        const decision = opts.authorize?.(body.spec) ?? { allowed: false };
        if ('httpStatus' in decision) return send(decision.httpStatus, decision.status);
        const reviewStatus = { allowed: decision.allowed, ...(decision.denied ? { denied: true } : {}), ...(decision.reason ? { reason: decision.reason } : {}) };
        return send(201, { kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: body.spec, status: reviewStatus });
      }
      const failure = req.method === 'GET' ? failures.get(path) : undefined;
      if (failure) return send(failure.code, failure.status);
      const object = req.method === 'GET' ? objects.get(path) : undefined;
      if (object) return send(200, object);
      const segments = path.split('/');
      return send(404, status(404, 'NotFound', `${segments.at(-2)} "${segments.at(-1)}" not found`, { name: segments.at(-1), kind: segments.at(-2) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const only = (p: string) => () => requests.filter((r) => r.path === p);

  return {
    url,
    caPEM: ca.cert,
    clientToken,
    requests,
    tokenReviews: only(TOKEN_REVIEWS),
    subjectAccessReviews: only(SUBJECT_ACCESS_REVIEWS),
    setObject: (path, object) => (object ? objects.set(path, object) : objects.delete(path)),
    setFailure: (path, failure) => (failure ? failures.set(path, failure) : failures.delete(path)),
    async writeKubeconfig(path) {
      await writeFile(
        path,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters:',
          '- name: fake',
          '  cluster:',
          `    server: ${url}`,
          `    certificate-authority-data: ${Buffer.from(ca.cert).toString('base64')}`,
          'users:',
          '- name: image-apiserver',
          '  user:',
          `    token: ${clientToken}`,
          'contexts:',
          '- name: fake',
          '  context: {cluster: fake, user: image-apiserver}',
          'current-context: fake',
          '',
        ].join('\n'),
      );
      return path;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The ConfigMap kube-apiserver publishes for extension API servers, in its real shape. */
export function authenticationConfigMap(data: {
  clientCA?: string;
  requestHeaderCA?: string;
  allowedNames?: string[];
}): object {
  return {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: {
      name: 'extension-apiserver-authentication',
      namespace: 'kube-system',
      uid: '5b1c3f0e-8a8e-4c59-9a43-5c2b3f8e1d11',
      resourceVersion: '42',
      creationTimestamp: '2025-01-01T00:00:00Z',
    },
    data: {
      ...(data.clientCA ? { 'client-ca-file': data.clientCA } : {}),
      ...(data.requestHeaderCA
        ? {
            'requestheader-client-ca-file': data.requestHeaderCA,
            'requestheader-allowed-names': JSON.stringify(data.allowedNames ?? []),
            'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
            'requestheader-group-headers': '["X-Remote-Group"]',
            'requestheader-username-headers': '["X-Remote-User"]',
          }
        : {}),
    },
  };
}

export const AUTHENTICATION_CONFIGMAP_PATH = '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication';
