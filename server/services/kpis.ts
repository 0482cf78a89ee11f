import type { Db } from '../db/index.ts';
import { winBackFigures } from '../db/queries/campaigns.ts';
import { givingSums } from '../db/queries/giving.ts';
import { getProgramByMerchant } from '../db/queries/programs.ts';
import { givenMinor } from '../domain/giving.ts';
import { getKpiOrigin, type KpiRow, type KpiSeriesPoint, kpiSummaryLag, queryKpis, refreshKpiSummary } from '../db/queries/kpis.ts';
import { DAY_MS, isoDay, type KpiBucket, kpiBucket, utcDay } from '../domain/periods.ts';
import { invalidField, notFound } from '../errors.ts';
import { type Deps, nowOf } from './deps.ts';

/**
 * The merchant KPIs over a period of whole UTC days, `from` to `to` inclusive.
 *
 * Definitions (also sent to the dashboard as `formulas`, shown on hover):
 * - members: cards existing at the end of the period; newMembers (N): cards created in it.
 * - a visit: a ledger row of kind 'stamp' or 'purchase'; an active member: one with a visit
 *   in the period (E); N_active: the new members among them.
 * - S: members with a visit in the previous period of the same length (all of them members
 *   at the start). CRR = (E − N_active) / S × 100, clamped to 0..100, null when S = 0 (so
 *   always null for "all time": there is no previous period).
 * - purchaseFrequency = visits / E. averageOrderValue = sum / count of the ledger amounts
 *   (minor units) over the rows with an amount.
 * - clv = averageOrderValue × visits per active member per year (the period's frequency
 *   scaled by 365.25 / its length in days) × the mean lifespan in years (last visit in the
 *   period − card creation, averaged over the active members, at least one month).
 * - redemptionRate = rewards redeemed / rewards earned × 100 (ledger 'redemption' rows less
 *   the 'redemption_undone' rows, over the rewards of 'reward_earned' rows: stamps programs;
 *   points programs earn no discrete rewards, so null there).
 * - referralConversion = referrals created in the period that were rewarded by its end /
 *   referrals created in it × 100.
 * - rewardCostPercent = cost of the rewards redeemed and not undone (redemptions.cost_minor)
 *   / spend recorded in the ledger × 100.
 * - nps, csat, ces: API.md's survey formulas over the answers given in the period.
 * Percentages and averages are rounded to 2 decimals; a KPI without data is null.
 */
export const KPI_FORMULAS = {
  members: 'Members = loyalty cards that exist at the end of the period.',
  newMembers: 'New members (N) = cards created during the period.',
  activeMembers: 'Active members (E) = members with at least one visit (a stamp or a purchase) during the period.',
  retentionRate:
    'CRR = (E − N) / S × 100, where E = members active in the period, N = the new members among them, S = members who were active in the previous period of the same length; 0–100, empty when S = 0 (so for "all time").',
  purchaseFrequency: 'Purchase frequency = visits (stamps and purchases) in the period / active members.',
  averageOrderValue: 'Average order value = total amount of the purchases recorded with an amount / their number (in minor units).',
  clv: 'CLV = average order value × visits per active member per year (the period’s frequency scaled to 365 days) × average member lifespan in years (last visit − card creation, averaged over active members, at least 1 month).',
  redemptionRate:
    'Redemption rate = rewards redeemed (less those given back) / rewards earned in the period × 100 (stamp cards; empty when no reward was earned).',
  nps: 'NPS = % promoters (scores 9–10) − % detractors (scores 0–6) among the NPS answers of the period.',
  csat: 'CSAT = satisfied answers (4 or 5) / all CSAT answers of the period × 100.',
  ces: 'CES = mean of the customer effort scores (1–5) given in the period.',
  referralConversion:
    'Referral conversion = referrals made in the period and rewarded (the friend’s first visit) / referrals made in the period × 100.',
  rewardCostPercent: 'Reward cost = cost of the rewards redeemed in the period and not given back / spend recorded in the period × 100.',
  winBack: 'Win-back = members sent a win-back message in the period; came back = those of them with a visit since.',
  giving:
    'Giving back = amount per stamp × stamps collected in the period + the share of spend × spend recorded in the period (rounded to the cent).',
} as const;

export interface Kpis {
  period: { from: string; to: string };
  members: number;
  newMembers: number;
  activeMembers: number;
  retentionRate: number | null;
  purchaseFrequency: number | null;
  averageOrderValue: number | null;
  clv: number | null;
  redemptionRate: number | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  referralConversion: number | null;
  rewardCostPercent: number | null;
  currency: string | null;
  /** The win-back play: messages sent in the period, and how many of those members came back. */
  winBack: { sent: number; returned: number };
  /** Giving back: what the period's stamps and spend owe the cause (null when the program does not give). */
  giving: { cause: string; owedMinor: number; currency: string } | null;
  formulas: typeof KPI_FORMULAS;
  series: { bucket: KpiBucket; points: KpiSeriesPoint[] };
}

/**
 * The KPIs of one merchant. `from` / `to` are validated ISO dates (from ≤ to, at most
 * `MAX_PERIOD_YEARS`); a missing `from` is the start of the merchant's history, a missing
 * `to` is today (UTC, by the services' clock).
 */
export async function merchantKpis(
  deps: Pick<Deps, 'db' | 'clock'>,
  merchantId: string,
  range: { from?: string; to?: string; location?: string } = {},
  now: Date = nowOf(deps),
): Promise<Kpis> {
  const q = deps.db;
  const program = (await getProgramByMerchant(q, merchantId))?.program;
  const locationId = range.location ?? null;
  if (locationId !== null && !program?.locations.some((l) => l.id === locationId)) {
    throw invalidField('location', 'no shop of the program has this id');
  }
  const to = range.to ?? isoDay(now);
  let from = range.from;
  if (from === undefined) {
    const origin = await getKpiOrigin(q, merchantId);
    if (!origin) throw notFound('No such merchant.');
    from = isoDay(origin.start);
    if (from > to) from = to;
  }
  const lo = utcDay(from);
  const hi = new Date(utcDay(to).getTime() + DAY_MS);
  const previousLo = new Date(lo.getTime() - (hi.getTime() - lo.getTime()));
  const bucket = kpiBucket(lo, hi);
  const r = await readKpis(q, { merchantId, lo, hi, previousLo, bucket, locationId });
  const winBack = await winBackFigures(q, merchantId, lo, hi);
  const giving = program?.campaigns.giving;
  const owed = giving?.enabled ? givenMinor(giving, await givingSums(q, merchantId, { from: lo, to: hi })) : null;
  return {
    period: { from, to },
    members: r.members,
    newMembers: r.new_members,
    activeMembers: r.active_members,
    retentionRate: r.retention_rate,
    purchaseFrequency: r.purchase_frequency,
    averageOrderValue: r.average_order_value,
    clv: r.clv,
    redemptionRate: r.redemption_rate,
    nps: r.nps,
    csat: r.csat,
    ces: r.ces,
    referralConversion: r.referral_conversion,
    rewardCostPercent: r.reward_cost_percent,
    currency: r.currency,
    winBack,
    giving: giving && owed !== null ? { cause: giving.cause, owedMinor: owed, currency: program!.currency } : null,
    formulas: KPI_FORMULAS,
    series: { bucket, points: r.series },
  };
}

/**
 * Above this many ledger ids past the summaries' watermark, a KPI request first folds them in
 * (`refreshKpiSummary`): the answers are exact either way, only the time to read the tail grows.
 */
export const KPI_REFRESH_LAG = 20_000;

/**
 * The KPI statements in one read-only REPEATABLE READ transaction (one snapshot for the
 * watermark and the query), without JIT (its compilation costs more than it saves here) and
 * with custom plans (the periods' row counts differ by orders of magnitude).
 */
async function readKpis(q: Db, p: Parameters<typeof queryKpis>[1]): Promise<KpiRow> {
  if ((await kpiSummaryLag(q)) > KPI_REFRESH_LAG) {
    await refreshKpiSummary(q).catch((err: unknown) => {
      // The summaries stay behind; the query reads the rows above them from the ledger.
      console.error(`[fidelio] KPI summary refresh failed: ${(err as Error).message}`);
    });
  }
  return q.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await tx.query(`SELECT set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)`);
    return queryKpis(tx, p);
  });
}
