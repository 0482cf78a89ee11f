// The browser engines the widget's tests run in (web-test-runner.config.mjs): Chromium (Debian's
// `chromium`, over CDP), WebKit (Debian's WebKitGTK MiniBrowser through WebKitWebDriver, classic
// W3C WebDriver, under an X display: `xvfb-run`) and Firefox (Debian's `firefox-esr` over
// WebDriver BiDi, with puppeteer-core). ../shared/research/cross-browser.md has what was tried.
// `setViewport` and `sendKeys` are made to work the same way in all three (commandsPlugin).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromeLauncher } from '@web/test-runner-chrome';
import type { BrowserLauncher } from '@web/test-runner-core';
import { WebdriverLauncher } from '@web/test-runner-webdriver';
import * as puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

export const ENGINES = ['chromium', 'webkit', 'firefox'] as const;
export type Engine = (typeof ENGINES)[number];

export const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const FIREFOX = '/usr/bin/firefox-esr';

/** The engines to run in: `BROWSERS=webkit,firefox` (default Chromium). */
export function enginesFromEnv(value = process.env.BROWSERS): Engine[] {
  const asked = (value ?? 'chromium')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const e of asked)
    if (!(ENGINES as readonly string[]).includes(e)) throw new Error(`BROWSERS: unknown engine "${e}" (${ENGINES.join(', ')})`);
  return asked as Engine[];
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * A WebDriver server (`binary --port=N`) on a free port, ready once it answers `/status`.
 * WebKitWebDriver is given a GTK style sheet that lets MiniBrowser's window narrow to a phone's
 * 320 px (its toolbar would keep it at 447 px or more).
 */
export async function startDriver(binary: string): Promise<{ port: number; stop(): void }> {
  const port = await freePort();
  const env = { ...process.env };
  let xdg: string | undefined;
  if (binary === WEBKIT_DRIVER) {
    if (!env.DISPLAY) throw new Error('WebKit needs an X display: run under `xvfb-run -a` (npm run test:webkit does)');
    xdg = mkdtempSync(join(tmpdir(), 'fidelio-gtk-'));
    mkdirSync(join(xdg, 'gtk-3.0'));
    writeFileSync(join(xdg, 'gtk-3.0', 'gtk.css'), '* { min-width: 0; min-height: 0; padding: 0; margin: 0; font-size: 1px; }');
    env.XDG_CONFIG_HOME = xdg;
  }
  const driver = spawn(binary, [`--port=${port}`], { stdio: 'ignore', env });
  // Stopped by `stop()` or when this process exits, never what keeps it running.
  driver.unref();
  const stop = () => {
    driver.kill();
    if (xdg) rmSync(xdg, { recursive: true, force: true });
  };
  process.once('exit', stop);
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/status`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { port, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${binary} did not start on port ${port}`);
}

/** MiniBrowser's capabilities for WebKitWebDriver: classic WebDriver only (no BiDi). */
export const MINIBROWSER_CAPABILITIES = {
  browserName: 'MiniBrowser',
  'wdio:enforceWebDriverClassic': true,
  'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
};

/**
 * The WebDriver session's window resized until the page's viewport is `width` × `height` (the
 * window's chrome added; WebDriver sizes windows, not viewports).
 */
export async function fitViewport(driver: Driver, width: number, height: number): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const [w, h] = await driver.execute<[number, number]>('return [window.innerWidth, window.innerHeight]');
    if (w === width && h === height) return;
    const win = await driver.getWindowSize();
    await driver.setWindowSize(win.width + width - w, win.height + height - h);
  }
}

/** The launcher of an engine. */
export async function launcherOf(engine: Engine): Promise<BrowserLauncher> {
  switch (engine) {
    case 'chromium':
      return chromeLauncher({ launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS } });
    case 'firefox':
      return firefoxKeys(
        chromeLauncher({
          puppeteer: puppeteer as never,
          launchOptions: { browser: 'firefox', executablePath: FIREFOX, headless: true },
        }),
      );
    case 'webkit':
      return new WebKitLauncher({
        automationProtocol: 'webdriver',
        hostname: '127.0.0.1',
        port: (await startDriver(WEBKIT_DRIVER)).port,
        logLevel: 'error',
        capabilities: MINIBROWSER_CAPABILITIES as WebdriverIO.Capabilities,
      });
  }
}

/** A WebDriver session's browser (webdriverio), as the launcher holds it. */
export type Driver = {
  setWindowSize(w: number, h: number): Promise<void>;
  getWindowSize(): Promise<{ width: number; height: number }>;
  execute<T>(script: string): Promise<T>;
  keys(keys: string | string[]): Promise<void>;
  performActions(actions: object[]): Promise<void>;
};

/**
 * WebKit over WebDriver, made to take the tests' `setViewport` and `sendKeys` as Chromium does.
 * web-test-runner's command plugins know puppeteer pages, not WebDriver (no viewport command;
 * `type` presses every key down, then every key up, and WebKit then drops a doubled letter): this
 * launcher says it is puppeteer's and hands them a page that does each over WebDriver — the
 * window resized until the page's viewport has the size asked, each character pressed and
 * released in turn.
 */
class WebKitLauncher extends WebdriverLauncher {
  override type = 'puppeteer';

  getPage(_sessionId: string) {
    const driver = (this as unknown as { driver: Driver }).driver;
    return {
      setViewport: ({ width, height }: { width: number; height: number }) => fitViewport(driver, width, height),
      keyboard: {
        async type(text: string) {
          // One key action per grapheme (an emoji too: WebDriver takes a grapheme as one key).
          for (const { segment } of new Intl.Segmenter().segment(text)) {
            await driver.performActions([
              {
                type: 'key',
                id: 'keyboard',
                actions: [
                  { type: 'keyDown', value: segment },
                  { type: 'keyUp', value: segment },
                ],
              },
            ]);
          }
        },
        press: (key: string) => driver.keys([key]),
      },
    };
  }
}

/** Firefox over BiDi knows the space bar as " ", not by the name the tests (and Chromium) use. */
function firefoxKeys(launcher: BrowserLauncher): BrowserLauncher {
  const l = launcher as unknown as { getPage(id: string): puppeteer.Page };
  const getPage = l.getPage.bind(l);
  l.getPage = (id) => {
    const page = getPage(id);
    const press = page.keyboard.press.bind(page.keyboard);
    page.keyboard.press = (key, options) => press(key === 'Space' ? (' ' as puppeteer.KeyInput) : key, options);
    return page;
  };
  return launcher;
}
