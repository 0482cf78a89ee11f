// End to end, as a new merchant would (issue 5's "done when"): the built dashboard and widget in
// Debian's Chromium (playwright-core), served by the real server (a child process). Sign up,
// make a 3-stamp program, see the figures at zero; a customer joins on the demo page for this
// program in a second page; the counter scans the card's QR code from a screenshot of that page
// (the camera is a canvas showing the screenshot: the dashboard's own scanner decodes its
// pixels), stamps it to the reward and redeems it; the figures moved, in English and in French.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.ts';
import { openPostgresSchema, TEST_DB, type TestDb } from '../support/db.ts';
import { openPass } from '../support/pkpass.ts';
import { killServers, type Server, startServer } from '../support/server-process.ts';

let server: Server;
let browser: Browser;
let counter: Page;
let customer: Page;
let dataDir: string | undefined;
let pgSchema: TestDb | undefined;

/**
 * The counter's camera: `getUserMedia` answers a canvas stream that shows whatever image the test
 * puts in `window.fakeCamera` (a data URL) on white, as a phone held over a screen would. Plain
 * JavaScript text: the page runs it as it is (a compiled function would name tsx's helpers).
 */
const FAKE_CAMERA = `(() => {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 480;
  const ctx = canvas.getContext('2d');
  const image = new Image();
  let shown = '';
  const draw = () => {
    if (window.fakeCamera && window.fakeCamera !== shown) image.src = shown = window.fakeCamera;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (image.complete && image.naturalWidth) {
      const scale = Math.min(400 / image.naturalWidth, 400 / image.naturalHeight);
      const w = image.naturalWidth * scale, h = image.naturalHeight * scale;
      ctx.drawImage(image, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
    }
  };
  setInterval(draw, 50);
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: { getUserMedia: async () => (draw(), canvas.captureStream(20)) },
  });
})();`;

before(async () => {
  // The pages load the built bundles, so build them from the sources under test.
  for (const mode of ['widget', 'dashboard'])
    execFileSync('npx', ['vite', 'build', '--mode', mode, '--logLevel', 'warn'], { stdio: 'inherit' });
  dataDir = mkdtempSync(join(tmpdir(), 'fidelio-e2e-dashboard-'));
  const env: Record<string, string> = { NODE_ENV: 'development', DEMO: '1', DATA_DIR: dataDir };
  if (TEST_DB === 'postgres') {
    pgSchema = await openPostgresSchema();
    env.DATABASE_URL = pgSchema.url!;
  }
  server = await startServer(env, { host: 'localhost' });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  // The counter: a phone in portrait, in English. The customer: another phone, in French.
  counter = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
  await counter.addInitScript({ content: FAKE_CAMERA });
  customer = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
  for (const p of [counter, customer]) {
    p.on('pageerror', (err) => console.error('[page error]', err));
    p.on('console', (m) => /Content Security Policy/i.test(m.text()) && refusedByPolicy.push(m.text()));
  }
});

/** What the pages' Content-Security-Policy refused (a style attribute, an inline script…). */
const refusedByPolicy: string[] = [];

after(async () => {
  await browser?.close();
  killServers();
  await pgSchema?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the dashboard, from sign-up to a redeemed reward and the figures, in a real browser', () => {
  const email = `owner-${Date.now()}@example.com`;
  const dashboard = () => counter.locator('fidelio-dashboard');
  const nav = (name: string) => dashboard().getByRole('navigation').getByRole('link', { name, exact: true }).click();
  const kpi = (key: string) => dashboard().locator(`li[data-kpi="${key}"] .value`);
  /** The session's program as the server has it (the page's own cookie). */
  const program = () => counter.evaluate(async () => (await (await fetch('/api/merchant/program')).json()).program);
  let slug: string;
  let serial: string;

  it('signs up as a new merchant and lands on the counter', async () => {
    await counter.goto(`${server.url}/dashboard/`);
    await dashboard().getByRole('link', { name: 'New here? Create an account' }).click();
    await dashboard().getByLabel('Business name').fill('Fournil du Canal');
    await dashboard().getByLabel('Email').fill(email);
    await dashboard().getByLabel('Password (10 characters or more)').fill('a long enough password');
    await dashboard().getByRole('button', { name: 'Create my account' }).click();
    await dashboard().getByRole('button', { name: 'Scan a card' }).waitFor();
    slug = (await program()).slug;
    assert.equal(slug, 'fournil-du-canal');
  });

  it('makes the program 3 stamps for a croissant', async () => {
    await nav('Program');
    await dashboard().getByLabel('Stamps for a reward').fill('3');
    await dashboard().getByLabel('Reward', { exact: true }).fill('Un croissant');
    await dashboard().getByRole('button', { name: 'Save', exact: true }).click();
    await dashboard().getByText('Saved — every pass is being updated.').waitFor();
    const saved = await program();
    assert.deepEqual([saved.stampsRequired, saved.reward.name], [3, 'Un croissant']);
  });

  it('gives the pass a green background, saved for every pass', async () => {
    await nav('Pass design');
    await dashboard().getByLabel('Background', { exact: true }).fill('#1f6f43');
    await dashboard().getByRole('button', { name: 'Save', exact: true }).click();
    await dashboard().getByText('Saved — every pass is being updated.').waitFor();
    assert.equal((await program()).design.backgroundColor, '#1f6f43');
  });

  it('the figures start at zero', async () => {
    await nav('Figures');
    await kpi('members').waitFor();
    assert.equal(await kpi('members').textContent(), '0');
  });

  it('a customer joins on the demo page for this program, in a second page', async () => {
    await customer.goto(`${server.url}/demo/?program=${slug}`);
    const widget = customer.locator('fidelio-widget');
    await widget.getByLabel('Nom', { exact: true }).fill('Inès Durand');
    await widget.getByLabel('E-mail', { exact: true }).fill(`ines-${Date.now()}@example.com`);
    await widget.getByRole('checkbox', { name: /J'accepte les conditions/ }).check();
    await widget.getByRole('button', { name: "Je m'inscris" }).click();
    await widget.getByText('0 tampon sur 3').first().waitFor();
    const apple = await widget.getByRole('link', { name: /Apple Wallet/ }).getAttribute('href');
    serial = /([a-z2-7]{26})\.pkpass$/.exec(apple!)![1]!;
  });

  it('the counter scans the QR code from a screenshot of the card and finds the customer', async () => {
    const qr = customer.locator('fidelio-widget').getByRole('img', { name: 'QR code de votre carte de fidélité' });
    await qr.evaluate((img: HTMLImageElement) => img.decode());
    const shot = await qr.screenshot();
    await counter.evaluate(`window.fakeCamera = 'data:image/png;base64,${shot.toString('base64')}'`);
    // The staff's phone in front again (the customer's page was opened after it): a page in the
    // back may have its timers slowed, and the scanner reads the camera on a timer.
    await counter.bringToFront();
    await nav('Counter');
    await dashboard().getByRole('button', { name: 'Scan a card' }).click();
    await dashboard()
      .getByText('Inès Durand')
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(async (e: Error) => {
        // Not found: say what the counter showed instead (the scanner's state, an alert), so that a
        // failure in CI explains itself, with the image the camera was shown.
        const said = await dashboard().locator('[role="status"], [role="alert"]').allTextContents();
        const field = await dashboard()
          .getByLabel('Card number')
          .inputValue({ timeout: 1000 })
          .catch(() => '(no field)');
        mkdirSync('.data/screenshots', { recursive: true });
        writeFileSync('.data/screenshots/e2e-scanned-qr.png', shot);
        throw new Error(
          `${e.message}\nthe counter said: ${JSON.stringify(said)}, its card number field: ${field}; ` +
            'the image it was shown: .data/screenshots/e2e-scanned-qr.png',
        );
      });
    await dashboard().getByText('0 / 3').waitFor();
    assert.equal(await dashboard().getByLabel('Card number').inputValue(), serial);
  });

  it('stamps the card to its reward, then redeems it', async () => {
    const stamp = dashboard().getByRole('button', { name: '+1 stamp' });
    for (const n of [1, 2]) {
      await stamp.click();
      await dashboard().getByText(`${n} / 3`).waitFor();
    }
    await stamp.click();
    await dashboard().getByText('Reward earned!').waitFor();
    await dashboard().getByText('Rewards available: 1').waitFor();
    await dashboard().getByRole('button', { name: 'Redeem reward' }).click();
    await dashboard().getByText('Reward redeemed.').waitFor();
    const card = await counter.evaluate(async (s) => (await (await fetch(`/api/merchant/cards/${s}`)).json()).card, serial);
    assert.deepEqual([card.stamps, card.rewardsAvailable], [0, 0]);
    // The customer's Apple pass: the design saved earlier, signed.
    const pass = openPass(Buffer.from(await (await customer.request.get(`${server.url}/passes/apple/${serial}.pkpass`)).body()));
    assert.equal(pass.pass.backgroundColor, 'rgb(31, 111, 67)');
    // The customer's page shows the new state on its next read.
    await customer.reload();
    await customer.locator('fidelio-widget').getByText('0 tampon sur 3').first().waitFor();
  });

  it('the figures moved: one member, new this period, three visits, every reward earned redeemed; in French too', async () => {
    await nav('Figures');
    await dashboard().getByRole('button', { name: 'All time' }).click();
    await kpi('members').filter({ hasText: '1' }).waitFor();
    assert.equal(await kpi('newMembers').textContent(), '1');
    assert.equal(await kpi('activeMembers').textContent(), '1');
    assert.equal(await kpi('purchaseFrequency').textContent(), '3');
    assert.match((await kpi('redemptionRate').textContent())!, /^100\s?%$/);
    await dashboard().getByRole('button', { name: 'Français' }).click();
    await dashboard().locator('li[data-kpi="members"] h3 span').filter({ hasText: 'Membres' }).waitFor();
    assert.equal(await kpi('members').textContent(), '1');
    assert.match((await kpi('redemptionRate').textContent())!, /^100\s?%$/);
  });

  it('ran under the pages’ strict Content-Security-Policy with nothing refused', () => {
    assert.deepEqual(refusedByPolicy, []);
  });
});
