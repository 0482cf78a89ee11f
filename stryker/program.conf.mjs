// The program's schema and defaults (server/domain/program.ts): the domain tests, where its rules
// are tested (the API's program tests only add their round trips, at three times the cost a mutant).
import { target } from './target.mjs';

export default target('program', 'server/domain/program.ts', [
  'test/domain/program.test.ts',
  'test/domain/rules.test.ts',
  'test/domain/campaigns.test.ts',
]);

/** @type {import('../scripts/mutate.ts').Equivalent[]} */
export const equivalent = [
  {
    line: 13,
    mutator: 'Regex',
    reason: 'httpUrl: a URL’s protocol is its scheme and one colon, so nothing follows "http:" or "https:" that a missing $ could let in',
  },
  {
    line: 14,
    mutator: 'BlockStatement',
    reason: 'httpUrl: the emptied try returns undefined, which refine() reads as false, as it does the catch',
  },
  {
    line: 24,
    mutator: 'ConditionalExpression',
    reason:
      'isTimeZone: no zone the runtime accepts has 64 characters or more (the longest IANA name has 32), so the length check never says no',
  },
  { line: 24, mutator: 'EqualityOperator', replacement: 'tz.length < 64', reason: 'isTimeZone: as above, no zone has 64 characters' },
  {
    line: 237,
    mutator: 'ConditionalExpression',
    reason: 'tier order: for the first tier, thresholds[-1] is undefined and no number is <= undefined, so `i > 0` changes nothing',
  },
  { line: 237, mutator: 'EqualityOperator', replacement: 'i >= 0', reason: 'tier order: as above' },
  { line: 284, mutator: 'BlockStatement', reason: 'minorDigits: the emptied catch returns undefined, as the one it replaces does' },
  {
    line: 296,
    mutator: 'Regex',
    reason: 'slugify: the replace before it turns every run of other characters into one dash, so a run of dashes never reaches these',
  },
  { line: 298, mutator: 'Regex', reason: 'slugify: as above, one dash at most ends the slug after the cut' },
  {
    line: 79,
    mutator: 'ConditionalExpression',
    reason:
      'the launch window: Date.parse(null) is NaN and NaN < anything is false, so a missing start or end is refused by the comparison alone (the null checks are there for the types)',
  },
  { line: 79, mutator: 'LogicalOperator', replacement: 'l.from !== null || l.to !== null', reason: 'the launch window: as above, NaN' },
  {
    line: 307,
    mutator: 'ConditionalExpression',
    replacement: 'false',
    reason: 'withShopIds: a shop without an id puts undefined among the taken ids, and no id made from a name is undefined',
  },
  {
    line: 307,
    mutator: 'ArrayDeclaration',
    reason: 'withShopIds: "Stryker was here" among the taken ids, and no id made from a name has capitals or spaces',
  },
];
