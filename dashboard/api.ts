/** The merchant API's shapes (`API.md`, "Merchant API") and the one function that calls it. */
import { Problem, TIMEOUT } from '../widget/api.ts';

export type { Card, ProgramType } from '../widget/api.ts';
export { Problem };

/** The parts of the program object the dashboard reads so far. */
export interface Program {
  slug: string;
  name: string;
  type: 'stamps' | 'points' | 'tiers' | 'cashback';
  currency: string;
  stampsRequired: number;
  reward: { name: string };
  rewards: { id: string; name: string; points: number }[];
}

/** A failed call, with what the server said: its `detail`, and `Retry-After` seconds for a 429. */
export class MerchantProblem extends Problem {
  constructor(
    status: number,
    code: string,
    readonly detail = '',
    readonly retryAfter = 0,
  ) {
    super(status, code);
  }
}

/**
 * Calls `/api/merchant/<path>` on the dashboard's own origin: the session cookie (httpOnly)
 * goes with it, and the browser adds the `Origin` header the server's CSRF check wants on
 * writes. Resolves to the parsed answer (undefined for 204); rejects with a `MerchantProblem`
 * (status 0: unreachable or no answer in time), or with the abort error when superseded.
 */
export async function merchant<T>(
  signal: AbortSignal,
  method: 'GET' | 'POST',
  path: string,
  opts: { body?: unknown; key?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.key) headers['idempotency-key'] = opts.key;
  const init: RequestInit = { method, signal, headers, credentials: 'same-origin' };
  if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
  let res: Response;
  let data: { code?: string; detail?: string } | undefined;
  try {
    res = await fetch(`/api/merchant/${path}`, init);
    data = res.status === 204 ? undefined : await res.json();
  } catch (e) {
    if (signal.aborted && signal.reason !== TIMEOUT) throw e;
    throw new MerchantProblem(0, 'unavailable');
  }
  if (res.ok) return data as T;
  throw new MerchantProblem(res.status, data?.code ?? 'unavailable', data?.detail, Number(res.headers.get('retry-after')) || 0);
}
