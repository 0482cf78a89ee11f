import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { AppleWallet } from '../wallets/apple/wallet.ts';
import type { GoogleWallet } from '../wallets/google/wallet.ts';

/**
 * The outbox workers' bell: a service rings it after a commit that queued deliveries, so they
 * go out now rather than at the next poll. The workers are never called otherwise.
 */
export interface OutboxBell {
  wake(): void;
}

/**
 * What every service is given (by `main.ts`, or a test's harness): the parsed configuration,
 * the database, the wallets this deployment signs for, and the outbox workers' bell.
 */
export interface Deps {
  config: Config;
  db: Db;
  /** Null: no Apple Wallet passes (production without a Pass Type ID certificate). */
  apple: AppleWallet | null;
  /** Null: no Google Wallet (production without a service account). */
  google: GoogleWallet | null;
  outbox: OutboxBell;
  /** The import runner's bell: a new import starts now rather than at its next poll. */
  imports?: OutboxBell;
  /**
   * The time the services reason with (today's date in the merchant's time zone, a goal's pace,
   * a campaign's window): the wall clock by default; tests set their own. Rows keep the
   * database's `now()` for when they were written.
   */
  clock?: Clock;
}

/** What time it is, for the services: `Date.now()` unless a test says otherwise. */
export type Clock = () => Date;

/** The time now, by the deps' clock. */
export const nowOf = (deps: Pick<Deps, 'clock'>): Date => (deps.clock ? deps.clock() : new Date());
