/** The public API's shapes (`API.md`, "Public API") and the one function that calls it. */

export type ProgramType = 'stamps' | 'points' | 'tiers' | 'cashback';

export interface Card {
  serial: string;
  programType: ProgramType;
  stamps: number | null;
  stampsRequired: number | null;
  rewardsAvailable: number | null;
  points: number | null;
  tier: string | null;
  cashbackBalance: number | null;
  customerName: string;
  updatedAt: string;
}

export interface CardAnswer {
  card: Card;
  links: { card: string; applePass: string; googleSave: string; qr: string };
}

export interface ProgramInfo {
  merchant: { name: string; slug: string; logoUrl: string | null; colors?: { background?: string; foreground?: string }; locale: string };
  program: { type: ProgramType; name: string; currency?: string; stampsRequired?: number; reward?: { name: string }; signupBonus?: number };
  features?: { reviews?: boolean; referrals?: boolean; surveys?: boolean };
  googleReviewUrl?: string | null;
}

export interface Referral {
  code: string;
  url: string;
  invited: number;
  joined: number;
  rewarded: number;
}

export interface Review {
  rating: number;
  text: string | null;
  name: string | null;
  createdAt: string;
}

export interface ReviewsPage {
  average: number | null;
  count: number;
  reviews: Review[];
  nextCursor: string | null;
}

/** A failed call: `status` 0 when the server could not be reached or did not answer in time. */
export class Problem {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {}
}

/** The reason a request is aborted with when it took too long (see `Request`). */
export const TIMEOUT = 'timeout';

const warned = new Set<string>();

/** One `[fidelio]` console line per problem, however often it happens. */
export function warn(problem: string): void {
  if (!warned.has(problem)) {
    warned.add(problem);
    console.warn(`[fidelio] ${problem}`);
  }
}

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
