import type { Queryable } from '../index.ts';

export type ReviewStatus = 'pending' | 'approved' | 'rejected';

/** A position in a reviews list, newest first: `created_at` to the microsecond and the id. */
export interface ReviewKeyset {
  at: string;
  id: string;
}

/** Before every review: the first page of a newest-first list. */
const START: ReviewKeyset = { at: 'infinity', id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };
const CURSOR_AT = `to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at`;

export interface PublicReviewRow {
  id: string;
  rating: number;
  text: string | null;
  name: string | null;
  created_at: Date;
  /** Written with a card of this merchant that had a visit (a stamp or a purchase) before. */
  verified: boolean;
  /** `created_at` to the microsecond, in UTC ISO form (a JS Date keeps only milliseconds). */
  cursor_at: string;
}

export interface ReviewRow extends PublicReviewRow {
  status: ReviewStatus;
  moderated_at: Date | null;
  /** The name on the reviewer's card, when the review came with one. */
  customer_name: string | null;
}

/**
 * Stores a pending review. `cardSerial` is kept only when it is a card of this program;
 * anything else is stored as no card, so the answer tells nothing about other serials. The
 * review is `verified` when that card had a visit (a stamp or a purchase) before now: decided
 * here, once (a visit after the review changes nothing).
 */
export async function insertReview(
  q: Queryable,
  r: { merchantId: string; programId: string; cardSerial: string | null; rating: number; text: string | null; name: string | null },
): Promise<{ id: string; status: ReviewStatus; verified: boolean; customer_id: string | null }> {
  const { rows } = await q.query<{ id: string; status: ReviewStatus; verified: boolean; customer_id: string | null }>(
    `WITH card AS (SELECT id, customer_id FROM cards WHERE program_id = $2 AND serial = $3 AND merchant_id = $1)
     INSERT INTO reviews (merchant_id, card_id, rating, text, name, verified)
     VALUES ($1, (SELECT id FROM card), $4, $5, $6,
             EXISTS (SELECT 1 FROM ledger l JOIN card ON l.card_id = card.id
                      WHERE l.merchant_id = $1 AND l.kind IN ('stamp', 'purchase') AND l.created_at <= now()))
     RETURNING id, status, verified, (SELECT customer_id FROM card)`,
    [r.merchantId, r.programId, r.cardSerial, r.rating, r.text, r.name],
    'insertReview',
  );
  return rows[0]!;
}

/** The average of the approved ratings (one decimal, null when none) and how many there are. */
export async function getApprovedReviewSummary(q: Queryable, merchantId: string): Promise<{ average: number | null; count: number }> {
  const { rows } = await q.query<{ average: number | null; count: number }>(
    `SELECT round(avg(rating), 1)::float8 AS average, count(*)::int AS count
       FROM reviews WHERE merchant_id = $1 AND status = 'approved'`,
    [merchantId],
    'getApprovedReviewSummary',
  );
  return rows[0]!;
}

/** A page of a merchant's approved reviews, newest first, after `after` (keyset). */
export async function listApprovedReviews(
  q: Queryable,
  merchantId: string,
  opts: { after?: ReviewKeyset; limit: number },
): Promise<PublicReviewRow[]> {
  const after = opts.after ?? START;
  const { rows } = await q.query<PublicReviewRow>(
    `SELECT r.id, r.rating, r.text, r.name, r.verified, r.created_at, ${CURSOR_AT}
       FROM reviews r
      WHERE r.merchant_id = $1 AND r.status = 'approved' AND (r.created_at, r.id) < ($2::timestamptz, $3::uuid)
      ORDER BY r.created_at DESC, r.id DESC
      LIMIT $4`,
    [merchantId, after.at, after.id, opts.limit],
    'listApprovedReviews',
  );
  return rows;
}

const REVIEW_COLUMNS = `r.id, r.rating, r.text, r.name, r.verified, r.status, r.created_at, r.moderated_at, ${CURSOR_AT},
  cu.name AS customer_name`;
const CUSTOMER_JOIN = 'LEFT JOIN cards c ON c.id = r.card_id LEFT JOIN customers cu ON cu.id = c.customer_id';

/** A page of a merchant's reviews (of one status, or all), newest first, for moderation. */
export async function listMerchantReviews(
  q: Queryable,
  merchantId: string,
  opts: { status?: ReviewStatus; after?: ReviewKeyset; limit: number },
): Promise<ReviewRow[]> {
  const after = opts.after ?? START;
  const { rows } = await q.query<ReviewRow>(
    `SELECT ${REVIEW_COLUMNS}
       FROM reviews r ${CUSTOMER_JOIN}
      WHERE r.merchant_id = $1 AND ($2::text IS NULL OR r.status = $2::text)
        AND (r.created_at, r.id) < ($3::timestamptz, $4::uuid)
      ORDER BY r.created_at DESC, r.id DESC
      LIMIT $5`,
    [merchantId, opts.status ?? null, after.at, after.id, opts.limit],
    'listMerchantReviews',
  );
  return rows;
}

/** Approves or rejects one of the merchant's reviews; undefined when it has no such review. */
export async function setReviewStatus(
  q: Queryable,
  merchantId: string,
  id: string,
  status: Exclude<ReviewStatus, 'pending'>,
): Promise<ReviewRow | undefined> {
  const { rows } = await q.query<ReviewRow>(
    `WITH r AS (UPDATE reviews SET status = $3, moderated_at = now() WHERE id = $1 AND merchant_id = $2 RETURNING *)
     SELECT ${REVIEW_COLUMNS} FROM r ${CUSTOMER_JOIN}`,
    [id, merchantId, status],
    'setReviewStatus',
  );
  return rows[0];
}
