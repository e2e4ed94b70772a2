// imagestreams/{name}/secrets, as the ImageStream definition lists it. A standalone server has no Secrets;
// the aggregated mode serves the same subresource with a source that lists them from the kube-apiserver.
import type { SubresourceDefinition } from '../../../../registry/resource.js';
import { standalonePullSecretSource, type PullSecretSource } from './pull-secret-source.js';
import { ImageStreamSecretsREST } from './rest.js';

export function imageStreamSecretsSubresourceFor(source: PullSecretSource): SubresourceDefinition {
  return { name: 'secrets', kind: 'SecretList', verbs: ['get'], rest: () => new ImageStreamSecretsREST(source) };
}

export const imageStreamSecretsSubresource: SubresourceDefinition = imageStreamSecretsSubresourceFor(standalonePullSecretSource);
