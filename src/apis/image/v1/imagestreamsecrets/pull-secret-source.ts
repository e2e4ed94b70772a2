// Where imagestreams/secrets gets Secrets from. Upstream lists them from the core API with the server's
// own credentials; the aggregated mode implements this by listing Secrets on the kube-apiserver, while a
// standalone server has no Secrets at all.
import type { ListMeta } from '../../../../machinery/object.js';
import type { Secret } from './types.js';

/** metav1.ListOptions as the request carried them; passed on to the Secrets list unchanged. */
export interface SecretListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  timeoutSeconds?: number;
}

/** A core/v1 SecretList: its metadata becomes the response's, its items are filtered. */
export interface SourceSecretList {
  metadata: ListMeta;
  items: Secret[];
}

export interface PullSecretSource {
  listSecrets(namespace: string, options: SecretListOptions): Promise<SourceSecretList>;
}

/** Standalone: there is no core API to read Secrets from. */
export const standalonePullSecretSource: PullSecretSource = {
  listSecrets: () => Promise.resolve({ metadata: {}, items: [] }),
};
