import type { Program } from '../../domain/program.ts';
import type { Queryable } from '../index.ts';

export interface ProgramRow {
  id: string;
  merchant_id: string;
  program: Program;
  updated_at: Date;
}

const SELECT = `SELECT id, merchant_id, updated_at,
  settings || jsonb_build_object('slug', slug, 'type', type, 'currency', currency) AS program
  FROM programs`;

/** Splits the program object into its columns and the `settings` document. */
function settingsOf(p: Program): Record<string, unknown> {
  const { slug: _slug, type: _type, currency: _currency, ...settings } = p;
  return settings;
}

export async function insertProgram(q: Queryable, merchantId: string, p: Program): Promise<ProgramRow> {
  const { rows } = await q.query<ProgramRow>(
    `WITH ins AS (INSERT INTO programs (merchant_id, slug, type, currency, settings)
       VALUES ($1, $2, $3, $4, $5) RETURNING *)
     ${SELECT.replace('FROM programs', 'FROM ins')}`,
    [merchantId, p.slug, p.type, p.currency, JSON.stringify(settingsOf(p))],
  );
  return rows[0]!;
}

export async function getProgramByMerchant(q: Queryable, merchantId: string): Promise<ProgramRow | undefined> {
  const { rows } = await q.query<ProgramRow>(`${SELECT} WHERE merchant_id = $1`, [merchantId], 'getProgramByMerchant');
  return rows[0];
}

export async function getProgramBySlug(q: Queryable, slug: string): Promise<ProgramRow | undefined> {
  const { rows } = await q.query<ProgramRow>(`${SELECT} WHERE slug = $1`, [slug], 'getProgramBySlug');
  return rows[0];
}

export async function updateProgram(q: Queryable, merchantId: string, p: Program): Promise<ProgramRow | undefined> {
  const { rows } = await q.query<ProgramRow>(
    `WITH up AS (UPDATE programs SET type = $2, currency = $3, settings = $4, updated_at = now()
       WHERE merchant_id = $1 RETURNING *)
     ${SELECT.replace('FROM programs', 'FROM up')}`,
    [merchantId, p.type, p.currency, JSON.stringify(settingsOf(p))],
  );
  return rows[0];
}

/** A program by slug with its merchant's business name, for the public API. */
export async function getProgramWithMerchantBySlug(
  q: Queryable,
  slug: string,
): Promise<(ProgramRow & { merchant_name: string }) | undefined> {
  const { rows } = await q.query<ProgramRow & { merchant_name: string }>(
    `SELECT p.id, p.merchant_id, p.updated_at, m.name AS merchant_name,
            p.settings || jsonb_build_object('slug', p.slug, 'type', p.type, 'currency', p.currency) AS program
       FROM programs p JOIN merchants m ON m.id = p.merchant_id
      WHERE p.slug = $1`,
    [slug],
    'getProgramWithMerchantBySlug',
  );
  return rows[0];
}

/**
 * The broadcast message every pass of the merchant's program shows, kept in the merchant's log
 * of messages too. The program's row stays locked until the transaction ends: two messages sent
 * at once are counted one after the other.
 */
export async function setProgramMessage(q: Queryable, merchantId: string, text: string): Promise<void> {
  await q.query(
    `WITH program AS (UPDATE programs SET message = $2, message_at = now() WHERE merchant_id = $1)
     INSERT INTO merchant_messages (merchant_id, text) VALUES ($1, $2)`,
    [merchantId, text],
    'setProgramMessage',
  );
}

/** When the merchant's messages after `since` were sent, oldest first. */
export async function messageTimesSince(q: Queryable, merchantId: string, since: Date): Promise<Date[]> {
  const { rows } = await q.query<{ created_at: Date }>(
    'SELECT created_at FROM merchant_messages WHERE merchant_id = $1 AND created_at > $2 ORDER BY created_at',
    [merchantId, since],
    'messageTimesSince',
  );
  return rows.map((r) => r.created_at);
}
