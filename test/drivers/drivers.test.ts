// The driver contract for PGlite and pg (the @vercel/postgres one is in vercel.test.ts).
//
// When each part runs, so that CI covers every driver without paying for the slow ones twice:
// - PGlite (in memory; 3–4 s to start): in the default run, not with TEST_DB=postgres.
// - pg (its own schema; well under a second): with TEST_DB=postgres, where an unreachable
//   server fails this file; in the default run too when the server answers.
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { openPg } from '../../server/db/drivers/pg.ts';
import { openPglite } from '../../server/db/drivers/pglite.ts';
import { TEST_DATABASE_URL, TEST_DB, withSearchPath } from '../support/db.ts';
import { driverContract } from '../support/driver-contract.ts';
import { requirePostgres, unreachableReason } from '../support/postgres.ts';

if (TEST_DB !== 'postgres') {
  driverContract(
    'PGlite',
    async () => {
      const db = await openPglite('memory://');
      return { db, close: () => db.close() };
    },
    { driver: 'pglite' },
  );
}

const postgresUp = await requirePostgres();
if (postgresUp) {
  driverContract(
    'pg',
    async () => {
      const schema = `drv_${randomBytes(6).toString('hex')}`;
      const admin = openPg(TEST_DATABASE_URL, { max: 1 });
      await admin.query(`CREATE SCHEMA ${schema}`);
      const db = openPg(withSearchPath(TEST_DATABASE_URL, schema), { max: 4 });
      return {
        db,
        close: async () => {
          await db.close();
          await admin.query(`DROP SCHEMA ${schema} CASCADE`);
          await admin.close();
        },
      };
    },
    { driver: 'pg' },
  );
} else {
  describe('pg driver contract', () => {
    it('needs a PostgreSQL server', { skip: unreachableReason() }, () => undefined);
  });
}
