// What the HTTP handlers call for one resource: the generic Store implements it, and so can a kind whose
// objects are views over other kinds (k8s.io/apiserver pkg/registry/rest: Getter, Lister, Creater, Updater, ...).
import type { GroupResource, Status } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';
import type { RegistryListOptions } from './list-options.js';
import type { ObjectList } from './list.js';
import type { ResourceDefinition } from './resource.js';
import type { RequestContext } from './strategy.js';
import type { WatchHandle, WatchSink } from './watch.js';

export interface WriteOptions {
  dryRun: boolean;
  /**
   * The manager recorded in managedFields. Undefined for writes the server makes itself through a Store
   * (views, imports, controllers): like upstream's internal registry calls, they leave managedFields alone.
   */
  fieldManager: string | undefined;
  ctx: RequestContext;
}

export interface WriteResult {
  /** The object to return (a Status for kinds that answer writes with one). */
  object: KubeObject | Status;
  warnings: string[];
  /** 201 for creates (incl. create-on-update), 200 otherwise. */
  created: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** The terminating object (finalizers pending) or a Success Status. */
export type DeleteResult = { kind: 'object'; object: KubeObject } | { kind: 'status'; status: Status; object?: KubeObject };

/**
 * Computes the new object from the current one (undefined when missing); runs again on every retry.
 * PUT returns its body; PATCH applies the patch to `current`.
 */
export type UpdatedObjectInfo = (current: KubeObject | undefined) => KubeObject;

/** How an update was asked for. */
export interface UpdateExtra {
  /** '' for the main resource, or e.g. 'status'. */
  subresource: string;
  isPatch: boolean;
  apply?: boolean;
}

export interface REST {
  readonly def: ResourceDefinition;
  readonly gr: GroupResource;
  readonly apiVersion: string;
  /** The kind's JSON Schema, for pruning unknown fields of request bodies. */
  schemaForPruning(): object;
  /** Field selector names this resource understands. */
  selectableFieldNames(): string[];

  get?(namespace: string | undefined, name: string, ctx: RequestContext): Promise<KubeObject>;
  /**
   * The object as compact JSON text, when it can be produced without building the object
   * (undefined: use `get`). Serves plain JSON GETs.
   */
  getJSON?(namespace: string | undefined, name: string, ctx: RequestContext): Promise<string | undefined>;
  list?(namespace: string | undefined, opts: RegistryListOptions, ctx: RequestContext): Promise<ObjectList>;
  watch?(namespace: string | undefined, opts: RegistryListOptions, sink: WatchSink, ctx: RequestContext): Promise<WatchHandle>;
  create?(namespace: string | undefined, body: KubeObject, opts: WriteOptions): Promise<WriteResult>;
  /**
   * PUT and PATCH. `isPatch` refuses create-on-update for patches that are not apply. `apply` (server-side
   * apply) creates a missing object (not through a subresource) and means the object objInfo returns
   * already carries its final managedFields, which the implementation keeps instead of recomputing.
   */
  update?(
    namespace: string | undefined,
    name: string,
    objInfo: UpdatedObjectInfo,
    opts: WriteOptions,
    extra: UpdateExtra,
  ): Promise<WriteResult>;
  delete?(namespace: string | undefined, name: string, options: DeleteOptions, dryRun: boolean, ctx: RequestContext): Promise<DeleteResult>;
}

/** A subresource served by its own handler (e.g. imagestreams/layers), rather than by the parent Store. */
export interface SubresourceREST {
  get?(namespace: string | undefined, name: string, ctx: RequestContext, query: Record<string, string | string[] | undefined>): Promise<unknown>;
}
