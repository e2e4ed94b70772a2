// One Store per served resource, looked up by group/version/resource.
import { compileSchemaValidator } from '../machinery/schema-validation.js';
import type { Storage } from '../storage/storage.js';
import { groupVersion, type ResourceDefinition } from './resource.js';
import { loadSchema } from './schema-files.js';
import { Store, type StoreOptions } from './store.js';

export class APIRegistry {
  private readonly stores = new Map<string, Store>();

  constructor(
    readonly definitions: ResourceDefinition[],
    storage: Storage,
    projectRoot: string,
    opts: StoreOptions = {},
  ) {
    for (const def of definitions) {
      const json = loadSchema(def, projectRoot);
      const validator = compileSchemaValidator(json, def.validation);
      this.stores.set(storeKey(def.group, def.version, def.plural), new Store(def, storage, { json, validator }, opts));
    }
  }

  store(group: string, version: string, resource: string): Store | undefined {
    return this.stores.get(storeKey(group, version, resource));
  }

  servesGroupVersion(group: string, version: string): boolean {
    return this.definitions.some((d) => d.group === group && d.version === version);
  }

  groupVersions(): string[] {
    return [...new Set(this.definitions.map(groupVersion))];
  }
}

const storeKey = (group: string, version: string, resource: string) => `${group}/${version}/${resource}`;
