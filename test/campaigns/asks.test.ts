// After-visit asks (issue 13): after a stamp or a purchase, a review or one survey question —
// at most once per member in 90 days (by the services' clock), not on the first visit when the
// owner says so; open until answered; by mail with consent (the link to the card page's #ask),
// on the back of the pass; in the public card answer and first on the card page.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { TEST_DB } from '../support/db.ts';
import { type FakeSmtp, startFakeSmtp } from '../support/fake-smtp.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { openPass } from '../support/pkpass.ts';

const DAY = 86_400_000;

describe(`after-visit asks (${TEST_DB})`, () => {
  let h: Harness;
  let smtp: FakeSmtp;

  before(async () => {
    smtp = await startFakeSmtp();
    h = await Harness.start({ SMTP_URL: smtp.url, MAIL_FROM: 'Café Lune <loyalty@fidelio.test>' });
  });
  after(async () => {
    await h?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    h.setNow(undefined);
    await h.db.query(`DELETE FROM outbox WHERE channel = 'mail'`);
  });

  async function merchant(asks: Record<string, unknown>): Promise<Merchant> {
    const m = await h.signUpMerchant('Café Lune');
    await h.setProgram(m, { campaigns: { ...m.program.campaigns, asks: { enabled: true, kind: 'csat', skipFirstVisit: true, ...asks } } });
    return m;
  }
  const stamp = async (m: Merchant, serial: string) => {
    const res = await h.call('POST', `/api/merchant/cards/${serial}/stamps`, { body: { count: 1 }, cookie: m.cookie });
    assert.equal(res.status, 200, res.text);
  };
  const asks = (serial: string) =>
    h.count(`SELECT count(*)::int AS n FROM campaign_effects e JOIN cards c ON c.id = e.card_id WHERE c.serial = $1 AND e.kind = 'ask'`, [
      serial,
    ]);
  const askOf = async (serial: string) => (await h.call('GET', `/api/public/cards/${serial}`)).body.ask;
  const askMails = () => h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'mail' AND target LIKE 'marketing:ask-%'`);
  const backField = async (serial: string, key: string) => {
    const res = await h.app.request(`/passes/apple/${serial}.pkpass`);
    assert.equal(res.status, 200);
    const p = openPass(new Uint8Array(await res.arrayBuffer())).pass;
    return (p.storeCard.backFields as { key: string; value: string }[]).find((f) => f.key === key);
  };

  test('not on the first visit when the owner says so; on the second; not again within 90 days; again after', async () => {
    const m = await merchant({ skipFirstVisit: true });
    const card = await h.join(m);
    await stamp(m, card.serial);
    assert.equal(await asks(card.serial), 0, 'the first visit');
    assert.equal(await askOf(card.serial), null);
    await stamp(m, card.serial);
    assert.equal(await asks(card.serial), 1);
    assert.deepEqual(await askOf(card.serial), { kind: 'csat' });
    h.setNow(new Date(Date.now() + 89 * DAY));
    await stamp(m, card.serial);
    assert.equal(await asks(card.serial), 1, '89 days later: not yet');
    h.setNow(new Date(Date.now() + 91 * DAY));
    await stamp(m, card.serial);
    assert.equal(await asks(card.serial), 2, '91 days later: asked again');
  });

  test('on the first visit when the owner does not skip it; a redemption is not a visit', async () => {
    const m = await merchant({ skipFirstVisit: false, kind: 'review' });
    const card = await h.join(m);
    await stamp(m, card.serial);
    assert.deepEqual(await askOf(card.serial), { kind: 'review' });

    const other = await h.join(m);
    // A reward to redeem: ten stamps on the first visit (the ask comes with it), then a redemption.
    await h.call('POST', `/api/merchant/cards/${other.serial}/stamps`, { body: { count: 10 }, cookie: m.cookie });
    await h.db.query(`DELETE FROM campaign_effects WHERE card_id = (SELECT id FROM cards WHERE serial = $1)`, [other.serial]);
    const redeemed = await h.call('POST', `/api/merchant/cards/${other.serial}/redemptions`, { body: {}, cookie: m.cookie });
    assert.equal(redeemed.status, 200, redeemed.text);
    assert.equal(await asks(other.serial), 0);
  });

  test('answering closes the ask: the public answer, the card page and the pass’s back', async () => {
    const m = await merchant({ skipFirstVisit: false, kind: 'nps' });
    const card = await h.join(m);
    await stamp(m, card.serial);
    const page = await h.call('GET', `/c/${card.serial}`);
    assert.match(page.text, /<section id="ask"[^>]*><fidelio-survey[^>]* kind="nps"/);
    const field = await backField(card.serial, 'ask');
    assert.equal(field?.value, `http://fidelio.test/c/${card.serial}#ask`);

    const answered = await h.call('POST', `/api/public/programs/${m.program.slug}/surveys`, {
      body: { kind: 'nps', score: 9, cardSerial: card.serial },
    });
    assert.equal(answered.status, 201, answered.text);
    assert.equal(await askOf(card.serial), null);
    assert.doesNotMatch((await h.call('GET', `/c/${card.serial}`)).text, /id="ask"/);
    assert.equal(await backField(card.serial, 'ask'), undefined);
  });

  test('the ask by mail only with marketing consent, with the link to the card page’s ask', async () => {
    const m = await merchant({ skipFirstVisit: false, kind: 'review' });
    const yes = `yes-${Date.now()}@example.com`;
    const a = await h.join(m, { name: 'Camille', email: yes, consent: { terms: true, marketing: true }, locale: 'fr' });
    const b = await h.join(m, { consent: { terms: true, marketing: false } });
    await h.db.query(`DELETE FROM outbox WHERE channel = 'mail'`);
    await stamp(m, a.serial);
    await stamp(m, b.serial);
    await stamp(m, a.serial); // a second visit the same day: no second ask, no second mail
    assert.equal(await askMails(), 1);
    await h.startMailWorker();
    await smtp.waitFor(() => smtp.to(yes).length === 1, 10_000, 'the ask');
    const mail = smtp.to(yes)[0]!.parsed!;
    assert.equal(mail.subject, 'Comment s’est passée votre visite chez Café Lune ?');
    assert.ok(
      mail.text?.includes(
        `Merci de votre visite, Camille ! Un mot sur Café Lune ? Une minute suffit :\nhttp://fidelio.test/c/${a.serial}#ask`,
      ),
      mail.text,
    );
    assert.ok((await backField(b.serial, 'ask'))?.value.endsWith('#ask'), 'without consent: the pass links to it');
  });

  test('asks off: nothing; an erased card takes its asks with it', async () => {
    const m = await h.signUpMerchant('Quiet Café');
    const card = await h.join(m);
    await stamp(m, card.serial);
    await stamp(m, card.serial);
    assert.equal(await asks(card.serial), 0);
    assert.equal(await askOf(card.serial), null);

    const asking = await merchant({ skipFirstVisit: false });
    const gone = await h.join(asking);
    await stamp(asking, gone.serial);
    assert.equal(await asks(gone.serial), 1, 'asked before the erasure');
    const { rows } = await h.db.query<{ id: string }>('SELECT customer_id AS id FROM cards WHERE serial = $1', [gone.serial]);
    assert.equal((await h.call('DELETE', `/api/merchant/customers/${rows[0]!.id}`, { cookie: asking.cookie })).status, 204);
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM campaign_effects WHERE card_id NOT IN (SELECT id FROM cards)`), 0);
  });
});
