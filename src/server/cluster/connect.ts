// What a server connected to a kube-apiserver takes from it besides authentication and authorization:
// namespace lifecycle for writes, pull secrets for imagestreams/secrets, and access reviews for
// cross-namespace spec tags, and for ImageStreamImport its access reviews and additionally trusted CAs. All
// of it through one client (--kubeconfig, or the in-cluster service account).
import type { ImageConfig } from '../../apis/config/v1/image/types.js';
import type { ImportAuthorizer } from '../../apis/image/v1/imagestreamimport/options.js';
import { subjectAccessReviewImportAuthorizer } from '../../apis/image/v1/imagestreamimport/sar-authorizer.js';
import type { PullSecretSource } from '../../apis/image/v1/imagestreamsecrets/pull-secret-source.js';
import type { TagVerifier } from '../../apis/image/v1/imagestream/tag-verifier.js';
import { connectKube, type KubeClient, type KubeClientOptions } from '../auth/kube-client.js';
import { NamespaceAdmission } from './admitted-rest.js';
import { configMapTrustedCAs } from './import-trusted-cas.js';
import { kubePullSecretSource } from './kube-pull-secret-source.js';
import { NamespaceLifecycle, type NamespaceLifecycleOptions } from './namespace-lifecycle.js';
import { subjectAccessReviewTagVerifier } from './subject-access-review-tag-verifier.js';

export interface ClusterConfig {
  /** undefined = the in-cluster service account. */
  kubeconfig?: string;
}

export interface ClusterIntegration {
  admission: NamespaceAdmission;
  pullSecretSource: PullSecretSource;
  tagVerifier: TagVerifier;
  /** The ImageStreamImport shortcut: may the user create images (or imagestreammapping)? */
  importAuthorizer: ImportAuthorizer;
  /** The CAs of the ConfigMap `clusterConfig` names in additionalTrustedCA, read for each import. */
  importTrustedCAs(clusterConfig: () => Promise<ImageConfig | undefined>): () => Promise<string[]>;
}

export interface ClusterOptions {
  kubeClient?: KubeClientOptions;
  namespaces?: NamespaceLifecycleOptions;
}

export async function connectCluster(config: ClusterConfig, opts: ClusterOptions = {}): Promise<ClusterIntegration> {
  return clusterIntegration(await connectKube(config.kubeconfig, opts.kubeClient), opts);
}

export function clusterIntegration(client: KubeClient, opts: ClusterOptions = {}): ClusterIntegration {
  return {
    admission: new NamespaceAdmission(new NamespaceLifecycle(client.readNamespace, opts.namespaces)),
    pullSecretSource: kubePullSecretSource(client),
    tagVerifier: subjectAccessReviewTagVerifier(client.createSubjectAccessReview),
    importAuthorizer: subjectAccessReviewImportAuthorizer(client.createSubjectAccessReview),
    importTrustedCAs: (clusterConfig) => configMapTrustedCAs(client.readConfigMap, clusterConfig),
  };
}
