// The integrated registry's hostnames, as openshift-apiserver gets them (its RegistryHostnameRetriever):
// `--internal-registry-hostname` / `--external-registry-hostname`, overridden by the config.openshift.io
// Image named `cluster` when that sets them (status.internalRegistryHostname; the first of
// spec.externalRegistryHostnames then status.externalRegistryHostnames). Streams read the hostnames on
// every response, so the current config Image is kept in memory, followed by a storage watch.
import type { ImageConfig } from '../../config/v1/image/types.js';
import type { Storage, StorageEvent, Watcher } from '../../../storage/storage.js';

/** Both hostnames; '' when not configured. */
export interface RegistryHostnames {
  internal: string;
  external: string;
}

/** Synchronous, cheap access to the current hostnames. */
export interface RegistryHostnameRetriever {
  hostnames(): RegistryHostnames;
}

/** The hostnames the flags give, with what the cluster Image config sets taking precedence. */
export function registryHostnamesFrom(flags: RegistryHostnames, config: ImageConfig | undefined): RegistryHostnames {
  const externals = [...(config?.spec?.externalRegistryHostnames ?? []), ...(config?.status?.externalRegistryHostnames ?? [])];
  return {
    internal: config?.status?.internalRegistryHostname || flags.internal,
    external: externals[0] || flags.external,
  };
}

/** Fixed hostnames (no cluster config to follow). */
export function staticRegistryHostnames(hostnames: RegistryHostnames): RegistryHostnameRetriever {
  return { hostnames: () => hostnames };
}

/**
 * Hostnames that follow the config Image stored under `configKey`: its current value is loaded, then kept
 * up to date by a watch on the key. Until the first load completes the flags alone apply; `ready`
 * resolves once it has.
 */
export class WatchedRegistryHostnames implements RegistryHostnameRetriever {
  readonly ready: Promise<void>;
  private current: RegistryHostnames;
  private watcher: Watcher | undefined;
  private closed = false;

  constructor(
    private readonly flags: RegistryHostnames,
    private readonly storage: Storage,
    private readonly configKey: string,
  ) {
    this.current = registryHostnamesFrom(flags, undefined);
    // A failed load leaves the flags in effect; the storage reports its own failures on the requests.
    this.ready = this.follow().catch(() => undefined);
  }

  hostnames(): RegistryHostnames {
    return this.current;
  }

  close(): void {
    this.closed = true;
    this.watcher?.stop();
    this.watcher = undefined;
  }

  /** Loads the current value and watches for changes after it; replays converge on the latest state. */
  private async follow(): Promise<void> {
    if (this.closed) return;
    const revision = await this.storage.currentRevision();
    const found = await this.storage.get(this.configKey);
    this.apply(found?.object as ImageConfig | undefined);
    if (this.closed) return;
    this.watcher = await this.storage.watch(this.configKey, {
      fromRevision: revision,
      onEvent: (ev) => this.onEvent(ev),
      // A watch that the storage ends (for a slow consumer, or on close) is restarted unless we are closing.
      onError: () => {
        this.watcher = undefined;
        if (!this.closed) setImmediate(() => void this.follow().catch(() => undefined));
      },
    });
    if (this.closed) this.close();
  }

  private onEvent(ev: StorageEvent): void {
    // The watch is on a key prefix: `cluster` must not pick up `cluster2`.
    if (ev.key !== this.configKey) return;
    this.apply(ev.type === 'DELETED' ? undefined : (ev.object as ImageConfig));
  }

  private apply(config: ImageConfig | undefined): void {
    this.current = registryHostnamesFrom(this.flags, config);
  }
}
