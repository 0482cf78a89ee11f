// Migrations: recorded, applied once, all or nothing; and two processes migrating the same
// fresh Postgres schema at once apply each migration exactly once.
//
// The first part runs on this run's database (TEST_DB). The two-process part needs the
// PostgreSQL server: it runs with TEST_DB=postgres, where an unreachable server fails the file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { openPg } from '../../server/db/drivers/pg.ts';
import { listMigrations, type Migration, migrate } from '../../server/db/migrate.ts';
import { openTestDb, TEST_DATABASE_URL, TEST_DB, type TestDb, withSearchPath } from '../support/db.ts';
import { requirePostgres } from '../support/postgres.ts';

const migrations = listMigrations();
const versions = migrations.map((m) => m.version);
const postgres = TEST_DB === 'postgres' && (await requirePostgres());

describe(`migrate (${TEST_DB})`, () => {
  let t: TestDb;
  before(async () => {
    t = await openTestDb();
  });
  after(() => t?.close());

  const tableExists = async (name: string) =>
    (await t.db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name])).rows[0]!.t !== null;

  it('the migration files are numbered 001, 002, … without gaps', () => {
    assert.ok(migrations.length > 0);
    assert.deepEqual(
      versions,
      migrations.map((_, i) => i + 1),
    );
  });

  it('records every migration with its name and time', async () => {
    const { rows } = await t.db.query<{ version: number; name: string; applied_at: Date }>(
      'SELECT version, name, applied_at FROM schema_migrations ORDER BY version',
    );
    assert.deepEqual(
      rows.map((r) => ({ version: r.version, name: r.name })),
      migrations.map((m) => ({ version: m.version, name: m.name })),
    );
    for (const r of rows) assert.ok(r.applied_at instanceof Date);
  });

  it('running it again applies nothing', async () => {
    assert.deepEqual(await migrate(t.db), []);
    assert.deepEqual(await migrate(t.db), []);
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM schema_migrations');
    assert.equal(rows[0]!.n, migrations.length);
  });

  it('applies a new migration once, then nothing', async () => {
    const probe: Migration = {
      version: 900,
      name: 'probe',
      sql: 'CREATE TABLE migrate_probe (id int PRIMARY KEY);\nINSERT INTO migrate_probe VALUES (1);\nINSERT INTO migrate_probe VALUES (2);',
    };
    assert.deepEqual(await migrate(t.db, [...migrations, probe]), [900]);
    assert.deepEqual(await migrate(t.db, [...migrations, probe]), []);
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM migrate_probe');
    assert.equal(rows[0]!.n, 2);
    const rec = await t.db.query<{ name: string }>('SELECT name FROM schema_migrations WHERE version = 900');
    assert.deepEqual(rec.rows, [{ name: 'probe' }]);
  });

  it('a failing migration applies nothing of the batch and records nothing', async () => {
    const good: Migration = { version: 910, name: 'good', sql: 'CREATE TABLE migrate_good (id int);' };
    const bad: Migration = { version: 911, name: 'bad', sql: 'CREATE TABLE migrate_bad (id int);\nSELECT 1 / 0;' };
    await assert.rejects(migrate(t.db, [...migrations, good, bad]), /division by zero/);
    assert.equal(await tableExists('migrate_good'), false);
    assert.equal(await tableExists('migrate_bad'), false);
    const { rows } = await t.db.query('SELECT version FROM schema_migrations WHERE version >= 910');
    assert.deepEqual(rows, []);
    // Fixed, it goes through.
    assert.deepEqual(await migrate(t.db, [...migrations, good]), [910]);
    assert.equal(await tableExists('migrate_good'), true);
  });
});

if (postgres) {
  describe('migrate from two processes at once (postgres)', () => {
    const schema = `mig_${randomBytes(6).toString('hex')}`;
    const url = withSearchPath(TEST_DATABASE_URL, schema);
    const admin = openPg(TEST_DATABASE_URL, { max: 1 });
    const children = new Set<ReturnType<typeof spawn>>();

    before(() => admin.query(`CREATE SCHEMA ${schema}`));
    after(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.close();
    });

    /** Starts a migrating child; resolves `ready` once it is connected, `done` when it exits. */
    const startChild = () => {
      const script = fileURLToPath(new URL('../support/migrate-child.ts', import.meta.url));
      const child = spawn(process.execPath, ['--import', 'tsx', script, url], { stdio: ['pipe', 'pipe', 'pipe'] });
      children.add(child);
      let stdout = '';
      let stderr = '';
      let onReady: () => void;
      const ready = new Promise<void>((resolve) => (onReady = resolve));
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        stdout += s;
        if (/^ready$/m.test(stdout)) onReady();
      });
      child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
        child.on('close', (code) => {
          onReady(); // a child that died before "ready" must not hang the test
          resolve({ code, stdout, stderr });
        }),
      );
      return { child, ready, done };
    };

    it('both succeed and each migration is applied exactly once', async () => {
      const a = startChild();
      const b = startChild();
      await Promise.all([a.ready, b.ready]);
      a.child.stdin.end('go\n');
      b.child.stdin.end('go\n');
      const results = await Promise.all([a.done, b.done]);

      const applied = results.map((r, i) => {
        assert.equal(r.code, 0, `child ${i} exited with ${r.code}: ${r.stderr}`);
        const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
        assert.ok(line, `child ${i} printed no result: ${r.stdout} ${r.stderr}`);
        return (JSON.parse(line) as { applied: number[] }).applied;
      });
      // Together they applied every migration, none twice.
      assert.deepEqual(
        [...applied[0]!, ...applied[1]!].sort((x, y) => x - y),
        versions,
      );

      const { rows } = await admin.query<{ version: number; n: number }>(
        `SELECT version, count(*) AS n FROM ${schema}.schema_migrations GROUP BY version ORDER BY version`,
      );
      assert.deepEqual(
        rows,
        versions.map((version) => ({ version, n: 1 })),
      );
      // The schema is really there, once.
      const tables = await admin.query<{ n: number }>(
        `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name IN ('merchants', 'cards', 'ledger')`,
        [schema],
      );
      assert.equal(tables.rows[0]!.n, 3);
    });
  });
}
