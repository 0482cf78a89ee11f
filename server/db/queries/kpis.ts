import type { KpiBucket } from '../../domain/periods.ts';
import { type Db, type Queryable, sqlState } from '../index.ts';

const LOCK_NOT_AVAILABLE = '55P03';

/** When a merchant's history starts (the "all time" period), and its program's currency. */
export async function getKpiOrigin(q: Queryable, merchantId: string): Promise<{ start: Date; currency: string } | undefined> {
  const { rows } = await q.query<{ start: Date; currency: string }>(
    `SELECT least(m.created_at,
                  (SELECT min(created_at) FROM cards WHERE merchant_id = $1),
                  (SELECT min(created_at) FROM ledger WHERE merchant_id = $1)) AS start,
            (SELECT currency FROM programs WHERE merchant_id = $1) AS currency
       FROM merchants m WHERE m.id = $1`,
    [merchantId],
    'getKpiOrigin',
  );
  return rows[0];
}

export interface KpiSeriesPoint {
  start: string;
  newMembers: number;
  visits: number;
  spendMinor: number;
  redemptions: number;
}

export interface KpiRow {
  currency: string | null;
  members: number;
  new_members: number;
  retention_rate: number | null;
  purchase_frequency: number | null;
  average_order_value: number | null;
  clv: number | null;
  redemption_rate: number | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  referral_conversion: number | null;
  reward_cost_percent: number | null;
  active_members: number;
  series: KpiSeriesPoint[];
}

/**
 * The sums of one slice of the ledger, as `kpi_days` holds them per day: `$rows` names the rows.
 * An undone redemption counts on the day of its undo row as one less (the ledger and its
 * summaries only grow), so a period holding both counts none.
 */
const ledgerSums = (rows: string) => `count(*) FILTER (WHERE kind IN ('stamp', 'purchase')) AS visits,
             coalesce(sum(amount_minor) FILTER (WHERE amount_minor > 0), 0) AS spend,
             count(*) FILTER (WHERE amount_minor > 0) AS orders,
             coalesce(sum(rewards) FILTER (WHERE kind = 'reward_earned'), 0) AS earned,
             count(*) FILTER (WHERE kind = 'redemption') - count(*) FILTER (WHERE kind = 'redemption_undone') AS redemptions
        FROM ${rows}`;

/**
 * Every KPI of one merchant over [lo, hi) in one statement; the definitions are
 * `KPI_FORMULAS` in services/kpis.ts. Each division goes through NULLIF, so a KPI without data
 * is NULL (never NaN, never a division by zero).
 *
 * The ledger up to the watermark $6 is read from its summaries (migration 004): the per-day
 * sums `kpi_days` (the series, whose sums are also the totals) and, when `cardsSummary`, each
 * card's last visit `kpi_cards` (active members, lifespans) — valid only when no visit is at
 * or after hi, which the caller checks. The rows above the watermark (few: the refresh folds
 * them in) are read from the ledger by id. Without `cardsSummary` (a period in the past with
 * visits after it) the period's visits are grouped per card from the ledger. The previous
 * period (the members retained from, S) is always read from the ledger: one period's visits.
 * Members (cards per day of creation, `kpi_days.new_members`, migration 008) are summed the
 * same way: the summarised days, then the cards above the watermark's `card_seq` $7.
 * Redemptions, referrals and survey answers are ranges of their own (merchant_id, created_at)
 * indexes.
 *
 * $1 merchant, $2 lo, $3 hi (timestamptz, UTC midnights), $4 the previous period's start
 * (lo − (hi − lo)), $5 the bucket ('day' | 'week' | 'month'), $6 the ledger watermark, $7 the
 * cards' watermark, $8 a shop (null: all). One shop's figures are its ledger rows' (visits,
 * spend, rewards, redemptions and their cost, active members, retention), read from the ledger
 * (the summaries are the merchant's: $6 is 0 and the days' sums count for members only); members,
 * referrals and surveys stay the program's, which every shop shares.
 */
const kpisSql = (cardsSummary: boolean) => `
WITH
tail AS MATERIALIZED (
  SELECT card_id, kind, amount_minor, rewards, created_at
    FROM ledger
   WHERE id > $6 AND merchant_id = $1 AND created_at >= $2 AND created_at < $3 AND ($8::text IS NULL OR location_id = $8)
),
-- The cards not yet in the summaries, created before hi.
new_cards AS MATERIALIZED (
  SELECT created_at FROM cards WHERE kpi_seq > $7 AND merchant_id = $1 AND created_at < $3
),
${
  cardsSummary
    ? `tail_cards AS (
  SELECT card_id, max(created_at) AS last_visit FROM tail WHERE kind IN ('stamp', 'purchase') GROUP BY card_id
),
-- The summarised cards without a visit in the tail, then those with one (their last visit: the
-- later of the tail's and the summary's).
per_card AS (
  SELECT k.card_created_at AS created_at, k.last_visit
    FROM kpi_cards k
   WHERE k.merchant_id = $1 AND k.last_visit >= $2 AND k.last_visit < $3
     AND NOT EXISTS (SELECT FROM tail_cards tc WHERE tc.card_id = k.card_id)
  UNION ALL
  SELECT c.created_at, greatest(tc.last_visit, k.last_visit)
    FROM tail_cards tc JOIN cards c ON c.id = tc.card_id LEFT JOIN kpi_cards k ON k.card_id = tc.card_id
),`
    : `per_card AS (
  SELECT c.created_at, pc.last_visit
    FROM (SELECT card_id, max(created_at) AS last_visit
            FROM ledger
           WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3 AND kind IN ('stamp', 'purchase')
             AND ($8::text IS NULL OR location_id = $8)
           GROUP BY card_id) AS pc
    JOIN cards c ON c.id = pc.card_id
),`
}
active AS (
  SELECT count(*) AS active,
         count(*) FILTER (WHERE created_at >= $2) AS new_active,
         avg(extract(epoch FROM last_visit - created_at)) AS lifespan_seconds
    FROM per_card
),
previous AS (
  SELECT count(*) AS retained_from
    FROM (SELECT card_id FROM ledger
           WHERE merchant_id = $1 AND created_at >= $4 AND created_at < $2 AND kind IN ('stamp', 'purchase')
             AND ($8::text IS NULL OR location_id = $8)
           GROUP BY card_id) AS v
),
-- Every bucket of the period (zeros), the ledger's (summarised days, then the tail) and the new
-- cards' sums, added up per bucket: a UNION rather than joins, so that the planner's row
-- estimates stay small.
buckets AS (
  SELECT start, sum(new_members) AS new_members, sum(visits) AS visits, sum(spend) AS spend, sum(orders) AS orders,
         sum(earned) AS earned, sum(redemptions) AS redemptions
    FROM (
      SELECT g.start, 0 AS new_members, 0 AS visits, 0 AS spend, 0 AS orders, 0 AS earned, 0 AS redemptions
        FROM generate_series(date_trunc($5, $2::timestamptz AT TIME ZONE 'UTC'),
                             $3::timestamptz AT TIME ZONE 'UTC' - interval '1 day',
                             ('1 ' || $5)::interval) AS g (start)
      UNION ALL
      SELECT date_trunc($5, day::timestamp), new_members, l * visits, l * spend, l * orders, l * earned, l * redemptions
        FROM kpi_days, (SELECT CASE WHEN $8::text IS NULL THEN 1 ELSE 0 END AS l) AS summarised
       WHERE merchant_id = $1 AND day >= ($2::timestamptz AT TIME ZONE 'UTC')::date AND day < ($3::timestamptz AT TIME ZONE 'UTC')::date
      UNION ALL
      SELECT date_trunc($5, created_at AT TIME ZONE 'UTC'), 0, ${ledgerSums('tail')}
       GROUP BY 1
      UNION ALL
      SELECT date_trunc($5, created_at AT TIME ZONE 'UTC'), count(*), 0, 0, 0, 0, 0
        FROM new_cards
       WHERE created_at >= $2
       GROUP BY 1
    ) AS u
   GROUP BY start
),
totals AS (
  SELECT sum(new_members) AS new_members, sum(visits) AS visits, sum(spend) AS spend, sum(orders) AS orders,
         sum(earned) AS earned, sum(redemptions) AS redemptions,
         json_agg(json_build_object('start', to_char(start, 'YYYY-MM-DD'), 'newMembers', new_members, 'visits', visits,
                                    'spendMinor', spend, 'redemptions', redemptions) ORDER BY start) AS series
    FROM buckets
),
costs AS (
  SELECT sum(cost_minor) AS cost FROM redemptions r
   WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3 AND undone_at IS NULL
     AND ($8::text IS NULL OR EXISTS (SELECT FROM ledger l WHERE l.id = r.ledger_id AND l.location_id = $8))
),
refs AS (
  SELECT count(*) AS created, count(*) FILTER (WHERE status = 'rewarded' AND rewarded_at < $3) AS rewarded
    FROM referrals WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3
),
surveys AS (
  SELECT count(*) FILTER (WHERE kind = 'nps') AS nps_n,
         count(*) FILTER (WHERE kind = 'nps' AND score >= 9) AS promoters,
         count(*) FILTER (WHERE kind = 'nps' AND score <= 6) AS detractors,
         count(*) FILTER (WHERE kind = 'csat') AS csat_n,
         count(*) FILTER (WHERE kind = 'csat' AND score >= 4) AS satisfied,
         avg(score) FILTER (WHERE kind = 'ces') AS ces
    FROM survey_answers WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3
),
k AS (
  SELECT (SELECT coalesce(sum(new_members), 0) FROM kpi_days
           WHERE merchant_id = $1 AND day < ($3::timestamptz AT TIME ZONE 'UTC')::date)
         + (SELECT count(*) FROM new_cards) AS members,
         t.new_members, t.visits, t.series, a.active, a.new_active,
         t.spend::float8 / NULLIF(t.orders, 0) AS aov,
         t.visits::float8 / NULLIF(a.active, 0) AS frequency,
         -- at least one month (365.25 / 12 days), in years
         greatest(a.lifespan_seconds::float8, 2629800) / 31557600 AS lifespan_years,
         extract(epoch FROM $3::timestamptz - $2::timestamptz)::float8 / 86400 AS days,
         -- greatest/least skip NULLs: S = 0 must stay NULL
         CASE WHEN p.retained_from > 0 THEN 100 * greatest(0, least(1, (a.active - a.new_active)::float8 / p.retained_from)) END AS retention,
         100 * t.redemptions::float8 / NULLIF(t.earned, 0) AS redemption_rate,
         100 * costs.cost::float8 / NULLIF(t.spend, 0) AS reward_cost,
         100 * r.rewarded::float8 / NULLIF(r.created, 0) AS referral_conversion,
         100 * (s.promoters - s.detractors)::float8 / NULLIF(s.nps_n, 0) AS nps,
         100 * s.satisfied::float8 / NULLIF(s.csat_n, 0) AS csat,
         s.ces::float8 AS ces
    FROM totals t, active a, previous p, costs, refs r, surveys s
)
SELECT (SELECT currency FROM programs WHERE merchant_id = $1) AS currency,
       members::int AS members, new_members::int AS new_members, active::int AS active_members,
       round(retention::numeric, 2)::float8 AS retention_rate,
       round(frequency::numeric, 2)::float8 AS purchase_frequency,
       round(aov::numeric, 2)::float8 AS average_order_value,
       round((aov * frequency * 365.25 / days * lifespan_years)::numeric, 2)::float8 AS clv,
       round(redemption_rate::numeric, 2)::float8 AS redemption_rate,
       round(nps::numeric, 2)::float8 AS nps,
       round(csat::numeric, 2)::float8 AS csat,
       round(ces::numeric, 2)::float8 AS ces,
       round(referral_conversion::numeric, 2)::float8 AS referral_conversion,
       round(reward_cost::numeric, 2)::float8 AS reward_cost_percent,
       series
  FROM k`;
const KPIS_SQL_CARDS_SUMMARY = kpisSql(true);
const KPIS_SQL_CARDS_LEDGER = kpisSql(false);

/**
 * Reads the watermark and whether the card summary can answer for [lo, hi) (no visit of the
 * merchant at or after hi), then the KPIs. Run it in one REPEATABLE READ transaction (see
 * services/kpis.ts), so that both statements see the same ledger and summaries.
 */
export async function queryKpis(
  q: Queryable,
  p: { merchantId: string; lo: Date; hi: Date; previousLo: Date; bucket: KpiBucket; locationId?: string | null },
): Promise<KpiRow> {
  const { rows: pre } = await q.query<{ watermark: number; card_watermark: number; visits_after: boolean }>(
    `SELECT (SELECT ledger_id FROM kpi_watermark) AS watermark, (SELECT card_seq FROM kpi_watermark) AS card_watermark,
            EXISTS (SELECT 1 FROM ledger WHERE merchant_id = $1 AND created_at >= $2 AND kind IN ('stamp', 'purchase')) AS visits_after`,
    [p.merchantId, p.hi],
    'queryKpisWatermark',
  );
  const { watermark, card_watermark, visits_after } = pre[0]!;
  const shop = p.locationId ?? null;
  const [sql, name] =
    visits_after || shop !== null ? [KPIS_SQL_CARDS_LEDGER, 'queryKpis:ledger'] : [KPIS_SQL_CARDS_SUMMARY, 'queryKpis:summary'];
  const { rows } = await q.query<KpiRow>(
    sql,
    [p.merchantId, p.lo, p.hi, p.previousLo, p.bucket, shop === null ? watermark : 0, card_watermark, shop],
    name,
  );
  return rows[0]!;
}

/** Ledger rows (or cards) folded into the summaries per transaction. */
const REFRESH_BATCH = 250_000;

/**
 * Folds the ledger rows above the watermark into `kpi_days` and `kpi_cards` (migration 004),
 * and the cards above it into `kpi_days.new_members` (migration 008), in batches; returns how
 * many ledger ids and card numbers it covered. Safe to run from several processes at once and
 * next to stamps: the rows it folds in are committed ones only (it waits, at most
 * `lockTimeoutMs`, for the ledger and card writes in flight to end — a SHARE lock taken and
 * released at once — and reads the highest ids then), and each batch moves the watermark in
 * the same transaction as the sums, under the watermark row's lock. A timeout just leaves the
 * rows to the next refresh: the KPI query reads them from the ledger and the cards meanwhile.
 */
export async function refreshKpiSummary(db: Db, options: { lockTimeoutMs?: number } = {}): Promise<number> {
  const high = await db
    .transaction(async (tx) => {
      await tx.query(`SELECT set_config('lock_timeout', $1, true)`, [`${options.lockTimeoutMs ?? 200}ms`]);
      await tx.query('LOCK TABLE ledger, cards IN SHARE MODE');
      const { rows } = await tx.query<{ ledger: number; cards: number }>(
        'SELECT (SELECT coalesce(max(id), 0) FROM ledger) AS ledger, (SELECT coalesce(max(kpi_seq), 0) FROM cards) AS cards',
      );
      return rows[0]!;
    })
    .catch((err: unknown) => {
      if (sqlState(err) === LOCK_NOT_AVAILABLE) return undefined;
      throw err;
    });
  if (high === undefined) return 0;
  let covered = 0;
  for (;;) {
    const step = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ ledger_id: number; card_seq: number }>('SELECT ledger_id, card_seq FROM kpi_watermark FOR UPDATE');
      const from = rows[0]!;
      const to = {
        ledger: Math.min(high.ledger, from.ledger_id + REFRESH_BATCH),
        cards: Math.min(high.cards, from.card_seq + REFRESH_BATCH),
      };
      if (to.ledger > from.ledger_id) {
        await tx.query(
          `WITH r AS MATERIALIZED (SELECT * FROM ledger WHERE id > $1 AND id <= $2),
           days AS (
             INSERT INTO kpi_days (merchant_id, day, visits, spend, orders, earned, redemptions)
             SELECT merchant_id, (created_at AT TIME ZONE 'UTC')::date, ${ledgerSums('r')}
              GROUP BY 1, 2
             ON CONFLICT (merchant_id, day) DO UPDATE
                SET visits = kpi_days.visits + excluded.visits, spend = kpi_days.spend + excluded.spend,
                    orders = kpi_days.orders + excluded.orders, earned = kpi_days.earned + excluded.earned,
                    redemptions = kpi_days.redemptions + excluded.redemptions
           )
           INSERT INTO kpi_cards (card_id, merchant_id, card_created_at, last_visit)
           SELECT v.card_id, v.merchant_id, c.created_at, v.last_visit
             FROM (SELECT card_id, merchant_id, max(created_at) AS last_visit FROM r WHERE kind IN ('stamp', 'purchase') GROUP BY 1, 2) AS v
             JOIN cards c ON c.id = v.card_id
           ON CONFLICT (card_id) DO UPDATE SET last_visit = greatest(kpi_cards.last_visit, excluded.last_visit)`,
          [from.ledger_id, to.ledger],
        );
      }
      if (to.cards > from.card_seq) {
        await tx.query(
          `INSERT INTO kpi_days (merchant_id, day, visits, spend, orders, earned, redemptions, new_members)
           SELECT merchant_id, (created_at AT TIME ZONE 'UTC')::date, 0, 0, 0, 0, 0, count(*)
             FROM cards WHERE kpi_seq > $1 AND kpi_seq <= $2
            GROUP BY 1, 2
           ON CONFLICT (merchant_id, day) DO UPDATE SET new_members = kpi_days.new_members + excluded.new_members`,
          [from.card_seq, to.cards],
        );
      }
      await tx.query('UPDATE kpi_watermark SET ledger_id = $1, card_seq = $2', [to.ledger, to.cards]);
      return to.ledger - from.ledger_id + (to.cards - from.card_seq);
    });
    if (step === 0) return covered;
    covered += step;
  }
}

/** How many ledger ids and card numbers lie above the watermark (the rows the KPI query reads from the tables). */
export async function kpiSummaryLag(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ lag: number }>(
    `SELECT coalesce((SELECT max(id) FROM ledger), 0) - (SELECT ledger_id FROM kpi_watermark)
          + coalesce((SELECT max(kpi_seq) FROM cards), 0) - (SELECT card_seq FROM kpi_watermark) AS lag`,
    [],
    'kpiSummaryLag',
  );
  return rows[0]!.lag;
}
