// Schema-driven operations on values that server-side apply needs besides field sets: merging an applied
// configuration into the live object (structured-merge-diff typed/merge.go), removing the items of a field
// set from a value (typed/remove.go), and completing a set with the struct fields above its paths
// (fieldpath.Set.EnsureNamedFieldsAreMembers). All of them leave their inputs untouched.
import type { FieldSchema, FieldSet } from './managed-fields.js';
import {
  childSchema,
  fieldElement,
  isPlainObject,
  itemsSchema,
  listBranch,
  listItemElement,
  listShape,
  mapBranch,
  mapIsAtomic,
  resolveSchema,
  type ListShape,
} from './apply-schema.js';

type Kind = 'absent' | 'null' | 'list' | 'map' | 'scalar';

function kindOf(v: unknown): Kind {
  if (v === undefined) return 'absent';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return isPlainObject(v) ? 'map' : 'scalar';
}

const leaf = (lhs: unknown, rhs: unknown) => (rhs !== undefined ? rhs : lhs);

/** Items of a granular list by path element, in list order; a repeated key keeps its first item. */
function indexItems(list: unknown, shape: ListShape, itemSchema: FieldSchema | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const item of Array.isArray(list) ? list : []) {
    const pe = listItemElement(shape, item, itemSchema);
    if (!out.has(pe)) out.set(pe, item);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Merge: the applied value wins for leaves; granular maps and lists merge member by member.

/** The value of `rhs` (the applied configuration) merged over `lhs` (the live object); undefined if neither has one. */
export function mergeValues(lhs: unknown, rhs: unknown, schema: FieldSchema | undefined): unknown {
  const rk = kindOf(rhs);
  if (rk === 'scalar') return rhs;
  // The applied side decides the shape; a live value of another shape is replaced.
  const kind = rk === 'list' || rk === 'map' ? rk : kindOf(lhs);
  const left = kindOf(lhs) === kind ? lhs : lhs === null ? null : undefined;
  const s = resolveSchema(schema, rhs !== undefined && rhs !== null ? rhs : lhs);
  if (kind === 'list') return mergeLists(left, rhs, s);
  if (kind === 'map') return mergeMaps(left, rhs, s);
  return leaf(lhs, rhs);
}

function mergeMaps(lhs: unknown, rhs: unknown, s: FieldSchema | undefined): unknown {
  const left = isPlainObject(lhs) ? lhs : {};
  const right = isPlainObject(rhs) ? rhs : {};
  // Empty (or null) on both sides stays a leaf, which keeps the {} / null distinction.
  if (mapIsAtomic(s) || (Object.keys(left).length === 0 && Object.keys(right).length === 0)) return leaf(lhs, rhs);
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    const l = Object.hasOwn(left, key) ? left[key] : undefined;
    const r = Object.hasOwn(right, key) ? right[key] : undefined;
    const merged = mergeValues(l, r, childSchema(s, key).schema);
    if (merged !== undefined) out[key] = merged;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Granular lists keep the live order for items only the live object has, and place applied items in the
 * applied order (typed/merge.go visitListItems).
 */
function mergeLists(lhs: unknown, rhs: unknown, s: FieldSchema | undefined): unknown {
  const shape = listShape(s);
  const emptyLeft = !Array.isArray(lhs) || lhs.length === 0;
  const emptyRight = !Array.isArray(rhs) || rhs.length === 0;
  if (shape.kind === 'atomic' || (emptyLeft && emptyRight)) return leaf(lhs, rhs);
  const itemSchema = itemsSchema(s);
  const left = indexItems(lhs, shape, itemSchema);
  const right = indexItems(rhs, shape, itemSchema);
  const lhsOrder = [...left.keys()];
  const rhsOrder = [...right.keys()];
  const shared = rhsOrder.filter((pe) => left.has(pe));
  let nextShared = shared.shift();
  const merged = new Set<string>();
  const out: unknown[] = [];
  const take = (l: unknown, r: unknown) => {
    const item = mergeValues(l, r, itemSchema);
    if (item !== undefined) out.push(item);
  };
  for (let li = 0, ri = 0; li < lhsOrder.length || ri < rhsOrder.length; ) {
    if (li < lhsOrder.length && ri < rhsOrder.length) {
      const pe = lhsOrder[li];
      if (pe === rhsOrder[ri]) {
        merged.add(pe);
        take(left.get(pe), right.get(pe));
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      // A shared item that the applied order wants later: it is merged when the applied side reaches it.
      if (right.has(pe) && nextShared !== undefined && nextShared !== pe) {
        li++;
        continue;
      }
    }
    if (li < lhsOrder.length) {
      const pe = lhsOrder[li];
      if (!right.has(pe)) {
        take(left.get(pe), undefined);
        li++;
        continue;
      }
      if (merged.has(pe)) {
        li++;
        continue;
      }
    }
    if (ri < rhsOrder.length) {
      const pe = rhsOrder[ri];
      merged.add(pe);
      take(left.get(pe), right.get(pe));
      ri++;
      if (nextShared === pe) nextShared = shared.shift();
    }
  }
  return out.length > 0 ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// RemoveItems: drops every field, map entry and list item whose path is in the set.

/**
 * `value` without the paths in `toRemove` (and everything below them). A granular map or list emptied by the
 * removal stays as an empty container, as a typed object would carry it.
 */
export function removeItems(value: unknown, toRemove: FieldSet, schema: FieldSchema | undefined): unknown {
  if (toRemove.children.size === 0) return value;
  const s = resolveSchema(schema, value);
  if (Array.isArray(value)) {
    const shape = listShape(s);
    if (shape.kind === 'atomic' || value.length === 0) return value;
    const itemSchema = itemsSchema(s);
    const out: unknown[] = [];
    for (const item of value) {
      const node = toRemove.children.get(listItemElement(shape, item, itemSchema));
      if (node?.member) continue;
      out.push(node ? removeItems(item, node, itemSchema) : item);
    }
    return out;
  }
  if (isPlainObject(value)) {
    if (mapIsAtomic(s)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const node = toRemove.children.get(fieldElement(key));
      if (node?.member) continue;
      out[key] = node ? removeItems(child, node, childSchema(s, key).schema) : child;
    }
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// EnsureNamedFieldsAreMembers

/**
 * `set` plus every declared struct field that has paths below it: `spec.a` owns `spec` too (a struct field),
 * while `metadata.labels.x` does not own the map entry level above it beyond `metadata.labels`.
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, schema: FieldSchema | undefined): FieldSet {
  if (set.children.size === 0) return set;
  const struct = mapBranch(schema);
  const list = listBranch(schema);
  const children = new Map<string, FieldSet>();
  for (const [pe, node] of set.children) {
    let childType: FieldSchema | undefined;
    let named = false;
    if (pe.startsWith('f:')) {
      const c = childSchema(struct, pe.slice(2));
      childType = c.schema;
      named = c.declared && node.children.size > 0;
    } else if (pe.startsWith('k:')) {
      childType = itemsSchema(list);
    }
    const completed = ensureNamedFieldsAreMembers(node, childType);
    children.set(pe, named && !completed.member ? { member: true, children: completed.children } : completed);
  }
  return { member: set.member, children };
}

// ---------------------------------------------------------------------------------------------
// Reset fields

/**
 * `value` with the fields of `reset` taken back from `live` (removed where live has none): what the
 * strategy of the endpoint does with fields it does not accept (status on the main resource, spec on
 * /status). Only field-name paths are followed.
 */
export function restoreFields(value: unknown, live: unknown, reset: FieldSet): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = { ...value };
  const from = isPlainObject(live) ? live : {};
  for (const [pe, node] of reset.children) {
    if (!pe.startsWith('f:')) continue;
    const key = pe.slice(2);
    const liveValue = Object.hasOwn(from, key) ? from[key] : undefined;
    if (node.member) {
      if (liveValue === undefined) delete out[key];
      else out[key] = liveValue;
    } else if (Object.hasOwn(out, key)) {
      out[key] = restoreFields(out[key], liveValue, node);
    }
  }
  return out;
}
