// Consent and marketing mail: the consent given at signup is recorded with its time (terms and
// marketing); a campaign reaches only the members who consent, each mail with the one-click way
// out (RFC 8058 headers, and the link in the text); GET /u/<token> only shows a button, the POST
// withdraws the consent (dated, idempotent) and no marketing mail follows; a token is the
// server's own (an HMAC under its secret): a forged, altered or foreign one is 404.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { customerOfUnsubscribeToken, unsubscribeToken } from '../../server/domain/unsubscribe.ts';
import { sendCampaign } from '../../server/services/mail.ts';
import { until } from '../support/child.ts';
import { TEST_DB } from '../support/db.ts';
import { type FakeSmtp, startFakeSmtp } from '../support/fake-smtp.ts';
import { Harness, type Merchant, PUBLIC_URL } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

const CAMPAIGN = { subject: 'Nouveau : le chocolat chaud est de retour', text: 'Dès lundi, tous les matins.\n\nÀ bientôt !' };

describe(`consent and marketing mail (${TEST_DB})`, () => {
  let smtp: FakeSmtp;
  let h: Harness;
  let m: Merchant;

  before(async () => {
    smtp = await startFakeSmtp();
    h = await Harness.start({ SMTP_URL: smtp.url, MAIL_FROM: 'Café Lune <loyalty@fidelio.test>' });
    m = await h.signUpMerchant('Café Lune');
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

  const deps = () => ({ config: h.config, db: h.db, apple: h.apple, google: h.google, outbox: { wake: () => h.mailWorker?.wake() } });
  const email = () => `member-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const mailRows = () => h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'mail'`);
  async function customer(address: string) {
    const { rows } = await h.db.query<{
      id: string;
      terms_accepted_at: Date;
      marketing_consent: boolean;
      marketing_consent_at: Date | null;
      marketing_withdrawn_at: Date | null;
    }>(`SELECT id, terms_accepted_at, marketing_consent, marketing_consent_at, marketing_withdrawn_at FROM customers WHERE email = $1`, [
      address,
    ]);
    return rows[0]!;
  }
  /** A member, with or without marketing consent, whose welcome mail is out of the way. */
  async function member(marketing: boolean, extra: Record<string, unknown> = {}) {
    const address = email();
    await h.join(m, { email: address, consent: { terms: true, marketing }, ...extra });
    await h.db.query(`DELETE FROM outbox WHERE channel = 'mail'`);
    return { address, ...(await customer(address)) };
  }

  test('the signup records the terms and the marketing consent with their time', async () => {
    const t0 = Date.now();
    const yes = await member(true);
    const no = await member(false);
    const t1 = Date.now();
    for (const c of [yes, no]) assert.ok(c.terms_accepted_at.getTime() >= t0 - 1000 && c.terms_accepted_at.getTime() <= t1 + 1000);
    assert.equal(yes.marketing_consent, true);
    assert.ok(
      yes.marketing_consent_at && yes.marketing_consent_at.getTime() >= t0 - 1000 && yes.marketing_consent_at.getTime() <= t1 + 1000,
    );
    assert.equal(no.marketing_consent, false);
    assert.equal(no.marketing_consent_at, null);
    for (const c of [yes, no]) assert.equal(c.marketing_withdrawn_at, null);
  });

  test('a campaign reaches only the members who consent, each mail with the one-click way out', async () => {
    const yes = await member(true, { name: 'Camille', locale: 'fr' });
    const no = await member(false);
    const { queued } = await sendCampaign(deps(), m.id, CAMPAIGN);
    assert.equal(queued, await h.count(`SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1 AND marketing_consent`, [m.id]));
    await h.startMailWorker();
    await smtp.waitFor(() => smtp.to(yes.address).length === 1, 5000, 'the marketing mail');
    await until(async () => (await mailRows()) === 0, 5000, 'every row done');
    await h.mailWorker!.idle();
    assert.equal(smtp.to(no.address).length, 0, 'nothing without consent');

    const mail = smtp.to(yes.address)[0]!;
    assert.deepEqual(mail.envelope.to, [yes.address]);
    const p = mail.parsed!;
    const url = `${PUBLIC_URL}/u/${unsubscribeToken(h.config.sessionSecret, yes.id)}`;
    assert.equal(p.subject, CAMPAIGN.subject);
    assert.match(p.messageId!, /^<marketing\.\d+@fidelio\.test>$/);
    // RFC 8058: an https (here the server's own) URI, and the one-click POST announced.
    // (mailparser folds the List-* headers into one object: read them as sent.)
    const head = mail.raw.slice(0, mail.raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
    assert.match(head, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    assert.ok(head.split(/\r?\n/).includes(`List-Unsubscribe: <${url}>`), head);
    assert.match(p.text!, /^Bonjour Camille,\n\nDès lundi, tous les matins\.\n\nÀ bientôt !/);
    assert.ok(p.text!.includes(`Se désabonner : ${url}`));
    assert.ok((p.html as string).includes(`href="${url}"`));
    assert.doesNotMatch(p.html as string, /<img|src=/i);
  });

  test('GET /u/<token> shows a button and changes nothing (a mail client may open it by itself)', async () => {
    const c = await member(true, { locale: 'en' });
    const token = unsubscribeToken(h.config.sessionSecret, c.id);
    for (let i = 0; i < 3; i++) {
      const res = await h.get(`/u/${token}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/html/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.match(res.text, /Stop the news from Café Lune\?/);
      assert.match(res.text, new RegExp(`<form method="post" action="${PUBLIC_URL}/u/${token}">`));
      assert.match(res.text, /<input type="hidden" name="List-Unsubscribe" value="One-Click">/);
      assert.doesNotMatch(res.text, /<script/);
    }
    const after = await customer(c.address);
    assert.equal(after.marketing_consent, true);
    assert.equal(after.marketing_withdrawn_at, null);
  });

  test('the one-click POST withdraws the consent, dated; again changes nothing; then no marketing mail', async () => {
    const c = await member(true, { locale: 'fr' });
    const token = unsubscribeToken(h.config.sessionSecret, c.id);
    // What a mail client sends (RFC 8058): a form body, no cookie, no Origin.
    const first = await h.call('POST', `/u/${token}`, {
      raw: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(first.status, 200);
    assert.match(first.text, /C’est fait : vous ne recevrez plus d’e-mails promotionnels de Café Lune/);
    const withdrawn = await customer(c.address);
    assert.equal(withdrawn.marketing_consent, false);
    assert.ok(withdrawn.marketing_withdrawn_at, 'dated');
    assert.deepEqual(withdrawn.marketing_consent_at, c.marketing_consent_at, 'when it was given stays on record');

    // A multipart body, or none at all (the page's button): the same, and the first date stays.
    const again = await h.call('POST', `/u/${token}`, {
      raw: '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    });
    assert.equal(again.status, 200);
    assert.equal((await h.call('POST', `/u/${token}`)).status, 200);
    assert.deepEqual((await customer(c.address)).marketing_withdrawn_at, withdrawn.marketing_withdrawn_at);
    // The page now says so, without a button.
    const page = await h.get(`/u/${token}`);
    assert.match(page.text, /Vous ne recevez pas d’e-mails promotionnels de Café Lune\./);
    assert.doesNotMatch(page.text, /<form/);

    await sendCampaign(deps(), m.id, CAMPAIGN);
    const rows = await h.count(
      `SELECT count(*)::int AS n FROM outbox o JOIN cards c ON c.id = o.card_id WHERE o.channel = 'mail' AND c.customer_id = $1`,
      [c.id],
    );
    assert.equal(rows, 0, 'no marketing mail queued for them');
  });

  test('withdrawn after the campaign was queued: the mail is not sent', async () => {
    const early = await member(true);
    const late = await member(true);
    const stays = await member(true);
    await sendCampaign(deps(), m.id, CAMPAIGN);
    // Through the link: the queued mail is dropped with the consent.
    assert.equal((await h.post(`/u/${unsubscribeToken(h.config.sessionSecret, early.id)}`)).status, 200);
    // Behind the link's back (another server's write, a race): the worker reads the consent itself.
    await h.db.query(`UPDATE customers SET marketing_consent = false, marketing_withdrawn_at = now() WHERE id = $1`, [late.id]);
    await h.startMailWorker();
    await smtp.waitFor(() => smtp.to(stays.address).length === 1, 5000, 'the mail of the member who stays');
    await until(async () => (await mailRows()) === 0, 5000, 'every row done');
    await h.mailWorker!.idle();
    assert.equal(smtp.to(early.address).length, 0);
    assert.equal(smtp.to(late.address).length, 0);
  });

  test('a token that is not the server’s own is 404: altered, made with another secret, random, malformed', async () => {
    const c = await member(true);
    const token = unsubscribeToken(h.config.sessionSecret, c.id);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const bad = [
      flip(token, 30), // the MAC
      flip(token, 3), // the customer
      unsubscribeToken('another-secret-another-secret-another', c.id),
      unsubscribeToken(h.config.sessionSecret, '00000000-0000-4000-8000-000000000000').replace(/^./, 'x'),
      'x'.repeat(43),
      token + 'A',
      token.slice(0, -1),
      'not-a-token',
      '%00',
    ];
    for (const t of bad) {
      assertProblem(await h.get(`/u/${t}`), 404, 'not_found');
      assertProblem(await h.post(`/u/${t}`), 404, 'not_found');
    }
    assert.equal((await customer(c.address)).marketing_consent, true, 'nothing withdrawn');
    // A real token of an erased member: 404 too.
    const gone = await member(true);
    const goneToken = unsubscribeToken(h.config.sessionSecret, gone.id);
    assert.equal((await h.call('DELETE', `/api/merchant/customers/${gone.id}`, { cookie: m.cookie })).status, 204);
    assertProblem(await h.post(`/u/${goneToken}`), 404, 'not_found');
  });

  test('tokens: one per member, under the server’s secret, read back exactly', () => {
    const id = '0b5f0c8e-1d4a-4c1e-9a39-0f6f4a1f2b3c';
    const token = unsubscribeToken('secret-one-secret-one-secret-one-xx', id);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(customerOfUnsubscribeToken('secret-one-secret-one-secret-one-xx', token), id);
    assert.equal(customerOfUnsubscribeToken('secret-two-secret-two-secret-two-xx', token), null);
    assert.notEqual(unsubscribeToken('secret-one-secret-one-secret-one-xx', '0b5f0c8e-1d4a-4c1e-9a39-0f6f4a1f2b3d'), token);
  });
});
