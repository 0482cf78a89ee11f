// A mail worker in a process of its own, for the crash test of test/mail/delivery.test.ts: it
// delivers the 'mail' outbox rows of the Postgres database at argv[2] through the (fake) SMTP
// server of argv[3] (an SMTP_URL), with a lease of argv[4] ms. It prints "ready" once started and
// runs until it is killed.
import { loadConfig } from '../../server/config.ts';
import { openPg } from '../../server/db/drivers/pg.ts';
import { MailChannel } from '../../server/mail/channel.ts';
import { openMailTransport } from '../../server/mail/transport.ts';
import { OutboxWorker } from '../../server/outbox/worker.ts';
import { PUBLIC_URL } from './harness.ts';

const [url, smtpUrl, lease] = process.argv.slice(2);
if (!url || !smtpUrl || !lease) {
  console.error('usage: node --import tsx test/support/mail-child.ts <postgres url> <smtp url> <lease ms>');
  process.exit(2);
}
const config = loadConfig({
  NODE_ENV: 'test',
  PUBLIC_URL,
  SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
  DATA_DIR: '.data/test',
  SMTP_URL: smtpUrl,
  MAIL_FROM: 'loyalty@fidelio.test',
});
const db = openPg(url, { max: 4 });
await db.query('SELECT 1');
// Longer than the test: a message the fake leaves hanging stays in flight until the kill. More
// connections than the test has mails: those the fake holds must not keep the others waiting.
const transport = openMailTransport(config.mail!, { socketTimeoutMs: 60_000, maxConnections: 12 });
const worker = new OutboxWorker(
  db,
  new MailChannel(db, transport, { ...config, mail: config.mail! }, { wallets: { apple: true, google: true } }),
  {
    pollMs: 50,
    leaseMs: Number(lease),
    log: (line) => console.error(line),
  },
);
worker.start();
console.log('ready');
