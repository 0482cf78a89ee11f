// The real server as a child process, for the process, end-to-end and benchmark runs.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const children = new Set<ChildProcess>();

/** Kills (SIGKILL) every server this module started that is still running. */
export function killServers(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** A port nothing listens on: bind port 0, read it, let it go. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => srv.listen(0, '127.0.0.1', resolve).once('error', reject));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Server {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
}

/** The environment of a server child: ours minus anything the server reads, plus `env`. */
export function serverEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of [
    'NODE_ENV',
    'PORT',
    'HOST',
    'PUBLIC_URL',
    'DATA_DIR',
    'DATABASE_URL',
    'POSTGRES_URL',
    'SESSION_SECRET',
    'TRUST_PROXY',
    'DEMO',
    'WEBHOOK_PRIVATE_ADDRESSES',
    'APPLE_PASS_TYPE_ID',
    'APPLE_TEAM_ID',
    'APPLE_CERT',
    'APPLE_KEY',
    'APPLE_KEY_PASSPHRASE',
    'APPLE_WWDR',
    'APNS_HOST',
    'SMTP_URL',
    'MAIL_FROM',
    'NODE_EXTRA_CA_CERTS',
    'NODE_TEST_CONTEXT',
  ]) {
    delete base[k];
  }
  return { ...base, ...env };
}

/**
 * Spawns the server; does not wait for it. `entry`: the sources (`tsx`, what `npm run dev`
 * runs) or the build (`dist/server/main.js`, what `npm start` and a deployment run).
 */
export function spawnServer(env: Record<string, string>, entry: 'source' | 'dist' = 'source'): Omit<Server, 'url'> {
  const args = entry === 'source' ? ['--import', 'tsx', 'server/main.ts'] : ['dist/server/main.js'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: serverEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/**
 * Starts the server on a free port and resolves once it says it is listening. Defaults:
 * NODE_ENV=test, DEMO off, PUBLIC_URL http://127.0.0.1:PORT (`host` changes the name).
 */
export async function startServer(env: Record<string, string>, opts: { entry?: 'source' | 'dist'; host?: string } = {}): Promise<Server> {
  const port = await freePort();
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  const s = spawnServer({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: url, DEMO: '0', ...env }, opts.entry);
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (/fidelio: listening on /.test(s.stdout())) {
        s.child.stdout!.off('data', onData);
        resolve();
      }
    };
    s.child.stdout!.on('data', onData);
    s.exited.then((e) => reject(new Error(`the server exited (${e.code ?? e.signal}) before listening:\n${s.stdout()}\n${s.stderr()}`)));
  });
  return { ...s, url };
}
