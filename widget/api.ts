/** The one function that calls the public API (`API.md`, "Public API"); its shapes are in `common/api.ts`. */
import { Problem, TIMEOUT, warn } from '../common/request.ts';

/**
 * GET (no body) or POST JSON, resolving to the parsed answer. Rejects with a `Problem`, or
 * with the abort error itself when a newer request superseded this one.
 */
export async function call<T>(url: string, signal: AbortSignal, body?: unknown): Promise<T> {
  const init: RequestInit =
    body === undefined
      ? { signal }
      : { signal, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  let res: Response | undefined;
  let data: { code?: string; errors?: Problem['errors'] } | undefined;
  try {
    res = await fetch(url, init);
    data = await res.json();
  } catch (e) {
    if (signal.aborted && signal.reason !== TIMEOUT) throw e;
  }
  if (res?.ok && data) return data as T;
  const status = res?.status ?? 0;
  // 400, 409 and 429 are answers the visitor can act on; the rest is for the site owner.
  if (![400, 409, 429].includes(status))
    warn(`${init.method ?? 'GET'} ${url} failed: ${status || (signal.aborted ? 'no answer in time' : 'unreachable')}`);
  throw new Problem(status, data?.code ?? 'unavailable', data?.errors);
}
