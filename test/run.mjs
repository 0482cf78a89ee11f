#!/usr/bin/env node
// Runs every test: the files under test/ with node's test runner (Node 20's --test has no
// globs), then the browser tests (test/browser/) with web-test-runner in Chromium, and the
// widget's (test/browser/*.test.ts) again in WebKit and Firefox.
// TEST_DB=postgres runs the database tests against the PostgreSQL server instead of PGlite; the
// browser tests and the journeys in other engines (test/engines/) do not use that database (they
// start their own server on PGlite), so they are skipped then.
// Extra arguments are passed through: `npm test -- test/api/merchant.happy.test.ts` runs one file,
// `npm test -- test/browser/fidelio-card.test.ts` one browser test file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'support' || d.name === 'browser' || (d.name === 'engines' && POSTGRES) ? [] : find(p);
    return d.name.endsWith('.test.ts') ? [p] : [];
  });
}

const POSTGRES = process.env.TEST_DB === 'postgres';
const CHROMIUM = '/usr/bin/chromium';
/** What the other engines need, and the Debian package of each. */
const ENGINE_NEEDS = [
  ['/usr/bin/WebKitWebDriver', 'webkit2gtk-driver'],
  ['/usr/bin/firefox-esr', 'firefox-esr'],
  ['/usr/bin/WPEWebDriver', 'wpewebkit-driver'],
  ['/usr/bin/cog', 'cog'],
  ['/usr/bin/xvfb-run', 'xvfb xauth'],
];
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

const allBrowsers = !files.length && !POSTGRES;
const needsEngines = allBrowsers || nodeFiles.some((f) => f.split(/[\\/]/).includes('engines'));
const missing = needsEngines ? ENGINE_NEEDS.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg) : [];
if (missing.length) {
  console.error(`fidelio: the tests in WebKit and Firefox need \`apt-get install ${missing.join(' ')}\` (Debian/Ubuntu).`);
  process.exit(1);
}

let failed = false;
if (nodeFiles.length) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...flags, ...nodeFiles], {
    stdio: 'inherit',
  });
  failed ||= r.status !== 0;
}

const bin = join(dirname(createRequire(import.meta.url).resolve('@web/test-runner')), 'bin.js');
/** web-test-runner in `engine` (test/support/engines.ts); WebKit under an X display of its own when there is none. */
function webTestRunner(engine, runnerArgs) {
  const command = [process.execPath, '--import', 'tsx', bin, ...runnerArgs];
  const [exe, ...rest] =
    engine === 'webkit' && !process.env.DISPLAY ? ['xvfb-run', '-a', '-s', '-screen 0 1600x1200x24', ...command] : command;
  return spawnSync(exe, rest, { stdio: 'inherit', env: { ...process.env, BROWSERS: engine } }).status === 0;
}

if (browserFiles.length || allBrowsers) {
  failed = !webTestRunner('chromium', browserFiles.length ? ['--files', ...browserFiles] : []) || failed;
}
// The widget's tests (not the dashboard's: the merchant's screens are Chromium's) in WebKit and Firefox.
if (allBrowsers) {
  for (const engine of ['webkit', 'firefox']) failed = !webTestRunner(engine, ['--files', 'test/browser/*.test.ts']) || failed;
}

process.exit(failed ? 1 : 0);
