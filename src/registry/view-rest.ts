// Common ground of resources that are views over other kinds (ImageStreamTag, ImageStreamImport, ...):
// their names, their schema for request bodies, and the registry they read and write through.
import type { GroupResource } from '../machinery/errors.js';
import type { SchemaValidator } from '../machinery/schema-validation.js';
import type { APIRegistry } from './registry.js';
import { groupVersion, type ResourceDefinition } from './resource.js';
import type { REST } from './rest.js';

export abstract class ViewREST implements REST {
  readonly gr: GroupResource;
  readonly apiVersion: string;
  protected readonly schema: { json: object; validator: SchemaValidator };

  constructor(
    readonly def: ResourceDefinition,
    protected readonly registry: APIRegistry,
    protected readonly now: () => Date = () => new Date(),
  ) {
    this.gr = { group: def.group, resource: def.plural };
    this.apiVersion = groupVersion(def);
    this.schema = registry.schema(def);
  }

  schemaForPruning(): object {
    return this.schema.json;
  }

  /** Views select only by name (and namespace). */
  selectableFieldNames(): string[] {
    return this.def.namespaced ? ['metadata.name', 'metadata.namespace'] : ['metadata.name'];
  }
}
