// Schema validation of request bodies, the two ways Kubernetes servers do it.
//
// 'crd'   kube-apiserver validating a custom resource (k8s.io/apiextensions-apiserver
//         pkg/registry/customresource strategy): kube-openapi schema errors converted to field errors
//         (pkg/apiserver/validation), then x-kubernetes-list-type set/map uniqueness (schema/listtype),
//         then the x-kubernetes-validations CEL rules (schema/cel), unless an earlier error blocks them.
//         On update, CRD validation ratcheting: what is unchanged from the stored object is not failed again.
// 'typed' an aggregated server decoding into Go structs: a JSON type that does not fit is a decode error
//         worded like encoding/json; no field errors (typed kinds check semantics in their Strategy).
//
// Unknown fields are not looked at here: they are pruned (or reported) before validation.
import type { TSchema } from '@sinclair/typebox';
import { Environment, Optional, type ParseResult } from '@marcbachmann/cel-js';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { isIPv4, isIPv6 } from 'node:net';
import * as field from './field.js';
import type { ErrorList, FieldError } from './field.js';

export interface SchemaResult {
  /** 'typed' mode: the Go decoder's message (the caller wraps it in `<Kind> in version ... cannot be handled as ...`). */
  decodeError?: string;
  errors: ErrorList;
  /** CEL rule failures forgiven by ratcheting; kube-apiserver sends them as `Warning` headers. */
  warnings?: string[];
}

export interface SchemaValidator {
  validate(obj: unknown, old?: unknown): SchemaResult;
}

export type ValidationMode = 'typed' | 'crd';

export function compileSchemaValidator(schema: TSchema | object, mode: ValidationMode): SchemaValidator {
  const raw = schema as Raw;
  const root = compileNode(raw, { root: raw, memo: new Map(), env: celEnvironment() });
  if (mode === 'typed') {
    const rootStruct = structName(root, 'Object');
    return {
      validate(obj) {
        const decodeError = goDecodeError(root, obj, { fields: [] }, rootStruct, 0);
        return decodeError ? { decodeError, errors: [] } : { errors: [] };
      },
    };
  }
  const withRules = new Map<SchemaNode, boolean>();
  const rulesBelow = (node: SchemaNode) => hasRulesBelow(node, withRules, new Set());
  return { validate: (obj, old) => validateCustomResource(root, obj, old, rulesBelow) };
}

// ---- compiled schema -----------------------------------------------------------------------------

type Raw = Record<string, unknown>;

interface CelRule {
  source: string;
  message?: string;
  reason?: string;
  /** `fieldPath` of the rule, as child names appended to the node's path. */
  fieldPath: string[];
  optionalOldSelf: boolean;
  usesOldSelf: boolean;
  program?: ParseResult;
  messageExpression?: ParseResult;
  compileError?: string;
}

interface SchemaNode {
  /** JSON Schema types allowed, `null` excluded ([] = anything). */
  types: string[];
  /** The schema's own `type`, as kube prints it in CEL errors (`Invalid value: "object"`). */
  typeLabel: string;
  nullable: boolean;
  intOrString: boolean;
  /** The format as written (Go decoding reads int32/int64/float from it). */
  format?: string;
  /** Set when a CRD validates the format (kube strips the formats it does not know). */
  formatCheck?: (s: string) => boolean;
  enumValues?: unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: { source: string; re: RegExp };
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  minimum?: { value: number; exclusive: boolean };
  maximum?: { value: number; exclusive: boolean };
  multipleOf?: number;
  minProperties?: number;
  maxProperties?: number;
  required: string[];
  properties: Map<string, SchemaNode>;
  patternProperties: { re: RegExp; node: SchemaNode }[];
  additional?: SchemaNode;
  items?: SchemaNode;
  /** Several non-null `anyOf` branches (a TypeBox union): the value takes the first branch of its type. */
  alternatives: SchemaNode[];
  allOf: SchemaNode[];
  listType?: string;
  listMapKeys: string[];
  mapType?: string;
  rules: CelRule[];
  /** OpenAPI definition name, e.g. com.github.openshift.api.image.v1.ImageStreamSpec. */
  definition?: string;
}

interface CompileContext {
  root: Raw;
  memo: Map<object, SchemaNode>;
  env: Environment;
}

function celEnvironment(): Environment {
  return new Environment({ unlistedVariablesAreDyn: true, enableOptionalTypes: true });
}

function emptyNode(): SchemaNode {
  return {
    types: [],
    typeLabel: '',
    nullable: false,
    intOrString: false,
    uniqueItems: false,
    required: [],
    properties: new Map(),
    patternProperties: [],
    alternatives: [],
    allOf: [],
    listMapKeys: [],
    rules: [],
  };
}

// Nodes are memoized by their raw object so shared and recursive ($ref) schemas compile once.
function compileNode(raw: Raw, c: CompileContext): SchemaNode {
  const known = c.memo.get(raw);
  if (known) return known;
  if (typeof raw.$ref === 'string') {
    const node = compileNode(resolveRef(c.root, raw.$ref), c);
    c.memo.set(raw, node);
    return node;
  }
  const node = emptyNode();
  c.memo.set(raw, node);
  fillNode(node, withoutNullBranches(raw, c.root), c);
  return node;
}

function resolveRef(root: Raw, ref: string): Raw {
  if (!ref.startsWith('#')) throw new Error(`schema validation: unsupported $ref ${JSON.stringify(ref)}`);
  let at: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    at = isObject(at) ? at[key] : undefined;
  }
  if (!isObject(at)) throw new Error(`schema validation: $ref ${JSON.stringify(ref)} does not resolve`);
  return at;
}

/** `anyOf: [X, null]` (how TypeBox spells a nullable X) becomes X with `nullable: true`. */
function withoutNullBranches(raw: Raw, root: Raw): Raw {
  if (!Array.isArray(raw.anyOf) || raw.type !== undefined) return raw;
  const branches = (raw.anyOf as Raw[]).map((b) => (typeof b.$ref === 'string' ? resolveRef(root, b.$ref) : b));
  const nonNull = branches.filter((b) => b.type !== 'null');
  const nullable = raw.nullable === true || nonNull.length < branches.length;
  const { anyOf: _anyOf, ...outer } = raw;
  if (nonNull.length !== 1) return { ...outer, anyOf: nonNull, nullable };
  return { ...nonNull[0], ...outer, nullable };
}

function fillNode(node: SchemaNode, raw: Raw, c: CompileContext): void {
  const type = raw.type;
  const declared = Array.isArray(type) ? type.map(String) : typeof type === 'string' ? [type] : [];
  node.types = declared.filter((t) => t !== 'null');
  node.typeLabel = typeof type === 'string' ? type : '';
  node.nullable = raw.nullable === true || declared.includes('null');
  node.intOrString = raw['x-kubernetes-int-or-string'] === true;
  if (node.intOrString) node.types = ['integer', 'string'];

  if (Array.isArray(raw.anyOf)) {
    node.alternatives = (raw.anyOf as Raw[]).map((b) => compileNode(b, c));
    if (node.types.length === 0) node.types = [...new Set(node.alternatives.flatMap((a) => a.types))];
  }
  if (Array.isArray(raw.allOf)) node.allOf = (raw.allOf as Raw[]).map((b) => compileNode(b, c));

  if (typeof raw.format === 'string') {
    node.format = raw.format;
    node.formatCheck = FORMAT_CHECKS[normalizeFormat(raw.format)];
  }
  if (Array.isArray(raw.enum)) node.enumValues = raw.enum;
  else if ('const' in raw) node.enumValues = [raw.const];

  node.minLength = num(raw.minLength);
  node.maxLength = num(raw.maxLength);
  if (typeof raw.pattern === 'string') node.pattern = { source: raw.pattern, re: new RegExp(raw.pattern, 'u') };
  node.minItems = num(raw.minItems);
  node.maxItems = num(raw.maxItems);
  node.uniqueItems = raw.uniqueItems === true;
  node.minimum = bound(raw.minimum, raw.exclusiveMinimum);
  node.maximum = bound(raw.maximum, raw.exclusiveMaximum);
  node.multipleOf = num(raw.multipleOf);
  node.minProperties = num(raw.minProperties);
  node.maxProperties = num(raw.maxProperties);

  if (Array.isArray(raw.required)) node.required = raw.required.map(String);
  if (isObject(raw.properties)) {
    for (const [name, sub] of Object.entries(raw.properties)) node.properties.set(name, compileNode(sub as Raw, c));
  }
  if (isObject(raw.patternProperties)) {
    for (const [source, sub] of Object.entries(raw.patternProperties)) {
      node.patternProperties.push({ re: new RegExp(source, 'u'), node: compileNode(sub as Raw, c) });
    }
  }
  if (isObject(raw.additionalProperties)) node.additional = compileNode(raw.additionalProperties, c);
  if (isObject(raw.items)) node.items = compileNode(raw.items, c);

  if (typeof raw['x-kubernetes-list-type'] === 'string') node.listType = raw['x-kubernetes-list-type'];
  if (Array.isArray(raw['x-kubernetes-list-map-keys'])) node.listMapKeys = raw['x-kubernetes-list-map-keys'].map(String);
  if (typeof raw['x-kubernetes-map-type'] === 'string') node.mapType = raw['x-kubernetes-map-type'];
  if (Array.isArray(raw['x-kubernetes-validations'])) {
    node.rules = (raw['x-kubernetes-validations'] as Raw[]).map((r) => compileRule(r, c.env));
  }
  const definition = raw['x-openapi-definition'];
  if (typeof definition === 'string') node.definition = definition;
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** OpenAPI v3.0 (`exclusiveMinimum: true` beside `minimum`) and JSON Schema 2019 (`exclusiveMinimum: 5`). */
function bound(limit: unknown, exclusive: unknown): { value: number; exclusive: boolean } | undefined {
  if (typeof exclusive === 'number') return { value: exclusive, exclusive: true };
  if (typeof limit === 'number') return { value: limit, exclusive: exclusive === true };
  return undefined;
}

/** The schema for a key of an object: a declared property, else pattern/additional properties. */
function childSchema(node: SchemaNode, key: string): { node: SchemaNode; declared: boolean } | undefined {
  const declared = node.properties.get(key);
  if (declared) return { node: declared, declared: true };
  const patterned = node.patternProperties.find((p) => p.re.test(key));
  if (patterned) return { node: patterned.node, declared: false };
  return node.additional ? { node: node.additional, declared: false } : undefined;
}

// ---- CEL rules -------------------------------------------------------------------------------------

function compileRule(spec: Raw, env: Environment): CelRule {
  const source = typeof spec.rule === 'string' ? spec.rule : '';
  const rule: CelRule = {
    source,
    message: typeof spec.message === 'string' ? spec.message : undefined,
    reason: typeof spec.reason === 'string' ? spec.reason : undefined,
    fieldPath: typeof spec.fieldPath === 'string' ? parseRuleFieldPath(spec.fieldPath) : [],
    optionalOldSelf: spec.optionalOldSelf === true,
    usesOldSelf: false,
  };
  if (source.trim() === '') return rule;
  try {
    rule.program = env.parse(source);
    rule.usesOldSelf = referencesIdentifier(rule.program.ast, 'oldSelf');
    if (typeof spec.messageExpression === 'string') rule.messageExpression = env.parse(spec.messageExpression);
  } catch (e) {
    rule.program = undefined;
    rule.compileError = celErrorText(e);
  }
  return rule;
}

function referencesIdentifier(node: unknown, name: string): boolean {
  if (Array.isArray(node)) return node.some((n) => referencesIdentifier(n, name));
  if (!isObject(node) || typeof node.op !== 'string') return false;
  if (node.op === 'id') return node.args === name;
  return referencesIdentifier(node.args, name);
}

/** `.spec.foo['bar']` -> ['spec', 'foo', 'bar'] (kube validates the syntax when the CRD is written). */
function parseRuleFieldPath(path: string): string[] {
  const parts: string[] = [];
  const token = /\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]/gy;
  let m: RegExpExecArray | null;
  while ((m = token.exec(path)) !== null) parts.push(m[1] ?? m[2].replace(/\\(.)/g, '$1'));
  return parts;
}

/** The error text without cel-js's source excerpt, lower-cased like cel-go's (`no such key: x`). */
function celErrorText(e: unknown): string {
  const err = e as { summary?: unknown; message?: unknown };
  const text = typeof err?.summary === 'string' ? err.summary : String(err?.message ?? e).split('\n')[0];
  return text.charAt(0).toLowerCase() + text.slice(1);
}

const ruleErrorString = (rule: CelRule) => (rule.message ? rule.message.trim() : rule.source.trim());
const ruleMessageOrDefault = (rule: CelRule) =>
  rule.message ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`;

const MAX_MESSAGE_EXPRESSION_BYTES = 5 * 1024;

/** A messageExpression's text, or undefined when it fails (kube then falls back to the message). */
function evalMessageExpression(rule: CelRule, activation: Record<string, unknown>): string | undefined {
  if (!rule.messageExpression) return undefined;
  try {
    const out = rule.messageExpression(activation);
    if (typeof out !== 'string') return undefined;
    const text = out.trim();
    if (text === '' || /\n/.test(text) || Buffer.byteLength(text) > MAX_MESSAGE_EXPRESSION_BYTES) return undefined;
    return text;
  } catch {
    return undefined;
  }
}

function hasRulesBelow(node: SchemaNode, known: Map<SchemaNode, boolean>, visiting: Set<SchemaNode>): boolean {
  const cached = known.get(node);
  if (cached !== undefined) return cached;
  if (visiting.has(node)) return false;
  visiting.add(node);
  const children = [
    ...node.properties.values(),
    ...node.patternProperties.map((p) => p.node),
    ...(node.additional ? [node.additional] : []),
    ...(node.items ? [node.items] : []),
    ...node.alternatives,
    ...node.allOf,
  ];
  const result = node.rules.length > 0 || children.some((child) => hasRulesBelow(child, known, visiting));
  visiting.delete(node);
  known.set(node, result);
  return result;
}

// ---- ratcheting correlation (k8s.io/apiserver pkg/cel/common CorrelatedObject) -------------------

/** A new value paired with the old value at the same place, when one can be found. */
class Correlation {
  private unchangedCache?: boolean;
  private readonly children = new Map<string | number, Correlation | undefined>();
  private oldItemsByKey?: Map<string, unknown>;

  constructor(
    readonly value: unknown,
    readonly old: unknown,
    readonly node: SchemaNode,
  ) {}

  key(name: string): Correlation | undefined {
    if (this.children.has(name)) return this.children.get(name);
    let child: Correlation | undefined;
    if (isObject(this.value) && isObject(this.old) && hasOwn(this.value, name) && hasOwn(this.old, name)) {
      const sub = childSchema(this.node, name);
      if (sub) child = new Correlation(this.value[name], this.old[name], sub.node);
    }
    this.children.set(name, child);
    return child;
  }

  /** Only map-type lists correlate items (by their keys); atomic and set lists are compared whole. */
  index(i: number): Correlation | undefined {
    if (this.children.has(i)) return this.children.get(i);
    let child: Correlation | undefined;
    if (Array.isArray(this.value) && Array.isArray(this.old) && i < this.value.length && this.isMapList()) {
      this.oldItemsByKey ??= new Map(this.old.map((item) => [listMapKey(this.node, item), item]));
      const old = this.oldItemsByKey.get(listMapKey(this.node, this.value[i]));
      if (old !== undefined && old !== null) child = new Correlation(this.value[i], old, this.node.items as SchemaNode);
    }
    this.children.set(i, child);
    return child;
  }

  unchanged(): boolean {
    this.unchangedCache ??= this.compare();
    return this.unchangedCache;
  }

  private isMapList(): boolean {
    return this.node.listType === 'map' && this.node.items !== undefined;
  }

  private compare(): boolean {
    const { value, old } = this;
    if (value === null || value === undefined || old === null || old === undefined) {
      return (value ?? null) === (old ?? null);
    }
    if (Array.isArray(value) || Array.isArray(old)) {
      if (!Array.isArray(value) || !Array.isArray(old) || value.length !== old.length) return false;
      if (!this.isMapList()) return deepEqual(value, old);
      return value.every((_, i) => this.index(i)?.unchanged() ?? false);
    }
    if (isObject(value) || isObject(old)) {
      if (!isObject(value) || !isObject(old)) return false;
      const keys = Object.keys(value);
      if (keys.length !== Object.keys(old).length) return false;
      return keys.every((k) => this.key(k)?.unchanged() ?? false);
    }
    return value === old;
  }
}

function listMapKey(node: SchemaNode, item: unknown): string {
  const fields = isObject(item) ? node.listMapKeys.map((k) => (hasOwn(item, k) ? canonicalJson(item[k]) : '')) : [];
  return JSON.stringify(fields);
}

/** Where CEL ratcheting stands: the current node's correlation, or the nearest correlated ancestor's. */
interface RatchetPosition {
  current?: Correlation;
  nearest?: Correlation;
}

function ratchetKey(at: RatchetPosition, name: string): RatchetPosition {
  if (!at.current) return at;
  // apiVersion and kind are invisible to ratcheting: old and new are converted to the same version.
  if (!at.nearest && (name === 'apiVersion' || name === 'kind')) return {};
  return { current: at.current.key(name), nearest: at.current };
}

function ratchetIndex(at: RatchetPosition, i: number): RatchetPosition {
  return at.current ? { current: at.current.index(i), nearest: at.current } : at;
}

const shouldRatchet = (at: RatchetPosition) => (at.current ?? at.nearest)?.unchanged() ?? false;

// ---- 'crd' mode ----------------------------------------------------------------------------------

const NOT_CHECKED_DETAIL =
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

/** field.Invalid(nil, nil, ...): Go prints the nil path as `<nil>` and the nil value as `"null"`. */
const notCheckedError = (): FieldError => ({
  type: 'FieldValueInvalid',
  field: '<nil>',
  value: null,
  detail: NOT_CHECKED_DETAIL,
  body: `Invalid value: "null": ${NOT_CHECKED_DETAIL}`,
});

// OpenAPI type/maxLength/maxItems/maxProperties/required/enum failures keep the CEL rules from running.
const BLOCKING: ReadonlySet<string> = new Set([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

function validateCustomResource(
  root: SchemaNode,
  obj: unknown,
  old: unknown,
  rulesBelow: (node: SchemaNode) => boolean,
): SchemaResult {
  const correlation = old === undefined ? undefined : new Correlation(obj, old, root);
  const errors: ErrorList = [];
  schemaErrors(root, obj, '', correlation, true, errors);
  // Set/map uniqueness ratchets as a whole: it is only enforced when the stored object already met it.
  const listErrs = listTypeErrors(root, obj, '', true);
  if (old === undefined || listTypeErrors(root, old, '', true).length === 0) errors.push(...listErrs);

  if (!rulesBelow(root)) return { errors };
  if (errors.some((e) => BLOCKING.has(e.type))) return { errors: [...errors, notCheckedError()] };
  const cel = { errors: [] as ErrorList, warnings: [] as string[] };
  celErrors(root, obj, old, '', { current: correlation }, true, rulesBelow, cel);
  return { errors: [...errors, ...cel.errors], ...(cel.warnings.length ? { warnings: cel.warnings } : {}) };
}

/** kube-openapi's name for a child: `spec.x`, `spec.x[0]`, and `spec.labels.key` for map entries. */
const openAPIChild = (name: string, key: string) => (name === '' ? key : `${name}.${key}`);
const errPath = (name: string) => (name === '' ? '<nil>' : name);

/** A property whose null value kube prunes before validating (non-nullable, no default). */
const prunedNull = (node: SchemaNode, v: unknown) => v === null && !node.nullable;

// kube-openapi SchemaValidator: type, string, format, number, slice, enum, object validators, in that order.
function schemaErrors(
  node: SchemaNode,
  value: unknown,
  name: string,
  corr: Correlation | undefined,
  isRoot: boolean,
  out: ErrorList,
): void {
  if (corr?.unchanged()) return;
  const path = errPath(name);
  if (value === null || value === undefined) {
    if (node.types.length > 0 && !node.nullable) {
      out.push(field.typeInvalid(path, 'null', typeMessage(name, node.types, 'null')));
    }
    if (node.enumValues && !node.enumValues.some((v) => deepEqual(v, null))) out.push(enumError(path, null, node));
    return;
  }
  const kind = jsonType(value);
  if (typeMismatch(node, kind)) out.push(field.typeInvalid(path, kind, typeMessage(name, node.types, kind)));
  const shape = node.alternatives.find((a) => a.types.length === 0 || !typeMismatch(a, kind));
  if (shape) schemaErrors(shape, value, name, corr, isRoot, out);
  for (const sub of node.allOf) schemaErrors(sub, value, name, undefined, isRoot, out);

  if (typeof value === 'string') {
    const e = stringError(node, value, name);
    if (e) out.push(e);
    if (node.formatCheck && !node.formatCheck(value)) {
      out.push(field.typeInvalid(path, value, `${name} in body must be of type ${node.format}: ${goQuote(value)}`));
    }
  }
  if (typeof value === 'number') out.push(...numberErrors(node, value, name));
  if (Array.isArray(value)) {
    if (node.items) {
      for (let i = 0; i < value.length; i++) {
        schemaErrors(node.items, value[i], `${name}[${i}]`, corr?.index(i), false, out);
      }
    }
    if (node.minItems !== undefined && value.length < node.minItems) {
      out.push(field.invalid(path, value.length, `${name} in body should have at least ${node.minItems} items`));
    }
    if (node.maxItems !== undefined && value.length > node.maxItems) {
      out.push(field.tooMany(path, value.length, node.maxItems));
    }
    if (node.uniqueItems && value.some((v, i) => value.findIndex((u) => deepEqual(u, v)) !== i)) {
      out.push(field.invalid(path, '', `${name} in body shouldn't contain duplicates`));
    }
  }
  if (node.enumValues && !node.enumValues.some((v) => deepEqual(v, value))) out.push(enumError(path, value, node));
  if (isObject(value)) objectErrors(node, value, name, corr, isRoot, out);
}

function objectErrors(
  node: SchemaNode,
  value: Record<string, unknown>,
  name: string,
  corr: Correlation | undefined,
  isRoot: boolean,
  out: ErrorList,
): void {
  const count = Object.keys(value).length;
  if (node.minProperties !== undefined && count < node.minProperties) {
    out.push(field.invalid(errPath(name), count, `${name} in body should have at least ${node.minProperties} properties`));
    return;
  }
  if (node.maxProperties !== undefined && count > node.maxProperties) {
    out.push(field.tooMany(errPath(name), count, node.maxProperties));
    return;
  }
  // Child validators get no correlation for apiVersion and kind at the root (see ratchetKey).
  const childCorr = (key: string) => (isRoot && (key === 'apiVersion' || key === 'kind') ? undefined : corr?.key(key));
  for (const [key, v] of Object.entries(value)) {
    if (node.properties.has(key)) continue;
    const sub = childSchema(node, key);
    if (sub && !prunedNull(sub.node, v)) schemaErrors(sub.node, v, openAPIChild(name, key), childCorr(key), false, out);
  }
  for (const [key, sub] of node.properties) {
    if (!hasOwn(value, key) || prunedNull(sub, value[key])) continue;
    // A CRD's root metadata schema is only `type: object`; ObjectMeta rules are applied by the Store.
    if (isRoot && key === 'metadata') {
      const kind = jsonType(value[key]);
      if (kind !== 'object') out.push(field.typeInvalid(key, kind, typeMessage(key, ['object'], kind)));
      continue;
    }
    schemaErrors(sub, value[key], openAPIChild(name, key), childCorr(key), false, out);
  }
  for (const key of node.required) {
    if (!hasOwn(value, key) || (value[key] === null && !(node.properties.get(key)?.nullable ?? false))) {
      out.push(field.required(openAPIChild(name, key)));
    }
  }
}

/** kube-openapi's stringValidator stops at the first failure: maxLength, minLength, pattern. */
function stringError(node: SchemaNode, value: string, name: string): FieldError | undefined {
  const runes = [...value].length;
  if (node.maxLength !== undefined && runes > node.maxLength) return field.tooLong(errPath(name), value, node.maxLength);
  if (node.minLength !== undefined && runes < node.minLength) {
    return field.invalid(errPath(name), value, `${name} in body should be at least ${node.minLength} chars long`);
  }
  if (node.pattern && !node.pattern.re.test(value)) {
    return field.invalid(errPath(name), value, `${name} in body should match '${node.pattern.source}'`);
  }
  return undefined;
}

function numberErrors(node: SchemaNode, value: number, name: string): ErrorList {
  const out: ErrorList = [];
  const path = errPath(name);
  if (node.multipleOf !== undefined && !Number.isInteger(value / node.multipleOf)) {
    out.push(field.invalid(path, value, `${name} in body should be a multiple of ${goFloat(node.multipleOf)}`));
  }
  const max = node.maximum;
  if (max && (max.exclusive ? value >= max.value : value > max.value)) {
    const rel = max.exclusive ? 'less than' : 'less than or equal to';
    out.push(field.invalid(path, value, `${name} in body should be ${rel} ${goFloat(max.value)}`));
  }
  const min = node.minimum;
  if (min && (min.exclusive ? value <= min.value : value < min.value)) {
    const rel = min.exclusive ? 'greater than' : 'greater than or equal to';
    out.push(field.invalid(path, value, `${name} in body should be ${rel} ${goFloat(min.value)}`));
  }
  return out;
}

function enumError(path: string, value: unknown, node: SchemaNode): FieldError {
  const supported = (node.enumValues ?? []).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return field.notSupported(path, value, supported);
}

function typeMismatch(node: SchemaNode, kind: string): boolean {
  if (node.types.length === 0) return false;
  // kube-openapi's typeValidator lets any string or array through when a (known) format is set on a
  // non-numeric schema, so `format: hostname` on an array also accepts a plain string.
  const numeric = node.types.includes('number') || node.types.includes('integer');
  if (node.formatCheck && !numeric && (kind === 'string' || kind === 'array')) {
    return false;
  }
  return !node.types.includes(kind) && !(kind === 'integer' && node.types.includes('number'));
}

const typeMessage = (name: string, types: string[], kind: string) =>
  `${name} in body must be of type ${types.join(',')}: "${kind}"`;

function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'bigint') return 'integer';
  return typeof v === 'object' ? 'object' : typeof v;
}

// apiextensions listtype.ValidateListSetsAndMaps; paths as field.Path prints them (`m[key]`, `l[0]`).
function listTypeErrors(node: SchemaNode, value: unknown, path: string, isRoot: boolean): ErrorList {
  const out: ErrorList = [];
  if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (isRoot && key === 'metadata') continue;
      const sub = childSchema(node, key);
      if (!sub || prunedNull(sub.node, v)) continue;
      const childPath = sub.declared ? (path === '' ? key : `${path}.${key}`) : `${path}[${key}]`;
      out.push(...listTypeErrors(sub.node, v, childPath, false));
    }
  } else if (Array.isArray(value)) {
    if (node.listType === 'set') {
      for (const i of repeatedIndices(value.map(canonicalJson))) out.push(field.duplicate(`${path}[${i}]`, value[i]));
    } else if (node.listType === 'map') {
      out.push(...listMapErrors(node, value, path));
    }
    if (node.items) value.forEach((v, i) => out.push(...listTypeErrors(node.items as SchemaNode, v, `${path}[${i}]`, false)));
  }
  return out;
}

function listMapErrors(node: SchemaNode, list: unknown[], path: string): ErrorList {
  const bad = list.findIndex((x) => x !== null && !isObject(x));
  if (bad >= 0) return [field.invalid(`${path}[${bad}]`, list[bad], 'must be an object for an array of list-type map')];
  const keys = list.map((x) => {
    const key: Record<string, unknown> = {};
    for (const k of node.listMapKeys) if (isObject(x) && hasOwn(x, k)) key[k] = x[k];
    return key;
  });
  return repeatedIndices(keys.map(canonicalJson)).map((i) => field.duplicate(`${path}[${i}]`, keys[i]));
}

/** Index of the second occurrence of each repeated entry (listtype reports each repeat once). */
function repeatedIndices(entries: string[]): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  entries.forEach((e, i) => {
    const times = seen.get(e) ?? 0;
    if (times === 1) out.push(i);
    seen.set(e, times + 1);
  });
  return out;
}

// apiextensions schema/cel Validator: rules on every present node, deepest last; paths as field.Path.
function celErrors(
  node: SchemaNode,
  value: unknown,
  old: unknown,
  path: string,
  ratchet: RatchetPosition,
  isRoot: boolean,
  rulesBelow: (node: SchemaNode) => boolean,
  out: { errors: ErrorList; warnings: string[] },
): void {
  if (value === null || value === undefined || !rulesBelow(node)) return;
  if (old === null) old = undefined;
  if (node.rules.length > 0) {
    // One CEL view of self (and oldSelf) per node, shared by its rules.
    const self = celValue(node, value, isRoot);
    const oldSelf = old === undefined ? undefined : celValue(node, old, isRoot);
    for (const rule of node.rules) evaluateRule(node, rule, { self, oldSelf }, path, ratchet, out);
  }
  for (const alternative of node.alternatives) {
    if (alternative.types.length === 0 || !typeMismatch(alternative, jsonType(value))) {
      celErrors(alternative, value, old, path, ratchet, isRoot, rulesBelow, out);
      break;
    }
  }
  for (const sub of node.allOf) celErrors(sub, value, old, path, { nearest: ratchet.nearest }, isRoot, rulesBelow, out);

  if (isObject(value)) {
    const oldMap = isObject(old) && node.mapType !== 'atomic' ? old : undefined;
    for (const [key, v] of Object.entries(value)) {
      const sub = childSchema(node, key);
      if (!sub || prunedNull(sub.node, v)) continue;
      const childPath = sub.declared ? (path === '' ? key : `${path}.${key}`) : `${path}[${key}]`;
      const oldChild = oldMap && hasOwn(oldMap, key) ? oldMap[key] : undefined;
      celErrors(sub.node, v, oldChild, childPath, ratchetKey(ratchet, key), false, rulesBelow, out);
    }
  } else if (Array.isArray(value) && node.items) {
    const oldByKey =
      node.listType === 'map' && Array.isArray(old)
        ? new Map(old.map((item) => [listMapKey(node, item), item]))
        : undefined;
    value.forEach((v, i) => {
      const oldItem = oldByKey?.get(listMapKey(node, v));
      celErrors(node.items as SchemaNode, v, oldItem, `${path}[${i}]`, ratchetIndex(ratchet, i), false, rulesBelow, out);
    });
  }
}

function evaluateRule(
  node: SchemaNode,
  rule: CelRule,
  views: { self: unknown; oldSelf: unknown },
  path: string,
  ratchet: RatchetPosition,
  out: { errors: ErrorList; warnings: string[] },
): void {
  const at = errPath(path);
  if (rule.compileError !== undefined) {
    out.errors.push(field.invalid(at, node.typeLabel, `rule compile error: ${rule.compileError}`));
    return;
  }
  if (!rule.program) return;
  // Transition rules only run when there is an old value to compare with (unless oldSelf is optional).
  const { self, oldSelf } = views;
  if (rule.usesOldSelf && oldSelf === undefined && !rule.optionalOldSelf) return;

  const activation: Record<string, unknown> = { self };
  if (rule.usesOldSelf) {
    activation.oldSelf = rule.optionalOldSelf ? (oldSelf === undefined ? Optional.none() : Optional.of(oldSelf)) : oldSelf;
  }
  let result: unknown;
  try {
    result = rule.program(activation);
  } catch (e) {
    // Evaluation errors are never ratcheted.
    const text = celErrorText(e);
    const detail = text.startsWith('no such overload')
      ? `'no such overload': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`
      : `${text} evaluating rule: ${ruleErrorString(rule)}`;
    out.errors.push(field.invalid(at, node.typeLabel, detail));
    return;
  }
  if (result === true) return;

  const target = rule.fieldPath.reduce((p, name) => (p === '' ? name : `${p}.${name}`), path);
  const detail = evalMessageExpression(rule, activation) ?? ruleMessageOrDefault(rule);
  const err = fieldErrorForReason(errPath(target), node.typeLabel, detail, rule.reason);
  if (!rule.usesOldSelf && shouldRatchet(ratchet)) out.warnings.push(field.errorString(err));
  else out.errors.push(err);
}

function fieldErrorForReason(path: string, value: string, detail: string, reason: string | undefined): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return field.forbidden(path, detail);
    case 'FieldValueRequired':
      return field.required(path, detail);
    case 'FieldValueDuplicate':
      return field.duplicate(path, value);
    default:
      return field.invalid(path, value, detail);
  }
}

/**
 * The CEL view of a value (UnstructuredToVal): integers become CEL ints (bigint), nulls kube would have
 * pruned are left out so `has()` sees them absent, and the resource root exposes only metadata.name
 * and metadata.generateName.
 */
function celValue(node: SchemaNode, value: unknown, isRoot: boolean): unknown {
  const shape = node.alternatives.find((a) => !typeMismatch(a, jsonType(value)));
  if (shape) return celValue(shape, value, isRoot);
  if (typeof value === 'number') {
    const wantsInt = node.types.includes('integer') && !node.types.includes('number');
    return wantsInt && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    const items = node.items;
    return value.map((v) => (items ? celValue(items, v, false) : v));
  }
  if (!isObject(value)) return value;
  const entries: [string, unknown][] = [];
  for (const [key, v] of Object.entries(value)) {
    if (isRoot && key === 'metadata' && isObject(v)) {
      const meta = Object.entries(v).filter(([k, mv]) => (k === 'name' || k === 'generateName') && typeof mv === 'string');
      entries.push([key, Object.fromEntries(meta)]);
      continue;
    }
    const sub = childSchema(node, key);
    if (sub && prunedNull(sub.node, v)) continue;
    entries.push([key, sub ? celValue(sub.node, v, false) : v]);
  }
  return Object.fromEntries(entries);
}

// ---- 'typed' mode: what Go's encoding/json says ----------------------------------------------------

interface GoDecodeContext {
  /** The innermost Go struct whose field is being decoded. */
  struct?: string;
  /** JSON names of the struct fields on the way (array indexes and map keys are not part of it). */
  fields: string[];
}

function goDecodeError(
  node: SchemaNode,
  value: unknown,
  at: GoDecodeContext,
  derived: string,
  depth: number,
): string | undefined {
  if (value === null || value === undefined || node.types.length === 0) return undefined;
  const kind = goJsonKind(value);
  const shape = node.alternatives.find((a) => a.types.length === 0 || a.types.some((t) => goAccepts(t, kind))) ?? node;
  const accepted = shape.types.length === 0 || shape.types.some((t) => goAccepts(t, kind));
  if (!accepted || (node.intOrString && kind !== 'string' && kind !== 'number')) {
    return unmarshalError(kind, goType(shape, derived), at);
  }
  if (kind === 'number' && shape.types.includes('integer') && !shape.types.includes('number')) {
    const n = value as number;
    if (!fitsGoInt(n, shape.format)) return unmarshalError(`number ${goNumber(n)}`, goType(shape, derived), at);
  }
  for (const sub of node.allOf) {
    const err = goDecodeError(sub, value, at, derived, depth);
    if (err) return err;
  }
  if (Array.isArray(value) && shape.items) {
    for (const item of value) {
      const err = goDecodeError(shape.items, item, at, derived, depth);
      if (err) return err;
    }
  }
  if (isObject(value)) {
    const own = structName(shape, derived);
    for (const [key, v] of Object.entries(value)) {
      const sub = childSchema(shape, key);
      if (!sub) continue;
      const err = sub.declared
        ? goDecodeError(sub.node, v, { struct: own, fields: [...at.fields, key] }, childStructName(own, key, depth), depth + 1)
        : goDecodeError(sub.node, v, at, derived, depth);
      if (err) return err;
    }
  }
  return undefined;
}

function unmarshalError(valueWord: string, goTypeName: string, at: GoDecodeContext): string {
  if (at.struct !== undefined || at.fields.length > 0) {
    const structField = `${at.struct ?? ''}.${at.fields.join('.')}`;
    return `json: cannot unmarshal ${valueWord} into Go struct field ${structField} of type ${goTypeName}`;
  }
  return `json: cannot unmarshal ${valueWord} into Go value of type ${goTypeName}`;
}

function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  return typeof v === 'object' ? 'object' : 'string';
}

function goAccepts(schemaType: string, kind: string): boolean {
  switch (schemaType) {
    case 'integer':
    case 'number':
      return kind === 'number';
    case 'boolean':
      return kind === 'bool';
    default:
      return schemaType === kind;
  }
}

function fitsGoInt(v: number, format: string | undefined): boolean {
  if (!Number.isInteger(v)) return false;
  if (format === 'int32') return v >= -(2 ** 31) && v < 2 ** 31;
  return v >= -(2 ** 63) && v < 2 ** 63;
}

/** The Go type a schema stands for, as reflect prints it: string, int64, []v1.TagReference, map[string]string. */
function goType(node: SchemaNode, derived: string): string {
  if (node.intOrString) return 'intstr.IntOrString';
  if (node.definition) return qualifiedGoName(node.definition);
  if (node.types.length !== 1) return 'interface {}';
  switch (node.types[0]) {
    case 'string':
      return 'string';
    case 'integer':
      return node.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return node.format === 'float' ? 'float32' : 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${node.items ? goType(node.items, derived) : 'interface {}'}`;
    case 'object': {
      const values = node.additional ?? node.patternProperties[0]?.node;
      if (values && node.properties.size === 0) return `map[string]${goType(values, derived)}`;
      return `v1.${derived}`;
    }
    default:
      return 'interface {}';
  }
}

/** `com.github.openshift.api.image.v1.TagReference` -> `v1.TagReference`. */
function qualifiedGoName(definition: string): string {
  const parts = definition.split('.');
  return parts.length > 1 ? parts.slice(-2).join('.') : definition;
}

function structName(node: SchemaNode, derived: string): string {
  return node.definition ? (node.definition.split('.').pop() as string) : derived;
}

/** Without a definition name, guess Go's: ImageSpec under Image, then the field name capitalized. */
function childStructName(parent: string, key: string, depth: number): string {
  const capitalized = key.charAt(0).toUpperCase() + key.slice(1);
  return depth === 0 ? `${parent}${capitalized}` : capitalized;
}

// ---- formats (kube-openapi strfmt, the ones a CRD validates) ----------------------------------------

const normalizeFormat = (format: string) => format.replace(/-/g, '');

const KUBE_HOSTNAME =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;

function isKubeHostname(s: string): boolean {
  return KUBE_HOSTNAME.test(s) && Buffer.byteLength(s) <= 255 && s.split('.').every((p) => Buffer.byteLength(p) <= 63);
}

/** netutils.ParseIPSloppy: leading zeros in IPv4 octets are tolerated. */
const sloppyIPv4 = (s: string) => isIPv4(s.replace(/(^|\.)0+(?=\d)/g, '$1'));

function isCIDR(s: string): boolean {
  const [ip, bits, extra] = s.split('/');
  if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits)) return false;
  if (sloppyIPv4(ip)) return Number(bits) <= 32;
  return isIPv6(ip) && Number(bits) <= 128;
}

function ajvFormat(name: keyof typeof fullFormats): (s: string) => boolean {
  const def: unknown = fullFormats[name];
  const check = isObject(def) && 'validate' in def ? def.validate : def;
  if (check instanceof RegExp) return (s) => check.test(s);
  if (typeof check === 'function') return (s) => Boolean(check(s));
  throw new Error(`schema validation: ajv-formats has no usable ${name} format`);
}

/** kube-openapi's UUID patterns: hyphens optional, upper case allowed; v4/v5 also pin the variant. */
const uuidPattern = (version: string) => {
  const variant = version === '[0-9a-f]' ? '[0-9a-f]' : '[89ab]';
  return new RegExp(`^[0-9a-f]{8}-?[0-9a-f]{4}-?${version}[0-9a-f]{3}-?${variant}[0-9a-f]{3}-?[0-9a-f]{12}$`, 'i');
};

const FORMAT_CHECKS: Partial<Record<string, (s: string) => boolean>> = {
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
  uri: ajvFormat('uri'),
  email: ajvFormat('email'),
  hostname: isKubeHostname,
  ipv4: sloppyIPv4,
  ipv6: (s) => isIPv6(s),
  cidr: isCIDR,
  mac: (s) => /^(?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^(?:[0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$/.test(s),
  uuid: (s) => uuidPattern('[0-9a-f]').test(s),
  uuid3: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  uuid4: (s) => uuidPattern('4').test(s),
  uuid5: (s) => uuidPattern('5').test(s),
  hexcolor: (s) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(s),
  ssn: (s) => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(s),
  byte: (s) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s),
  password: () => true,
  date: ajvFormat('date'),
  datetime: ajvFormat('date-time'),
  duration: (s) => /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$|^0$/.test(s),
};

// ---- values --------------------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** JSON with object keys sorted, as Go's json.Marshal of a map: equal values give equal text. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Go's %q for the ASCII text these messages carry. */
const goQuote = (s: string) => JSON.stringify(s);

/** Go's %v of a float64 (%g, shortest): exponent form below 1e-4 and from 1e6 on (`1e+06`). */
function goFloat(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  const [mantissa, exp] = v.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 6) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(v);
}

/** How Go prints the number literal it could not store (`number 1.5`). */
const goNumber = (v: number) => String(v);
