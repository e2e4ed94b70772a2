// One Store per served resource, looked up by group/version/resource.
import { compileSchemaValidator, type SchemaValidator } from '../machinery/schema-validation.js';
import type { Storage } from '../storage/storage.js';
import { groupVersion, type ResourceDefinition } from './resource.js';
import { loadSchema } from './schema-files.js';
import type { REST, SubresourceREST } from './rest.js';
import { Store, type StoreOptions } from './store.js';

/** Server-wide image policy settings from the command line, read by the image resources' REST factories. */
export interface ImagePolicyOptions {
  /** `--internal-registry-hostname`: the integrated registry as seen from inside the cluster. */
  internalRegistryHostname?: string;
  /** `--external-registry-hostname`: the integrated registry as exposed outside the cluster. */
  externalRegistryHostname?: string;
  /**
   * Decides whether a user may tag from a stream of another namespace (`get imagestreams/layers` there);
   * aggregated mode asks kube-apiserver. Absent: everything is allowed (standalone has no authorizer).
   */
  tagVerifier?: {
    review(request: {
      namespace: string;
      stream: string;
      user: string;
      groups: string[];
      extra?: Record<string, string[]>;
    }): Promise<{ allowed: boolean; reason?: string; evaluationError?: string }>;
  };
  /**
   * Where imagestreams/secrets lists Secrets from (a PullSecretSource); aggregated mode lists them on the
   * kube-apiserver. Absent: none (standalone has no Secrets).
   */
  pullSecretSource?: {
    listSecrets(namespace: string, options: Record<string, string | number | undefined>): Promise<{ metadata: object; items: object[] }>;
  };
}

export interface RegistryOptions extends StoreOptions {
  imagePolicy?: ImagePolicyOptions;
}

export class APIRegistry {
  private readonly stores = new Map<string, Store>();
  private readonly rests = new Map<string, REST>();
  private readonly subresources = new Map<string, SubresourceREST>();
  private readonly closers: (() => void | Promise<void>)[] = [];

  constructor(
    readonly definitions: ResourceDefinition[],
    readonly storage: Storage,
    private readonly projectRoot: string,
    /** Store options and settings for the REST factories (which build Stores of their own). */
    readonly options: RegistryOptions = {},
  ) {
    for (const def of definitions) {
      if (def.rest) continue;
      const store = new Store(def, storage, this.schema(def), options);
      this.stores.set(storeKey(def.group, def.version, def.plural), store);
      this.rests.set(storeKey(def.group, def.version, def.plural), store);
    }
    // Views over the stored kinds come second: their factories look the stores up.
    for (const def of definitions) {
      if (def.rest) this.rests.set(storeKey(def.group, def.version, def.plural), def.rest(this));
      for (const sub of def.subresources ?? []) {
        if (sub.rest) this.subresources.set(`${storeKey(def.group, def.version, def.plural)}/${sub.name}`, sub.rest(this));
      }
    }
  }

  /** A kind's schema and validator (views validate their request bodies with it). */
  schema(def: ResourceDefinition): { json: object; validator: SchemaValidator } {
    const json = loadSchema(def, this.projectRoot);
    return { json, validator: compileSchemaValidator(json, def.validation) };
  }

  /** The generic Store of a stored kind (for views that read and write it). */
  store(group: string, version: string, resource: string): Store | undefined {
    return this.stores.get(storeKey(group, version, resource));
  }

  /** What serves requests for a resource: its Store or its own REST. */
  rest(group: string, version: string, resource: string): REST | undefined {
    return this.rests.get(storeKey(group, version, resource));
  }

  subresource(group: string, version: string, resource: string, name: string): SubresourceREST | undefined {
    return this.subresources.get(`${storeKey(group, version, resource)}/${name}`);
  }

  servesGroupVersion(group: string, version: string): boolean {
    return this.definitions.some((d) => d.group === group && d.version === version);
  }

  groupVersions(): string[] {
    return [...new Set(this.definitions.map(groupVersion))];
  }

  /**
   * Makes a Store that a REST factory built for its own kind available through store(), for the views
   * that read and write that kind (its REST adds rules on top, but the objects are the Store's).
   */
  registerStore(store: Store): void {
    this.stores.set(storeKey(store.def.group, store.def.version, store.def.plural), store);
  }

  /** Registers cleanup for something a REST factory started (e.g. a storage watch). */
  onClose(closer: () => void | Promise<void>): void {
    this.closers.push(closer);
  }

  /** Runs the registered cleanups; call before closing the storage. */
  async close(): Promise<void> {
    const closers = this.closers.splice(0);
    for (const closer of closers.reverse()) await closer();
  }
}

const storeKey = (group: string, version: string, resource: string) => `${group}/${version}/${resource}`;
