// A person's data (issue 14): the export of everything held, the consent log, and an erasure that
// leaves nobody behind (reviews, the Google Wallet object, idempotent answers, devices, webhooks);
// and the delivery log of a card's passes (APNs and Google answers, the phone's fetch).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OutboxWorker } from '../../server/outbox/worker.ts';
import { ApnsClient } from '../../server/wallets/apple/apns.ts';
import { PushWorker } from '../../server/wallets/apple/channel.ts';
import { GoogleChannel } from '../../server/wallets/google/channel.ts';
import { type FakeApns, makeTlsFixture, startFakeApns, TEST_PASS_TYPE_ID, type TlsFixture } from '../support/fake-apns.ts';
import { type FakeGoogle, makeServiceAccount, startFakeGoogle, TEST_ISSUER_ID } from '../support/fake-google.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

const account = makeServiceAccount();
let google: FakeGoogle;
let apns: FakeApns;
let tls: TlsFixture;
let dir: string;
let h: Harness;
let m: Merchant;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fidelio-pd-'));
  tls = makeTlsFixture(dir);
  apns = await startFakeApns({
    caPem: tls.caPem,
    serverCertPem: tls.serverCertPem,
    serverKeyPem: tls.serverKeyPem,
    requireClientCa: tls.caPem,
  });
  google = await startFakeGoogle(account);
  h = await Harness.start(
    {
      GOOGLE_ISSUER_ID: TEST_ISSUER_ID,
      GOOGLE_SERVICE_ACCOUNT: account.text,
      GOOGLE_WALLET_API: google.api,
      GOOGLE_TOKEN_URL: google.tokenUrl,
      APPLE_PASS_TYPE_ID: TEST_PASS_TYPE_ID,
    },
    { requestTimeoutMs: 1000 },
  );
  m = await h.signUpMerchant('Data Café');
  h.worker = new PushWorker(
    h.db,
    new ApnsClient({ host: apns.url, topic: TEST_PASS_TYPE_ID, certPem: tls.clientCertPem, keyPem: tls.clientKeyPem, ca: tls.caPem }),
    { pollMs: 50 },
  );
  h.worker.start();
  h.googleWorker = new OutboxWorker(h.db, new GoogleChannel(h.db, h.google!, h.google!.api!), { pollMs: 50 });
  h.googleWorker.start();
});
after(async () => {
  await h.close();
  await google.close();
  await apns.close();
  rmSync(dir, { recursive: true, force: true });
});

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** A member with the pass on an iPhone (registered for pushes) and saved to Google Wallet. */
async function memberWithPasses(name = 'Mrs Martin', extra: Record<string, unknown> = {}) {
  const card = await h.join(m, { name, consent: { terms: true, marketing: true }, ...extra });
  const { rows } = await h.db.query<{ auth_token: string; customer_id: string }>(
    'SELECT auth_token, customer_id FROM cards WHERE serial = $1',
    [card.serial],
  );
  const token = randomBytes(32).toString('hex');
  const device = randomBytes(16).toString('hex');
  const reg = await h.post(
    `/apple/v1/devices/${device}/registrations/${TEST_PASS_TYPE_ID}/${card.serial}`,
    { pushToken: token },
    {
      headers: { authorization: `ApplePass ${rows[0]!.auth_token}` },
    },
  );
  assert.equal(reg.status, 201);
  assert.equal((await h.get(`/passes/google/${card.serial}`)).status, 302);
  return {
    serial: card.serial as string,
    authToken: rows[0]!.auth_token,
    customerId: rows[0]!.customer_id,
    pushToken: token,
    objectId: `${TEST_ISSUER_ID}.${card.serial}`,
  };
}

describe('the delivery log of a card', () => {
  it('shows, per phone and channel, the update queued, sent, answered, and when the iPhone then fetched the pass', async () => {
    const c = await memberWithPasses();
    const stamped = await h.post(`/api/merchant/cards/${c.serial}/stamps`, {}, { cookie: m.cookie });
    assert.equal(stamped.status, 200);
    await until('both sent', async () => {
      const log = (await h.get(`/api/merchant/cards/${c.serial}/deliveries`, { cookie: m.cookie })).body.deliveries;
      return log.filter((d: any) => d.status === 'sent').length === 2;
    });
    let log = (await h.get(`/api/merchant/cards/${c.serial}/deliveries`, { cookie: m.cookie })).body.deliveries;
    const apple = log.find((d: any) => d.channel === 'apns');
    const googleRow = log.find((d: any) => d.channel === 'google');
    assert.match(apple.answer, /^200/);
    assert.equal(apple.target, `${c.pushToken.slice(0, 8)}…`, 'a token is shown by its first characters');
    assert.equal(apple.fetchedAt, null);
    assert.ok(Date.parse(apple.queuedAt) <= Date.parse(apple.sentAt));
    assert.equal(googleRow.target, c.serial);
    // The phone fetches the new pass (PassKit web service): the log says when.
    const pass = await h.get(`/apple/v1/passes/${TEST_PASS_TYPE_ID}/${c.serial}`, {
      headers: { authorization: `ApplePass ${c.authToken}` },
    });
    assert.equal(pass.status, 200);
    log = (await h.get(`/api/merchant/cards/${c.serial}/deliveries`, { cookie: m.cookie })).body.deliveries;
    assert.ok(log.find((d: any) => d.channel === 'apns').fetchedAt);
    // A dead token: APNs says 410 Unregistered; the log says gone.
    apns.respond(c.pushToken, { status: 410, reason: 'Unregistered' });
    await h.post(`/api/merchant/cards/${c.serial}/stamps`, {}, { cookie: m.cookie });
    await until('gone', async () => {
      const l = (await h.get(`/api/merchant/cards/${c.serial}/deliveries`, { cookie: m.cookie })).body.deliveries;
      return l.some((d: any) => d.status === 'gone');
    });
    // Staff see it; a till's key and another merchant do not.
    const staff = await h.addStaff(m);
    assert.equal((await h.get(`/api/merchant/cards/${c.serial}/deliveries`, { cookie: staff.cookie })).status, 200);
    const key = await h.apiKey(m);
    assertProblem(
      await h.get(`/api/merchant/cards/${c.serial}/deliveries`, { headers: { authorization: `Bearer ${key}` } }),
      403,
      'forbidden',
    );
    const other = await h.signUpMerchant('Other data');
    assertProblem(await h.get(`/api/merchant/cards/${c.serial}/deliveries`, { cookie: other.cookie }), 404, 'not_found');
  });

  it('is kept 30 days: the daily job drops older entries', async () => {
    const c = await memberWithPasses('Old Log');
    await h.post(`/api/merchant/cards/${c.serial}/stamps`, {}, { cookie: m.cookie });
    // Both channels (APNs and Google) must have answered before their rows are aged, or the one still
    // in flight is written after the UPDATE with today's date.
    await until('both logged', async () => {
      const log = (await h.get(`/api/merchant/cards/${c.serial}/deliveries`, { cookie: m.cookie })).body.deliveries;
      return log.filter((d: any) => d.sentAt).length === 2;
    });
    await h.db.query(
      `UPDATE pass_deliveries SET sent_at = now() - interval '31 days' WHERE card_id = (SELECT id FROM cards WHERE serial = $1)`,
      [c.serial],
    );
    const { pruneOldLogs } = await import('../../server/services/deliveries.ts');
    assert.ok((await pruneOldLogs(h.deps)) >= 2);
    assert.deepEqual((await h.get(`/api/merchant/cards/${c.serial}/deliveries`, { cookie: m.cookie })).body.deliveries, []);
  });
});

describe('a person’s data', () => {
  it('exports everything held about the person, consent log with times included; another merchant’s customer is 404', async () => {
    const c = await memberWithPasses('Export Me', { phone: '+33 6 00 00 00 00', birthday: '1990-05-04' });
    await h.post(`/api/merchant/cards/${c.serial}/stamps`, { count: 2 }, { cookie: m.cookie });
    await h.post(`/api/public/programs/${m.program.slug}/reviews`, { rating: 4, text: 'Good', name: 'E.M.', cardSerial: c.serial });
    const res = await h.get(`/api/merchant/customers/${c.customerId}/export`, { cookie: m.cookie });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-disposition')!, new RegExp(`customer-${c.customerId}\\.json`));
    const d = res.body;
    assert.equal(d.customer.name, 'Export Me');
    assert.equal(d.customer.birthday, '1990-05-04');
    assert.equal(d.card.serial, c.serial);
    assert.deepEqual(
      d.ledger.map((e: any) => e.kind),
      ['stamp'],
    );
    assert.equal(d.reviews[0].text, 'Good');
    assert.deepEqual(d.devices, { apple: 1, google: true });
    assert.deepEqual(
      d.consent.map((e: any) => [e.kind, e.action, e.by, e.source]),
      [
        ['terms', 'given', 'customer', 'signup'],
        ['marketing', 'given', 'customer', 'signup'],
      ],
    );
    assert.ok(d.consent.every((e: any) => !Number.isNaN(Date.parse(e.at))));
    const consent = await h.get(`/api/merchant/customers/${c.customerId}/consent`, { cookie: m.cookie });
    assert.deepEqual(consent.body.consent, d.consent);
    const other = await h.signUpMerchant('Not yours');
    assertProblem(await h.get(`/api/merchant/customers/${c.customerId}/export`, { cookie: other.cookie }), 404, 'not_found');
    assertProblem(await h.get(`/api/merchant/customers/${c.customerId}/consent`, { cookie: other.cookie }), 404, 'not_found');
    assertProblem(await h.get('/api/merchant/customers/not-a-uuid/export', { cookie: m.cookie }), 404, 'not_found');
    const staff = await h.addStaff(m);
    assertProblem(await h.get(`/api/merchant/customers/${c.customerId}/export`, { cookie: staff.cookie }), 403, 'forbidden');
  });

  it('an unsubscribe is logged as the customer withdrawing marketing consent', async () => {
    const c = await memberWithPasses('Unsub');
    const { unsubscribeToken } = await import('../../server/domain/unsubscribe.ts');
    const token = unsubscribeToken(h.config.sessionSecret, c.customerId);
    const res = await h.post(`/u/${token}`, undefined);
    assert.ok(res.status < 400, `${res.status}`);
    const log = (await h.get(`/api/merchant/customers/${c.customerId}/consent`, { cookie: m.cookie })).body.consent;
    assert.deepEqual(log.at(-1).action, 'withdrawn');
    assert.deepEqual([log.at(-1).kind, log.at(-1).source], ['marketing', 'unsubscribe']);
  });

  it('erasure leaves nobody behind: reviews anonymised, the Google object expired and emptied, replayed answers without her, devices and webhooks gone; twice is 404', async () => {
    const c = await memberWithPasses('Mrs Erase');
    const stamp = () =>
      h.post(`/api/merchant/cards/${c.serial}/stamps`, {}, { cookie: m.cookie, headers: { 'idempotency-key': `erase-${c.serial}` } });
    const first = await stamp();
    assert.equal(first.status, 200);
    assert.ok(first.text.includes('Mrs Erase'), 'the stored answer shows her name');
    await h.post(`/api/public/programs/${m.program.slug}/reviews`, {
      rating: 5,
      text: 'I am Mrs Erase, call me on 0612',
      name: 'Mrs Erase',
      cardSerial: c.serial,
    });
    await h.db.query(
      `INSERT INTO webhooks (merchant_id, url, events, secret) VALUES ($1, 'http://127.0.0.1:9/none', '{card.stamped}', 'whsec_x')`,
      [m.id],
    );
    await h.post(`/api/merchant/cards/${c.serial}/stamps`, {}, { cookie: m.cookie });
    assert.ok((await h.count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE customer_id = $1`, [c.customerId])) > 0);
    await until('the Google object updated', () => google.objects.get(c.objectId)?.loyaltyPoints !== undefined);

    const erased = await h.call('DELETE', `/api/merchant/customers/${c.customerId}`, { cookie: m.cookie });
    assert.equal(erased.status, 204);

    // Her review keeps its rating, without her name or words.
    const review = await h.db.query<any>(
      `SELECT name, text, rating, card_id FROM reviews WHERE merchant_id = $1 AND rating = 5 ORDER BY created_at DESC LIMIT 1`,
      [m.id],
    );
    assert.deepEqual(review.rows[0], { name: null, text: null, rating: 5, card_id: null });
    // The Google object is expired and no longer names her.
    await until('the object expired', () => google.objects.get(c.objectId)?.state === 'EXPIRED');
    const object = google.objects.get(c.objectId);
    assert.equal(object.accountName, '');
    assert.equal(object.barcode.value, 'erased');
    assert.ok(!JSON.stringify(object).includes('Mrs Erase'));
    // A replay of the old Idempotency-Key no longer returns her card (nor re-creates anything).
    const replay = await stamp();
    assert.equal(replay.status, 404);
    assert.ok(!replay.text.includes('Mrs Erase'));
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM idempotency_keys WHERE strpos(body::text, $1) > 0`, [c.serial]), 0);
    // Devices unregistered, webhook deliveries about her dropped, consent log gone with her.
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM apple_registrations WHERE push_token = $1`, [c.pushToken]), 0);
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE customer_id = $1`, [c.customerId]), 0);
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM consent_events WHERE customer_id = $1`, [c.customerId]), 0);
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM customers WHERE id = $1`, [c.customerId]), 0);
    // The PassKit web service no longer knows the pass.
    const pass = await h.get(`/apple/v1/passes/${TEST_PASS_TYPE_ID}/${c.serial}`, {
      headers: { authorization: `ApplePass ${c.authToken}` },
    });
    assert.equal(pass.status, 401);
    // Twice: nobody to erase.
    assertProblem(await h.call('DELETE', `/api/merchant/customers/${c.customerId}`, { cookie: m.cookie }), 404, 'not_found');
    assertProblem(await h.get(`/api/merchant/customers/${c.customerId}/export`, { cookie: m.cookie }), 404, 'not_found');
    await h.db.query(`DELETE FROM webhooks WHERE merchant_id = $1`, [m.id]);
  });
});
