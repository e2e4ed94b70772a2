// What a server connected to a kube-apiserver takes from it besides authentication and authorization:
// namespace lifecycle for writes, pull secrets for imagestreams/secrets, and access reviews for
// cross-namespace spec tags. All of it through one client (--kubeconfig, or the in-cluster service account).
import type { PullSecretSource } from '../../apis/image/v1/imagestreamsecrets/pull-secret-source.js';
import type { TagVerifier } from '../../apis/image/v1/imagestream/tag-verifier.js';
import { connectKube, type KubeClient, type KubeClientOptions } from '../auth/kube-client.js';
import { NamespaceAdmission } from './admitted-rest.js';
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
  };
}
