// CSV imports (migration 013): the file and where the worker is in it, and the members a batch
// of its lines brings over — customers, cards, consent, opening balances — in one transaction.
import type { ColumnIndexes } from '../../domain/imports.ts';
import type { Balances, Entry } from '../../domain/rules.ts';
import type { Queryable } from '../index.ts';

export interface ImportRow {
  id: string;
  merchant_id: string;
  actor: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  failed: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: { line: number; message: string }[];
  options: { columns: ColumnIndexes; welcome: boolean };
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS = `id, merchant_id, actor, status, total, done, failed, created, updated, unchanged, errors, options, created_at, finished_at`;

export async function insertImport(
  q: Queryable,
  i: { merchantId: string; actor: string; source: string; options: ImportRow['options']; total: number },
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    'INSERT INTO imports (merchant_id, actor, source, options, total) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [i.merchantId, i.actor, i.source, JSON.stringify(i.options), i.total],
  );
  return rows[0]!.id;
}

export async function getImport(q: Queryable, merchantId: string, id: string): Promise<ImportRow | undefined> {
  const { rows } = await q.query<ImportRow>(`SELECT ${COLUMNS} FROM imports WHERE merchant_id = $1 AND id = $2`, [merchantId, id]);
  return rows[0];
}

export async function listImports(q: Queryable, merchantId: string, limit: number): Promise<ImportRow[]> {
  const { rows } = await q.query<ImportRow>(`SELECT ${COLUMNS} FROM imports WHERE merchant_id = $1 ORDER BY created_at DESC, id LIMIT $2`, [
    merchantId,
    limit,
  ]);
  return rows;
}

/**
 * Leases a running import (one whose lease is free or ran out: a worker that died hands it over)
 * with its file; undefined when none is waiting.
 */
export async function leaseImport(q: Queryable, leaseMs: number, id?: string): Promise<(ImportRow & { source: string }) | undefined> {
  const { rows } = await q.query<ImportRow & { source: string }>(
    `UPDATE imports SET lease_until = now() + $1 * interval '1 millisecond'
      WHERE id = (SELECT id FROM imports
                   WHERE status = 'running' AND (lease_until IS NULL OR lease_until <= now()) AND ($2::uuid IS NULL OR id = $2)
                   ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING ${COLUMNS}, source`,
    [leaseMs, id ?? null],
  );
  return rows[0];
}

/** A batch's outcome, added to the import's counts; the lease is extended, or given back when done. */
export async function recordImportBatch(
  q: Queryable,
  id: string,
  b: {
    done: number;
    failed: number;
    created: number;
    updated: number;
    unchanged: number;
    errors: unknown[];
    finished: boolean;
    leaseMs: number;
  },
): Promise<void> {
  await q.query(
    `UPDATE imports SET done = done + $2, failed = failed + $3, created = created + $4, updated = updated + $5,
            unchanged = unchanged + $6,
            errors = CASE WHEN jsonb_array_length(errors) >= 1000 THEN errors ELSE errors || $7::jsonb END,
            status = CASE WHEN $8 THEN 'done' ELSE status END,
            finished_at = CASE WHEN $8 THEN now() END,
            lease_until = CASE WHEN $8 THEN NULL ELSE now() + $9 * interval '1 millisecond' END,
            source = CASE WHEN $8 THEN '' ELSE source END
      WHERE id = $1`,
    [id, b.done, b.failed, b.created, b.updated, b.unchanged, JSON.stringify(b.errors), b.finished, b.leaseMs],
    'recordImportBatch',
  );
}

export async function failImport(q: Queryable, id: string, message: string): Promise<void> {
  await q.query(
    `UPDATE imports SET status = 'failed', finished_at = now(), lease_until = NULL, source = '',
            errors = errors || jsonb_build_array(jsonb_build_object('line', 0, 'message', $2::text))
      WHERE id = $1`,
    [id, message],
  );
}

export interface NewImportedCustomer {
  name: string;
  email: string;
  phone: string | null;
  birthday: string | null;
  marketingConsent: boolean;
  serial: string;
  authToken: string;
  referralCode: string;
}

/**
 * Inserts the customers the merchant does not have yet (by e-mail, whatever its case), with a
 * card each and their consent logged as given by the owner's import; returns the e-mails of the
 * new ones. Then locks every card of the batch's e-mails, new or not, and returns them with
 * whether they already have an opening balance.
 */
export async function insertImportedCustomers(
  q: Queryable,
  merchantId: string,
  programId: string,
  actor: string,
  members: readonly NewImportedCustomer[],
): Promise<{ created: Set<string>; cards: ImportCardRow[] }> {
  const col = <K extends keyof NewImportedCustomer>(k: K) => members.map((m) => m[k]);
  const { rows } = await q.query<{ email: string }>(
    `WITH m AS (SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::date[], $7::boolean[], $8::text[], $9::text[], $10::text[])
                     AS m (name, email, phone, birthday, consent, serial, auth_token, referral_code)),
          c AS (INSERT INTO customers (merchant_id, name, email, phone, birthday, terms_accepted_at, marketing_consent, marketing_consent_at)
                SELECT $1, name, email, phone, birthday, now(), consent, CASE WHEN consent THEN now() END FROM m
                ON CONFLICT (merchant_id, lower(email)) DO NOTHING
                RETURNING id, email, marketing_consent),
          cards AS (INSERT INTO cards (merchant_id, program_id, customer_id, serial, auth_token, referral_code)
                    SELECT $1, $2, c.id, m.serial, m.auth_token, m.referral_code FROM c JOIN m ON m.email = c.email),
          consent AS (INSERT INTO consent_events (merchant_id, customer_id, kind, action, actor, source)
                      SELECT $1, c.id, k.kind, 'given', $11, 'import'
                        FROM c, (VALUES ('terms'), ('marketing')) AS k (kind)
                       WHERE k.kind = 'terms' OR c.marketing_consent)
     SELECT email FROM c`,
    [
      merchantId,
      programId,
      col('name'),
      col('email'),
      col('phone'),
      col('birthday'),
      col('marketingConsent'),
      col('serial'),
      col('authToken'),
      col('referralCode'),
      actor,
    ],
    'insertImportedCustomers',
  );
  const cards = await lockImportCards(
    q,
    merchantId,
    members.map((m) => m.email),
  );
  return { created: new Set(rows.map((r) => r.email)), cards };
}

export interface ImportCardRow {
  id: string;
  customer_id: string;
  email: string;
  stamps: number;
  rewards_available: number;
  points: number;
  tier: string | null;
  cashback_minor: number;
  spend_minor: number;
  updated_at: Date;
  imported: boolean;
}

async function lockImportCards(q: Queryable, merchantId: string, emails: readonly string[]): Promise<ImportCardRow[]> {
  const { rows } = await q.query<ImportCardRow>(
    `SELECT ca.id, ca.customer_id, lower(cu.email) AS email, ca.stamps, ca.rewards_available, ca.points, ca.tier, ca.cashback_minor,
            ca.spend_minor, ca.updated_at,
            EXISTS (SELECT FROM ledger l WHERE l.card_id = ca.id AND l.kind = 'imported') AS imported
       FROM customers cu JOIN cards ca ON ca.customer_id = cu.id
      WHERE cu.merchant_id = $1 AND lower(cu.email) = ANY ($2::text[])
      ORDER BY ca.id
      FOR UPDATE OF ca`,
    [merchantId, emails],
    'lockImportCards',
  );
  return rows;
}

/** Writes the opening balances: one ledger entry each, and the cards' cached balances. */
export async function writeOpeningBalances(
  q: Queryable,
  merchantId: string,
  currency: string,
  actor: string,
  changes: readonly { cardId: string; entry: Entry; balances: Balances; updatedAt: Date }[],
): Promise<void> {
  if (changes.length === 0) return;
  const e = changes.map((c) => c.entry);
  const b = changes.map((c) => c.balances);
  await q.query(
    `WITH d AS (SELECT * FROM unnest($4::uuid[], $5::int[], $6::int[], $7::int8[], $8::int8[], $9::int[], $10::int[], $11::int8[],
                                     $12::int8[], $13::timestamptz[])
                     AS d (card_id, stamps, rewards, points, cashback, b_stamps, b_rewards, b_points, b_cashback, updated_at)),
          l AS (INSERT INTO ledger (merchant_id, card_id, kind, stamps, rewards, points, cashback_minor, currency, actor)
                SELECT $1, card_id, 'imported', stamps, rewards, points, cashback, $2, $3 FROM d)
     UPDATE cards c SET stamps = d.b_stamps, rewards_available = d.b_rewards, points = d.b_points, cashback_minor = d.b_cashback,
                        version = c.version + 1, updated_at = d.updated_at
       FROM d WHERE c.id = d.card_id`,
    [
      merchantId,
      currency,
      actor,
      changes.map((c) => c.cardId),
      e.map((x) => x.stamps),
      e.map((x) => x.rewards),
      e.map((x) => x.points),
      e.map((x) => x.cashbackMinor),
      b.map((x) => x.stamps),
      b.map((x) => x.rewardsAvailable),
      b.map((x) => x.points),
      b.map((x) => x.cashbackMinor),
      changes.map((c) => c.updatedAt),
    ],
    'writeOpeningBalances',
  );
}

/** Welcome mails for the new members of a batch (the owner ticked it). */
export async function queueImportWelcomes(q: Queryable, merchantId: string, cards: readonly { id: string; customer_id: string }[]) {
  if (cards.length === 0) return;
  await q.query(
    `INSERT INTO outbox (merchant_id, card_id, channel, target)
     SELECT $1, d.card_id, 'mail', 'welcome:' || d.customer_id::text FROM unnest($2::uuid[], $3::uuid[]) AS d (card_id, customer_id)
     ON CONFLICT (channel, target) DO NOTHING`,
    [merchantId, cards.map((c) => c.id), cards.map((c) => c.customer_id)],
  );
}
