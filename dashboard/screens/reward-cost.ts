// The reward cost check of the program editor: what a reward costs the merchant (its cost of
// goods) as a share of what a customer spends to earn it. Pure functions: the screen shows
// the figures and the formula in words.
import type { Program } from '../../common/api.ts';

/** The healthy band, in percent of spend: below it the reward is hardly worth earning, above it it eats the margin. */
export const COST_RANGE = { min: 1, max: 5 } as const;

export type Verdict = 'low' | 'ok' | 'high';

/** One reward's check. `spendMinor` and `percent` are null when they cannot be worked out (no average purchase, no points earned). */
export interface CostCheck {
  /** How the spend is worked out. */
  basis: 'stamps' | 'points' | 'cashback';
  /** The reward's name (empty for cashback). */
  name: string;
  /** Its cost of goods, in minor units. */
  costMinor: number;
  /** Stamps: how many; points: how many. */
  needed: number;
  /** What a customer spends to earn it, in minor units. */
  spendMinor: number | null;
  /** The cost as a percentage of that spend. */
  percent: number | null;
  verdict: Verdict | null;
}

/** `costMinor` as a percentage of `spendMinor` (1 € after 50 € → 2); null when nothing is spent. */
export function costPercent(costMinor: number, spendMinor: number): number | null {
  if (!(spendMinor > 0) || !Number.isFinite(spendMinor) || !(costMinor >= 0)) return null;
  return (costMinor / spendMinor) * 100;
}

/**
 * Inside or outside 1–5 %, judged on the figure as shown (one decimal), so "5 %" is never
 * flagged as above 5 %.
 */
export function verdictOf(percent: number): Verdict {
  const shown = Math.round(percent * 10) / 10;
  return shown < COST_RANGE.min ? 'low' : shown > COST_RANGE.max ? 'high' : 'ok';
}

/** Stamps: the spend to earn the reward is the stamps needed × the average purchase. */
export const stampsSpend = (stampsRequired: number, averageMinor: number): number => stampsRequired * averageMinor;

/**
 * Points: `points` earned at `pointsPerUnit` points per currency unit take `points ÷ pointsPerUnit`
 * units of spend, here in minor units (`digits` after the decimal point: 2 for EUR). Null when
 * purchases earn no points.
 */
export function pointsSpend(points: number, pointsPerUnit: number, digits: number): number | null {
  if (!(pointsPerUnit > 0)) return null;
  return Math.round((points / pointsPerUnit) * 10 ** digits);
}

function check(basis: CostCheck['basis'], name: string, costMinor: number, needed: number, spendMinor: number | null): CostCheck {
  const percent = spendMinor === null ? null : costPercent(costMinor, spendMinor);
  return { basis, name, costMinor, needed, spendMinor, percent, verdict: percent === null ? null : verdictOf(percent) };
}

/**
 * The checks of a program: the one reward of a stamps program (given the average purchase, in
 * minor units, or null if unknown); each catalog reward of a points or tiers program, at the base
 * rate (a tier's multiplier makes rewards come sooner, so cost more); the cashback percentage itself.
 */
export function rewardCosts(
  p: Pick<Program, 'type' | 'stampsRequired' | 'reward' | 'pointsPerUnit' | 'rewards' | 'cashbackPercent'>,
  averageMinor: number | null,
  digits: number,
): CostCheck[] {
  switch (p.type) {
    case 'stamps':
      return [
        check(
          'stamps',
          p.reward.name,
          p.reward.costMinor,
          p.stampsRequired,
          averageMinor === null || !(averageMinor > 0) ? null : stampsSpend(p.stampsRequired, averageMinor),
        ),
      ];
    case 'points':
    case 'tiers':
      return p.rewards.map((r) => check('points', r.name, r.costMinor, r.points, pointsSpend(r.points, p.pointsPerUnit, digits)));
    case 'cashback':
      return [
        {
          basis: 'cashback',
          name: '',
          costMinor: 0,
          needed: 0,
          spendMinor: null,
          percent: p.cashbackPercent,
          verdict: verdictOf(p.cashbackPercent),
        },
      ];
  }
}
