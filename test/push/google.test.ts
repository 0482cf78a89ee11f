// Google Wallet updates end to end: a card change queues a 'google' outbox row in its own
// transaction, the worker PATCHes the object on a local stand-in for Google (bearer token from the
// JWT-bearer grant, cached), with only the fields that changed; milestones notify, stamps do not;
// 401 → a new token and one retry; 404 → insert, then done; 429/500/hangs → backoff; a worker
// that dies (a killed process, on Postgres) loses nothing, and an older state never wins.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test, type TestContext } from 'node:test';
import { GoogleChannel } from '../../server/wallets/google/channel.ts';
import { OutboxWorker, type OutboxWorkerOptions } from '../../server/outbox/worker.ts';
import { killChildren, spawnChild, until } from '../support/child.ts';
import { TEST_DB } from '../support/db.ts';
import { type FakeGoogle, makeServiceAccount, objectProblems, startFakeGoogle, TEST_ISSUER_ID } from '../support/fake-google.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { runDailyPlays } from '../../server/services/campaigns.ts';

/** A balance label of ours: in the member's language, with the other one in `translatedValues`. */
const label = (language: 'en' | 'fr', value: string, translation: string) => ({
  label: value,
  localizedLabel: {
    defaultValue: { language, value },
    translatedValues: [{ language: language === 'en' ? 'fr' : 'en', value: translation }],
  },
});

/** Polls `fn` every 10 ms until it returns something truthy; throws after `timeoutMs`. */
describe(`Google Wallet update worker (${TEST_DB})`, () => {
  const account = makeServiceAccount();
  let google: FakeGoogle;
  let h: Harness;
  let m: Merchant;
  const logs: string[] = [];
  let workers: OutboxWorker[] = [];

  before(async () => {
    google = await startFakeGoogle(account);
    h = await Harness.start(
      {
        GOOGLE_ISSUER_ID: TEST_ISSUER_ID,
        GOOGLE_SERVICE_ACCOUNT: account.text,
        GOOGLE_WALLET_API: google.api,
        GOOGLE_TOKEN_URL: google.tokenUrl,
      },
      { requestTimeoutMs: 400 },
    );
    m = await h.signUpMerchant('Café Lune');
  });

  after(async () => {
    killChildren();
    for (const w of workers) await w.stop();
    await h?.close();
    await google?.close();
  });

  beforeEach(async () => {
    await h.db.query(`DELETE FROM outbox WHERE channel = 'google'`);
  });

  afterEach(async () => {
    for (const w of workers) await w.stop();
    workers = [];
    h.googleWorker = undefined;
  });

  function startWorker(options: OutboxWorkerOptions = {}): OutboxWorker {
    const worker = new OutboxWorker(h.db, new GoogleChannel(h.db, h.google!, h.google!.api!), {
      pollMs: 50,
      log: (line) => logs.push(line),
      ...options,
    });
    workers.push(worker);
    h.googleWorker = worker;
    worker.start();
    return worker;
  }

  /** A member whose card was saved to Google Wallet (the save link inserted its object). */
  async function savedCard(merchant = m): Promise<{ serial: string; id: string }> {
    const card = await h.join(merchant);
    const res = await h.get(`/passes/google/${card.serial}`);
    assert.equal(res.status, 302);
    const id = `${TEST_ISSUER_ID}.${card.serial}`;
    assert.ok(google.objects.has(id), 'inserted by the save link');
    return { serial: card.serial, id };
  }

  async function stamp(serial: string, count = 1, merchant = m): Promise<any> {
    const res = await h.post(`/api/merchant/cards/${serial}/stamps`, { count }, { cookie: merchant.cookie });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.card;
  }

  const patches = (id: string) => google.to('PATCH', `/loyaltyObject/${id}`);
  const outboxCount = () => h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'google'`);
  const outboxEmpty = async () => (await outboxCount()) === 0;
  async function outboxRow(serial: string) {
    const { rows } = await h.db.query<{ seq: number; attempts: number; last_error: string | null; due_in_ms: number }>(
      `SELECT seq, attempts, last_error, (extract(epoch FROM available_at - now()) * 1000)::int AS due_in_ms
         FROM outbox WHERE channel = 'google' AND target = $1`,
      [serial],
    );
    return rows[0];
  }
  /** Makes a row waiting out a backoff due now. */
  const dueNow = (serial: string) =>
    h.db.query(`UPDATE outbox SET available_at = now() WHERE channel = 'google' AND target = $1`, [serial]);

  test('a stamp PATCHes the object with only what changed, silently, with the cached bearer token', async () => {
    const { serial, id } = await savedCard();
    // A card never offered in a save link gets no Google row.
    const other = await h.join(m);
    const before = google.requests.length;
    const tokensBefore = google.tokenRequests.length;
    const worker = startWorker();
    const card = await stamp(serial);
    await stamp(other.serial);
    await until(() => patches(id).length === 1 && outboxEmpty(), 5000, 'the PATCH');
    await worker.idle();

    const [patch] = patches(id);
    assert.equal(google.requests.length, before + 1, 'one request: the PATCH');
    assert.match(patch!.token!, /^ya29\.fake-/);
    assert.equal(google.tokenRequests.length, tokensBefore, 'the token of the save link is reused');
    assert.deepEqual(Object.keys(patch!.body).sort(), ['heroImage', 'loyaltyPoints', 'textModulesData']);
    assert.deepEqual(patch!.body.loyaltyPoints, { ...label('en', 'Stamps', 'Tampons'), balance: { string: `${card.stamps}/10` } });
    assert.match(patch!.body.heroImage.sourceUri.uri, new RegExp(`-s${card.stamps}of10r0\\.png$`));
    assert.equal(patch!.body.notifyPreference, undefined, 'a plain stamp does not notify');
    assert.equal(patch!.status, 200);
    assert.deepEqual(objectProblems(google.objects.get(id)), []);
    assert.equal(google.objects.get(id).loyaltyPoints.balance.string, `${card.stamps}/10`);
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM outbox`), 0);
  });

  test('a burst of stamps while no worker runs is one row and one PATCH with the latest state', async () => {
    const { serial, id } = await savedCard();
    for (let i = 0; i < 3; i++) await stamp(serial);
    const row = await outboxRow(serial);
    assert.equal(row!.seq, 3);
    const latest = (await h.get(`/api/public/cards/${serial}`)).body.card;
    const worker = startWorker();
    await until(() => patches(id).length === 1 && outboxEmpty(), 5000, 'the PATCH');
    await worker.idle();
    assert.equal(patches(id).length, 1);
    assert.equal(google.objects.get(id).loyaltyPoints.balance.string, `${latest.stamps}/10`);
  });

  test('a change while the PATCH is out is sent again: the latest state wins, never the older one', async () => {
    const { serial, id } = await savedCard();
    google.plan(`PATCH /loyaltyObject/${id}`, { status: 200, body: {}, delayMs: 300 });
    const worker = startWorker();
    await stamp(serial);
    await until(() => patches(id).length === 1, 5000, 'the first PATCH');
    const latest = await stamp(serial, 2);
    await until(async () => patches(id).length === 2 && (await outboxEmpty()), 5000, 'the second PATCH');
    await worker.idle();
    assert.equal(patches(id)[1]!.body.loyaltyPoints.balance.string, `${latest.stamps}/10`);
    assert.equal(google.objects.get(id).loyaltyPoints.balance.string, `${latest.stamps}/10`);
  });

  test('a reward earned notifies (NOTIFY_ON_UPDATE); not past 3 notifications in 24 hours', async () => {
    const { serial, id } = await savedCard();
    const card = (await h.get(`/api/public/cards/${serial}`)).body.card;
    const worker = startWorker();
    const earned = await stamp(serial, 10 - card.stamps);
    assert.equal(earned.rewardsAvailable, 1);
    await until(async () => patches(id).length === 1 && (await outboxEmpty()), 5000, 'the PATCH');
    const [patch] = patches(id);
    assert.equal(patch!.body.notifyPreference, 'NOTIFY_ON_UPDATE');
    assert.deepEqual(patch!.body.secondaryLoyaltyPoints, { ...label('en', 'Rewards', 'Cadeaux'), balance: { int: 1 } });
    assert.equal(google.objects.get(id).notifyPreference, undefined, 'ephemeral: not stored');

    // Three notifications already today: the next reward updates the card silently.
    await h.db.query(
      `UPDATE google_objects SET notified_at = ARRAY[now(), now() - interval '1 hour', now() - interval '2 hours']
        WHERE card_id = (SELECT id FROM cards WHERE serial = $1)`,
      [serial],
    );
    await stamp(serial, 10);
    await until(async () => patches(id).length === 2 && (await outboxEmpty()), 5000, 'the second PATCH');
    await worker.idle();
    assert.deepEqual(patches(id)[1]!.body.secondaryLoyaltyPoints, { ...label('en', 'Rewards', 'Cadeaux'), balance: { int: 2 } });
    assert.equal(patches(id)[1]!.body.notifyPreference, undefined);
  });

  test('a birthday: its message added to that member’s object with TEXT_AND_NOTIFY, once; nobody else’s', async () => {
    await h.setProgram(m, {
      campaigns: { ...m.program.campaigns, birthday: { enabled: true, daysBefore: 0, gift: { kind: 'bonus', amount: 1 }, message: null } },
    });
    try {
      const card = await h.join(m, { name: 'Camille', birthday: '1990-05-05', locale: 'fr' });
      const res = await h.get(`/passes/google/${card.serial}`);
      assert.equal(res.status, 302);
      const id = `${TEST_ISSUER_ID}.${card.serial}`;
      const other = await savedCard();
      const worker = startWorker();
      h.setNow('2027-05-05T08:00:00Z');
      const run = await runDailyPlays(h.deps);
      assert.ok(run.birthdays >= 1);
      const adds = (objectId: string) => google.to('POST', `/loyaltyObject/${objectId}/addMessage`);
      await until(async () => adds(id).length === 1 && (await outboxEmpty()), 5000, 'the birthday message');
      await worker.idle();
      assert.equal(adds(id)[0]!.body.message.messageType, 'TEXT_AND_NOTIFY');
      assert.equal(adds(id)[0]!.body.message.body, 'Joyeux anniversaire, Camille ! 1 tampon offert sur votre carte.');
      assert.equal(adds(other.id).length, 0);
      // The next run (same day): nothing more to send.
      await runDailyPlays(h.deps);
      await until(outboxEmpty, 5000, 'an empty outbox');
      await worker.idle();
      assert.equal(adds(id).length, 1);
    } finally {
      h.setNow(undefined);
      await h.setProgram(m, { campaigns: { ...m.program.campaigns, birthday: { ...m.program.campaigns.birthday, enabled: false } } });
    }
  });

  test('a merchant message: addMessage with TEXT_AND_NOTIFY (once), the object keeps one message; a design change PATCHes the class', async () => {
    const a = await savedCard();
    const b = await savedCard();
    const worker = startWorker();
    const sent = await h.post('/api/merchant/messages', { text: 'Fermé lundi, ouvert dimanche !' }, { cookie: m.cookie });
    assert.equal(sent.status, 202);
    const adds = (id: string) => google.to('POST', `/loyaltyObject/${id}/addMessage`);
    await until(async () => adds(a.id).length === 1 && adds(b.id).length === 1 && (await outboxEmpty()), 5000, 'the messages');
    await worker.idle();
    for (const { id } of [a, b]) {
      const [add] = adds(id);
      assert.equal(add!.body.message.messageType, 'TEXT_AND_NOTIFY');
      assert.equal(add!.body.message.body, 'Fermé lundi, ouvert dimanche !');
      assert.match(add!.body.message.id, /^message-\d+$/);
      // The PATCH after it leaves that one message (an array is replaced whole).
      const stored = google.objects.get(id);
      assert.equal(stored.messages.length, 1);
      assert.equal(stored.messages[0].id, add!.body.message.id);
    }
    // Nothing in the class changed: no class request.
    assert.equal(google.requests.filter((r) => r.path.startsWith('/loyaltyClass/')).length, 0);

    // Again (the row delivered twice, say): no second notification.
    await h.db.query(`INSERT INTO outbox (merchant_id, channel, target) VALUES ($1, 'google', $2)`, [m.id, a.serial]);
    worker.wake();
    await until(outboxEmpty, 5000, 'the row');
    await worker.idle();
    assert.equal(adds(a.id).length, 1);

    await h.setProgram(m, { design: { ...m.program.design, backgroundColor: '#1f3a5f' } });
    const classId = `${TEST_ISSUER_ID}.${m.id}`;
    await until(async () => google.to('PATCH', `/loyaltyClass/${classId}`).length === 1 && (await outboxEmpty()), 5000, 'the class');
    await worker.idle();
    const [classPatch] = google.to('PATCH', `/loyaltyClass/${classId}`);
    assert.equal(classPatch!.body.hexBackgroundColor, '#1f3a5f');
    assert.equal(classPatch!.body.reviewStatus, 'UNDER_REVIEW');
    assert.equal(google.classes.get(classId).hexBackgroundColor, '#1f3a5f');
    // The objects' hero images name the new design (a new URL: Google caches images by URL).
    for (const { id } of [a, b]) assert.equal(patches(id).at(-1)!.body.heroImage !== undefined, true);
  });

  test('what a program change takes away is cleared at Google: website and shops (class), the tier and the old balance (object)', async () => {
    const shop = await h.signUpMerchant('Salon Iris');
    await h.setProgram(shop, {
      type: 'tiers',
      tiers: [
        { name: 'Silver', threshold: 0, multiplier: 1 },
        { name: 'Gold', threshold: 100_000, multiplier: 2 },
      ],
      websiteUrl: 'https://salon-iris.example/',
      locations: [{ name: 'Salon', latitude: 48.85, longitude: 2.35 }],
    });
    const { id } = await savedCard(shop);
    const classId = `${TEST_ISSUER_ID}.${shop.id}`;
    const classPatches = () => google.to('PATCH', `/loyaltyClass/${classId}`);
    assert.ok(google.classes.get(classId).homepageUri && google.classes.get(classId).merchantLocations);
    assert.deepEqual(google.objects.get(id).secondaryLoyaltyPoints, { ...label('en', 'Tier', 'Niveau'), balance: { string: 'Silver' } });
    const worker = startWorker();

    // Tiers → points, without a website or shops: PATCH sends each removed field as null.
    await h.setProgram(shop, { type: 'points', websiteUrl: null, locations: [] });
    await until(async () => classPatches().length === 1 && patches(id).length === 1 && (await outboxEmpty()), 5000, 'the updates');
    await worker.idle();
    assert.equal(classPatches()[0]!.body.homepageUri, null);
    assert.equal(classPatches()[0]!.body.merchantLocations, null);
    const cls = google.classes.get(classId);
    assert.ok(!('homepageUri' in cls) && !('merchantLocations' in cls), JSON.stringify(cls));
    assert.deepEqual(objectProblems(cls), []);
    assert.equal(patches(id)[0]!.body.secondaryLoyaltyPoints, null);
    let stored = google.objects.get(id);
    assert.ok(!('secondaryLoyaltyPoints' in stored), JSON.stringify(stored.secondaryLoyaltyPoints));
    assert.deepEqual(stored.loyaltyPoints, { ...label('en', 'Points', 'Points'), balance: { int: 0 } });

    // Points → stamps: the balance changes shape ({int} → {string}); Google merges objects key
    // by key, so the old subtype is sent as null, else the balance would hold both.
    await h.setProgram(shop, { type: 'stamps' });
    await until(async () => patches(id).length === 2 && (await outboxEmpty()), 5000, 'the second update');
    await worker.idle();
    assert.equal(patches(id)[1]!.body.loyaltyPoints.balance.int, null);
    stored = google.objects.get(id);
    assert.deepEqual(stored.loyaltyPoints, { ...label('en', 'Stamps', 'Tampons'), balance: { string: '0/10' } });
    assert.deepEqual(stored.secondaryLoyaltyPoints, { ...label('en', 'Rewards', 'Cadeaux'), balance: { int: 0 } });
    assert.deepEqual(objectProblems(stored), []);
  });

  test('404 (Google lost the object, or never had it): the object is inserted, then the row is done', async () => {
    const { serial, id } = await savedCard();
    google.objects.delete(id);
    const worker = startWorker();
    await stamp(serial);
    await until(outboxEmpty, 5000, 'the row');
    await worker.idle();
    const since = google.requests.findIndex((r) => r.method === 'PATCH' && r.path === `/loyaltyObject/${id}`);
    assert.deepEqual(
      google.requests.slice(since).map((r) => `${r.method} ${r.path} ${r.status}`),
      [`PATCH /loyaltyObject/${id} 404`, 'POST /loyaltyObject 200'],
    );
    const latest = (await h.get(`/api/public/cards/${serial}`)).body.card;
    assert.equal(google.objects.get(id).loyaltyPoints.balance.string, `${latest.stamps}/10`);

    // And when the class is gone too (another issuer account, say): class first, then the object.
    google.objects.delete(id);
    google.classes.clear();
    await h.db.query('DELETE FROM google_classes');
    await stamp(serial);
    await until(outboxEmpty, 5000, 'the row');
    await worker.idle();
    const tail = google.requests.slice(-3).map((r) => `${r.method} ${r.path} ${r.status}`);
    assert.deepEqual(tail, [`PATCH /loyaltyObject/${id} 404`, 'POST /loyaltyClass 200', 'POST /loyaltyObject 200']);
  });

  test('401 (token expired or revoked): a new token, the request once more, done', async () => {
    const { serial, id } = await savedCard();
    google.revokeTokens();
    const tokens = google.tokenRequests.length;
    const worker = startWorker();
    await stamp(serial);
    await until(outboxEmpty, 5000, 'the row');
    await worker.idle();
    assert.deepEqual(
      patches(id).map((p) => p.status),
      [401, 200],
    );
    assert.equal(google.tokenRequests.length, tokens + 1);
    assert.notEqual(patches(id)[0]!.token, patches(id)[1]!.token);

    // A 401 that a new token does not cure is a refusal of ours: retried much later, and logged.
    google.plan(`PATCH /loyaltyObject/${id}`, { status: 401 }, { status: 401 });
    await stamp(serial);
    const row = await until(async () => ((await outboxRow(serial))?.attempts === 1 ? outboxRow(serial) : undefined), 5000, 'the retry');
    assert.ok(row!.due_in_ms > 25_000, `due in ${row!.due_in_ms} ms`);
    assert.match(row!.last_error!, /401/);
    assert.ok(logs.some((l) => l.includes('Google Wallet refused')));
  });

  test('429 with Retry-After, 500, and a request that hangs: retried later; the row is kept until it succeeds', async () => {
    const { serial, id } = await savedCard();
    google.plan(`PATCH /loyaltyObject/${id}`, { status: 429, headers: { 'retry-after': '30' } }, { status: 500 }, 'hang');
    const worker = startWorker();
    await stamp(serial);
    let row = await until(async () => ((await outboxRow(serial))?.attempts === 1 ? outboxRow(serial) : undefined), 5000, '429');
    assert.ok(row!.due_in_ms > 28_000 && row!.due_in_ms <= 30_000, `Retry-After honoured: due in ${row!.due_in_ms} ms`);
    await dueNow(serial);
    worker.wake();
    row = await until(async () => ((await outboxRow(serial))?.attempts === 2 ? outboxRow(serial) : undefined), 5000, '500');
    assert.match(row!.last_error!, /500/);
    assert.ok(row!.due_in_ms > 500, 'backoff');
    await dueNow(serial);
    worker.wake();
    row = await until(async () => ((await outboxRow(serial))?.attempts === 3 ? outboxRow(serial) : undefined), 5000, 'the hang');
    assert.match(row!.last_error!, /timeout after 400 ms/);
    await dueNow(serial);
    worker.wake();
    await until(outboxEmpty, 5000, 'the row');
    await worker.idle();
    assert.deepEqual(
      patches(id).map((p) => p.status),
      [429, 500, undefined, 200],
    );
    const latest = (await h.get(`/api/public/cards/${serial}`)).body.card;
    assert.equal(google.objects.get(id).loyaltyPoints.balance.string, `${latest.stamps}/10`);
  });

  test("another merchant's card through a merchant route is 404, and nothing is queued for it", async () => {
    const { serial } = await savedCard();
    const other = await h.signUpMerchant('Autre Café');
    const res = await h.post(`/api/merchant/cards/${serial}/stamps`, {}, { cookie: other.cookie });
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not_found');
    assert.equal(await outboxCount(), 0);
  });

  test("an erased member's row is dropped (there is nothing left to send)", async () => {
    const { serial } = await savedCard();
    const worker = startWorker();
    await worker.stop();
    h.googleWorker = undefined;
    await stamp(serial);
    await h.db.query('DELETE FROM cards WHERE serial = $1', [serial]);
    assert.equal(await outboxCount(), 1);
    const next = startWorker();
    await until(outboxEmpty, 5000, 'the row');
    await next.idle();
  });

  test('a worker that stops answering (its lease runs out): another delivers every card at its latest state', async () => {
    const cards: { serial: string; id: string }[] = [];
    for (let i = 0; i < 4; i++) cards.push(await savedCard());
    for (const c of cards) google.plan(`PATCH /loyaltyObject/${c.id}`, 'hang');
    // The stuck worker: long timeouts, a short lease.
    const stuck = startWorker({ leaseMs: 150 });
    for (const c of cards) await stamp(c.serial);
    await until(() => cards.every((c) => patches(c.id).length === 1), 5000, 'the hung PATCHes');
    // Changes after the stuck worker read the cards.
    for (const c of cards.slice(0, 2)) await stamp(c.serial, 2);
    const rescuer = startWorker();
    await until(() => cards.every((c) => patches(c.id).some((p) => p.status === 200)), 5000, 'the rescue');
    await until(outboxEmpty, 5000, 'the rows');
    await rescuer.idle();
    await stuck.stop();
    for (const c of cards) {
      const latest = (await h.get(`/api/public/cards/${c.serial}`)).body.card;
      assert.equal(google.objects.get(c.id).loyaltyPoints.balance.string, `${latest.stamps}/10`, c.serial);
    }
  });

  // A second process needs a database server to share: on Postgres only (the test above covers
  // an abandoned lease in one process on PGlite).
  const onPostgres = TEST_DB === 'postgres' ? test : () => {};
  onPostgres("a worker process killed (SIGKILL) mid-batch: every object ends at its card's latest state", async (ctx: TestContext) => {
    const cards: { serial: string; id: string }[] = [];
    for (let i = 0; i < 10; i++) cards.push(await savedCard());
    const hung = cards.slice(5);
    for (const c of hung) google.plan(`PATCH /loyaltyObject/${c.id}`, 'hang');
    for (const c of cards) await stamp(c.serial);
    assert.equal(await outboxCount(), 10);

    const leaseMs = 1500;
    const { child, output, exited } = spawnChild('./google-child.ts', [h.testDb.url!, google.api, google.tokenUrl, String(leaseMs)], {
      ...process.env,
      GOOGLE_SERVICE_ACCOUNT: account.text,
    });
    await until(
      async () => cards.every((c) => patches(c.id).length === 1) && (await outboxCount()) === 5,
      20_000,
      () => `the child's PATCHes (child output: ${output()})`,
    );
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    // Changes while nobody delivers.
    for (const c of [cards[0]!, hung[0]!]) await stamp(c.serial, 3);

    const worker = startWorker();
    worker.wake();
    await until(outboxEmpty, leaseMs + 5000, 'the new worker to deliver the rest');
    await worker.idle();
    for (const c of cards) {
      const latest = (await h.get(`/api/public/cards/${c.serial}`)).body.card;
      assert.equal(google.objects.get(c.id).loyaltyPoints.balance.string, `${latest.stamps}/10`, c.serial);
    }
    for (const c of cards.slice(1, 5)) assert.equal(patches(c.id).length, 1, 'a delivered update is not sent again');
    ctx.diagnostic(`${google.requests.length} requests in all`);
  });
});
