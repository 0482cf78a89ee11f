import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Db, sqlState, UNIQUE_VIOLATION } from '../../server/db/index.ts';

export interface OpenedDb {
  db: Db;
  close(): Promise<void>;
}

/**
 * What every driver must do the same way (the rest of the server relies on it): bound
 * parameters, multi-statement scripts, transactions that commit or roll back, int8 as
 * number, timestamps as Date, and the SQLSTATE of an error. `open` gives a database (or
 * schema) of its own; the contract creates its own table in it.
 */
export function driverContract(name: string, open: () => Promise<OpenedDb>, options: { driver: Db['driver'] }): void {
  describe(`${name} driver contract`, () => {
    let opened: OpenedDb;
    let db: Db;
    before(async () => {
      opened = await open();
      db = opened.db;
    });
    after(() => opened?.close());

    it('reports which driver it is', () => {
      assert.equal(db.driver, options.driver);
    });

    it('runs a multi-statement script with exec', async () => {
      await db.exec(`
        CREATE TABLE contract_items (
          id    int8 PRIMARY KEY,
          name  text NOT NULL UNIQUE,
          at    timestamptz NOT NULL DEFAULT now()
        );
        INSERT INTO contract_items (id, name) VALUES (1, 'one');
        INSERT INTO contract_items (id, name) VALUES (2, 'two');
      `);
      const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM contract_items');
      assert.deepEqual(rows, [{ n: 2 }]);
    });

    it('binds $1… parameters and reports rowCount', async () => {
      const sum = await db.query<{ sum: number; s: string; nothing: null }>(
        'SELECT $1::int + $2::int AS sum, $3::text AS s, $4::text AS nothing',
        [2, 3, "it's; DROP TABLE contract_items", null],
      );
      assert.deepEqual(sum.rows, [{ sum: 5, s: "it's; DROP TABLE contract_items", nothing: null }]);
      assert.equal(sum.rowCount, 1);
      const ins = await db.query('INSERT INTO contract_items (id, name) VALUES ($1, $2), ($3, $4)', [3, 'three', 4, 'four']);
      assert.equal(ins.rowCount, 2);
      const upd = await db.query('UPDATE contract_items SET name = name || $1 WHERE id > $2', ['!', 2]);
      assert.equal(upd.rowCount, 2);
      const none = await db.query('SELECT id FROM contract_items WHERE name = $1', ['nobody']);
      assert.deepEqual(none.rows, []);
      assert.equal(none.rowCount, 0);
    });

    it('parses int8 (bigint, count) as number', async () => {
      const { rows } = await db.query<{ big: unknown; n: unknown; id: unknown }>(
        'SELECT 9007199254740991::int8 AS big, (SELECT count(*) FROM contract_items) AS n, (SELECT max(id) FROM contract_items) AS id',
      );
      assert.deepEqual(rows[0], { big: Number.MAX_SAFE_INTEGER, n: 4, id: 4 });
    });

    it('parses timestamptz as Date', async () => {
      const { rows } = await db.query<{ fixed: unknown; at: unknown }>(
        `SELECT '2024-02-29T13:14:15.250Z'::timestamptz AS fixed, at FROM contract_items WHERE id = 1`,
      );
      const row = rows[0]!;
      assert.ok(row.fixed instanceof Date, `fixed is ${typeof row.fixed}`);
      assert.equal(row.fixed.toISOString(), '2024-02-29T13:14:15.250Z');
      assert.ok(row.at instanceof Date, `at is ${typeof row.at}`);
      assert.ok(Math.abs(row.at.getTime() - Date.now()) < 3_600_000, `at ${row.at.toISOString()} is not about now`);
    });

    it('commits a transaction and returns its result', async () => {
      const result = await db.transaction(async (tx) => {
        await tx.query('INSERT INTO contract_items (id, name) VALUES ($1, $2)', [10, 'ten']);
        await tx.exec(
          `INSERT INTO contract_items (id, name) VALUES (11, 'eleven'); INSERT INTO contract_items (id, name) VALUES (12, 'twelve')`,
        );
        const { rows } = await tx.query<{ n: number }>('SELECT count(*) AS n FROM contract_items WHERE id >= 10');
        return rows[0]!.n;
      });
      assert.equal(result, 3);
      const { rows } = await db.query<{ name: string }>('SELECT name FROM contract_items WHERE id >= 10 ORDER BY id');
      assert.deepEqual(
        rows.map((r) => r.name),
        ['ten', 'eleven', 'twelve'],
      );
    });

    it('rolls a transaction back when it throws, and rethrows the same error', async () => {
      const boom = new Error('boom');
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO contract_items (id, name) VALUES ($1, $2)', [20, 'twenty']);
          await tx.query('UPDATE contract_items SET name = $1 WHERE id = 1', ['changed']);
          throw boom;
        }),
        (err) => err === boom,
      );
      const { rows } = await db.query<{ id: number; name: string }>('SELECT id, name FROM contract_items WHERE id IN (1, 20) ORDER BY id');
      assert.deepEqual(rows, [{ id: 1, name: 'one' }]);
    });

    it(`a unique violation carries sqlState ${UNIQUE_VIOLATION}, outside and inside a transaction`, async () => {
      const err1 = await db.query('INSERT INTO contract_items (id, name) VALUES ($1, $2)', [30, 'one']).then(
        () => assert.fail('the duplicate name was accepted'),
        (err: unknown) => err,
      );
      assert.equal(sqlState(err1), UNIQUE_VIOLATION);

      const err2 = await db
        .transaction(async (tx) => {
          await tx.query('INSERT INTO contract_items (id, name) VALUES ($1, $2)', [31, 'thirty-one']);
          await tx.query('INSERT INTO contract_items (id, name) VALUES ($1, $2)', [1, 'duplicate id']);
        })
        .then(
          () => assert.fail('the duplicate id was accepted'),
          (err: unknown) => err,
        );
      assert.equal(sqlState(err2), UNIQUE_VIOLATION);
      const { rows } = await db.query('SELECT id FROM contract_items WHERE id IN (30, 31)');
      assert.deepEqual(rows, [], 'the failed transaction left rows behind');
    });

    it('stays usable after errors (the connection is not left inside a failed transaction)', async () => {
      await assert.rejects(db.query('SELECT * FROM no_such_table'), (err) => sqlState(err) === '42P01');
      const { rows } = await db.query<{ ok: number }>('SELECT 1 AS ok');
      assert.deepEqual(rows, [{ ok: 1 }]);
      const n = await db.transaction(async (tx) => (await tx.query<{ n: number }>('SELECT count(*) AS n FROM contract_items')).rows[0]!.n);
      assert.equal(n, 7);
    });
  });
}
