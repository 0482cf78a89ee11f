// One way to drive a page in the engines beyond Chromium, for the end-to-end customer journeys
// (test/e2e/engines.test.ts): WebKit 2.50 (MiniBrowser through WebKitWebDriver, classic W3C
// WebDriver, under an X display), the older WebKit of Safari 16.0 (WPE WebKit 2.38's `cog`
// through WPEWebDriver, headless) and Firefox ESR (puppeteer-core over WebDriver BiDi).
// ../shared/research/cross-browser.md has what was tried on these machines.
//
// A page is read and acted on through its elements, shadow roots included (the widget's parts
// live in them): found by CSS selector and text, or a form field by its label's text, then
// clicked and typed into by the browser's own input (WebDriver's element click and send keys,
// puppeteer's mouse and keyboard), never by setting values from script.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as puppeteer from 'puppeteer-core';
import { remote } from 'webdriverio';
import { FIREFOX, fitViewport, MINIBROWSER_CAPABILITIES, startDriver, WEBKIT_DRIVER } from './engines.ts';

export const JOURNEY_ENGINES = ['webkit', 'webkit-2.38', 'firefox'] as const;
export type JourneyEngine = (typeof JOURNEY_ENGINES)[number];

export const WPE_DRIVER = '/usr/bin/WPEWebDriver';
export const COG = '/usr/bin/cog';

/**
 * What to find: the first element matching `css` (across shadow roots) whose text (its shadow
 * root's included) contains `text`; or the field whose label reads `label`.
 */
export type Target = { css: string; text?: string } | { label: string };

export interface Tab {
  goto(url: string): Promise<void>;
  /**
   * Runs `body` (a function body; its argument is `arg`; `find(target)`, `norm(text)` and
   * `deepText(node)` in scope) in the page and returns its result.
   */
  run<T>(body: string, arg?: unknown): Promise<T>;
  click(target: Target): Promise<void>;
  type(target: Target, text: string): Promise<void>;
  /** Waits until the target is there (10 s), across shadow roots. */
  waitFor(target: Target, what?: string): Promise<void>;
  /** The page's text, shadow roots included, whitespace collapsed. */
  text(): Promise<string>;
  /** A PNG of the viewport (element screenshots come back black under Xvfb). */
  screenshot(file: string): Promise<void>;
  /** Ends the page (with WebDriver, its session: the drivers hold one at a time). */
  close(): Promise<void>;
}

export interface EngineBrowser {
  readonly engine: JourneyEngine;
  /** A new page at `width` × `height` (a fresh session: its own storage) where the engine can size it. */
  open(width: number, height: number): Promise<Tab>;
  close(): Promise<void>;
}

/** Page-side helpers: `find(target)` and `deepText()`, walking open shadow roots. */
const LIB = `
const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();
const all = (root, out = []) => {
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) all(el.shadowRoot, out);
  }
  return out;
};
const find = (t) => {
  const els = all(document);
  if (t.label !== undefined) {
    const label = els.find((e) => e.localName === 'label' && norm(e.textContent) === t.label);
    return (label && label.control) || null;
  }
  return els.find((e) => e.matches(t.css) && (t.text === undefined || norm(deepText(e)).includes(t.text))) || null;
};
const deepText = (node) => {
  let s = '';
  for (const n of (node.shadowRoot ? [node.shadowRoot, ...node.childNodes] : node.childNodes)) {
    if (n.nodeType === 3) s += n.data + ' ';
    else if (n.nodeType === 1 || n.nodeType === 11) {
      if (n.localName === 'script' || n.localName === 'style' || n.localName === 'noscript') continue;
      s += deepText(n);
    }
  }
  return s;
};
`;

const describe = (t: Target) => ('label' in t ? `the field "${t.label}"` : `${t.css}${t.text ? ` "${t.text}"` : ''}`);

async function poll<T>(read: () => Promise<T | null | undefined | false>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    const v = await read().catch((e: unknown) => {
      last = e;
      return null;
    });
    if (v) return v;
    if (Date.now() > end) {
      const why = last instanceof Error ? ` (last error: ${last.message.split('\n')[0]})` : '';
      throw new Error(`timed out after ${ms} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The errors a driver raises before it has acted (the element moved, was replaced, is covered or
 * not yet shown): trying again cannot act twice. Any other error is the test's to see.
 */
const NOT_YET = /intercepted|stale element|not interactable|no such element|not visible|not an HTMLElement|detached/i;

function save(file: string, png: Buffer) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, png);
}

/** The parts every engine shares, over its two primitives: run a script, and act on a found element. */
function tab(impl: {
  goto(url: string): Promise<void>;
  run<T>(body: string, arg?: unknown): Promise<T>;
  click(t: Target): Promise<void>;
  type(t: Target, text: string): Promise<void>;
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}): Tab {
  const exists = (t: Target) => impl.run<boolean>(`${LIB}; return !!find(arg);`, t);
  const waitFor = async (t: Target, what = describe(t)) => void (await poll(() => exists(t), what));
  // Where the element is drawn, or null while it is missing or not shown (or the page is between two documents).
  const box = (t: Target) =>
    impl
      .run<string | null>(
        `${LIB}; const e = find(arg); if (!e) return null; const r = e.getBoundingClientRect();
         if (!r.width || !r.height || getComputedStyle(e).visibility === 'hidden') return null;
         return [r.x, r.y, r.width, r.height].map(Math.round).join(',');`,
        t,
      )
      .catch(() => null);
  /**
   * Acts on the target once it is shown and has stopped moving (a page still laying out, a
   * component still rendering, moves it between the driver's scroll and its click), as a person
   * would; tried again while the driver says it could not act yet.
   */
  const act = async (t: Target, action: () => Promise<void>, ms = 10_000) => {
    const end = Date.now() + ms;
    let before: string | null = null;
    let last = 'it never stood still';
    for (;;) {
      const now = await box(t);
      if (now !== null && now === before) {
        try {
          return await action();
        } catch (e) {
          if (!(e instanceof Error && NOT_YET.test(e.message))) throw e;
          last = e.message.split('\n')[0]!;
        }
      }
      before = now;
      if (Date.now() > end) throw new Error(`timed out after ${ms} ms acting on ${describe(t)} (${now === null ? 'not shown' : last})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    goto: impl.goto,
    run: (body, arg) => impl.run(`${LIB}; ${body}`, arg),
    waitFor,
    async click(t) {
      await waitFor(t);
      await act(t, () => impl.click(t));
    },
    async type(t, text) {
      await waitFor(t);
      await act(t, () => impl.type(t, text));
      const value = await impl.run<string>(`${LIB}; return find(arg).value;`, t);
      if (value !== text) throw new Error(`typed "${text}" into ${describe(t)}, which holds "${value}"`);
    },
    text: () => impl.run<string>(`${LIB}; return norm(deepText(document.body));`),
    async screenshot(file) {
      // Two frames, so that what was just rendered is painted.
      await impl.run(`return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))));`);
      save(file, await impl.screenshot());
    },
    close: impl.close,
  };
}

/** An X display for MiniBrowser: the one there is, else a new Xvfb for this process. */
async function display(): Promise<void> {
  if (process.env.DISPLAY) return;
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1600x1200x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  process.once('exit', () => xvfb.kill());
  const n = await new Promise<string>((resolve, reject) => {
    let out = '';
    xvfb.stdio[3]!.on('data', (d: Buffer) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): apt-get install xvfb`)));
  });
  process.env.DISPLAY = `:${n}`;
  // Nothing of Xvfb keeps this process alive: the test file must exit when its tests are done.
  (xvfb.stdio[3] as NodeJS.ReadableStream & { destroy(): void }).destroy();
  xvfb.unref();
}

type Wdio = Awaited<ReturnType<typeof remote>>;
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** WebKit over classic WebDriver: MiniBrowser (WebKitGTK 2.50) or cog (WPE WebKit 2.38, headless, 800 × 600). */
async function webdriverBrowser(engine: 'webkit' | 'webkit-2.38'): Promise<EngineBrowser> {
  if (engine === 'webkit') await display();
  const driver = await startDriver(engine === 'webkit' ? WEBKIT_DRIVER : WPE_DRIVER);
  const sessions: Wdio[] = [];
  const capabilities =
    engine === 'webkit'
      ? MINIBROWSER_CAPABILITIES
      : {
          browserName: 'cog',
          'wdio:enforceWebDriverClassic': true,
          'wpe:browserOptions': { binary: COG, args: ['--automation', '--platform=headless'] },
        };
  return {
    engine,
    async open(width, height) {
      const b = await remote({
        hostname: '127.0.0.1',
        port: driver.port,
        logLevel: 'error',
        capabilities: capabilities as WebdriverIO.Capabilities,
      });
      sessions.push(b);
      // cog's headless window keeps its size; MiniBrowser's is fitted to the viewport asked.
      if (engine === 'webkit') await fitViewport(b as never, width, height);
      const element = async (t: Target) => {
        const ref = await b.execute(`${LIB}; return find(arguments[0]);`, t);
        return (ref as unknown as Record<string, string>)[ELEMENT]!;
      };
      return tab({
        goto: async (url) => void (await b.url(url)),
        run: <T>(body: string, arg?: unknown) => b.execute(`const arg = arguments[0]; ${body}`, arg) as Promise<T>,
        click: async (t) => void (await b.elementClick(await element(t))),
        type: async (t, text) => void (await b.elementSendKeys(await element(t), text)),
        screenshot: async () => Buffer.from(await b.takeScreenshot(), 'base64'),
        async close() {
          sessions.splice(sessions.indexOf(b), 1);
          await b.deleteSession();
        },
      });
    },
    async close() {
      for (const s of sessions) await s.deleteSession().catch(() => {});
      driver.stop();
    },
  };
}

/** Firefox ESR over WebDriver BiDi (puppeteer-core); each page in a browser context of its own. */
async function firefoxBrowser(): Promise<EngineBrowser> {
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  return {
    engine: 'firefox',
    async open(width, height) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport({ width, height });
      // Runs as the protocol's own evaluation (not `new Function` in the page), which a page's CSP does not block.
      const run = <T>(body: string, arg?: unknown) =>
        page.evaluate(`(() => { const arg = ${JSON.stringify(arg ?? null)}; ${body} })()`) as Promise<T>;
      const element = async (t: Target) =>
        (await page.evaluateHandle(`(() => { ${LIB}; return find(${JSON.stringify(t)}); })()`)) as puppeteer.ElementHandle<Element>;
      return tab({
        goto: async (url) => void (await page.goto(url)),
        run,
        click: async (t) => (await element(t)).click(),
        type: async (t, text) => (await element(t)).type(text),
        screenshot: async () => Buffer.from(await page.screenshot()),
        close: () => context.close(),
      });
    },
    close: () => browser.close(),
  };
}

export async function launchEngine(engine: JourneyEngine): Promise<EngineBrowser> {
  return engine === 'firefox' ? firefoxBrowser() : webdriverBrowser(engine);
}
