// Each program type through the API: stamps, points, tiers, cashback; the signup bonus and
// referrals. After every write, the card's cached balances equal the ledger's recomputation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness, type Merchant, type Reply } from '../support/harness.ts';

let h: Harness;
before(async () => {
  h = await Harness.start();
});
after(() => h.close());

/** A write to a card; asserts it answered `status` and left cache = ledger. */
async function write(
  m: Merchant,
  serial: string,
  op: 'stamps' | 'purchases' | 'redemptions',
  body: unknown = {},
  status = 200,
): Promise<Reply> {
  const res = await h.post(`/api/merchant/cards/${serial}/${op}`, body, { cookie: m.cookie });
  assert.equal(res.status, status, `${op} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
  await assertConsistent(serial);
  return res;
}

async function assertConsistent(serial: string) {
  const { cached, fromLedger } = await h.cacheAndLedger(serial);
  assert.deepEqual(cached, fromLedger);
  return cached;
}

async function merchantWith(name: string, program: Record<string, unknown>): Promise<Merchant> {
  const m = await h.signUpMerchant(name);
  await h.setProgram(m, program);
  return m;
}

async function join(m: Merchant, extra: Record<string, unknown> = {}) {
  const card = await h.join(m, extra);
  await assertConsistent(card.serial);
  return card;
}

const publicCard = async (serial: string) => (await h.get(`/api/public/cards/${serial}`)).body.card;

async function ledgerKinds(serial: string): Promise<Record<string, number>> {
  const { rows } = await h.db.query<{ kind: string; n: number }>(
    'SELECT l.kind, count(*)::int AS n FROM ledger l JOIN cards c ON c.id = l.card_id WHERE c.serial = $1 GROUP BY l.kind',
    [serial],
  );
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

describe('points', () => {
  let m: Merchant;
  let serial: string;
  before(async () => {
    m = await merchantWith('Points Bakery', {
      type: 'points',
      pointsPerUnit: 2,
      rewards: [
        { id: 'croissant', name: 'Croissant', points: 20, costMinor: 40 },
        { id: 'tote', name: 'Tote bag', points: 150, costMinor: 500 },
      ],
    });
  });

  it('a new card shows points and nulls for the other types', async () => {
    const card = await join(m, { name: 'Paula Points' });
    serial = card.serial;
    assert.deepEqual(
      { ...card, serial: undefined, updatedAt: undefined },
      {
        serial: undefined,
        programType: 'points',
        stamps: null,
        stampsRequired: null,
        rewardsAvailable: null,
        points: 0,
        tier: null,
        cashbackBalance: null,
        customerName: 'Paula Points',
        updatedAt: undefined,
      },
    );
  });

  it('purchase amounts in cents become points per euro, rounded down', async () => {
    for (const [amount, total] of [
      [1234, 24], // 12.34 € × 2
      [99, 25], // 0.99 € × 2 = 1.98
      [5, 25], // 0.05 € × 2 = 0.1
      [10_000, 225],
    ] as const) {
      const res = await write(m, serial, 'purchases', { amount });
      assert.equal(res.body.card.points, total, `after ${amount}`);
    }
    const { cached } = await h.cacheAndLedger(serial);
    assert.equal(cached.spendMinor, 1234 + 99 + 5 + 10_000);
    assert.equal((await publicCard(serial)).points, 225);
  });

  it('redeems a catalog reward by id; the redemption records the reward and its cost', async () => {
    const res = await write(m, serial, 'redemptions', { rewardId: 'tote' });
    assert.equal(res.body.card.points, 75);
    assert.deepEqual(res.body.redeemed, { rewardId: 'tote', name: 'Tote bag' });
    const { rows } = await h.db.query<{ reward_id: string; reward_name: string; cost_minor: number; currency: string }>(
      'SELECT r.reward_id, r.reward_name, r.cost_minor, r.currency FROM redemptions r JOIN cards c ON c.id = r.card_id WHERE c.serial = $1',
      [serial],
    );
    assert.deepEqual(rows, [{ reward_id: 'tote', reward_name: 'Tote bag', cost_minor: 500, currency: 'EUR' }]);
  });

  it('without a rewardId in a catalog of two, or with an unknown one → 400 rewardId, nothing written', async () => {
    const before = await h.cacheAndLedger(serial);
    for (const body of [{}, { rewardId: 'caviar' }]) {
      const res = await write(m, serial, 'redemptions', body, 400);
      assert.equal(res.body.code, 'validation_failed');
      assert.deepEqual(
        res.body.errors.map((e: any) => e.path),
        ['rewardId'],
      );
    }
    assert.deepEqual(await h.cacheAndLedger(serial), before);
  });

  it('stamps on a points program → 409 conflict, nothing written', async () => {
    const before = await h.cacheAndLedger(serial);
    const res = await write(m, serial, 'stamps', {}, 409);
    assert.equal(res.body.code, 'conflict');
    assert.deepEqual(await h.cacheAndLedger(serial), before);
  });

  it('a zero-decimal currency (JPY): one point per yen; a one-reward catalog needs no rewardId', async () => {
    const yen = await merchantWith('Yen Sushi', {
      type: 'points',
      currency: 'JPY',
      pointsPerUnit: 1,
      rewards: [{ id: 'miso', name: 'Miso soup', points: 300, costMinor: 100 }],
    });
    const card = await join(yen);
    assert.equal((await write(yen, card.serial, 'purchases', { amount: 450 })).body.card.points, 450);
    const res = await write(yen, card.serial, 'redemptions', {});
    assert.equal(res.body.card.points, 150);
    assert.equal(res.body.redeemed.rewardId, 'miso');
    const { rows } = await h.db.query<{ currency: string }>(
      'SELECT DISTINCT l.currency FROM ledger l JOIN cards c ON c.id = l.card_id WHERE c.serial = $1',
      [card.serial],
    );
    assert.deepEqual(rows, [{ currency: 'JPY' }]);
  });
});

describe('tiers', () => {
  let m: Merchant;
  let serial: string;
  before(async () => {
    m = await merchantWith('Tiered Boutique', {
      type: 'tiers',
      pointsPerUnit: 1,
      tiers: [
        { name: 'Bronze', threshold: 0, multiplier: 1, perks: [] },
        { name: 'Silver', threshold: 10_000, multiplier: 1.5, perks: ['Free gift wrap'] },
        { name: 'Gold', threshold: 50_000, multiplier: 2, perks: ['Free delivery'] },
      ],
      rewards: [{ id: 'voucher', name: '10 € voucher', points: 500, costMinor: 1000 }],
    });
    serial = (await join(m)).serial;
  });

  it('the tier is recomputed on each purchase and earns at its multiplier', async () => {
    const steps = [
      // amount, spend so far, tier, points earned, tier changed
      [5_000, 5_000, 'Bronze', 50, true],
      [6_000, 11_000, 'Silver', 90, true], // 60 € × 1.5: the purchase that reaches a tier earns at it
      [1_000, 12_000, 'Silver', 15, false],
      [40_000, 52_000, 'Gold', 800, true],
      [1_001, 53_001, 'Gold', 20, false], // 10.01 € × 2 = 20.02
    ] as const;
    let points = 0;
    for (const [amount, spend, tier, earned, changed] of steps) {
      const res = await write(m, serial, 'purchases', { amount });
      points += earned;
      assert.equal(res.body.card.programType, 'tiers');
      assert.equal(res.body.card.tier, tier, `after ${spend}`);
      assert.equal(res.body.card.points, points, `after ${spend}`);
      assert.equal(res.body.tierChanged, changed, `after ${spend}`);
      assert.equal(res.body.card.stamps, null);
      assert.equal(res.body.card.cashbackBalance, null);
      assert.equal((await h.cacheAndLedger(serial)).cached.spendMinor, spend);
    }
    const card = await publicCard(serial);
    assert.equal(card.tier, 'Gold');
    assert.equal(card.points, points);
  });

  it('redeeming points does not change the tier', async () => {
    const res = await write(m, serial, 'redemptions', { rewardId: 'voucher' });
    assert.equal(res.body.card.tier, 'Gold');
    assert.equal(res.body.card.points, 975 - 500);
  });

  it('below the first threshold the tier is null and points earn at 1×', async () => {
    const club = await merchantWith('Club Only', {
      type: 'tiers',
      pointsPerUnit: 1,
      tiers: [{ name: 'Club', threshold: 10_000, multiplier: 3, perks: [] }],
    });
    const card = await join(club);
    const first = await write(club, card.serial, 'purchases', { amount: 5_000 });
    assert.equal(first.body.card.tier, null);
    assert.equal(first.body.card.points, 50);
    assert.equal(first.body.tierChanged, false);
    const second = await write(club, card.serial, 'purchases', { amount: 5_000 });
    assert.equal(second.body.card.tier, 'Club');
    assert.equal(second.body.card.points, 50 + 150);
    assert.equal(second.body.tierChanged, true);
  });

  it('stamps on a tiers program → 409 conflict', async () => {
    assert.equal((await write(m, serial, 'stamps', {}, 409)).body.code, 'conflict');
  });
});

describe('cashback', () => {
  let m: Merchant;
  let serial: string;
  before(async () => {
    m = await merchantWith('Cashback Corner', { type: 'cashback', cashbackPercent: 2.5 });
    serial = (await join(m)).serial;
  });

  it('credits the percentage of each purchase, rounded down', async () => {
    const first = await write(m, serial, 'purchases', { amount: 999 }); // 24.975
    assert.equal(first.body.card.cashbackBalance, 24);
    assert.equal(first.body.card.points, null);
    assert.equal(first.body.card.tier, null);
    assert.equal(first.body.card.programType, 'cashback');
    const second = await write(m, serial, 'purchases', { amount: 4_000 }); // 100
    assert.equal(second.body.card.cashbackBalance, 124);
  });

  it('redeems an amount, then the rest when no amount is given', async () => {
    const part = await write(m, serial, 'redemptions', { amount: 24 });
    assert.equal(part.body.card.cashbackBalance, 100);
    assert.deepEqual(part.body.redeemed, { rewardId: null, name: 'Cashback' });
    const rest = await write(m, serial, 'redemptions', {});
    assert.equal(rest.body.card.cashbackBalance, 0);
    const { rows } = await h.db.query<{ cost_minor: number }>(
      'SELECT r.cost_minor FROM redemptions r JOIN cards c ON c.id = r.card_id WHERE c.serial = $1 ORDER BY r.created_at, r.cost_minor DESC',
      [serial],
    );
    assert.deepEqual(
      rows.map((r) => r.cost_minor).sort((a, b) => a - b),
      [24, 100],
    );
    assert.equal((await publicCard(serial)).cashbackBalance, 0);
  });

  it('stamps on a cashback program → 409 conflict', async () => {
    assert.equal((await write(m, serial, 'stamps', {}, 409)).body.code, 'conflict');
  });
});

describe('stamps', () => {
  it('the purchases endpoint on a stamps program → 409 conflict, nothing written', async () => {
    const m = await h.signUpMerchant('Stamps Only');
    const { serial } = await join(m);
    const before = await h.cacheAndLedger(serial);
    const res = await write(m, serial, 'purchases', { amount: 1000 }, 409);
    assert.equal(res.body.code, 'conflict');
    assert.deepEqual(await h.cacheAndLedger(serial), before);
  });

  it('a purchaseAmount with stamps is recorded as spend', async () => {
    const m = await h.signUpMerchant('Stamps Spend');
    const { serial } = await join(m);
    const res = await write(m, serial, 'stamps', { count: 2, purchaseAmount: 1250 });
    assert.equal(res.body.card.stamps, 2);
    assert.equal((await h.cacheAndLedger(serial)).cached.spendMinor, 1250);
  });
});

describe('signup bonus', () => {
  const cases = [
    { type: 'stamps', program: { signupBonus: 3 }, expect: { stamps: 3, rewardsAvailable: 0 } },
    {
      type: 'stamps (bonus past the threshold)',
      program: { signupBonus: 12, stampsRequired: 10 },
      expect: { stamps: 2, rewardsAvailable: 1 },
    },
    { type: 'points', program: { type: 'points', signupBonus: 100 }, expect: { points: 100 } },
    {
      type: 'tiers',
      program: { type: 'tiers', signupBonus: 40, tiers: [{ name: 'Member', threshold: 0, multiplier: 1, perks: [] }] },
      expect: { points: 40 },
    },
    { type: 'cashback', program: { type: 'cashback', cashbackPercent: 5, signupBonus: 500 }, expect: { cashbackBalance: 500 } },
  ];
  for (const c of cases) {
    it(`${c.type}: the bonus is on the new card, in the ledger, and on the public card`, async () => {
      const m = await merchantWith(`Bonus ${c.type}`, c.program);
      const card = await join(m);
      for (const [field, value] of Object.entries(c.expect)) {
        assert.equal(card[field], value, `signup answer ${field}`);
        assert.equal((await publicCard(card.serial))[field], value, `public card ${field}`);
      }
      assert.equal((await ledgerKinds(card.serial)).signup_bonus, 1);
    });
  }

  it('no bonus: no ledger entry at all', async () => {
    const m = await h.signUpMerchant('No Bonus');
    const card = await join(m);
    assert.deepEqual(await ledgerKinds(card.serial), {});
    assert.equal(card.stamps, 0);
  });
});

describe('referrals', () => {
  const referralCode = async (serial: string) =>
    (await h.db.query<{ referral_code: string }>('SELECT referral_code FROM cards WHERE serial = $1', [serial])).rows[0]!.referral_code;
  const referralsOf = async (serial: string) =>
    (
      await h.db.query<{ status: string; referrer: string }>(
        `SELECT r.status, rc.serial AS referrer FROM referrals r
           JOIN cards e ON e.id = r.referee_card_id JOIN cards rc ON rc.id = r.referrer_card_id
          WHERE e.serial = $1`,
        [serial],
      )
    ).rows;

  describe('stamps program', () => {
    let m: Merchant;
    let referrer: string;
    let referee: string;
    before(async () => {
      m = await merchantWith('Referral Roasters', { referral: { referrerReward: 2, refereeReward: 1 } });
      referrer = (await join(m, { name: 'Rita Referrer' })).serial;
    });

    it("signup with a member's code pays nothing yet and records a pending referral", async () => {
      const card = await join(m, { name: 'Eddie Referee', referralCode: await referralCode(referrer) });
      referee = card.serial;
      assert.equal(card.stamps, 0);
      assert.deepEqual(await referralsOf(referee), [{ status: 'pending', referrer }]);
      assert.deepEqual(await ledgerKinds(referee), {});
      assert.deepEqual(await ledgerKinds(referrer), {});
    });

    it("the referee's first stamp pays both sides", async () => {
      const res = await write(m, referee, 'stamps');
      assert.equal(res.body.card.stamps, 1 + 1);
      assert.equal((await publicCard(referrer)).stamps, 2);
      await assertConsistent(referrer);
      assert.deepEqual(await referralsOf(referee), [{ status: 'rewarded', referrer }]);
      assert.deepEqual(await ledgerKinds(referee), { stamp: 1, referral_bonus: 1 });
      assert.deepEqual(await ledgerKinds(referrer), { referral_bonus: 1 });
    });

    it('and only once: later stamps pay no one', async () => {
      for (let i = 0; i < 3; i++) await write(m, referee, 'stamps');
      assert.equal((await publicCard(referee)).stamps, 2 + 3);
      assert.equal((await publicCard(referrer)).stamps, 2);
      assert.equal((await ledgerKinds(referee)).referral_bonus, 1);
      assert.equal((await ledgerKinds(referrer)).referral_bonus, 1);
    });

    it("the referrer's own stamps pay no referral", async () => {
      await write(m, referrer, 'stamps');
      assert.equal((await publicCard(referrer)).stamps, 3);
      assert.equal((await ledgerKinds(referrer)).referral_bonus, 1);
    });

    it('a second referee pays the referrer again, once', async () => {
      const second = (await join(m, { referralCode: await referralCode(referrer) })).serial;
      await write(m, second, 'stamps');
      await write(m, second, 'stamps');
      assert.equal((await publicCard(second)).stamps, 1 + 1 + 1);
      assert.equal((await publicCard(referrer)).stamps, 3 + 2);
      assert.equal((await ledgerKinds(referrer)).referral_bonus, 2);
      await assertConsistent(referrer);
    });

    it('racing first stamps pay the referral once', async () => {
      const racer = (await join(m, { referralCode: await referralCode(referrer) })).serial;
      const before = (await publicCard(referrer)).stamps;
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => h.post(`/api/merchant/cards/${racer}/stamps`, {}, { cookie: m.cookie })),
      );
      for (const a of answers) assert.equal(a.status, 200);
      assert.deepEqual(await ledgerKinds(racer), { stamp: 10, referral_bonus: 1, reward_earned: 1 });
      const cached = await assertConsistent(racer);
      assert.equal(cached.rewardsAvailable * 10 + cached.stamps, 10 + 1);
      assert.equal((await publicCard(referrer)).stamps, before + 2);
      await assertConsistent(referrer);
    });

    it("an unknown code and another merchant's code are ignored: signup works, no referral, no reward", async () => {
      const other = await h.signUpMerchant('Other Shop');
      const outsider = (await join(other)).serial;
      for (const code of ['nosuchcode', await referralCode(outsider)]) {
        const before = (await publicCard(referrer)).stamps;
        const card = await join(m, { referralCode: code });
        assert.equal(card.stamps, 0);
        assert.deepEqual(await referralsOf(card.serial), []);
        const res = await write(m, card.serial, 'stamps');
        assert.equal(res.body.card.stamps, 1);
        assert.deepEqual(await ledgerKinds(card.serial), { stamp: 1 });
        assert.equal((await publicCard(referrer)).stamps, before);
        assert.deepEqual(await ledgerKinds(outsider), {});
      }
    });
  });

  describe('points program', () => {
    it("the referee's first purchase pays both sides, once", async () => {
      const m = await merchantWith('Referral Points', {
        type: 'points',
        pointsPerUnit: 1,
        referral: { referrerReward: 50, refereeReward: 25 },
      });
      const referrer = (await join(m)).serial;
      const referee = await join(m, { referralCode: await referralCode(referrer) });
      assert.equal(referee.points, 0);
      assert.equal((await publicCard(referrer)).points, 0);
      const first = await write(m, referee.serial, 'purchases', { amount: 1_000 });
      assert.equal(first.body.card.points, 10 + 25);
      assert.equal((await publicCard(referrer)).points, 50);
      const second = await write(m, referee.serial, 'purchases', { amount: 1_000 });
      assert.equal(second.body.card.points, 35 + 10);
      assert.equal((await publicCard(referrer)).points, 50);
      assert.deepEqual(await ledgerKinds(referee.serial), { purchase: 2, referral_bonus: 1 });
      assert.deepEqual(await ledgerKinds(referrer), { referral_bonus: 1 });
      await assertConsistent(referrer);
    });

    it('a redemption is not a first purchase: it pays no referral', async () => {
      const m = await merchantWith('Referral Redeem', {
        type: 'points',
        pointsPerUnit: 1,
        signupBonus: 30,
        rewards: [{ id: 'tea', name: 'Tea', points: 30, costMinor: 50 }],
        referral: { referrerReward: 50, refereeReward: 25 },
      });
      const referrer = (await join(m)).serial;
      const referee = await join(m, { referralCode: await referralCode(referrer) });
      await write(m, referee.serial, 'redemptions', { rewardId: 'tea' });
      assert.equal((await publicCard(referrer)).points, 30);
      assert.deepEqual(await referralsOf(referee.serial), [{ status: 'pending', referrer }]);
    });
  });
});
