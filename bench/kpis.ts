/**
 * KPI figures (issue 5): GET /api/merchant/kpis's service function on the Postgres server,
 * for one merchant with 100,000 members and 1,000,000 ledger rows over 12 months, plus
 * redemptions, referrals and survey answers. Seeded with set-based SQL in a database of its
 * own (created and dropped), then ANALYZEd; the KPI summaries (migration 004) are brought up to
 * date as a background refresh would keep them (timed apart), then 20 calls for the last 30
 * days and 20 for all time.
 * Target: ≤ 150 ms.
 */
import { performance } from 'node:perf_hooks';
import { withBenchDatabase } from './database.ts';
import type pg from 'pg';
import { defaultProgram } from '../server/domain/program.ts';
import { refreshKpiSummary } from '../server/db/queries/kpis.ts';
import { merchantKpis } from '../server/services/kpis.ts';

export const KPI_TARGET_MS = 150;
const CUSTOMERS = 100_000;
const LEDGER_ROWS = 1_000_000;
const RUNS = 20;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

export interface KpiFigures {
  customers: number;
  ledgerRows: number;
  /** The worse of the two ranges. */
  msP50: number;
  msP95: number;
  seedSeconds: number;
  /** The first `refreshKpiSummary`: the whole ledger folded into the summaries. */
  refreshSeconds: number;
  last30Days: { p50: number; p95: number };
  allTime: { p50: number; p95: number };
}

/** One merchant's year: members joining evenly, visits (in time order, as the ledger grows) on random members. */
async function seed(c: pg.Client): Promise<string> {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO merchants (name, email, created_at) VALUES ('Bench Café', 'bench@example.com', now() - interval '366 days') RETURNING id`,
  );
  const merchantId = rows[0]!.id;
  const program = defaultProgram('bench-cafe', 'Bench Café');
  await c.query(`INSERT INTO programs (merchant_id, slug, type, currency, settings) VALUES ($1, 'bench-cafe', 'stamps', 'EUR', $2)`, [
    merchantId,
    JSON.stringify(program),
  ]);
  await c.query(
    `INSERT INTO customers (merchant_id, name, email, terms_accepted_at, created_at)
     SELECT $1, 'Member ' || i, 'm' || i || '@example.com', t, t
       FROM generate_series(1, $2::int) i, LATERAL (SELECT now() - interval '365 days' * (1 - i::float8 / $2)) AS x (t)`,
    [merchantId, CUSTOMERS],
  );
  await c.query(
    `INSERT INTO cards (merchant_id, program_id, customer_id, serial, auth_token, referral_code, activated_at, created_at)
     SELECT $1, p.id, cu.id, 'S' || cu.email, 'token', 'R' || cu.email, cu.created_at, cu.created_at
       FROM customers cu, programs p WHERE cu.merchant_id = $1 AND p.merchant_id = $1`,
    [merchantId],
  );
  // Numbered cards, to pick a random one per ledger row.
  await c.query(
    `CREATE TEMP TABLE n_cards AS SELECT row_number() OVER (ORDER BY created_at) AS n, id, created_at FROM cards WHERE merchant_id = $1`,
    [merchantId],
  );
  await c.query('CREATE UNIQUE INDEX ON n_cards (n)');
  // Visits spread evenly over the 12 months, each on a random member who had joined by then;
  // 85 % stamps (two thirds with an amount), 9 % rewards earned, 6 % redemptions.
  await c.query(
    `INSERT INTO ledger (merchant_id, card_id, kind, stamps, rewards, amount_minor, currency, actor, created_at)
     SELECT $1, nc.id, k.kind, CASE WHEN k.kind = 'stamp' THEN 1 ELSE 0 END,
            CASE k.kind WHEN 'reward_earned' THEN 1 WHEN 'redemption' THEN -1 ELSE 0 END,
            CASE WHEN k.kind = 'stamp' AND r.x < 0.57 THEN 300 + (r.x * 5000)::int ELSE 0 END,
            'EUR', 'bench', greatest(nc.created_at, r.t)
       FROM generate_series(1, $2::int) i,
            LATERAL (SELECT random() AS x, now() - interval '365 days' * random() AS t, random() AS y, i AS dep) AS r,
            LATERAL (SELECT CASE WHEN r.x < 0.85 THEN 'stamp' WHEN r.x < 0.94 THEN 'reward_earned' ELSE 'redemption' END AS kind,
                            1 + floor(r.y * greatest(1, $3 * (1 - extract(epoch FROM now() - r.t) / 31536000)))::int AS n) AS k,
            n_cards nc
      WHERE nc.n = k.n
      ORDER BY 9`,
    [merchantId, LEDGER_ROWS, CUSTOMERS],
  );
  await c.query(
    `INSERT INTO redemptions (merchant_id, card_id, ledger_id, reward_name, cost_minor, currency, created_at)
     SELECT merchant_id, card_id, id, 'A free coffee', 100, 'EUR', created_at FROM ledger WHERE merchant_id = $1 AND kind = 'redemption'`,
    [merchantId],
  );
  // 5,000 referrals (the referee joined after the referrer), about half rewarded.
  await c.query(
    `INSERT INTO referrals (merchant_id, referrer_card_id, referee_card_id, status, created_at, rewarded_at)
     SELECT $1, a.id, b.id, CASE WHEN i % 2 = 0 THEN 'rewarded' ELSE 'pending' END, b.created_at,
            CASE WHEN i % 2 = 0 THEN b.created_at + interval '1 day' END
       FROM generate_series(1, 5000) i JOIN n_cards a ON a.n = i * 10 JOIN n_cards b ON b.n = i * 10 + 5`,
    [merchantId],
  );
  await c.query(
    `INSERT INTO survey_answers (merchant_id, kind, score, created_at)
     SELECT $1, k, CASE WHEN k = 'nps' THEN floor(random() * 11)::int ELSE 1 + floor(random() * 5)::int END,
            now() - interval '365 days' * random()
       FROM generate_series(1, 3000) i, LATERAL (SELECT (ARRAY['nps', 'csat', 'ces'])[1 + i % 3] AS k) AS x`,
    [merchantId],
  );
  await c.query('ANALYZE');
  return merchantId;
}

export async function benchKpis(): Promise<KpiFigures> {
  // KPI_BENCH_KEEP=1 keeps the database for EXPLAIN ANALYZE.
  return withBenchDatabase(
    'kpis',
    async (db, client) => {
      const t0 = performance.now();
      const merchantId = await seed(client);
      const seedSeconds = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      await refreshKpiSummary(db);
      const refreshSeconds = (performance.now() - t1) / 1000;
      await client.query('ANALYZE kpi_days, kpi_cards');
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger');

      const today = new Date().toISOString().slice(0, 10);
      const from30 = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
      const time = async (range: { from?: string; to?: string }) => {
        await merchantKpis({ db }, merchantId, range); // warm-up
        const ms: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const t = performance.now();
          await merchantKpis({ db }, merchantId, range);
          ms.push(performance.now() - t);
        }
        return { p50: pct(ms, 50), p95: pct(ms, 95) };
      };
      const last30Days = await time({ from: from30, to: today });
      const allTime = await time({});
      return {
        customers: CUSTOMERS,
        ledgerRows: rows[0]!.n,
        msP50: Math.max(last30Days.p50, allTime.p50),
        msP95: Math.max(last30Days.p95, allTime.p95),
        seedSeconds,
        refreshSeconds,
        last30Days,
        allTime,
      };
    },
    process.env.KPI_BENCH_KEEP === '1',
  );
}

export function printKpis(f: KpiFigures): void {
  const r = (n: number) => n.toFixed(1);
  console.log(`\nKPIs (Postgres): ${f.customers.toLocaleString('en')} members, ${f.ledgerRows.toLocaleString('en')} ledger rows`);
  console.log(`  seeded in ${f.seedSeconds.toFixed(1)} s; summaries refreshed in ${f.refreshSeconds.toFixed(1)} s`);
  console.log(`  last 30 days   p50 ${r(f.last30Days.p50)} ms   p95 ${r(f.last30Days.p95)} ms`);
  console.log(`  all time       p50 ${r(f.allTime.p50)} ms   p95 ${r(f.allTime.p95)} ms`);
  console.log(`  worst p95 ${r(f.msP95)} ms / target ≤ ${KPI_TARGET_MS} ms  (${(f.msP95 / KPI_TARGET_MS).toFixed(2)}× the target)`);
}
