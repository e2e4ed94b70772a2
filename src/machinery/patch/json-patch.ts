// JSON patch (RFC 6902) with kube-apiserver's behaviour: the patch document is decoded like
// evanphx/json-patch v4's DecodePatch, operations are resolved with that library's rules (negative array
// indices, `replace` of a missing object member adds it, `add` without a value adds null, ...) and then
// applied with fast-json-patch. Errors are the Status objects k8s.io/apiserver's patch handler sends.
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { badRequest, requestEntityTooLarge, StatusError } from '../errors.js';
import { goQuote } from '../decode.js';

/** k8s.io/apiserver handlers/patch.go maxJSONPatchOperations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** k8s.io/apiserver's default JSONPatchMaxCopyBytes: the bytes `copy` operations may add in one patch. */
const MAX_COPY_BYTES = 3 * 1024 * 1024;

const OPERATION_FIELDS = new Set(['op', 'path', 'from', 'value']);

type JSONObject = Record<string, unknown>;
type Container = JSONObject | unknown[];

const isObject = (v: unknown): v is JSONObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

/** Why an operation did not apply; never shown to clients (kube answers a bare 422). */
class OperationFailed extends Error {}

/**
 * What kube-apiserver answers when an operation does not apply: NewGenericServerResponse(422), i.e.
 * reason Invalid, a fixed message and empty details, whatever went wrong.
 */
export function jsonPatchRejected(): StatusError {
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/**
 * Applies the decoded JSON patch document `ops` to `doc` and returns the new document; `doc` is not
 * modified. Throws 400 when `ops` is not an array of operation objects (a JSON `null` is an empty patch,
 * as in upstream), 413 above 10000 operations, and 422 (`jsonPatchRejected`) when an operation fails.
 */
export function applyJSONPatch(doc: unknown, ops: unknown): unknown {
  const operations = decodePatch(ops);
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) {
    throw requestEntityTooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${operations.length}`,
    );
  }
  const patcher = new Patcher(cloneJSON(doc));
  try {
    operations.forEach((op, index) => patcher.apply(op, index));
  } catch {
    throw jsonPatchRejected();
  }
  return patcher.doc;
}

/**
 * Paths of unknown keys in operations (`[0].valu`), as the strict decoding kube runs for
 * fieldValidation=Warn/Strict finds them; kube words each as `json patch unknown field "[0].valu"`
 * (`jsonPatchUnknownFieldMessage`). Keys are case-sensitive (`Op` is unknown).
 */
export function jsonPatchUnknownFields(ops: unknown): string[] {
  if (!Array.isArray(ops)) return [];
  const unknown: string[] = [];
  ops.forEach((op, i) => {
    if (!isObject(op)) return;
    for (const key of Object.keys(op)) {
      if (!OPERATION_FIELDS.has(key)) unknown.push(`[${i}].${key}`);
    }
  });
  return unknown;
}

/** kube's text for one unknown operation key: the strict error, Go-quoted, prefixed by `json patch`. */
export const jsonPatchUnknownFieldMessage = (path: string) => `json patch unknown field ${goQuote(path)}`;

/**
 * With fieldValidation Warn (the default) or Strict kube first decodes the patch into
 * `[]handlers.jsonPatchOp`; a document that does not fit fails there with 400 `error decoding patch: …`.
 * Returns that error, or undefined when the document decodes.
 */
export function jsonPatchDecodeError(ops: unknown): StatusError | undefined {
  const message = strictDecodeMessage(ops);
  return message === undefined ? undefined : badRequest(`error decoding patch: ${message}`);
}

function strictDecodeMessage(ops: unknown): string | undefined {
  if (ops === null) return undefined;
  if (!Array.isArray(ops)) return `json: cannot unmarshal ${goKind(ops)} into Go value of type []handlers.jsonPatchOp`;
  for (const op of ops) {
    if (op === null) continue;
    if (!isObject(op)) return `json: cannot unmarshal ${goKind(op)} into Go value of type handlers.jsonPatchOp`;
    for (const key of Object.keys(op)) {
      const v = op[key];
      if ((key === 'op' || key === 'path' || key === 'from') && v !== null && typeof v !== 'string') {
        return `json: cannot unmarshal ${goKind(v)} into Go struct field jsonPatchOp.${key} of type string`;
      }
    }
  }
  return undefined;
}

/** evanphx/json-patch DecodePatch: json.Unmarshal into `Patch` (`[]Operation`, each a map). */
function decodePatch(ops: unknown): (JSONObject | null)[] {
  if (ops === null) return [];
  if (!Array.isArray(ops)) {
    throw badRequest(`json: cannot unmarshal ${goKind(ops)} into Go value of type jsonpatch.Patch`);
  }
  const bad = ops.findIndex((op) => op !== null && !isObject(op));
  if (bad >= 0) {
    throw badRequest(`json: cannot unmarshal ${goKind(ops[bad])} into Go value of type jsonpatch.Operation`);
  }
  return ops as (JSONObject | null)[];
}

/** The JSON kind encoding/json names in UnmarshalTypeError. */
function goKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'object':
      return 'object';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
  }
  return 'null';
}

/** A parent container found by a JSON pointer, with the pointer tokens rewritten to plain indices. */
interface Location {
  parent: Container;
  tokens: string[];
  key: string;
}

class Patcher {
  private copiedBytes = 0;

  constructor(public doc: unknown) {}

  apply(op: JSONObject | null, index: number): void {
    if (op === null) throw new OperationFailed('Unexpected kind: unknown');
    const kind = typeof op.op === 'string' ? op.op : 'unknown';
    switch (kind) {
      case 'add':
        return this.add(stringField(op, 'path'), cloneJSON(valueOf(op)), index);
      case 'remove':
        return this.remove(stringField(op, 'path'), index);
      case 'replace':
        return this.replace(stringField(op, 'path'), op, index);
      case 'move':
        return this.move(stringField(op, 'from'), op, index);
      case 'copy':
        return this.copy(stringField(op, 'from'), op, index);
      case 'test':
        return this.test(stringField(op, 'path'), op, index);
    }
    throw new OperationFailed(`Unexpected kind: ${kind}`);
  }

  private add(path: string, value: unknown, index: number): void {
    const loc = this.locate(path);
    let key = loc.key;
    if (Array.isArray(loc.parent) && key !== '-') {
      // v4 inserts into an array one longer, so -1 appends and len is the last valid index.
      key = String(arrayIndex(key, loc.parent.length + 1));
    }
    this.run({ op: 'add', path: pointer(loc.tokens, key), value }, index);
  }

  private remove(path: string, index: number): void {
    const loc = this.locate(path);
    this.run({ op: 'remove', path: this.existing(loc) }, index);
  }

  private replace(path: string, op: JSONObject, index: number): void {
    const value = cloneJSON(valueOf(op));
    if (path === '') {
      if (!isContainer(value)) throw new OperationFailed('replace operation value must be object or array');
      this.doc = value;
      return;
    }
    const loc = this.locate(path);
    // v4 looks a missing object member up without error and then sets it.
    if (!Array.isArray(loc.parent) && !Object.hasOwn(loc.parent, loc.key)) {
      this.run({ op: 'add', path: pointer(loc.tokens, loc.key), value }, index);
      return;
    }
    this.run({ op: 'replace', path: this.existing(loc), value }, index);
  }

  private move(from: string, op: JSONObject, index: number): void {
    const source = this.locate(from);
    const value = this.read(source);
    this.run({ op: 'remove', path: this.existing(source) }, index);
    this.add(stringField(op, 'path'), value ?? null, index);
  }

  private copy(from: string, op: JSONObject, index: number): void {
    const source = this.locate(from);
    // v4 reads a missing object member as null and copies that.
    const value = this.read(source) ?? null;
    const path = stringField(op, 'path');
    this.locate(path);
    this.copiedBytes += Buffer.byteLength(JSON.stringify(value));
    if (this.copiedBytes > MAX_COPY_BYTES) throw new OperationFailed('accumulated copy size exceeded');
    // The copy must not share structure with its source, or later operations would change both.
    this.add(path, cloneJSON(value), index);
  }

  private test(path: string, op: JSONObject, index: number): void {
    const hasValue = Object.hasOwn(op, 'value');
    if (path === '') {
      if (!hasValue) throw new OperationFailed('test operation without value');
      this.run({ op: 'test', path: '', value: op.value }, index);
      return;
    }
    const loc = this.locate(path);
    const current = this.read(loc);
    // v4 treats a null member like a missing one: it matches a missing or null test value only.
    if (current === undefined || current === null) {
      if (hasValue && op.value !== null) throw new OperationFailed(`testing value ${path} failed`);
      return;
    }
    if (!hasValue) throw new OperationFailed(`testing value ${path} failed`);
    this.run({ op: 'test', path: this.existing(loc), value: op.value }, index);
  }

  private run(operation: Operation, index: number): void {
    this.doc = jsonpatch.applyOperation(this.doc, operation, true, true, true, index).newDocument;
  }

  /** v4 findObject: walk every token but the last; each step must exist and be an object or array. */
  private locate(path: string): Location {
    const raw = path.split('/');
    if (raw.length < 2) throw new OperationFailed(`doc is missing path: "${path}"`);
    if (!isContainer(this.doc)) throw new OperationFailed('document is not an object or array');
    let parent: Container = this.doc;
    const tokens: string[] = [];
    for (const part of raw.slice(1, -1)) {
      let token = unescapeToken(part);
      let next: unknown;
      if (Array.isArray(parent)) {
        const i = arrayIndex(token, parent.length);
        token = String(i);
        next = parent[i];
      } else {
        next = Object.hasOwn(parent, token) ? parent[token] : undefined;
      }
      if (!isContainer(next)) throw new OperationFailed(`doc is missing path: "${path}"`);
      tokens.push(token);
      parent = next;
    }
    return { parent, tokens, key: unescapeToken(raw[raw.length - 1]) };
  }

  /** v4 container.get: array indices are checked, a missing object member reads as undefined. */
  private read(loc: Location): unknown {
    if (Array.isArray(loc.parent)) return loc.parent[arrayIndex(loc.key, loc.parent.length)];
    return Object.hasOwn(loc.parent, loc.key) ? loc.parent[loc.key] : undefined;
  }

  /** The pointer to an element that must exist (remove, replace, test, move source). */
  private existing(loc: Location): string {
    if (Array.isArray(loc.parent)) return pointer(loc.tokens, String(arrayIndex(loc.key, loc.parent.length)));
    if (!Object.hasOwn(loc.parent, loc.key)) throw new OperationFailed(`Unable to remove nonexistent key: ${loc.key}`);
    return pointer(loc.tokens, loc.key);
  }
}

/** Go's strconv.Atoi then v4's bounds rule: `-n` counts from the end, and the index must be below `length`. */
function arrayIndex(token: string, length: number): number {
  if (!/^[+-]?[0-9]+$/.test(token)) throw new OperationFailed(`value was not a proper array index: '${token}'`);
  let i = Number(token);
  if (!Number.isSafeInteger(i)) throw new OperationFailed(`value was not a proper array index: '${token}'`);
  if (i < 0) {
    if (i < -length) throw new OperationFailed(`Unable to access invalid index: ${i}`);
    i += length;
  }
  if (i >= length) throw new OperationFailed(`Unable to access invalid index: ${i}`);
  return i;
}

function stringField(op: JSONObject, name: 'path' | 'from'): string {
  const v = Object.hasOwn(op, name) ? op[name] : undefined;
  if (typeof v !== 'string') throw new OperationFailed(`operation missing ${name} field`);
  return v;
}

/** v4 stores a missing or null `value` as JSON null. */
const valueOf = (op: JSONObject): unknown => (Object.hasOwn(op, 'value') ? op.value : null);

const unescapeToken = (token: string) => token.replaceAll('~1', '/').replaceAll('~0', '~');
const escapeToken = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');
const pointer = (tokens: string[], key: string) => `/${[...tokens, key].map(escapeToken).join('/')}`;

function cloneJSON(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJSON);
  if (!isObject(value)) return value;
  const out: JSONObject = {};
  for (const key of Object.keys(value)) {
    const v = cloneJSON(value[key]);
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}
