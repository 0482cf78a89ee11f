// `npm run mutate`'s arithmetic (scripts/mutate.ts): which survivors a config's `equivalent` list
// sets aside, and the score over what is left — the figures the README gives come from these two.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { excludeEquivalent, score } from '../../scripts/mutate.ts';

const mutant = (status: string, line: number, mutatorName = 'ConditionalExpression', replacement?: string) => ({
  status,
  mutatorName,
  ...(replacement !== undefined && { replacement }),
  location: { start: { line, column: 1 } },
});
const report = (...mutants: ReturnType<typeof mutant>[]) => ({ files: { 'server/domain/x.ts': { mutants } } });

describe('npm run mutate', () => {
  it('sets aside only the listed survivors, by line, mutator and replacement, with the reason', () => {
    const r = report(
      mutant('Survived', 10, 'EqualityOperator', 'a >= 0'),
      mutant('Survived', 10, 'EqualityOperator', 'a <= 0'),
      mutant('Killed', 12),
      mutant('Survived', 12),
    );
    const stale = excludeEquivalent(r, [
      { line: 10, mutator: 'EqualityOperator', replacement: 'a >= 0', reason: 'zero is refused before' },
      { line: 12, mutator: 'ConditionalExpression', reason: 'same entry either way' },
      { line: 40, mutator: 'StringLiteral', reason: 'killed since' },
    ]);
    const [a, b, c, d] = r.files['server/domain/x.ts'].mutants as (ReturnType<typeof mutant> & { statusReason?: string })[];
    assert.equal(a!.status, 'Ignored');
    assert.equal(a!.statusReason, 'equivalent: zero is refused before');
    assert.equal(b!.status, 'Survived', 'another replacement on the same line still counts');
    assert.equal(c!.status, 'Killed', 'a killed mutant stays killed');
    assert.equal(d!.status, 'Ignored');
    // An entry that matches no survivor is reported, so the list does not rot.
    assert.deepEqual(
      stale.map((e) => e.line),
      [40],
    );
  });

  it('scores detected (killed, timed out) over the mutants that ran, the ignored left out', () => {
    const s = score(
      report(
        mutant('Killed', 1),
        mutant('Killed', 2),
        mutant('Timeout', 3),
        mutant('Survived', 4),
        mutant('NoCoverage', 5),
        mutant('Ignored', 6),
        mutant('CompileError', 7),
        mutant('RuntimeError', 8),
      ),
    );
    assert.deepEqual(s, { file: 'server/domain/x.ts', mutants: 5, detected: 3, survived: 2, ignored: 1, score: 60 });
  });
});
