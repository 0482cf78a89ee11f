// The delivery log of the passes (migration 013): what the outbox workers sent for a card, what
// APNs or Google answered, and when the phone then fetched the pass. Kept 30 days.
import type { Queryable } from '../index.ts';

export interface PassDeliveryLog {
  cardId: string;
  target: string;
  queuedAt: Date;
  status: 'sent' | 'retrying' | 'gone' | 'rejected' | 'failed';
  answer: string | null;
}

/** Writes down the outcomes of one channel's deliveries (rows of cards erased since are skipped). */
export async function logPassDeliveries(q: Queryable, channel: string, log: readonly PassDeliveryLog[]): Promise<void> {
  if (log.length === 0) return;
  await q.query(
    `INSERT INTO pass_deliveries (merchant_id, card_id, channel, target, queued_at, status, answer)
     SELECT c.merchant_id, d.card_id, $1, d.target, d.queued_at, d.status, d.answer
       FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::text[]) AS d (card_id, target, queued_at, status, answer)
       JOIN cards c ON c.id = d.card_id`,
    [
      channel,
      log.map((l) => l.cardId),
      log.map((l) => l.target),
      log.map((l) => l.queuedAt),
      log.map((l) => l.status),
      log.map((l) => l.answer),
    ],
    'logPassDeliveries',
  );
}

/** The phone fetched the card's pass (PassKit web service): the pushes sent before are answered. */
export async function markPassFetched(q: Queryable, serial: string): Promise<void> {
  await q.query(
    `UPDATE pass_deliveries SET fetched_at = now()
      WHERE card_id = (SELECT id FROM cards WHERE serial = $1) AND channel = 'apns' AND status = 'sent' AND fetched_at IS NULL`,
    [serial],
    'markPassFetched',
  );
}

export interface PassDeliveryRow {
  channel: 'apns' | 'google';
  target: string;
  queued_at: Date;
  sent_at: Date | null;
  status: 'queued' | 'sent' | 'retrying' | 'gone' | 'rejected' | 'failed';
  answer: string | null;
  fetched_at: Date | null;
}

/**
 * A merchant's card's delivery log, newest first: what is still queued for it (from the outbox),
 * then what was sent. Undefined when the merchant has no card by this serial.
 */
export async function cardDeliveries(
  q: Queryable,
  merchantId: string,
  serial: string,
  limit: number,
): Promise<PassDeliveryRow[] | undefined> {
  const { rows: card } = await q.query<{ id: string }>('SELECT id FROM cards WHERE merchant_id = $1 AND serial = $2', [merchantId, serial]);
  const cardId = card[0]?.id;
  if (!cardId) return undefined;
  const { rows } = await q.query<PassDeliveryRow>(
    `SELECT * FROM (
       SELECT channel, target, created_at AS queued_at, NULL::timestamptz AS sent_at,
              CASE WHEN attempts > 0 THEN 'retrying' ELSE 'queued' END AS status, last_error AS answer, NULL::timestamptz AS fetched_at
         FROM outbox WHERE card_id = $1 AND channel IN ('apns', 'google')
       UNION ALL
       SELECT channel, target, queued_at, sent_at, status, answer, fetched_at FROM pass_deliveries WHERE card_id = $1
     ) AS d
     ORDER BY coalesce(sent_at, 'infinity') DESC, queued_at DESC LIMIT $2`,
    [cardId, limit],
    'cardDeliveries',
  );
  return rows;
}

/**
 * What is kept 30 days and no more: the passes' delivery log, webhook deliveries no longer
 * pending (with their attempts), stored Idempotency-Key answers, finished imports' files are
 * emptied as they finish. Returns how many rows went.
 */
export async function pruneLogs(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `WITH p AS (DELETE FROM pass_deliveries WHERE sent_at < now() - interval '30 days' RETURNING 1),
          w AS (DELETE FROM webhook_deliveries WHERE created_at < now() - interval '30 days' AND status <> 'pending' RETURNING 1),
          i AS (DELETE FROM idempotency_keys WHERE created_at < now() - interval '30 days' RETURNING 1)
     SELECT ((SELECT count(*) FROM p) + (SELECT count(*) FROM w) + (SELECT count(*) FROM i))::int AS n`,
    [],
    'pruneLogs',
  );
  return rows[0]!.n;
}
