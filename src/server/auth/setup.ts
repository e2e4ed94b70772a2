// Puts serving certificates, authenticators and authorizers together from the configuration, and keeps
// the rotating parts (certificate files, the kube-apiserver's client CAs) fresh while the server runs.
import { readFile } from 'node:fs/promises';
import type { SecureContextOptions } from 'node:tls';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { RequestAuth } from './auth-hooks.js';
import type { Authenticator } from './authenticator.js';
import { unionAuthorizer, type Authorizer } from './authorizer.js';
import { ClientCertificateSource } from './client-certificate-source.js';
import { connectKube, type KubeClient, type KubeClientOptions } from './kube-client.js';
import { requestHeaderAuthenticator } from './request-header-authenticator.js';
import type { AuthorizationConfig } from './security-config.js';
import { loadServingCertificate, readServingCertificate, type ServingCertificate } from './serving-certificate.js';
import { alwaysAllowPathsAuthorizer, authenticatedUsersAuthorizer, privilegedGroupsAuthorizer } from './static-authorizers.js';
import { subjectAccessReviewAuthorizer } from './subject-access-review.js';
import { tokenAuthenticator } from './token-authenticator.js';
import { parseTokenFile, tokenFileCheck } from './token-file.js';
import { tokenReviewCheck } from './token-review.js';
import { unionAuthenticator } from './union-authenticator.js';
import { x509Authenticator } from './x509-authenticator.js';

/** What Fastify's `https` option gets (with `http2: true, allowHTTP1: true` added by the app). */
export interface HttpsOptions extends SecureContextOptions {
  key: string;
  cert: string;
  requestCert: boolean;
  rejectUnauthorized: false;
}

/** The part of a TLS server the refresh loop needs. */
export interface SecureContextTarget {
  setSecureContext(options: SecureContextOptions): void;
}

export interface Security {
  /** Present when serving HTTPS. */
  https?: HttpsOptions;
  /** Present when requests are authenticated and authorized. */
  auth?: RequestAuth;
  /** Starts re-reading certificates and client CAs every interval; returns the stopper. */
  startRefresh(server: SecureContextTarget | undefined): () => void;
}

export interface SecurityOptions {
  /** How often certificate files and the authentication ConfigMap are re-read (default 60 s). */
  refreshIntervalMs?: number;
  kubeClient?: KubeClientOptions;
}

const DEFAULT_AUTHORIZATION: AuthorizationConfig = { alwaysAllowPaths: ['/healthz', '/readyz', '/livez'], alwaysAllowGroups: ['system:masters'] };

export async function prepareSecurity(config: Config, logger: Logger, opts: SecurityOptions = {}): Promise<Security> {
  const kubeClients = new Map<string, Promise<KubeClient>>();
  const kube = (kubeconfig: string | undefined) => {
    const key = kubeconfig ?? '';
    if (!kubeClients.has(key)) kubeClients.set(key, connectKube(kubeconfig, opts.kubeClient));
    return kubeClients.get(key) as Promise<KubeClient>;
  };

  const authn = config.authentication;
  const clientCerts = authn ? await ClientCertificateSource.load(authn, authn.delegated ? await kube(authn.delegated.kubeconfig) : undefined) : undefined;
  let serving: ServingCertificate | undefined = config.secureServing ? await loadServingCertificate(config.secureServing) : undefined;

  let auth: RequestAuth | undefined;
  if (authn && clientCerts) {
    const authenticators: Authenticator[] = [
      requestHeaderAuthenticator(() => clientCerts.current().requestHeader),
      x509Authenticator(() => clientCerts.current().clientCA),
    ];
    if (authn.tokenAuthFile) authenticators.push(tokenAuthenticator(tokenFileCheck(parseTokenFile(await readFile(authn.tokenAuthFile, 'utf8'), authn.tokenAuthFile))));
    if (authn.delegated) {
      const client = await kube(authn.delegated.kubeconfig);
      authenticators.push(tokenAuthenticator(tokenReviewCheck(client.createTokenReview, { ttlMs: authn.delegated.tokenCacheTTLMs })));
    }
    const authz = config.authorization ?? DEFAULT_AUTHORIZATION;
    let final: Authorizer = authenticatedUsersAuthorizer();
    if (authz.delegated) {
      const client = await kube(authz.delegated.kubeconfig);
      final = subjectAccessReviewAuthorizer(client.createSubjectAccessReview, { allowTTLMs: authz.delegated.allowCacheTTLMs, denyTTLMs: authz.delegated.denyCacheTTLMs });
    }
    auth = {
      authenticator: unionAuthenticator(authenticators, { anonymous: authn.anonymous }),
      authorizer: unionAuthorizer([privilegedGroupsAuthorizer(authz.alwaysAllowGroups), alwaysAllowPathsAuthorizer(authz.alwaysAllowPaths), final]),
      serverCAs: () => clientCerts.current().caFingerprints,
    };
  }

  const caPEMs = () => clientCerts?.current().caPEMs ?? [];
  const contextOptions = (s: ServingCertificate): SecureContextOptions & { key: string; cert: string } => ({
    key: s.key,
    cert: s.cert,
    // Advertised as acceptable CAs: Go clients (the aggregator) only send a certificate one of them signed.
    ...(caPEMs().length ? { ca: caPEMs() } : {}),
    minVersion: 'TLSv1.2',
  });

  return {
    // Asked for, never required: anonymous and token requests come without one. Chains are checked per authenticator.
    https: serving && { ...contextOptions(serving), requestCert: clientCerts !== undefined, rejectUnauthorized: false },
    auth,
    startRefresh(server) {
      if (!server || !serving) return () => undefined;
      const refresh = async () => {
        let current = serving as ServingCertificate;
        let changed = false;
        try {
          changed = (await clientCerts?.refresh()) ?? false;
        } catch (err) {
          logger.warn({ err }, 'keeping the client CAs: re-reading them failed');
        }
        try {
          const fresh = await readServingCertificate(current.certFile, current.keyFile);
          if (fresh.cert !== current.cert || fresh.key !== current.key) {
            current = fresh;
            changed = true;
          }
        } catch (err) {
          logger.warn({ err }, 'keeping the serving certificate: re-reading it failed');
        }
        if (!changed) return;
        try {
          server.setSecureContext(contextOptions(current));
          serving = current;
          logger.info('reloaded TLS certificates');
        } catch (err) {
          logger.error({ err }, 'the new TLS certificates are unusable; keeping the old ones');
        }
      };
      const timer = setInterval(() => void refresh(), opts.refreshIntervalMs ?? 60_000);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
