// After-visit asks (campaign_effects of kind 'ask'): when a card was last asked, the ask a visit
// records, and whether one is open — asked since `since` and not answered since (a review or a
// survey answer from the card).
import { ASK_EVERY_DAYS } from '../../domain/asks.ts';
import type { Queryable } from '../index.ts';

export interface AskState {
  last_ask_at: Date | null;
  marketing_consent: boolean;
  merchant_name: string;
}

/** When the card was last asked, whether its member takes marketing mail, and the business's name. */
export async function askState(q: Queryable, cardId: string): Promise<AskState | undefined> {
  const { rows } = await q.query<AskState>(
    `SELECT (SELECT max(e.created_at) FROM campaign_effects e WHERE e.card_id = c.id AND e.kind = 'ask') AS last_ask_at,
            cu.marketing_consent, m.name AS merchant_name
       FROM cards c JOIN customers cu ON cu.id = c.customer_id JOIN merchants m ON m.id = c.merchant_id WHERE c.id = $1`,
    [cardId],
    'askState',
  );
  return rows[0];
}

/** Records the ask of a visit; false when the card already has one under this key (the same day). */
export async function insertAsk(q: Queryable, a: { cardId: string; merchantId: string; key: string }): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO campaign_effects (card_id, merchant_id, kind, key) VALUES ($1, $2, 'ask', $3)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [a.cardId, a.merchantId, a.key],
    'insertAsk',
  );
  return rows.length > 0;
}

/**
 * The SQL condition "card `c` has an open ask": asked after `since` (an SQL expression), and no
 * review or survey answer from it since.
 */
export const openAskSql = (since: string) => `EXISTS (
  SELECT 1 FROM campaign_effects e
   WHERE e.card_id = c.id AND e.kind = 'ask' AND e.created_at > ${since}
     AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.card_id = c.id AND r.created_at >= e.created_at)
     AND NOT EXISTS (SELECT 1 FROM survey_answers s WHERE s.card_id = c.id AND s.created_at >= e.created_at))`;

export async function hasOpenAsk(q: Queryable, cardId: string, since: Date): Promise<boolean> {
  const { rows } = await q.query(`SELECT 1 FROM cards c WHERE c.id = $1 AND ${openAskSql('$2')}`, [cardId, since], 'hasOpenAsk');
  return rows.length > 0;
}

/**
 * An answer (a review, a survey) from the merchant's card `serial`, which was asked in the last
 * 90 days: the card gets a new version, so that its pass is built again without the ask's link.
 * Returns the card's id when it did (the caller queues the passes' updates).
 */
export async function touchAskedCard(q: Queryable, merchantId: string, serial: string): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>(
    `UPDATE cards c SET version = c.version + 1, updated_at = greatest(now(), c.updated_at + interval '1 millisecond')
      WHERE c.merchant_id = $1 AND c.serial = $2
        AND EXISTS (SELECT 1 FROM campaign_effects e WHERE e.card_id = c.id AND e.kind = 'ask'
                      AND e.created_at > now() - interval '${ASK_EVERY_DAYS} days')
      RETURNING c.id`,
    [merchantId, serial],
    'touchAskedCard',
  );
  return rows[0]?.id;
}
