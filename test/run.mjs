#!/usr/bin/env node
// Runs every test: the files under test/ with node's test runner (Node 20's --test has no
// globs), then the widget's browser tests (test/browser/) with web-test-runner in Chromium.
// TEST_DB=postgres runs the database tests against the PostgreSQL server instead of PGlite; the
// browser tests do not use that database (they start their own server), so they are skipped then.
// Extra arguments are passed through: `npm test -- test/api/merchant.happy.test.ts` runs one file,
// `npm test -- test/browser/fidelio-card.test.ts` one browser test file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'support' || d.name === 'browser' ? [] : find(p);
    return d.name.endsWith('.test.ts') ? [p] : [];
  });
}

const CHROMIUM = '/usr/bin/chromium';
const isBrowser = (file) => file.split(/[\\/]/).includes('browser');
const args = process.argv.slice(2);
const files = args.filter((a) => a.endsWith('.ts'));
const flags = args.filter((a) => !a.endsWith('.ts'));
const nodeFiles = files.length ? files.filter((f) => !isBrowser(f)) : find('test').sort();
const browserFiles = files.filter(isBrowser);

// The browser and end-to-end tests drive Debian's Chromium; say so plainly when it is missing.
const needsChromium = browserFiles.length > 0 || nodeFiles.some((f) => f.split(/[\\/]/).includes('e2e'));
if (needsChromium && !existsSync(CHROMIUM)) {
  console.error(`fidelio: the browser tests need Chromium at ${CHROMIUM}: install it with \`apt-get install chromium\` (Debian/Ubuntu).`);
  process.exit(1);
}

let failed = false;
if (nodeFiles.length) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...flags, ...nodeFiles], {
    stdio: 'inherit',
  });
  failed ||= r.status !== 0;
}

if (browserFiles.length || (!files.length && process.env.TEST_DB !== 'postgres')) {
  const bin = join(dirname(createRequire(import.meta.url).resolve('@web/test-runner')), 'bin.js');
  const r = spawnSync(process.execPath, ['--import', 'tsx', bin, ...(browserFiles.length ? ['--files', ...browserFiles] : [])], {
    stdio: 'inherit',
  });
  failed ||= r.status !== 0;
}

process.exit(failed ? 1 : 0);
