import type { Queryable } from '../../server/db/index.ts';
import { type BalanceColumns, balancesOf, getLedger } from '../../server/db/queries/cards.ts';
import { type Balances, balancesFromLedger, type Entry } from '../../server/domain/rules.ts';

/** A card's cached balances next to the balances recomputed from its ledger, and the ledger. */
export async function cacheAndLedger(db: Queryable, serial: string): Promise<{ cached: Balances; fromLedger: Balances; entries: Entry[] }> {
  const { rows } = await db.query<BalanceColumns & { id: string }>(
    'SELECT id, stamps, rewards_available, points, tier, cashback_minor, spend_minor FROM cards WHERE serial = $1',
    [serial],
  );
  const card = rows[0];
  if (!card) throw new Error(`no card ${serial}`);
  const entries = await getLedger(db, card.id);
  return { cached: balancesOf(card), fromLedger: balancesFromLedger(entries), entries };
}
