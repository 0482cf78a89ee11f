// End to end, as a customer would: the demo café's page in Debian's Chromium (playwright-core),
// served by the real server (a child process) with the built widget. Join, see the card and its
// QR code, come back and see the card again, get a stamp at the counter, leave a review, open
// the invite link. The page is in French, like the demo café.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DEMO } from '../../demo/seed.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.ts';
import { openPostgresSchema, TEST_DB, type TestDb } from '../support/db.ts';
import { jwtVerify } from 'jose';
import { type FakeGoogle, makeServiceAccount, objectProblems, startFakeGoogle, TEST_ISSUER_ID } from '../support/fake-google.ts';
import { openPass, verifySignature } from '../support/pkpass.ts';
import { killServers, type Server, startServer } from '../support/server-process.ts';

let server: Server;
let browser: Browser;
let page: Page;
let dataDir: string | undefined;
let pgSchema: TestDb | undefined;
/** The local stand-in for Google's Wallet API and token endpoint the server talks to. */
let google: FakeGoogle;
const googleAccount = makeServiceAccount();

before(async () => {
  // The page loads the built bundle, so build it from the sources under test.
  execFileSync('npx', ['vite', 'build', '--mode', 'widget', '--logLevel', 'warn'], { stdio: 'inherit' });
  google = await startFakeGoogle(googleAccount);
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    DEMO: '1',
    GOOGLE_ISSUER_ID: TEST_ISSUER_ID,
    GOOGLE_SERVICE_ACCOUNT: googleAccount.text,
    GOOGLE_WALLET_API: google.api,
    GOOGLE_TOKEN_URL: google.tokenUrl,
  };
  // DATA_DIR holds the development Apple certificates (and PGlite's data when it is the database).
  dataDir = mkdtempSync(join(tmpdir(), 'fidelio-e2e-'));
  env.DATA_DIR = dataDir;
  if (TEST_DB === 'postgres') {
    pgSchema = await openPostgresSchema();
    env.DATABASE_URL = pgSchema.url!;
  }
  // `localhost`: the page's origin, which development mode lets call the public API.
  server = await startServer(env, { host: 'localhost' });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  page.on('pageerror', (err) => console.error('[page error]', err));
});

after(async () => {
  await browser?.close();
  killServers();
  await pgSchema?.close();
  await google?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The merchant API as the counter would call it: the demo owner's session. */
async function merchant(method: string, path: string, body?: unknown): Promise<any> {
  const login = await fetch(`${server.url}/api/merchant/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO.email, password: DEMO.password }),
  });
  assert.equal(login.status, 200);
  const cookie = /fidelio_session=[^;]+/.exec(login.headers.get('set-cookie')!)![0];
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { cookie, origin: server.url, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
  return res.json();
}

describe('the demo café, in a real browser', () => {
  const widget = () => page.locator('fidelio-widget');
  const email = `e2e-${Date.now()}@example.com`;
  let serial: string;

  it('shows the join form on the demo page', async () => {
    await page.goto(`${server.url}/demo/`);
    await widget().getByRole('button', { name: "Je m'inscris" }).waitFor();
    assert.equal(await page.title(), 'Café Lune — torréfacteur de quartier');
  });

  it('joins and shows the card with the welcome stamp, the QR code and the wallet buttons', async () => {
    await widget().getByLabel('Nom', { exact: true }).fill('Inès Durand');
    await widget().getByLabel('E-mail', { exact: true }).fill(email);
    await widget()
      .getByRole('checkbox', { name: /J'accepte les conditions/ })
      .check();
    await widget().getByRole('button', { name: "Je m'inscris" }).click();
    await widget().getByText('Bienvenue, Inès Durand ! Votre carte est prête.').waitFor();
    await widget().getByText('1 tampon sur 10').first().waitFor();
    const qr = widget().getByRole('img', { name: 'QR code de votre carte de fidélité' });
    await qr.waitFor();
    assert.ok((await qr.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))) > 0, 'the QR code image loaded');
    const apple = await widget()
      .getByRole('link', { name: /Apple Wallet/ })
      .getAttribute('href');
    assert.match(apple!, /\/passes\/apple\/[a-z2-7]{26}\.pkpass$/);
    serial = /([a-z2-7]{26})\.pkpass$/.exec(apple!)![1]!;
    assert.equal(await page.evaluate((key) => Object.values(localStorage).includes(key), serial), true, 'the serial is remembered');
  });

  it('"Add to Apple Wallet" gives a pass signed with the development certificate (openssl verifies it)', async () => {
    const href = await widget()
      .getByRole('link', { name: /Apple Wallet/ })
      .getAttribute('href');
    const res = await page.request.get(href!);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/vnd.apple.pkpass');
    const pass = openPass(await res.body());
    assert.equal(pass.pass.serialNumber, serial);
    assert.equal(pass.pass.organizationName, DEMO.businessName);
    const root = readFileSync(join(dataDir!, 'apple', 'root.pem'), 'utf8');
    const verified = verifySignature(pass.files, root);
    assert.equal(verified.code, 0, verified.stderr);
  });

  it('"Add to Google Wallet" goes to Google with a signed JWT naming a valid loyalty object; a stamp PATCHes it', async () => {
    const href = await widget()
      .getByRole('link', { name: /Google Wallet/ })
      .getAttribute('href');
    assert.equal(href, `${server.url}/passes/google/${serial}`);
    const res = await fetch(href!, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const location = res.headers.get('location')!;
    assert.ok(location.startsWith('https://pay.google.com/gp/v/save/'), location);
    const { payload } = await jwtVerify(location.slice('https://pay.google.com/gp/v/save/'.length), googleAccount.publicKey, {
      audience: 'google',
      issuer: googleAccount.email,
    });
    assert.equal(payload.typ, 'savetowallet');
    const id = `${TEST_ISSUER_ID}.${serial}`;
    assert.deepEqual((payload.payload as any).loyaltyObjects, [{ id, classId: (payload.payload as any).loyaltyObjects[0].classId }]);
    const object = google.objects.get(id);
    assert.deepEqual(objectProblems(object), []);
    assert.deepEqual(objectProblems(google.classes.get(object.classId)), []);
    assert.equal(object.accountName, 'Inès Durand');
    assert.equal(object.barcode.value, serial);
    assert.equal(google.classes.get(object.classId).issuerName, DEMO.businessName);
    const before = object.loyaltyPoints.balance.string as string;

    await merchant('POST', `/api/merchant/cards/${serial}/stamps`, { count: 1 });
    await google.waitFor(() => google.to('PATCH', `/loyaltyObject/${id}`).some((r) => r.status === 200), 10_000, 'the PATCH');
    const [patch] = google.to('PATCH', `/loyaltyObject/${id}`);
    const after = `${Number(before.split('/')[0]) + 1}/10`;
    assert.equal(patch!.body.loyaltyPoints.balance.string, after);
    assert.equal(google.objects.get(id).loyaltyPoints.balance.string, after);
  });

  it('shows the card again after a reload, and the stamp the counter adds', async () => {
    await merchant('POST', `/api/merchant/cards/${serial}/stamps`, { count: 1 });
    await page.reload();
    // The welcome stamp, the Google test's and this one.
    await widget().getByText('3 tampons sur 10').first().waitFor();
    assert.equal(await widget().getByRole('button', { name: "Je m'inscris" }).count(), 0, 'no join form for a member');
  });

  it('leaves a review, which waits for the merchant, and offers the Google link', async () => {
    await widget().getByRole('tab', { name: 'Avis' }).click();
    await widget().getByRole('radio', { name: '4 étoiles' }).check();
    await widget().getByLabel('Votre avis').fill('Très bon café, <b>accueil</b> adorable ☕');
    await widget().getByRole('button', { name: 'Envoyer' }).click();
    await widget().getByText('Merci ! Votre avis apparaîtra une fois validé.').waitFor();
    await widget().getByRole('link', { name: 'Donner un avis sur Google' }).waitFor();
    const { reviews } = await merchant('GET', '/api/merchant/reviews?status=pending');
    const mine = reviews.find((r: any) => r.text === 'Très bon café, <b>accueil</b> adorable ☕');
    assert.ok(mine, 'the review is stored as text, pending');
    assert.equal(mine.rating, 4);
  });

  it('gives the member a personal invite link', async () => {
    await widget().getByRole('tab', { name: 'Parrainer' }).click();
    const link = widget().getByLabel('Votre lien personnel');
    await link.waitFor();
    assert.match(await link.inputValue(), /[?&]ref=[a-z2-7]{10}$/);
  });
});
