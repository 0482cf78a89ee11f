/**
 * Lighthouse (the `lighthouse` package, its mobile preset: a mid-range phone on a slow 4G
 * network, simulated) with Debian's Chromium, against the built server in production mode with
 * the demo café: the demo page, the hosted join page and a card page, the dashboard's login and
 * its counter (signed in). Prints the four scores and FCP, LCP, TBT and CLS of each, then the bytes
 * on the wire of the widget and the dashboard's first script (Brotli and gzip as the server sends
 * them) next to their raw and `gzip -9` sizes. Asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { DEMO } from '../demo/seed.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/chromium.ts';
import { startServer } from '../test/support/server-process.ts';

/** The targets, for the demo page on a phone. */
export const LIGHTHOUSE_TARGETS = { cls: 0.1, accessibility: 100, bestPractices: 100, performance: 95 };

export interface PageScores {
  page: string;
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  /** What Lighthouse held against the page (failed audits of the four categories). */
  failed: string[];
}

export interface WireBytes {
  file: string;
  raw: number;
  gzip9: number;
  wireGzip: number;
  wireBrotli: number;
}

export interface LighthouseFigures {
  pages: PageScores[];
  wire: WireBytes[];
}

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

async function wire(url: string, file: string): Promise<WireBytes> {
  const plain = Buffer.from(await (await fetch(url)).arrayBuffer());
  const sized = async (encoding: string) => {
    const res = await fetch(url, { headers: { 'accept-encoding': encoding } });
    // fetch decodes the body: the bytes on the wire are in Content-Length, else counted raw.
    const length = Number(res.headers.get('content-length'));
    const body = Buffer.from(await res.arrayBuffer());
    return res.headers.get('content-encoding') === encoding && length > 0 ? length : body.length;
  };
  return {
    file,
    raw: plain.length,
    gzip9: execFileSync('gzip', ['-9', '-n', '-c'], { input: plain }).length,
    wireGzip: await sized('gzip'),
    wireBrotli: await sized('br'),
  };
}

export async function benchLighthouse(): Promise<LighthouseFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'fidelio-bench-lighthouse-'));
  // Production (what a merchant runs), on localhost (which production allows over http for a try).
  const server = await startServer(
    { NODE_ENV: 'production', DEMO: '1', DATA_DIR: dir, SESSION_SECRET: 'bench-secret-bench-secret-bench-secret' },
    { entry: 'dist', host: 'localhost' },
  );
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM_PATH, chromeFlags: [...CHROMIUM_ARGS, '--headless=new'] });
  try {
    const signup = await fetch(`${server.url}/api/public/programs/${DEMO.slug}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Inès Durand', email: 'ines@example.com', consent: { terms: true, marketing: false } }),
    });
    const { links } = (await signup.json()) as { links: { page: string } };
    const login = await fetch(`${server.url}/api/merchant/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: DEMO.email, password: DEMO.password }),
    });
    const cookie = /(?:__Host-)?fidelio_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];

    const pages: [string, string, Record<string, string>?][] = [
      ['demo page', `${server.url}/demo/`],
      ['join page', `${server.url}/j/${DEMO.slug}`],
      ['card page', links.page],
      ['dashboard login', `${server.url}/dashboard/`],
      ['dashboard counter', `${server.url}/dashboard/#counter`, { Cookie: cookie }],
    ];
    const out: PageScores[] = [];
    for (const [page, url, headers] of pages) {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: CATEGORIES,
        ...(headers && { extraHeaders: headers }),
      });
      const lhr = result!.lhr;
      const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
      const audit = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
      const failed = Object.values(lhr.categories)
        .flatMap((c) => c.auditRefs.filter((r) => r.weight > 0).map((r) => lhr.audits[r.id]!))
        .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative')
        .map((a) => a.id);
      out.push({
        page,
        performance: score('performance'),
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        seo: score('seo'),
        fcpMs: audit('first-contentful-paint'),
        lcpMs: audit('largest-contentful-paint'),
        tbtMs: audit('total-blocking-time'),
        cls: audit('cumulative-layout-shift'),
        failed: [...new Set(failed)],
      });
    }
    const dashboard = await (await fetch(`${server.url}/dashboard/`)).text();
    const first = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(dashboard)![1]!;
    const wires = [await wire(`${server.url}/widget.js`, '/widget.js'), await wire(`${server.url}${first}`, 'dashboard first script')];
    return { pages: out, wire: wires };
  } finally {
    chrome.kill();
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printLighthouse(f: LighthouseFigures): void {
  const t = LIGHTHOUSE_TARGETS;
  console.log('## Lighthouse 12.8 (mobile preset, simulated slow 4G), Debian Chromium\n');
  console.log('| page | Performance | Accessibility | Best Practices | SEO | FCP ms | LCP ms | TBT ms | CLS | below 0.9 |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const p of f.pages) {
    console.log(
      `| ${p.page} | ${p.performance} | ${p.accessibility} | ${p.bestPractices} | ${p.seo} | ${Math.round(p.fcpMs)} | ${Math.round(p.lcpMs)} | ${Math.round(p.tbtMs)} | ${p.cls.toFixed(3)} | ${p.failed.join(', ') || '—'} |`,
    );
  }
  const demo = f.pages.find((p) => p.page === 'demo page')!;
  console.log(
    `\nTargets on the demo page: CLS ${demo.cls.toFixed(3)} (≤ ${t.cls}), Accessibility ${demo.accessibility} (${t.accessibility}), Best Practices ${demo.bestPractices} (${t.bestPractices}), Performance ${demo.performance} (≥ ${t.performance})`,
  );
  console.log(`Worst CLS of all pages: ${Math.max(...f.pages.map((p) => p.cls)).toFixed(3)} (≤ ${t.cls})\n`);
  console.log('| file | raw B | gzip -9 B | on the wire, gzip B | on the wire, Brotli B |');
  console.log('|---|---|---|---|---|');
  for (const w of f.wire) console.log(`| ${w.file} | ${w.raw} | ${w.gzip9} | ${w.wireGzip} | ${w.wireBrotli} |`);
  console.log('');
}
