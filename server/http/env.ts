import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { Principal } from '../db/queries/auth.ts';
import type { AppleWallet } from '../services/apple.ts';
import type { GoogleWallet } from '../services/google.ts';

/** What every route gets: the parsed configuration, the database, the wallets. */
export interface Deps {
  config: Config;
  db: Db;
  /** Null: no Apple Wallet passes (production without a Pass Type ID certificate). */
  apple?: AppleWallet | null;
  /** Null: no Google Wallet (production without a service account). */
  google?: GoogleWallet | null;
  /** Tells the outbox workers that a write queued pushes (they also poll). */
  push?: { wake(): void };
}

export interface AppEnv {
  Variables: { principal: Principal };
}
