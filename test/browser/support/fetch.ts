/**
 * A stand-in for the page's `fetch` in element tests: every call is recorded, and `answer`
 * decides the response (a `Response`, or a promise of one: `never` for a server that does not
 * answer). Abort signals are honoured like the real fetch.
 *
 * Every JSON answer it serves is held to the server's own schema for that route and status
 * (test/support/contract.ts, through web-test-runner.config.mjs): a test whose answer has
 * drifted from what the server sends fails once it ends, naming the route and the field.
 */
import { executeServerCommand } from '@web/test-runner-commands';

export { API, cardAnswer, program } from './answers.ts';

export interface Call {
  url: URL;
  method: string;
  body: unknown;
  headers: Headers;
  signal?: AbortSignal | null;
}

export type Answer = (call: Call) => Response | Promise<Response>;

/** The contract checks of the answers served during the current test. */
let checks: Promise<string[]>[] = [];

/** The bodies `json()` made, so that checking one reads no stream (a clone's would land a task later). */
const bodies = new WeakMap<Response, string>();

/** What is wrong with `res` as the server's answer to `call` (nothing when it is not JSON). */
async function offContract(call: Call, res: Response): Promise<string[]> {
  if (!/json/.test(res.headers.get('content-type') ?? '')) return [];
  const { method, url } = call;
  const body: unknown = JSON.parse(bodies.get(res) ?? (await res.clone().text()));
  const issues = await executeServerCommand<string[], unknown>('fidelio-answer-issues', {
    method,
    path: url.pathname,
    status: res.status,
    body,
  });
  return issues.map((issue) => `${method} ${url.pathname} → ${res.status}: ${issue}`);
}

// Named: mocha shows the hook by its function's name when it fails.
afterEach(async function answersKeepToTheServersContract() {
  const issues = (await Promise.all(checks)).flat();
  checks = [];
  if (issues.length) throw new Error(`answers the server would not give (server/contract/):\n  ${issues.join('\n  ')}`);
});

export function stubFetch(answer: Answer): { calls: Call[]; restore: () => void } {
  const original = window.fetch;
  const calls: Call[] = [];
  window.fetch = (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call = {
      // Relative URLs (the dashboard calls its own origin) resolve against the page.
      url: new URL(String(input), location.href),
      method: init.method ?? 'GET',
      // JSON bodies parsed; a file (Blob) as it was sent.
      body: typeof init.body === 'string' ? JSON.parse(init.body) : (init.body ?? undefined),
      headers: new Headers(init.headers),
      signal: init.signal,
    };
    calls.push(call);
    const signal = init.signal;
    return new Promise<Response>((resolve, reject) => {
      const abort = () => reject(new DOMException('The operation was aborted.', 'AbortError'));
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort);
      Promise.resolve(answer(call)).then((res) => {
        // Checked beside the test: the element gets its answer when it would anyway.
        checks.push(offContract(call, res));
        resolve(res);
      }, reject);
    });
  };
  return { calls, restore: () => (window.fetch = original) };
}

export function json(body: unknown, status = 200): Response {
  const text = JSON.stringify(body);
  const res = new Response(text, {
    status,
    headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' },
  });
  bodies.set(res, text);
  return res;
}

export const problem = (status: number, code: string, errors: { path: string; message: string }[] = []): Response =>
  json({ type: 'about:blank', title: code, status, detail: code, code, ...(errors.length ? { errors } : {}) }, status);

/** A server that never answers. */
export const never = (): Promise<Response> => new Promise(() => {});
