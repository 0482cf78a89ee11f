// A person's data, all of it (the export), and its erasure: what the merchant holds about one
// member, found by the customer's id.
import type { Queryable } from '../index.ts';

type Row = Record<string, unknown>;

const rows = async (q: Queryable, sql: string, params: unknown[]): Promise<Row[]> => (await q.query<Row>(sql, params)).rows;

/** Everything held about a customer of the merchant, or undefined when there is none by this id. */
export async function personalData(q: Queryable, merchantId: string, customerId: string) {
  const [customer] = await rows(
    q,
    `SELECT id, name, email, phone, to_char(birthday, 'YYYY-MM-DD') AS birthday, locale, terms_accepted_at AS "termsAcceptedAt",
            marketing_consent AS "marketingConsent", marketing_consent_at AS "marketingConsentAt",
            marketing_withdrawn_at AS "marketingWithdrawnAt", created_at AS "createdAt"
       FROM customers WHERE merchant_id = $1 AND id = $2`,
    [merchantId, customerId],
  );
  if (!customer) return undefined;
  const [card] = await rows(
    q,
    `SELECT id, serial, referral_code AS "referralCode", stamps, rewards_available AS "rewardsAvailable", points, tier,
            cashback_minor AS "cashbackMinor", spend_minor AS "spendMinor", note, note_at AS "noteAt",
            activated_at AS "activatedAt", created_at AS "createdAt", updated_at AS "updatedAt"
       FROM cards WHERE customer_id = $1`,
    [customerId],
  );
  const cardId = (card?.id as string | undefined) ?? null;
  const byCard = (sql: string) => (cardId ? rows(q, sql, [cardId]) : Promise.resolve([]));
  const [ledger, redemptions, referrals, reviews, surveyAnswers, campaignEffects, deliveries, devices, consent, merchant] =
    await Promise.all([
      byCard(`SELECT kind, stamps, rewards, points, cashback_minor AS "cashbackMinor", amount_minor AS "amountMinor", currency, tier,
                   reward_id AS "rewardId", reason, location_id AS "locationId", created_at AS "at"
              FROM ledger WHERE card_id = $1 ORDER BY id`),
      byCard(`SELECT reward_id AS "rewardId", reward_name AS "rewardName", cost_minor AS "costMinor", currency, created_at AS "at"
              FROM redemptions WHERE card_id = $1 ORDER BY created_at`),
      byCard(`SELECT CASE WHEN referrer_card_id = $1 THEN 'referrer' ELSE 'referred' END AS role, status, created_at AS "at",
                   rewarded_at AS "rewardedAt"
              FROM referrals WHERE referrer_card_id = $1 OR referee_card_id = $1 ORDER BY created_at`),
      byCard(`SELECT rating, text, name, status, verified, created_at AS "at" FROM reviews WHERE card_id = $1 ORDER BY created_at`),
      byCard(`SELECT kind, score, comment, created_at AS "at" FROM survey_answers WHERE card_id = $1 ORDER BY created_at`),
      byCard(`SELECT kind, key, created_at AS "at" FROM campaign_effects WHERE card_id = $1 ORDER BY created_at`),
      byCard(`SELECT channel, status, answer, queued_at AS "queuedAt", sent_at AS "sentAt", fetched_at AS "fetchedAt"
              FROM pass_deliveries WHERE card_id = $1 ORDER BY id`),
      byCard(`SELECT (SELECT count(*)::int FROM apple_registrations WHERE card_id = $1) AS apple,
                   EXISTS (SELECT FROM google_objects WHERE card_id = $1) AS google`),
      consentLog(q, merchantId, customerId),
      rows(q, 'SELECT name FROM merchants WHERE id = $1', [merchantId]),
    ]);
  return {
    merchant: { name: String(merchant[0]?.name ?? '') },
    customer,
    card: card ? (({ id: _id, ...rest }) => rest)(card) : null,
    ledger,
    redemptions,
    referrals,
    reviews,
    surveyAnswers,
    campaignEffects,
    devices: { apple: Number(devices[0]?.apple ?? 0), google: Boolean(devices[0]?.google) },
    deliveries,
    consent,
  };
}

export interface ConsentEventRow {
  kind: 'terms' | 'marketing';
  action: 'given' | 'withdrawn';
  by: string;
  source: string;
  at: Date;
}

/** The consent log of a customer of the merchant, oldest first. */
export async function consentLog(q: Queryable, merchantId: string, customerId: string): Promise<ConsentEventRow[]> {
  const { rows: log } = await q.query<ConsentEventRow>(
    `SELECT kind, action, actor AS by, source, created_at AS at FROM consent_events
      WHERE merchant_id = $1 AND customer_id = $2 ORDER BY id`,
    [merchantId, customerId],
  );
  return log;
}

/**
 * Erases a customer of the merchant, in the caller's transaction: their reviews lose name and
 * text (the rating stays, anonymous); their Google Wallet object is queued to be expired and
 * emptied of personal fields; what was queued for them (a Google update, mails) is dropped, and
 * so are stored Idempotency-Key answers that show their card and the webhook deliveries about
 * them; then the customer goes, and with them the card, its ledger, devices (Apple
 * registrations), effects, delivery log and consent log. False when there is none by this id.
 */
export async function eraseCustomer(q: Queryable, merchantId: string, customerId: string): Promise<boolean> {
  const { rows: found } = await q.query<{ card_id: string | null; serial: string | null }>(
    `SELECT ca.id AS card_id, ca.serial FROM customers cu LEFT JOIN cards ca ON ca.customer_id = cu.id
      WHERE cu.merchant_id = $1 AND cu.id = $2 FOR UPDATE OF cu`,
    [merchantId, customerId],
  );
  if (found.length === 0) return false;
  const { card_id: cardId, serial } = found[0]!;
  if (cardId && serial) {
    await q.query('UPDATE reviews SET name = NULL, text = NULL WHERE card_id = $1', [cardId]);
    await q.query(
      `WITH dropped AS (DELETE FROM outbox WHERE channel = 'google' AND target = $2)
       INSERT INTO outbox (merchant_id, channel, target)
         SELECT $1, 'google', 'erase:' || $2 WHERE EXISTS (SELECT FROM google_objects WHERE card_id = $3)
       ON CONFLICT (channel, target) DO NOTHING`,
      [merchantId, serial, cardId],
    );
    await q.query('DELETE FROM idempotency_keys WHERE merchant_id = $1 AND strpos(body::text, $2) > 0', [merchantId, serial]);
  }
  await q.query(`DELETE FROM outbox WHERE channel = 'mail' AND merchant_id = $1 AND target LIKE '%:' || $2::text`, [
    merchantId,
    customerId,
  ]);
  await q.query('DELETE FROM webhook_deliveries WHERE merchant_id = $1 AND customer_id = $2', [merchantId, customerId]);
  await q.query('DELETE FROM customers WHERE merchant_id = $1 AND id = $2', [merchantId, customerId]);
  return true;
}
