// Which CAs sign client certificates and how the front proxy names users: from the flags, and for what
// they leave out from the kube-apiserver's extension-apiserver-authentication ConfigMap. Re-read on
// refresh, so CA rotation needs no restart (upstream watches the same ConfigMap and files).
import type { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AuthenticationConfig } from './security-config.js';
import {
  AUTHENTICATION_CONFIGMAP_NAME,
  AUTHENTICATION_CONFIGMAP_NAMESPACE,
  CONFIGMAP_ACCESS_HINT,
  parseAuthenticationConfigMap,
  type PublishedAuthentication,
  type RequestHeaderConfig,
} from './authentication-configmap.js';
import { parseCertificateBundle } from './client-certificates.js';
import type { KubeClient } from './kube-client.js';
import type { RequestHeaderSettings } from './request-header-authenticator.js';

export interface ClientCertificateSettings {
  /** Roots for client-certificate users (client-ca-file); empty = none. */
  clientCA: X509Certificate[];
  /** The front proxy's CA and headers; undefined = no front proxy. */
  requestHeader?: RequestHeaderSettings;
  /** Every CA above as PEM: the TLS server advertises them, so clients pick the right certificate. */
  caPEMs: string[];
  /** Their SHA-256 fingerprints. */
  caFingerprints: ReadonlySet<string>;
}

interface Sources {
  clientCA?: string;
  requestHeader?: RequestHeaderConfig;
}

export class ClientCertificateSource {
  private constructor(
    private readonly config: AuthenticationConfig,
    private readonly kube: KubeClient | undefined,
    private settings: ClientCertificateSettings,
    private fingerprint: string,
  ) {}

  /** Fails when a file or the ConfigMap cannot be read or holds no valid certificates. */
  static async load(config: AuthenticationConfig, kube: KubeClient | undefined): Promise<ClientCertificateSource> {
    const sources = await readSources(config, kube);
    return new ClientCertificateSource(config, kube, settingsOf(sources), JSON.stringify(sources));
  }

  current(): ClientCertificateSettings {
    return this.settings;
  }

  /** Re-reads everything; true when something changed. Throws (keeping the old settings) on failure. */
  async refresh(): Promise<boolean> {
    const sources = await readSources(this.config, this.kube);
    const fingerprint = JSON.stringify(sources);
    if (fingerprint === this.fingerprint) return false;
    this.settings = settingsOf(sources);
    this.fingerprint = fingerprint;
    return true;
  }
}

async function readSources(config: AuthenticationConfig, kube: KubeClient | undefined): Promise<Sources> {
  const clientCA = config.clientCAFile ? await readFile(config.clientCAFile, 'utf8') : undefined;
  const requestHeader: RequestHeaderConfig | undefined = config.requestHeader
    ? { ...config.requestHeader, clientCA: await readFile(config.requestHeader.clientCAFile, 'utf8') }
    : undefined;
  // As lookupMissingConfigInCluster: the ConfigMap only fills in what the flags do not give.
  let published: PublishedAuthentication = {};
  if (kube && !(clientCA && requestHeader)) {
    try {
      const cm = await kube.readConfigMap(AUTHENTICATION_CONFIGMAP_NAMESPACE, AUTHENTICATION_CONFIGMAP_NAME);
      if (cm) published = parseAuthenticationConfigMap(cm);
    } catch (err) {
      throw new Error(
        `unable to load configmap ${AUTHENTICATION_CONFIGMAP_NAMESPACE}/${AUTHENTICATION_CONFIGMAP_NAME}: ${(err as Error).message}. ${CONFIGMAP_ACCESS_HINT}`,
      );
    }
  }
  return { clientCA: clientCA ?? published.clientCA, requestHeader: requestHeader ?? published.requestHeader };
}

function settingsOf(sources: Sources): ClientCertificateSettings {
  const clientCA = sources.clientCA ? parseCertificateBundle(sources.clientCA) : [];
  const rh = sources.requestHeader;
  const requestHeader: RequestHeaderSettings | undefined = rh && {
    roots: parseCertificateBundle(rh.clientCA),
    allowedNames: rh.allowedNames,
    usernameHeaders: rh.usernameHeaders,
    uidHeaders: rh.uidHeaders,
    groupHeaders: rh.groupHeaders,
    extraHeaderPrefixes: rh.extraHeaderPrefixes,
  };
  const all = [...clientCA, ...(requestHeader?.roots ?? [])];
  return {
    clientCA,
    requestHeader,
    caPEMs: all.map((c) => c.toString()),
    caFingerprints: new Set(all.map((c) => c.fingerprint256)),
  };
}
