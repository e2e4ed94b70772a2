// metadata.managedFields: field sets in the FieldsV1 format and the bookkeeping kube-apiserver does for
// non-apply writes (create, update, non-apply patch). Ports the semantics of sigs.k8s.io/structured-merge-diff
// (fieldpath.Set, typed.ToFieldSet, typed.Compare, merge.Updater.Update) and of k8s.io/apimachinery
// pkg/util/managedfields/internal (decode/encode, strip meta, managed-fields updater, cap managers,
// reset rules). Server-side apply builds on the exported set operations.
import { timestamp, type KubeObject, type ManagedFieldsEntry } from './object.js';
import {
  asSchema,
  canonicalJson,
  childSchema,
  comparePathElements,
  fieldElement,
  isPlainObject,
  listShape,
  mapIsAtomic,
  resolveSchema,
  type ListShape,
} from './apply-schema.js';

/** The wire form of a field set: `f:<field>`, `k:<key fields>`, `v:<value>`, `i:<index>`, `"."`. */
export type FieldsV1 = Record<string, unknown>;

/** A set of field paths as a tree. `member` says the path ending at this node is in the set. */
export interface FieldSet {
  readonly member: boolean;
  readonly children: ReadonlyMap<string, FieldSet>;
}

/** The parts of a JSON Schema (OpenAPI v3 / TypeBox) that decide how fields are tracked. */
export type FieldSchema = { readonly [key: string]: unknown };

/** The shape is invalid for field tracking (e.g. a map-list element without its key). Upstream keeps the stored managedFields then. */
export class FieldPathError extends Error {}

// ---------------------------------------------------------------------------------------------
// Set algebra (fieldpath.Set). Every operation returns new nodes and leaves its inputs untouched.

const EMPTY: FieldSet = { member: false, children: new Map() };

export const emptyFieldSet = (): FieldSet => EMPTY;
export const isEmptyFieldSet = (s: FieldSet): boolean => s.children.size === 0;

export function union(a: FieldSet, b: FieldSet): FieldSet {
  if (b.children.size === 0) return { member: a.member || b.member, children: a.children };
  const children = new Map(a.children);
  for (const [k, bc] of b.children) {
    const ac = children.get(k);
    children.set(k, ac ? union(ac, bc) : bc);
  }
  return { member: a.member || b.member, children };
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const children = new Map<string, FieldSet>();
  for (const [k, ac] of a.children) {
    const bc = b.children.get(k);
    if (!bc) continue;
    const node = intersection(ac, bc);
    if (node.member || node.children.size > 0) children.set(k, node);
  }
  return { member: a.member && b.member, children };
}

function differenceNode(a: FieldSet, b: FieldSet | undefined, recursive: boolean): FieldSet | undefined {
  if (!b) return a;
  const children = new Map<string, FieldSet>();
  for (const [k, ac] of a.children) {
    const bc = b.children.get(k);
    // RecursiveDifference drops everything below a path the other set owns.
    if (recursive && bc?.member) continue;
    const node = differenceNode(ac, bc, recursive);
    if (node) children.set(k, node);
  }
  const member = a.member && !b.member;
  return member || children.size > 0 ? { member, children } : undefined;
}

/** Paths of `a` that are not in `b` (descendants of a path in `b` stay). */
export const difference = (a: FieldSet, b: FieldSet): FieldSet => ({ member: false, children: differenceNode(a, b, false)?.children ?? new Map() });

/** Paths of `a` that are neither in `b` nor below a path in `b`. */
export const recursiveDifference = (a: FieldSet, b: FieldSet): FieldSet => ({
  member: false,
  children: differenceNode(a, b, true)?.children ?? new Map(),
});

interface MutableFieldSet {
  member: boolean;
  children: Map<string, MutableFieldSet>;
}

const newNode = (): MutableFieldSet => ({ member: false, children: new Map() });

function insert(root: MutableFieldSet, path: readonly string[]): void {
  if (path.length === 0) return; // the object itself is never a tracked field
  let node = root;
  for (const pe of path) {
    let next = node.children.get(pe);
    if (!next) {
      next = newNode();
      node.children.set(pe, next);
    }
    node = next;
  }
  node.member = true;
}

/** A set of plain field paths, e.g. `[['status']]` for the fields a subresource resets. */
export function fieldSetOfPaths(paths: readonly (readonly string[])[]): FieldSet {
  const root = newNode();
  for (const p of paths) insert(root, p.map(fieldElement));
  return root;
}

// ---------------------------------------------------------------------------------------------
// Path elements and the FieldsV1 encoding (fieldpath/serialize.go, serialize-pe.go).

const keyElement = (fields: Record<string, unknown>) => `k:${canonicalJson(fields)}`;
const valueElement = (v: unknown) => `v:${canonicalJson(v)}`;

/** Normalizes a FieldsV1 key; undefined for prefixes this version does not know (dropped, as upstream does). */
function parsePathElement(key: string): string | undefined {
  if (key.length < 2) throw new FieldPathError(`key must be 2 characters long: ${JSON.stringify(key)}`);
  const prefix = key.slice(0, 2);
  const rest = key.slice(2);
  if (rest.length < 1) throw new FieldPathError(`value must be at least 1 character long: ${JSON.stringify(key)}`);
  switch (prefix) {
    case 'f:':
      return key;
    case 'v:':
      return valueElement(parseJson(rest));
    case 'k:': {
      const fields = parseJson(rest);
      if (!isPlainObject(fields)) throw new FieldPathError(`key fields must be a JSON object: ${JSON.stringify(key)}`);
      return keyElement(fields);
    }
    case 'i:':
      if (!/^[+-]?\d+$/.test(rest)) throw new FieldPathError(`invalid index: ${JSON.stringify(key)}`);
      return `i:${Number.parseInt(rest, 10)}`;
    default:
      return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FieldPathError(`invalid JSON in path element: ${(e as Error).message}`);
  }
}

/** fieldpath.readIterV1: `{}` and `{".":{}}` mark a member; a node whose keys are all unknown counts as a leaf. */
function readFields(fields: unknown): { children?: Map<string, FieldSet>; member: boolean } {
  if (!isPlainObject(fields)) throw new FieldPathError('FieldsV1 nodes must be JSON objects');
  let member = false;
  let children: Map<string, FieldSet> | undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (key === '.') {
      member = true;
      continue;
    }
    const pe = parsePathElement(key);
    if (pe === undefined) continue;
    const child = readFields(value);
    children ??= new Map();
    const node: FieldSet = { member: child.member, children: child.children ?? new Map() };
    const existing = children.get(pe);
    children.set(pe, existing ? union(existing, node) : node);
  }
  if (!children) member = true;
  return { children, member };
}

/** Decodes FieldsV1 (throws FieldPathError when malformed). */
export function fieldSetFromFieldsV1(fields: FieldsV1 | null | undefined): FieldSet {
  if (fields === null || fields === undefined) return EMPTY;
  return { member: false, children: readFields(fields).children ?? new Map() };
}

function writeChildren(children: ReadonlyMap<string, FieldSet>, out: FieldsV1): FieldsV1 {
  for (const k of [...children.keys()].sort(comparePathElements)) {
    const node = children.get(k)!;
    const child: FieldsV1 = node.member && node.children.size > 0 ? { '.': {} } : {};
    out[k] = writeChildren(node.children, child);
  }
  return out;
}

/** Encodes a set as FieldsV1 with upstream's key order. */
export function fieldSetToFieldsV1(s: FieldSet): FieldsV1 {
  return writeChildren(s.children, {});
}

// ---------------------------------------------------------------------------------------------
// Reading the schema the way k8s.io/kube-openapi schemaconv does.

// (apply-schema.ts holds the schema walk; the Update path and server-side apply share it.)

/** The path element of one list item: `k:{…}` for map lists, `v:…` for sets. */
function listItemElement(shape: ListShape, item: unknown, itemSchema: FieldSchema | undefined, index: number): string {
  if (shape.kind === 'set') {
    if (isPlainObject(item) || Array.isArray(item)) throw new FieldPathError(`element ${index}: associative list without keys has an element that's a map or list`);
    return valueElement(item);
  }
  if (shape.kind !== 'map' || !isPlainObject(item)) throw new FieldPathError(`element ${index}: associative list with keys has an element that's not a map`);
  const props = asSchema(resolveSchema(itemSchema, item)?.properties);
  const fields: Record<string, unknown> = {};
  for (const key of shape.keys) {
    const value = Object.hasOwn(item, key) ? item[key] : asSchema(props?.[key])?.default;
    if (value === undefined) {
      throw new FieldPathError(`element ${index}: associative list with keys has an element that omits key field ${JSON.stringify(key)} (and doesn't have default value)`);
    }
    fields[key] = value;
  }
  return keyElement(fields);
}

/** Path element → item, first occurrence wins (repeated keys are ignored as upstream does). */
function indexList(list: unknown[], shape: ListShape, itemSchema: FieldSchema | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  list.forEach((item, i) => {
    const pe = listItemElement(shape, item, itemSchema, i);
    if (!out.has(pe)) out.set(pe, item);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// typed.ToFieldSet: every field and item set in an object.

function collect(value: unknown, schema: FieldSchema | undefined, path: string[], out: MutableFieldSet): void {
  const s = resolveSchema(schema, value);
  if (Array.isArray(value)) {
    const shape = listShape(s);
    if (shape.kind === 'atomic') return insert(out, path);
    const itemSchema = asSchema(s?.items);
    for (const [pe, item] of indexList(value, shape, itemSchema)) {
      collect(item, itemSchema, [...path, pe], out);
      insert(out, [...path, pe]);
    }
    return;
  }
  if (isPlainObject(value)) {
    if (mapIsAtomic(s)) return insert(out, path);
    for (const [key, child] of Object.entries(value)) {
      const c = childSchema(s, key);
      const childPath = [...path, fieldElement(key)];
      collect(child, c.schema, childPath, out);
      // Struct fields with content are implied by their children; map entries and empty values are not.
      if (child === null || (isPlainObject(child) && Object.keys(child).length === 0) || !c.declared) insert(out, childPath);
    }
    return;
  }
  insert(out, path);
}

/** The raw field set of an object (throws FieldPathError for untrackable shapes). */
export function toFieldSet(obj: unknown, schema?: FieldSchema): FieldSet {
  const root = newNode();
  collect(obj, schema, [], root);
  return root;
}

/** stripMetaManager: fields the system owns are never tracked. */
const SYSTEM_FIELDS = fieldSetOfPaths([
  ['apiVersion'],
  ['kind'],
  ['metadata'],
  ['metadata', 'name'],
  ['metadata', 'namespace'],
  ['metadata', 'creationTimestamp'],
  ['metadata', 'selfLink'],
  ['metadata', 'uid'],
  ['metadata', 'clusterName'],
  ['metadata', 'generation'],
  ['metadata', 'managedFields'],
  ['metadata', 'resourceVersion'],
]);

export const stripSystemFields = (s: FieldSet): FieldSet => difference(s, SYSTEM_FIELDS);

/** The fields set in an object as FieldsV1, without the system-owned ones (what an applier of `obj` would own). */
export function fieldSet(obj: unknown, schema?: FieldSchema): FieldsV1 {
  return fieldSetToFieldsV1(stripSystemFields(toFieldSet(obj, schema)));
}

// ---------------------------------------------------------------------------------------------
// typed.Compare: which paths an operation added, modified or removed.

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

interface CompareOut {
  added: MutableFieldSet;
  modified: MutableFieldSet;
  removed: MutableFieldSet;
}

// `undefined` is an absent field; `null` is present (and counts as an empty container).
const isEmptyList = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
const isEmptyMap = (v: unknown) => v === undefined || v === null || (isPlainObject(v) && Object.keys(v).length === 0);
const listOrNothing = (v: unknown) => v === undefined || v === null || Array.isArray(v);
const mapOrNothing = (v: unknown) => v === undefined || v === null || isPlainObject(v);

function compareLeaf(lhs: unknown, rhs: unknown, path: string[], out: CompareOut): void {
  if (lhs === undefined) insert(out.added, path);
  else if (rhs === undefined) insert(out.removed, path);
  else if (!jsonEqual(lhs, rhs)) insert(out.modified, path);
}

/** A granular list or map node itself: added or removed as a whole, never "modified". */
function compareNode(lhs: unknown, rhs: unknown, path: string[], out: CompareOut): void {
  if (lhs === undefined) insert(out.added, path);
  else if (rhs === undefined) insert(out.removed, path);
}

function compareValues(lhs: unknown, rhs: unknown, schema: FieldSchema | undefined, path: string[], out: CompareOut): void {
  const s = resolveSchema(schema, rhs !== undefined ? rhs : lhs);
  if ((Array.isArray(lhs) || Array.isArray(rhs)) && listOrNothing(lhs) && listOrNothing(rhs)) {
    const shape = listShape(s);
    // Empty on both sides stays a leaf so that [] vs null vs absent is still seen.
    if (shape.kind === 'atomic' || (isEmptyList(lhs) && isEmptyList(rhs))) return compareLeaf(lhs, rhs, path, out);
    const itemSchema = asSchema(s?.items);
    const left = indexList(Array.isArray(lhs) ? lhs : [], shape, itemSchema);
    const right = indexList(Array.isArray(rhs) ? rhs : [], shape, itemSchema);
    for (const [pe, item] of right) compareValues(left.get(pe), item, itemSchema, [...path, pe], out);
    for (const [pe, item] of left) if (!right.has(pe)) compareValues(item, undefined, itemSchema, [...path, pe], out);
    return compareNode(lhs, rhs, path, out);
  }
  if ((isPlainObject(lhs) || isPlainObject(rhs)) && mapOrNothing(lhs) && mapOrNothing(rhs)) {
    if (mapIsAtomic(s) || (isEmptyMap(lhs) && isEmptyMap(rhs))) return compareLeaf(lhs, rhs, path, out);
    const left = isPlainObject(lhs) ? lhs : {};
    const right = isPlainObject(rhs) ? rhs : {};
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
      const l = Object.hasOwn(left, key) ? left[key] : undefined;
      const r = Object.hasOwn(right, key) ? right[key] : undefined;
      compareValues(l, r, childSchema(s, key).schema, [...path, fieldElement(key)], out);
    }
    return compareNode(lhs, rhs, path, out);
  }
  compareLeaf(lhs, rhs, path, out);
}

/** Compares two versions of an object (throws FieldPathError for untrackable shapes). */
export function compareObjects(lhs: unknown, rhs: unknown, schema?: FieldSchema): Comparison {
  const out: CompareOut = { added: newNode(), modified: newNode(), removed: newNode() };
  compareValues(lhs, rhs, schema, [], out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// managedFields entries ⇄ managers (internal/managedfields.go).

export interface ManagerFields {
  set: FieldSet;
  apiVersion: string;
  applied: boolean;
  /** RFC 3339, second precision; absent when the entry had none. */
  time?: string;
}

/** Managers by identifier (the entry without time and fields, as JSON). */
export type Managed = Map<string, ManagerFields>;

/** BuildManagerIdentifier: appliers are one manager across versions, updaters are per version. */
export function managerIdentifier(e: { manager?: string; operation?: string; apiVersion?: string; subresource?: string }): string {
  const id: Record<string, string> = {};
  if (e.manager) id.manager = e.manager;
  if (e.operation) id.operation = e.operation;
  if (e.apiVersion && e.operation !== 'Apply') id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

/** DecodeManagedFields; undefined when an entry cannot be decoded. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | null | undefined): Managed | undefined {
  const managed: Managed = new Map();
  for (const e of entries ?? []) {
    if (e.operation !== 'Apply' && e.operation !== 'Update') return undefined;
    if (!e.apiVersion) return undefined;
    if (e.fieldsType !== 'FieldsV1') return undefined;
    const ms = e.time ? Date.parse(e.time) : undefined;
    if (ms !== undefined && Number.isNaN(ms)) return undefined;
    let set: FieldSet;
    try {
      set = fieldSetFromFieldsV1(e.fieldsV1);
    } catch (err) {
      if (err instanceof FieldPathError) return undefined;
      throw err;
    }
    managed.set(managerIdentifier(e), {
      set,
      apiVersion: e.apiVersion,
      applied: e.operation === 'Apply',
      ...(ms !== undefined ? { time: timestamp(new Date(ms)) } : {}),
    });
  }
  return managed;
}

const unixSeconds = (t: string | undefined) => (t ? Math.floor(Date.parse(t) / 1000) : 0);

/** encodeManagedFields: entries sorted by operation, time, manager, apiVersion, subresource; undefined when none. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  if (managed.size === 0) return undefined;
  const entries: ManagedFieldsEntry[] = [];
  for (const [id, m] of managed) {
    const ident = JSON.parse(id) as { manager?: string; operation?: 'Apply' | 'Update'; subresource?: string };
    const entry: ManagedFieldsEntry = {};
    if (ident.manager) entry.manager = ident.manager;
    entry.operation = m.applied ? 'Apply' : (ident.operation ?? 'Update');
    if (m.apiVersion) entry.apiVersion = m.apiVersion;
    if (m.time) entry.time = m.time;
    entry.fieldsType = 'FieldsV1';
    entry.fieldsV1 = fieldSetToFieldsV1(m.set);
    if (ident.subresource) entry.subresource = ident.subresource;
    entries.push(entry);
  }
  const cmp = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      unixSeconds(p.time) - unixSeconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource, q.subresource),
  );
}

// ---------------------------------------------------------------------------------------------
// Which managedFields a write starts from (fieldmanager.go decodeLiveOrNew).

/** `[]` or `[{}]` in a request clears all tracking; null/absent does not. */
export function isResetManagedFields(entries: readonly ManagedFieldsEntry[] | null | undefined): boolean {
  if (!entries) return false;
  if (entries.length === 0) return true;
  if (entries.length !== 1) return false;
  const e = entries[0] ?? {};
  return !e.manager && !e.operation && !e.apiVersion && !e.time && !e.fieldsType && (e.fieldsV1 === undefined || e.fieldsV1 === null) && !e.subresource;
}

export type ManagedFieldsSource = 'request' | 'reset' | 'stored';

/**
 * What a create/update/non-apply patch tracks from: the request's managedFields when they decode to at
 * least one entry, nothing after a reset, otherwise (absent, undecodable, or any write to a
 * subresource) the stored ones — so clients unaware of managedFields cannot wipe them.
 */
export function managedFieldsSource(requested: readonly ManagedFieldsEntry[] | null | undefined, isSubresource: boolean): ManagedFieldsSource {
  if (isSubresource) return 'stored';
  if (isResetManagedFields(requested)) return 'reset';
  return (decodeManagedFields(requested)?.size ?? 0) > 0 ? 'request' : 'stored';
}

// ---------------------------------------------------------------------------------------------
// The Update operation (structuredmerge.go + managedfieldsupdater.go + stripmeta.go + capmanagers.go).

const MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = 'ancient-changes';

/** capUpdateManagers: merges the oldest update entries, per apiVersion, into `ancient-changes`. */
function capUpdateManagers(managed: Managed): void {
  const updaters = [...managed].filter(([, m]) => !m.applied).map(([id]) => id);
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort((a, b) => unixSeconds(managed.get(a)!.time) - unixSeconds(managed.get(b)!.time) || (a < b ? -1 : a > b ? 1 : 0));
  const firstByVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > MAX_UPDATE_MANAGERS; i++) {
    const id = updaters[i];
    const m = managed.get(id);
    if (!m) continue;
    const bucket = managerIdentifier({ manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: m.apiVersion });
    const first = firstByVersion.get(m.apiVersion);
    if (first === undefined) {
      firstByVersion.set(m.apiVersion, id);
      continue;
    }
    if (!managed.has(bucket)) {
      managed.set(bucket, managed.get(first)!);
      managed.delete(first);
    }
    const merged = union(m.set, managed.get(bucket)!.set);
    managed.delete(id);
    // The bucket takes the time of the newest entry merged into it.
    managed.set(bucket, { set: merged, apiVersion: m.apiVersion, applied: false, ...(m.time ? { time: m.time } : {}) });
    length--;
  }
}

export interface ManagedFieldsUpdate {
  /** The stored object; absent for a create. */
  old?: KubeObject;
  /** The object being written, still carrying the managedFields the client sent. */
  obj: KubeObject;
  /** The field manager (see defaultFieldManager); empty means "unknown", as upstream. */
  manager: string;
  /** The request's group/version, e.g. `image.openshift.io/v1`. */
  apiVersion: string;
  /** e.g. 'status'; requests to subresources never take managedFields from the body. */
  subresource?: string;
  /** Now, as timestamp() renders it. */
  time: string;
  schema?: FieldSchema;
  /**
   * What a create is compared against: the kind's zero value as Go serializes it (typed kinds carry
   * `{}` for non-pointer struct fields such as spec), so fields at their zero value are not owned.
   * Defaults to `{}` (a CRD's empty object).
   */
  zeroObject?: unknown;
  /** Fields this endpoint resets (e.g. `{"f:status":{}}` on the main resource): never owned through it. */
  resetFields?: FieldsV1;
}

const withoutManagedFields = (o: unknown): unknown => {
  if (!isPlainObject(o) || !isPlainObject(o.metadata) || !Object.hasOwn(o.metadata, 'managedFields')) return o;
  const { managedFields: _, ...metadata } = o.metadata;
  return { ...o, metadata };
};

/**
 * The managedFields kube-apiserver stores for a non-apply write: the manager's Update entry gains the
 * fields that changed (all fields on create), other managers lose changed and removed fields, empty
 * entries disappear, at most 10 Update entries remain, and only a manager that changed something gets
 * a new time. A no-op leaves the list as it was. Undefined means the object carries no managedFields.
 */
export function updateManagedFields(u: ManagedFieldsUpdate): ManagedFieldsEntry[] | undefined {
  const subresource = u.subresource ?? '';
  const requested = u.obj.metadata.managedFields;
  const source = managedFieldsSource(requested, subresource !== '');
  const managed: Managed =
    source === 'request' ? decodeManagedFields(requested)! : source === 'reset' ? new Map() : (decodeManagedFields(u.old?.metadata.managedFields) ?? new Map());

  // skipNonAppliedManager: an update of an untracked object starts no tracking (only creates and applies do).
  if (managed.size === 0 && u.old !== undefined) return undefined;

  let cmp: Comparison;
  try {
    cmp = compareObjects(withoutManagedFields(u.old ?? u.zeroObject ?? {}), withoutManagedFields(u.obj), u.schema);
  } catch (err) {
    // UpdateNoErrors: on failure the stored managedFields are kept.
    if (err instanceof FieldPathError) return u.old?.metadata.managedFields;
    throw err;
  }
  if (u.resetFields) {
    const reset = fieldSetFromFieldsV1(u.resetFields);
    cmp = { added: recursiveDifference(cmp.added, reset), modified: recursiveDifference(cmp.modified, reset), removed: recursiveDifference(cmp.removed, reset) };
  }

  // Everyone loses what this operation changed or removed (force: updates never conflict).
  const changed = union(cmp.modified, cmp.added);
  for (const [id, m] of [...managed]) {
    const set = difference(difference(m.set, changed), cmp.removed);
    if (isEmptyFieldSet(set)) managed.delete(id);
    else managed.set(id, { ...m, set });
  }

  const gained = stripSystemFields(difference(changed, cmp.removed));
  if (!isEmptyFieldSet(gained)) {
    const id = managerIdentifier({ manager: u.manager || 'unknown', operation: 'Update', apiVersion: u.apiVersion, subresource });
    const previous = managed.get(id);
    managed.set(id, { set: previous ? union(gained, previous.set) : gained, apiVersion: u.apiVersion, applied: false, time: u.time });
  }

  capUpdateManagers(managed);
  return encodeManagedFields(managed);
}
