/**
 * Debian's Chromium, as the browser tests, the end-to-end test and the bench start it
 * (`web-test-runner.config.mjs` keeps the same list: it cannot import TypeScript). Without the
 * background-networking flags Chromium keeps trying to reach Google's hosts, which this
 * machine's closed network refuses.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
