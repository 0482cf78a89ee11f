// Giving back's sums from the ledger: the stamps collected (rows of kind 'stamp') and the spend
// of the visits (the positive amounts of stamps and purchases), for one merchant.
import type { GivingSums } from '../../domain/giving.ts';
import type { Queryable } from '../index.ts';

const SUMS = `coalesce(sum(l.stamps) FILTER (WHERE l.kind = 'stamp'), 0)::int8 AS stamps,
  coalesce(sum(l.amount_minor) FILTER (WHERE l.kind IN ('stamp', 'purchase') AND l.amount_minor > 0), 0)::int8 AS "spendMinor"`;

/** The merchant's sums over [from, to), or all time without them. */
export async function givingSums(q: Queryable, merchantId: string, range?: { from: Date; to: Date }): Promise<GivingSums> {
  const { rows } = await q.query<GivingSums>(
    `SELECT ${SUMS} FROM ledger l
      WHERE l.merchant_id = $1 AND ($2::timestamptz IS NULL OR l.created_at >= $2) AND ($3::timestamptz IS NULL OR l.created_at < $3)`,
    [merchantId, range?.from ?? null, range?.to ?? null],
    'givingSums',
  );
  return { stamps: Number(rows[0]!.stamps), spendMinor: Number(rows[0]!.spendMinor) };
}
