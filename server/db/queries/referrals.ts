import type { Queryable } from '../index.ts';

/** The card that owns a referral code in this merchant's program, with its customer's email and phone. */
export async function getReferrerByCode(
  q: Queryable,
  merchantId: string,
  code: string,
): Promise<{ card_id: string; email: string; phone: string | null } | undefined> {
  const { rows } = await q.query<{ card_id: string; email: string; phone: string | null }>(
    `SELECT c.id AS card_id, cu.email, cu.phone FROM cards c JOIN customers cu ON cu.id = c.customer_id
      WHERE c.merchant_id = $1 AND c.referral_code = $2`,
    [merchantId, code],
    'getReferrerByCode',
  );
  return rows[0];
}

export async function insertReferral(
  q: Queryable,
  r: { merchantId: string; referrerCardId: string; refereeCardId: string },
): Promise<void> {
  await q.query('INSERT INTO referrals (merchant_id, referrer_card_id, referee_card_id) VALUES ($1, $2, $3)', [
    r.merchantId,
    r.referrerCardId,
    r.refereeCardId,
  ]);
}

/** The referee's pending referral, row-locked until the transaction settles it. */
export async function lockPendingReferral(
  q: Queryable,
  refereeCardId: string,
): Promise<{ id: string; referrer_card_id: string } | undefined> {
  const { rows } = await q.query<{ id: string; referrer_card_id: string }>(
    `SELECT id, referrer_card_id FROM referrals WHERE referee_card_id = $1 AND status = 'pending' FOR UPDATE`,
    [refereeCardId],
    'lockPendingReferral',
  );
  return rows[0];
}

/** A pending referral paid (`rewarded`, now), or refused over the referrer's cap. */
export async function settleReferral(q: Queryable, id: string, status: 'rewarded' | 'refused'): Promise<void> {
  await q.query(
    `UPDATE referrals SET status = $2, rewarded_at = CASE WHEN $2 = 'rewarded' THEN now() END WHERE id = $1`,
    [id, status],
    'settleReferral',
  );
}

/** How many of the referrer's referrals were rewarded after `since` (the cap's window). */
export async function countRewardedReferrals(q: Queryable, referrerCardId: string, since: Date): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM referrals WHERE referrer_card_id = $1 AND status = 'rewarded' AND rewarded_at > $2`,
    [referrerCardId, since],
    'countRewardedReferrals',
  );
  return rows[0]!.n;
}

export interface ReferralStats {
  /** Signups that used the referrer's code. */
  invited: number;
  /** Of those, the ones whose card has had a first stamp or purchase. */
  joined: number;
  /** Of those, the ones whose referral rewards were paid. */
  rewarded: number;
}

/** How a card's referral code has done, in one query. */
export async function getReferralStats(q: Queryable, referrerCardId: string): Promise<ReferralStats> {
  const { rows } = await q.query<ReferralStats>(
    `SELECT count(*)::int AS invited,
            (count(*) FILTER (WHERE c.activated_at IS NOT NULL))::int AS joined,
            (count(*) FILTER (WHERE r.status = 'rewarded'))::int AS rewarded
       FROM referrals r JOIN cards c ON c.id = r.referee_card_id
      WHERE r.referrer_card_id = $1`,
    [referrerCardId],
    'getReferralStats',
  );
  return rows[0]!;
}

/** The name of the member whose referral code this is, in this merchant's program. */
export async function getReferrerName(q: Queryable, merchantId: string, code: string): Promise<string | undefined> {
  const { rows } = await q.query<{ name: string }>(
    `SELECT cu.name FROM cards c JOIN customers cu ON cu.id = c.customer_id WHERE c.merchant_id = $1 AND c.referral_code = $2`,
    [merchantId, code],
    'getReferrerName',
  );
  return rows[0]?.name;
}
