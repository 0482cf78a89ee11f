// What the worker tests that kill a process share: a child process of the test's own (a worker
// run by a script in test/support), its output kept for the failure message, and waiting on a
// condition.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const children = new Set<ChildProcess>();

export interface TestChild {
  child: ChildProcess;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** Its exit code, or the signal that ended it. */
  exited: Promise<NodeJS.Signals | number | null>;
}

/** Runs `test/support/<script>` under tsx with `args`, outside the test runner's own context. */
export function spawnChild(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): TestChild {
  const childEnv = { ...env };
  delete childEnv.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('close', (code, signal) => resolve(signal ?? code)));
  return { child, output: () => output, exited };
}

/** Kills (SIGKILL) every child `spawnChild` started that still runs: for a test file's `after`. */
export function killChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Polls `fn` every 10 ms until it returns something truthy; `what` (read on failure) names what was awaited. */
export async function until<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 5000,
  what: string | (() => string) = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
