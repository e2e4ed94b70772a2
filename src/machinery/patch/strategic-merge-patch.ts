// Strategic merge patch (application/strategic-merge-patch+json), the server half of k8s.io/apimachinery
// pkg/util/strategicpatch (StrategicMergeMapPatch), written from its Go source: maps merge, `null`
// deletes, lists are replaced unless the schema marks them `x-kubernetes-patch-strategy: merge`, then
// lists of objects merge by `x-kubernetes-patch-merge-key` and lists of scalars form a union; the
// directives `$patch`, `$retainKeys`, `$deleteFromPrimitiveList/<f>` and `$setElementOrder/<f>` work as
// upstream, orderings included. The metadata comes from the kind's JSON Schema (the files under
// schemas/): `properties`, `patternProperties`, `additionalProperties`, `items`, `$ref`, and the
// `allOf`/`anyOf`/`oneOf` wrappers TypeBox emits for nullable fields. Fields the schema does not
// declare merge like plain maps, so unknown-field detection can still report them afterwards.
//
// Upstream merges in place into both documents; this port does the same on private copies, which is why
// it can also hand back the patch as upstream leaves it (kube prints that map in strict-decoding errors).
import { badRequest, rawInternal, StatusError } from '../errors.js';

type JSONMap = Record<string, unknown>;
type Schema = Readonly<Record<string, unknown>>;

const DIRECTIVE_MARKER = '$patch';
const DELETE_DIRECTIVE = 'delete';
const REPLACE_DIRECTIVE = 'replace';
const MERGE_DIRECTIVE = 'merge';
const RETAIN_KEYS_STRATEGY = 'retainKeys';
const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

const PATCH_STRATEGY = 'x-kubernetes-patch-strategy';
const PATCH_MERGE_KEY = 'x-kubernetes-patch-merge-key';

/** The strategic merge of `patch` into `original`, and what upstream's in-place merge leaves of the patch. */
export interface StrategicMergeResult {
  object: unknown;
  remainder: JSONMap;
}

/**
 * Applies a decoded strategic merge patch to `original` (a decoded object) as kube-apiserver does, with
 * the patch metadata of `schema` (a kind's JSON Schema). Neither input is modified. A `null` patch
 * changes nothing. Failures are StatusErrors with upstream's codes and texts: malformed directives
 * 400, lists of lists 422, everything else (missing merge keys, unknown `$patch` values, ...) a 500
 * carrying the Go error text, as kube-apiserver sends errors that are not API statuses.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: object): unknown {
  return strategicMergeWithRemainder(original, patch, schema).object;
}

/** `applyStrategicMergePatch`, also returning the patch as upstream's in-place merge leaves it. */
export function strategicMergeWithRemainder(original: unknown, patch: unknown, schema: object): StrategicMergeResult {
  const target = isMap(original) ? (cloneJSON(original) as JSONMap) : {};
  const remainder = isMap(patch) ? (cloneJSON(patch) as JSONMap) : {};
  const object = mergeMap(target, remainder, PatchSchema.root(schema as Schema));
  return { object, remainder };
}

// ---------------------------------------------------------------------------------------------------------
// Errors (k8s.io/apimachinery pkg/util/mergepatch, and how k8s.io/apiserver's patch handler maps them)

const badPatchFormatForPrimitiveList = () => badRequest('invalid patch format of primitive list');
const badPatchFormatForRetainKeys = () => badRequest('invalid patch format of retainKeys');
const badPatchFormatForSetElementOrderList = () => badRequest('invalid patch format of setElementOrder list');

/** ErrNoListOfLists: NewGenericServerResponse(422), whose fixed message hides the cause. */
const noListOfLists = () =>
  new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});

/** An error that is not an API status: kube-apiserver answers 500 with an empty reason and the text. */
const goError = (message: string) => rawInternal(message);

const noMergeKey = (m: JSONMap, key: string) => goError(`map: ${formatGoValue(m)} does not contain declared merge key: ${key}`);

/** ErrBadArgType: `expected a []interface {}, but received a string`. */
const badArgType = (expected: 'map' | 'slice', actual: unknown) =>
  goError(`expected a ${expected === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goTypeName(actual)}`);

const badPatchType = (directive: unknown, m: JSONMap) =>
  goError(`unknown patch type: ${formatGoString(directive)} in map: ${formatGoValue(m)}`);

/** Where upstream dereferences a nil reflect.Type (a list whose first element is null) and panics. */
const panicked = () => goError('This request caused apiserver to panic. Look in the logs for details.');

// ---------------------------------------------------------------------------------------------------------
// Maps

function mergeMap(original: JSONMap, patch: JSONMap, schema: PatchSchema): JSONMap {
  if (Object.hasOwn(patch, DIRECTIVE_MARKER)) return handleDirectiveInMergeMap(patch[DIRECTIVE_MARKER], patch);
  applyRetainKeysDirective(original, patch);
  // Lists named by `$setElementOrder/…` are merged (and removed from the patch) before the other keys.
  mergePatchIntoOriginal(original, patch, schema);

  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey];
    let key = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      isDeleteList = true;
      const stripped = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX);
      if (stripped.length > 0) key = stripped;
    }

    if (patchV === null) {
      delete original[key];
      continue;
    }
    const originalV = Object.hasOwn(original, key) ? original[key] : undefined;
    if (originalV === undefined || goType(originalV) !== goType(patchV)) {
      // A deletion list for a field that is absent (or not a list) deletes nothing.
      if (!isDeleteList) setWithoutDirectives(original, key, discardNullValues(patchV));
      continue;
    }
    if (isMap(originalV)) {
      const { schema: sub, meta } = schema.field(key);
      const strategy = otherStrategy(meta.strategies);
      setOwn(original, key, strategy === REPLACE_DIRECTIVE ? patchV : mergeMap(originalV, patchV as JSONMap, sub));
    } else if (Array.isArray(originalV)) {
      const { schema: elements, meta } = schema.listField(key);
      const strategy = otherStrategy(meta.strategies);
      setOwn(original, key, mergeSliceHandler(originalV, patchV as unknown[], elements, strategy, meta.mergeKey, isDeleteList));
    } else {
      setWithoutDirectives(original, key, patchV);
    }
  }
  return original;
}

/** `$patch` in a map: `replace` keeps the rest of the patch map as the value, `delete` empties it. */
function handleDirectiveInMergeMap(directive: unknown, patch: JSONMap): JSONMap {
  if (directive === REPLACE_DIRECTIVE) {
    delete patch[DIRECTIVE_MARKER];
    return patch;
  }
  if (directive === DELETE_DIRECTIVE) return {};
  throw badPatchType(directive, patch);
}

/**
 * `$retainKeys: [..]` drops the original's keys not listed; every key the patch sets must be listed.
 * (Upstream's apply path words a mismatch like a malformed directive, not as ErrPatchContentNotMatchRetainKeys.)
 */
function applyRetainKeysDirective(original: JSONMap, patch: JSONMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retainKeys = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retainKeys)) throw badPatchFormatForRetainKeys();
  const retained = new Set<unknown>(retainKeys);
  for (const key of Object.keys(patch)) {
    if (patch[key] === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!retained.has(key)) throw badPatchFormatForRetainKeys();
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(key)) delete original[key];
  }
}

/**
 * `$setElementOrder/<field>`: merges the field's list (if the patch has one) and orders the result:
 * the listed items in the directive's order, the server-only items woven in by their old positions.
 */
function mergePatchIntoOriginal(original: JSONMap, patch: JSONMap, schema: PatchSchema): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX) || !Object.hasOwn(patch, key)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badArgType('slice', order);
    const field = extractKey(key, SET_ELEMENT_ORDER_PREFIX);

    const foundOriginal = Object.hasOwn(original, field);
    const foundPatch = Object.hasOwn(patch, field);
    const originalList = foundOriginal ? original[field] : undefined;
    const patchList = foundPatch ? patch[field] : undefined;
    if (foundOriginal && !Array.isArray(originalList)) throw badArgType('slice', originalList);
    if (foundPatch && !Array.isArray(patchList)) throw badArgType('slice', patchList);
    const originalItems = (originalList ?? []) as unknown[];
    const patchItems = (patchList ?? []) as unknown[];

    const { schema: elements, meta } = schema.listField(field);
    const strategy = otherStrategy(meta.strategies);
    const mergeKey = meta.mergeKey;
    validatePatchWithSetOrderList(patchItems, order, mergeKey);

    let merged: unknown[];
    if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalItems, patchItems, elements, strategy, mergeKey, false);
    else if (foundPatch) merged = removeDirectives(patchItems).value as unknown[];
    else if (foundOriginal) merged = originalItems;
    else continue;

    const { present, serverOnly } = mergeKey
      ? partitionMapsByPresentInList(merged, order, mergeKey)
      : partitionPrimitivesByPresentInList(merged, order);
    const kind = sliceElementType(originalItems, patchItems);
    setOwn(original, field, normalizeElementOrder(present, serverOnly, order, originalItems, mergeKey, kind));
    delete patch[field];
  }
}

/** The items the patch lists must appear in the `$setElementOrder` list, in the same relative order. */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList).nonDelete : patchList;
  let patchIndex = 0;
  let orderIndex = 0;
  while (patchIndex < nonDelete.length && orderIndex < order.length) {
    if (containsDirectiveMarker(nonDelete[patchIndex])) {
      patchIndex++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[patchIndex], order[orderIndex], mergeKey)) patchIndex++;
    orderIndex++;
  }
  if (patchIndex < nonDelete.length && orderIndex >= order.length) {
    throw goError(
      `The order in patch list:\n${formatGoValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${formatGoValue(order)}\n`,
    );
  }
}

/** `<prefix>/<field>` → `<field>`; anything else is a malformed directive (400). */
function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX ? badPatchFormatForPrimitiveList() : badPatchFormatForSetElementOrderList();
  }
  return key.slice(slash + 1);
}

/** A field's strategies (`merge,retainKeys`): retainKeys only matters for the `$retainKeys` directive. */
function otherStrategy(strategies: string[]): string {
  if (strategies.length <= 1) return strategies[0] === RETAIN_KEYS_STRATEGY ? '' : (strategies[0] ?? '');
  if (strategies.length === 2) {
    if (strategies[0] === RETAIN_KEYS_STRATEGY) return strategies[1];
    if (strategies[1] === RETAIN_KEYS_STRATEGY) return strategies[0];
  }
  throw goError(`unexpected patch strategy: ${formatGoValue(strategies)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Lists

function mergeSliceHandler(
  original: unknown[],
  patch: unknown[],
  elements: PatchSchema,
  strategy: string,
  mergeKey: string,
  isDeleteList: boolean,
): unknown[] {
  // A deletion list applies whatever the field's strategy is; other lists without `merge` are replaced.
  if (strategy === MERGE_DIRECTIVE || isDeleteList) return mergeSlice(original, patch, elements, mergeKey, isDeleteList);
  return patch;
}

function mergeSlice(original: unknown[], patch: unknown[], elements: PatchSchema, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementType(original, patch);
  let merged: unknown[];
  let base = original;
  let additions = patch;
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw goError(`cannot merge lists without merge key for ${elements.kindName()}`);
    ({ original: base, patch: additions } = mergeSliceWithSpecialElements(original, patch, mergeKey));
    merged = mergeSliceWithoutSpecialElements(base, additions, mergeKey, elements);
  }
  const { present, serverOnly } = mergeKey
    ? partitionMapsByPresentInList(merged, additions, mergeKey)
    : partitionPrimitivesByPresentInList(merged, additions);
  return normalizeElementOrder(present, serverOnly, additions, base, mergeKey, kind);
}

/** Items carrying `$patch`: `delete` removes every original item with that key, `replace` drops the original list. */
function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): { original: unknown[]; patch: unknown[] } {
  const plain: unknown[] = [];
  let replace = false;
  let remaining = original;
  for (const item of patch) {
    const m = item as JSONMap;
    if (!Object.hasOwn(m, DIRECTIVE_MARKER)) {
      plain.push(item);
      continue;
    }
    const directive = m[DIRECTIVE_MARKER];
    if (directive === DELETE_DIRECTIVE) {
      if (!Object.hasOwn(m, mergeKey)) throw noMergeKey(m, mergeKey);
      remaining = deleteMatchingEntries(remaining, mergeKey, m[mergeKey]);
    } else if (directive === REPLACE_DIRECTIVE) {
      // Keep going: the other `$patch` items still have to be taken out of the patch.
      replace = true;
    } else if (directive === MERGE_DIRECTIVE) {
      throw goError('merging lists cannot yet be specified in the patch');
    } else {
      throw badPatchType(directive, m);
    }
  }
  return replace ? { original: plain, patch: [] } : { original: remaining, patch: plain };
}

function deleteMatchingEntries(original: unknown[], mergeKey: string, value: unknown): unknown[] {
  let list = original;
  for (;;) {
    const found = findMapInSliceBasedOnKeyValue(list, mergeKey, value);
    if (!found) return list;
    list = [...list.slice(0, found.index), ...list.slice(found.index + 1)];
  }
}

/** Patch items merge into the original item with the same key; new keys are added to the list. */
function mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, elements: PatchSchema): unknown[] {
  const merged = [...original];
  for (const item of patch) {
    const m = item as JSONMap;
    if (!Object.hasOwn(m, mergeKey)) throw noMergeKey(m, mergeKey);
    const found = findMapInSliceBasedOnKeyValue(merged, mergeKey, m[mergeKey]);
    if (found) merged[found.index] = mergeMap(found.map, m, elements);
    else merged.push(item);
  }
  return merged;
}

function findMapInSliceBasedOnKeyValue(list: unknown[], key: string, value: unknown): { map: JSONMap; index: number } | undefined {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isMap(item)) throw goError(`value for key ${i} is not a map.`);
    if (Object.hasOwn(item, key) && item[key] === value) return { map: item, index: i };
  }
  return undefined;
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const doomed = new Set(toDelete);
  return current.filter((v) => !doomed.has(v));
}

/** Upstream's in-place deduplication (a later duplicate is overwritten by the last item), order included. */
function deduplicateScalars(list: unknown[]): unknown[] {
  const s = [...list];
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

function extractToDeleteItems(list: unknown[]): { nonDelete: unknown[]; toDelete: unknown[] } {
  const nonDelete: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const item of list) {
    if (!isMap(item)) throw badArgType('map', item);
    if (Object.hasOwn(item, DIRECTIVE_MARKER) && item[DIRECTIVE_MARKER] === DELETE_DIRECTIVE) toDelete.push(item);
    else nonDelete.push(item);
  }
  return { nonDelete, toDelete };
}

const containsDirectiveMarker = (item: unknown) => isMap(item) && Object.hasOwn(item, DIRECTIVE_MARKER);

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isMap(left)) throw badArgType('map', left);
  if (!isMap(right)) throw badArgType('map', right);
  if (!Object.hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

function partitionPrimitivesByPresentInList(list: unknown[], by: unknown[]): { present: unknown[]; serverOnly: unknown[] } {
  const inBy = new Set(by);
  return { present: list.filter((v) => inBy.has(v)), serverOnly: list.filter((v) => !inBy.has(v)) };
}

function partitionMapsByPresentInList(list: unknown[], by: unknown[], mergeKey: string): { present: unknown[]; serverOnly: unknown[] } {
  const present: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of list) {
    if (!isMap(item)) throw badArgType('map', item);
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    (findMapInSliceBasedOnKeyValue(by, mergeKey, item[mergeKey]) ? present : serverOnly).push(item);
  }
  return { present, serverOnly };
}

// ---------------------------------------------------------------------------------------------------------
// Ordering: patch items in patch (or `$setElementOrder`) order, server-only items in their old order,
// the two woven together by the old positions. Without `$setElementOrder`, an item that was not in the
// list before lands ahead of the server-only items, exactly as upstream's merge of the two sorted lists.

type ElementKind = 'map' | 'scalar';

function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const sortedPatch = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const sortedServerOnly = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(sortedServerOnly, sortedPatch, serverOrder, mergeKey, kind);
}

function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const li = indexOf(serverOrder, left[i], mergeKey, kind);
    const ri = indexOf(serverOrder, right[j], mergeKey, kind);
    if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return [...out, ...left.slice(i), ...right.slice(j)];
}

function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let items = [...toSort];
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const item of [...toSort, ...order]) {
      if (!isMap(item)) throw badArgType('map', item);
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    }
    ({ nonDelete: items, toDelete } = extractToDeleteItems(toSort));
  }
  // Upstream's comparison calls an item "less" whenever either one is missing from `order`; Go's
  // stable sort is reproduced step for step so such inputs end up where upstream puts them.
  goSliceStable(items, (a, b) => {
    const ia = indexOf(order, items[a], mergeKey, kind);
    if (ia < 0) return true;
    const ib = indexOf(order, items[b], mergeKey, kind);
    return ib < 0 || ia < ib;
  });
  return [...items, ...toDelete];
}

function indexOf(list: unknown[], value: unknown, mergeKey: string, kind: ElementKind): number {
  const keyOf = (item: unknown) => (kind === 'map' ? (isMap(item) && Object.hasOwn(item, mergeKey) ? item[mergeKey] : null) : item);
  const wanted = keyOf(value);
  return list.findIndex((item) => keyOf(item) === wanted);
}

/** All items must share one type (Go's reflect.Type), and a list of lists cannot be merged. */
function sliceElementType(...lists: unknown[][]): ElementKind {
  let previous: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const type = goType(item);
      if (previous === undefined) {
        if (type === 'nil') throw panicked();
        if (type === 'slice') throw noListOfLists();
        previous = type;
      } else if (type !== previous) {
        throw goError(`list element types are not identical: ${formatGoValue(lists)}`);
      }
    }
  }
  if (previous === undefined) throw goError('no elements in any of the given slices');
  return previous === 'map' ? 'map' : 'scalar';
}

/** sort.SliceStable of Go 1.2x (insertion sort in blocks of 20, then in-place symmetric merges). */
function goSliceStable(data: unknown[], less: (i: number, j: number) => boolean): void {
  const swap = (i: number, j: number) => {
    const t = data[i];
    data[i] = data[j];
    data[j] = t;
  };
  const insertionSort = (a: number, b: number) => {
    for (let i = a + 1; i < b; i++) {
      for (let j = i; j > a && less(j, j - 1); j--) swap(j, j - 1);
    }
  };
  const swapRange = (a: number, b: number, n: number) => {
    for (let i = 0; i < n; i++) swap(a + i, b + i);
  };
  const rotate = (a: number, m: number, b: number) => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (less(h, a)) i = h + 1;
        else j = h;
      }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!less(m, h)) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const n = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = n - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const p = n - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!less(p - c, c)) start = c + 1;
      else r = c;
    }
    const end = n - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };

  const n = data.length;
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertionSort(a, b);
    a = b;
    b += blockSize;
  }
  insertionSort(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Values that enter the object without a counterpart in the original

/** Sets `key` to `value` minus its `$patch` maps; a value that is itself a `$patch` map is not set at all. */
function setWithoutDirectives(target: JSONMap, key: string, value: unknown): void {
  const { value: cleaned, keep } = removeDirectives(value);
  if (keep) setOwn(target, key, cleaned);
  else delete target[key];
}

function removeDirectives(value: unknown): { value: unknown; keep: boolean } {
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    for (const item of value) {
      const r = removeDirectives(item);
      if (r.keep) kept.push(r.value);
    }
    return { value: kept, keep: true };
  }
  if (!isMap(value)) return { value, keep: true };
  if (Object.hasOwn(value, DIRECTIVE_MARKER)) return { value: null, keep: false };
  for (const key of Object.keys(value)) {
    const r = removeDirectives(value[key]);
    if (r.keep) setOwn(value, key, r.value);
    else delete value[key];
  }
  return { value, keep: true };
}

/** Nulls inside a value that is added whole would otherwise be stored; upstream drops them (in place). */
function discardNullValues(value: unknown): unknown {
  if (Array.isArray(value)) value.forEach(discardNullValues);
  else if (isMap(value)) {
    for (const key of Object.keys(value)) {
      if (value[key] === null) delete value[key];
      else discardNullValues(value[key]);
    }
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Patch metadata from a JSON Schema (upstream's LookupPatchMeta over Go struct tags)

interface PatchMeta {
  strategies: string[];
  mergeKey: string;
}

interface SchemaIndex {
  root: Schema;
  ids?: Map<string, Schema>;
  patterns: Map<string, RegExp | null>;
}

/** The schemas that describe one position in the document; none means a field the kind does not declare. */
class PatchSchema {
  private constructor(
    private readonly index: SchemaIndex,
    private readonly schemas: Schema[],
  ) {}

  static root(schema: Schema): PatchSchema {
    const index: SchemaIndex = { root: schema, patterns: new Map() };
    return new PatchSchema(index, []).expand([schema]);
  }

  /** A member of a map or struct, with the member's patch strategy and merge key. */
  field(key: string): { schema: PatchSchema; meta: PatchMeta } {
    const candidates: unknown[] = [];
    for (const s of this.schemas) {
      const properties = s.properties;
      if (isRecord(properties) && Object.hasOwn(properties, key)) {
        candidates.push(properties[key]);
        continue;
      }
      let matched = false;
      if (isRecord(s.patternProperties)) {
        for (const [pattern, sub] of Object.entries(s.patternProperties)) {
          if (this.regex(pattern)?.test(key)) {
            candidates.push(sub);
            matched = true;
          }
        }
      }
      if (!matched && isRecord(s.additionalProperties)) candidates.push(s.additionalProperties);
    }
    const schema = this.expand(candidates);
    return { schema, meta: schema.meta() };
  }

  /** A list member: the schema of its elements and the list's patch metadata. */
  listField(key: string): { schema: PatchSchema; meta: PatchMeta } {
    const { schema, meta } = this.field(key);
    return { schema: schema.expand(schema.schemas.map((s) => s.items)), meta };
  }

  /** Go's reflect.Kind name of the element type, as upstream's "cannot merge lists" error shows it. */
  kindName(): string {
    if (this.schemas.some((s) => isRecord(s.properties))) return 'struct';
    if (this.schemas.some((s) => isRecord(s.additionalProperties) || isRecord(s.patternProperties))) return 'map';
    return 'interface';
  }

  private meta(): PatchMeta {
    const first = (name: string) => this.schemas.map((s) => s[name]).find((v): v is string => typeof v === 'string');
    const strategy = first(PATCH_STRATEGY);
    return { strategies: strategy ? strategy.split(',') : [], mergeKey: first(PATCH_MERGE_KEY) ?? '' };
  }

  /** `$ref`s resolved and `allOf`/`anyOf`/`oneOf` branches flattened (a nullable field is an anyOf). */
  private expand(candidates: unknown[]): PatchSchema {
    const out: Schema[] = [];
    const visit = (node: unknown, depth: number) => {
      if (!isRecord(node) || depth > 32) return;
      if (typeof node.$ref === 'string') {
        visit(this.resolve(node.$ref), depth + 1);
        return;
      }
      out.push(node);
      for (const key of ['allOf', 'anyOf', 'oneOf']) {
        const branches = node[key];
        if (Array.isArray(branches)) branches.forEach((b) => visit(b, depth + 1));
      }
    };
    candidates.forEach((c) => visit(c, 0));
    return new PatchSchema(this.index, out);
  }

  private resolve(ref: string): Schema | undefined {
    if (ref.startsWith('#')) {
      let node: unknown = this.index.root;
      for (const raw of ref.slice(1).split('/').slice(1)) {
        const part = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
        node = isRecord(node) && Object.hasOwn(node, part) ? node[part] : undefined;
      }
      return isRecord(node) ? node : undefined;
    }
    this.index.ids ??= collectIds(this.index.root);
    return this.index.ids.get(ref);
  }

  private regex(pattern: string): RegExp | null {
    let re = this.index.patterns.get(pattern);
    if (re === undefined) {
      try {
        re = new RegExp(pattern, 'u');
      } catch {
        re = null;
      }
      this.index.patterns.set(pattern, re);
    }
    return re;
  }
}

function collectIds(root: Schema): Map<string, Schema> {
  const ids = new Map<string, Schema>();
  const seen = new Set<unknown>();
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach(walk);
    const s = node as Schema;
    if (typeof s.$id === 'string' && !ids.has(s.$id)) ids.set(s.$id, s);
    Object.values(s).forEach(walk);
  };
  walk(root);
  return ids;
}

// ---------------------------------------------------------------------------------------------------------
// Go's view of decoded JSON (sigs.k8s.io/json with ints preserved), for type checks and error texts

type GoType = 'nil' | 'map' | 'slice' | 'string' | 'bool' | 'int64' | 'float64';

function goType(v: unknown): GoType {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  switch (typeof v) {
    case 'object':
      return 'map';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int64' : 'float64';
  }
  return 'nil';
}

/** reflect.TypeOf(v) printed with %s. */
function goTypeName(v: unknown): string {
  const type = goType(v);
  if (type === 'nil') return '%!s(<nil>)';
  if (type === 'map') return 'map[string]interface {}';
  if (type === 'slice') return '[]interface {}';
  return type;
}

/**
 * fmt's `%v` of a decoded JSON value: `map[a:1 b:[x y]]` with keys in byte order, `<nil>` for null,
 * integers in decimal and other numbers like strconv's shortest 'g' format (`1.5`, `1e+06`).
 */
export function formatGoValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(formatGoValue).join(' ')}]`;
  switch (typeof v) {
    case 'object': {
      const m = v as JSONMap;
      return `map[${goSortedKeys(m).map((k) => `${k}:${formatGoValue(m[k])}`).join(' ')}]`;
    }
    case 'string':
      return v;
    case 'number':
      return Number.isInteger(v) ? (Object.is(v, -0) ? '0' : v.toFixed(0)) : goFloat(v);
    default:
      return String(v);
  }
}

/** fmt's `%s` of a decoded JSON value: strings as they are, other scalars as `%!s(float64=1.5)`. */
function formatGoString(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return `[${v.map(formatGoString).join(' ')}]`;
  if (typeof v === 'object') {
    const m = v as JSONMap;
    return `map[${goSortedKeys(m).map((k) => `${k}:${formatGoString(m[k])}`).join(' ')}]`;
  }
  if (typeof v === 'string') return v;
  return `%!s(${goType(v)}=${formatGoValue(v)})`;
}

/** strconv.FormatFloat(f, 'g', -1, 64): exponent form below 1e-4 and from 1e6 on. */
function goFloat(f: number): string {
  const [mantissa, exponent] = f.toExponential().split('e');
  const exp = Number(exponent);
  if (exp >= -4 && exp < 6) return String(f);
  const sign = exp < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Go sorts string map keys bytewise (UTF-8), not by UTF-16 code units. */
function goSortedKeys(m: JSONMap): string[] {
  return Object.keys(m).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

// ---------------------------------------------------------------------------------------------------------
// JSON helpers

const isMap = (v: unknown): v is JSONMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRecord = (v: unknown): v is Schema => isMap(v);

/** Sets `key` as an own data property, `__proto__` included. */
function setOwn(obj: JSONMap, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

function cloneJSON(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJSON);
  if (!isMap(value)) return value;
  const out: JSONMap = {};
  for (const key of Object.keys(value)) setOwn(out, key, cloneJSON(value[key]));
  return out;
}
