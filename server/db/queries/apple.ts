import type { Program } from '../../domain/program.ts';
import { ASK_EVERY_DAYS } from '../../domain/asks.ts';
import type { GivingSums } from '../../domain/giving.ts';
import type { Queryable } from '../index.ts';
import { openAskSql } from './asks.ts';
import type { CardRow } from './cards.ts';

/** What the PassKit web service checks before anything else: the card and its token. */
export type PassAuthRow = Pick<CardRow, 'id' | 'auth_token' | 'version' | 'updated_at'>;

export async function getPassAuth(q: Queryable, serial: string): Promise<PassAuthRow | undefined> {
  const { rows } = await q.query<PassAuthRow>(
    'SELECT id, auth_token, version, updated_at FROM cards WHERE serial = $1',
    [serial],
    'getPassAuth',
  );
  return rows[0];
}

/**
 * Registers a device for a card's updates; true when the registration is new. The device's
 * other registrations take the new push token too (one token per device and pass type).
 */
export async function upsertRegistration(q: Queryable, r: { deviceId: string; cardId: string; pushToken: string }): Promise<boolean> {
  const { rows } = await q.query<{ created: boolean }>(
    `WITH others AS (UPDATE apple_registrations SET push_token = $3, updated_at = now()
                      WHERE device_id = $1 AND card_id <> $2 AND push_token <> $3)
     INSERT INTO apple_registrations (device_id, card_id, push_token) VALUES ($1, $2, $3)
     ON CONFLICT (device_id, card_id) DO UPDATE SET push_token = EXCLUDED.push_token, updated_at = now()
     RETURNING (xmax = 0) AS created`,
    [r.deviceId, r.cardId, r.pushToken],
    'upsertRegistration',
  );
  return rows[0]!.created;
}

/**
 * Forgets a card's registrations beyond the `keep` most recently made or renewed (a device renews
 * its own each time it registers again), never `deviceId`'s (the one registering now); returns
 * how many went.
 */
export async function trimRegistrations(q: Queryable, cardId: string, deviceId: string, keep: number): Promise<number> {
  const { rows } = await q.query(
    `DELETE FROM apple_registrations
      WHERE card_id = $1 AND device_id IN (SELECT device_id FROM apple_registrations WHERE card_id = $1 AND device_id <> $2
                                            ORDER BY updated_at DESC, created_at DESC OFFSET $3)
      RETURNING 1`,
    [cardId, deviceId, Math.max(0, keep - 1)],
    'trimRegistrations',
  );
  return rows.length;
}

export async function deleteRegistration(q: Queryable, deviceId: string, cardId: string): Promise<boolean> {
  const { rows } = await q.query('DELETE FROM apple_registrations WHERE device_id = $1 AND card_id = $2 RETURNING 1', [deviceId, cardId]);
  return rows.length > 0;
}

/** Forgets every registration of push tokens APNs called dead (410, BadDeviceToken). */
export async function deleteRegistrationsByToken(q: Queryable, tokens: readonly string[]): Promise<number> {
  if (tokens.length === 0) return 0;
  const { rows } = await q.query('DELETE FROM apple_registrations WHERE push_token = ANY($1::text[]) RETURNING 1', [tokens]);
  return rows.length;
}

/**
 * The serials of a device's cards changed after `since` (a tag we gave out: the card's
 * `updated_at` in microseconds since the epoch, as a decimal string), with their tags.
 */
export async function serialsForDevice(q: Queryable, deviceId: string, since: string | null): Promise<{ serial: string; tag: string }[]> {
  const { rows } = await q.query<{ serial: string; tag: string }>(
    `SELECT c.serial, (extract(epoch FROM c.updated_at) * 1000000)::int8::text AS tag
       FROM apple_registrations r JOIN cards c ON c.id = r.card_id
      WHERE r.device_id = $1
        AND ($2::int8 IS NULL OR (extract(epoch FROM c.updated_at) * 1000000)::int8 > $2::int8)`,
    [deviceId, since],
    'serialsForDevice',
  );
  return rows;
}

/** Everything a pass shows: the card, its program, the merchant and the member. */
export interface PassCardRow extends Pick<
  CardRow,
  | 'id'
  | 'serial'
  | 'auth_token'
  | 'referral_code'
  | 'stamps'
  | 'rewards_available'
  | 'points'
  | 'tier'
  | 'cashback_minor'
  | 'version'
  | 'updated_at'
  | 'customer_name'
> {
  customer_locale: string | null;
  merchant_name: string;
  program: Program;
  message: string | null;
  merchant_id: string;
  /** The SHA-256 of the merchant's uploaded logo, if any (the PNG itself is read when a pass is built). */
  logo_sha256: string | null;
  /** An after-visit ask is open (the back of the pass links to it). */
  ask_open: boolean;
  /** Giving back's sums over the merchant's ledger, when the program gives; null otherwise. */
  giving_sums: GivingSums | null;
}

/**
 * The pass's message: the card's own (a birthday, a win-back) or the merchant's broadcast,
 * whichever is newer; `PASS_MESSAGE_AT` is its time.
 */
export const PASS_MESSAGE = `CASE WHEN c.note_at IS NOT NULL AND (p.message_at IS NULL OR c.note_at > p.message_at) THEN c.note ELSE p.message END`;
export const PASS_MESSAGE_AT = 'greatest(p.message_at, c.note_at)';

/** The pass rows' `ask_open` and `giving_sums` (the latter read only for a program that gives). */
export const PASS_CAMPAIGNS = `${openAskSql(`now() - interval '${ASK_EVERY_DAYS} days'`)} AS ask_open,
  CASE WHEN (p.settings #>> '{campaigns,giving,enabled}')::boolean THEN
    (SELECT jsonb_build_object('stamps', coalesce(sum(l.stamps) FILTER (WHERE l.kind = 'stamp'), 0),
                               'spendMinor', coalesce(sum(l.amount_minor) FILTER (WHERE l.kind IN ('stamp', 'purchase') AND l.amount_minor > 0), 0))
       FROM ledger l WHERE l.merchant_id = c.merchant_id) END AS giving_sums`;

export async function getPassCard(q: Queryable, serial: string): Promise<PassCardRow | undefined> {
  const { rows } = await q.query<PassCardRow>(
    `SELECT c.id, c.serial, c.auth_token, c.referral_code, c.stamps, c.rewards_available, c.points, c.tier,
            c.cashback_minor, c.version, c.updated_at, cu.name AS customer_name, cu.locale AS customer_locale,
            m.name AS merchant_name, ${PASS_MESSAGE} AS message, c.merchant_id, ml.sha256 AS logo_sha256, ${PASS_CAMPAIGNS},
            p.settings || jsonb_build_object('slug', p.slug, 'type', p.type, 'currency', p.currency) AS program
       FROM cards c JOIN customers cu ON cu.id = c.customer_id JOIN programs p ON p.id = c.program_id
       JOIN merchants m ON m.id = c.merchant_id LEFT JOIN merchant_logos ml ON ml.merchant_id = c.merchant_id
      WHERE c.serial = $1`,
    [serial],
    'getPassCard',
  );
  return rows[0];
}
