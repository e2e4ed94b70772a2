// imagestreams/{name}/secrets, as the ImageStream definition lists it. A standalone server has no Secrets;
// connected to a kube-apiserver, the registry's image policy carries a source that lists them there.
import type { SubresourceDefinition } from '../../../../registry/resource.js';
import { standalonePullSecretSource } from './pull-secret-source.js';
import { ImageStreamSecretsREST } from './rest.js';

export const imageStreamSecretsSubresource: SubresourceDefinition = {
  name: 'secrets',
  kind: 'SecretList',
  verbs: ['get'],
  rest: (registry) => new ImageStreamSecretsREST(registry.options.imagePolicy?.pullSecretSource ?? standalonePullSecretSource),
};
