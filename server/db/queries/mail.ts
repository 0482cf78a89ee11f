// E-mail in the outbox (channel 'mail'), and the consent that marketing mail needs. A mail row
// names what to send and to whom — `welcome:<customer id>`, `marketing:<campaign>:<customer id>`
// (its `card_id` leads to the member), `recovery:<merchant id>:<address hash>` (the address in
// its payload) — and the mail itself is written when the row is delivered, from the member as
// they are then. One pending row per target: a second request while one waits adds nothing.
import type { Program } from '../../domain/program.ts';
import type { Queryable } from '../index.ts';

/** The kinds of mail, as the first part of a row's target. */
export type MailKind = 'welcome' | 'recovery' | 'marketing';

/** Queues the welcome mail of a new member, in the transaction that makes the member. */
export async function queueWelcomeMail(q: Queryable, m: { merchantId: string; customerId: string; cardId: string }): Promise<void> {
  await q.query(
    `INSERT INTO outbox (merchant_id, card_id, channel, target) VALUES ($1, $2, 'mail', 'welcome:' || $3::text)
     ON CONFLICT (channel, target) DO NOTHING`,
    [m.merchantId, m.cardId, m.customerId],
    'queueWelcomeMail',
  );
}

/**
 * Queues a card-recovery mail to this address for the merchant — whether or not it is a member's:
 * the lookup happens when the row is delivered (a stranger's row is then dropped), so the request
 * does the same write, in the same time, for a member and a stranger. One pending row per
 * merchant and address (the address hashed in the target, kept in the payload until delivery).
 */
export async function queueRecoveryMail(q: Queryable, merchantId: string, email: string): Promise<void> {
  await q.query(
    `INSERT INTO outbox (merchant_id, channel, target, payload)
     VALUES ($1::uuid, 'mail', 'recovery:' || $1::uuid::text || ':' || encode(sha256(convert_to(lower($2::text), 'UTF8')), 'hex'),
             jsonb_build_object('email', lower($2::text)))
     ON CONFLICT (channel, target) DO NOTHING`,
    [merchantId, email],
    'queueRecoveryMail',
  );
}

/** What a marketing mail says (the merchant's words); the greeting and the way out are added per member. */
export interface MarketingContent {
  subject: string;
  text: string;
}

/**
 * Queues a marketing mail (a campaign) for each member of the merchant who has given marketing
 * consent and not withdrawn it. Returns how many were queued. The consent is checked again when
 * each mail goes out.
 */
export async function queueMarketingMail(q: Queryable, merchantId: string, campaign: string, content: MarketingContent): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `WITH queued AS (
       INSERT INTO outbox (merchant_id, card_id, channel, target, payload)
       SELECT cu.merchant_id, c.id, 'mail', 'marketing:' || $2::text || ':' || cu.id, $3::jsonb
         FROM customers cu JOIN cards c ON c.customer_id = cu.id
        WHERE cu.merchant_id = $1 AND cu.marketing_consent
       ON CONFLICT (channel, target) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM queued`,
    [merchantId, campaign, JSON.stringify(content)],
    'queueMarketingMail',
  );
  return rows[0]!.n;
}

/** A mail row with the member it goes to, as they are now. */
export interface MailRow {
  row_id: number;
  payload: unknown;
  customer_id: string;
  name: string;
  email: string;
  customer_locale: string | null;
  marketing_consent: boolean;
  serial: string;
  merchant_name: string;
  program: Program;
}

/**
 * The members of these mail rows (one query for a batch): by the row's card, or for a recovery
 * request by the merchant's member with its address. A row with no member (erased, or an address
 * that is nobody's) is missing.
 */
export async function getMailRows(q: Queryable, rowIds: readonly number[]): Promise<MailRow[]> {
  const { rows } = await q.query<MailRow>(
    `SELECT o.id AS row_id, o.payload, cu.id AS customer_id, cu.name, cu.email, cu.locale AS customer_locale,
            cu.marketing_consent, c.serial, m.name AS merchant_name,
            p.settings || jsonb_build_object('slug', p.slug, 'type', p.type, 'currency', p.currency) AS program
       FROM outbox o
      CROSS JOIN LATERAL (SELECT coalesce(o.card_id, (SELECT c2.id FROM customers cu2 JOIN cards c2 ON c2.customer_id = cu2.id
                                                       WHERE cu2.merchant_id = o.merchant_id AND lower(cu2.email) = o.payload->>'email'))
                                 AS card_id) k
       JOIN cards c ON c.id = k.card_id JOIN customers cu ON cu.id = c.customer_id
       JOIN programs p ON p.id = c.program_id JOIN merchants m ON m.id = c.merchant_id
      WHERE o.id = ANY($1::int8[]) AND o.channel = 'mail'`,
    [rowIds],
    'getMailRows',
  );
  return rows;
}

/** A member as the unsubscribe page shows them. */
export interface ConsentRow {
  customer_id: string;
  customer_locale: string | null;
  marketing_consent: boolean;
  marketing_consent_at: Date | null;
  marketing_withdrawn_at: Date | null;
  merchant_name: string;
  program: Program;
}

const CONSENT = `SELECT cu.id AS customer_id, cu.locale AS customer_locale, cu.marketing_consent, cu.marketing_consent_at,
         cu.marketing_withdrawn_at, m.name AS merchant_name,
         p.settings || jsonb_build_object('slug', p.slug, 'type', p.type, 'currency', p.currency) AS program
    FROM customers cu JOIN merchants m ON m.id = cu.merchant_id JOIN programs p ON p.merchant_id = cu.merchant_id`;

export async function getConsent(q: Queryable, customerId: string): Promise<ConsentRow | undefined> {
  const { rows } = await q.query<ConsentRow>(`${CONSENT} WHERE cu.id = $1`, [customerId], 'getConsent');
  return rows[0];
}

/**
 * Withdraws the member's marketing consent, dated now, and drops the marketing mail still queued
 * for them; a consent already withdrawn (or never given) is left as it is, its date too. Returns
 * the member after, or undefined when erased. The consent log records it.
 */
export async function withdrawMarketingConsent(q: Queryable, customerId: string): Promise<ConsentRow | undefined> {
  await q.query(
    `WITH withdrawn AS (UPDATE customers SET marketing_consent = false, marketing_withdrawn_at = now()
                         WHERE id = $1 AND marketing_consent RETURNING id, merchant_id),
          logged AS (INSERT INTO consent_events (merchant_id, customer_id, kind, action, actor, source)
                     SELECT merchant_id, id, 'marketing', 'withdrawn', 'customer', 'unsubscribe' FROM withdrawn)
     DELETE FROM outbox WHERE channel = 'mail' AND target LIKE 'marketing:%:' || $1::text`,
    [customerId],
    'withdrawMarketingConsent',
  );
  return getConsent(q, customerId);
}
