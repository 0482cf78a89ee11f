// The welcome mail end to end: a signup queues it in its own transaction, the mail worker writes
// it from the card as it is then and sends it over SMTP to a real SMTP server in process, which
// parses what it got: one recipient, the subject and both parts in the member's language, the
// card's page and only the wallets this server issues, absolute links with the right serial;
// nothing remote in the HTML; a name or an address that tries to add a header adds nothing.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { TEST_DB } from '../support/db.ts';
import { type FakeSmtp, SMTP_USER, startFakeSmtp } from '../support/fake-smtp.ts';
import { Harness, type Merchant, PUBLIC_URL } from '../support/harness.ts';

const MAIL_FROM = 'Fidelio Test <loyalty@fidelio.test>';

/** The links of an HTML part, in order. */
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

describe(`the welcome mail (${TEST_DB})`, () => {
  let smtp: FakeSmtp;
  let h: Harness;
  let m: Merchant;

  before(async () => {
    smtp = await startFakeSmtp();
    h = await Harness.start({ SMTP_URL: smtp.url, MAIL_FROM });
    m = await h.signUpMerchant('Café Lune');
    await h.setProgram(m, { name: 'Carte Café Lune' });
  });
  after(async () => {
    await h?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    await h.db.query(`DELETE FROM outbox WHERE channel = 'mail'`);
  });
  afterEach(async () => {
    await h.mailWorker?.stop();
    h.mailWorker = undefined;
  });

  const mailRows = () => h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'mail'`);
  const email = () => `member-${Math.random().toString(36).slice(2, 10)}@example.com`;

  test('a signup queues one mail in its transaction; the worker sends it over SMTP: recipients, subject, both parts, links', async () => {
    const address = email();
    const card = await h.join(m, { name: 'Alex Martin', email: address, locale: 'en' });
    // Queued with the member, not sent by the request.
    assert.equal(await mailRows(), 1);
    assert.equal(smtp.to(address).length, 0);

    await h.startMailWorker();
    await smtp.waitFor(() => smtp.to(address).length === 1, 5000, 'the welcome mail');
    await h.mailWorker!.idle();
    assert.equal(await mailRows(), 0, 'the row is done');

    const [mail] = smtp.to(address);
    assert.equal(mail!.user, SMTP_USER, 'logged in with the credentials of SMTP_URL');
    assert.deepEqual(mail!.envelope, { from: 'loyalty@fidelio.test', to: [address] });
    const p = mail!.parsed!;
    assert.deepEqual(p.to && !Array.isArray(p.to) ? p.to.value : p.to, [{ address, name: 'Alex Martin' }]);
    assert.deepEqual(!Array.isArray(p.from) && p.from?.value, [{ address: 'loyalty@fidelio.test', name: 'Fidelio Test' }]);
    assert.equal(p.cc, undefined);
    assert.equal(p.bcc, undefined);
    assert.equal(p.subject, 'Café Lune: your loyalty card');
    assert.match(p.messageId!, /^<welcome\.\d+@fidelio\.test>$/);
    assert.equal(p.headers.get('content-language'), 'en');
    assert.equal(p.headers.get('auto-submitted'), 'auto-generated', 'no vacation reply to it');

    const page = `${PUBLIC_URL}/c/${card.serial}`;
    const apple = `${PUBLIC_URL}/passes/apple/${card.serial}.pkpass`;
    const google = `${PUBLIC_URL}/passes/google/${card.serial}`;
    const text = p.text!;
    assert.match(text, /^Hello Alex Martin,/);
    assert.match(text, /Welcome to “Carte Café Lune” at Café Lune!/);
    for (const link of [page, apple, google]) assert.ok(text.includes(link), `the text has ${link}`);
    assert.ok(p.html, 'an HTML part');
    const html = p.html as string;
    assert.deepEqual(hrefs(html), [page, apple, google]);
    assert.match(html, /<html lang="en">/);
    assert.match(html, /Alex Martin/);
    // Nothing fetched when the mail is opened: no image, no stylesheet, no script, no pixel.
    assert.doesNotMatch(html, /<img|<link|<script|url\(|src=/i);
    for (const link of [...hrefs(html), ...text.matchAll(/https?:\/\/\S+/g)].map(String)) {
      assert.ok(link.startsWith(`${PUBLIC_URL}/`), `${link} is absolute, on this server`);
    }
  });

  test('in French for a French member, and for a member without a language in a French program', async () => {
    const fr = email();
    await h.join(m, { name: 'Camille', email: fr, locale: 'fr' });
    // The program's language when the mail goes out is what counts for a member without one.
    await h.setProgram(m, { locale: 'fr' });
    const noLocale = email();
    await h.join(m, { name: 'Hugo', email: noLocale });
    await h.startMailWorker();
    await smtp.waitFor(() => smtp.to(fr).length === 1 && smtp.to(noLocale).length === 1, 5000, 'both mails');
    await h.setProgram(m, { locale: 'en' });
    for (const [address, name] of [
      [fr, 'Camille'],
      [noLocale, 'Hugo'],
    ] as const) {
      const p = smtp.to(address)[0]!.parsed!;
      assert.equal(p.subject, 'Café Lune : votre carte de fidélité');
      assert.match(p.text!, new RegExp(`^Bonjour ${name},`));
      assert.match(p.text!, /Bienvenue dans le programme « Carte Café Lune » de Café Lune !/);
      assert.match(p.html as string, /<html lang="fr">/);
      assert.equal(p.headers.get('content-language'), 'fr');
    }
  });

  test('offers only the wallets this server issues', async () => {
    const cases = [
      { wallets: { apple: false, google: false }, expect: [] as string[] },
      { wallets: { apple: true, google: false }, expect: ['apple'] },
      { wallets: { apple: false, google: true }, expect: ['google'] },
    ];
    for (const c of cases) {
      // No worker while the member joins: the one started below (with these wallets) sends the mail.
      await h.mailWorker?.stop();
      const address = email();
      const card = await h.join(m, { email: address, locale: 'en' });
      await h.startMailWorker({ wallets: c.wallets });
      await smtp.waitFor(() => smtp.to(address).length === 1, 5000, 'the mail');
      const p = smtp.to(address)[0]!.parsed!;
      const offered = hrefs(p.html as string);
      const expected = [
        `${PUBLIC_URL}/c/${card.serial}`,
        ...c.expect.map((w) =>
          w === 'apple' ? `${PUBLIC_URL}/passes/apple/${card.serial}.pkpass` : `${PUBLIC_URL}/passes/google/${card.serial}`,
        ),
      ];
      assert.deepEqual(offered, expected, JSON.stringify(c.wallets));
      assert.equal(/Apple Wallet/.test(p.text!), c.wallets.apple);
      assert.equal(/Google Wallet/.test(p.text!), c.wallets.google);
      assert.equal(/Add it to your phone/.test(p.text!), c.wallets.apple || c.wallets.google);
    }
  });

  test('is written when it goes out, from the member and program as they are then; an erased member gets none', async () => {
    const renamed = email();
    await h.join(m, { name: 'Old Name', email: renamed, locale: 'en' });
    const erased = email();
    await h.join(m, { email: erased });
    await h.db.query(`UPDATE customers SET name = 'New Name' WHERE email = $1`, [renamed]);
    await h.setProgram(m, { name: 'Club Lune' });
    const { rows } = await h.db.query<{ id: string }>(`SELECT id FROM customers WHERE email = $1`, [erased]);
    const del = await h.call('DELETE', `/api/merchant/customers/${rows[0]!.id}`, { cookie: m.cookie });
    assert.equal(del.status, 204);
    await h.startMailWorker();
    await smtp.waitFor(() => smtp.to(renamed).length === 1, 5000, 'the mail');
    await h.mailWorker!.idle();
    const p = smtp.to(renamed)[0]!.parsed!;
    assert.match(p.text!, /^Hello New Name,/);
    assert.match(p.text!, /“Club Lune”/);
    assert.equal(smtp.to(erased).length, 0, 'nothing to an erased member');
    assert.equal(await mailRows(), 0, 'and its row is dropped');
    await h.setProgram(m, { name: 'Carte Café Lune' });
  });

  test('never queued twice: the same address again is already_member and queues nothing', async () => {
    const address = email();
    await h.join(m, { email: address });
    const again = await h.post(`/api/public/programs/${m.program.slug}/signup`, {
      name: 'Again',
      email: address.toUpperCase(),
      consent: { terms: true },
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'already_member');
    assert.equal(await mailRows(), 1);
  });

  describe('header injection', () => {
    test('a name carrying "\\r\\nBcc:" adds no recipient and no header', async () => {
      const address = email();
      const name = 'Eve\r\nBcc: attacker@evil.test\r\nX-Injected: yes';
      const res = await h.post(`/api/public/programs/${m.program.slug}/signup`, {
        name,
        email: address,
        consent: { terms: true },
        locale: 'en',
      });
      // A name is free text: it is taken, and made harmless where it goes into a header.
      assert.equal(res.status, 201, JSON.stringify(res.body));
      await h.startMailWorker();
      await smtp.waitFor(() => smtp.to(address).length === 1, 5000, 'the mail');
      await h.mailWorker!.idle();
      assert.equal(smtp.to('attacker@evil.test').length, 0, 'no mail to the injected address');
      assert.deepEqual(smtp.refusedRecipients, [], 'no other recipient was even tried');
      for (const mail of smtp.to(address)) {
        assert.deepEqual(mail.envelope.to, [address], 'the envelope has the one recipient');
        const p = mail.parsed!;
        assert.equal(p.bcc, undefined);
        assert.equal(p.cc, undefined);
        assert.equal(p.headers.get('x-injected'), undefined);
        // The name stays a name: one line, inside the quoted display name of the one address.
        assert.deepEqual(!Array.isArray(p.to) && p.to!.value, [{ address, name: 'Eve Bcc: attacker@evil.test X-Injected: yes' }]);
        const head = mail.raw.slice(0, mail.raw.search(/\r?\n\r?\n/));
        assert.doesNotMatch(head, /^(bcc|x-injected):/im, 'no header line of the injection');
      }
    });

    test('an address carrying a header is refused at signup (400), and nothing is queued', async () => {
      const before = await mailRows();
      for (const bad of [
        'victim@example.com\r\nBcc: attacker@evil.test',
        'victim@example.com\nBcc:attacker@evil.test',
        'a@b.c, attacker@evil.test',
      ]) {
        const res = await h.post(`/api/public/programs/${m.program.slug}/signup`, { name: 'X', email: bad, consent: { terms: true } });
        assert.equal(res.status, 400, bad);
        assert.equal(res.body.code, 'validation_failed');
      }
      assert.equal(await mailRows(), before);
    });

    test("a merchant's name carrying a header stays in the subject", async () => {
      const evil = await h.signUpMerchant('Evil Shop');
      await h.db.query(`UPDATE merchants SET name = $2 WHERE id = $1`, [evil.id, 'Evil\r\nBcc: attacker@evil.test']);
      const address = email();
      await h.join(evil, { email: address, locale: 'en' });
      await h.startMailWorker();
      await smtp.waitFor(() => smtp.to(address).length === 1, 5000, 'the mail');
      const mail = smtp.to(address)[0]!;
      assert.deepEqual(mail.envelope.to, [address]);
      assert.equal(mail.parsed!.bcc, undefined);
      assert.equal(mail.parsed!.subject, 'Evil Bcc: attacker@evil.test: your loyalty card');
      assert.equal(smtp.to('attacker@evil.test').length, 0);
    });
  });
});

describe(`without SMTP_URL outside development (${TEST_DB})`, () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h?.close());

  test('e-mail is off: a signup queues no mail', async () => {
    assert.equal(h.config.mail, null);
    const m = await h.signUpMerchant();
    await h.join(m);
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'mail'`), 0);
  });
});
