import type { GoalMetric } from '../../domain/goals.ts';
import type { Queryable } from '../index.ts';

export interface GoalRow {
  id: string;
  metric: GoalMetric;
  target: number;
  /** YYYY-MM-DD. */
  from_day: string;
  /** YYYY-MM-DD. */
  to_day: string;
  baseline: number | null;
  baseline_measured: boolean;
  created_at: Date;
}

/** What a goal holds, as written by the service. */
export interface GoalFields {
  metric: GoalMetric;
  target: number;
  from: string;
  to: string;
  baseline: number | null;
  baselineMeasured: boolean;
}

// Dates as text: a `date` read into a JavaScript Date would move with the process's time zone.
const COLUMNS = `id, metric, target, from_day::text AS from_day, to_day::text AS to_day, baseline, baseline_measured, created_at`;

/** The merchant's goals: the nearest deadline first, then the oldest. */
export async function listGoals(q: Queryable, merchantId: string): Promise<GoalRow[]> {
  const { rows } = await q.query<GoalRow>(`SELECT ${COLUMNS} FROM goals WHERE merchant_id = $1 ORDER BY to_day, created_at, id`, [
    merchantId,
  ]);
  return rows;
}

export async function getGoal(q: Queryable, merchantId: string, id: string): Promise<GoalRow | undefined> {
  const { rows } = await q.query<GoalRow>(`SELECT ${COLUMNS} FROM goals WHERE merchant_id = $1 AND id = $2`, [merchantId, id]);
  return rows[0];
}

export async function insertGoal(q: Queryable, merchantId: string, g: GoalFields): Promise<GoalRow> {
  const { rows } = await q.query<GoalRow>(
    `INSERT INTO goals (merchant_id, metric, target, from_day, to_day, baseline, baseline_measured)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [merchantId, g.metric, g.target, g.from, g.to, g.baseline, g.baselineMeasured],
  );
  return rows[0]!;
}

/** Rewrites a goal of the merchant; undefined when it has no such goal. */
export async function updateGoal(q: Queryable, merchantId: string, id: string, g: GoalFields): Promise<GoalRow | undefined> {
  const { rows } = await q.query<GoalRow>(
    `UPDATE goals SET metric = $3, target = $4, from_day = $5, to_day = $6, baseline = $7, baseline_measured = $8, updated_at = now()
      WHERE merchant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [merchantId, id, g.metric, g.target, g.from, g.to, g.baseline, g.baselineMeasured],
  );
  return rows[0];
}

export async function deleteGoal(q: Queryable, merchantId: string, id: string): Promise<boolean> {
  const { rows } = await q.query(`DELETE FROM goals WHERE merchant_id = $1 AND id = $2 RETURNING 1`, [merchantId, id]);
  return rows.length > 0;
}
