import type { Program } from '../../domain/program.ts';
import type { Balances, Entry } from '../../domain/rules.ts';
import type { Queryable } from '../index.ts';

export interface CardRow {
  id: string;
  merchant_id: string;
  program_id: string;
  customer_id: string;
  serial: string;
  auth_token: string;
  referral_code: string;
  stamps: number;
  rewards_available: number;
  points: number;
  tier: string | null;
  cashback_minor: number;
  spend_minor: number;
  activated_at: Date | null;
  version: number;
  updated_at: Date;
  customer_name: string;
  customer_email: string;
  /** The language the member joined in (`fr`, `en-GB`…), if the widget told. */
  customer_locale: string | null;
}

/** A card with its program, as the services need it. */
export interface CardWithProgram extends CardRow {
  program: Program;
  /** The merchant has webhooks (then a write queues its events for them). */
  has_webhooks?: boolean;
}

const CARD_COLUMNS = `c.id, c.merchant_id, c.program_id, c.customer_id, c.serial, c.auth_token, c.referral_code,
  c.stamps, c.rewards_available, c.points, c.tier, c.cashback_minor, c.spend_minor, c.activated_at,
  c.version, c.updated_at, cu.name AS customer_name, cu.email AS customer_email, cu.locale AS customer_locale`;
const PROGRAM_COLUMN = `p.settings || jsonb_build_object('slug', p.slug, 'type', p.type, 'currency', p.currency) AS program`;

export type BalanceColumns = Pick<CardRow, 'stamps' | 'rewards_available' | 'points' | 'tier' | 'cashback_minor' | 'spend_minor'>;

export function balancesOf(c: BalanceColumns): Balances {
  return {
    stamps: c.stamps,
    rewardsAvailable: c.rewards_available,
    points: c.points,
    tier: c.tier,
    cashbackMinor: c.cashback_minor,
    spendMinor: c.spend_minor,
  };
}

export async function insertCard(
  q: Queryable,
  c: { merchantId: string; programId: string; customerId: string; serial: string; authToken: string; referralCode: string },
): Promise<void> {
  await q.query(
    `INSERT INTO cards (merchant_id, program_id, customer_id, serial, auth_token, referral_code)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [c.merchantId, c.programId, c.customerId, c.serial, c.authToken, c.referralCode],
  );
}

/** A card by serial, for the public API (any merchant: the serial is the secret). */
export async function getCardBySerial(q: Queryable, serial: string): Promise<CardWithProgram | undefined> {
  const { rows } = await q.query<CardWithProgram>(
    `SELECT ${CARD_COLUMNS}, ${PROGRAM_COLUMN}
       FROM cards c JOIN customers cu ON cu.id = c.customer_id JOIN programs p ON p.id = c.program_id
      WHERE c.serial = $1`,
    [serial],
    'getCardBySerial',
  );
  return rows[0];
}

/**
 * A merchant's card by serial, row-locked until the transaction ends: concurrent writes to
 * one card queue here. Another merchant's serial finds nothing.
 */
export async function lockMerchantCard(q: Queryable, merchantId: string, serial: string): Promise<CardWithProgram | undefined> {
  const { rows } = await q.query<CardWithProgram>(
    `SELECT ${CARD_COLUMNS}, ${PROGRAM_COLUMN}, EXISTS (SELECT FROM webhooks w WHERE w.merchant_id = c.merchant_id) AS has_webhooks
       FROM cards c JOIN customers cu ON cu.id = c.customer_id JOIN programs p ON p.id = c.program_id
      WHERE c.serial = $1 AND c.merchant_id = $2
      FOR UPDATE OF c`,
    [serial, merchantId],
    'lockMerchantCard',
  );
  return rows[0];
}

export async function lockCardById(q: Queryable, cardId: string): Promise<CardRow | undefined> {
  const { rows } = await q.query<CardRow>(
    `SELECT ${CARD_COLUMNS} FROM cards c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1 FOR UPDATE OF c`,
    [cardId],
    'lockCardById',
  );
  return rows[0];
}

/** One change to a card, written by `writeCardChange` in a single statement. */
export interface CardChange {
  card: { id: string; merchant_id: string };
  currency: string;
  actor: string | null;
  /** The shop where it happened (`program.locations[].id`), on every ledger row written. */
  locationId?: string | null;
  entries: readonly Entry[];
  /** The card's balances after the entries: the cache. */
  balances: Balances;
  /** Strictly later than the card's previous `updated_at` (see `nextUpdatedAt`). */
  updatedAt: Date;
  /**
   * A visit (a stamp or purchase): records `activated_at` on the first (it pays a pending
   * referral), and clears the card's own pass message (a birthday's, a win-back's): it was read.
   */
  activate?: boolean;
  /** What was redeemed, tied to the first entry. */
  redemption?: { rewardId: string | null; rewardName: string; costMinor: number };
  /** The answer to remember under an Idempotency-Key this transaction claimed. */
  answer?: { key: string; status: number; body: unknown };
}

/** A card's next `updated_at`: now, or a millisecond after the previous one if the clock lags. */
export function nextUpdatedAt(previous: Date, now = Date.now()): Date {
  return new Date(Math.max(now, previous.getTime() + 1));
}

/**
 * Appends the ledger entries, writes the card's cached balances (bumping the version the
 * passes use), and records the redemption and the idempotent answer — in one statement, so the
 * ledger and its cache are never apart. The passes hear of it through `queueCardUpdates`.
 */
export async function writeCardChange(q: Queryable, ch: CardChange): Promise<{ version: number }> {
  const values: unknown[] = [];
  const $ = (v: unknown) => `$${values.push(v)}`;
  const ctes: string[] = [];
  if (ch.entries.length > 0) {
    const actor = $(ch.actor);
    const currency = $(ch.currency);
    const merchant = $(ch.card.merchant_id);
    const card = $(ch.card.id);
    const location = $(ch.locationId ?? null);
    const tuples = ch.entries.map(
      (e) =>
        `(${merchant}, ${card}, ${[e.kind, e.stamps, e.rewards, e.points, e.cashbackMinor, e.amountMinor].map($).join(', ')}, ` +
        `${currency}, ${$(e.tier)}, ${$(e.rewardId)}, ${$(e.rewardName ?? null)}, ${actor}, ${$(e.reason ?? null)}, ${location})`,
    );
    ctes.push(`entries AS (INSERT INTO ledger (merchant_id, card_id, kind, stamps, rewards, points, cashback_minor,
        amount_minor, currency, tier, reward_id, reward_name, actor, reason, location_id) VALUES ${tuples.join(', ')} RETURNING id)`);
  }
  const b = ch.balances;
  ctes.push(`card AS (UPDATE cards SET stamps = ${$(b.stamps)}, rewards_available = ${$(b.rewardsAvailable)},
      points = ${$(b.points)}, tier = ${$(b.tier)}, cashback_minor = ${$(b.cashbackMinor)}, spend_minor = ${$(b.spendMinor)},
      version = version + 1, updated_at = ${$(ch.updatedAt)},
      activated_at = CASE WHEN ${$(ch.activate ?? false)}::boolean THEN coalesce(activated_at, now()) ELSE activated_at END,
      note = CASE WHEN ${$(ch.activate ?? false)}::boolean THEN NULL ELSE note END,
      note_at = CASE WHEN ${$(ch.activate ?? false)}::boolean THEN NULL ELSE note_at END
    WHERE id = ${$(ch.card.id)} RETURNING id, version)`);
  if (ch.redemption && ch.entries.length > 0) {
    const r = ch.redemption;
    ctes.push(`redemption AS (INSERT INTO redemptions (merchant_id, card_id, ledger_id, reward_id, reward_name, cost_minor, currency)
      SELECT ${$(ch.card.merchant_id)}, ${$(ch.card.id)}, min(id), ${$(r.rewardId)}, ${$(r.rewardName)}, ${$(r.costMinor)}, ${$(ch.currency)}
        FROM entries)`);
  }
  if (ch.answer) {
    const a = ch.answer;
    ctes.push(`answer AS (UPDATE idempotency_keys SET status = ${$(a.status)}, body = ${$(JSON.stringify(a.body))}
      WHERE merchant_id = ${$(ch.card.merchant_id)} AND key = ${$(a.key)})`);
  }
  const name = `writeCardChange:${ch.entries.length}:${ch.redemption ? 1 : 0}:${ch.answer ? 1 : 0}`;
  const { rows } = await q.query<{ version: number }>(`WITH ${ctes.join(',\n')} SELECT version FROM card`, values, name);
  return rows[0]!;
}

/** The card's ledger, oldest first, as rule entries. */
export async function getLedger(q: Queryable, cardId: string): Promise<Entry[]> {
  const { rows } = await q.query<Entry>(
    `SELECT kind, stamps, rewards, points, cashback_minor AS "cashbackMinor", amount_minor AS "amountMinor",
            tier, reward_id AS "rewardId"
       FROM ledger WHERE card_id = $1 ORDER BY id`,
    [cardId],
  );
  return rows;
}

/** Spend recorded on the card after `since` (a tier's rolling window). */
export async function spendSince(q: Queryable, cardId: string, since: Date): Promise<number> {
  const { rows } = await q.query<{ spend: number }>(
    'SELECT coalesce(sum(amount_minor), 0)::int8 AS spend FROM ledger WHERE card_id = $1 AND created_at > $2',
    [cardId, since],
    'spendSince',
  );
  return rows[0]!.spend;
}

/** A visit or a reward of a card, as its holder sees it (nothing of who wrote it). */
export interface VisitRow {
  kind: 'stamp' | 'purchase' | 'redemption';
  stamps: number;
  points: number;
  amount_minor: number | null;
  created_at: Date;
}

/** The card's visits (stamps, purchases) and redemptions, newest first. */
export async function cardVisits(q: Queryable, cardId: string, limit: number): Promise<VisitRow[]> {
  const { rows } = await q.query<VisitRow>(
    `SELECT kind, stamps, points, amount_minor, created_at FROM ledger
      WHERE card_id = $1 AND kind IN ('stamp', 'purchase', 'redemption')
      ORDER BY id DESC LIMIT $2`,
    [cardId, limit],
    'cardVisits',
  );
  return rows;
}

/**
 * The merchant's cards holding `stampsRequired` stamps or more, row-locked until the transaction
 * ends (in id order): the cards a lowered threshold owes rewards.
 */
export async function lockFullCards(q: Queryable, merchantId: string, stampsRequired: number): Promise<CardRow[]> {
  const { rows } = await q.query<CardRow>(
    `SELECT ${CARD_COLUMNS} FROM cards c JOIN customers cu ON cu.id = c.customer_id
      WHERE c.merchant_id = $1 AND c.stamps >= $2 ORDER BY c.id FOR UPDATE OF c`,
    [merchantId, stampsRequired],
    'lockFullCards',
  );
  return rows;
}

/** How many of the merchant's cards hold `stampsRequired` stamps or more. */
export async function countFullCards(q: Queryable, merchantId: string, stampsRequired: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM cards WHERE merchant_id = $1 AND stamps >= $2',
    [merchantId, stampsRequired],
    'countFullCards',
  );
  return rows[0]!.n;
}
