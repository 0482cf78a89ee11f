// A good guest on the merchant's page (issue 17), in Debian's Chromium (playwright-core) against
// the real server: the pages we serve and the demo café do not move while the widget loads, on a
// phone on a slow mobile network (the layout shift Google's Core Web Vitals count); and the
// widget keeps the merchant's colours on a page of another origin whose Content-Security-Policy
// refuses style attributes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.ts';
import { killServers, type Server, startServer } from '../support/server-process.ts';

let server: Server;
let browser: Browser;
let dataDir: string;

before(async () => {
  execFileSync('npx', ['vite', 'build', '--mode', 'widget', '--logLevel', 'warn'], { stdio: 'inherit' });
  dataDir = mkdtempSync(join(tmpdir(), 'fidelio-e2e-guest-'));
  server = await startServer({ NODE_ENV: 'development', DEMO: '1', DATA_DIR: dataDir }, { host: 'localhost' });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  killServers();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * A phone (Lighthouse's: 412 × 823) on a slow mobile network (150 ms, 1.6 Mbit/s down) with a CPU
 * four times slower, adding up the page's layout shifts as Chromium reports them (not counting
 * shifts right after an input, as CLS does not). The widget's script and the API's answers are
 * held back 600 ms more: from a server on the same machine they would arrive before the first
 * paint, and nothing could be seen to move.
 */
async function slowPhone(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 412, height: 823 },
    deviceScaleFactor: 1.75,
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.route(/\/widget\.js$|\/api\/public\//, async (route) => {
    await new Promise((r) => setTimeout(r, 600));
    await route.continue();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __shift: number; __shifts: string[] };
    w.__shift = 0;
    w.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources?: { node?: Node }[] }[]) {
        if (e.hadRecentInput) continue;
        w.__shift += e.value;
        w.__shifts.push(`${e.value.toFixed(3)} ${e.sources?.map((s) => s.node?.nodeName).join(',')}`);
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  return page;
}

const shiftOf = (page: Page) => page.evaluate(() => (window as unknown as { __shift: number; __shifts: string[] }).__shift);
const shiftsOf = (page: Page) => page.evaluate(() => (window as unknown as { __shifts: string[] }).__shifts);

describe('no layout shift from us, on a phone on a slow network', () => {
  for (const [name, path, ready] of [
    ['the demo café’s page', '/demo/', 'fidelio-reviews >> text=Pas encore d’avis.'],
    ['the hosted join page', '/j/cafe-lune', 'fidelio-widget >> text=Je m’inscris'],
  ] as const) {
    it(`${name}: CLS ≤ 0.1 once the widget has drawn`, async () => {
      const page = await slowPhone();
      await page.goto(`${server.url}${path}`);
      await page.locator('fidelio-widget button[type=submit]').waitFor({ timeout: 30_000 });
      await page.locator(ready.replace('’', "'")).waitFor({ timeout: 30_000 });
      // Two frames for the last shift to be reported.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const cls = await shiftOf(page);
      assert.ok(cls <= 0.1, `CLS ${cls.toFixed(3)}: ${(await shiftsOf(page)).join('; ')}`);
      await page.context().close();
    });
  }
});

describe('a host page with a strict Content-Security-Policy', () => {
  it('keeps the merchant’s colours (the widget themes itself through the CSSOM)', async () => {
    const { merchant } = (await (await fetch(`${server.url}/api/public/programs/cafe-lune`)).json()) as {
      merchant: { colors: { background: string; text: string } };
    };
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (m) => m.type() === 'error' && refused.push(m.text()));
    // Another origin (a merchant's shop, served on 127.0.0.1, which development lets call the
    // API), with its own policy: scripts and calls to fidelio, styles from itself only.
    const shop = createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `default-src 'self'; script-src ${server.url}; connect-src ${server.url}; img-src ${server.url} data:; style-src 'self'`,
      });
      res.end(`<!doctype html><html lang="fr"><body><h1>La boutique</h1>
<script type="module" src="${server.url}/widget.js"></script>
<fidelio-widget program="cafe-lune"></fidelio-widget></body></html>`);
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    after(() => shop.close());
    const host = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/shop.html`;
    await page.goto(host);
    const button = page.locator('fidelio-widget button[type=submit]');
    await button.waitFor();
    const looks = await button.evaluate((b) => ({ background: getComputedStyle(b).backgroundColor, color: getComputedStyle(b).color }));
    assert.deepEqual(looks, { background: rgb(merchant.colors.background), color: rgb(merchant.colors.text) });
    assert.deepEqual(
      refused.filter((t) => /Content Security Policy/i.test(t)),
      [],
      'nothing of the widget was refused by the page’s policy',
    );
    await context.close();
  });
});
