// What every database driver is: the one interface the server sees, the shared transaction
// loop, and the column types all three parse alike.
import type { DatabaseConfig } from '../../config.ts';

export type Row = Record<string, unknown>;

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Anything that runs one SQL statement with bound parameters ($1, $2, …). */
export interface Queryable {
  /**
   * `name` names the statement in logs and lets the pg drivers prepare it once per
   * connection (Postgres then skips parsing and planning on each call). A name must always
   * go with the same text.
   */
  query<T = Row>(text: string, params?: readonly unknown[], name?: string): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * The one database interface the rest of the server sees. Three drivers implement it
 * (PGlite, pg, @vercel/postgres); all speak the same Postgres SQL.
 */
export interface Db extends Queryable {
  readonly driver: DatabaseConfig['driver'];
  /**
   * Runs `fn` inside BEGIN … COMMIT on one connection; rolls back if it throws.
   * Deadlocks and serialization failures (40P01, 40001) are retried a few times.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SQLSTATE of a Postgres error, from any of the three drivers. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export const UNIQUE_VIOLATION = '23505';
const RETRYABLE = new Set(['40P01', '40001']);

/** Shared by the pool-based drivers: BEGIN/COMMIT on one client, with retries. */
export async function runTransaction<T>(
  connect: () => Promise<Queryable & { release(): void }>,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (attempt < 5 && RETRYABLE.has(sqlState(err) ?? '')) continue;
      throw err;
    } finally {
      client.release();
    }
  }
}

/**
 * Column types parsed the same way by every driver: int8 (counts, money in minor units)
 * as a JS number, timestamps as Date. Our int8 values stay far below 2^53.
 */
export const INT8_OID = 20;

export function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} is beyond 2^53`);
  return n;
}
