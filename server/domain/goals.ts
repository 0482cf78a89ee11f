// SMART goals as pure rules: which KPI a goal follows, over which days its value is measured,
// how far it has come from its baseline to its target, whether it keeps pace with its deadline,
// and whether it is met or missed. Nothing here reads a clock or a database: the service gives
// "today" (in the merchant's time zone) and the measured values.

/** The KPIs a goal can follow: every figure `GET /api/merchant/kpis` answers. */
export const GOAL_METRICS = [
  'members',
  'newMembers',
  'activeMembers',
  'retentionRate',
  'purchaseFrequency',
  'averageOrderValue',
  'clv',
  'redemptionRate',
  'nps',
  'csat',
  'ces',
  'referralConversion',
  'rewardCostPercent',
] as const;
export type GoalMetric = (typeof GOAL_METRICS)[number];

/** The days before a day over which a rate, a mean or a frequency is measured (that day included). */
export const GOAL_WINDOW_DAYS = 30;

/**
 * How a metric's value on a day is measured:
 * - `total`: members, the cards existing at the end of the day;
 * - `sinceStart`: newMembers, the cards created from the goal's `from` to the day (0 before);
 * - `rolling`: every other KPI, over the `GOAL_WINDOW_DAYS` days ending with the day.
 */
export type GoalMeasure = 'total' | 'sinceStart' | 'rolling';

export function measureOf(metric: GoalMetric): GoalMeasure {
  if (metric === 'members') return 'total';
  if (metric === 'newMembers') return 'sinceStart';
  return 'rolling';
}

/** Where a figure is better low: without a baseline, a goal on it goes down. */
const LOWER_IS_BETTER: ReadonlySet<GoalMetric> = new Set(['rewardCostPercent']);

const DAY_MS = 86_400_000;
const dayNumber = (iso: string): number => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

/** A YYYY-MM-DD date `days` days later (negative: earlier). */
export const shiftDay = (iso: string, days: number): string => new Date((dayNumber(iso) + days) * DAY_MS).toISOString().slice(0, 10);

/**
 * The KPI period (ISO days, both inclusive) that gives a metric's value as of `day`, for a goal
 * starting on `start`; null when the value is known without reading (newMembers before the start: 0).
 */
export function measurePeriod(metric: GoalMetric, day: string, start: string): { from: string; to: string } | null {
  switch (measureOf(metric)) {
    case 'total':
      return { from: day, to: day };
    case 'sinceStart':
      return day < start ? null : { from: start, to: day };
    case 'rolling':
      return { from: shiftDay(day, -(GOAL_WINDOW_DAYS - 1)), to: day };
  }
}

/**
 * The day a goal's measured baseline is read as of: the day before it starts (the figure as it
 * stood when the goal began); for a goal that starts later than `today`, today (the latest known).
 */
export const baselineDay = (start: string, today: string): string => (start <= today ? shiftDay(start, -1) : today);

/**
 * The day a goal's current value is read as of: today, and once the deadline has passed, the
 * deadline (the goal is judged on the figure it had then).
 */
export const currentDay = (to: string, today: string): string => (today > to ? to : today);

export type GoalDirection = 'up' | 'down';

/** Up when the target is at or above the baseline; without a baseline, the way the metric is better. */
export function directionOf(metric: GoalMetric, baseline: number | null, target: number): GoalDirection {
  if (baseline === null) return LOWER_IS_BETTER.has(metric) ? 'down' : 'up';
  return target >= baseline ? 'up' : 'down';
}

/** Whether `current` has reached the target, going `direction`. A figure without data reaches nothing. */
export function reached(current: number | null, target: number, direction: GoalDirection): boolean {
  if (current === null) return false;
  return direction === 'up' ? current >= target : current <= target;
}

/**
 * The share of the way from the baseline to the target, in %, 0..100 (rounded to 1 decimal):
 * the same for a goal going down (baseline 20 % → target 10 %, now 15 %: 50). 100 once reached;
 * 0 without a current value, or without a baseline while not reached.
 */
export function progressOf(current: number | null, baseline: number | null, target: number, direction: GoalDirection): number {
  if (reached(current, target, direction)) return 100;
  if (current === null || baseline === null || target === baseline) return 0;
  const share = ((current - baseline) / (target - baseline)) * 100;
  return Math.round(Math.min(100, Math.max(0, share)) * 10) / 10;
}

/**
 * The elapsed share of the goal's days [from, to] (both inclusive) at the start of `today`,
 * 0..1: 0 on the first day and before, 1 after the deadline.
 */
export function elapsedShare(from: string, to: string, today: string): number {
  const total = dayNumber(to) - dayNumber(from) + 1;
  const elapsed = dayNumber(today) - dayNumber(from);
  return Math.min(1, Math.max(0, elapsed / total));
}

export type GoalStatus = 'active' | 'met' | 'missed';

export interface GoalState {
  direction: GoalDirection;
  progress: number;
  status: GoalStatus;
  onTrack: boolean;
}

/**
 * Where a goal stands on `today`: `met` when its current value reaches the target (before the
 * deadline this can change again with the figure; after it, it is the figure at the deadline),
 * `missed` when the deadline has passed without it, `active` otherwise. On track: met, or
 * active with progress at least the elapsed share of its days (today's pace reaches the
 * target by the deadline); a missed goal is not.
 */
export function goalState(
  goal: { metric: GoalMetric; target: number; from: string; to: string; baseline: number | null },
  current: number | null,
  today: string,
): GoalState {
  const direction = directionOf(goal.metric, goal.baseline, goal.target);
  const progress = progressOf(current, goal.baseline, goal.target, direction);
  const met = reached(current, goal.target, direction);
  const status: GoalStatus = met ? 'met' : today > goal.to ? 'missed' : 'active';
  const onTrack = status === 'met' || (status === 'active' && progress >= elapsedShare(goal.from, goal.to, today) * 100);
  return { direction, progress, status, onTrack };
}
