// The merchant's message on the back of every pass, with a lock-screen notification.
import { countPassReach } from '../db/queries/merchants.ts';
import { reissueMerchantPasses } from '../db/queries/outbox.ts';
import { messageTimesSince, setProgramMessage } from '../db/queries/programs.ts';
import { AppError } from '../errors.ts';
import { type Deps, nowOf } from './deps.ts';

/**
 * Messages a pass gets in any 24 hours: Google Wallet notifies 3 a day (the rest arrive
 * silently, wallets/google/channel.ts), and Apple Wallet shows every one on the lock screen, so
 * the same number is the cap of what the merchant sends to both.
 */
export const MESSAGES_PER_DAY = 3;

const DAY_MS = 86_400_000;

/**
 * The merchant's message on every pass (its own field, so the lock screen shows it): every
 * card gets a new version and each registered phone a push. Returns how many it reaches,
 * counted as `messageReach` counts them before sending. A fourth message within 24 hours (by the
 * services' clock) is refused, `rate_limited`, with the seconds until the oldest leaves the window.
 */
export async function broadcastMessage(deps: Pick<Deps, 'db' | 'outbox' | 'clock'>, merchantId: string, text: string) {
  const now = nowOf(deps);
  const reached = await deps.db.transaction(async (tx) => {
    // Written first: the program's row lock makes a message sent at the same time wait, then count this one.
    await setProgramMessage(tx, merchantId, text);
    const sent = await messageTimesSince(tx, merchantId, new Date(now.getTime() - DAY_MS));
    if (sent.length > MESSAGES_PER_DAY) {
      const frees = sent[sent.length - 1 - MESSAGES_PER_DAY]!.getTime() + DAY_MS;
      throw new AppError(
        'rate_limited',
        `${MESSAGES_PER_DAY} messages in 24 hours at most reach the passes: the next one can go out later.`,
        { retryAfterSeconds: Math.max(1, Math.ceil((frees - now.getTime()) / 1000)) },
      );
    }
    await reissueMerchantPasses(tx, merchantId);
    return countPassReach(tx, merchantId);
  });
  deps.outbox.wake();
  return { passes: reached.cards, devices: reached.devices };
}

/** How many passes (cards) and Apple Wallet devices a message would reach now: the dashboard asks before sending. */
export const messageReach = ({ db }: Pick<Deps, 'db'>, merchantId: string): Promise<{ cards: number; devices: number }> =>
  countPassReach(db, merchantId);
