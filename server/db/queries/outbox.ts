import type { Queryable } from '../index.ts';

/**
 * A row already waiting for its target gets its `seq` bumped instead of a second row; a row a
 * worker is sending keeps its lease (the worker sees the new `seq` and sends again), and a row
 * waiting out a backoff (the service asked for it, or refused us) keeps waiting.
 */
const COALESCE = `ON CONFLICT (channel, target) DO UPDATE SET seq = outbox.seq + 1, card_id = EXCLUDED.card_id,
      available_at = CASE WHEN outbox.lease_until > now() OR outbox.attempts > 0 THEN outbox.available_at ELSE now() END`;

/**
 * The SQL that queues one APNs push per distinct device token registered for the cards that
 * `cards` (a CTE or subquery with an `id` column) names, coalesced per token.
 */
function enqueueApnsSql(cards: string): string {
  return `INSERT INTO outbox (merchant_id, card_id, channel, target)
    SELECT DISTINCT ON (r.push_token) c.merchant_id, r.card_id, 'apns', r.push_token
      FROM apple_registrations r JOIN cards c ON c.id = r.card_id
     WHERE r.card_id IN (SELECT id FROM ${cards})
    ${COALESCE}`;
}

/**
 * The SQL that queues a Google Wallet object update for each of the cards `cards` names that
 * has an object at Google (target: the serial), coalesced per card: the worker sends the card
 * as it is when it gets to the row.
 */
function enqueueGoogleSql(cards: string): string {
  return `INSERT INTO outbox (merchant_id, card_id, channel, target)
    SELECT c.merchant_id, c.id, 'google', c.serial
      FROM google_objects g JOIN cards c ON c.id = g.card_id
     WHERE g.card_id IN (SELECT id FROM ${cards})
    ${COALESCE}`;
}

/**
 * A change to these cards reaches their passes: a push to every Apple device registered for
 * them, and an update of their Google Wallet objects. Called in the transaction that changes
 * the cards (the rows exist only if it commits); the workers send each card as it is when they
 * get to it, so a burst of changes is one delivery.
 */
export async function queueCardUpdates(q: Queryable, cardIds: readonly string[]): Promise<void> {
  await q.query(
    `WITH changed AS (SELECT unnest($1::uuid[]) AS id),
          apns AS (${enqueueApnsSql('changed')}),
          google AS (${enqueueGoogleSql('changed')})
     SELECT 1`,
    [cardIds],
    'queueCardUpdates',
  );
}

/**
 * A merchant's every pass changes (a broadcast message, a new design): each card gets a new
 * version, each registered device a push, each Google Wallet object an update, and the
 * program's Google class too (once any card has an object). Returns how many cards and devices.
 */
export async function reissueMerchantPasses(q: Queryable, merchantId: string): Promise<{ cards: number; devices: number }> {
  const { rows } = await q.query<{ cards: number; devices: number }>(
    `WITH touched AS (UPDATE cards SET version = version + 1, updated_at = greatest(now(), updated_at + interval '1 millisecond')
                       WHERE merchant_id = $1 RETURNING id),
          pushed AS (${enqueueApnsSql('touched')} RETURNING 1),
          google AS (${enqueueGoogleSql('touched')} RETURNING 1),
          google_class AS (INSERT INTO outbox (merchant_id, channel, target)
                             SELECT $1, 'google', 'class:' || $1 WHERE EXISTS (SELECT 1 FROM google)
                           ${COALESCE})
     SELECT (SELECT count(*) FROM touched)::int AS cards, (SELECT count(*) FROM pushed)::int AS devices`,
    [merchantId],
  );
  return rows[0]!;
}

export interface OutboxRow {
  id: number;
  /** The APNs device token; the card's serial, or `class:<merchant id>`, for Google. */
  target: string;
  seq: number;
  attempts: number;
  /** The card whose change queued it last (null for a program's class, an erased card's object). */
  card_id: string | null;
  /** When it was first queued (a change coalesced into it keeps this). */
  created_at: Date;
}

/**
 * Leases up to `limit` due rows of a channel for `leaseMs`. Rows are skipped, not waited
 * for, when another worker holds them; a worker that dies leaves its lease to run out, and
 * the rows come back.
 */
export async function claimOutbox(q: Queryable, channel: string, limit: number, leaseMs: number): Promise<OutboxRow[]> {
  const { rows } = await q.query<OutboxRow>(
    `UPDATE outbox o SET lease_until = now() + $3 * interval '1 millisecond'
      WHERE o.id IN (SELECT id FROM outbox
                      WHERE channel = $1 AND available_at <= now() AND (lease_until IS NULL OR lease_until <= now())
                      ORDER BY available_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING o.id, o.target, o.seq, o.attempts, o.card_id, o.created_at`,
    [channel, limit, leaseMs],
    'claimOutbox',
  );
  return rows;
}

/**
 * Done with these rows: each is deleted if its `seq` is still the one sent; a row that
 * changed meanwhile loses its lease and goes out again at once.
 */
export async function completeOutbox(q: Queryable, sent: readonly Pick<OutboxRow, 'id' | 'seq'>[]): Promise<{ requeued: number }> {
  if (sent.length === 0) return { requeued: 0 };
  const ids = sent.map((r) => r.id);
  const { rows } = await q.query(
    `WITH done AS (DELETE FROM outbox o USING unnest($1::int8[], $2::int4[]) AS d(id, seq)
                    WHERE o.id = d.id AND o.seq = d.seq RETURNING o.id)
     UPDATE outbox SET lease_until = NULL, attempts = 0, available_at = now()
      WHERE id = ANY($1::int8[]) AND id NOT IN (SELECT id FROM done) RETURNING 1`,
    [ids, sent.map((r) => r.seq)],
    'completeOutbox',
  );
  return { requeued: rows.length };
}

/** Deletes rows whatever their `seq`: their target is gone. */
export async function dropOutbox(q: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query('DELETE FROM outbox WHERE id = ANY($1::int8[])', [ids], 'dropOutbox');
}

/** Tries these rows again after their delay, counting the attempt and keeping the reason. */
export async function retryOutbox(q: Queryable, retries: readonly { id: number; delayMs: number; error: string }[]): Promise<void> {
  if (retries.length === 0) return;
  await q.query(
    `UPDATE outbox o SET attempts = o.attempts + 1, lease_until = NULL, last_error = d.error,
            available_at = now() + d.delay * interval '1 millisecond'
       FROM unnest($1::int8[], $2::int8[], $3::text[]) AS d(id, delay, error)
      WHERE o.id = d.id`,
    [retries.map((r) => r.id), retries.map((r) => r.delayMs), retries.map((r) => r.error)],
    'retryOutbox',
  );
}
