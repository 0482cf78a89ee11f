// The owner's SMART goals: written with a baseline (given, or measured then), read with where
// they stand today — the current figure (measured by the KPI service), progress, pace, status.
import { deleteGoal, type GoalFields, type GoalRow, getGoal, insertGoal, listGoals, updateGoal } from '../db/queries/goals.ts';
import { getProgramByMerchant } from '../db/queries/programs.ts';
import { localDate } from '../domain/campaigns.ts';
import { baselineDay, currentDay, type GoalMetric, goalState, measurePeriod } from '../domain/goals.ts';
import { periodTooLong } from '../domain/periods.ts';
import { invalidField, notFound } from '../errors.ts';
import { type Deps, nowOf } from './deps.ts';
import { merchantKpis } from './kpis.ts';
import { isUuid } from './tokens.ts';

export interface GoalInput {
  metric: GoalMetric;
  target: number;
  from: string;
  to: string;
  baseline?: number | undefined;
}

export interface GoalPatch {
  metric?: GoalMetric | undefined;
  target?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  baseline?: number | null | undefined;
}

export interface GoalAnswer {
  id: string;
  metric: GoalMetric;
  target: number;
  from: string;
  to: string;
  baseline: number | null;
  baselineMeasured: boolean;
  current: number | null;
  direction: 'up' | 'down';
  progress: number;
  onTrack: boolean;
  status: 'active' | 'met' | 'missed';
  createdAt: string;
}

type D = Pick<Deps, 'db' | 'clock'>;

/** Today in the merchant's time zone, by the services' clock. */
async function todayOf(deps: D, merchantId: string): Promise<string> {
  const program = await getProgramByMerchant(deps.db, merchantId);
  if (!program) throw notFound('No such merchant.');
  return localDate(nowOf(deps), program.program.timezone);
}

/**
 * Reads figures by KPI period, each period once per request (the goals of a merchant mostly
 * share today's 30 days).
 */
function figures(deps: D, merchantId: string) {
  const cache = new Map<string, ReturnType<typeof merchantKpis>>();
  return async (metric: GoalMetric, day: string, start: string): Promise<number | null> => {
    const period = measurePeriod(metric, day, start);
    if (period === null) return 0;
    const key = `${period.from}/${period.to}`;
    let kpis = cache.get(key);
    if (!kpis) {
      kpis = merchantKpis(deps, merchantId, period);
      cache.set(key, kpis);
    }
    return (await kpis)[metric];
  };
}

type Figure = ReturnType<typeof figures>;

async function answer(row: GoalRow, today: string, figure: Figure): Promise<GoalAnswer> {
  const current = await figure(row.metric, currentDay(row.to_day, today), row.from_day);
  const goal = { metric: row.metric, target: row.target, from: row.from_day, to: row.to_day, baseline: row.baseline };
  return {
    id: row.id,
    metric: row.metric,
    target: row.target,
    from: row.from_day,
    to: row.to_day,
    baseline: row.baseline,
    baselineMeasured: row.baseline_measured,
    current,
    ...goalState(goal, current, today),
    createdAt: row.created_at.toISOString(),
  };
}

/** The merchant's goals, the nearest deadline first, each with where it stands today. */
export async function merchantGoals(deps: D, merchantId: string): Promise<{ goals: GoalAnswer[]; today: string }> {
  const today = await todayOf(deps, merchantId);
  const rows = await listGoals(deps.db, merchantId);
  const figure = figures(deps, merchantId);
  // One after the other: goals share their periods (the cache), and a merchant with many goals
  // does not take as many pool connections at once.
  const goals: GoalAnswer[] = [];
  for (const row of rows) goals.push(await answer(row, today, figure));
  return { goals, today };
}

/** The days checked, and the baseline: given (a number), kept as stored, or measured now (see `baselineDay`). */
async function fieldsOf(
  g: { metric: GoalMetric; target: number; from: string; to: string },
  baseline: { value: number | null; measured: boolean } | 'measure',
  today: string,
  figure: Figure,
): Promise<GoalFields> {
  if (g.from > g.to) throw invalidField('to', 'must not be before from');
  if (periodTooLong(g.from, g.to)) throw invalidField('to', 'the period must be at most 5 years');
  if (baseline !== 'measure') return { ...g, baseline: baseline.value, baselineMeasured: baseline.measured };
  return { ...g, baseline: await figure(g.metric, baselineDay(g.from, today), g.from), baselineMeasured: true };
}

/** A new goal. Its baseline, when not given, is the figure measured now. */
export async function createGoal(deps: D, merchantId: string, input: GoalInput): Promise<GoalAnswer> {
  const today = await todayOf(deps, merchantId);
  const figure = figures(deps, merchantId);
  const { baseline, ...g } = input;
  const fields = await fieldsOf(g, baseline === undefined ? 'measure' : { value: baseline, measured: false }, today, figure);
  return answer(await insertGoal(deps.db, merchantId, fields), today, figure);
}

/**
 * Changes some fields of a goal. A measured baseline is measured again when the metric or the
 * start changes, or when `baseline` is null; a given one stays until replaced.
 */
export async function changeGoal(deps: D, merchantId: string, id: string, patch: GoalPatch): Promise<GoalAnswer> {
  const row = isUuid(id) ? await getGoal(deps.db, merchantId, id) : undefined;
  if (!row) throw notFound('No goal with this id.');
  const today = await todayOf(deps, merchantId);
  const figure = figures(deps, merchantId);
  const g = {
    metric: patch.metric ?? row.metric,
    target: patch.target ?? row.target,
    from: patch.from ?? row.from_day,
    to: patch.to ?? row.to_day,
  };
  const moved = g.metric !== row.metric || g.from !== row.from_day;
  const baseline =
    typeof patch.baseline === 'number'
      ? { value: patch.baseline, measured: false }
      : patch.baseline === null || (row.baseline_measured && moved)
        ? ('measure' as const)
        : { value: row.baseline, measured: row.baseline_measured };
  const updated = await updateGoal(deps.db, merchantId, id, await fieldsOf(g, baseline, today, figure));
  if (!updated) throw notFound('No goal with this id.');
  return answer(updated, today, figure);
}

export async function removeGoal({ db }: Pick<Deps, 'db'>, merchantId: string, id: string): Promise<void> {
  if (!isUuid(id) || !(await deleteGoal(db, merchantId, id))) throw notFound('No goal with this id.');
}
