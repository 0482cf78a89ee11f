import type { Queryable } from '../index.ts';

export type KpiBucket = 'day' | 'week' | 'month';

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
 * Every KPI of one merchant over [lo, hi) in one statement; the definitions are
 * `KPI_FORMULAS` in services/kpis.ts. Each division goes through NULLIF, so a KPI without data
 * is NULL (never NaN, never a division by zero).
 *
 * The period's ledger is read twice through `ledger (merchant_id, created_at)`: per card
 * (last visit: active members, lifespan) and per bucket (the series, whose sums are also the
 * totals); the previous period once, for the members retained from (S). Cards, redemptions,
 * referrals and survey answers are ranges of their own (merchant_id, created_at) indexes
 * (migration 003 adds those of cards and referrals). The cost grows with the ledger rows in
 * the period: fine for weeks or months, slow for a year of a busy merchant (see bench/kpis.ts).
 *
 * $1 merchant, $2 lo, $3 hi (timestamptz, UTC midnights), $4 the previous period's start
 * (lo − (hi − lo)), $5 the bucket ('day' | 'week' | 'month').
 */
const KPIS_SQL = `
WITH
per_card AS (
  SELECT card_id, max(created_at) AS last_visit
    FROM ledger
   WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3 AND kind IN ('stamp', 'purchase')
   GROUP BY card_id
),
active AS (
  SELECT count(*) AS active,
         count(*) FILTER (WHERE c.created_at >= $2) AS new_active,
         avg(extract(epoch FROM pc.last_visit - c.created_at)) AS lifespan_seconds
    FROM per_card pc JOIN cards c ON c.id = pc.card_id
),
previous AS (
  SELECT count(*) AS retained_from
    FROM (SELECT card_id FROM ledger
           WHERE merchant_id = $1 AND created_at >= $4 AND created_at < $2 AND kind IN ('stamp', 'purchase')
           GROUP BY card_id) AS v
),
-- Every bucket of the period (zeros), the ledger's and the new cards' sums, added up per bucket:
-- a UNION rather than joins, so that the planner's row estimates stay small.
buckets AS (
  SELECT start, sum(new_members) AS new_members, sum(visits) AS visits, sum(spend) AS spend, sum(orders) AS orders,
         sum(earned) AS earned, sum(redemptions) AS redemptions
    FROM (
      SELECT g.start, 0 AS new_members, 0 AS visits, 0 AS spend, 0 AS orders, 0 AS earned, 0 AS redemptions
        FROM generate_series(date_trunc($5, $2::timestamptz AT TIME ZONE 'UTC'),
                             $3::timestamptz AT TIME ZONE 'UTC' - interval '1 day',
                             ('1 ' || $5)::interval) AS g (start)
      UNION ALL
      SELECT date_trunc($5, created_at AT TIME ZONE 'UTC'), 0,
             count(*) FILTER (WHERE kind IN ('stamp', 'purchase')),
             coalesce(sum(amount_minor) FILTER (WHERE amount_minor > 0), 0),
             count(*) FILTER (WHERE amount_minor > 0),
             coalesce(sum(rewards) FILTER (WHERE kind = 'reward_earned'), 0),
             count(*) FILTER (WHERE kind = 'redemption')
        FROM ledger
       WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3
       GROUP BY 1
      UNION ALL
      SELECT date_trunc($5, created_at AT TIME ZONE 'UTC'), count(*), 0, 0, 0, 0, 0
        FROM cards
       WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3
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
  SELECT sum(cost_minor) AS cost FROM redemptions WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3
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
  SELECT (SELECT count(*) FROM cards WHERE merchant_id = $1 AND created_at < $3) AS members,
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

export async function queryKpis(
  q: Queryable,
  p: { merchantId: string; lo: Date; hi: Date; previousLo: Date; bucket: KpiBucket },
): Promise<KpiRow> {
  const { rows } = await q.query<KpiRow>(KPIS_SQL, [p.merchantId, p.lo, p.hi, p.previousLo, p.bucket], 'queryKpis');
  return rows[0]!;
}
