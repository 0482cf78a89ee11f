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

/** Inserts a customer, the terms accepted and any marketing consent dated now; null when the merchant already has one with this email. */
export async function insertCustomer(q: Queryable, c: NewCustomer): Promise<{ id: string } | null> {
  const { rows } = await q.query<{ id: string }>(
    `WITH c AS (INSERT INTO customers (merchant_id, name, email, phone, birthday, locale, terms_accepted_at, marketing_consent,
                                        marketing_consent_at)
                VALUES ($1, $2, $3, $4, $5, $6, now(), $7, CASE WHEN $7 THEN now() END)
                ON CONFLICT (merchant_id, lower(email)) DO NOTHING
                RETURNING id, merchant_id, marketing_consent),
          logged AS (INSERT INTO consent_events (merchant_id, customer_id, kind, action, actor, source)
                     SELECT merchant_id, id, k.kind, 'given', 'customer', 'signup'
                       FROM c, (VALUES ('terms'), ('marketing')) AS k (kind)
                      WHERE k.kind = 'terms' OR c.marketing_consent)
     SELECT id FROM c`,
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

/** A customer with the card's state: the list, and one customer's page. */
const CUSTOMER_WITH_CARD = `SELECT cu.id, cu.name, cu.email, cu.phone, cu.marketing_consent, cu.created_at,
    to_char(cu.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
    c.serial, c.stamps, c.rewards_available, c.points, c.tier, c.cashback_minor, c.spend_minor, c.updated_at
  FROM customers cu JOIN cards c ON c.customer_id = cu.id`;

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
    `${CUSTOMER_WITH_CARD}
      WHERE ${where}
      ORDER BY cu.created_at DESC, cu.id DESC
      LIMIT $2`,
    params,
  );
  return rows;
}

/** One customer of the merchant with the card's state; undefined for another merchant's. */
export async function getCustomer(q: Queryable, merchantId: string, id: string): Promise<CustomerListRow | undefined> {
  const { rows } = await q.query<CustomerListRow>(
    `${CUSTOMER_WITH_CARD}
      WHERE cu.merchant_id = $1 AND cu.id = $2`,
    [merchantId, id],
  );
  return rows[0];
}

export interface HistoryRow {
  id: number;
  kind: string;
  stamps: number;
  rewards: number;
  points: number;
  cashback_minor: number;
  amount_minor: number | null;
  reward_id: string | null;
  /**
   * The reward's name when the entry was written: the ledger's own, or for a redemption from
   * before the ledger kept it, the redemption's record; null when neither knows.
   */
  reward_name: string | null;
  /** The tier a purchase or a recomputation set (its name then; '' below every tier). */
  tier: string | null;
  actor: string | null;
  /** Who `actor` is, as the merchant knows them: a staff member's email, an API key's name; null if gone. */
  actor_name: string | null;
  reason: string | null;
  created_at: Date;
}

/** The card's ledger, newest first (the last `limit` entries), with who wrote each entry. */
export async function customerHistory(q: Queryable, merchantId: string, customerId: string, limit: number): Promise<HistoryRow[]> {
  const { rows } = await q.query<HistoryRow>(
    `SELECT l.id, l.kind, l.stamps, l.rewards, l.points, l.cashback_minor, l.amount_minor, l.reward_id, l.tier, l.actor, l.reason,
            l.created_at, coalesce(l.reward_name, r.reward_name) AS reward_name, coalesce(su.email, k.name) AS actor_name
       FROM ledger l JOIN cards c ON c.id = l.card_id
       LEFT JOIN redemptions r ON r.ledger_id = l.id
       LEFT JOIN staff_users su ON su.merchant_id = $1 AND l.actor = 'user:' || su.id
       LEFT JOIN api_keys k ON k.merchant_id = $1 AND l.actor = 'key:' || k.id
      WHERE c.customer_id = $2 AND l.merchant_id = $1
      ORDER BY l.id DESC LIMIT $3`,
    [merchantId, customerId, limit],
  );
  return rows;
}

export interface ExportRow {
  name: string;
  email: string;
  phone: string | null;
  birthday: string | null;
  marketing_consent: boolean;
  created_at: Date;
  serial: string;
  stamps: number;
  rewards_available: number;
  points: number;
  tier: string | null;
  cashback_minor: number;
  spend_minor: number;
  /** Giving back's sums of the card's ledger: stamps collected, and the spend of its visits. */
  stamps_collected: number;
  visit_spend_minor: number;
}

/** Every customer of the merchant with the card's state, oldest first: the CSV export. */
export async function exportCustomers(q: Queryable, merchantId: string): Promise<ExportRow[]> {
  const { rows } = await q.query<ExportRow>(
    `SELECT cu.name, cu.email, cu.phone, to_char(cu.birthday, 'YYYY-MM-DD') AS birthday, cu.marketing_consent, cu.created_at,
            c.serial, c.stamps, c.rewards_available, c.points, c.tier, c.cashback_minor, c.spend_minor,
            coalesce(g.stamps, 0)::int8 AS stamps_collected, coalesce(g.spend, 0)::int8 AS visit_spend_minor
       FROM customers cu JOIN cards c ON c.customer_id = cu.id
       LEFT JOIN (SELECT l.card_id, sum(l.stamps) FILTER (WHERE l.kind = 'stamp') AS stamps,
                         sum(l.amount_minor) FILTER (WHERE l.kind IN ('stamp', 'purchase') AND l.amount_minor > 0) AS spend
                    FROM ledger l WHERE l.merchant_id = $1 GROUP BY l.card_id) g ON g.card_id = c.id
      WHERE cu.merchant_id = $1
      ORDER BY cu.created_at, cu.id`,
    [merchantId],
  );
  return rows;
}
