// A database of its own for a benchmark on the PostgreSQL server (TEST_DATABASE_URL): created,
// migrated, handed to `run` as the server's driver and as a plain pg client (for set-based
// seeding), then dropped — unless `keep` (to look at it with EXPLAIN ANALYZE afterwards).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Db, openDb } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import { TEST_DATABASE_URL } from '../test/support/db.ts';

export async function withBenchDatabase<T>(name: string, run: (db: Db, client: pg.Client) => Promise<T>, keep = false): Promise<T> {
  const dbName = `fidelio_bench_${name}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${dbName}`;
  const db = await openDb({ driver: 'pg', url: u.toString() });
  const client = new pg.Client({ connectionString: u.toString() });
  try {
    await migrate(db);
    await client.connect();
    return await run(db, client);
  } finally {
    await client.end().catch(() => {});
    await db.close();
    if (keep) console.log(`kept database ${dbName}`);
    else await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}
