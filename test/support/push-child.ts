// A push worker in a process of its own, for the crash test of test/push/worker.test.ts: it
// pushes the outbox of the Postgres database at argv[2] to the (fake) APNs at argv[3], with the
// test PKI in argv[4] (ca.pem, client.pem, client.key from makeTlsFixture) and a lease of argv[5]
// ms. It prints "ready" once started and runs until it is killed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPg } from '../../server/db/drivers/pg.ts';
import { ApnsClient } from '../../server/wallets/apple/apns.ts';
import { PushWorker } from '../../server/wallets/apple/channel.ts';
import { TEST_PASS_TYPE_ID } from './fake-apns.ts';

const [url, host, tlsDir, lease] = process.argv.slice(2);
if (!url || !host || !tlsDir || !lease) {
  console.error('usage: node --import tsx test/support/push-child.ts <postgres url> <apns url> <tls dir> <lease ms>');
  process.exit(2);
}
const read = (name: string) => readFileSync(join(tlsDir, name), 'utf8');
const db = openPg(url, { max: 4 });
await db.query('SELECT 1');
const client = new ApnsClient({
  host,
  topic: TEST_PASS_TYPE_ID,
  certPem: read('client.pem'),
  keyPem: read('client.key'),
  ca: read('ca.pem'),
  // Longer than the test: a push the fake leaves hanging stays in flight until the kill.
  requestTimeoutMs: 60_000,
});
const worker = new PushWorker(db, client, { pollMs: 50, leaseMs: Number(lease), log: (line) => console.error(line) });
worker.start();
console.log('ready');
