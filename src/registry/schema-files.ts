// The generated JSON Schema files under schemas/: one per kind, written by `npm run schemas` from
// each ResourceDefinition's TypeBox schema and read back by the server for validation. Rendering is
// pure so a test can check the files on disk are current.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import type { ResourceDefinition } from './resource.js';

/** Where a kind's schema lives, relative to the repository root. */
export function schemaFilePath(def: Pick<ResourceDefinition, 'group' | 'kind'>): string {
  return join('schemas', def.group, `${def.kind}.json`);
}

/**
 * JSON with object keys sorted at every level, so a file only changes when the schema does.
 * JSON.stringify drops TypeBox's symbol-keyed bookkeeping ([Kind], [OptionalKind]) by itself.
 */
function sortedValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedValue);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, sortedValue(record[key])]));
}

/** Relative path -> file content (2-space JSON, sorted keys, trailing newline) for every definition. */
export function renderSchemaFiles(defs: ResourceDefinition[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const def of defs) {
    const path = schemaFilePath(def);
    if (files.has(path)) throw new Error(`two definitions write ${path}: ${def.group} ${def.kind} is defined twice`);
    // Round-trip through JSON first: a schema value may carry toJSON or undefined members.
    const plain: unknown = JSON.parse(JSON.stringify(def.schema));
    files.set(path, `${JSON.stringify(sortedValue(plain), null, 2)}\n`);
  }
  return files;
}

/** The generated schema of a kind, as the server validates with it; rootDir is the repository root. */
export function loadSchema(def: Pick<ResourceDefinition, 'group' | 'kind'>, rootDir: string): TSchema {
  const path = join(rootDir, schemaFilePath(def));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the schema of ${def.kind}.${def.group} at ${path} (run \`npm run schemas\`): ${(err as Error).message}`);
  }
  return JSON.parse(text) as TSchema;
}
