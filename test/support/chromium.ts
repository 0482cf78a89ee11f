/**
 * Debian's Chromium, as the browser tests (through test/support/engines.ts), the end-to-end tests
 * and the bench start it. Without the background-networking flags Chromium keeps trying to reach
 * Google's hosts, which this machine's closed network refuses.
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
