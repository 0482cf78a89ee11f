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
  /** What was redeemed, tied to the first entry; `id` is the redemption's (the answer names it, for an undo). */
  redemption?: { id: string; rewardId: string | null; rewardName: string; costMinor: number };
  /** The redemption the entries undo: it is marked undone by the first of them. */
  undoes?: { redemptionId: string };
  /**
   * Nothing to write (a second undo of a redemption): no ledger row, the card and its version as
   * they are; only the idempotent answer is recorded.
   */
  unchanged?: boolean;
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
  if (ch.unchanged) ctes.push(`card AS (SELECT id, version FROM cards WHERE id = ${$(ch.card.id)})`);
  else
    ctes.push(`card AS (UPDATE cards SET stamps = ${$(b.stamps)}, rewards_available = ${$(b.rewardsAvailable)},
      points = ${$(b.points)}, tier = ${$(b.tier)}, cashback_minor = ${$(b.cashbackMinor)}, spend_minor = ${$(b.spendMinor)},
      version = version + 1, updated_at = ${$(ch.updatedAt)},
      activated_at = CASE WHEN ${$(ch.activate ?? false)}::boolean THEN coalesce(activated_at, now()) ELSE activated_at END,
      note = CASE WHEN ${$(ch.activate ?? false)}::boolean THEN NULL ELSE note END,
      note_at = CASE WHEN ${$(ch.activate ?? false)}::boolean THEN NULL ELSE note_at END
    WHERE id = ${$(ch.card.id)} RETURNING id, version)`);
  if (ch.redemption && ch.entries.length > 0) {
    const r = ch.redemption;
    ctes.push(`redemption AS (INSERT INTO redemptions (id, merchant_id, card_id, ledger_id, reward_id, reward_name, cost_minor, currency)
      SELECT ${$(r.id)}::uuid, ${$(ch.card.merchant_id)}, ${$(ch.card.id)}, min(id), ${$(r.rewardId)}, ${$(r.rewardName)}, ${$(r.costMinor)},
             ${$(ch.currency)}
        FROM entries)`);
  }
  if (ch.undoes && ch.entries.length > 0) {
    ctes.push(`undone AS (UPDATE redemptions SET undone_at = now(), undo_ledger_id = (SELECT min(id) FROM entries)
      WHERE id = ${$(ch.undoes.redemptionId)}::uuid AND card_id = ${$(ch.card.id)} AND undone_at IS NULL)`);
  }
  if (ch.answer) {
    const a = ch.answer;
    ctes.push(`answer AS (UPDATE idempotency_keys SET status = ${$(a.status)}, body = ${$(JSON.stringify(a.body))}
      WHERE merchant_id = ${$(ch.card.merchant_id)} AND key = ${$(a.key)})`);
  }
  const name = `writeCardChange:${ch.entries.length}:${ch.redemption ? 1 : 0}:${ch.undoes ? 1 : 0}:${ch.unchanged ? 1 : 0}:${ch.answer ? 1 : 0}`;
  const { rows } = await q.query<{ version: number }>(`WITH ${ctes.join(',\n')} SELECT version FROM card`, values, name);
  return rows[0]!;
}

/** A redemption of a card, with the ledger entry it wrote (what an undo gives back). */
export interface RedemptionRow {
  id: string;
  /** What was redeemed, by its name then ("Cashback" for cashback spent). */
  reward_name: string;
  created_at: Date;
  /** When it was undone; null: it stands. */
  undone_at: Date | null;
  entry: Entry;
}

/** The canonical text of a UUID: anything else names no redemption (and would not cast). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A redemption of this card by its id, row-locked until the transaction ends; undefined for an id
 * of another card (another merchant's alike) or no redemption at all.
 */
export async function lockRedemption(q: Queryable, cardId: string, id: string): Promise<RedemptionRow | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await q.query<Omit<RedemptionRow, 'entry'> & Entry>(
    `SELECT r.id, r.reward_name, r.created_at, r.undone_at, l.kind, l.stamps, l.rewards, l.points,
            l.cashback_minor AS "cashbackMinor", l.amount_minor AS "amountMinor", l.tier, l.reward_id AS "rewardId",
            l.reward_name AS "rewardName"
       FROM redemptions r JOIN ledger l ON l.id = r.ledger_id
      WHERE r.id = $1::uuid AND r.card_id = $2
      FOR UPDATE OF r`,
    [id, cardId],
    'lockRedemption',
  );
  const row = rows[0];
  if (!row) return undefined;
  const { id: redemptionId, reward_name, created_at, undone_at, ...entry } = row;
  return { id: redemptionId, reward_name, created_at, undone_at, entry };
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

/** The card's visits (stamps, purchases) and redemptions, newest first; an undone redemption is not one. */
export async function cardVisits(q: Queryable, cardId: string, limit: number): Promise<VisitRow[]> {
  const { rows } = await q.query<VisitRow>(
    `SELECT kind, stamps, points, amount_minor, created_at FROM ledger l
      WHERE card_id = $1 AND kind IN ('stamp', 'purchase', 'redemption')
        AND NOT EXISTS (SELECT FROM redemptions r WHERE r.ledger_id = l.id AND r.undone_at IS NOT NULL)
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
