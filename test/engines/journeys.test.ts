// The customer journeys of test/e2e (demo.test.ts, reach.test.ts), in the engines beyond
// Chromium: WebKit 2.50 (Safari's engine, as on every iPhone), the WPE WebKit 2.38 of Safari
// 16.0 (the oldest Safari we build for: README, "Browser support") and Firefox ESR. On the demo
// café's page at phone size: join, see the card with its QR code and wallet buttons, reload,
// leave a review, get the invite link; then, on a fresh phone, the hosted join page's "already a
// member" link, the recovery mail (a real SMTP server in process) and the card page it opens.
// A screenshot per step and engine is kept in .data/screenshots/engines/ for a person to look at.
//
// The browser is what is under test, not the database: the server runs on PGlite, and
// test/run.mjs runs this file once (not again under TEST_DB=postgres). ENGINES=webkit,firefox
// runs a subset.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type EngineBrowser, JOURNEY_ENGINES, type JourneyEngine, launchEngine, type Tab } from '../support/drive.ts';
import { type FakeSmtp, startFakeSmtp } from '../support/fake-smtp.ts';
import { killServers, type Server, startServer } from '../support/server-process.ts';

const SHOTS = '.data/screenshots/engines';
const engines = (process.env.ENGINES ?? JOURNEY_ENGINES.join(','))
  .split(',')
  .map((e) => e.trim())
  .filter(Boolean) as JourneyEngine[];
for (const e of engines) assert.ok(JOURNEY_ENGINES.includes(e), `ENGINES: unknown engine "${e}" (${JOURNEY_ENGINES.join(', ')})`);

let server: Server;
let smtp: FakeSmtp;
let dataDir: string;

before(async () => {
  // The pages load the built widget: build it from the sources under test.
  execFileSync('npx', ['vite', 'build', '--mode', 'widget', '--logLevel', 'warn'], { stdio: 'inherit' });
  smtp = await startFakeSmtp();
  dataDir = mkdtempSync(join(tmpdir(), 'fidelio-engines-'));
  // `localhost`: the page's origin, which development mode lets call the public API.
  server = await startServer({ NODE_ENV: 'development', DEMO: '1', DATA_DIR: dataDir, SMTP_URL: smtp.url }, { host: 'localhost' });
});

after(async () => {
  killServers();
  await smtp?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const links = (text: string) => [...text.matchAll(/https?:\/\/[^\s<>")]+/g)].map((m) => m[0]);

for (const engine of engines) {
  describe(`the customer journeys in ${engine}`, () => {
    let browser: EngineBrowser;
    let page: Tab;
    /** The tab in front: the first phone's, then the fresh phone's. */
    let front: Tab | undefined;
    const email = `ines-${engine.replace(/\W/g, '')}-${Date.now()}@example.com`;
    const shot = (name: string) => page.screenshot(join(SHOTS, `${engine}-${name}.png`));
    const waitText = async (text: string) => {
      await page.waitFor({ css: 'body', text }, `"${text}"`);
    };

    before(async () => {
      browser = await launchEngine(engine);
      page = front = await browser.open(390, 844);
    });
    after(() => browser?.close());

    /** A test whose failure also says what the page showed (its address and text) and keeps a screenshot of it. */
    const step = (name: string, body: () => Promise<void>) =>
      it(name, async () => {
        try {
          await body();
        } catch (e) {
          if (!front || !(e instanceof Error)) throw e;
          const file = join(SHOTS, `${engine}-failed.png`);
          let seen: string;
          try {
            seen = await front.run<string>(`return location.href + ' shows: ' + norm(deepText(document.body)).slice(0, 600);`);
            await front.screenshot(file);
            seen += ` (screenshot: ${file})`;
          } catch (why) {
            seen = `(the page could not be read: ${String(why).split('\n')[0]})`;
          }
          e.message += `\n  ${seen}`;
          throw e;
        }
      });

    step('joins on the demo café’s page and sees the card, its QR code and the wallet buttons', async () => {
      await page.goto(`${server.url}/demo/`);
      await page.waitFor({ css: 'button[type=submit]', text: "Je m'inscris" });
      await shot('1-join-form');
      await page.type({ label: 'Nom' }, 'Inès Durand');
      await page.type({ label: 'E-mail' }, email);
      await page.click({ css: 'input[name=terms]' });
      await page.click({ css: 'button[type=submit]', text: "Je m'inscris" });
      await page.waitFor({ css: '.welcome', text: 'Bienvenue, Inès Durand ! Votre carte est prête.' });
      assert.match(await page.text(), /1 tampon sur 10/);
      const qrWidth = await page.run<number>(
        `const img = find({ css: 'img[part=qr]' }); return img.decode().then(() => img.naturalWidth);`,
      );
      assert.ok(qrWidth > 0, 'the QR code image loaded');
      const apple = await page.run<string>(`return find({ css: 'a[part=apple-wallet]' }).href;`);
      assert.match(apple, /\/passes\/apple\/[a-z2-7]{26}\.pkpass$/);
      const google = await page.run<string>(`return find({ css: 'a[part=google-wallet]' }).href;`);
      assert.match(google, /\/passes\/google\/[a-z2-7]{26}$/);
      await shot('2-card');
    });

    step('shows the card again after a reload, without the join form', async () => {
      await page.goto(`${server.url}/demo/`);
      await page.waitFor({ css: '[part=card]', text: '1 tampon sur 10' });
      assert.doesNotMatch(await page.text(), /Je m'inscris/);
    });

    step('leaves a four-star review and sees the thanks', async () => {
      await page.click({ css: '[role=tab]', text: 'Avis' });
      await page.click({ css: 'label', text: '4 étoiles' });
      await page.type({ label: 'Votre avis (facultatif)' }, 'Très bon café, accueil adorable ☕');
      await page.click({ css: 'button[type=submit]', text: 'Envoyer' });
      await waitText('Merci ! Votre avis apparaîtra une fois validé.');
      await shot('3-review');
    });

    step('gives the member a personal invite link', async () => {
      await page.click({ css: '[role=tab]', text: 'Parrainer' });
      await page.waitFor({ label: 'Votre lien personnel' });
      const link = await page.run<string>(`return find({ label: 'Votre lien personnel' }).value;`);
      assert.match(link, /[?&]ref=[a-z2-7]{10}$/);
      await shot('4-invite');
    });

    step('on a fresh phone, gets the card back by e-mail from the join page and opens the card page', async () => {
      await page.close();
      const phone = (front = await browser.open(390, 844));
      await phone.goto(`${server.url}/j/cafe-lune`);
      await phone.click({ css: 'a', text: 'Déjà inscrit ? Recevez votre carte par e-mail' });
      await phone.type({ css: '#recover-email' }, email);
      await phone.click({ css: '#recover button[type=submit]' });
      await phone.waitFor({ css: '#recover [role=status]' });
      await phone.screenshot(join(SHOTS, `${engine}-5-recover.png`));

      await smtp
        .waitFor(() => smtp.to(email).length === 2, 15_000, 'the welcome and recovery mails')
        .catch((e: Error) => {
          const subjects = smtp.to(email).map((m) => m.parsed?.subject);
          throw new Error(`${e.message}; ${email} received ${JSON.stringify(subjects)}`);
        });
      const cardPage = links(smtp.to(email)[1]!.parsed!.text ?? '').find((l) => l.startsWith(`${server.url}/c/`));
      assert.ok(cardPage, 'the recovery mail links the card page');
      await phone.goto(cardPage);
      await phone.waitFor({ css: 'h2', text: 'Inès Durand' });
      assert.match(await phone.text(), /1 tampon sur 10/);
      await phone.screenshot(join(SHOTS, `${engine}-6-card-page.png`));
    });
  });
}
