// Browser tests of the widget's elements (test/browser/*.test.ts) in Debian's Chromium.
// Element tests stub the page's fetch; the signup → card path runs against a real fidelio
// server, started here on a free port with a throwaway data directory and the demo program
// (`cafe-lune`), and stopped when the run ends. Its URL reaches the tests as `window.FIDELIO_API`.
// Runs under `node --import tsx` (see `npm run test:browser`), so it shares the TypeScript
// helpers of the other tests. Every JSON answer a test's stubbed fetch serves is checked here
// against the server's schema for that route (test/browser/support/fetch.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { answerIssues } from './test/support/contract.ts';
import { enginesFromEnv, launcherOf } from './test/support/engines.ts';
import { startServer } from './test/support/server-process.ts';

let api = '';

/** The fidelio server as a child process, for the tests that talk to a real API. */
function fidelioServer() {
  let server;
  let dataDir;
  return {
    name: 'fidelio-server',
    async serverStart() {
      // Never a database from the environment: the embedded one, in a directory of its own.
      dataDir = mkdtempSync(join(tmpdir(), 'fidelio-wtr-'));
      server = await startServer({ NODE_ENV: 'development', DEMO: '1', DATA_DIR: dataDir });
      // If the runner is killed before serverStop, the server goes with it.
      process.once('exit', () => server.child.kill());
      api = server.url;
    },
    async serverStop() {
      if (server && server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `executeServerCommand('fidelio-answer-issues', …)`: what is wrong with a stub's answer, by the server's own schemas. */
function contractCheck() {
  return {
    name: 'fidelio-contract',
    executeCommand({ command, payload }) {
      if (command !== 'fidelio-answer-issues') return undefined;
      const { method, path, status, body } = payload;
      return answerIssues(method, path, status, body);
    },
  };
}

const engines = enginesFromEnv();

export default {
  files: 'test/browser/**/*.test.ts',
  nodeResolve: true,
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' }), fidelioServer(), contractCheck()],
  testRunnerHtml: (testFramework) =>
    `<!doctype html><html lang="en"><body><script>window.FIDELIO_API = ${JSON.stringify(api)};</script><script type="module" src="${testFramework}"></script></body></html>`,
  // BROWSERS=chromium (default), webkit, firefox, or several: see test/support/engines.ts.
  browsers: await Promise.all(engines.map(launcherOf)),
  // WebDriver drives one top-level window at a time.
  ...(engines.includes('webkit') && { concurrency: 1 }),
};
