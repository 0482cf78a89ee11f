import { createPool } from '@vercel/postgres';
import { type Db, runTransaction } from './types.ts';
import { pgTypes } from './pg.ts';

/**
 * @vercel/postgres (Neon's serverless driver: Postgres over WebSocket), used when
 * `POSTGRES_URL` is set. Queries and transactions go through its pg-compatible Pool.
 */
export function openVercel(url: string): Db {
  const pool = createPool({ connectionString: url, types: pgTypes } as Parameters<typeof createPool>[0]);
  pool.on('error', (err: Error) => console.error(`[fidelio] idle database client error: ${err.message}`));
  const wrap = async (res: Promise<{ rows: unknown[]; rowCount: number | null }>) => {
    const r = await res;
    return { rows: r.rows as never[], rowCount: r.rowCount ?? r.rows.length };
  };
  return {
    driver: 'vercel',
    query: (text, params, name) => wrap(pool.query({ text, values: params as unknown[] | undefined, name })),
    exec: async (sql) => void (await pool.query(sql)),
    transaction: (fn) =>
      runTransaction(async () => {
        const client = await pool.connect();
        return {
          query: (text, params, name) => wrap(client.query({ text, values: params as unknown[] | undefined, name })),
          exec: async (sql) => void (await client.query(sql)),
          release: () => client.release(),
        };
      }, fn),
    close: () => pool.end(),
  };
}
