// schemas/ is generated from the TypeBox sources: this fails when someone changed a kind and forgot `npm run schemas`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resourceDefinitions } from '../../src/apis/index.js';
import { renderSchemaFiles } from '../../src/registry/schema-files.js';

const ROOT = join(import.meta.dirname, '..', '..');

test('schemas/ matches the TypeBox sources (run `npm run schemas`)', () => {
  const rendered = renderSchemaFiles(resourceDefinitions);
  for (const [path, content] of rendered) {
    assert.equal(readFileSync(join(ROOT, path), 'utf8'), content, `${path} is stale: run npm run schemas`);
  }
  const onDisk = readdirSync(join(ROOT, 'schemas'), { recursive: true })
    .map(String)
    .filter((p) => p.endsWith('.json'))
    .map((p) => join('schemas', p))
    .sort();
  assert.deepEqual(onDisk, [...rendered.keys()].sort(), 'schemas/ holds exactly one file per served kind');
});
