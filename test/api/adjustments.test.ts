// POST /api/merchant/cards/:serial/adjustments: the owner corrects a card by hand, with a reason
// that the customer's history shows with who made it. Owner only; idempotent with a key; never
// below zero; not a visit for the KPIs.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { refreshKpiSummary } from '../../server/db/queries/kpis.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
let m: Merchant;
let other: Merchant;
let staffCookie: string;
let apiKey: string;

before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Adjust Café');
  other = await h.signUpMerchant('Other Café');
  staffCookie = (await h.addStaff(m)).cookie;
  apiKey = await h.apiKey(m);
});
after(() => h.close());

const adjust = (serial: string, body: unknown, opts: { cookie?: string; key?: string; headers?: Record<string, string> } = {}) =>
  h.post(`/api/merchant/cards/${serial}/adjustments`, body, {
    cookie: opts.cookie ?? (opts.headers ? undefined : m.cookie),
    headers: { ...(opts.key ? { 'idempotency-key': opts.key } : {}), ...opts.headers },
  });

async function customerOf(merchant: Merchant) {
  const card = await h.join(merchant);
  const { rows } = await h.db.query<{ id: string }>('SELECT customer_id AS id FROM cards WHERE serial = $1', [card.serial]);
  return { id: rows[0]!.id, serial: card.serial as string };
}

const ledgerRows = (serial: string) =>
  h.db
    .query<{ kind: string; stamps: number; rewards: number; points: string; reason: string | null; actor: string | null }>(
      `SELECT l.kind, l.stamps, l.rewards, l.points, l.reason, l.actor FROM ledger l JOIN cards c ON c.id = l.card_id
        WHERE c.serial = $1 ORDER BY l.id`,
      [serial],
    )
    .then((r) => r.rows);

describe('adjusting a stamps card', () => {
  it('adds 3 then takes 2 off, with the reasons in the ledger, the cache and the ledger in step', async () => {
    const c = await customerOf(m);
    const plus = await adjust(c.serial, { delta: 3, reason: '  Stamps forgotten on Monday  ' });
    assert.equal(plus.status, 200, JSON.stringify(plus.body));
    assert.equal(plus.body.card.serial, c.serial);
    assert.equal(plus.body.card.stamps, 3);
    assert.equal(plus.body.card.stampsRequired, 10);
    assert.equal(plus.body.rewardsEarned, 0);
    const minus = await adjust(c.serial, { delta: -2, reason: 'Double-stamped by mistake' });
    assert.equal(minus.status, 200, JSON.stringify(minus.body));
    assert.equal(minus.body.card.stamps, 1);

    const rows = await ledgerRows(c.serial);
    assert.deepEqual(
      rows.map((r) => [r.kind, r.stamps, r.reason]),
      [
        ['adjustment', 3, 'Stamps forgotten on Monday'],
        ['adjustment', -2, 'Double-stamped by mistake'],
      ],
    );
    assert.ok(rows.every((r) => r.actor?.startsWith('user:')));
    const { cached, fromLedger } = await h.cacheAndLedger(c.serial);
    assert.deepEqual(cached, fromLedger);
    assert.equal((await h.get(`/api/public/cards/${c.serial}`)).body.card.stamps, 1);
  });

  it('earns a reward when it completes the card, as stamps do; taking stamps off never takes a reward back', async () => {
    const c = await customerOf(m);
    await h.post(`/api/merchant/cards/${c.serial}/stamps`, { count: 8 }, { cookie: m.cookie });
    const res = await adjust(c.serial, { delta: 3, reason: 'Birthday gift' });
    assert.equal(res.status, 200);
    assert.equal(res.body.card.stamps, 1);
    assert.equal(res.body.card.rewardsAvailable, 1);
    assert.equal(res.body.rewardsEarned, 1);
    assert.deepEqual(
      (await ledgerRows(c.serial)).map((r) => [r.kind, r.stamps, r.rewards, r.reason]),
      [
        ['stamp', 8, 0, null],
        ['adjustment', 3, 0, 'Birthday gift'],
        ['reward_earned', -10, 1, null],
      ],
    );
    // One stamp on the card: taking off two is refused, the reward stays whatever happens.
    assertProblem(await adjust(c.serial, { delta: -2, reason: 'Too many' }), 409, 'insufficient_balance');
    const down = await adjust(c.serial, { delta: -1, reason: 'Too many' });
    assert.equal(down.status, 200);
    assert.equal(down.body.card.stamps, 0);
    assert.equal(down.body.card.rewardsAvailable, 1);
    const { cached, fromLedger } = await h.cacheAndLedger(c.serial);
    assert.deepEqual(cached, fromLedger);
  });

  it('refuses to go below zero with 409 insufficient_balance, and writes nothing', async () => {
    const c = await customerOf(m);
    await adjust(c.serial, { delta: 2, reason: 'Start' });
    const before = await h.db.query<{ version: number; updated_at: Date }>('SELECT version, updated_at FROM cards WHERE serial = $1', [
      c.serial,
    ]);
    const key = randomUUID();
    assertProblem(await adjust(c.serial, { delta: -3, reason: 'Too far' }, { key }), 409, 'insufficient_balance');
    assert.equal((await ledgerRows(c.serial)).length, 1);
    const after = await h.db.query('SELECT version, updated_at FROM cards WHERE serial = $1', [c.serial]);
    assert.deepEqual(after.rows, before.rows);
    // The refused key was not remembered: the same key with a valid body goes through.
    assert.equal(await h.count('SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1', [key]), 0);
  });
});

describe('adjusting points and cashback', () => {
  it('moves points (not the tier) and cashback in their own units', async () => {
    const p = await h.signUpMerchant('Points Shop');
    await h.setProgram(p, { type: 'points', pointsPerUnit: 1, rewards: [{ id: 'mug', name: 'Mug', points: 500, costMinor: 300 }] });
    const card = await h.join(p);
    const res = await adjust(card.serial, { delta: 250_000, reason: 'Migrated from the old card' }, { cookie: p.cookie });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.card.points, 250_000);
    assert.equal(res.body.card.stamps, null);
    assertProblem(await adjust(card.serial, { delta: 1_000_001, reason: 'Too much' }, { cookie: p.cookie }), 400, 'validation_failed', [
      'delta',
    ]);

    const cb = await h.signUpMerchant('Cashback Shop');
    await h.setProgram(cb, { type: 'cashback', cashbackPercent: 5 });
    const cbCard = await h.join(cb);
    const up = await adjust(cbCard.serial, { delta: 1250, reason: 'Refund of a returned item' }, { cookie: cb.cookie });
    assert.equal(up.status, 200, JSON.stringify(up.body));
    assert.equal(up.body.card.cashbackBalance, 1250);
    assertProblem(await adjust(cbCard.serial, { delta: -1251, reason: 'Too much' }, { cookie: cb.cookie }), 409, 'insufficient_balance');
    const { cached, fromLedger } = await h.cacheAndLedger(cbCard.serial);
    assert.deepEqual(cached, fromLedger);
  });

  it('takes points off, from the maximum of one adjustment down to exactly zero', async () => {
    const p = await h.signUpMerchant('Points Down');
    await h.setProgram(p, { type: 'points', pointsPerUnit: 1, rewards: [{ id: 'mug', name: 'Mug', points: 500, costMinor: 300 }] });
    const { serial } = await h.join(p);
    const step = (delta: number) => adjust(serial, { delta, reason: 'Points corrected' }, { cookie: p.cookie });
    assert.equal((await step(1_000_000)).body.card.points, 1_000_000);
    assert.equal((await step(-400_000)).body.card.points, 600_000);
    const zero = await step(-600_000);
    assert.equal(zero.status, 200, JSON.stringify(zero.body));
    assert.equal(zero.body.card.points, 0);
    assertProblem(await step(-1), 409, 'insufficient_balance');
    assert.deepEqual(
      (await ledgerRows(serial)).map((r) => [r.kind, Number(r.points), r.reason]),
      [
        ['adjustment', 1_000_000, 'Points corrected'],
        ['adjustment', -400_000, 'Points corrected'],
        ['adjustment', -600_000, 'Points corrected'],
      ],
    );
    const { cached, fromLedger } = await h.cacheAndLedger(serial);
    assert.deepEqual(cached, fromLedger);
  });

  it('takes cashback off, down to exactly zero', async () => {
    const cb = await h.signUpMerchant('Cashback Down');
    await h.setProgram(cb, { type: 'cashback', cashbackPercent: 5 });
    const { serial } = await h.join(cb);
    const step = (delta: number) => adjust(serial, { delta, reason: 'Refund reversed' }, { cookie: cb.cookie });
    assert.equal((await step(1250)).body.card.cashbackBalance, 1250);
    const down = await step(-250);
    assert.equal(down.status, 200, JSON.stringify(down.body));
    assert.equal(down.body.card.cashbackBalance, 1000);
    assert.equal((await step(-1000)).body.card.cashbackBalance, 0);
    assertProblem(await step(-1), 409, 'insufficient_balance');
    const { cached, fromLedger } = await h.cacheAndLedger(serial);
    assert.deepEqual(cached, fromLedger);
    assert.equal(cached.cashbackMinor, 0);
  });

  it('a stamps card takes the maximum, 1000 stamps: 100 rewards on a 10-stamp card', async () => {
    const c = await customerOf(m);
    const res = await adjust(c.serial, { delta: 1000, reason: 'Paper cards brought over' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.rewardsEarned, 100);
    assert.equal(res.body.card.rewardsAvailable, 100);
    assert.equal(res.body.card.stamps, 0);
  });
});

describe("the customer's history", () => {
  it('shows the adjustment with its reason and who made it', async () => {
    const c = await customerOf(m);
    await h.post(`/api/merchant/cards/${c.serial}/stamps`, { count: 1 }, { cookie: staffCookie });
    await adjust(c.serial, { delta: 2, reason: 'Forgot two stamps yesterday' });
    const res = await h.get(`/api/merchant/customers/${c.id}`, { cookie: staffCookie });
    assert.equal(res.status, 200);
    const [adjustment, stamp] = res.body.history;
    assert.equal(adjustment.kind, 'adjustment');
    assert.equal(adjustment.stamps, 2);
    assert.equal(adjustment.reason, 'Forgot two stamps yesterday');
    assert.equal(adjustment.actorName, m.email);
    assert.match(adjustment.actor, /^user:/);
    assert.equal(stamp.kind, 'stamp');
    assert.equal(stamp.reason, null);
    assert.match(stamp.actorName, /^staff-/);
  });

  it("names an API key's writes by the key's name", async () => {
    const c = await customerOf(m);
    await h.post(`/api/merchant/cards/${c.serial}/stamps`, { count: 1 }, { headers: { authorization: `Bearer ${apiKey}` } });
    const res = await h.get(`/api/merchant/customers/${c.id}`, { cookie: m.cookie });
    assert.equal(res.body.history[0].actorName, 'till');
  });
});

describe('who may adjust', () => {
  it('refuses staff and API keys with 403, and writes nothing', async () => {
    const c = await customerOf(m);
    assertProblem(await adjust(c.serial, { delta: 1, reason: 'Staff try' }, { cookie: staffCookie }), 403, 'forbidden');
    assertProblem(
      await adjust(c.serial, { delta: 1, reason: 'Key try' }, { headers: { authorization: `Bearer ${apiKey}` } }),
      403,
      'forbidden',
    );
    assert.equal((await ledgerRows(c.serial)).length, 0);
  });

  it("answers another merchant's serial, and an unknown one, with 404", async () => {
    const theirs = await customerOf(other);
    assertProblem(await adjust(theirs.serial, { delta: 1, reason: 'Not mine' }), 404, 'not_found');
    assertProblem(await adjust('abcdefghijklmnopqrstuv2345', { delta: 1, reason: 'Unknown' }), 404, 'not_found');
    assert.equal((await ledgerRows(theirs.serial)).length, 0);
  });

  it('needs a session or a key', async () => {
    const c = await customerOf(m);
    assertProblem(await adjust(c.serial, { delta: 1, reason: 'Anonymous' }, { headers: {} }), 401, 'unauthorized');
  });
});

describe('a malformed adjustment', () => {
  let serial: string;
  before(async () => {
    serial = (await customerOf(m)).serial;
  });
  const cases: [string, unknown, string][] = [
    ['delta 0', { delta: 0, reason: 'Nothing' }, 'delta'],
    ['a fractional delta', { delta: 1.5, reason: 'Half' }, 'delta'],
    ['a delta as text', { delta: '2', reason: 'Text' }, 'delta'],
    ['no delta', { reason: 'Missing' }, 'delta'],
    ['a stamps delta over 1000', { delta: 1001, reason: 'Too many' }, 'delta'],
    ['no reason', { delta: 1 }, 'reason'],
    ['a blank reason', { delta: 1, reason: '   ' }, 'reason'],
    ['a reason of 201 characters', { delta: 1, reason: 'x'.repeat(201) }, 'reason'],
  ];
  for (const [name, body, path] of cases) {
    it(`${name} → 400 validation_failed at ${path}, nothing written`, async () => {
      assertProblem(await adjust(serial, body), 400, 'validation_failed', [path]);
      assert.equal((await ledgerRows(serial)).length, 0);
    });
  }

  it('takes a reason of exactly 200 characters', async () => {
    const res = await adjust(serial, { delta: 1, reason: 'é'.repeat(200) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });
});

describe('Idempotency-Key', () => {
  it('applies the same adjustment once, however many times it is sent, and refuses the key for another body', async () => {
    const c = await customerOf(m);
    const key = randomUUID();
    const body = { delta: 4, reason: 'Sent twice' };
    const first = await adjust(c.serial, body, { key });
    const again = await adjust(c.serial, body, { key });
    assert.equal(first.status, 200);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal((await ledgerRows(c.serial)).length, 1);
    assert.equal(first.body.card.stamps, 4);
    assertProblem(await adjust(c.serial, { delta: 5, reason: 'Sent twice' }, { key }), 409, 'conflict');
  });

  it('applies two requests in flight at once with the same key once', async () => {
    const c = await customerOf(m);
    const key = randomUUID();
    const body = { delta: 2, reason: 'Double tap' };
    const answers = await Promise.all([adjust(c.serial, body, { key }), adjust(c.serial, body, { key })]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200],
    );
    assert.equal((await ledgerRows(c.serial)).length, 1);
  });
});

describe('wallet passes', () => {
  it("queues a push to the card's Apple devices and bumps the pass version", async () => {
    const c = await customerOf(m);
    const token = randomBytes(32).toString('hex');
    await h.db.query(
      `INSERT INTO apple_registrations (device_id, card_id, push_token) SELECT 'dev-adj', id, $2 FROM cards WHERE serial = $1`,
      [c.serial, token],
    );
    const version = async () =>
      (await h.db.query<{ version: number }>('SELECT version FROM cards WHERE serial = $1', [c.serial])).rows[0]!.version;
    const v0 = await version();
    assert.equal((await adjust(c.serial, { delta: 1, reason: 'Push me' })).status, 200);
    assert.equal(await version(), v0 + 1);
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'apns' AND target = $1`, [token]), 1);
  });
});

describe('the KPIs', () => {
  it('count an adjustment as neither a visit nor a purchase', async () => {
    const p = await h.signUpMerchant('KPI Shop');
    await h.setProgram(p, { type: 'points', pointsPerUnit: 1, rewards: [{ id: 'mug', name: 'Mug', points: 500, costMinor: 300 }] });
    const card = await h.join(p);
    assert.equal((await adjust(card.serial, { delta: 100, reason: 'Welcome back' }, { cookie: p.cookie })).status, 200);
    const check = async () => {
      const k = (await h.get('/api/merchant/kpis', { cookie: p.cookie })).body;
      assert.equal(k.members, 1);
      assert.equal(k.activeMembers, 0);
      assert.equal(k.averageOrderValue, null);
      assert.equal(k.purchaseFrequency, null);
      assert.deepEqual(
        k.series.points.map((s: { visits: number; spendMinor: number }) => [s.visits, s.spendMinor]).filter(([v, s]: number[]) => v || s),
        [],
      );
    };
    await check(); // read from the ledger above the watermark
    await refreshKpiSummary(h.db);
    await check(); // read from the summaries
  });
});
