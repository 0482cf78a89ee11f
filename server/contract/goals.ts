// The owner's SMART goals (`/api/merchant/goals`): a KPI, a target and a deadline; each answer
// says where the goal stands today.
import { z } from '@hono/zod-openapi';
import { GOAL_METRICS, GOAL_WINDOW_DAYS } from '../domain/goals.ts';
import { periodTooLong } from '../domain/periods.ts';
import { isoDay } from './merchant.ts';
import { dateTime } from './shared.ts';

export { GOAL_METRICS, type GoalMetric } from '../domain/goals.ts';

const metric = z.enum(GOAL_METRICS).openapi({
  description: 'A figure of `GET /api/merchant/kpis` (same formula).',
  example: 'purchaseFrequency',
});
const figure = z.number().min(-1e12).max(1e12);
const target = figure.openapi({ description: 'The value to reach (above the baseline) or to get down to (below it).', example: 2 });
const baseline = figure.openapi({
  description: 'Where the goal starts from. Left out: measured when the goal is written (see `Goal.baseline`).',
  example: 1.5,
});
const from = isoDay.openapi({ description: 'The first day of the goal (the merchant’s time zone).', example: '2027-01-01' });
const to = isoDay.openapi({ description: 'The deadline, inclusive.', example: '2027-06-30' });

/** `to` not before `from`, at most 5 years apart (checked here when both are in the body, by the service otherwise). */
function checkDays(v: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  if (v.from === undefined || v.to === undefined) return;
  if (v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (periodTooLong(v.from, v.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the period must be at most 5 years' });
}

export const goalBody = z.object({ metric, target, from, to, baseline: baseline.optional() }).superRefine(checkDays).openapi('GoalInput');

export const goalPatchBody = z
  .object({
    metric: metric.optional(),
    target: target.optional(),
    from: from.optional(),
    to: to.optional(),
    baseline: baseline.nullable().optional().openapi({ description: 'A number, or null to measure it again.' }),
  })
  .superRefine(checkDays)
  .openapi('GoalPatch');

export const goalParams = z.object({
  id: z.string().openapi({ description: 'The goal’s id (any string: one that is not a goal of yours is not found).' }),
});

export const goalSchema = z
  .object({
    id: z.string(),
    metric,
    target: z.number(),
    from: z.string().openapi({ example: '2027-01-01' }),
    to: z.string().openapi({ example: '2027-06-30' }),
    baseline: z
      .number()
      .nullable()
      .openapi({
        description:
          'Given by the owner, or measured when the goal was written: the figure as it stood the day before `from` ' +
          '(or today, for a goal that starts later); null when the figure had no data then. newMembers starts from 0.',
      }),
    baselineMeasured: z.boolean().openapi({ description: 'Whether `baseline` was measured (not given).' }),
    current: z
      .number()
      .nullable()
      .openapi({
        description:
          `The figure today (after the deadline: on the deadline), measured as the KPI screen does: members at the end of the day; ` +
          `newMembers since \`from\`; every other KPI over the last ${GOAL_WINDOW_DAYS} days, that day included. ` +
          'Days are the merchant’s (`program.timezone`). Null without data (no survey answer, no visit).',
      }),
    direction: z.enum(['up', 'down']).openapi({
      description: 'Up when the target is at or above the baseline; without a baseline, down for rewardCostPercent and up otherwise.',
    }),
    progress: z.number().openapi({
      description: 'The share of the way from the baseline to the target, 0–100 (100 once reached); 0 without a current value or baseline.',
      example: 40,
    }),
    onTrack: z.boolean().openapi({
      description: 'Met, or active with `progress` at least the elapsed share of the days `from`..`to` (today’s pace reaches the target).',
    }),
    status: z.enum(['active', 'met', 'missed']).openapi({
      description:
        '`met`: the current figure reaches the target (before the deadline this follows the figure); `missed`: the deadline has passed without; `active` otherwise.',
    }),
    createdAt: dateTime,
  })
  .openapi('Goal');

export const goalsSchema = z
  .object({ goals: z.array(goalSchema), today: z.string().openapi({ description: 'Today in the merchant’s time zone.' }) })
  .openapi('Goals');

export type Goal = z.output<typeof goalSchema>;
export type Goals = z.output<typeof goalsSchema>;
export type GoalInput = z.input<typeof goalBody>;
export type GoalPatch = z.input<typeof goalPatchBody>;
