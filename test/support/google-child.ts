// A Google Wallet update worker in a process of its own, for the crash test of
// test/push/google.test.ts: it delivers the 'google' outbox rows of the Postgres database at
// argv[2] to the (fake) Google at argv[3] (the REST base) and argv[4] (the token URL), signing
// with the service-account JSON in the GOOGLE_SERVICE_ACCOUNT variable, with a lease of argv[5]
// ms. It prints "ready" once started and runs until it is killed.
import { loadConfig } from '../../server/config.ts';
import { openPg } from '../../server/db/drivers/pg.ts';
import { GoogleChannel } from '../../server/wallets/google/channel.ts';
import { OutboxWorker } from '../../server/outbox/worker.ts';
import { openGoogleWallet } from '../../server/wallets/google/wallet.ts';
import { PassImages } from '../../passes/images.ts';
import { TEST_ISSUER_ID } from './fake-google.ts';
import { PUBLIC_URL } from './harness.ts';

const [url, api, tokenUrl, lease] = process.argv.slice(2);
if (!url || !api || !tokenUrl || !lease || !process.env.GOOGLE_SERVICE_ACCOUNT) {
  console.error(
    'usage: GOOGLE_SERVICE_ACCOUNT=<json> node --import tsx test/support/google-child.ts <postgres url> <api> <token url> <lease ms>',
  );
  process.exit(2);
}
const config = loadConfig({
  NODE_ENV: 'test',
  PUBLIC_URL,
  SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
  DATA_DIR: '.data/test',
  GOOGLE_ISSUER_ID: TEST_ISSUER_ID,
  GOOGLE_SERVICE_ACCOUNT: process.env.GOOGLE_SERVICE_ACCOUNT,
  GOOGLE_WALLET_API: api,
  GOOGLE_TOKEN_URL: tokenUrl,
});
const db = openPg(url, { max: 4 });
await db.query('SELECT 1');
// Longer than the test: a request the fake leaves hanging stays in flight until the kill.
const google = (await openGoogleWallet(config, new PassImages(), (line) => console.error(line), { requestTimeoutMs: 60_000 }))!;
const worker = new OutboxWorker(db, new GoogleChannel(db, google, google.api!), {
  pollMs: 50,
  leaseMs: Number(lease),
  log: (line) => console.error(line),
});
worker.start();
console.log('ready');
