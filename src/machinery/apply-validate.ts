// The typed conversion an applied configuration goes through before it is merged (structured-merge-diff
// typed/validate.go): every field must be declared by the schema, values must have the schema's type,
// items of associative lists must carry their keys, and no key may repeat. Messages and paths are worded
// as upstream prints them (`.spec.foo: field not declared in schema`), including Go's rendering of the
// offending value.
import { goQuote } from './decode.js';
import type { FieldSchema } from './managed-fields.js';
import {
  atomOf,
  childSchema,
  declaredSchema,
  elementString,
  goNumber,
  isPlainObject,
  itemsSchema,
  listItemElement,
  ListItemError,
  listShape,
} from './apply-schema.js';

export interface TypedError {
  /** e.g. `.spec.tags[name="a"].from`; empty for the root. */
  path: string;
  message: string;
}

/** ValidationErrors.Error(): one error bare, several as an indented `errors:` list. */
export function typedErrorsMessage(errs: readonly TypedError[]): string {
  const one = (e: TypedError) => (e.path ? `${e.path}: ${e.message}` : e.message);
  if (errs.length === 1) return one(errs[0]);
  return ['errors:', ...errs.map((e) => `  ${one(e)}`)].join('\n');
}

/** Problems that keep `value` from being a typed value of `schema` (none when it converts). */
export function typedErrors(value: unknown, schema: FieldSchema | undefined): TypedError[] {
  const errs: TypedError[] = [];
  check(value, schema, '', errs);
  return errs;
}

function check(value: unknown, schema: FieldSchema | undefined, path: string, errs: TypedError[]): void {
  // null is a valid value of every type.
  if (value === null || value === undefined) return;
  const s = declaredSchema(schema, value);
  const atom = atomOf(s);
  const fail = (message: string): void => {
    errs.push({ path, message });
  };
  switch (atom.kind) {
    case 'untyped':
      return;
    case 'map': {
      if (!isPlainObject(value)) return fail(`expected map, got ${goPointer(value)}`);
      for (const [key, child] of Object.entries(value)) {
        const c = childSchema(s, key);
        if (!c.declared && !c.schema && atom.closed) {
          // Upstream stops at the first undeclared field of a map.
          errs.push({ path: `${path}.${key}`, message: 'field not declared in schema' });
          return;
        }
        check(child, c.schema, `${path}.${key}`, errs);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) return fail(`expected list, got ${goPointer(value)}`);
      const shape = listShape(s);
      const items = itemsSchema(s);
      if (shape.kind === 'atomic') {
        value.forEach((item, i) => check(item, items, `${path}[${i}]`, errs));
        return;
      }
      const seen = new Set<string>();
      for (const [i, item] of value.entries()) {
        let pe: string;
        try {
          pe = listItemElement(shape, item, items);
        } catch (err) {
          if (!(err instanceof ListItemError)) throw err;
          return fail(`element ${i}: ${err.message}`);
        }
        if (seen.has(pe)) fail(`duplicate entries for key ${elementString(pe)}`);
        seen.add(pe);
        check(item, items, `${path}${elementString(pe)}`, errs);
      }
      return;
    }
    case 'scalar':
      if (atom.scalar === 'numeric' && typeof value !== 'number') fail(`expected numeric (int or float), got ${goType(value)}`);
      else if (atom.scalar === 'string' && typeof value !== 'string') fail(`expected string, got &value.valueUnstructured{Value:${goSharp(value)}}`);
      else if (atom.scalar === 'boolean' && typeof value !== 'boolean') fail(`expected boolean, got ${goPointer(value)}`);
      else if (atom.scalar === 'untyped' && typeof value === 'object') fail(`expected any scalar, got ${goPointer(value)}`);
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Go's fmt verbs applied to an unstructured value (the *value.valueUnstructured upstream formats).

const sortedKeys = (m: Record<string, unknown>) => Object.keys(m).sort();

/** %T */
function goType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** %v */
function goPlain(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goNumber(v);
  if (Array.isArray(v)) return `[${v.map(goPlain).join(' ')}]`;
  if (isPlainObject(v)) return `map[${sortedKeys(v).map((k) => `${k}:${goPlain(v[k])}`).join(' ')}]`;
  return String(v);
}

/** %v of a pointer to the struct wrapping the value. */
const goPointer = (v: unknown) => `&{${goPlain(v)}}`;

/** %#v */
function goSharp(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return goNumber(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSharp).join(', ')}}`;
  if (isPlainObject(v)) return `map[string]interface {}{${sortedKeys(v).map((k) => `${goQuote(k)}:${goSharp(v[k])}`).join(', ')}}`;
  return String(v);
}
