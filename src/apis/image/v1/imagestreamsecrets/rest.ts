// GET imagestreams/{name}/secrets: the namespace's pull secrets. The name is ignored (the stream need not
// exist) and the query is read as ListOptions for the Secrets list.
import { firstValue, queryInt, type QueryValues } from '../../../../machinery/query.js';
import type { SubresourceREST } from '../../../../registry/rest.js';
import type { PullSecretSource, SecretListOptions } from './pull-secret-source.js';
import { pullSecrets } from './pull-secrets.js';
import type { SecretList } from './types.js';

export class ImageStreamSecretsREST implements SubresourceREST {
  constructor(private readonly source: PullSecretSource) {}

  async get(namespace: string | undefined, _name: string, _ctx: unknown, query: QueryValues): Promise<SecretList> {
    const list = await this.source.listSecrets(namespace ?? '', secretListOptions(query));
    return { apiVersion: 'image.openshift.io/v1', kind: 'SecretList', metadata: structuredClone(list.metadata), items: pullSecrets(list.items) };
  }
}

/** The ListOptions fields of the query (a bad number is a 400, as the parameter codec reports it). */
export function secretListOptions(query: QueryValues): SecretListOptions {
  const options: SecretListOptions = {};
  for (const key of ['labelSelector', 'fieldSelector', 'continue', 'resourceVersion', 'resourceVersionMatch'] as const) {
    const value = firstValue(query, key);
    if (value !== undefined) options[key] = value;
  }
  const limit = queryInt('limit', firstValue(query, 'limit'));
  if (limit !== undefined) options.limit = limit;
  const timeoutSeconds = queryInt('timeoutSeconds', firstValue(query, 'timeoutSeconds'));
  if (timeoutSeconds !== undefined) options.timeoutSeconds = timeoutSeconds;
  return options;
}
