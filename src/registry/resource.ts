// What a resource is: names, scope, verbs, subresources, schema, table columns, selectable fields.
// Adding a kind = one folder exporting a ResourceDefinition + one line in src/apis/index.ts.
import type { TSchema } from '@sinclair/typebox';
import type { KubeObject } from '../machinery/object.js';
import type { APIRegistry } from './registry.js';
import type { REST, SubresourceREST } from './rest.js';
import type { Strategy } from './strategy.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

export interface SubresourceDefinition {
  /** e.g. 'status' */
  name: string;
  kind: string;
  verbs: Verb[];
  /** A subresource with its own handler; without one the parent's REST serves it (as `status`). */
  rest?: (registry: APIRegistry) => SubresourceREST;
}

export interface ResourceDefinition<T extends KubeObject = KubeObject> {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Resource name (plural). */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: Verb[];
  subresources?: SubresourceDefinition[];
  /** The kind's schema (TypeBox); `npm run schemas` writes it to schemas/<group>/<Kind>.json. */
  schema: TSchema;
  /** OpenAPI definition name, e.g. com.github.openshift.api.image.v1.Image. */
  openAPIName: string;
  /** Field selectors beyond metadata.name / metadata.namespace: field -> value. */
  selectableFields?: (obj: T) => Record<string, string>;
  /** Table columns (besides the defaults) and the cells for one object. */
  table?: { columns: TableColumn[]; cells: (obj: T, now: Date) => unknown[] };
  /**
   * How schema violations surface: 'typed' = a built-in (aggregated) type, where a wrong JSON type is a
   * 400 decode error; 'crd' = a CustomResourceDefinition, where the schema (and its CEL rules) produce
   * 422 Invalid field errors, with validation ratcheting on update.
   */
  validation: 'typed' | 'crd';
  /** Patch types beyond json-patch and merge-patch. */
  strategicMergePatch: boolean;
  strategy: Strategy<T>;
  /**
   * A kind whose objects are views over other kinds provides its own REST; the others get the generic
   * Store. Called once the stored kinds are registered, so it can look them up.
   */
  rest?: (registry: APIRegistry) => REST;
}

export const groupVersion = (d: { group: string; version: string }) => (d.group ? `${d.group}/${d.version}` : d.version);

export const hasStatus = (d: ResourceDefinition) => (d.subresources ?? []).some((s) => s.name === 'status');
