// Mutation testing (StrykerJS), for now of the pass signature alone: `npx stryker run` mutates
// passes/apple/cms.ts and runs its tests with node's own runner through the "command" runner (there
// is no Stryker plugin for node:test). Every mutant reruns all the listed files (~6 s), so a run
// takes tens of minutes on 2 cores; the JSON report lands in reports/mutation/ (not committed).

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['passes/apple/cms.ts'],
  testRunner: 'command',
  commandRunner: {
    command: [
      'node --import tsx --test',
      'test/passes/cms.test.ts',
      'test/passes/cms.structure.test.ts',
      'test/passes/cms.der.test.ts',
      'test/passes/cms.der.error.test.ts',
      'test/passes/cms.concurrency.test.ts',
    ].join(' '),
  },
  // The sandbox needs only the code under test and what its tests import.
  ignorePatterns: ['/*', '!/passes', '!/test', '/test/*', '!/test/passes', '!/test/support', '!/package.json', '!/tsconfig.json'],
  // One mutant at a time: the machine has 2 cores, shared with whatever else runs.
  concurrency: 1,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/cms.json' },
  thresholds: { high: 90, low: 80, break: null },
};
