// Browser tests of the widget's elements (test/browser/*.test.ts) in Debian's Chromium.
// Element tests stub the page's fetch; the signup → card path runs against a real fidelio
// server, started here on a free port with a throwaway data directory and the demo program
// (`cafe-lune`), and stopped when the run ends. Its URL reaches the tests as `window.FIDELIO_API`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

/** A port nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const api = `http://127.0.0.1:${port}`;

/** The fidelio server as a child process, for the tests that talk to a real API. */
function fidelioServer() {
  let child;
  let dataDir;
  let output = '';
  return {
    name: 'fidelio-server',
    async serverStart() {
      dataDir = mkdtempSync(join(tmpdir(), 'fidelio-wtr-'));
      // Never a database from the environment: the embedded one, in a directory of its own.
      const { DATABASE_URL: _pg, POSTGRES_URL: _vercel, ...env } = process.env;
      child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: { ...env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: api, DATA_DIR: dataDir, DEMO: '1', NODE_ENV: 'development' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // If the runner is killed before serverStop, the server goes with it.
      process.once('exit', () => child.kill());
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ready = await fetch(`${api}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) return;
        const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 200))]);
        if (code !== undefined || Date.now() > deadline) {
          child.kill();
          throw new Error(`the fidelio server did not become ready (${code === undefined ? 'timed out' : `exit ${code}`}):\n${output}`);
        }
      }
    },
    async serverStop() {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export default {
  files: 'test/browser/**/*.test.ts',
  nodeResolve: true,
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' }), fidelioServer()],
  testRunnerHtml: (testFramework) =>
    `<!doctype html><html lang="en"><body><script>window.FIDELIO_API = ${JSON.stringify(api)};</script><script type="module" src="${testFramework}"></script></body></html>`,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
};
