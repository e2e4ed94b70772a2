// kube-system/extension-apiserver-authentication: the kube-apiserver publishes there which CAs sign
// client certificates and how its front proxy passes users on (k8s.io/apiserver
// pkg/server/options/authentication.go, authentication_dynamic_request_header.go).
import type { ConfigMap } from './kube-client.js';

export const AUTHENTICATION_CONFIGMAP_NAMESPACE = 'kube-system';
export const AUTHENTICATION_CONFIGMAP_NAME = 'extension-apiserver-authentication';

export interface RequestHeaderConfig {
  /** PEM bundle of the front proxy's CA. */
  clientCA: string;
  allowedNames: string[];
  usernameHeaders: string[];
  uidHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
}

export interface PublishedAuthentication {
  /** PEM bundle of kube-apiserver's --client-ca-file. */
  clientCA?: string;
  requestHeader?: RequestHeaderConfig;
}

/** Each list is a JSON array of strings in the ConfigMap; an empty value means none. */
function stringList(cm: ConfigMap, key: string): string[] {
  const raw = cm.data?.[key] ?? '';
  if (raw === '') return [];
  const value: unknown = JSON.parse(raw);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`configmap ${AUTHENTICATION_CONFIGMAP_NAMESPACE}/${AUTHENTICATION_CONFIGMAP_NAME}: ${key} is not a JSON array of strings`);
  }
  return value;
}

export function parseAuthenticationConfigMap(cm: ConfigMap): PublishedAuthentication {
  const out: PublishedAuthentication = {};
  const clientCA = cm.data?.['client-ca-file'] ?? '';
  if (clientCA !== '') out.clientCA = clientCA;
  const requestHeaderCA = cm.data?.['requestheader-client-ca-file'] ?? '';
  if (requestHeaderCA !== '') {
    out.requestHeader = {
      clientCA: requestHeaderCA,
      allowedNames: stringList(cm, 'requestheader-allowed-names'),
      usernameHeaders: stringList(cm, 'requestheader-username-headers'),
      uidHeaders: stringList(cm, 'requestheader-uid-headers'),
      groupHeaders: stringList(cm, 'requestheader-group-headers'),
      extraHeaderPrefixes: stringList(cm, 'requestheader-extra-headers-prefix'),
    };
  }
  return out;
}

/** The hint k8s.io/apiserver logs when it may not read the ConfigMap. */
export const CONFIGMAP_ACCESS_HINT =
  `Usually fixed by 'kubectl create rolebinding -n ${AUTHENTICATION_CONFIGMAP_NAMESPACE} ROLEBINDING_NAME ` +
  `--role=extension-apiserver-authentication-reader --serviceaccount=YOUR_NS:YOUR_SA'`;
