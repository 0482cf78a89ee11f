import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { type Db, INT8_OID, parseInt8, type Queryable, type QueryResult } from './types.ts';

const parsers = { [INT8_OID]: parseInt8 };

/** Wraps an open PGlite instance (embedded WASM Postgres, one session, queries serialized). */
export function wrapPglite(pg: PGlite): Db {
  const run = async <T>(q: Pick<PGlite, 'query'>, text: string, params?: readonly unknown[]): Promise<QueryResult<T>> => {
    const res = await q.query<T>(text, params as unknown[] | undefined);
    // Like pg's rowCount: rows returned by a statement that returns rows (PGlite says 0 for a
    // SELECT), else rows affected.
    return { rows: res.rows, rowCount: res.fields.length > 0 ? res.rows.length : (res.affectedRows ?? 0) };
  };
  return {
    driver: 'pglite',
    query: (text, params) => run(pg, text, params),
    exec: async (sql) => void (await pg.exec(sql)),
    transaction: (fn) =>
      pg.transaction((tx) => {
        const q: Queryable = {
          query: (text, params) => run(tx, text, params),
          exec: async (sql) => void (await tx.exec(sql)),
        };
        return fn(q);
      }),
    close: () => pg.close(),
  };
}

/** Opens (or creates) a PGlite database persisted in `dataDir`, or in memory for `memory://`. */
export async function openPglite(dataDir: string, options: { loadDataDir?: Blob } = {}): Promise<Db> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create({ dataDir, parsers, ...options });
  return wrapPglite(pg);
}
