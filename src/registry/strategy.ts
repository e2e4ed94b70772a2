// A resource's rules in one object, so the generic Store stays generic
// (k8s.io/apiserver pkg/registry/rest: RESTCreateStrategy, RESTUpdateStrategy).
import type { ErrorList } from '../machinery/field.js';
import type { KubeObject } from '../machinery/object.js';

/** What a strategy may know about the request. */
export interface RequestContext {
  namespace?: string;
  /** The authenticated user name ('' in standalone mode without auth). */
  user: string;
  groups: string[];
  /** The user's extra attributes (e.g. scopes), passed on in access reviews made for the user. */
  extra?: Record<string, string[]>;
  dryRun: boolean;
  /** The subresource the request addresses (e.g. 'status'), when it is served by the resource's own REST. */
  subresource?: string;
}

export interface Strategy<T extends KubeObject = KubeObject> {
  /** PUT to a missing object creates it (201). */
  readonly allowCreateOnUpdate: boolean;
  /** PUT without metadata.resourceVersion is allowed (last writer wins). */
  readonly allowUnconditionalUpdate: boolean;
  /**
   * How metadata.generation moves: 'spec' = 1 on create, +1 when anything outside metadata
   * (and outside status when a status subresource exists) changes; 'none' = left unset.
   */
  readonly generation: 'spec' | 'none';
  /** Names: 'path-segment' (not '.', '..', no '/' or '%') or 'dns-subdomain'. */
  readonly nameRule: 'path-segment' | 'dns-subdomain';

  /** Resets what a client may not set and computes derived fields. Mutates obj. */
  prepareForCreate?(obj: T, ctx: RequestContext): void | Promise<void>;
  prepareForUpdate?(obj: T, old: T, ctx: RequestContext): void | Promise<void>;
  /** Kind-specific validation (ObjectMeta rules are applied by the Store). */
  validate?(obj: T, ctx: RequestContext): ErrorList | Promise<ErrorList>;
  validateUpdate?(obj: T, old: T, ctx: RequestContext): ErrorList | Promise<ErrorList>;
  /** Normalizes an object before storage (e.g. sorting lists that are maps internally). */
  canonicalize?(obj: T): void;
  warningsOnCreate?(obj: T, ctx: RequestContext): string[];
  warningsOnUpdate?(obj: T, old: T, ctx: RequestContext): string[];

  /** Rules of the `/status` subresource; by default only `status` is taken from the request. */
  prepareForStatusUpdate?(obj: T, old: T, ctx: RequestContext): void | Promise<void>;
  validateStatusUpdate?(obj: T, old: T, ctx: RequestContext): ErrorList | Promise<ErrorList>;

  /** Fills fields computed on every read (never stored). Mutates obj. */
  decorate?(obj: T): void;
}
