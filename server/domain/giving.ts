// Giving back (the value-based program): for each stamp an amount, and a share of the spend, to a
// cause the owner names. Pure arithmetic over the ledger's sums.
import type { Campaigns } from './program.ts';

/** What the ledger holds for a period (or all time): stamps collected, and spend in minor units. */
export interface GivingSums {
  stamps: number;
  spendMinor: number;
}

/** The amount owed to the cause, in minor units: per stamp, plus a share of the spend (rounded to the unit). */
export function givenMinor(giving: Campaigns['giving'], sums: GivingSums): number {
  return giving.perStampMinor * sums.stamps + Math.round((giving.percentOfSpend / 100) * sums.spendMinor);
}
