// additionalTrustedCA in aggregated mode: the ConfigMap the cluster Image config names (in openshift-config)
// holds PEM bundles, one per key (keys are registry hostnames, `..` for `:`). openshift-apiserver gets them
// as files an operator copies into /var/run/configmaps/image-import-ca and trusts every one of them for every
// registry; here the ConfigMap is read from the kube-apiserver on each import, so a change applies at once.
import type { ImageConfig } from '../../apis/config/v1/image/types.js';
import type { KubeClient } from '../auth/kube-client.js';

/** Where cluster-wide configuration ConfigMaps live. */
export const OPENSHIFT_CONFIG_NAMESPACE = 'openshift-config';

/**
 * The CAs an import trusts besides the system pool: none without `spec.additionalTrustedCA.name` or when
 * the ConfigMap does not exist (the operator would copy nothing); a failed read fails the import.
 */
export function configMapTrustedCAs(
  readConfigMap: KubeClient['readConfigMap'],
  clusterConfig: () => Promise<ImageConfig | undefined>,
): () => Promise<string[]> {
  return async () => {
    const name = (await clusterConfig())?.spec?.additionalTrustedCA?.name;
    if (!name) return [];
    const data = (await readConfigMap(OPENSHIFT_CONFIG_NAMESPACE, name))?.data ?? {};
    return Object.keys(data)
      .sort()
      .map((key) => data[key])
      .filter((pem) => pem.trim() !== '');
  };
}
