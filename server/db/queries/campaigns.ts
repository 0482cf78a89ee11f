// The daily plays' reads and writes: who has a birthday or has lapsed, the effects that make each
// play happen once (campaign_effects, migration 010), a card's own message on its pass, and the
// campaign mails. The daily job (services/campaigns.ts) runs these in its transactions.
import type { Program } from '../../domain/program.ts';
import type { Queryable } from '../index.ts';
import type { CardRow } from './cards.ts';

export type EffectKind = 'birthday' | 'win_back' | 'ask';

/** A merchant whose program has a daily play on (birthday or win-back). */
export interface DailyProgram {
  merchant_id: string;
  merchant_name: string;
  program: Program;
}

export async function programsWithDailyPlays(q: Queryable): Promise<DailyProgram[]> {
  const { rows } = await q.query<DailyProgram>(
    `SELECT p.merchant_id, m.name AS merchant_name,
            p.settings || jsonb_build_object('slug', p.slug, 'type', p.type, 'currency', p.currency) AS program
       FROM programs p JOIN merchants m ON m.id = p.merchant_id
      WHERE (p.settings #>> '{campaigns,birthday,enabled}')::boolean OR (p.settings #>> '{campaigns,winBack,enabled}')::boolean
      ORDER BY p.merchant_id`,
    [],
    'programsWithDailyPlays',
  );
  return rows;
}

/** A merchant whose program has tiers: the daily job recomputes them. */
export async function programsWithTiers(q: Queryable): Promise<DailyProgram[]> {
  const { rows } = await q.query<DailyProgram>(
    `SELECT p.merchant_id, m.name AS merchant_name,
            p.settings || jsonb_build_object('slug', p.slug, 'type', p.type, 'currency', p.currency) AS program
       FROM programs p JOIN merchants m ON m.id = p.merchant_id
      WHERE p.type = 'tiers'
      ORDER BY p.merchant_id`,
    [],
    'programsWithTiers',
  );
  return rows;
}

/** A card's tier and its spend since the window's start. */
export interface TierSpend {
  card_id: string;
  tier: string | null;
  spend: number;
}

/**
 * The tier of each of the merchant's cards and its spend after `since`, read from the ledger rows
 * of the window only (ledger_merchant_created); a card with none spent 0.
 */
export async function tierSpends(q: Queryable, merchantId: string, since: Date): Promise<TierSpend[]> {
  const { rows } = await q.query<TierSpend>(
    `SELECT c.id AS card_id, c.tier, coalesce(s.spend, 0)::int8 AS spend
       FROM cards c
       LEFT JOIN (SELECT card_id, sum(amount_minor) AS spend FROM ledger
                   WHERE merchant_id = $1 AND created_at > $2 GROUP BY card_id) s ON s.card_id = c.id
      WHERE c.merchant_id = $1
      ORDER BY c.id`,
    [merchantId, since],
    'tierSpends',
  );
  return rows;
}

/** These cards' spend after `since` (read again under the batch's locks). */
export async function spendsSince(q: Queryable, cardIds: readonly string[], since: Date): Promise<Map<string, number>> {
  const { rows } = await q.query<{ card_id: string; spend: number }>(
    `SELECT card_id, sum(amount_minor)::int8 AS spend FROM ledger
      WHERE card_id = ANY($1::uuid[]) AND created_at > $2 GROUP BY card_id`,
    [cardIds, since],
    'spendsSince',
  );
  return new Map(rows.map((r) => [r.card_id, r.spend]));
}

/** A member a play may reach, with what the message and the mail need. */
export interface PlayCandidate {
  card_id: string;
  customer_id: string;
  name: string;
  customer_locale: string | null;
  marketing_consent: boolean;
  card_created_at: Date;
}

/** The birthday (YYYY-MM-DD, as given) of a candidate. */
export interface BirthdayCandidate extends PlayCandidate {
  birthday: string;
}

/**
 * The merchant's members whose birthday is one of `due` (month × 100 + day, and the year of
 * that birthday) and who have no birthday effect for that year yet. The index
 * customers_merchant_birthday finds them without reading every member.
 */
export async function birthdayCandidates(
  q: Queryable,
  merchantId: string,
  due: readonly { monthDay: number; year: number }[],
): Promise<BirthdayCandidate[]> {
  const { rows } = await q.query<BirthdayCandidate>(
    `SELECT c.id AS card_id, cu.id AS customer_id, cu.name, cu.locale AS customer_locale, cu.marketing_consent,
            c.created_at AS card_created_at, to_char(cu.birthday, 'YYYY-MM-DD') AS birthday
       FROM unnest($2::int[], $3::text[]) AS d(month_day, year)
       JOIN customers cu ON cu.merchant_id = $1 AND cu.birthday IS NOT NULL
                        AND (EXTRACT(MONTH FROM cu.birthday) * 100 + EXTRACT(DAY FROM cu.birthday)) = d.month_day
       JOIN cards c ON c.customer_id = cu.id
      WHERE NOT EXISTS (SELECT 1 FROM campaign_effects e WHERE e.card_id = c.id AND e.kind = 'birthday' AND e.key = d.year)
      ORDER BY c.id`,
    [merchantId, due.map((d) => d.monthDay), due.map((d) => String(d.year))],
    'birthdayCandidates',
  );
  return rows;
}

/** A lapsed member: `lapse` (the last visit, or the joining, as an ISO instant) is the effect's key. */
export interface WinBackCandidate extends PlayCandidate {
  lapse: string;
}

/**
 * The merchant's members whose last visit (a stamp or a purchase; without one, their joining) is
 * at or before `lapsedBefore`, and who have not had a win-back for that lapse. The last visits
 * come from the KPI summaries (kpi_cards, migration 008) plus the ledger rows above their
 * watermark, so an hourly run does not read the whole ledger.
 */
export async function winBackCandidates(q: Queryable, merchantId: string, lapsedBefore: Date): Promise<WinBackCandidate[]> {
  const { rows } = await q.query<WinBackCandidate>(
    `WITH recent AS (SELECT l.card_id, max(l.created_at) AS at FROM ledger l
                      WHERE l.id > (SELECT ledger_id FROM kpi_watermark) AND l.merchant_id = $1 AND l.kind IN ('stamp', 'purchase')
                      GROUP BY l.card_id),
          seen AS (SELECT c.id AS card_id, c.customer_id, c.created_at,
                          greatest(c.created_at, k.last_visit, r.at) AS at
                     FROM cards c LEFT JOIN kpi_cards k ON k.card_id = c.id LEFT JOIN recent r ON r.card_id = c.id
                    WHERE c.merchant_id = $1)
     SELECT s.card_id, cu.id AS customer_id, cu.name, cu.locale AS customer_locale, cu.marketing_consent,
            s.created_at AS card_created_at, x.lapse
       FROM seen s JOIN customers cu ON cu.id = s.customer_id
      CROSS JOIN LATERAL (SELECT to_char(s.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS lapse) x
      WHERE s.at <= $2
        AND NOT EXISTS (SELECT 1 FROM campaign_effects e WHERE e.card_id = s.card_id AND e.kind = 'win_back' AND e.key = x.lapse)
      ORDER BY s.card_id`,
    [merchantId, lapsedBefore],
    'winBackCandidates',
  );
  return rows;
}

/**
 * Locks these cards (in id order, as every batch does: two jobs never wait on each other in a
 * circle) and returns them; an erased card is missing.
 */
export async function lockCards(q: Queryable, cardIds: readonly string[]): Promise<CardRow[]> {
  const { rows } = await q.query<CardRow>(
    `SELECT c.id, c.merchant_id, c.program_id, c.customer_id, c.serial, c.auth_token, c.referral_code,
            c.stamps, c.rewards_available, c.points, c.tier, c.cashback_minor, c.spend_minor, c.activated_at,
            c.version, c.updated_at, cu.name AS customer_name, cu.email AS customer_email, cu.locale AS customer_locale
       FROM cards c JOIN customers cu ON cu.id = c.customer_id
      WHERE c.id = ANY($1::uuid[]) ORDER BY c.id FOR UPDATE OF c`,
    [cardIds],
    'lockCards',
  );
  return rows;
}

/**
 * Records effects; returns the cards whose effect is new. An effect already there (another
 * process, an earlier run) is left alone and its card is not returned: the play skips it.
 */
export async function claimEffects(
  q: Queryable,
  merchantId: string,
  kind: EffectKind,
  effects: readonly { cardId: string; key: string }[],
): Promise<Set<string>> {
  if (effects.length === 0) return new Set();
  const { rows } = await q.query<{ card_id: string }>(
    `INSERT INTO campaign_effects (card_id, merchant_id, kind, key)
     SELECT e.card_id, $1, $2, e.key FROM unnest($3::uuid[], $4::text[]) AS e(card_id, key) ORDER BY e.card_id
     ON CONFLICT DO NOTHING RETURNING card_id`,
    [merchantId, kind, effects.map((e) => e.cardId), effects.map((e) => e.key)],
    'claimEffects',
  );
  return new Set(rows.map((r) => r.card_id));
}

/**
 * Each card's own message on its pass (the newer of it and the merchant's broadcast is shown):
 * a new version, so the phones fetch the pass again. The caller queues the passes' updates.
 */
export async function setCardNotes(q: Queryable, notes: readonly { cardId: string; text: string }[]): Promise<void> {
  if (notes.length === 0) return;
  await q.query(
    `UPDATE cards c SET note = n.text, note_at = now(), version = c.version + 1,
            updated_at = greatest(now(), c.updated_at + interval '1 millisecond')
       FROM unnest($1::uuid[], $2::text[]) AS n(card_id, text)
      WHERE c.id = n.card_id`,
    [notes.map((n) => n.cardId), notes.map((n) => n.text)],
    'setCardNotes',
  );
}

/**
 * Queues a campaign's marketing mail for these members (target `marketing:<campaign>:<customer>`,
 * as `queueMarketingMail`): consent is checked again when each goes out, and it carries the way out.
 */
export async function queueCampaignMails(
  q: Queryable,
  merchantId: string,
  mails: readonly { cardId: string; customerId: string; campaign: string; subject: string; text: string }[],
): Promise<void> {
  if (mails.length === 0) return;
  await q.query(
    `INSERT INTO outbox (merchant_id, card_id, channel, target, payload)
     SELECT $1, m.card_id, 'mail', 'marketing:' || m.campaign || ':' || m.customer_id, jsonb_build_object('subject', m.subject, 'text', m.text)
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[]) AS m(card_id, customer_id, campaign, subject, text)
     ON CONFLICT (channel, target) DO NOTHING`,
    [
      merchantId,
      mails.map((m) => m.cardId),
      mails.map((m) => m.customerId),
      mails.map((m) => m.campaign),
      mails.map((m) => m.subject),
      mails.map((m) => m.text),
    ],
    'queueCampaignMails',
  );
}

/** Win-backs sent in [from, to), and how many of those members visited after their message. */
export async function winBackFigures(q: Queryable, merchantId: string, from: Date, to: Date): Promise<{ sent: number; returned: number }> {
  const { rows } = await q.query<{ sent: number; returned: number }>(
    `SELECT count(*)::int AS sent,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ledger l WHERE l.card_id = e.card_id
                                            AND l.kind IN ('stamp', 'purchase') AND l.created_at > e.created_at))::int AS returned
       FROM campaign_effects e
      WHERE e.merchant_id = $1 AND e.kind = 'win_back' AND e.created_at >= $2 AND e.created_at < $3`,
    [merchantId, from, to],
    'winBackFigures',
  );
  return rows[0]!;
}
