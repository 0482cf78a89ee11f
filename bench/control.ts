/**
 * The merchant in control (issue 14) on the Postgres server:
 * - the CSV import of 100,000 members (name, e-mail, phone, birthday, stamps, consent), run by the
 *   background worker's code in its batches, with the progress read every 50 ms from another
 *   connection as the dashboard would see it: the total time and the longest wait between two moves
 *   of the progress. Targets: ≤ 60 s; the progress moves at least every second.
 * - 1,000 webhook deliveries (one event each, one endpoint) drained by the webhook worker to a
 *   local HTTP receiver, signed, each attempt written down. Target: ≤ 10 s.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { loadConfig } from '../server/config.ts';
import type { Db } from '../server/db/index.ts';
import { queueWebhookEvents } from '../server/db/queries/webhooks.ts';
import { defaultProgram } from '../server/domain/program.ts';
import { OutboxWorker } from '../server/outbox/worker.ts';
import { runImport, startImport } from '../server/services/imports.ts';
import { webhookEvent } from '../server/services/webhooks.ts';
import { WEBHOOK_WORKER, WebhookChannel } from '../server/webhooks/channel.ts';
import { withBenchDatabase } from './database.ts';

export const IMPORT_TARGET_SECONDS = 60;
export const PROGRESS_TARGET_SECONDS = 1;
export const WEBHOOK_TARGET_SECONDS = 10;
const IMPORT_ROWS = 100_000;
const DELIVERIES = 1000;

export interface ControlFigures {
  import: {
    rows: number;
    bytes: number;
    /** From the upload to the last row. */
    seconds: number;
    /** The upload's answer: the file read, checked and kept. */
    uploadSeconds: number;
    /** The longest the progress stood still after the upload's answer. */
    longestProgressGapSeconds: number;
    created: number;
    failed: number;
  };
  webhooks: { deliveries: number; seconds: number; received: number };
}

async function merchant(c: pg.Client): Promise<{ merchantId: string }> {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO merchants (name, email) VALUES ('Bench Import', 'bench@example.com') RETURNING id`,
  );
  const merchantId = rows[0]!.id;
  await c.query(`INSERT INTO programs (merchant_id, slug, type, currency, settings) VALUES ($1, 'bench-import', 'stamps', 'EUR', $2)`, [
    merchantId,
    JSON.stringify(defaultProgram('bench-import', 'Bench Import', 'fr')),
  ]);
  return { merchantId };
}

/** A French Excel export: `;`, a header in French, dates day first, a few bad lines. */
function csv(rows: number): string {
  const lines = ['Nom;Courriel;Téléphone;Date de naissance;Tampons;Newsletter'];
  for (let i = 1; i <= rows; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 12) + 1).padStart(2, '0');
    const birthday = i % 500 === 0 ? '31/02/1990' : i % 3 === 0 ? '' : `${day}/${month}/19${60 + (i % 40)}`;
    lines.push(`Client ${i};client${i}@example.com;06 ${String(i).padStart(8, '0')};${birthday};${i % 23};${i % 2 ? 'oui' : 'non'}`);
  }
  return lines.join('\r\n');
}

const deps = (db: Db) => ({
  config: loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: 'http://bench.test',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    DATA_DIR: '.data/bench',
  }),
  db,
  apple: null,
  google: null,
  outbox: { wake: () => {} },
});

async function benchImport(db: Db, c: pg.Client): Promise<ControlFigures['import']> {
  const { merchantId } = await merchant(c);
  const file = new TextEncoder().encode(csv(IMPORT_ROWS));
  const started = performance.now();
  const { id } = await startImport(deps(db), merchantId, 'user:bench', file, { welcome: false });
  // The upload's answer (202): the file read and kept; the progress bar shows from here.
  const uploadSeconds = (performance.now() - started) / 1000;
  // The dashboard's view: the progress as another connection reads it.
  let last = 0;
  let lastMove = performance.now();
  let longestGap = 0;
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const { rows } = await c.query<{ done: number }>('SELECT done FROM imports WHERE id = $1', [id]);
      const now = performance.now();
      if (rows[0]!.done !== last) {
        longestGap = Math.max(longestGap, now - lastMove);
        last = rows[0]!.done;
        lastMove = now;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  while (await runImport(deps(db), id));
  const seconds = (performance.now() - started) / 1000;
  watching = false;
  await watch;
  const { rows } = await c.query<{ created: number; failed: number }>('SELECT created, failed FROM imports WHERE id = $1', [id]);
  return { rows: IMPORT_ROWS, bytes: file.byteLength, seconds, uploadSeconds, longestProgressGapSeconds: longestGap / 1000, ...rows[0]! };
}

async function benchWebhooks(db: Db, c: pg.Client): Promise<ControlFigures['webhooks']> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO merchants (name, email) VALUES ('Bench Hooks', 'hooks@example.com') RETURNING id`,
    );
    const merchantId = rows[0]!.id;
    await c.query(`INSERT INTO webhooks (merchant_id, url, events, secret) VALUES ($1, $2, '{card.stamped}', 'whsec_bench')`, [
      merchantId,
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    ]);
    const events = Array.from({ length: DELIVERIES }, (_, i) =>
      webhookEvent('card.stamped', { serial: `bench${i}`, stamps: 1, card: { stamps: i % 10 } }, null),
    );
    await db.transaction((tx) => queueWebhookEvents(tx, merchantId, events));
    const worker = new OutboxWorker(db, new WebhookChannel(db, { publicOnly: false }), { ...WEBHOOK_WORKER, pollMs: 50 });
    const started = performance.now();
    worker.start();
    await worker.idle();
    const seconds = (performance.now() - started) / 1000;
    await worker.stop();
    return { deliveries: DELIVERIES, seconds, received };
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

export async function benchControl(): Promise<ControlFigures> {
  const imported = await withBenchDatabase('import', (db, c) => benchImport(db, c));
  const webhooks = await withBenchDatabase('webhooks', (db, c) => benchWebhooks(db, c));
  return { import: imported, webhooks };
}

export function printControl(f: ControlFigures): void {
  const ratio = (v: number, t: number) => `${(v / t).toFixed(2)}× the target`;
  console.log('\nThe merchant in control (Postgres):');
  const i = f.import;
  console.log(
    `  import: ${i.rows.toLocaleString('en')} rows (${(i.bytes / 1024 / 1024).toFixed(1)} MB, ${i.created.toLocaleString('en')} members, ${i.failed} lines refused) ` +
      `in ${i.seconds.toFixed(1)} s (${Math.round(i.rows / i.seconds).toLocaleString('en')} rows/s) / target ≤ ${IMPORT_TARGET_SECONDS} s  (${ratio(i.seconds, IMPORT_TARGET_SECONDS)})`,
  );
  console.log(`  the upload answered (file read, checked and kept) in ${i.uploadSeconds.toFixed(2)} s`);
  console.log(
    `  then the progress moved at least every ${i.longestProgressGapSeconds.toFixed(2)} s / target ≤ ${PROGRESS_TARGET_SECONDS} s  (${ratio(i.longestProgressGapSeconds, PROGRESS_TARGET_SECONDS)})`,
  );
  const w = f.webhooks;
  console.log(
    `  webhooks: ${w.deliveries.toLocaleString('en')} deliveries (${w.received} received) in ${w.seconds.toFixed(2)} s (${Math.round(w.deliveries / w.seconds)}/s) ` +
      `/ target ≤ ${WEBHOOK_TARGET_SECONDS} s  (${ratio(w.seconds, WEBHOOK_TARGET_SECONDS)})`,
  );
}
