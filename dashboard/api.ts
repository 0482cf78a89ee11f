/** The merchant API's shapes (`API.md`, "Merchant API") and the one function that calls it. */
import { Problem, TIMEOUT } from '../widget/api.ts';

export type { Card, ProgramType } from '../widget/api.ts';
export { Problem };

/** The program object (`API.md`, "The program object"): GET gives it, PUT takes it back whole. */
export interface Program {
  slug: string;
  name: string;
  type: 'stamps' | 'points' | 'tiers' | 'cashback';
  currency: string;
  stampsRequired: number;
  reward: { name: string; costMinor: number };
  pointsPerUnit: number;
  rewards: { id: string; name: string; points: number; costMinor: number }[];
  tiers: { name: string; threshold: number; multiplier: number; perks: string[] }[];
  cashbackPercent: number;
  signupBonus: number;
  referral: { referrerReward: number; refereeReward: number };
  design: { backgroundColor: string; foregroundColor: string; labelColor: string; logoUrl: string | null };
  allowedOrigins: string[];
  locale: 'en' | 'fr';
  googleReviewUrl: string | null;
  websiteUrl: string | null;
  address: string | null;
  terms: string | null;
  locations: { latitude: number; longitude: number; relevantText?: string }[];
}

/** Who is signed in (`GET /api/merchant/me`): owners see every screen, staff the counter and customers. */
export interface Me {
  merchant: { id: string; name: string; email: string };
  user: { id: string; email: string; role: 'owner' | 'staff' } | null;
  role: 'owner' | 'staff';
  via: 'session' | 'api_key';
}

/** A card's state as the customers API gives it (fields of other program types are there too, unused). */
export interface CustomerCard {
  serial: string;
  stamps: number;
  rewardsAvailable: number;
  points: number;
  tier: string | null;
  cashbackBalance: number;
  spend: number;
  updatedAt: string;
}

/** One customer of `GET /api/merchant/customers`. */
export interface CustomerSummary {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  marketingConsent: boolean;
  createdAt: string;
  card: CustomerCard;
}

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
 * Calls `/api/merchant/<path>` on the dashboard's own origin: the session cookie (httpOnly)
 * goes with it, and the browser adds the `Origin` header the server's CSRF check wants on
 * writes. `raw` sends a file as the body, typed by its MIME type (the logo upload). Resolves to
 * the parsed answer (undefined for 204); rejects with a `MerchantProblem`
 * (status 0: unreachable or no answer in time), or with the abort error when superseded.
 */
export async function merchant<T>(
  signal: AbortSignal,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  opts: { body?: unknown; key?: string; raw?: Blob } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
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
  const errors = Array.isArray(data?.errors)
    ? data.errors.filter((e) => typeof e?.path === 'string' && typeof e?.message === 'string')
    : [];
  throw new MerchantProblem(res.status, data?.code ?? 'unavailable', data?.detail, Number(res.headers.get('retry-after')) || 0, errors);
}
