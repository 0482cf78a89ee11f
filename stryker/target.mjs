// What the four mutation configs (stryker/*.conf.mjs) share: StrykerJS with the "command" runner
// (there is no Stryker plugin for node:test), so every mutant reruns the listed test files with
// node's own runner, one mutant at a time (the machine has 2 cores, shared with whatever else
// runs). `npm run mutate` runs them all (scripts/mutate.mjs); the JSON reports, in the standard
// mutation-testing format, land in reports/mutation/ (git-ignored).

/**
 * @param {string} name the report's name
 * @param {string} file the file to mutate
 * @param {string[]} tests the test files that cover it
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function target(name, file, tests) {
  return {
    mutate: [file],
    testRunner: 'command',
    commandRunner: { command: ['node --import tsx --test', ...tests].join(' ') },
    // The sandbox copies the sources and the tests, not what is built or kept at run time.
    ignorePatterns: ['/dist', '/.data', '/reports', '/bench', '/docs', '/scripts', '/test/browser', '/test/engines', '/test/e2e'],
    concurrency: 1,
    reporters: ['clear-text', 'progress', 'json'],
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    tempDirName: `.stryker-tmp/${name}`,
    cleanTempDir: 'always',
    thresholds: { high: 90, low: 80, break: null },
  };
}
