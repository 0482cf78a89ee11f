// A separate process that migrates the Postgres database at argv[2], for migrate.test.ts.
// It connects first, prints "ready", waits for "go" on stdin (so that two of these start
// migrating at the same moment), then prints the versions it applied as JSON and exits.
import { createInterface } from 'node:readline';
import { openPg } from '../../server/db/drivers/pg.ts';
import { migrate } from '../../server/db/migrate.ts';

const url = process.argv[2];
if (!url) {
  console.error('usage: node --import tsx test/support/migrate-child.ts <postgres url>');
  process.exit(2);
}
const db = openPg(url, { max: 2 });
await db.query('SELECT 1');
console.log('ready');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === 'go') break;
lines.close();
try {
  const applied = await migrate(db);
  console.log(JSON.stringify({ applied }));
} finally {
  await db.close();
}
