import type { Queryable } from '../index.ts';

export interface NewCustomer {
  merchantId: string;
  name: string;
  email: string;
  phone: string | null;
  birthday: string | null;
  locale: string | null;
  marketingConsent: boolean;
}

/** Inserts a customer; null when the merchant already has one with this email. */
export async function insertCustomer(q: Queryable, c: NewCustomer): Promise<{ id: string } | null> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO customers (merchant_id, name, email, phone, birthday, locale, terms_accepted_at, marketing_consent)
     VALUES ($1, $2, $3, $4, $5, $6, now(), $7)
     ON CONFLICT (merchant_id, lower(email)) DO NOTHING
     RETURNING id`,
    [c.merchantId, c.name, c.email, c.phone, c.birthday, c.locale, c.marketingConsent],
  );
  return rows[0] ?? null;
}

export interface CustomerListRow {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  marketing_consent: boolean;
  created_at: Date;
  /** `created_at` to the microsecond, in UTC ISO form (a JS Date keeps only milliseconds). */
  cursor_at: string;
  serial: string;
  stamps: number;
  rewards_available: number;
  points: number;
  tier: string | null;
  cashback_minor: number;
  spend_minor: number;
  updated_at: Date;
}

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * A page of a merchant's customers with their card, newest first. `search` matches name,
 * email or card serial (case-insensitive substring). Keyset pagination on (created_at, id).
 */
export async function listCustomers(
  q: Queryable,
  merchantId: string,
  opts: { search?: string; after?: { at: string; id: string }; limit: number },
): Promise<CustomerListRow[]> {
  const params: unknown[] = [merchantId, opts.limit];
  let where = 'cu.merchant_id = $1';
  if (opts.search) {
    params.push(likePattern(opts.search));
    where += ` AND (cu.name ILIKE $${params.length} OR cu.email ILIKE $${params.length} OR c.serial ILIKE $${params.length})`;
  }
  if (opts.after) {
    params.push(opts.after.at, opts.after.id);
    where += ` AND (cu.created_at, cu.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  const { rows } = await q.query<CustomerListRow>(
    `SELECT cu.id, cu.name, cu.email, cu.phone, cu.marketing_consent, cu.created_at,
            to_char(cu.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
            c.serial, c.stamps, c.rewards_available, c.points, c.tier, c.cashback_minor, c.spend_minor, c.updated_at
       FROM customers cu JOIN cards c ON c.customer_id = cu.id
      WHERE ${where}
      ORDER BY cu.created_at DESC, cu.id DESC
      LIMIT $2`,
    params,
  );
  return rows;
}
