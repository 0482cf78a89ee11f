/**
 * The daily plays (issue 13) on the Postgres server: one café with 100,000 members, 500,000
 * ledger rows over a year (folded into the KPI summaries, as the server keeps them), 300 of the members born today (in Paris), half of those with marketing
 * consent and a third with an iPhone registered. Times the daily job's run — the birthday gifts
 * written, the pass messages set, the pushes and mails queued, in their transactions — then the
 * run after it (nothing left to do: the hourly cost), then the win-back play turned on for the
 * first time (every lapsed member at once) and its next run.
 * Target: the birthday run ≤ 5 s.
 */
import { performance } from 'node:perf_hooks';
import { withBenchDatabase } from './database.ts';
import type pg from 'pg';
import { loadConfig } from '../server/config.ts';
import { refreshKpiSummary } from '../server/db/queries/kpis.ts';
import { localDate } from '../server/domain/campaigns.ts';
import { defaultProgram } from '../server/domain/program.ts';
import { type DailyRun, runDailyPlays } from '../server/services/campaigns.ts';

export const DAILY_TARGET_SECONDS = 5;
const CUSTOMERS = 100_000;
const LEDGER_ROWS = 500_000;
const BIRTHDAYS_TODAY = 300;

export interface DailyFigures {
  customers: number;
  ledgerRows: number;
  seedSeconds: number;
  birthdays: { seconds: number; run: DailyRun; pushes: number; mails: number };
  rerunSeconds: number;
  winBack: { seconds: number; run: DailyRun; rerunSeconds: number };
}

async function seed(c: pg.Client, today: string): Promise<string> {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO merchants (name, email, created_at) VALUES ('Bench Café', 'bench@example.com', now() - interval '366 days') RETURNING id`,
  );
  const merchantId = rows[0]!.id;
  const program = defaultProgram('bench-cafe', 'Bench Café', 'fr');
  program.campaigns = {
    ...program.campaigns,
    birthday: { enabled: true, daysBefore: 0, gift: { kind: 'bonus', amount: 2 }, message: null },
  };
  await c.query(`INSERT INTO programs (merchant_id, slug, type, currency, settings) VALUES ($1, 'bench-cafe', 'stamps', 'EUR', $2)`, [
    merchantId,
    JSON.stringify(program),
  ]);
  // Birthdays: BIRTHDAYS_TODAY members born today; the others on a day at least 10 days away (none due).
  await c.query(
    `INSERT INTO customers (merchant_id, name, email, birthday, terms_accepted_at, created_at, marketing_consent, marketing_consent_at)
     SELECT $1, 'Member ' || i, 'm' || i || '@example.com',
            CASE WHEN i <= $3 THEN make_date(1990, extract(month FROM $4::date)::int, extract(day FROM $4::date)::int)
                 ELSE date '1990-01-01' + ((extract(doy FROM $4::date)::int + 10 + (i % 340)) % 365) END,
            t, t, i % 2 = 0, CASE WHEN i % 2 = 0 THEN t END
       FROM generate_series(1, $2::int) i, LATERAL (SELECT now() - interval '365 days' * (1 - i::float8 / $2)) AS x (t)`,
    [merchantId, CUSTOMERS, BIRTHDAYS_TODAY, today],
  );
  await c.query(
    `INSERT INTO cards (merchant_id, program_id, customer_id, serial, auth_token, referral_code, activated_at, created_at)
     SELECT $1, p.id, cu.id, 'S' || cu.email, 'token', 'R' || cu.email, cu.created_at, cu.created_at
       FROM customers cu, programs p WHERE cu.merchant_id = $1 AND p.merchant_id = $1`,
    [merchantId],
  );
  await c.query(
    `INSERT INTO apple_registrations (device_id, card_id, push_token)
     SELECT 'device-' || c.id, c.id, encode(sha256(c.id::text::bytea), 'hex') FROM cards c WHERE c.merchant_id = $1 AND random() < 0.33`,
    [merchantId],
  );
  await c.query(
    `CREATE TEMP TABLE n_cards AS SELECT row_number() OVER (ORDER BY created_at) AS n, id, created_at FROM cards WHERE merchant_id = $1`,
    [merchantId],
  );
  await c.query('CREATE UNIQUE INDEX ON n_cards (n)');
  await c.query(
    `INSERT INTO ledger (merchant_id, card_id, kind, stamps, currency, actor, created_at)
     SELECT $1, nc.id, 'stamp', 1, 'EUR', 'bench', greatest(nc.created_at, now() - interval '365 days' * random())
       FROM generate_series(1, $2::int) i JOIN n_cards nc ON nc.n = 1 + (hashint4(i)::int8 - (-2147483648)) % $3`,
    [merchantId, LEDGER_ROWS, CUSTOMERS],
  );
  await c.query('ANALYZE');
  return merchantId;
}

export async function benchCampaigns(): Promise<DailyFigures> {
  return withBenchDatabase('daily', async (db, client) => {
    const now = new Date();
    const t0 = performance.now();
    const merchantId = await seed(client, localDate(now, 'Europe/Paris'));
    // The KPI summaries, as the server's minute-by-minute refresh keeps them (the win-back reads
    // the members' last visits there).
    await refreshKpiSummary(db);
    const seedSeconds = (performance.now() - t0) / 1000;
    const config = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://loyalty.example',
      SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      MAIL_FROM: 'loyalty@example.com',
    });
    const deps = { config, db, apple: null, google: null, outbox: { wake: () => {} }, clock: () => now };
    const count = async (sql: string) => (await client.query<{ n: number }>(sql)).rows[0]!.n;

    const time = async () => {
      const t = performance.now();
      const run = await runDailyPlays(deps);
      return { run, seconds: (performance.now() - t) / 1000 };
    };
    const birthdays = await time();
    const pushes = await count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'apns'`);
    const mails = await count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'mail'`);
    const rerun = await time();

    await client.query(
      `UPDATE programs SET settings = jsonb_set(settings, '{campaigns,winBack}', '{"enabled": true, "days": 60, "message": null}') WHERE merchant_id = $1`,
      [merchantId],
    );
    const winBack = await time();
    const winBackRerun = await time();
    return {
      customers: CUSTOMERS,
      ledgerRows: await count('SELECT count(*)::int AS n FROM ledger'),
      seedSeconds,
      birthdays: { seconds: birthdays.seconds, run: birthdays.run, pushes, mails },
      rerunSeconds: rerun.seconds,
      winBack: { seconds: winBack.seconds, run: winBack.run, rerunSeconds: winBackRerun.seconds },
    };
  });
}

export function printCampaigns(f: DailyFigures): void {
  const s = (n: number) => `${n.toFixed(2)} s`;
  console.log(`\nDaily plays (Postgres): ${f.customers.toLocaleString('en')} members, ${f.ledgerRows.toLocaleString('en')} ledger rows`);
  console.log(`  seeded in ${f.seedSeconds.toFixed(1)} s`);
  console.log(
    `  birthdays: ${f.birthdays.run.birthdays} given in ${s(f.birthdays.seconds)} (${f.birthdays.pushes} pushes, ${f.birthdays.mails} mails queued) ` +
      `/ target ≤ ${DAILY_TARGET_SECONDS} s  (${(f.birthdays.seconds / DAILY_TARGET_SECONDS).toFixed(2)}× the target)`,
  );
  console.log(`  the next run, nothing left to give: ${s(f.rerunSeconds)}`);
  console.log(
    `  win-back turned on (60 days): ${f.winBack.run.winBacks.toLocaleString('en')} lapsed members reached in ${s(f.winBack.seconds)}; ` +
      `the next run ${s(f.winBack.rerunSeconds)}`,
  );
}
