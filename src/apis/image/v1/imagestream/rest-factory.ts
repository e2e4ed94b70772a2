// Builds the imagestreams REST of one registry: the registry hostnames (flags, then the cluster config
// Image, followed by a storage watch), the strategy with its lookups, and the Store it drives.
import { isStatusError } from '../../../../machinery/errors.js';
import type { APIRegistry } from '../../../../registry/registry.js';
import type { ResourceDefinition } from '../../../../registry/resource.js';
import { Store } from '../../../../registry/store.js';
import type { ImageConfig } from '../../../config/v1/image/types.js';
import { staticRegistryHostnames, WatchedRegistryHostnames, type RegistryHostnameRetriever } from '../registry-hostnames.js';
import { ImageStreamREST } from './rest.js';
import { createImageStreamStrategy } from './strategy.js';
import { ALLOW_ALL_TAG_VERIFIER, type TagVerifier } from './tag-verifier.js';

/** The object the platform reads its image configuration from. */
const CLUSTER_CONFIG_NAME = 'cluster';

/**
 * The REST serving `def` (the imagestreams definition). The Store it wraps is registered with the
 * registry, so views reading streams find it with registry.store().
 */
export function createImageStreamREST(registry: APIRegistry, def: ResourceDefinition): ImageStreamREST {
  const policy = registry.options.imagePolicy ?? {};
  const tagVerifier: TagVerifier = policy.tagVerifier ?? ALLOW_ALL_TAG_VERIFIER;
  const flags = { internal: policy.internalRegistryHostname ?? '', external: policy.externalRegistryHostname ?? '' };
  const configStore = () => registry.store('config.openshift.io', 'v1', 'images');

  let hostnames: RegistryHostnameRetriever = staticRegistryHostnames(flags);
  let ready: Promise<void> = Promise.resolve();
  const configs = configStore();
  if (configs) {
    const watched = new WatchedRegistryHostnames(flags, registry.storage, configs.key(undefined, CLUSTER_CONFIG_NAME));
    registry.onClose(() => watched.close());
    hostnames = watched;
    ready = watched.ready;
  }

  const clusterConfig = async (): Promise<ImageConfig | undefined> => {
    const store = configStore();
    if (!store) return undefined;
    try {
      return (await store.get(undefined, CLUSTER_CONFIG_NAME)) as ImageConfig;
    } catch (err) {
      if (isStatusError(err) && err.code === 404) return undefined;
      throw err;
    }
  };

  // Spec tags read other streams as a client would (upstream passes the REST itself to the strategy).
  let rest: ImageStreamREST | undefined;
  const strategy = createImageStreamStrategy({
    hostnames,
    clusterConfig,
    getStream: (namespace, name) => rest!.get(namespace, name),
    tagVerifier,
    now: registry.options.now ?? (() => new Date()),
  });
  const { rest: _factory, ...stored } = def;
  const store = new Store({ ...stored, strategy } as ResourceDefinition, registry.storage, registry.schema(def), registry.options);
  registry.registerStore(store);
  rest = new ImageStreamREST(def, store, hostnames, ready);
  return rest;
}
