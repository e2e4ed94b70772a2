// The config.openshift.io Image `cluster`, read on every import as openshift-apiserver does.
import { internalError, isStatusError } from '../../../../machinery/errors.js';
import type { APIRegistry } from '../../../../registry/registry.js';
import type { ImageConfig } from '../../../config/v1/image/types.js';

export const CLUSTER_CONFIG_NAME = 'cluster';

/** The config, or undefined when there is none (for defaults that fall back without it). */
export async function optionalClusterConfig(registry: APIRegistry): Promise<ImageConfig | undefined> {
  try {
    return await requiredClusterConfig(registry);
  } catch {
    return undefined;
  }
}

/** The config; its absence (or any read failure) is a 500, as the importer cannot run without it. */
export async function requiredClusterConfig(registry: APIRegistry): Promise<ImageConfig> {
  const store = registry.store('config.openshift.io', 'v1', 'images');
  if (!store) throw internalError(new Error(`images.config.openshift.io ${JSON.stringify(CLUSTER_CONFIG_NAME)} not found`));
  try {
    return (await store.get(undefined, CLUSTER_CONFIG_NAME)) as ImageConfig;
  } catch (err) {
    throw internalError(isStatusError(err) ? new Error(err.status.message) : err);
  }
}
