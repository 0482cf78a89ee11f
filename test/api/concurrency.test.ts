// Concurrent writes to one card, Idempotency-Key semantics, and refusals that must write
// nothing. On PGlite the transactions are serialised; on Postgres (TEST_DB=postgres) they race.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { pruneLogs } from '../../server/db/queries/deliveries.ts';
import { pruneOldLogs } from '../../server/services/deliveries.ts';
import { replay, requestHash } from '../../server/services/idempotency.ts';
import { Harness, type Merchant, type Reply } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
before(async () => {
  h = await Harness.start();
});
after(() => h.close());

const newKey = () => `key-${randomBytes(6).toString('hex')}`;

function write(m: Merchant, serial: string, op: 'stamps' | 'purchases' | 'redemptions', body: unknown = {}, key?: string): Promise<Reply> {
  return h.post(`/api/merchant/cards/${serial}/${op}`, body, { cookie: m.cookie, headers: key ? { 'idempotency-key': key } : {} });
}

/** Ledger entries of a card, counted by kind. */
async function ledgerKinds(serial: string): Promise<Record<string, number>> {
  const { rows } = await h.db.query<{ kind: string; n: number }>(
    `SELECT l.kind, count(*)::int AS n FROM ledger l JOIN cards c ON c.id = l.card_id WHERE c.serial = $1 GROUP BY l.kind`,
    [serial],
  );
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

/** Everything a write could change about a card. */
async function snapshot(serial: string) {
  const { rows } = await h.db.query<Record<string, unknown>>(
    `SELECT c.stamps, c.rewards_available, c.points, c.tier, c.cashback_minor, c.spend_minor, c.version,
            c.updated_at, c.activated_at,
            (SELECT count(*)::int FROM ledger l WHERE l.card_id = c.id) AS ledger,
            (SELECT count(*)::int FROM redemptions r WHERE r.card_id = c.id) AS redemptions
       FROM cards c WHERE c.serial = $1`,
    [serial],
  );
  assert.equal(rows.length, 1);
  return rows[0]!;
}

async function storedKeys(m: Merchant, key: string): Promise<number> {
  const { rows } = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM idempotency_keys WHERE merchant_id = $1 AND key = $2', [
    m.id,
    key,
  ]);
  return rows[0]!.n;
}

async function assertConsistent(serial: string) {
  const { cached, fromLedger } = await h.cacheAndLedger(serial);
  assert.deepEqual(cached, fromLedger);
  return cached;
}

const times = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

describe('50 concurrent stamps on one card', () => {
  it('stampsRequired 50: 50 stamp entries, each answer saw a different count, one reward', async () => {
    const m = await h.signUpMerchant('Fifty Stamps');
    await h.setProgram(m, { stampsRequired: 50 });
    const key = await h.apiKey(m);
    const { serial } = await h.join(m);
    // Half from the dashboard, half from a till.
    const answers = await times(50, (i) =>
      i % 2
        ? write(m, serial, 'stamps')
        : h.post(`/api/merchant/cards/${serial}/stamps`, {}, { headers: { authorization: `Bearer ${key}` } }),
    );
    for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.body));
    // Serialised on the card: the answers saw 1, 2, … 49 stamps, and the 50th turned them into a reward.
    const seen = answers.map((a) => a.body.card.stamps as number).sort((x, y) => x - y);
    assert.deepEqual(
      seen,
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.equal(answers.filter((a) => a.body.rewardEarned).length, 1);
    assert.deepEqual(await ledgerKinds(serial), { stamp: 50, reward_earned: 1 });
    const cached = await assertConsistent(serial);
    assert.equal(cached.stamps, 0);
    assert.equal(cached.rewardsAvailable, 1);
  });

  it('stampsRequired 49: 50 stamps leave 1 stamp and 1 reward', async () => {
    const m = await h.signUpMerchant('Forty-Nine Stamps');
    await h.setProgram(m, { stampsRequired: 49 });
    const { serial } = await h.join(m);
    const answers = await times(50, () => write(m, serial, 'stamps'));
    for (const a of answers) assert.equal(a.status, 200);
    assert.deepEqual(await ledgerKinds(serial), { stamp: 50, reward_earned: 1 });
    const cached = await assertConsistent(serial);
    assert.equal(cached.stamps, 1);
    assert.equal(cached.rewardsAvailable, 1);
    assert.equal((await h.get(`/api/public/cards/${serial}`)).body.card.stamps, 1);
  });

  it('stampsRequired 10: 5 rewards, 0 stamps, exactly 5 answers earned one', async () => {
    const m = await h.signUpMerchant('Ten Stamps');
    const { serial } = await h.join(m);
    const answers = await times(50, () => write(m, serial, 'stamps'));
    for (const a of answers) assert.equal(a.status, 200);
    assert.equal(answers.filter((a) => a.body.rewardEarned).length, 5);
    const seen = answers.map((a) => a.body.card.stamps as number).sort((x, y) => x - y);
    assert.deepEqual(
      seen,
      Array.from({ length: 50 }, (_, i) => Math.floor(i / 5)),
    );
    assert.deepEqual(await ledgerKinds(serial), { stamp: 50, reward_earned: 5 });
    const cached = await assertConsistent(serial);
    assert.equal(cached.stamps, 0);
    assert.equal(cached.rewardsAvailable, 5);
  });

  it('concurrent stamps on different cards of one merchant do not mix', async () => {
    const m = await h.signUpMerchant('Many Cards');
    const serials = (await times(5, () => h.join(m))).map((c) => c.serial as string);
    const answers = await times(50, (i) => write(m, serials[i % 5]!, 'stamps', { count: 1 + (i % 5) }));
    for (const a of answers) assert.equal(a.status, 200);
    for (const [i, serial] of serials.entries()) {
      // 10 requests of (i + 1) stamps each on a 10-stamp card.
      const cached = await assertConsistent(serial);
      assert.equal(cached.rewardsAvailable * 10 + cached.stamps, 10 * (i + 1), serial);
      assert.equal((await ledgerKinds(serial)).stamp, 10);
    }
  });
});

describe('Idempotency-Key', () => {
  let a: Merchant;
  let b: Merchant;
  let aCard: string;
  let aOther: string;
  let bCard: string;
  const KEY = 'till-1-order-0042';
  let first: Reply;

  before(async () => {
    a = await h.signUpMerchant('Keyed A');
    b = await h.signUpMerchant('Keyed B');
    aCard = (await h.join(a)).serial;
    aOther = (await h.join(a)).serial;
    bCard = (await h.join(b)).serial;
  });

  it('the same key sent 20 times at once: one ledger entry, twenty identical answers', async () => {
    const answers = await times(20, () => write(a, aCard, 'stamps', { count: 2 }, KEY));
    first = answers[0]!;
    assert.equal(first.status, 200);
    assert.equal(first.body.card.stamps, 2);
    for (const r of answers) {
      assert.equal(r.status, first.status);
      assert.equal(r.text, first.text); // the very same bytes, not just the same JSON
    }
    assert.deepEqual(await ledgerKinds(aCard), { stamp: 1 });
    assert.equal((await assertConsistent(aCard)).stamps, 2);
  });

  it('sent again later with the same body: the first answer again, nothing written', async () => {
    const before = await snapshot(aCard);
    const again = await write(a, aCard, 'stamps', { count: 2 }, KEY);
    assert.equal(again.status, 200);
    assert.equal(again.text, first.text);
    assert.deepEqual(await snapshot(aCard), before);
  });

  it('reused with a different body, or on another card → 409 conflict, nothing written', async () => {
    const before = [await snapshot(aCard), await snapshot(aOther)];
    assertProblem(await write(a, aCard, 'stamps', { count: 3 }, KEY), 409, 'conflict');
    assertProblem(await write(a, aCard, 'stamps', {}, KEY), 409, 'conflict');
    assertProblem(await write(a, aOther, 'stamps', { count: 2 }, KEY), 409, 'conflict');
    assertProblem(await write(a, aCard, 'redemptions', { count: 2 }, KEY), 409, 'conflict');
    assert.deepEqual([await snapshot(aCard), await snapshot(aOther)], before);
  });

  it('keys are per merchant: B uses the same key string independently', async () => {
    const theirs = await write(b, bCard, 'stamps', { count: 2 }, KEY);
    assert.equal(theirs.status, 200);
    assert.equal(theirs.body.card.serial, bCard);
    assert.deepEqual(await ledgerKinds(bCard), { stamp: 1 });
    // A body B never sent under this key is a conflict for B too; A's answer is untouched.
    assertProblem(await write(b, bCard, 'stamps', { count: 5 }, KEY), 409, 'conflict');
    assert.deepEqual((await write(a, aCard, 'stamps', { count: 2 }, KEY)).body, first.body);
    assert.deepEqual((await write(b, bCard, 'stamps', { count: 2 }, KEY)).body, theirs.body);
    assert.deepEqual(await ledgerKinds(aCard), { stamp: 1 });
    assert.deepEqual(await ledgerKinds(bCard), { stamp: 1 });
  });

  it("B sending A's key at A's card at the same moment as A: each gets its own answer", async () => {
    const key = newKey();
    const [mine, theirs] = await Promise.all([write(a, aOther, 'stamps', {}, key), write(b, aOther, 'stamps', {}, key)]);
    assert.equal(mine!.status, 200);
    assertProblem(theirs!, 404, 'not_found');
    assert.equal(await storedKeys(a, key), 1);
    assert.equal(await storedKeys(b, key), 0);
  });

  it('a request refused by validation is not remembered: the key then works with a valid body', async () => {
    const key = newKey();
    const before = await snapshot(aCard);
    const refused = await write(a, aCard, 'stamps', { count: 0 }, key);
    assertProblem(refused, 400, 'validation_failed');
    assert.equal(await storedKeys(a, key), 0);
    assert.deepEqual(await snapshot(aCard), before);
    const ok = await write(a, aCard, 'stamps', { count: 1 }, key);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.card.stamps, 3);
    const replay = await write(a, aCard, 'stamps', { count: 1 }, key);
    assert.deepEqual(replay.body, ok.body);
    assert.deepEqual(await ledgerKinds(aCard), { stamp: 2 });
    await assertConsistent(aCard);
  });

  it('a redemption sent 10 times at once with one key redeems once', async () => {
    const serial = (await h.join(a)).serial;
    await write(a, serial, 'stamps', { count: 20 });
    const key = newKey();
    const answers = await times(10, () => write(a, serial, 'redemptions', {}, key));
    for (const r of answers) {
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, answers[0]!.body);
    }
    assert.equal(answers[0]!.body.card.rewardsAvailable, 1);
    assert.deepEqual(await ledgerKinds(serial), { stamp: 1, reward_earned: 1, redemption: 1 });
    assert.equal((await snapshot(serial)).redemptions, 1);
    assert.equal((await assertConsistent(serial)).rewardsAvailable, 1);
  });

  it('a key reused for another request says so: the same 409 code as a refused operation, told apart by its detail', async () => {
    const res = await write(a, aCard, 'stamps', { count: 7 }, KEY);
    assertProblem(res, 409, 'conflict');
    assert.match(res.body.detail, /Idempotency-Key was already used for a different request/);
  });

  it("B sending A's request word for word under A's key after A: not found, A's answer not given out", async () => {
    const key = newKey();
    const mine = await write(a, aOther, 'stamps', {}, key);
    assert.equal(mine.status, 200);
    assertProblem(await write(b, aOther, 'stamps', {}, key), 404, 'not_found');
    assert.equal(await storedKeys(b, key), 0);
    assert.equal((await write(a, aOther, 'stamps', {}, key)).text, mine.text);
  });

  it('answers are kept 30 days: the daily job then forgets the key, and a new request may use it', async () => {
    const serial = (await h.join(a)).serial;
    const [old, recent] = [newKey(), newKey()];
    for (const key of [old, recent]) assert.equal((await write(a, serial, 'stamps', {}, key)).status, 200);
    const age = (key: string, interval: string) =>
      h.db.query(`UPDATE idempotency_keys SET created_at = now() - $3::interval WHERE merchant_id = $1 AND key = $2`, [
        a.id,
        key,
        interval,
      ]);
    await age(old, '30 days 1 minute');
    await age(recent, '29 days 23 hours');
    await pruneOldLogs(h.deps);
    assert.equal(await storedKeys(a, old), 0);
    assert.equal(await storedKeys(a, recent), 1);
    const fresh = await write(a, serial, 'stamps', { count: 2 }, old);
    assert.equal(fresh.status, 200);
    assert.equal(fresh.body.card.stamps, 4);
    assertProblem(await write(a, serial, 'stamps', { count: 2 }, recent), 409, 'conflict');
    assert.deepEqual(await ledgerKinds(serial), { stamp: 3 });
  });

  it('an answer exactly 30 days old is still kept', async () => {
    const serial = (await h.join(a)).serial;
    const key = newKey();
    const first = await write(a, serial, 'stamps', {}, key);
    // One transaction, one now(): the answer's age and the daily job's cut are the same instant.
    await h.db.transaction(async (tx) => {
      await tx.query(`UPDATE idempotency_keys SET created_at = now() - interval '30 days' WHERE merchant_id = $1 AND key = $2`, [
        a.id,
        key,
      ]);
      await pruneLogs(tx);
    });
    assert.equal(await storedKeys(a, key), 1);
    assert.equal((await write(a, serial, 'stamps', {}, key)).text, first.text);
    assert.deepEqual(await ledgerKinds(serial), { stamp: 1 });
  });

  it('a key claimed but never answered is an error to replay, not an empty answer', async () => {
    const key = newKey();
    const hash = requestHash('POST', `/api/merchant/cards/${aCard}/stamps`, {});
    await h.db.query('INSERT INTO idempotency_keys (merchant_id, key, request_hash) VALUES ($1, $2, $3)', [a.id, key, hash]);
    await assert.rejects(replay(h.db, a.id, { key, hash }), /^Error: idempotency key claimed without an answer$/);
    // Nor is a key with no row at all.
    await assert.rejects(replay(h.db, a.id, { key: newKey(), hash }), /^Error: idempotency key claimed without an answer$/);
  });

  it('requestHash: one fingerprint per method, path and body', () => {
    const path = `/api/merchant/cards/${aCard}/stamps`;
    const fingerprint = requestHash('POST', path, { count: 2 });
    assert.match(fingerprint, /^[\w-]{43}$/, 'SHA-256 in base64url');
    assert.equal(requestHash('POST', path, { count: 2 }), fingerprint);
    const others = [
      requestHash('PUT', path, { count: 2 }),
      requestHash('POST', `/api/merchant/cards/${aOther}/stamps`, { count: 2 }),
      requestHash('POST', path, { count: 3 }),
      requestHash('POST', path, {}),
      requestHash('POST', path, undefined),
    ];
    assert.equal(new Set([fingerprint, ...others]).size, 1 + others.length);
    assert.equal(requestHash('POST', path, undefined), requestHash('POST', path, null), 'no body is a null body');
  });
});

describe('redeeming more than the balance → 409 insufficient_balance, nothing written', () => {
  let stamps: Merchant;
  let points: Merchant;
  let cash: Merchant;

  before(async () => {
    stamps = await h.signUpMerchant('Broke Stamps');
    points = await h.signUpMerchant('Broke Points');
    await h.setProgram(points, {
      type: 'points',
      pointsPerUnit: 1,
      rewards: [
        { id: 'coffee', name: 'Coffee', points: 30, costMinor: 80 },
        { id: 'cake', name: 'Cake', points: 100, costMinor: 200 },
      ],
    });
    cash = await h.signUpMerchant('Broke Cashback');
    await h.setProgram(cash, { type: 'cashback', cashbackPercent: 5 });
  });

  /** Refused, with nothing written and the key not remembered. */
  async function assertRefused(m: Merchant, serial: string, body: unknown) {
    const before = await snapshot(serial);
    const key = newKey();
    assertProblem(await write(m, serial, 'redemptions', body, key), 409, 'insufficient_balance');
    assert.deepEqual(await snapshot(serial), before);
    assert.equal(await storedKeys(m, key), 0);
    await assertConsistent(serial);
  }

  it('stamps: no reward yet (9 of 10 stamps)', async () => {
    const { serial } = await h.join(stamps);
    await write(stamps, serial, 'stamps', { count: 9 });
    await assertRefused(stamps, serial, {});
    await assertRefused(stamps, (await h.join(stamps)).serial, {});
  });

  it('points: a catalog reward costing more than the card holds', async () => {
    const { serial } = await h.join(points);
    assert.equal((await write(points, serial, 'purchases', { amount: 2999 })).body.card.points, 29);
    await assertRefused(points, serial, { rewardId: 'coffee' });
    await assertRefused(points, serial, { rewardId: 'cake' });
    // One more euro makes the coffee affordable, and only once.
    await write(points, serial, 'purchases', { amount: 100 });
    assert.equal((await write(points, serial, 'redemptions', { rewardId: 'coffee' })).body.card.points, 0);
    await assertRefused(points, serial, { rewardId: 'coffee' });
  });

  it('cashback: more than the balance, or anything from an empty balance', async () => {
    const { serial } = await h.join(cash);
    await assertRefused(cash, serial, {});
    await assertRefused(cash, serial, { amount: 1 });
    assert.equal((await write(cash, serial, 'purchases', { amount: 2000 })).body.card.cashbackBalance, 100);
    await assertRefused(cash, serial, { amount: 101 });
    assert.equal((await write(cash, serial, 'redemptions', { amount: 100 })).body.card.cashbackBalance, 0);
    await assertRefused(cash, serial, {});
  });

  it('10 concurrent stamps redemptions on a card with 2 rewards: exactly 2 succeed', async () => {
    const { serial } = await h.join(stamps);
    await write(stamps, serial, 'stamps', { count: 25 });
    const answers = await times(10, () => write(stamps, serial, 'redemptions'));
    assert.equal(answers.filter((r) => r.status === 200).length, 2);
    for (const r of answers.filter((r) => r.status !== 200)) assertProblem(r, 409, 'insufficient_balance');
    const cached = await assertConsistent(serial);
    assert.equal(cached.rewardsAvailable, 0);
    assert.equal(cached.stamps, 5);
    assert.equal((await snapshot(serial)).redemptions, 2);
  });

  it('10 concurrent 30-point redemptions on 100 points: exactly 3 succeed, 10 points left', async () => {
    const { serial } = await h.join(points);
    await write(points, serial, 'purchases', { amount: 10_000 });
    const answers = await times(10, () => write(points, serial, 'redemptions', { rewardId: 'coffee' }));
    assert.equal(answers.filter((r) => r.status === 200).length, 3);
    for (const r of answers.filter((r) => r.status !== 200)) assertProblem(r, 409, 'insufficient_balance');
    assert.equal((await assertConsistent(serial)).points, 10);
    assert.equal((await snapshot(serial)).redemptions, 3);
  });

  it('10 concurrent cashback redemptions of 30 on a balance of 100: exactly 3 succeed, 10 left', async () => {
    const { serial } = await h.join(cash);
    await write(cash, serial, 'purchases', { amount: 2000 });
    const answers = await times(10, () => write(cash, serial, 'redemptions', { amount: 30 }));
    assert.equal(answers.filter((r) => r.status === 200).length, 3);
    for (const r of answers.filter((r) => r.status !== 200)) assertProblem(r, 409, 'insufficient_balance');
    assert.equal((await assertConsistent(serial)).cashbackMinor, 10);
    assert.equal((await snapshot(serial)).redemptions, 3);
  });
});
