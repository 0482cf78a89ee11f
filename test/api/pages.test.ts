// The hosted pages: a program's join page (/j/:slug, where the poster's QR code leads) and a
// member's card page (/c/:serial). HTML, in production too, asking nothing of anyone else.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIMITS } from '../../server/services/rate-limit.ts';
import { type FakeSmtp, startFakeSmtp } from '../support/fake-smtp.ts';
import { Harness, type Merchant, PUBLIC_URL } from '../support/harness.ts';
import { midWindow } from '../support/rate-limit.ts';

let h: Harness;
let shop: Merchant;
before(async () => {
  h = await Harness.start();
  shop = await h.signUpMerchant('Café des Arts');
  await h.setProgram(shop, { locale: 'fr', signupBonus: 1, referral: { referrerReward: 2, refereeReward: 1 } });
});
after(() => h.close());

const referralCode = async (serial: string) =>
  (await h.db.query<{ referral_code: string }>('SELECT referral_code FROM cards WHERE serial = $1', [serial])).rows[0]!.referral_code;

/** The URLs a page would fetch or send the browser to, other than its own server's. */
const elsewhere = (page: string) =>
  [...page.matchAll(/(?:src|href|action)="([^"]+)"/g)]
    .map((m) => m[1]!)
    .filter((u) => /^(https?:)?\/\//.test(u) && !u.startsWith(PUBLIC_URL));

describe('GET /j/:slug', () => {
  it('is an HTML page of the offer in words and the join form, in the program’s language and colours', async () => {
    const res = await h.get(`/j/${shop.program.slug}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/html/);
    assert.match(res.text, /<html lang="fr">/);
    assert.match(res.text, /<p class="offer">10 tampons = a free coffee<\/p>/);
    assert.match(res.text, /\+ 1 tampon offert à l’inscription/);
    assert.match(res.text, new RegExp(`<fidelio-widget program="${shop.program.slug}" lang="fr">`));
    assert.match(res.text, /<script type="module" src="\/widget.js"><\/script>/);
    assert.match(res.text, /--bg:#3b2f2f/);
    assert.deepEqual(elsewhere(res.text), []);
    assert.match(res.headers.get('content-security-policy')!, /default-src 'self'/);
  });

  it('welcomes the friend a member invited (?ref=), with what both earn on the first visit', async () => {
    const inviter = await h.join(shop, { name: 'Camille  Martin' });
    const res = await h.get(`/j/${shop.program.slug}?ref=${await referralCode(inviter.serial)}`);
    assert.match(res.text, /<h2 id="invite">Camille vous invite<\/h2>/);
    assert.match(res.text, /À votre première visite, vous recevez 1 tampon et Camille reçoit 2 tampons\./);
    assert.doesNotMatch(res.text, /Martin/, 'the first name only');
  });

  it('says the launch-week bonus while it runs, by the services’ clock, with its last day in the program’s time zone', async () => {
    const launching = await h.signUpMerchant('Café du Lancement');
    // Ends at midnight in Paris on 11 March: the last day is the 10th (in Paris).
    const window = { from: '2027-03-01T00:00:00Z', to: '2027-03-10T23:00:00Z' };
    await h.setProgram(launching, {
      locale: 'fr',
      campaigns: { ...launching.program.campaigns, launchBonus: { enabled: true, amount: 2, ...window } },
    });
    const page = async (at: string) => {
      h.setNow(at);
      const res = await h.get(`/j/${launching.program.slug}`);
      assert.equal(res.status, 200);
      return res.text;
    };
    try {
      const sentence = 'Offre de lancement : 2 tampons en plus pour toute inscription jusqu’au 10 mars';
      assert.doesNotMatch(await page('2027-02-28T23:59:59Z'), /Offre de lancement/, 'not before it starts');
      assert.match(await page('2027-03-01T00:00:00Z'), new RegExp(`<p class="launch">\\s*${sentence}\\s*</p>`));
      assert.match(await page('2027-03-10T22:59:59Z'), new RegExp(sentence), 'its last second');
      assert.doesNotMatch(await page('2027-03-10T23:00:00Z'), /Offre de lancement/, 'not once it has ended');
      assert.doesNotMatch(await page('2027-03-10T23:00:01Z'), /Offre de lancement/, 'ended a second ago');

      // The same instant is already the 11th in Auckland (UTC+13).
      await h.setProgram(launching, { timezone: 'Pacific/Auckland' });
      assert.match(await page('2027-03-05T12:00:00Z'), /jusqu’au 11 mars/);
      // Off: nothing, even inside the window.
      await h.setProgram(launching, {
        campaigns: { ...launching.program.campaigns, launchBonus: { ...launching.program.campaigns.launchBonus, enabled: false } },
      });
      assert.doesNotMatch(await page('2027-03-05T12:00:00Z'), /Offre de lancement/);
    } finally {
      h.setNow(undefined);
    }
  });

  it('ignores a code that is nobody’s, and escapes one made of markup', async () => {
    const unknown = await h.get(`/j/${shop.program.slug}?ref=aaaaaaaaaa`);
    assert.equal(unknown.status, 200);
    assert.doesNotMatch(unknown.text, /vous invite/);
    const markup = await h.get(`/j/${shop.program.slug}?ref=${encodeURIComponent('"><script>alert(1)</script>')}`);
    assert.equal(markup.status, 200);
    assert.doesNotMatch(markup.text, /alert\(1\)/);
    assert.doesNotMatch(markup.text, /vous invite/);
  });

  it('escapes the merchant’s own texts', async () => {
    const other = await h.signUpMerchant('Bad <b>Shop</b>');
    await h.setProgram(other, { name: '<img src=x onerror=alert(1)>' });
    const res = await h.get(`/j/${other.program.slug}`);
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.text, /<img src=x/);
    assert.match(res.text, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(res.text, /Bad &lt;b&gt;Shop&lt;\/b&gt;/);
  });

  it('is a 404 page, not JSON, for a program that does not exist', async () => {
    for (const slug of ['no-such-program', 'UPPER', '..%2F..', 'x'.repeat(200)]) {
      const res = await h.get(`/j/${slug}`);
      assert.equal(res.status, 404, slug);
      assert.match(res.headers.get('content-type')!, /^text\/html/, slug);
      assert.match(res.text, /Il n’y a pas de programme de fidélité à cette adresse/);
    }
  });
});

describe('GET /c/:serial', () => {
  it('shows the card as on the pass: the stamps, the rewards ready, the QR code, the wallets, the visits', async () => {
    const card = await h.join(shop, { name: 'Léa Dubois', locale: 'fr' });
    await h.post(`/api/merchant/cards/${card.serial}/stamps`, { count: 11 }, { cookie: shop.cookie });
    const res = await h.get(`/c/${card.serial}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /<h2 id="card">Léa Dubois<\/h2>/);
    // The welcome stamp and 11: a reward earned, 2 carried over.
    assert.match(res.text, /2 tampons sur 10\. Plus que 8 avant votre récompense/);
    assert.match(res.text, /Une récompense à utiliser : A free coffee/);
    assert.equal((res.text.match(/<i class="on">/g) ?? []).length, 2);
    assert.match(res.text, /<svg[^>]*viewBox/, 'the QR code is drawn in the page');
    assert.match(res.text, new RegExp(`href="${PUBLIC_URL}/passes/apple/${card.serial}.pkpass"`));
    assert.match(res.text, new RegExp(`href="${PUBLIC_URL}/passes/google/${card.serial}"`));
    assert.match(res.text, /<li><span>\+11 tampons<\/span><time datetime="/);
    assert.match(res.text, new RegExp(`<fidelio-referral serial="${card.serial}" lang="fr">`));
    assert.match(res.text, /<fidelio-survey program="[^"]+" kind="nps"/);
  });

  it('is its holder’s alone: not indexed, never cached, no referrer, nothing from anyone else', async () => {
    const card = await h.join(shop);
    const res = await h.get(`/c/${card.serial}`);
    assert.match(res.text, /<meta name="robots" content="noindex, nofollow">/);
    assert.equal(res.headers.get('x-robots-tag'), 'noindex, nofollow');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.deepEqual(elsewhere(res.text), []);
  });

  it('shows a logo from elsewhere nowhere (it would be a request to someone else)', async () => {
    const other = await h.signUpMerchant('Logo Elsewhere');
    await h.setProgram(other, { design: { ...other.program.design, logoUrl: 'https://tracker.example/logo.png' } });
    const card = await h.join(other);
    const res = await h.get(`/c/${card.serial}`);
    assert.doesNotMatch(res.text, /tracker\.example/);
    assert.doesNotMatch((await h.get(`/j/${other.program.slug}`)).text, /tracker\.example/);
  });

  it('is a 404 page for a card that does not exist', async () => {
    for (const serial of ['aaaaaaaaaaaaaaaaaaaaaaaaaa', 'not-a-serial', '<script>']) {
      const res = await h.get(`/c/${encodeURIComponent(serial)}`);
      assert.equal(res.status, 404, serial);
      assert.match(res.text, /Il n’y a pas de carte de fidélité à cette adresse/);
    }
  });

  it('the public card answer links to it', async () => {
    const card = await h.join(shop);
    const res = await h.get(`/api/public/cards/${card.serial}`);
    assert.equal(res.body.links.page, `${PUBLIC_URL}/c/${card.serial}`);
    assert.deepEqual(res.body.wallets, { apple: true, google: true });
  });
});

describe('in production without wallets', () => {
  let prod: Harness;
  before(async () => {
    prod = await Harness.start({ NODE_ENV: 'production', DEMO: '0', PUBLIC_URL: 'https://fidelio.test' });
  });
  after(() => prod.close());

  it('the pages work, and neither the card page nor the card answer offers a wallet the server cannot issue', async () => {
    const m = await prod.signUpMerchant('Prod Café');
    assert.equal((await prod.get(`/j/${m.program.slug}`)).status, 200);
    const card = await prod.join(m);
    const page = await prod.get(`/c/${card.serial}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /Apple Wallet|Google Wallet|class="wallets"/);
    assert.deepEqual((await prod.get(`/api/public/cards/${card.serial}`)).body.wallets, { apple: false, google: false });
  });
});

describe('the join page’s "already a member?" (POST /j/:slug/recover)', () => {
  let mail: Harness;
  let smtp: FakeSmtp;
  let cafe: Merchant;
  before(async () => {
    smtp = await startFakeSmtp();
    mail = await Harness.start({ SMTP_URL: smtp.url, MAIL_FROM: 'Café <loyalty@fidelio.test>' });
    cafe = await mail.signUpMerchant('Café Retour');
    // The limits' hour stays one window for the whole block: its clock is held in the middle.
    mail.setNow(midWindow(LIMITS.recoverPerEmail.windowSeconds));
  });
  after(async () => {
    await mail.close();
    await smtp.close();
  });

  /** The form as a browser posts it: urlencoded, no JavaScript. */
  const ask = (email: string, slug = cafe.program.slug) =>
    mail.call('POST', `/j/${slug}/recover`, {
      raw: new URLSearchParams({ email }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  it('shows the form, which works without JavaScript: back to the page saying the card is on its way, member or not', async () => {
    const page = await mail.get(`/j/${cafe.program.slug}`);
    assert.match(page.text, /<section id="recover"/);
    assert.match(page.text, new RegExp(`<form method="post" action="/j/${cafe.program.slug}/recover">`));

    const member = await mail.join(cafe);
    const memberEmail = (
      await mail.db.query<{ email: string }>(
        'SELECT cu.email FROM cards c JOIN customers cu ON cu.id = c.customer_id WHERE c.serial = $1',
        [member.serial],
      )
    ).rows[0]!.email;
    const a = await ask(memberEmail);
    const b = await ask('stranger@example.com');
    for (const res of [a, b]) {
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `/j/${cafe.program.slug}?recover=sent#recover`);
    }
    const back = await mail.get(`/j/${cafe.program.slug}?recover=sent`);
    assert.match(back.text, /role="status">If this address is a member’s, the link to the card is on its way/);
  });

  it('says when the address is none, or when it was asked too often', async () => {
    const bad = await ask('not an address');
    assert.equal(bad.headers.get('location'), `/j/${cafe.program.slug}?recover=invalid#recover`);
    assert.match((await mail.get(`/j/${cafe.program.slug}?recover=invalid`)).text, /role="alert">Please enter an email address/);

    const address = `often-${Date.now()}@example.com`;
    const answers = [];
    for (let i = 0; i < LIMITS.recoverPerEmail.max + 2; i++) answers.push((await ask(address)).headers.get('location'));
    assert.equal(answers.filter((l) => l?.includes('recover=sent')).length, LIMITS.recoverPerEmail.max);
    assert.equal(answers.at(-1), `/j/${cafe.program.slug}?recover=limited#recover`);
  });

  it('is a 404 page for a program that does not exist, and ignores a status it does not know', async () => {
    const res = await ask('someone@example.com', 'no-such-cafe');
    assert.equal(res.status, 404);
    assert.match(res.text, /Il n’y a pas de programme/);
    const odd = await mail.get(`/j/${cafe.program.slug}?recover=<script>`);
    assert.equal(odd.status, 200);
    assert.doesNotMatch(odd.text, /class="notice/);
  });
});

describe('the join page without e-mail', () => {
  it('offers no form, and says to ask at the counter', async () => {
    const res = await h.get(`/j/${shop.program.slug}`);
    assert.match(res.text, /Cette boutique n’envoie pas d’e-mails : demandez en caisse/);
    assert.doesNotMatch(res.text, /action="\/j\/[^"]+\/recover"/);
  });
});
