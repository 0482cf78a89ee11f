// The card rules (server/domain/rules.ts): the domain tests, ~7 s a mutant.
import { target } from './target.mjs';

export default target('rules', 'server/domain/rules.ts', [
  'test/domain/rules.test.ts',
  'test/domain/redemption-undo.test.ts',
  'test/domain/referrals.test.ts',
  'test/domain/campaigns.test.ts',
  'test/domain/control.test.ts',
]);

/** @type {import('../scripts/mutate.ts').Equivalent[]} */
export const equivalent = [
  {
    line: 362,
    mutator: 'ConditionalExpression',
    reason:
      'adjust(): a negative stamps delta sent through stampEntries writes the same single entry (stamps: delta) and earns nothing, since a card never holds a full card of stamps (rewards are taken out as they are earned, and rewardsOwed() runs when the threshold is lowered)',
  },
  {
    line: 362,
    mutator: 'EqualityOperator',
    replacement: 'delta >= 0',
    reason: 'adjust(): a delta of 0 is refused as out_of_range before this line',
  },
];
