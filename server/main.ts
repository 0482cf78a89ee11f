import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { serve } from '@hono/node-server';
import { seedDemo, DEMO } from '../demo/seed.ts';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDb } from './db/index.ts';
import { migrate } from './db/migrate.ts';
import { refreshKpiSummary } from './db/queries/kpis.ts';
import { MAIL_WORKER, MailChannel } from './mail/channel.ts';
import { openMailTransport } from './mail/transport.ts';
import { DailyJobs } from './jobs/daily.ts';
import { ImportJobs } from './jobs/imports.ts';
import { OutboxWorker } from './outbox/worker.ts';
import { WEBHOOK_WORKER, WebhookChannel } from './webhooks/channel.ts';
import { ApnsClient } from './wallets/apple/apns.ts';
import { PushWorker } from './wallets/apple/channel.ts';
import { openAppleWallet } from './wallets/apple/wallet.ts';
import { GoogleChannel } from './wallets/google/channel.ts';
import { openGoogleWallet } from './wallets/google/wallet.ts';
import { PassImages } from '../passes/images.ts';

/** How often the KPI summaries fold in the new ledger rows. */
const KPI_REFRESH_MS = 60_000;

/** How long in-flight requests get to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`fidelio: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }

  const db = await openDb(config.database);
  const applied = await migrate(db);
  if (applied.length) console.log(`fidelio: applied migrations ${applied.join(', ')}`);

  const apple = await openAppleWallet(config);
  if (!apple) {
    console.log('fidelio: Apple Wallet is off: set APPLE_CERT, APPLE_KEY and APPLE_WWDR (see the README, "Apple Wallet")');
  } else if (apple.certificates.source === 'development') {
    console.log(
      `fidelio: Apple Wallet passes are signed with a development certificate (${apple.certificates.dir}); ` +
        'they verify against its root.pem, but an iPhone installs only passes signed with your own Pass Type ID certificate ' +
        '(README, "Apple Wallet": an Apple developer account, then APPLE_CERT, APPLE_KEY, APPLE_WWDR)',
    );
  }
  let push: PushWorker | undefined;
  if (apple && config.apple.push) {
    const { certPem, keyPem } = apple.certificates;
    const client = new ApnsClient({ host: config.apple.apnsHost, topic: apple.identity.passTypeId, certPem, keyPem });
    push = new PushWorker(db, client);
    push.start();
    console.log(`fidelio: pushing pass updates to APNs at ${config.apple.apnsHost}`);
  }

  // One renderer (and its cache) for both wallets' pictures.
  const google = await openGoogleWallet(config, apple?.images ?? new PassImages());
  let googleUpdates: OutboxWorker | undefined;
  if (!google) {
    console.log('fidelio: Google Wallet is off: set GOOGLE_ISSUER_ID and GOOGLE_SERVICE_ACCOUNT (see the README, "Google Wallet")');
  } else if (!google.api) {
    console.log(
      `fidelio: Google Wallet save links are signed with a development key (${config.dataDir}/google) and nothing is sent to Google; ` +
        'Google accepts them only with your own issuer account (README, "Google Wallet": GOOGLE_ISSUER_ID, GOOGLE_SERVICE_ACCOUNT)',
    );
  } else {
    googleUpdates = new OutboxWorker(db, new GoogleChannel(db, google, google.api), { maxInFlight: 500 });
    googleUpdates.start();
    console.log(`fidelio: updating Google Wallet objects at ${config.google.api} (issuer ${config.google.issuerId})`);
  }

  // E-mail: over SMTP, or in development without it into files that /dev/mail lists, or off.
  let mail: OutboxWorker | undefined;
  if (!config.mail) {
    console.log('fidelio: e-mail is off: set SMTP_URL and MAIL_FROM (see the README, "E-mail"); no welcome or card-recovery mail is sent');
  } else {
    const transport = openMailTransport(config.mail);
    const channel = new MailChannel(
      db,
      transport,
      { ...config, mail: config.mail },
      { wallets: { apple: Boolean(apple), google: Boolean(google) } },
    );
    mail = new OutboxWorker(db, channel, MAIL_WORKER);
    mail.start();
    const from = config.mail.from.name ? `${config.mail.from.name} <${config.mail.from.address}>` : config.mail.from.address;
    console.log(
      config.mail.transport.kind === 'smtp'
        ? `fidelio: sending e-mail through ${transport.description} as ${from}`
        : `fidelio: e-mail is not sent but written to ${config.mail.transport.dir} and listed at ${config.publicUrl}/dev/mail (set SMTP_URL to send it)`,
    );
  }

  // Webhooks: signed POSTs to the owners' endpoints, retried for a day.
  const webhooks = new OutboxWorker(db, new WebhookChannel(db, { publicOnly: config.webhooks.publicOnly }), WEBHOOK_WORKER);
  webhooks.start();

  // The KPI summaries follow the ledger in the background (the KPI answers are exact either
  // way; a fresh summary keeps them fast).
  const kpiRefresh = setInterval(() => {
    refreshKpiSummary(db).catch((err: Error) => console.error(`fidelio: KPI summary refresh failed: ${err.message}`));
  }, KPI_REFRESH_MS);
  kpiRefresh.unref();

  // The services ring this after a commit that queued deliveries; the workers also poll.
  const outbox = {
    wake: () => {
      push?.wake();
      googleUpdates?.wake();
      mail?.wake();
      webhooks.wake();
    },
  };
  const imports = { wake: () => importJobs.wake() };
  const deps = { config, db, apple, google, outbox, imports };
  const importJobs = new ImportJobs(deps);
  importJobs.start();
  // The demo café is plugged in here, through the services, and nowhere else.
  if (config.demo && (await seedDemo(deps))) console.log(`fidelio: seeded the demo merchant "${DEMO.businessName}"`);
  const app = createApp(deps);
  // Birthdays and win-backs: soon after start-up, then every quarter of an hour.
  const daily = new DailyJobs(deps);
  daily.start();
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const where =
      config.database.driver === 'pglite' ? `embedded database in ${config.database.dataDir}` : `${config.database.driver} database`;
    console.log(`fidelio: listening on ${config.publicUrl} (port ${info.port}, ${config.env}, ${where})`);
    if (config.demo) {
      console.log(
        `fidelio: demo café at ${config.publicUrl}/demo/ (program "${DEMO.slug}"); its dashboard at ${config.publicUrl}/dashboard/, login ${DEMO.email} / ${DEMO.password}`,
      );
    }
  });

  let stopping = false;
  // Node's server.close() leaves open the keep-alive connections busy at that moment, and they
  // go on carrying new requests: a steady client would hold the server until the grace period
  // ends (exit 1, requests cut off). So answers in flight or given while stopping say
  // `Connection: close`, and Node closes each connection once its answer is sent.
  const inFlight = new Set<ServerResponse>();
  (server as Server).prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (stopping) return void res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    for (const res of inFlight) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
      else res.once('finish', () => res.socket?.end());
    }
    console.log(`fidelio: ${signal} received, finishing in-flight requests`);
    const force = setTimeout(() => {
      console.error('fidelio: in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // Stops accepting connections; the callback runs once every open request has ended.
    server.close(async () => {
      clearInterval(kpiRefresh);
      await daily.stop();
      await importJobs.stop();
      await push?.stop();
      await googleUpdates?.stop();
      await mail?.stop();
      await webhooks.stop();
      await db.close();
      console.log('fidelio: stopped');
      process.exit(0);
    });
    (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
