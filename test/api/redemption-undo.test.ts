// POST /api/merchant/cards/:serial/redemptions/:id/undo (issue 16, "from real use": one tap used
// the reward, and nothing could give it back). A compensating ledger entry within 10 minutes by
// the services' clock; the balances come back exactly; a second undo changes nothing; another
// merchant's redemption, an unknown or malformed id are not found; too late is a 409.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { cardVisits } from '../../server/db/queries/cards.ts';
import { Harness, type Merchant, type Reply } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
let m: Merchant;
let other: Merchant;

before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Undo Café');
  other = await h.signUpMerchant('Other Café');
});
after(() => h.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Caller = { cookie?: string; headers?: Record<string, string> };
const as = (who: Merchant | Caller): Caller => ('cookie' in who && 'id' in who ? { cookie: who.cookie } : who);

const redeem = (serial: string, body: unknown = {}, who: Merchant | Caller = m) =>
  h.post(`/api/merchant/cards/${serial}/redemptions`, body, as(who));
const undo = (serial: string, id: string, who: Merchant | Caller = m, key?: string): Promise<Reply> => {
  const c = as(who);
  return h.post(`/api/merchant/cards/${serial}/redemptions/${encodeURIComponent(id)}/undo`, undefined, {
    ...c,
    headers: { ...c.headers, ...(key ? { 'idempotency-key': key } : {}) },
  });
};

/** A member of `merchant` whose stamps card holds `rewards` rewards. */
async function withRewards(merchant: Merchant, rewards = 1): Promise<string> {
  const { serial } = await h.join(merchant);
  const res = await h.post(`/api/merchant/cards/${serial}/stamps`, { count: 10 * rewards }, { cookie: merchant.cookie });
  assert.equal(res.body.card.rewardsAvailable, rewards);
  return serial;
}

/** A phone that holds the card's pass: a change queues a push to it. */
async function register(serial: string) {
  await h.db.query(`INSERT INTO apple_registrations (device_id, card_id, push_token) SELECT $2, id, $3 FROM cards WHERE serial = $1`, [
    serial,
    `dev-${randomBytes(4).toString('hex')}`,
    randomBytes(32).toString('hex'),
  ]);
}

/** Everything a write could change about a card, and the pushes queued to its phones. */
async function snapshot(serial: string) {
  const { rows } = await h.db.query<Record<string, unknown>>(
    `SELECT c.stamps, c.rewards_available, c.points, c.cashback_minor, c.spend_minor, c.version, c.updated_at,
            (SELECT count(*)::int FROM ledger l WHERE l.card_id = c.id) AS ledger,
            (SELECT count(*)::int FROM outbox o JOIN apple_registrations a ON a.push_token = o.target
              WHERE o.channel = 'apns' AND a.card_id = c.id) AS pushes
       FROM cards c WHERE c.serial = $1`,
    [serial],
  );
  return rows[0]!;
}

const ledgerKinds = async (serial: string) =>
  (
    await h.db.query<{ kind: string; rewards: number; points: number; cashback_minor: number; reward_name: string | null }>(
      `SELECT l.kind, l.rewards, l.points::int AS points, l.cashback_minor::int AS cashback_minor, l.reward_name
         FROM ledger l JOIN cards c ON c.id = l.card_id WHERE c.serial = $1 ORDER BY l.id`,
      [serial],
    )
  ).rows;

async function assertConsistent(serial: string) {
  const { cached, fromLedger } = await h.cacheAndLedger(serial);
  assert.deepEqual(cached, fromLedger);
}

describe('undoing a redemption', () => {
  it('gives a stamps card its reward back, keeps both ledger rows, and updates the passes', async () => {
    const serial = await withRewards(m);
    await register(serial);
    const redeemed = await redeem(serial);
    assert.equal(redeemed.status, 200);
    assert.match(redeemed.body.redeemed.id, UUID);
    assert.equal(redeemed.body.card.rewardsAvailable, 0);
    await h.db.query(`DELETE FROM outbox WHERE channel = 'apns'`);
    const before = await snapshot(serial);
    assert.equal(before.pushes, 0);

    const res = await undo(serial, redeemed.body.redeemed.id);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), ['card', 'undone']);
    assert.deepEqual(res.body.undone, { id: redeemed.body.redeemed.id, rewardId: null, name: 'A free coffee' });
    assert.equal(res.body.card.rewardsAvailable, 1);
    assert.equal(res.body.card.stamps, 0);
    assert.ok(res.body.card.updatedAt > redeemed.body.card.updatedAt);

    assert.deepEqual(
      (await ledgerKinds(serial)).map((e) => [e.kind, e.rewards]),
      [
        ['stamp', 0],
        ['reward_earned', 1],
        ['redemption', -1],
        ['redemption_undone', 1],
      ],
    );
    assert.equal((await ledgerKinds(serial)).at(-1)!.reward_name, 'A free coffee');
    await assertConsistent(serial);
    const now = await snapshot(serial);
    assert.equal(now.version, (before.version as number) + 1);
    assert.equal(now.pushes, 1, 'the pass update is queued');
    const { rows } = await h.db.query<{ undone: boolean; by: string }>(
      `SELECT r.undone_at IS NOT NULL AS undone, l.kind AS by FROM redemptions r JOIN ledger l ON l.id = r.undo_ledger_id WHERE r.id = $1`,
      [redeemed.body.redeemed.id],
    );
    assert.deepEqual(rows, [{ undone: true, by: 'redemption_undone' }]);
    // The card can use the reward again.
    assert.equal((await redeem(serial)).status, 200);
  });

  it('gives the points back to a points card', async () => {
    const p = await h.signUpMerchant('Points Undo');
    await h.setProgram(p, { type: 'points', pointsPerUnit: 1, rewards: [{ id: 'mug', name: 'Mug', points: 500, costMinor: 300 }] });
    const { serial } = await h.join(p);
    await h.post(`/api/merchant/cards/${serial}/purchases`, { amount: 70_000 }, { cookie: p.cookie });
    const redeemed = await redeem(serial, { rewardId: 'mug' }, p);
    assert.equal(redeemed.body.card.points, 200);
    const res = await undo(serial, redeemed.body.redeemed.id, p);
    assert.equal(res.status, 200);
    assert.equal(res.body.card.points, 700);
    assert.deepEqual(res.body.undone, { id: redeemed.body.redeemed.id, rewardId: 'mug', name: 'Mug' });
    assert.deepEqual(
      (await ledgerKinds(serial)).map((e) => [e.kind, e.points]),
      [
        ['purchase', 700],
        ['redemption', -500],
        ['redemption_undone', 500],
      ],
    );
    await assertConsistent(serial);
  });

  it('gives the cashback spent back', async () => {
    const c = await h.signUpMerchant('Cashback Undo');
    await h.setProgram(c, { type: 'cashback', cashbackPercent: 10 });
    const { serial } = await h.join(c);
    await h.post(`/api/merchant/cards/${serial}/purchases`, { amount: 5_000 }, { cookie: c.cookie });
    const redeemed = await redeem(serial, { amount: 300 }, c);
    assert.equal(redeemed.body.card.cashbackBalance, 200);
    const res = await undo(serial, redeemed.body.redeemed.id, c);
    assert.equal(res.status, 200);
    assert.equal(res.body.card.cashbackBalance, 500);
    assert.deepEqual(res.body.undone, { id: redeemed.body.redeemed.id, rewardId: null, name: 'Cashback' });
    await assertConsistent(serial);
  });

  it('is allowed to staff and to a till’s API key of the merchant', async () => {
    const staff = await h.addStaff(m);
    const key = await h.apiKey(m);
    const serial = await withRewards(m, 2);
    const first = await redeem(serial, {}, { cookie: staff.cookie });
    assert.equal((await undo(serial, first.body.redeemed.id, { cookie: staff.cookie })).status, 200);
    const till = { headers: { authorization: `Bearer ${key}` } };
    const second = await redeem(serial, {}, till);
    const res = await undo(serial, second.body.redeemed.id, till);
    assert.equal(res.status, 200);
    assert.equal(res.body.card.rewardsAvailable, 2);
  });

  it('is in the history of the customer as its own kind, after the redemption', async () => {
    const serial = await withRewards(m);
    const redeemed = await redeem(serial);
    await undo(serial, redeemed.body.redeemed.id);
    const { rows } = await h.db.query<{ id: string }>('SELECT customer_id AS id FROM cards WHERE serial = $1', [serial]);
    const detail = await h.get(`/api/merchant/customers/${rows[0]!.id}`, { cookie: m.cookie });
    assert.equal(detail.status, 200);
    assert.deepEqual(
      detail.body.history.slice(0, 2).map((e: { kind: string; rewards: number }) => [e.kind, e.rewards]),
      [
        ['redemption_undone', 1],
        ['redemption', -1],
      ],
    );
  });

  it('takes the card page’s visit of the redemption away', async () => {
    const serial = await withRewards(m);
    const redeemed = await redeem(serial);
    const kinds = async () => {
      const { rows } = await h.db.query<{ id: string }>('SELECT id FROM cards WHERE serial = $1', [serial]);
      return (await cardVisits(h.db, rows[0]!.id, 10)).map((v) => v.kind);
    };
    assert.deepEqual(await kinds(), ['redemption', 'stamp']);
    await undo(serial, redeemed.body.redeemed.id);
    assert.deepEqual(await kinds(), ['stamp']);
  });
});

describe('undoing twice', () => {
  it('a second undo changes nothing and answers the card as it is, with the same `undone`', async () => {
    const serial = await withRewards(m);
    await register(serial);
    const redeemed = await redeem(serial);
    const first = await undo(serial, redeemed.body.redeemed.id);
    // Sent: a second undo must not queue another push.
    await h.db.query(`DELETE FROM outbox WHERE channel = 'apns'`);
    const after = await snapshot(serial);
    const second = await undo(serial, redeemed.body.redeemed.id);
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, first.body);
    assert.deepEqual(await snapshot(serial), after);
    assert.equal((await ledgerKinds(serial)).filter((e) => e.kind === 'redemption_undone').length, 1);
    // Even once the window is over: it is undone, which is what was asked.
    h.setNow(new Date(Date.now() + 60 * 60_000));
    try {
      const late = await undo(serial, redeemed.body.redeemed.id);
      assert.equal(late.status, 200);
      assert.deepEqual(late.body, first.body);
    } finally {
      h.setNow(undefined);
    }
  });

  it('two undos at once credit once', async () => {
    const serial = await withRewards(m);
    const redeemed = await redeem(serial);
    const answers = await Promise.all([0, 1, 2].map(() => undo(serial, redeemed.body.redeemed.id)));
    for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.body));
    for (const a of answers) assert.equal(a.body.card.rewardsAvailable, 1);
    assert.equal((await ledgerKinds(serial)).filter((e) => e.kind === 'redemption_undone').length, 1);
    await assertConsistent(serial);
  });

  it('the same Idempotency-Key gives the first answer again', async () => {
    const serial = await withRewards(m);
    const redeemed = await redeem(serial);
    const key = `undo-${randomBytes(6).toString('hex')}`;
    const first = await undo(serial, redeemed.body.redeemed.id, m, key);
    const again = await undo(serial, redeemed.body.redeemed.id, m, key);
    assert.equal(again.status, 200);
    assert.equal(again.text, first.text);
  });
});

describe('refusals', () => {
  it('another merchant’s redemption is not found, byte for byte like an unknown id', async () => {
    const mine = await withRewards(m);
    const redeemed = await redeem(mine);
    const theirs = await withRewards(other);
    // Their card with my redemption's id, my card from their account: both like an unknown id.
    const unknown = await undo(theirs, randomUUID(), other);
    const onTheirCard = await undo(theirs, redeemed.body.redeemed.id, other);
    assertProblem(unknown, 404, 'not_found');
    assertProblem(onTheirCard, 404, 'not_found');
    assert.equal(onTheirCard.text, unknown.text);
    assertProblem(await undo(mine, redeemed.body.redeemed.id, other), 404, 'not_found');
    assert.equal((await snapshot(mine)).rewards_available, 0);
    assert.equal((await snapshot(theirs)).rewards_available, 1);
  });

  it('a redemption of another card of the same merchant is not found', async () => {
    const a = await withRewards(m);
    const b = await withRewards(m);
    const redeemed = await redeem(a);
    assertProblem(await undo(b, redeemed.body.redeemed.id), 404, 'not_found');
    assert.equal((await snapshot(b)).rewards_available, 1);
    assert.equal((await snapshot(a)).rewards_available, 0);
  });

  for (const bad of ['not-a-uuid', '1', "'; DROP TABLE ledger; --", randomUUID().toUpperCase().replace(/-/g, '')]) {
    it(`an id that is no redemption (${bad}) is not found, not a 500`, async () => {
      const serial = await withRewards(m);
      assertProblem(await undo(serial, bad), 404, 'not_found');
    });
  }

  it('an unknown card is not found', async () => {
    assertProblem(await undo('abcdefghijklmnopqrstuv2345', randomUUID()), 404, 'not_found');
  });

  it('without a session: 401', async () => {
    const serial = await withRewards(m);
    const redeemed = await redeem(serial);
    assertProblem(await undo(serial, redeemed.body.redeemed.id, {}), 401, 'unauthorized');
  });

  it('after 10 minutes by the services’ clock: 409 `conflict`, and nothing is written', async () => {
    const serial = await withRewards(m, 2);
    const late = await redeem(serial);
    const inTime = await redeem(serial);
    try {
      h.setNow(new Date(Date.now() + 9 * 60_000));
      assert.equal((await undo(serial, inTime.body.redeemed.id)).status, 200);
      h.setNow(new Date(Date.now() + 11 * 60_000));
      const before = await snapshot(serial);
      const res = await undo(serial, late.body.redeemed.id);
      assertProblem(res, 409, 'conflict');
      assert.match(res.body.detail, /10 minutes/);
      assert.deepEqual(await snapshot(serial), before);
    } finally {
      h.setNow(undefined);
    }
  });
});
