import type { DatabaseConfig } from '../config.ts';
import type { Db } from './drivers/types.ts';

export { type Db, type Queryable, type QueryResult, type Row, runTransaction, sqlState, UNIQUE_VIOLATION } from './drivers/types.ts';

/** Opens the database the configuration names. */
export async function openDb(config: DatabaseConfig): Promise<Db> {
  switch (config.driver) {
    case 'pglite':
      return (await import('./drivers/pglite.ts')).openPglite(config.dataDir);
    case 'pg':
      return (await import('./drivers/pg.ts')).openPg(config.url);
    case 'vercel':
      return (await import('./drivers/vercel.ts')).openVercel(config.url);
  }
}
