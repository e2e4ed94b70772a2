// The server-wide image policy the tag views and image stream mappings apply, read per request from the flags and
// the config.openshift.io Image `cluster` (as openshift-apiserver's operator feeds its imagePolicyConfig): the import
// mode spec tags default to, the registry allow-list, and the integrated registry's hostnames.
import { internalError, isStatusError } from '../../../../machinery/errors.js';
import type { APIRegistry } from '../../../../registry/registry.js';
import type { ImageConfig } from '../../../config/v1/image/types.js';
import { defaultImportMode } from '../imagestream/defaults.js';
import type { ImportMode } from '../imagestream/types.js';
import { registryHostnamesFrom, type RegistryHostnames } from '../registry-hostnames.js';
import { imagePolicyWhitelist, type RegistryWhitelist } from '../registry-whitelist.js';

/** The object the platform reads its image configuration from. */
const CLUSTER_CONFIG_NAME = 'cluster';

export interface ImagePolicy {
  importMode: ImportMode;
  hostnames: RegistryHostnames;
  /** The allow-list; throws a 500 when the configured list cannot be parsed (only the writes needing it fail). */
  whitelist(): RegistryWhitelist;
}

export async function loadImagePolicy(registry: APIRegistry): Promise<ImagePolicy> {
  const config = await clusterImageConfig(registry);
  const flags = registry.options.imagePolicy ?? {};
  const hostnames = registryHostnamesFrom({ internal: flags.internalRegistryHostname ?? '', external: flags.externalRegistryHostname ?? '' }, config);
  return {
    importMode: defaultImportMode(config),
    hostnames,
    whitelist: () => {
      try {
        return imagePolicyWhitelist(config?.spec?.allowedRegistriesForImport, hostnames.internal);
      } catch (err) {
        throw internalError(err);
      }
    },
  };
}

async function clusterImageConfig(registry: APIRegistry): Promise<ImageConfig | undefined> {
  const store = registry.store('config.openshift.io', 'v1', 'images');
  if (!store) return undefined;
  try {
    return (await store.get(undefined, CLUSTER_CONFIG_NAME)) as ImageConfig;
  } catch (err) {
    if (isStatusError(err) && err.code === 404) return undefined;
    throw err;
  }
}
