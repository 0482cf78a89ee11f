/** The merchant API's failure and the one function that calls it (`API.md`, "Merchant API"); its shapes are in `common/api.ts`. */
import { Problem, TIMEOUT } from '../common/request.ts';

/** A failed call, with what the server said: its `detail`, `Retry-After` seconds for a 429, and a 400's field errors. */
export class MerchantProblem extends Problem {
  constructor(
    status: number,
    code: string,
    readonly detail = '',
    readonly retryAfter = 0,
    errors: { path: string; message: string }[] = [],
  ) {
    super(status, code, errors);
  }
}

/**
 * The language the server answers in (its problem details and field messages): the one the user
 * chose in the dashboard, which the dashboard keeps as the page's `lang`; else the browser's.
 */
const language = () => document.documentElement.lang || navigator.language;

/**
 * Calls `/api/merchant/<path>` on the dashboard's own origin: the session cookie (httpOnly)
 * goes with it, and the browser adds the `Origin` header the server's CSRF check wants on
 * writes; `Accept-Language` asks for the dashboard's language. `raw` sends a file as the body, typed by its MIME type (the logo upload). Resolves to
 * the parsed answer (undefined for 204); rejects with a `MerchantProblem`
 * (status 0: unreachable or no answer in time), or with the abort error when superseded.
 */
export async function merchant<T>(
  signal: AbortSignal,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  opts: { body?: unknown; key?: string; raw?: Blob } = {},
): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': language() };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.raw) headers['content-type'] = opts.raw.type || 'application/octet-stream';
  if (opts.key) headers['idempotency-key'] = opts.key;
  const init: RequestInit = { method, signal, headers, credentials: 'same-origin' };
  if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
  if (opts.raw) init.body = opts.raw;
  let res: Response;
  let data: { code?: string; detail?: string; errors?: unknown } | undefined;
  try {
    res = await fetch(`/api/merchant/${path}`, init);
    data = res.status === 204 ? undefined : await res.json();
  } catch (e) {
    if (signal.aborted && signal.reason !== TIMEOUT) throw e;
    throw new MerchantProblem(0, 'unavailable');
  }
  if (res.ok) return data as T;
  throw problemOf(res, data);
}

/** A refusal as a `MerchantProblem`, from its status, problem+json body and Retry-After. */
function problemOf(res: Response, data: { code?: string; detail?: string; errors?: unknown } | undefined): MerchantProblem {
  const errors = Array.isArray(data?.errors)
    ? data.errors.filter((e) => typeof e?.path === 'string' && typeof e?.message === 'string')
    : [];
  return new MerchantProblem(res.status, data?.code ?? 'unavailable', data?.detail, Number(res.headers.get('retry-after')) || 0, errors);
}

/**
 * A file the merchant API makes (`GET /api/merchant/<path>`, e.g. the poster) as a Blob of
 * `type`; rejects like `merchant()`, and as a 502 when the answer is of another type (a proxy's page).
 */
export async function merchantFile(signal: AbortSignal, path: string, type: string): Promise<Blob> {
  let res: Response;
  let blob: Blob | undefined;
  let data: { code?: string; detail?: string; errors?: unknown } | undefined;
  try {
    res = await fetch(`/api/merchant/${path}`, { signal, credentials: 'same-origin', headers: { 'accept-language': language() } });
    if (res.ok) blob = await res.blob();
    else data = /json/.test(res.headers.get('content-type') ?? '') ? await res.json() : undefined;
  } catch (e) {
    if (signal.aborted && signal.reason !== TIMEOUT) throw e;
    throw new MerchantProblem(0, 'unavailable');
  }
  if (!blob) throw problemOf(res, data);
  if (blob.type.split(';')[0] !== type) throw new MerchantProblem(502, 'unavailable', `Expected ${type}, got ${blob.type || 'no type'}.`);
  return blob;
}
