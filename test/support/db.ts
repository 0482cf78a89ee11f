import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Db } from '../../server/db/index.ts';
import { openPg } from '../../server/db/drivers/pg.ts';
import { wrapPglite } from '../../server/db/drivers/pglite.ts';
import { INT8_OID, parseInt8 } from '../../server/db/drivers/types.ts';
import { listMigrations, migrate } from '../../server/db/migrate.ts';

/** Which database the tests run on: `TEST_DB=postgres` for the real server, else PGlite. */
export const TEST_DB = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const TEMPLATE_DIR = join(process.cwd(), '.data', 'test');

export interface TestDb {
  db: Db;
  /** A URL other processes can use (Postgres only): same schema. */
  url?: string;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file. PGlite takes 3–4 s to start and migrate, so
 * the first file dumps a migrated template (keyed by the migrations' hash) that the others
 * load in well under a second. On Postgres each file gets its own schema, dropped at the end.
 */
export async function openTestDb(): Promise<TestDb> {
  return TEST_DB === 'postgres' ? openPostgresSchema() : openPgliteFromTemplate();
}

async function openPgliteFromTemplate(): Promise<TestDb> {
  const migrations = listMigrations();
  const hash = createHash('sha256')
    .update(migrations.map((m) => m.sql).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const file = join(TEMPLATE_DIR, `pglite-${hash}.tar.gz`);
  let template: Buffer | undefined;
  try {
    template = readFileSync(file);
  } catch {
    const pg = await PGlite.create({ dataDir: 'memory://', parsers: { [INT8_OID]: parseInt8 } });
    await migrate(wrapPglite(pg), migrations);
    const dump = Buffer.from(await (await pg.dumpDataDir('gzip')).arrayBuffer());
    await pg.close();
    mkdirSync(TEMPLATE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, dump);
    renameSync(tmp, file);
    template = dump;
  }
  const pg = await PGlite.create({
    dataDir: 'memory://',
    loadDataDir: new Blob([new Uint8Array(template)]),
    parsers: { [INT8_OID]: parseInt8 },
  });
  const db = wrapPglite(pg);
  return { db, close: () => db.close() };
}

/** A new schema on the Postgres server; `url` points at it through search_path. */
export async function openPostgresSchema(): Promise<TestDb> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = openPg(TEST_DATABASE_URL, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = withSearchPath(TEST_DATABASE_URL, schema);
  const db = openPg(url, { max: 20 });
  await migrate(db);
  return {
    db,
    url,
    close: async () => {
      await db.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}
