// Runs every test file under test/{unit,api,e2e} with Node's test runner (node --test does not expand globs on Node 20).
// A test that runs past 5 minutes fails rather than holding up the suite.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const levels = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'api', 'e2e'];
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else if (entry.endsWith('.test.ts')) files.push(path);
  }
};
for (const level of levels) walk(join('test', level));

const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
