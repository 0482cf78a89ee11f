/**
 * The hosted pages as a customer's phone gets them: the join page (`/j/cafe-lune`, where the
 * poster's QR code leads) and a card page (`/c/<serial>`), their bytes (the HTML and the
 * scripts it loads, gzip -9 as the budget reads) and, in Debian's Chromium at phone size with
 * the CPU slowed 4× (a mid-range phone), the first contentful paint and the time until the join
 * form is usable.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/chromium.ts';
import { startServer } from '../test/support/server-process.ts';

/** The reach issue's budget for the join page: its HTML and scripts, 30 KB gzip. */
export const PAGE_TARGETS = { joinGzipBytes: 30_000 };

export interface PageFigures {
  joinHtmlGzip: number;
  cardHtmlGzip: number;
  scriptGzip: number;
  firstPaintMs: number[];
  formReadyMs: number[];
}

const gzip = (bytes: Buffer) => execFileSync('gzip', ['-9', '-c'], { input: bytes }).length;
const fetchBytes = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

export async function benchPages(runs = 7): Promise<PageFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'fidelio-bench-pages-'));
  const server = await startServer({ NODE_ENV: 'development', DEMO: '1', DATA_DIR: dir }, { entry: 'dist', host: 'localhost' });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    const joinHtml = await fetchBytes(`${server.url}/j/cafe-lune`);
    const scripts = [...joinHtml.toString().matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    let scriptGzip = 0;
    for (const src of scripts) scriptGzip += gzip(await fetchBytes(new URL(src, server.url).toString()));
    const signup = await fetch(`${server.url}/api/public/programs/cafe-lune/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench Page', email: `bench-page-${Date.now()}@example.com`, consent: { terms: true } }),
    });
    const { links } = (await signup.json()) as { links: { page: string } };
    const cardHtml = await fetchBytes(links.page);

    const firstPaintMs: number[] = [];
    const formReadyMs: number[] = [];
    for (let i = -1; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.goto(`${server.url}/j/cafe-lune`);
      await page.locator('fidelio-widget form').waitFor();
      const t = await page.evaluate(() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        return { paint: paint?.startTime ?? NaN, ready: performance.now() };
      });
      if (i >= 0) {
        firstPaintMs.push(t.paint);
        formReadyMs.push(t.ready);
      }
      await context.close();
    }
    return { joinHtmlGzip: gzip(joinHtml), cardHtmlGzip: gzip(cardHtml), scriptGzip, firstPaintMs, formReadyMs };
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function printPages(f: PageFigures): void {
  const total = f.joinHtmlGzip + f.scriptGzip;
  console.log('## Hosted pages');
  console.log('| figure | value | target |');
  console.log('|---|---|---|');
  console.log(
    `| join page: HTML ${f.joinHtmlGzip} B + scripts ${f.scriptGzip} B, gzip -9 | ${total} B (${(total / PAGE_TARGETS.joinGzipBytes).toFixed(2)}× the budget) | ≤ ${PAGE_TARGETS.joinGzipBytes} B |`,
  );
  console.log(`| card page HTML, gzip -9 (the same scripts) | ${f.cardHtmlGzip} B | |`);
  console.log(
    `| join page, phone (390 px, CPU 4× slower): first contentful paint, median of ${f.firstPaintMs.length} | ${median(f.firstPaintMs).toFixed(0)} ms | |`,
  );
  console.log(`| … until the join form is usable, median | ${median(f.formReadyMs).toFixed(0)} ms | |\n`);
}
