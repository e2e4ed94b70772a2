// `npm run schemas`: writes schemas/<group>/<Kind>.json for every served kind. The rendering lives in
// src/registry/schema-files.ts; this script only writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resourceDefinitions } from '../src/apis/index.js';
import { renderSchemaFiles } from '../src/registry/schema-files.js';

const rootDir = join(dirname(fileURLToPath(import.meta.url)), '..');

for (const [relativePath, content] of renderSchemaFiles(resourceDefinitions)) {
  const path = join(rootDir, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${relativePath}`);
}
