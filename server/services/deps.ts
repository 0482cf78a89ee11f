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
}
