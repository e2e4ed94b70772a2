// imagestreams/secrets in aggregated mode: the namespace's Secrets listed from the kube-apiserver with the
// server's own credentials, the request's ListOptions passed on (openshift-apiserver's imagesecret REST).
import type { PullSecretSource, SecretListOptions } from '../../apis/image/v1/imagestreamsecrets/pull-secret-source.js';
import type { Secret } from '../../apis/image/v1/imagestreamsecrets/types.js';
import type { KubeClient } from '../auth/kube-client.js';

export function kubePullSecretSource(client: Pick<KubeClient, 'listSecrets'>): PullSecretSource {
  return {
    async listSecrets(namespace, options) {
      const list = await client.listSecrets(namespace, listQuery(options));
      return { metadata: list.metadata ?? {}, items: (list.items ?? []) as Secret[] };
    },
  };
}

/** ListOptions in their query form; unset fields are left out, as the parameter codec does. */
export function listQuery(options: SecretListOptions): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && value !== '') query[key] = String(value);
  }
  return query;
}
