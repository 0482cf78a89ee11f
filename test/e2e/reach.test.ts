// End to end, as a café with no website would run it: the owner downloads the in-store poster, a
// customer scans its QR code with a phone (the PNG decoded), opens the join page at phone size,
// joins, receives the welcome mail (a real SMTP server in process, the message parsed), opens the
// card page from it in a fresh browser, loses the card, and gets it back by e-mail. Once in
// production mode in French (no wallet configured: no wallet offered anywhere), once in
// development in English (the development wallets: both offered).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.ts';
import { openPostgresSchema, TEST_DB, type TestDb } from '../support/db.ts';
import { type FakeSmtp, startFakeSmtp } from '../support/fake-smtp.ts';
import { decodePng, readQr } from '../support/raster.ts';
import { killServers, type Server, startServer } from '../support/server-process.ts';

let browser: Browser;

before(async () => {
  // The pages load the built widget: build it from the sources under test.
  execFileSync('npx', ['vite', 'build', '--mode', 'widget', '--logLevel', 'warn'], { stdio: 'inherit' });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  killServers();
});

/** A phone: 390 × 844, touch, its own storage (a new phone is a new context). */
const phone = () => browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

/** The links of a mail's text part. */
const links = (text: string) => [...text.matchAll(/https?:\/\/[^\s<>")]+/g)].map((m) => m[0]);

const WORDS = {
  fr: {
    name: 'Nom',
    email: 'E-mail',
    terms: /J'accepte les conditions/,
    join: "Je m'inscris",
    welcome: /Bienvenue, Inès Durand ! Votre carte est prête\./,
    recover: 'Déjà inscrit ? Recevez votre carte par e-mail',
    send: 'Recevoir ma carte',
    sent: /Si cette adresse est celle d’un membre/,
    stamps: /1 tampon sur 10/,
    subject: /carte/i,
  },
  en: {
    name: 'Name',
    email: 'Email',
    terms: /I accept the loyalty program terms/,
    join: 'Join',
    welcome: /Welcome, Inès Durand! Your card is ready\./,
    recover: 'Already a member? Get your card by email',
    send: 'Send me my card',
    sent: /If this address is a member’s/,
    stamps: /1 of 10 stamps/,
    subject: /card/i,
  },
} as const;

for (const run of [
  { mode: 'production', lang: 'fr', wallets: false },
  { mode: 'development', lang: 'en', wallets: true },
] as const) {
  describe(`a café without a website, ${run.mode} mode, in ${run.lang === 'fr' ? 'French' : 'English'}`, () => {
    const w = WORDS[run.lang];
    let server: Server;
    let smtp: FakeSmtp;
    let dataDir: string;
    let pgSchema: TestDb | undefined;
    let owner = '';
    let slug = '';
    const email = `ines-${run.lang}-${Date.now()}@example.com`;
    let cardPage = '';

    before(async () => {
      smtp = await startFakeSmtp();
      dataDir = mkdtempSync(join(tmpdir(), 'fidelio-e2e-reach-'));
      const env: Record<string, string> = {
        NODE_ENV: run.mode,
        DEMO: '0',
        DATA_DIR: dataDir,
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Fidelio <cartes@fidelio.test>',
        SESSION_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123',
      };
      if (TEST_DB === 'postgres') {
        pgSchema = await openPostgresSchema();
        env.DATABASE_URL = pgSchema.url!;
      }
      server = await startServer(env, { host: 'localhost' });
      // The owner signs up and sets the program's language and welcome gift (the dashboard's job).
      const signup = await fetch(`${server.url}/api/merchant/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({
          businessName: 'Boulangerie Lumière',
          email: `owner-${Date.now()}@example.com`,
          password: 'owner-password-1',
        }),
      });
      assert.equal(signup.status, 201, await signup.clone().text());
      owner = /fidelio_session=[^;]+/.exec(signup.headers.get('set-cookie')!)![0];
      const { program } = (await signup.json()) as { program: Record<string, unknown> & { slug: string } };
      slug = program.slug;
      const put = await fetch(`${server.url}/api/merchant/program`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', cookie: owner, origin: server.url },
        body: JSON.stringify({ ...program, locale: run.lang, signupBonus: 1 }),
      });
      assert.equal(put.status, 200, await put.clone().text());
    });

    after(async () => {
      await smtp?.close();
      await pgSchema?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('the poster’s QR code, as a phone camera reads it, opens the join page', async () => {
      const res = await fetch(`${server.url}/api/merchant/poster?format=png&size=a4&lang=${run.lang}`, { headers: { cookie: owner } });
      assert.equal(res.status, 200);
      const url = readQr(decodePng(Buffer.from(await res.arrayBuffer())));
      assert.equal(url, `${server.url}/j/${slug}`);
    });

    it('a customer joins on the join page, at phone size, and gets the welcome mail', async () => {
      const context = await phone();
      const page = await context.newPage();
      const errors: Error[] = [];
      page.on('pageerror', (err) => errors.push(err));
      await page.goto(`${server.url}/j/${slug}`);
      await assert.doesNotReject(
        page.getByText(run.lang === 'fr' ? '10 tampons = a free coffee' : 'Collect 10 stamps: a free coffee').waitFor(),
      );
      const widget = page.locator('fidelio-widget');
      await widget.getByLabel(w.name, { exact: true }).fill('Inès Durand');
      await widget.getByLabel(w.email, { exact: true }).fill(email);
      await widget.getByRole('checkbox', { name: w.terms }).check();
      await widget.getByRole('button', { name: w.join }).click();
      await widget.getByText(w.welcome).waitFor();
      assert.equal(await widget.locator('fidelio-card [part=apple-wallet]').count(), run.wallets ? 1 : 0);
      assert.deepEqual(errors, []);
      await context.close();

      await smtp.waitFor(() => smtp.to(email).length === 1, 15_000, 'the welcome mail');
      const mail = smtp.to(email)[0]!.parsed!;
      assert.match(mail.subject ?? '', w.subject);
      const found = links(mail.text ?? '');
      cardPage = found.find((l) => l.startsWith(`${server.url}/c/`)) ?? '';
      assert.ok(cardPage, `the card page is linked: ${found.join(' ')}`);
      assert.equal(
        found.some((l) => l.includes('/passes/')),
        run.wallets,
        'wallet links only for the wallets this server issues',
      );
    });

    it('the mail’s link opens the card in a fresh browser', async () => {
      const context: BrowserContext = await phone();
      const page = await context.newPage();
      await page.goto(cardPage);
      await page.getByRole('heading', { name: 'Inès Durand' }).waitFor();
      await assert.doesNotReject(page.getByText(w.stamps).waitFor());
      assert.equal(await page.locator('.wallets a').count(), run.wallets ? 2 : 0);
      await context.close();
    });

    it('a customer who lost the card gets it back by e-mail', async () => {
      const context = await phone();
      const page = await context.newPage();
      await page.goto(`${server.url}/j/${slug}`);
      await page.locator('fidelio-widget').getByRole('link', { name: w.recover }).click();
      await page.waitForURL(/#recover$/);
      await page.locator('#recover').getByLabel(w.email, { exact: true }).fill(email);
      await page.locator('#recover').getByRole('button', { name: w.send }).click();
      await page.getByText(w.sent).waitFor();
      await context.close();

      await smtp.waitFor(() => smtp.to(email).length === 2, 15_000, 'the recovery mail');
      const mail = smtp.to(email)[1]!.parsed!;
      const back = links(mail.text ?? '').find((l) => l.startsWith(`${server.url}/c/`));
      assert.equal(back, cardPage, 'the same card');
      const again = await phone();
      const card = await again.newPage();
      await card.goto(back!);
      await card.getByRole('heading', { name: 'Inès Durand' }).waitFor();
      await again.close();
    });
  });
}
