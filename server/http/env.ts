import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { Principal } from '../db/queries/auth.ts';

/** What every route gets: the parsed configuration and the database. */
export interface Deps {
  config: Config;
  db: Db;
}

export interface AppEnv {
  Variables: { principal: Principal };
}
