#!/usr/bin/env node
// Runs every test file under test/ with node's test runner (Node 20's --test has no globs).
// TEST_DB=postgres runs the database tests against the PostgreSQL server instead of PGlite.
// Extra arguments are passed through: `npm test -- test/api/merchant.happy.test.ts` runs one file.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'support' || d.name === 'browser' ? [] : find(p);
    return d.name.endsWith('.test.ts') ? [p] : [];
  });
}

const args = process.argv.slice(2);
const files = args.filter((a) => a.endsWith('.ts'));
const flags = args.filter((a) => !a.endsWith('.ts'));
const list = files.length ? files : find('test').sort();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...flags, ...list], { stdio: 'inherit' });
process.exit(r.status ?? 1);
