// How server-side apply reads a kind's JSON Schema and names the places in an object: the schema walk
// k8s.io/kube-openapi schemaconv feeds sigs.k8s.io/structured-merge-diff (structs, granular or atomic maps,
// atomic / set / map lists), and the path elements of fieldpath (`f:`, `k:`, `v:`, `i:`) with their
// human-readable form. The element encoding is the one src/machinery/managed-fields.ts writes to FieldsV1,
// so sets built here and there compare equal.
import { goQuote } from './decode.js';
import type { FieldSchema } from './managed-fields.js';

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asSchema = (v: unknown): FieldSchema | undefined => (isPlainObject(v) ? v : undefined);

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(s: FieldSchema, value: unknown): boolean {
  const t = s.type;
  if (t === undefined) return true;
  const types = Array.isArray(t) ? t : [t];
  const vt = jsonType(value);
  return types.includes(vt) || (vt === 'integer' && types.includes('number'));
}

/** The branch of anyOf/oneOf/allOf that describes `value`; undefined when no alternative accepts its type. */
export function resolveSchema(schema: FieldSchema | undefined, value: unknown): FieldSchema | undefined {
  if (!schema) return undefined;
  const { anyOf, oneOf, allOf, ...rest } = schema;
  let out: FieldSchema = rest;
  const alternatives = Array.isArray(anyOf) ? anyOf : Array.isArray(oneOf) ? oneOf : undefined;
  if (alternatives) {
    const picked = alternatives.map((a) => resolveSchema(asSchema(a), value)).find((a) => a !== undefined && typeMatches(a, value));
    if (!picked) return undefined;
    out = { ...out, ...picked };
  }
  if (Array.isArray(allOf)) for (const part of allOf) out = { ...out, ...resolveSchema(asSchema(part), value) };
  return out;
}

/** The schema a value of the wrong type is checked against: the first alternative that is not `null`. */
export function declaredSchema(schema: FieldSchema | undefined, value: unknown): FieldSchema | undefined {
  const exact = resolveSchema(schema, value);
  if (exact || !schema) return exact;
  const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : [];
  const first = alternatives.map(asSchema).find((a) => a !== undefined && a.type !== 'null');
  return first ? { ...schema, anyOf: undefined, oneOf: undefined, ...first } : schema;
}

/** The struct/map branch of a schema, for walking field sets that carry no values. */
export const mapBranch = (schema: FieldSchema | undefined) => resolveSchema(schema, {});
/** The list branch of a schema. */
export const listBranch = (schema: FieldSchema | undefined) => resolveSchema(schema, []);

/** A field's schema and whether it is a declared struct field (`properties`) rather than a map entry. */
export function childSchema(s: FieldSchema | undefined, key: string): { schema?: FieldSchema; declared: boolean } {
  const props = asSchema(s?.properties);
  if (props && Object.hasOwn(props, key)) return { schema: asSchema(props[key]), declared: true };
  const additional = asSchema(s?.additionalProperties);
  if (additional) return { schema: additional, declared: false };
  for (const [pattern, sub] of Object.entries(asSchema(s?.patternProperties) ?? {})) {
    if (safeRegExp(pattern)?.test(key)) return { schema: asSchema(sub), declared: false };
  }
  return { declared: false };
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

/** What kind of value a schema describes, as schemaconv turns it into a structured-merge-diff atom. */
export type Atom =
  | { kind: 'map'; closed: boolean }
  | { kind: 'list' }
  | { kind: 'scalar'; scalar: 'string' | 'numeric' | 'boolean' | 'untyped' }
  | { kind: 'untyped' };

export function atomOf(s: FieldSchema | undefined): Atom {
  if (!s) return { kind: 'untyped' };
  if (s['x-kubernetes-int-or-string'] === true) return { kind: 'scalar', scalar: 'untyped' };
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  const open = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (types.includes('object') || s.properties !== undefined || s.additionalProperties !== undefined || s.patternProperties !== undefined) {
    const fields = isPlainObject(s.properties) || s.additionalProperties === false;
    const elements = s.additionalProperties !== undefined && s.additionalProperties !== false;
    return { kind: 'map', closed: fields && !elements && s.patternProperties === undefined && !open };
  }
  if (types.includes('array') || s.items !== undefined) return { kind: 'list' };
  if (types.includes('string')) return { kind: 'scalar', scalar: 'string' };
  if (types.includes('integer') || types.includes('number')) return { kind: 'scalar', scalar: 'numeric' };
  if (types.includes('boolean')) return { kind: 'scalar', scalar: 'boolean' };
  return { kind: 'untyped' };
}

export type ListShape = { kind: 'atomic' } | { kind: 'set' } | { kind: 'map'; keys: string[] };

/** x-kubernetes-list-type, else the strategic-merge markers (a merge key makes a map list), else atomic. */
export function listShape(s: FieldSchema | undefined): ListShape {
  const listType = s?.['x-kubernetes-list-type'];
  if (listType === 'set') return { kind: 'set' };
  if (listType === 'map') {
    const keys = s?.['x-kubernetes-list-map-keys'];
    return Array.isArray(keys) && keys.every((k) => typeof k === 'string') ? { kind: 'map', keys } : { kind: 'atomic' };
  }
  if (listType !== undefined) return { kind: 'atomic' };
  const strategy = s?.['x-kubernetes-patch-strategy'];
  if (strategy === 'merge' || strategy === 'merge,retainKeys') {
    const key = s?.['x-kubernetes-patch-merge-key'];
    return typeof key === 'string' ? { kind: 'map', keys: [key] } : { kind: 'set' };
  }
  return { kind: 'atomic' };
}

export const mapIsAtomic = (s: FieldSchema | undefined) => s?.['x-kubernetes-map-type'] === 'atomic';
export const itemsSchema = (s: FieldSchema | undefined) => asSchema(s?.items);

// ---------------------------------------------------------------------------------------------
// Path elements, encoded as in FieldsV1.

export const fieldElement = (name: string) => `f:${name}`;

/** JSON with object keys sorted, so equal values always give the same path element. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A list item that cannot be keyed (message as structured-merge-diff words it). */
export class ListItemError extends Error {}

/** The path element of one item of a granular list: `k:{…}` for map lists, `v:…` for sets. */
export function listItemElement(shape: ListShape, item: unknown, itemSchema: FieldSchema | undefined): string {
  if (shape.kind === 'set') {
    if (isPlainObject(item)) throw new ListItemError("associative list without keys has an element that's a map type");
    if (Array.isArray(item)) throw new ListItemError('not supported: associative list with lists as elements');
    if (item === null) throw new ListItemError("associative list without keys has an element that's an explicit null");
    return `v:${canonicalJson(item)}`;
  }
  if (shape.kind !== 'map') throw new ListItemError('atomic lists have no item keys');
  if (item === null) throw new ListItemError('associative list with keys may not have a null element');
  if (!isPlainObject(item)) throw new ListItemError('associative list with keys may not have non-map elements');
  const props = asSchema(resolveSchema(itemSchema, item)?.properties);
  const fields: Record<string, unknown> = {};
  for (const key of shape.keys) {
    const value = Object.hasOwn(item, key) ? item[key] : asSchema(props?.[key])?.default;
    if (value === undefined) {
      throw new ListItemError(`associative list with keys has an element that omits key field ${JSON.stringify(key)} (and doesn't have default value)`);
    }
    fields[key] = value;
  }
  return `k:${canonicalJson(fields)}`;
}

const ELEMENT_ORDER: Record<string, number> = { 'f:': 0, 'k:': 1, 'v:': 2, 'i:': 3 };

/** fieldpath.PathElement order: field names, then keys, then values, then indexes. */
export function comparePathElements(a: string, b: string): number {
  const ra = ELEMENT_ORDER[a.slice(0, 2)] ?? 4;
  const rb = ELEMENT_ORDER[b.slice(0, 2)] ?? 4;
  if (ra !== rb) return ra - rb;
  if (ra === 3) return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Human-readable paths (fieldpath.Path.String), as conflict messages and typed errors print them.

/** value.ToString: strings Go-quoted, maps as `k=v` pairs. */
function valueString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return goNumber(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (isPlainObject(v)) return Object.keys(v).map((k) => `${k}=${valueString(v[k])}`).join('');
  return String(v);
}

/** Go's %v of a JSON number: int64 as digits, float64 in %g form with the exponent past 1e21 (`1e+21`, `1e-05`). */
export function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const exponent = Math.floor(Math.log10(Math.abs(n)));
  if (n !== 0 && (exponent < -4 || exponent >= 21)) {
    const [mantissa, exp] = n.toExponential().split('e');
    const sign = exp.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return String(n);
}

/** One path element as fieldpath prints it: `.name`, `[name="x"]`, `[="v"]`, `[3]`. */
export function elementString(pe: string): string {
  const rest = pe.slice(2);
  switch (pe.slice(0, 2)) {
    case 'f:':
      return `.${rest}`;
    case 'k:': {
      const fields = JSON.parse(rest) as Record<string, unknown>;
      return `[${Object.keys(fields)
        .sort()
        .map((k) => `${k}=${valueString(fields[k])}`)
        .join(',')}]`;
    }
    case 'v:':
      return `[=${valueString(JSON.parse(rest))}]`;
    case 'i:':
      return `[${rest}]`;
    default:
      return '{{invalid path element}}';
  }
}

export const pathString = (path: readonly string[]) => path.map(elementString).join('');
