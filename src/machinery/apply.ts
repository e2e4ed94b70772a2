// Server-side apply (application/apply-patch+yaml) as a pure function: merges an applied configuration
// into the live object and computes the managedFields kube-apiserver stores, or fails with its 409.
// Ports the apply path of k8s.io/apimachinery pkg/util/managedfields/internal (versioncheck.go,
// lastappliedupdater.go, lastappliedmanager.go, skipnonapplied.go, managedfieldsupdater.go, stripmeta.go,
// structuredmerge.go) over sigs.k8s.io/structured-merge-diff merge/update.go (Apply, prune, update).
import { isDeepStrictEqual } from 'node:util';
import { badRequest, rawInternal } from './errors.js';
import {
  compareObjects,
  decodeManagedFields,
  difference,
  emptyFieldSet,
  encodeManagedFields,
  FieldPathError,
  fieldSetFromFieldsV1,
  intersection,
  isEmptyFieldSet,
  managerIdentifier,
  recursiveDifference,
  stripSystemFields,
  toFieldSet,
  union,
  updateManagedFields,
  type FieldSchema,
  type FieldSet,
  type FieldsV1,
  type Managed,
} from './managed-fields.js';
import type { KubeObject, ManagedFieldsEntry } from './object.js';
import { isPlainObject, ListItemError } from './apply-schema.js';
import { ensureNamedFieldsAreMembers, mergeValues, removeItems, restoreFields } from './apply-typed.js';
import { typedErrors, typedErrorsMessage } from './apply-validate.js';
import { ApplyConflicts, conflictError, conflictsFromManagers, hasPath } from './apply-conflicts.js';
import { allowedConflictsFromLastApplied, buildLastApplied, KUBECTL_MANAGER, LAST_APPLIED_ANNOTATION, lastAppliedOf } from './last-applied.js';

/** The manager that takes over the fields of an object nobody tracked before its first apply. */
export const BEFORE_FIRST_APPLY = 'before-first-apply';

export interface ApplyInput {
  /** The stored object as the API shows it; undefined when the apply creates it. */
  live: KubeObject | undefined;
  /** The decoded request body. */
  applied: object;
  manager: string;
  force: boolean;
  /** The endpoint's group/version, e.g. `image.openshift.io/v1`. */
  apiVersion: string;
  /** '' for the main resource, or e.g. 'status'. */
  subresource: string;
  /** Now, as timestamp() renders it. */
  time: string;
  /** The kind's JSON Schema. */
  schema: object;
  /** The endpoint's Kind: when given, a body of another apiVersion/kind is rejected first (versioncheck.go). */
  kind?: string;
  /**
   * Fields the endpoint's strategy resets, which an apply through it never sets nor owns. Defaults to
   * `spec` on /status and nothing elsewhere; pass `{"f:status":{}}` for a main resource with a status subresource.
   */
  resetFields?: FieldsV1;
}

export interface ApplyResult {
  /** The object to store, carrying `managedFields`. Equal to `live` (but for managedFields) when nothing changed. */
  object: KubeObject;
  managedFields: ManagedFieldsEntry[] | undefined;
}

/**
 * Applies `applied` as the complete intent of `manager`. Throws the 409 Conflict kube-apiserver sends when
 * another manager owns a field the configuration sets to another value (unless `force`), and 400 for a
 * body that is not a typed object of this kind.
 */
export function applyConfiguration(input: ApplyInput): ApplyResult {
  const schema = input.schema as FieldSchema;
  const config = isPlainObject(input.applied) ? input.applied : {};
  checkAppliedObject(config, input);
  const errs = typedErrors(config, schema);
  if (errs.length > 0) throw badRequest(`failed to create typed patch object (${objectGVKNN(config)}): ${typedErrorsMessage(errs)}`);

  const live = input.live ? (withoutManagedFields(input.live) as Record<string, unknown>) : undefined;
  try {
    const attempt: Attempt = {
      live,
      config,
      managed: liveManagers(input, live),
      managerId: managerIdentifier({ manager: input.manager, operation: 'Apply', subresource: input.subresource }),
      apiVersion: input.apiVersion,
      schema,
      reset: resetSet(input),
      time: input.time,
    };
    const outcome = applyWithLastAppliedRule(attempt, input);
    return finish(outcome, config, input);
  } catch (err) {
    if (err instanceof FieldPathError || err instanceof ListItemError) {
      throw rawInternal(`failed to create typed live object (${objectGVKNN(input.live ?? config)}): ${err.message}`);
    }
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Request checks (versioncheck.go, structuredmerge.go)

function parseGroupVersion(apiVersion: unknown): { group: string; version: string } {
  const text = typeof apiVersion === 'string' ? apiVersion : '';
  const parts = text === '' ? [] : text.split('/');
  if (parts.length === 1) return { group: '', version: parts[0] };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  // ParseGroupVersion fails and the object reports an empty GroupVersionKind.
  return { group: '', version: '' };
}

const stringField = (obj: Record<string, unknown>, key: string) => (typeof obj[key] === 'string' ? (obj[key] as string) : '');

function gvkOf(obj: Record<string, unknown>): string {
  const { group, version } = parseGroupVersion(obj.apiVersion);
  return `${group}/${version}, Kind=${stringField(obj, 'kind')}`;
}

const gvString = (gv: { group: string; version: string }) => (gv.group ? `${gv.group}/${gv.version}` : gv.version);

/** `namespace/name; group/version, Kind=Kind`, as errors about an object name it. */
function objectGVKNN(obj: Record<string, unknown>): string {
  const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
  return `${stringField(meta, 'namespace')}/${stringField(meta, 'name')}; ${gvkOf(obj)}`;
}

function checkAppliedObject(config: Record<string, unknown>, input: ApplyInput): void {
  const expected = parseGroupVersion(input.apiVersion);
  if (input.kind !== undefined && gvkOf(config) !== `${expected.group}/${expected.version}, Kind=${input.kind}`) {
    throw badRequest(`invalid object type: ${gvkOf(config)}`);
  }
  const specified = parseGroupVersion(config.apiVersion);
  if (specified.group !== expected.group || specified.version !== expected.version) {
    throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${gvString(specified)}, expected: ${gvString(expected)}`);
  }
  if (isPlainObject(config.metadata) && Array.isArray(config.metadata.managedFields)) {
    throw badRequest('metadata.managedFields must be nil');
  }
}

// ---------------------------------------------------------------------------------------------
// Managers

function withoutManagedFields(obj: KubeObject): unknown {
  if (!isPlainObject(obj.metadata) || !Object.hasOwn(obj.metadata, 'managedFields')) return obj;
  const { managedFields: _, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** The live managers; an object nobody tracked first gets its fields recorded as `before-first-apply` (skipnonapplied.go). */
function liveManagers(input: ApplyInput, live: Record<string, unknown> | undefined): Managed {
  if (!input.live || !live) return new Map();
  const managed = decodeManagedFields(input.live.metadata.managedFields);
  if (!managed) throw rawInternal('failed to decode managed fields: metadata.managedFields cannot be read as FieldsV1 entries');
  if (managed.size > 0) return managed;
  const entries = updateManagedFields({
    obj: live as KubeObject,
    manager: BEFORE_FIRST_APPLY,
    apiVersion: input.apiVersion,
    subresource: input.subresource,
    time: input.time,
    schema: input.schema as FieldSchema,
  });
  return decodeManagedFields(entries) ?? new Map();
}

function resetSet(input: ApplyInput): FieldSet | undefined {
  const fields = input.resetFields ?? (input.subresource === 'status' ? { 'f:spec': {} } : undefined);
  if (!fields) return undefined;
  const set = fieldSetFromFieldsV1(fields);
  return isEmptyFieldSet(set) ? undefined : set;
}

// ---------------------------------------------------------------------------------------------
// One apply (merge.Updater.Apply)

interface Attempt {
  live: Record<string, unknown> | undefined;
  config: Record<string, unknown>;
  managed: Managed;
  managerId: string;
  apiVersion: string;
  schema: FieldSchema;
  reset: FieldSet | undefined;
  time: string;
}

interface Outcome {
  object: unknown;
  managed: Managed;
}

/** kubectl taking over from client-side apply: conflicts on fields its annotation records are forced. */
function applyWithLastAppliedRule(attempt: Attempt, input: ApplyInput): Outcome {
  try {
    return applyOnce(attempt, input.force);
  } catch (err) {
    if (!(err instanceof ApplyConflicts) || input.manager !== KUBECTL_MANAGER) throw conflictOr(err);
    const allowed = allowedConflictsFromLastApplied(input.live, input.apiVersion, attempt.schema);
    if (!allowed) throw conflictError(err.conflicts);
    const remaining = err.conflicts.filter((c) => !hasPath(allowed, c.path));
    if (remaining.length > 0) throw conflictError(remaining);
    return applyOnce(attempt, true);
  }
}

const conflictOr = (err: unknown) => (err instanceof ApplyConflicts ? conflictError(err.conflicts) : err);

function applyOnce(a: Attempt, force: boolean): Outcome {
  const live = a.live ?? {};
  let merged: unknown = mergeValues(live, a.config, a.schema) ?? {};
  if (a.reset) merged = restoreFields(merged, live, a.reset);

  const last = a.managed.get(a.managerId);
  let set = toFieldSet(a.config, a.schema);
  if (a.reset) set = recursiveDifference(set, a.reset);
  const managers: Managed = new Map(a.managed);
  managers.set(a.managerId, { set, apiVersion: a.apiVersion, applied: true });

  const next = prune(merged, managers, last?.set, a.schema);
  settleOtherManagers(live, next, managers, a, force);

  // managedfieldsupdater.go: only a manager that changed the object gets a new time.
  const changed = a.live === undefined || !isDeepStrictEqual(live, next);
  const owned = stripSystemFields(set);
  if (isEmptyFieldSet(owned)) managers.delete(a.managerId);
  else {
    const time = changed ? a.time : last?.time;
    managers.set(a.managerId, { set: owned, apiVersion: a.apiVersion, applied: true, ...(time ? { time } : {}) });
  }
  return { object: changed ? next : live, managed: managers };
}

/**
 * Removes what the applier owned last time but no longer applies, unless another manager (or the new
 * configuration) owns it; items the applier never owned stay (prune, addBackOwnedItems, addBackDanglingItems).
 */
function prune(merged: unknown, managers: Managed, lastSet: FieldSet | undefined, schema: FieldSchema): unknown {
  if (!lastSet || isEmptyFieldSet(lastSet)) return merged;
  const complete = (s: FieldSet) => ensureNamedFieldsAreMembers(s, schema);
  const fieldsOf = (v: unknown) => complete(toFieldSet(v, schema));
  const last = complete(lastSet);
  const mergedSet = fieldsOf(merged);
  let owned = emptyFieldSet();
  for (const m of managers.values()) owned = union(owned, m.set);
  const withoutLast = removeItems(merged, last, schema);
  const ownedBack = removeItems(merged, difference(mergedSet, union(fieldsOf(withoutLast), complete(owned))), schema);
  return removeItems(merged, intersection(difference(mergedSet, fieldsOf(ownedBack)), last), schema);
}

/**
 * Other managers lose what the apply removed; a field they own that the apply changes is a conflict, or
 * with force moves to the applier (merge.Updater.update).
 */
function settleOtherManagers(live: unknown, next: unknown, managers: Managed, a: Attempt, force: boolean): void {
  let { added, modified, removed } = compareObjects(live, next, a.schema);
  if (a.reset) {
    added = recursiveDifference(added, a.reset);
    modified = recursiveDifference(modified, a.reset);
    removed = recursiveDifference(removed, a.reset);
  }
  const changed = union(modified, added);
  const conflicts = new Map<string, FieldSet>();
  for (const [id, m] of managers) {
    if (id === a.managerId) continue;
    const owned = intersection(m.set, changed);
    if (!isEmptyFieldSet(owned)) conflicts.set(id, owned);
  }
  if (!force && conflicts.size > 0) throw new ApplyConflicts(conflictsFromManagers(conflicts));
  for (const [id, m] of [...managers]) {
    if (id === a.managerId) continue;
    let set = m.set;
    const lost = conflicts.get(id);
    if (lost) set = difference(set, lost);
    if (!isEmptyFieldSet(removed)) set = difference(set, removed);
    if (isEmptyFieldSet(set)) managers.delete(id);
    else managers.set(id, { ...m, set });
  }
}

// ---------------------------------------------------------------------------------------------
// Result

function finish(outcome: Outcome, config: Record<string, unknown>, input: ApplyInput): ApplyResult {
  const object = structuredClone(outcome.object) as KubeObject;
  if (!isPlainObject(object.metadata)) object.metadata = {};
  // lastappliedupdater.go: kubectl's applies keep an existing annotation in step with what they applied.
  if (input.manager === KUBECTL_MANAGER && lastAppliedOf(object) !== undefined) {
    object.metadata.annotations = { ...object.metadata.annotations, [LAST_APPLIED_ANNOTATION]: buildLastApplied(config) };
  }
  const managedFields = encodeManagedFields(outcome.managed);
  if (managedFields) object.metadata.managedFields = managedFields;
  else delete object.metadata.managedFields;
  return { object, managedFields };
}
