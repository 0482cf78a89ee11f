// The daily plays in a process of its own, for test/campaigns/processes.test.ts: runs them once
// against the Postgres database at argv[2] with the clock at argv[3], in batches of argv[4]
// members, pausing argv[5] ms inside each batch's transaction (so a test can kill it half-way).
// Prints "batch N" as each batch has written (before its commit), then the run as JSON.
import { loadConfig } from '../../server/config.ts';
import { openPg } from '../../server/db/drivers/pg.ts';
import { runDailyPlays } from '../../server/services/campaigns.ts';
import { PUBLIC_URL } from './harness.ts';

const [url, now, batchSize, pauseMs] = process.argv.slice(2);
if (!url || !now || !batchSize || !pauseMs) {
  console.error('usage: node --import tsx test/support/daily-child.ts <postgres url> <now> <batch size> <pause ms>');
  process.exit(2);
}
const config = loadConfig({
  NODE_ENV: 'test',
  PUBLIC_URL,
  SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
  DATA_DIR: '.data/test',
});
const db = openPg(url, { max: 2 });
let batches = 0;
const run = await runDailyPlays(
  { config, db, apple: null, google: null, outbox: { wake: () => {} }, clock: () => new Date(now) },
  {
    batchSize: Number(batchSize),
    inBatch: async () => {
      console.log(`batch ${++batches}`);
      await new Promise((r) => setTimeout(r, Number(pauseMs)));
    },
  },
);
console.log(JSON.stringify(run));
await db.close();
