import type { Queryable } from '../index.ts';

/** The card that owns a referral code in this merchant's program, with its customer's email. */
export async function getReferrerByCode(
  q: Queryable,
  merchantId: string,
  code: string,
): Promise<{ card_id: string; email: string } | undefined> {
  const { rows } = await q.query<{ card_id: string; email: string }>(
    `SELECT c.id AS card_id, cu.email FROM cards c JOIN customers cu ON cu.id = c.customer_id
      WHERE c.merchant_id = $1 AND c.referral_code = $2`,
    [merchantId, code],
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

/** Marks the referee's pending referral as rewarded; returns the referrer's card, if there was one. */
export async function claimPendingReferral(q: Queryable, refereeCardId: string): Promise<{ referrer_card_id: string } | undefined> {
  const { rows } = await q.query<{ referrer_card_id: string }>(
    `UPDATE referrals SET status = 'rewarded', rewarded_at = now()
      WHERE referee_card_id = $1 AND status = 'pending' RETURNING referrer_card_id`,
    [refereeCardId],
    'claimPendingReferral',
  );
  return rows[0];
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
