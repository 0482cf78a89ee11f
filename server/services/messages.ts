// The merchant's message on the back of every pass, with a lock-screen notification.
import { countPassReach } from '../db/queries/merchants.ts';
import { reissueMerchantPasses } from '../db/queries/outbox.ts';
import { setProgramMessage } from '../db/queries/programs.ts';
import type { Deps } from './deps.ts';

/**
 * The merchant's message on every pass (its own field, so the lock screen shows it): every
 * card gets a new version and each registered phone a push. Returns how many it reaches,
 * counted as `messageReach` counts them before sending.
 */
export async function broadcastMessage(deps: Pick<Deps, 'db' | 'outbox'>, merchantId: string, text: string) {
  const reached = await deps.db.transaction(async (tx) => {
    await setProgramMessage(tx, merchantId, text);
    await reissueMerchantPasses(tx, merchantId);
    return countPassReach(tx, merchantId);
  });
  deps.outbox.wake();
  return { passes: reached.cards, devices: reached.devices };
}

/** How many passes (cards) and Apple Wallet devices a message would reach now: the dashboard asks before sending. */
export const messageReach = ({ db }: Pick<Deps, 'db'>, merchantId: string): Promise<{ cards: number; devices: number }> =>
  countPassReach(db, merchantId);
