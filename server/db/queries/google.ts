import type { Program } from '../../domain/program.ts';
import type { Queryable } from '../index.ts';
import { PASS_CAMPAIGNS, PASS_MESSAGE, PASS_MESSAGE_AT, type PassCardRow } from './apple.ts';

/** A card as its Google Wallet object shows it, with what Google has of it. */
export interface GoogleCardRow extends PassCardRow {
  message_at: Date | null;
  /** Whether the card was offered in a save link (only those cards get updates). */
  offered: boolean;
  /** The object as last sent (null: never, or not known to have reached Google). */
  sent: Record<string, unknown> | null;
  sent_version: number | null;
  sent_level: number | null;
  sent_message_at: Date | null;
  /** Notifications sent in the last 24 hours. */
  notified_24h: number;
}

const GOOGLE_CARD = `SELECT c.id, c.serial, c.auth_token, c.referral_code, c.stamps, c.rewards_available, c.points, c.tier,
         c.cashback_minor, c.version, c.updated_at, cu.name AS customer_name, cu.locale AS customer_locale,
         m.name AS merchant_name, ${PASS_MESSAGE} AS message, ${PASS_MESSAGE_AT} AS message_at, ${PASS_CAMPAIGNS}, c.merchant_id, ml.sha256 AS logo_sha256,
         p.settings || jsonb_build_object('slug', p.slug, 'type', p.type, 'currency', p.currency) AS program,
         g.card_id IS NOT NULL AS offered, g.sent, g.sent_version, g.sent_level, g.sent_message_at,
         (SELECT count(*) FROM unnest(g.notified_at) t WHERE t > now() - interval '1 day')::int AS notified_24h
    FROM cards c JOIN customers cu ON cu.id = c.customer_id JOIN programs p ON p.id = c.program_id
    JOIN merchants m ON m.id = c.merchant_id LEFT JOIN merchant_logos ml ON ml.merchant_id = c.merchant_id
    LEFT JOIN google_objects g ON g.card_id = c.id`;

export async function getGoogleCard(q: Queryable, serial: string): Promise<GoogleCardRow | undefined> {
  const { rows } = await q.query<GoogleCardRow>(`${GOOGLE_CARD} WHERE c.serial = $1`, [serial], 'getGoogleCard');
  return rows[0];
}

/** Many cards at once (the worker reads a claimed batch in one query). */
export async function getGoogleCards(q: Queryable, serials: readonly string[]): Promise<GoogleCardRow[]> {
  const { rows } = await q.query<GoogleCardRow>(`${GOOGLE_CARD} WHERE c.serial = ANY($1::text[])`, [serials], 'getGoogleCards');
  return rows;
}

/** The card was offered in a save link: from now on each of its changes queues an update. */
export async function offerGoogleObject(q: Queryable, cardId: string): Promise<void> {
  await q.query(
    `INSERT INTO google_objects (card_id) VALUES ($1) ON CONFLICT (card_id) DO UPDATE SET offered_at = now()`,
    [cardId],
    'offerGoogleObject',
  );
}

/** What an object showed when Google accepted it. */
export interface GoogleObjectSent {
  cardId: string;
  sent: object;
  version: number;
  level: number;
  /** The update notified the member (it counts toward Google's 3 a day). */
  notified: boolean;
  /** The merchant message the object carries (it went in with the object: nothing to announce). */
  messageAt: Date | null;
}

/**
 * Writes down what Google now has of each object; a state older than the one written down is
 * ignored (a slow worker never rolls the record back).
 */
export async function recordGoogleObjects(q: Queryable, sent: readonly GoogleObjectSent[]): Promise<void> {
  if (sent.length === 0) return;
  await q.query(
    `UPDATE google_objects g SET sent = d.sent, sent_version = d.version, sent_level = d.level,
            sent_message_at = greatest(g.sent_message_at, d.message_at),
            notified_at = CASE WHEN d.notified
                               THEN array_append(ARRAY(SELECT t FROM unnest(g.notified_at) t WHERE t > now() - interval '1 day'), now())
                               ELSE g.notified_at END
       FROM unnest($1::uuid[], $2::jsonb[], $3::int4[], $4::int4[], $5::bool[], $6::timestamptz[])
             AS d(card_id, sent, version, level, notified, message_at)
      WHERE g.card_id = d.card_id AND (g.sent_version IS NULL OR g.sent_version <= d.version)`,
    [
      sent.map((s) => s.cardId),
      sent.map((s) => JSON.stringify(s.sent)),
      sent.map((s) => s.version),
      sent.map((s) => s.level),
      sent.map((s) => s.notified),
      sent.map((s) => s.messageAt),
    ],
    'recordGoogleObjects',
  );
}

/** The merchant's message `messageAt` was added to the object (with a notification, or not). */
export async function recordGoogleMessage(q: Queryable, cardId: string, messageAt: Date, notified: boolean): Promise<void> {
  await q.query(
    `UPDATE google_objects SET sent_message_at = greatest(sent_message_at, $2),
            notified_at = CASE WHEN $3::boolean
                               THEN array_append(ARRAY(SELECT t FROM unnest(notified_at) t WHERE t > now() - interval '1 day'), now())
                               ELSE notified_at END
      WHERE card_id = $1`,
    [cardId, messageAt, notified],
    'recordGoogleMessage',
  );
}

/** What a program's class shows, with what Google has of it. */
export interface GoogleClassRow {
  merchant_id: string;
  merchant_name: string;
  program: Program;
  sent: Record<string, unknown> | null;
}

export async function getGoogleClass(q: Queryable, merchantId: string): Promise<GoogleClassRow | undefined> {
  const { rows } = await q.query<GoogleClassRow>(
    `SELECT p.merchant_id, m.name AS merchant_name, gc.sent,
            p.settings || jsonb_build_object('slug', p.slug, 'type', p.type, 'currency', p.currency) AS program
       FROM programs p JOIN merchants m ON m.id = p.merchant_id LEFT JOIN google_classes gc ON gc.merchant_id = p.merchant_id
      WHERE p.merchant_id = $1`,
    [merchantId],
    'getGoogleClass',
  );
  return rows[0];
}

export async function recordGoogleClasses(q: Queryable, sent: readonly { merchantId: string; sent: object }[]) {
  if (sent.length === 0) return;
  await q.query(
    `INSERT INTO google_classes (merchant_id, sent)
     SELECT * FROM unnest($1::uuid[], $2::jsonb[])
     ON CONFLICT (merchant_id) DO UPDATE SET sent = EXCLUDED.sent, sent_at = now()`,
    [sent.map((s) => s.merchantId), sent.map((s) => JSON.stringify(s.sent))],
    'recordGoogleClasses',
  );
}

/** Queues an update of the program's class in `delayMs` (after a save link that had to carry it, cut to fit). */
export async function queueGoogleClass(q: Queryable, merchantId: string, delayMs: number): Promise<void> {
  await q.query(
    `INSERT INTO outbox (merchant_id, channel, target, available_at)
     VALUES ($1::uuid, 'google', 'class:' || $1::uuid, now() + $2 * interval '1 millisecond')
     ON CONFLICT (channel, target) DO UPDATE SET seq = outbox.seq + 1`,
    [merchantId, delayMs],
    'queueGoogleClass',
  );
}

/** Queues an update of the card's object in `delayMs` (after a save link that had to carry it). */
export async function queueGoogleObject(q: Queryable, cardId: string, delayMs: number): Promise<void> {
  await q.query(
    `INSERT INTO outbox (merchant_id, card_id, channel, target, available_at)
     SELECT merchant_id, id, 'google', serial, now() + $2 * interval '1 millisecond' FROM cards WHERE id = $1
     ON CONFLICT (channel, target) DO UPDATE SET seq = outbox.seq + 1`,
    [cardId, delayMs],
    'queueGoogleObject',
  );
}
