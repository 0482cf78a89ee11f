import pg from 'pg';
import { type Db, runTransaction } from './types.ts';
import { INT8_OID, parseInt8 } from './types.ts';

/** A type map for pg-compatible clients: int8 as number, the rest as pg does by default. */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return parseInt8;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** node-postgres pool against any Postgres server (`DATABASE_URL`). */
export function openPg(url: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: pgTypes });
  // An idle client that loses its server connection must not crash the process.
  pool.on('error', (err) => console.error(`[fidelio] idle database client error: ${err.message}`));
  return {
    driver: 'pg',
    query: async (text, params, name) => {
      const res = await pool.query({ text, values: params as unknown[] | undefined, name });
      return { rows: res.rows, rowCount: res.rowCount ?? res.rows.length };
    },
    exec: async (sql) => void (await pool.query(sql)),
    transaction: (fn) =>
      runTransaction(async () => {
        const client = await pool.connect();
        return {
          query: async (text, params, name) => {
            const res = await client.query({ text, values: params as unknown[] | undefined, name });
            return { rows: res.rows, rowCount: res.rowCount ?? res.rows.length };
          },
          exec: async (sql) => void (await client.query(sql)),
          release: () => client.release(),
        };
      }, fn),
    close: () => pool.end(),
  };
}
