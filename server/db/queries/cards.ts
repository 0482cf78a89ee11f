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
}

/** A card with its program, as the services need it. */
export interface CardWithProgram extends CardRow {
  program: Program;
}

const CARD_COLUMNS = `c.id, c.merchant_id, c.program_id, c.customer_id, c.serial, c.auth_token, c.referral_code,
  c.stamps, c.rewards_available, c.points, c.tier, c.cashback_minor, c.spend_minor, c.activated_at,
  c.version, c.updated_at, cu.name AS customer_name, cu.email AS customer_email`;
const PROGRAM_COLUMN = `p.settings || jsonb_build_object('slug', p.slug, 'type', p.type, 'currency', p.currency) AS program`;

export function balancesOf(c: CardRow): Balances {
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
    `SELECT ${CARD_COLUMNS}, ${PROGRAM_COLUMN}
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

/** Writes the cached balances after new ledger entries; bumps the version the passes use. */
export async function updateCardBalances(
  q: Queryable,
  cardId: string,
  b: Balances,
  opts: { activate?: boolean } = {},
): Promise<{ version: number; updated_at: Date }> {
  const { rows } = await q.query<{ version: number; updated_at: Date }>(
    `UPDATE cards SET stamps = $2, rewards_available = $3, points = $4, tier = $5, cashback_minor = $6,
            spend_minor = $7, version = version + 1, updated_at = clock_timestamp(),
            activated_at = CASE WHEN $8::boolean THEN coalesce(activated_at, now()) ELSE activated_at END
      WHERE id = $1 RETURNING version, updated_at`,
    [cardId, b.stamps, b.rewardsAvailable, b.points, b.tier, b.cashbackMinor, b.spendMinor, opts.activate ?? false],
    'updateCardBalances',
  );
  return rows[0]!;
}

/** Appends entries to the ledger in one statement; returns their ids in order. */
export async function insertLedgerEntries(
  q: Queryable,
  card: { id: string; merchant_id: string },
  currency: string,
  actor: string | null,
  entries: readonly Entry[],
): Promise<number[]> {
  if (entries.length === 0) return [];
  const cols = 11;
  const values: unknown[] = [];
  const tuples = entries.map((e, i) => {
    values.push(card.merchant_id, card.id, e.kind, e.stamps, e.rewards, e.points, e.cashbackMinor, e.amountMinor, currency, e.tier, e.rewardId);
    const base = i * cols;
    return `(${Array.from({ length: cols }, (_, k) => `$${base + k + 1}`).join(', ')}, $${entries.length * cols + 1})`;
  });
  values.push(actor);
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO ledger (merchant_id, card_id, kind, stamps, rewards, points, cashback_minor, amount_minor,
                         currency, tier, reward_id, actor)
     VALUES ${tuples.join(', ')} RETURNING id`,
    values,
    `insertLedgerEntries${entries.length}`,
  );
  return rows.map((r) => r.id);
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

/** Spend recorded on the card over the 12 months before `now`. */
export async function spendSince(q: Queryable, cardId: string, since: Date): Promise<number> {
  const { rows } = await q.query<{ spend: number }>(
    'SELECT coalesce(sum(amount_minor), 0)::int8 AS spend FROM ledger WHERE card_id = $1 AND created_at > $2',
    [cardId, since],
    'spendSince',
  );
  return rows[0]!.spend;
}

export async function insertRedemption(
  q: Queryable,
  r: { merchantId: string; cardId: string; ledgerId: number; rewardId: string | null; rewardName: string; costMinor: number; currency: string },
): Promise<void> {
  await q.query(
    `INSERT INTO redemptions (merchant_id, card_id, ledger_id, reward_id, reward_name, cost_minor, currency)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [r.merchantId, r.cardId, r.ledgerId, r.rewardId, r.rewardName, r.costMinor, r.currency],
  );
}
