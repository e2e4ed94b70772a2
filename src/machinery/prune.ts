// Dropping fields a schema does not declare, as typed decoding (and CRD pruning) does in kube-apiserver.
// The schemas are JSON Schemas as TypeBox emits them; the reading follows Kubernetes structural-schema
// semantics rather than JSON Schema's: an object schema without `additionalProperties` declares exactly
// its `properties`, everything else is unknown.

type Schema = { readonly [keyword: string]: unknown };

const PRESERVE_UNKNOWN = 'x-kubernetes-preserve-unknown-fields';

/** Keywords that constrain a value's shape; a schema with none of them (e.g. `{}`) accepts anything. */
const SHAPE_KEYWORDS = [
  'type',
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'prefixItems',
  'allOf',
  'anyOf',
  'oneOf',
  '$ref',
  'enum',
  'const',
];

/** Stands for a schema that accepts any value (`true`, `{}`, an unresolvable `$ref`). */
const ANYTHING: Schema = {};

/**
 * Deletes, in place, every object member of `value` that `schema` does not declare and returns their
 * paths in kube's strict-error form and document order: `spec.foo`, `spec.tags[0].foo`, `metadata.foo`.
 * Matching is case-sensitive. `x-kubernetes-preserve-unknown-fields: true` keeps undeclared members
 * at that level (declared ones are still pruned by their own schemas); `additionalProperties: true`
 * or a schema without shape keywords keeps everything below it. Values whose type the schema does not
 * allow are left alone for validation to report.
 */
export function pruneUnknownFields(value: unknown, schema: object): string[] {
  const pruner = new Pruner(schema as Schema);
  pruner.prune(value, [schema as Schema], '');
  return pruner.pruned;
}

/**
 * Typed decoding skips an unknown field's value, so a key repeated there (or the unknown key itself
 * repeated) is reported only as unknown. Returns the duplicate paths kube would still report.
 */
export function duplicatesOutsideUnknown(duplicates: string[], unknown: string[]): string[] {
  return duplicates.filter(
    (d) => !unknown.some((u) => d === u || d.startsWith(`${u}.`) || d.startsWith(`${u}[`)),
  );
}

class Pruner {
  readonly pruned: string[] = [];
  private readonly patterns = new Map<string, RegExp | null>();
  private ids: Map<string, Schema> | undefined;

  constructor(private readonly root: Schema) {}

  prune(value: unknown, schemas: Schema[], path: string): void {
    if (typeof value !== 'object' || value === null) return;
    const applicable = this.expand(schemas, value);
    if (applicable.some(acceptsAnything)) return;
    // Only schemas describing this kind of value say which members/items exist; with none (say, an
    // object where the schema wants a string) there is nothing to prune by.
    const shaping = applicable.filter((s) => describes(s, value));
    if (shaping.length === 0) return;
    if (Array.isArray(value)) this.pruneItems(value, shaping, path);
    else this.pruneMembers(value as Record<string, unknown>, shaping, path);
  }

  private pruneItems(items: unknown[], schemas: Schema[], path: string): void {
    // An array schema without `items` allows any element.
    if (schemas.some((s) => s.items === undefined && s.prefixItems === undefined)) return;
    items.forEach((item, i) => {
      const itemSchemas = schemas.flatMap((s) => {
        const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined;
        const rest = Array.isArray(s.items) ? s.additionalItems : s.items;
        const itemSchema = prefix && i < prefix.length ? prefix[i] : rest;
        return itemSchema === undefined ? [ANYTHING] : [asSchema(itemSchema)];
      });
      this.prune(item, itemSchemas, `${path}[${i}]`);
    });
  }

  private pruneMembers(obj: Record<string, unknown>, schemas: Schema[], path: string): void {
    const preserveUnknown = schemas.some((s) => s[PRESERVE_UNKNOWN] === true);
    for (const key of Object.keys(obj)) {
      const candidates: Schema[] = [];
      let open = preserveUnknown;
      for (const s of schemas) {
        const properties = s.properties;
        if (isRecord(properties) && Object.hasOwn(properties, key)) {
          candidates.push(asSchema(properties[key]));
          continue;
        }
        let matched = false;
        if (isRecord(s.patternProperties)) {
          for (const [pattern, sub] of Object.entries(s.patternProperties)) {
            if (this.regex(pattern)?.test(key)) {
              candidates.push(asSchema(sub));
              matched = true;
            }
          }
        }
        if (matched) continue;
        const additional = s.additionalProperties;
        if (additional === true) open = true;
        else if (isRecord(additional)) candidates.push(additional);
      }
      const child = path ? `${path}.${key}` : key;
      if (candidates.length > 0) this.prune(obj[key], candidates, child);
      else if (!open) {
        delete obj[key];
        this.pruned.push(child);
      }
    }
  }

  /** The schemas that apply to `value`: `$ref`s resolved, `allOf` flattened, `anyOf`/`oneOf` branches of its type. */
  private expand(schemas: Schema[], value: unknown): Schema[] {
    const out: Schema[] = [];
    const visit = (s: Schema, depth: number) => {
      if (depth > 32) return; // a `$ref` cycle; stop rather than loop
      if (typeof s.$ref === 'string') {
        visit(this.resolve(s.$ref) ?? ANYTHING, depth + 1);
        return;
      }
      if (!typeAllows(s, value)) return;
      out.push(s);
      for (const sub of listOf(s.allOf)) visit(asSchema(sub), depth + 1);
      for (const sub of [...listOf(s.anyOf), ...listOf(s.oneOf)]) visit(asSchema(sub), depth + 1);
    };
    for (const s of schemas) visit(s, 0);
    return out;
  }

  /** `#/…` JSON pointers into the root schema, or a TypeBox `$id` defined somewhere inside it. */
  private resolve(ref: string): Schema | undefined {
    if (ref.startsWith('#')) {
      let node: unknown = this.root;
      for (const raw of ref.slice(1).split('/').slice(1)) {
        const part = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
        node = isRecord(node) && Object.hasOwn(node, part) ? node[part] : undefined;
      }
      return isRecord(node) ? node : undefined;
    }
    this.ids ??= collectIds(this.root);
    return this.ids.get(ref);
  }

  private regex(pattern: string): RegExp | null {
    let re = this.patterns.get(pattern);
    if (re === undefined) {
      try {
        re = new RegExp(pattern, 'u');
      } catch {
        re = null; // an invalid pattern declares nothing
      }
      this.patterns.set(pattern, re);
    }
    return re;
  }
}

function acceptsAnything(s: Schema): boolean {
  return s === ANYTHING || !SHAPE_KEYWORDS.some((k) => s[k] !== undefined);
}

function describes(s: Schema, value: object): boolean {
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (Array.isArray(value)) return types.includes('array') || s.items !== undefined || s.prefixItems !== undefined;
  return (
    types.includes('object') ||
    s.properties !== undefined ||
    s.patternProperties !== undefined ||
    s.additionalProperties !== undefined ||
    s[PRESERVE_UNKNOWN] === true
  );
}

function typeAllows(s: Schema, value: unknown): boolean {
  if (s.type === undefined) return true;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (value === null) return types.includes('null');
  if (Array.isArray(value)) return types.includes('array');
  switch (typeof value) {
    case 'object':
      return types.includes('object');
    case 'string':
      return types.includes('string');
    case 'boolean':
      return types.includes('boolean');
    case 'number':
      return types.includes('number') || (types.includes('integer') && Number.isInteger(value));
  }
  return false;
}

const isRecord = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON Schema booleans: `true` accepts anything; `false` allows no type, so validation, not pruning, rejects. */
const asSchema = (v: unknown): Schema => (isRecord(v) ? v : v === false ? { type: [] } : ANYTHING);

const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function collectIds(root: Schema): Map<string, Schema> {
  const ids = new Map<string, Schema>();
  const seen = new Set<unknown>();
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    const s = node as Schema;
    if (typeof s.$id === 'string' && !ids.has(s.$id)) ids.set(s.$id, s);
    Object.values(s).forEach(walk);
  };
  walk(root);
  return ids;
}
