import pg from 'pg';
import { TEST_DATABASE_URL, TEST_DB } from './db.ts';

/**
 * Which tests need the PostgreSQL server, and when they run:
 *
 * - `TEST_DB=postgres` (CI's second run): the server must be there. If it is not,
 *   `requirePostgres()` throws, which fails the test file: nothing is skipped quietly.
 * - otherwise (the default PGlite run): tests that are cheap on Postgres also run when the
 *   server answers (`postgresReachable()`); the slow ones run in the postgres run only.
 */
export async function postgresReachable(url = TEST_DATABASE_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether the Postgres tests of this file run. With TEST_DB=postgres an unreachable server
 * throws (the file fails); otherwise they run when the server answers.
 */
export async function requirePostgres(url = TEST_DATABASE_URL): Promise<boolean> {
  const up = await postgresReachable(url);
  if (!up && TEST_DB === 'postgres') {
    throw new Error(`TEST_DB=postgres but no PostgreSQL server answers at ${redact(url)} (set TEST_DATABASE_URL or start the server)`);
  }
  return up;
}

/** The reason shown when a Postgres test does not run in the default run. */
export function unreachableReason(url = TEST_DATABASE_URL): string {
  return `no PostgreSQL server at ${redact(url)}; run with TEST_DB=postgres to require it`;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
