// The pass signature (passes/apple/cms.ts): its own tests, ~6 s a mutant (27 min for the 290).
import { target } from './target.mjs';

export default target('cms', 'passes/apple/cms.ts', [
  'test/passes/cms.test.ts',
  'test/passes/cms.structure.test.ts',
  'test/passes/cms.der.test.ts',
  'test/passes/cms.der.error.test.ts',
  'test/passes/cms.concurrency.test.ts',
]);

/** @type {import('../scripts/mutate.ts').Equivalent[]} */
export const equivalent = [
  {
    line: 150,
    mutator: 'EqualityOperator',
    replacement: 'n <= 80',
    reason:
      'oidToString: at n = 80 both branches agree (80 / 40 = 2 is the first arc either way, and 80 % 40 = 80 - 80 = 0 the second), so `< 80` and `<= 80` read every OID alike',
  },
  {
    line: 165,
    mutator: 'ArrayDeclaration',
    replacement: '["Stryker was here"]',
    reason:
      'nameAttributes: an attribute that is not a SEQUENCE gets a string for its type instead of nothing; a string has no tag either, so the same "malformed AttributeTypeAndValue" error is thrown',
  },
  {
    line: 186,
    mutator: 'ConditionalExpression',
    replacement: 'true',
    reason:
      'prepare(): the per-signer cache always missed; the certificates and the signer id are computed again from the same signer, so every signature is byte for byte the same (only slower: `npm run bench` measures the signing)',
  },
];
