// The generic registry Store: Kubernetes object rules for one resource, driven by its Strategy
// (k8s.io/apiserver pkg/registry/generic/registry/store.go). Knows objects, not HTTP.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  alreadyExists,
  badRequest,
  conflict,
  generateNameConflict,
  invalid,
  notFound,
  OBJECT_MODIFIED,
  rawInternal,
  StatusError,
  type GroupResource,
  type Status,
} from '../machinery/errors.js';
import { invalid as invalidField, type ErrorList } from '../machinery/field.js';
import type { KubeObject } from '../machinery/object.js';
import { timestamp } from '../machinery/object.js';
import { prepareCreateMeta, prepareUpdateMeta, validateObjectMeta, validateObjectMetaUpdate } from '../machinery/meta.js';
import { generateName } from '../machinery/names.js';
import { updateManagedFields, type FieldSchema } from '../machinery/managed-fields.js';
import type { SchemaValidator } from '../machinery/schema-validation.js';
import { StorageError, type Storage, type StoredValue, type Versioned } from '../storage/storage.js';
import { groupVersion, hasStatus, type ResourceDefinition } from './resource.js';
import type { RequestContext } from './strategy.js';
import { storageErrorToStatus } from './storage-errors.js';
import { selectableFieldNames } from './filter.js';
import { listObjects, type ObjectList } from './list.js';
import type { RegistryListOptions } from './list-options.js';
import type { DeleteOptions, DeleteResult, REST, UpdatedObjectInfo, UpdateExtra, WriteOptions, WriteResult } from './rest.js';
import { startWatch, type WatchHandle, type WatchSink } from './watch.js';

export type { DeleteOptions, DeleteResult, WriteOptions, WriteResult };

/** What one update attempt decided. */
type UpdatePlan =
  | { action: 'write'; object: KubeObject; warnings: string[] }
  | { action: 'unchanged'; object: KubeObject }
  | { action: 'create'; object: KubeObject; warnings: string[] }
  | { action: 'delete'; object: KubeObject };

/** RetryGenerateName: a clashing generated name is regenerated up to this many times. */
const MAX_GENERATED_NAME_RETRY = 8;

export interface StoreOptions {
  now?: () => Date;
  random?: () => number;
}

type T = KubeObject;

export class Store implements REST {
  readonly gr: GroupResource;
  readonly apiVersion: string;
  /** How the JSON text of an object stored in API form starts. */
  private readonly typeMetaPrefix: string;
  private readonly now: () => Date;
  private readonly random: () => number;

  constructor(
    readonly def: ResourceDefinition,
    readonly storage: Storage,
    private readonly schema: { json: object; validator: SchemaValidator },
    opts: StoreOptions = {},
  ) {
    this.gr = { group: def.group, resource: def.plural };
    this.apiVersion = groupVersion(def);
    this.typeMetaPrefix = `{"apiVersion":${JSON.stringify(this.apiVersion)},"kind":${JSON.stringify(def.kind)},`;
    this.now = opts.now ?? (() => new Date());
    this.random = opts.random ?? Math.random;
  }

  /** The kind's JSON Schema (from schemas/), for pruning unknown fields. */
  schemaForPruning(): object {
    return this.schema.json;
  }

  /** `/<group>/<resource>/<namespace>/<name>`; cluster-scoped kinds have no namespace segment. */
  key(namespace: string | undefined, name: string): string {
    return `${this.prefix(namespace)}${name}`;
  }

  /** Key prefix of a namespace (or of all namespaces / the cluster scope when namespace is empty). */
  prefix(namespace: string | undefined): string {
    const base = `/${this.def.group || 'core'}/${this.def.plural}/`;
    return this.def.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  /** A stored object as the API shows it: apiVersion/kind first, plus the strategy's computed fields. */
  present(obj: StoredValue): KubeObject {
    const out = this.withTypeMeta(obj);
    this.def.strategy.decorate?.(out as KubeObject);
    return out;
  }

  private withTypeMeta(obj: StoredValue): KubeObject {
    const { apiVersion: _a, kind: _k, ...rest } = obj;
    return { apiVersion: this.apiVersion, kind: this.def.kind, ...rest } as KubeObject;
  }

  selectableFieldNames(): string[] {
    return selectableFieldNames(this);
  }

  list(namespace: string | undefined, opts: RegistryListOptions): Promise<ObjectList> {
    return listObjects(this, namespace, opts);
  }

  watch(namespace: string | undefined, opts: RegistryListOptions, sink: WatchSink): Promise<WatchHandle> {
    return startWatch(this, namespace, opts, sink);
  }

  /**
   * Stored objects are written in their API form (apiVersion, kind, then the rest), so for kinds with
   * no computed fields the stored text is the response.
   */
  async getJSON(namespace: string | undefined, name: string): Promise<string | undefined> {
    if (this.def.strategy.decorate || !this.storage.getJSON) return undefined;
    const found = await this.storage.getJSON(this.key(namespace, name));
    if (!found) throw notFound(this.gr, name);
    return found.json.startsWith(this.typeMetaPrefix) ? found.json : undefined;
  }

  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const found = await this.storage.get(this.key(namespace, name));
    if (!found) throw notFound(this.gr, name);
    return this.present(found.object);
  }

  // ---- create ------------------------------------------------------------------------------

  async create(namespace: string | undefined, body: KubeObject, opts: WriteOptions): Promise<WriteResult> {
    const obj = structuredClone(body) as KubeObject;
    if (obj.metadata?.resourceVersion) throw rawInternal('resourceVersion should not be set on objects to be created');
    const warnings = await this.prepareCreate(namespace, obj, opts);
    const wantsGeneratedName = !obj.metadata.name && !!obj.metadata.generateName;
    for (let attempt = 0; ; attempt++) {
      if (wantsGeneratedName) obj.metadata.name = generateName(obj.metadata.generateName!, this.random);
      await this.validateCreate(obj, opts.ctx);
      const key = this.key(namespace, obj.metadata.name!);
      try {
        if (opts.dryRun) {
          const existing = await this.storage.get(key);
          if (existing) throw new StorageError('KeyExists', 'exists', key);
          const out = structuredClone(obj) as KubeObject;
          delete out.metadata.resourceVersion;
          return { object: this.present(out), warnings, created: true };
        }
        const stored = await this.storage.create(key, this.withTypeMeta(obj as StoredValue) as StoredValue);
        return { object: this.present(stored.object), warnings, created: true };
      } catch (err) {
        if (err instanceof StorageError && err.code === 'KeyExists') {
          if (wantsGeneratedName && attempt + 1 < MAX_GENERATED_NAME_RETRY) continue;
          if (wantsGeneratedName) throw generateNameConflict(this.gr, obj.metadata.name!);
          const existing = await this.storage.get(key);
          throw alreadyExists(this.gr, obj.metadata.name!, !!existing?.object.metadata?.['deletionTimestamp']);
        }
        throw this.translate(err, obj.metadata.name ?? '');
      }
    }
  }

  /**
   * Everything create does before the name is final: metadata, status reset, strategy, managedFields
   * (kept as they are when server-side apply computed them).
   */
  private async prepareCreate(namespace: string | undefined, obj: T, opts: WriteOptions, applied = false): Promise<string[]> {
    obj.apiVersion = this.apiVersion;
    obj.kind = this.def.kind;
    obj.metadata ??= {};
    if (this.def.namespaced) obj.metadata.namespace = namespace;
    else delete obj.metadata.namespace;
    this.checkSchemaDecode(obj);
    prepareCreateMeta(obj.metadata, { now: this.now(), uid: randomUUID() });
    if (this.def.strategy.generation === 'spec') obj.metadata.generation = 1;
    else delete obj.metadata.generation;
    if (hasStatus(this.def)) delete obj.status;
    await this.def.strategy.prepareForCreate?.(obj, opts.ctx);
    this.def.strategy.canonicalize?.(obj);
    const manager = opts.fieldManager;
    if (!applied && manager !== undefined) {
      setManagedFields(obj, updateManagedFields({
        old: undefined,
        obj,
        manager,
        apiVersion: this.apiVersion,
        time: timestamp(this.now()),
        schema: this.schema.json as FieldSchema,
      }));
    }
    dropEmptyMetaFields(obj);
    return this.def.strategy.warningsOnCreate?.(obj, opts.ctx) ?? [];
  }

  private async validateCreate(obj: T, ctx: RequestContext): Promise<void> {
    const errs: ErrorList = [
      ...validateObjectMeta(obj.metadata, { namespaced: this.def.namespaced, nameRule: this.def.strategy.nameRule }),
      ...(await this.def.strategy.validate?.(obj, ctx) ?? []),
      ...this.schemaErrors(obj, undefined),
    ];
    if (errs.length) throw invalid(this.def.group, this.def.kind, obj.metadata.name ?? '', errs);
  }

  // ---- update / patch ----------------------------------------------------------------------

  /**
   * PUT and PATCH. `subresource` is '' for the main resource or 'status'. The new object's
   * resourceVersion is a precondition; without one the strategy decides (a PATCH carries the current one).
   */
  update(
    namespace: string | undefined,
    name: string,
    objInfo: UpdatedObjectInfo,
    opts: WriteOptions,
    extra: UpdateExtra,
  ): Promise<WriteResult> {
    return this.runUpdate(namespace, name, objInfo, opts, extra);
  }

  private async runUpdate(
    namespace: string | undefined,
    name: string,
    makeObject: UpdatedObjectInfo,
    opts: WriteOptions,
    { subresource, isPatch, apply = false }: UpdateExtra,
  ): Promise<WriteResult> {
    const key = this.key(namespace, name);
    const planFor = async (current: Versioned | undefined): Promise<UpdatePlan> => {
      if (!current) {
        const createsOnUpdate = apply || (!isPatch && this.def.strategy.allowCreateOnUpdate);
        if (!createsOnUpdate || subresource) throw notFound(this.gr, name);
        const obj = structuredClone(makeObject(undefined));
        obj.metadata ??= {};
        this.checkNameAndNamespace(obj, namespace, name);
        if (obj.metadata.resourceVersion) delete obj.metadata.resourceVersion;
        const warnings = await this.prepareCreate(namespace, obj, opts, apply);
        await this.validateCreate(obj, opts.ctx);
        return { action: 'create', object: obj, warnings };
      }
      const presented = this.present(current.object);
      const requested = structuredClone(makeObject(presented));
      return this.planUpdate(namespace, name, requested, current, opts, subresource, apply);
    };

    try {
      for (let attempt = 0; ; attempt++) {
        const current = await this.storage.get(key);
        const plan = await planFor(current);
        if (opts.dryRun) return this.dryRunResult(plan);
        try {
          switch (plan.action) {
            case 'unchanged':
              return { object: this.present(current!.object), warnings: [], created: false };
            case 'create': {
              const stored = await this.storage.create(key, this.withTypeMeta(plan.object as StoredValue) as StoredValue);
              return { object: this.present(stored.object), warnings: plan.warnings, created: true };
            }
            case 'write': {
              const stored = await this.storage.update(key, this.withTypeMeta(plan.object as StoredValue) as StoredValue, current!.revision);
              return { object: this.present(stored.object), warnings: plan.warnings, created: false };
            }
            case 'delete': {
              const removed = await this.storage.delete(key, current!.revision);
              const out = structuredClone(plan.object);
              out.metadata.resourceVersion = removed.object.metadata?.resourceVersion;
              return { object: this.present(out), warnings: [], created: false };
            }
          }
        } catch (err) {
          // Another writer got there first: read again and redo the plan, as GuaranteedUpdate does.
          if (err instanceof StorageError && (err.code === 'Conflict' || err.code === 'KeyExists' || err.code === 'KeyNotFound')) {
            await backoff(attempt);
            continue;
          }
          throw err;
        }
      }
    } catch (err) {
      throw this.translate(err, name);
    }
  }

  private dryRunResult(plan: UpdatePlan): WriteResult {
    switch (plan.action) {
      case 'create': {
        const out = structuredClone(plan.object);
        delete out.metadata.resourceVersion;
        return { object: this.present(out), warnings: plan.warnings, created: true };
      }
      case 'write':
        return { object: this.present(plan.object), warnings: plan.warnings, created: false };
      default:
        return { object: this.present(plan.object), warnings: [], created: false };
    }
  }

  /** One attempt of an update against the current stored object (k8s.io/apiserver rest.BeforeUpdate). */
  private async planUpdate(
    namespace: string | undefined,
    name: string,
    obj: T,
    current: Versioned,
    opts: WriteOptions,
    subresource: string,
    applied: boolean,
  ): Promise<UpdatePlan> {
    const old = this.withTypeMeta(current.object) as KubeObject;
    obj.apiVersion = this.apiVersion;
    obj.kind = this.def.kind;
    obj.metadata ??= {};
    this.checkNameAndNamespace(obj, namespace, name);
    this.checkSchemaDecode(obj);

    const rv = obj.metadata.resourceVersion;
    if (!rv) {
      if (!this.def.strategy.allowUnconditionalUpdate) {
        throw invalid(this.def.group, this.def.plural, name, [
          invalidField('metadata.resourceVersion', 0, 'must be specified for an update'),
        ]);
      }
    } else if (rv !== old.metadata.resourceVersion) {
      throw conflict(this.gr, name, OBJECT_MODIFIED);
    }
    if (obj.metadata.uid && obj.metadata.uid !== old.metadata.uid) {
      throw conflict(
        this.gr,
        name,
        `StorageError: invalid object, Code: 4, Key: ${this.key(namespace, name)}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${obj.metadata.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }

    let next: T;
    if (subresource === 'status') {
      // Only status (and the request's managedFields are ignored) comes from a /status write.
      next = structuredClone(old);
      if (obj.status === undefined) delete next.status;
      else next.status = obj.status;
      // Server-side apply computed the managedFields of this write already.
      if (applied) setManagedFields(next, obj.metadata.managedFields);
      await this.def.strategy.prepareForStatusUpdate?.(next, old, opts.ctx);
    } else {
      next = obj;
      prepareUpdateMeta(next.metadata, old.metadata);
      if (hasStatus(this.def)) {
        if (old.status === undefined) delete next.status;
        else next.status = structuredClone(old.status);
      }
      await this.def.strategy.prepareForUpdate?.(next, old, opts.ctx);
    }
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    if (this.def.strategy.generation === 'spec' && specChanged(next, old, hasStatus(this.def))) {
      next.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
    this.def.strategy.canonicalize?.(next);

    const errs: ErrorList = [
      ...validateObjectMetaUpdate(next.metadata, old.metadata),
      ...validateObjectMeta(next.metadata, { namespaced: this.def.namespaced, nameRule: this.def.strategy.nameRule }),
      ...(subresource === 'status'
        ? ((await this.def.strategy.validateStatusUpdate?.(next, old, opts.ctx)) ?? [])
        : ((await this.def.strategy.validateUpdate?.(next, old, opts.ctx)) ?? [])),
      ...this.schemaErrors(next, old),
    ];
    if (errs.length) throw invalid(this.def.group, this.def.kind, name, errs);

    const manager = opts.fieldManager;
    if (manager === undefined && !applied) {
      // A write from inside the server: ownership stays as it was.
      setManagedFields(next, old.metadata.managedFields);
    } else if (manager !== undefined && !applied) {
      setManagedFields(next, updateManagedFields({
        old,
        obj: next,
        manager,
        apiVersion: this.apiVersion,
        subresource,
        time: timestamp(this.now()),
        schema: this.schema.json as FieldSchema,
      }));
    }

    dropEmptyMetaFields(next);
    if (isDeepStrictEqual(next, old)) return { action: 'unchanged', object: old };
    if (old.metadata.deletionTimestamp && !(next.metadata.finalizers?.length)) {
      return { action: 'delete', object: next };
    }
    const warnings = this.def.strategy.warningsOnUpdate?.(next, old, opts.ctx) ?? [];
    return { action: 'write', object: next, warnings };
  }

  private checkNameAndNamespace(obj: KubeObject, namespace: string | undefined, name: string): void {
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    if (this.def.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = namespace;
    } else {
      delete obj.metadata.namespace;
    }
  }

  // ---- delete ------------------------------------------------------------------------------

  async delete(namespace: string | undefined, name: string, options: DeleteOptions, dryRun: boolean): Promise<DeleteResult> {
    const key = this.key(namespace, name);
    try {
      for (;;) {
        const current = await this.storage.get(key);
        if (!current) throw notFound(this.gr, name);
        const obj = this.withTypeMeta(current.object);
        this.checkPreconditions(key, obj, options);
        const finalizers = nextFinalizers(obj.metadata.finalizers ?? [], options);
        if (finalizers.length > 0) {
          {
            const terminating = structuredClone(obj);
            if (finalizers.length) terminating.metadata.finalizers = finalizers;
            else delete terminating.metadata.finalizers;
            if (!terminating.metadata.deletionTimestamp) {
              terminating.metadata.deletionTimestamp = timestamp(this.now());
              terminating.metadata.deletionGracePeriodSeconds = 0;
              if ((terminating.metadata.generation ?? 0) > 0) terminating.metadata.generation! += 1;
            }
            if (isDeepStrictEqual(terminating, obj)) return { kind: 'object', object: this.present(obj) };
            if (dryRun) return { kind: 'object', object: this.present(terminating) };
            try {
              const stored = await this.storage.update(key, terminating as StoredValue, current.revision);
              return { kind: 'object', object: this.present(stored.object) };
            } catch (err) {
              if (err instanceof StorageError && err.code === 'Conflict') continue;
              throw err;
            }
          }
        }
        if (dryRun) return { kind: 'status', status: this.deletedStatus(obj), object: this.present(obj) };
        try {
          const removed = await this.storage.delete(key, current.revision);
          const last = this.present(removed.object);
          return { kind: 'status', status: this.deletedStatus(last), object: last };
        } catch (err) {
          if (err instanceof StorageError && err.code === 'Conflict') continue;
          throw err;
        }
      }
    } catch (err) {
      throw this.translate(err, name);
    }
  }

  private checkPreconditions(key: string, obj: KubeObject, options: DeleteOptions): void {
    const p = options.preconditions;
    if (!p) return;
    if (p.uid && p.uid !== obj.metadata.uid) {
      throw conflict(
        this.gr,
        obj.metadata.name ?? '',
        `StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${obj.metadata.uid}`,
      );
    }
    if (p.resourceVersion && p.resourceVersion !== obj.metadata.resourceVersion) {
      throw conflict(
        this.gr,
        obj.metadata.name ?? '',
        `StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
      );
    }
  }

  deletedStatus(obj: KubeObject): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: obj.metadata.name, group: this.def.group, kind: this.def.plural, uid: obj.metadata.uid },
    };
  }

  // ---- validation helpers --------------------------------------------------------------------

  /** Typed kinds: a JSON type that cannot be decoded is a 400, as the Go decoder reports it. */
  private checkSchemaDecode(obj: T): void {
    if (this.def.validation !== 'typed') return;
    const { decodeError } = this.schema.validator.validate(obj);
    if (decodeError) {
      throw badRequest(`${this.def.kind} in version "${this.def.version}" cannot be handled as a ${this.def.kind}: ${decodeError}`);
    }
  }

  /** CRD kinds: schema and CEL violations are field errors (with ratcheting against `old`). */
  private schemaErrors(obj: T, old: T | undefined): ErrorList {
    if (this.def.validation !== 'crd') return [];
    return this.schema.validator.validate(stripServerFields(obj), old ? stripServerFields(old) : undefined).errors;
  }

  translate(err: unknown, name: string): unknown {
    if (err instanceof StorageError) return storageErrorToStatus(err, this.gr, name);
    return err;
  }
}

function setManagedFields(obj: KubeObject, entries: KubeObject['metadata']['managedFields'] | undefined): void {
  if (entries === undefined) delete obj.metadata.managedFields;
  else obj.metadata.managedFields = entries;
}

/** ObjectMeta is a Go struct with omitempty on these fields: empty lists and maps are not stored. */
const OMIT_EMPTY_META = ['labels', 'annotations', 'finalizers', 'ownerReferences', 'managedFields'] as const;

function dropEmptyMetaFields(obj: KubeObject): void {
  const meta = obj.metadata as Record<string, unknown>;
  for (const k of OMIT_EMPTY_META) {
    const v = meta[k];
    if (v === null || (Array.isArray(v) && v.length === 0) || (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) {
      delete meta[k];
    }
  }
}

/** Short, growing pauses between optimistic-concurrency retries, so a pending write can land. */
function backoff(attempt: number): Promise<void> {
  if (attempt === 0) return new Promise((r) => setImmediate(r));
  return new Promise((r) => setTimeout(r, Math.min(2 ** (attempt - 1), 10)));
}

/** True when anything outside metadata (and outside status when it is a subresource) differs. */
export function specChanged(next: KubeObject, old: KubeObject, statusIsSubresource: boolean): boolean {
  const pick = (o: KubeObject) => {
    const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = o;
    if (statusIsSubresource) delete (rest as Record<string, unknown>).status;
    return rest;
  };
  return !isDeepStrictEqual(pick(next), pick(old));
}

/** Orphan/Foreground bookkeeping of the GC finalizers (store.go deletionFinalizersForGarbageCollection). */
export function nextFinalizers(current: string[], options: DeleteOptions): string[] {
  let orphan: boolean | undefined;
  let foreground = false;
  if (options.propagationPolicy === 'Orphan' || options.orphanDependents === true) orphan = true;
  else if (options.propagationPolicy === 'Foreground') foreground = true;
  else if (options.propagationPolicy === 'Background' || options.orphanDependents === false) orphan = false;
  if (orphan === undefined && !foreground) return current;
  const rest = current.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
  if (orphan) return [...rest, 'orphan'];
  if (foreground) return [...rest, 'foregroundDeletion'];
  return rest;
}

/** Schema validation sees what a client wrote, not server-managed metadata. */
function stripServerFields(obj: KubeObject): KubeObject {
  const { metadata: _m, ...rest } = obj;
  return { ...rest, metadata: {} } as KubeObject;
}

export { StatusError };
