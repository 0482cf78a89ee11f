// Each program type through the API: stamps, points, tiers, cashback; the signup bonus and
// referrals (issue 16: one mailbox however written, the referrer's phone, the monthly cap, the
// referral as the actor of its bonus); a lowered threshold pays the full cards, and the history
// keeps the names of its time. After every write, the card's cached balances equal the ledger's
// recomputation.
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
    assert.deepEqual(res.body.redeemed, { id: res.body.redeemed.id, rewardId: 'tote', name: 'Tote bag' });
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
      [5_000, 5_000, 'Bronze', 50, false], // the new card already held Bronze (issue 16)
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
    assert.deepEqual(part.body.redeemed, { id: part.body.redeemed.id, rewardId: null, name: 'Cashback' });
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

  describe('fraud (issue 16)', () => {
    let m: Merchant;
    before(async () => {
      m = await merchantWith('Referral Guard', { referral: { referrerReward: 2, refereeReward: 1, monthlyCap: 2 } });
    });

    /** A friend joins with the code and has a first stamp: whether the referral was paid, and what each card holds. */
    async function friendVisits(referrer: string, friend: Record<string, unknown>) {
      const joined = await join(m, { ...friend, referralCode: await referralCode(referrer) });
      await write(m, joined.serial, 'stamps');
      return joined.serial as string;
    }

    // `t` keeps each case's addresses apart from the other members'.
    const mailboxes: Array<[string, (t: string) => [own: string, other: string]]> = [
      ['a +tag', (t) => [`alice${t}@example.com`, `alice${t}+1@example.com`]],
      ['capitals and a +tag', (t) => [`alice${t}@example.com`, `ALICE${t}+loyalty@Example.com`]],
      ['Gmail dots, googlemail.com and a +tag', (t) => [`alice.martin${t}@gmail.com`, `alicemartin${t}+2@googlemail.com`]],
    ];
    for (const [how, addresses] of mailboxes) {
      it(`the referrer's own mailbox written with ${how} joins, but nobody is paid`, async () => {
        const [own, other] = addresses(Math.random().toString(36).slice(2, 8));
        const referrer = (await join(m, { email: own })).serial;
        const friend = await friendVisits(referrer, { email: other });
        assert.deepEqual(await referralsOf(friend), []);
        assert.deepEqual(await ledgerKinds(friend), { stamp: 1 });
        assert.deepEqual(await ledgerKinds(referrer), {});
      });
    }

    it("a friend with the referrer's phone (written another way) joins, but nobody is paid", async () => {
      const referrer = (await join(m, { phone: '+33 6 12 34 56 78' })).serial;
      const friend = await friendVisits(referrer, { phone: '06.12.34.56.78' });
      assert.deepEqual(await referralsOf(friend), []);
      assert.deepEqual(await ledgerKinds(friend), { stamp: 1 });
      assert.deepEqual(await ledgerKinds(referrer), {});
      // Another phone pays as usual.
      const other = await friendVisits(referrer, { phone: '06 98 76 54 32' });
      assert.deepEqual(await referralsOf(other), [{ status: 'rewarded', referrer }]);
      assert.deepEqual(await ledgerKinds(referrer), { referral_bonus: 1 });
    });

    it('pays at most monthlyCap referrals of one member in 30 days; the next friends join unpaid, and pay again after', async () => {
      const referrer = (await join(m)).serial;
      try {
        const paid = [await friendVisits(referrer, {}), await friendVisits(referrer, {})];
        const third = await friendVisits(referrer, {});
        for (const f of paid) assert.deepEqual(await referralsOf(f), [{ status: 'rewarded', referrer }]);
        assert.deepEqual(await referralsOf(third), [{ status: 'refused', referrer }]);
        assert.deepEqual(await ledgerKinds(third), { stamp: 1 }, 'the friend over the cap gets no bonus either');
        assert.deepEqual(await ledgerKinds(referrer), { referral_bonus: 2 });
        assert.equal((await publicCard(referrer)).stamps, 4);
        // A second stamp of the refused friend pays nothing later either.
        await write(m, third, 'stamps');
        assert.deepEqual(await ledgerKinds(referrer), { referral_bonus: 2 });

        h.setNow(new Date(Date.now() + 31 * 86_400_000));
        const later = await friendVisits(referrer, {});
        assert.deepEqual(await referralsOf(later), [{ status: 'rewarded', referrer }]);
        assert.deepEqual(await ledgerKinds(referrer), { referral_bonus: 3 });
        await assertConsistent(referrer);
      } finally {
        h.setNow(undefined);
      }
    });

    it("the referrer's bonus names the referral as its actor, not the till that stamped the friend", async () => {
      const guard = await merchantWith('Referral Actor', { referral: { referrerReward: 2, refereeReward: 1 } });
      const key = await h.apiKey(guard);
      const referrer = (await join(guard)).serial;
      const friend = (await join(guard, { referralCode: await referralCode(referrer) })).serial;
      const res = await h.post(`/api/merchant/cards/${friend}/stamps`, {}, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(res.status, 200);
      const actors = async (serial: string) =>
        (
          await h.db.query<{ kind: string; actor: string | null }>(
            'SELECT l.kind, l.actor FROM ledger l JOIN cards c ON c.id = l.card_id WHERE c.serial = $1 ORDER BY l.id',
            [serial],
          )
        ).rows;
      assert.deepEqual(await actors(referrer), [{ kind: 'referral_bonus', actor: 'system:referral' }]);
      assert.match((await actors(friend))[0]!.actor!, /^key:/, 'the stamp is the till’s');
      const customer = (await h.db.query<{ id: string }>('SELECT customer_id AS id FROM cards WHERE serial = $1', [referrer])).rows[0]!.id;
      const detail = await h.get(`/api/merchant/customers/${customer}`, { cookie: guard.cookie });
      assert.equal(detail.body.history[0].actor, 'system:referral');
      assert.equal(detail.body.history[0].actorName, null);
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

describe('fewer stamps for a reward (issue 16)', () => {
  let m: Merchant;
  const cards: Record<number, string> = {};
  const stamp = (serial: string, count: number) => write(m, serial, 'stamps', { count });
  const preview = (changes: Record<string, unknown>, cookie = m.cookie) =>
    h.post('/api/merchant/program/preview', { ...m.program, ...changes }, { cookie });
  const rewardRows = async (serial: string) =>
    (
      await h.db.query<{ stamps: number; rewards: number; reward_name: string; actor: string }>(
        `SELECT l.stamps, l.rewards, l.reward_name, l.actor FROM ledger l JOIN cards c ON c.id = l.card_id
          WHERE c.serial = $1 AND l.kind = 'reward_earned' ORDER BY l.id`,
        [serial],
      )
    ).rows;

  before(async () => {
    m = await merchantWith('Threshold Café', { stampsRequired: 10, reward: { name: 'Un café offert', costMinor: 60 } });
    for (const n of [7, 8, 9]) {
      cards[n] = (await join(m)).serial;
      await stamp(cards[n]!, n);
    }
    // The 8-stamp card's pass is on a phone.
    await h.db.query(
      `INSERT INTO apple_registrations (device_id, card_id, push_token) SELECT 'device-' || serial, id, repeat('cd', 32) FROM cards WHERE serial = $1`,
      [cards[8]],
    );
    await h.db.query('DELETE FROM outbox WHERE merchant_id = $1', [m.id]);
  });

  it('the preview counts the cards the save would pay, and writes nothing', async () => {
    const ledger = await h.count('SELECT count(*)::int AS n FROM ledger WHERE merchant_id = $1', [m.id]);
    for (const [required, affected] of [
      [8, 2],
      [9, 1],
      [7, 3],
      [10, 0],
      [12, 0],
    ] as const) {
      const res = await preview({ stampsRequired: required });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { affectedCards: affected }, `${required} stamps`);
    }
    assert.deepEqual((await preview({ type: 'points', stampsRequired: 1 })).body, { affectedCards: 0 }, 'not a stamps program');
    assert.equal(await h.count('SELECT count(*)::int AS n FROM ledger WHERE merchant_id = $1', [m.id]), ledger);
    assert.equal((await publicCard(cards[9]!)).stampsRequired, 10);
  });

  it('the preview is the owner’s, and validates the program as PUT does', async () => {
    const staff = await h.addStaff(m);
    assert.equal((await preview({ stampsRequired: 8 }, staff.cookie)).status, 403);
    const bad = await preview({ stampsRequired: 0 });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'validation_failed');
  });

  it('saving 10 → 8 gives the cards at 8 or more their reward at once, in the ledger, with their passes’ update queued', async () => {
    const versions = async () =>
      Object.fromEntries(
        await Promise.all(
          [7, 8, 9].map(async (n) => [
            n,
            (await h.db.query<{ version: number }>('SELECT version FROM cards WHERE serial = $1', [cards[n]])).rows[0]!.version,
          ]),
        ),
      );
    const before = await versions();
    await h.setProgram(m, { stampsRequired: 8 });
    const eight = await publicCard(cards[8]!);
    assert.deepEqual([eight.stamps, eight.stampsRequired, eight.rewardsAvailable], [0, 8, 1], 'not "8 / 8" waiting for one more stamp');
    const nine = await publicCard(cards[9]!);
    assert.deepEqual([nine.stamps, nine.rewardsAvailable], [1, 1]);
    const seven = await publicCard(cards[7]!);
    assert.deepEqual([seven.stamps, seven.rewardsAvailable], [7, 0]);
    for (const n of [7, 8, 9]) await assertConsistent(cards[n]!);
    const [row] = await rewardRows(cards[8]!);
    assert.equal(row!.stamps, -8);
    assert.equal(row!.rewards, 1);
    assert.equal(row!.reward_name, 'Un café offert');
    assert.match(row!.actor, /^user:/, 'the owner who saved');
    assert.deepEqual(await rewardRows(cards[7]!), []);
    const after = await versions();
    for (const n of [7, 8, 9]) assert.ok(after[n] > before[n], `card ${n}: a new pass version`);
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'apns' AND target = repeat('cd', 32)`), 1);
  });

  it('only once: saving again, or a program that changed otherwise, gives nothing more', async () => {
    await h.setProgram(m, { stampsRequired: 8 });
    await h.setProgram(m, { stampsRequired: 8, name: 'Carte Threshold' });
    for (const n of [8, 9]) assert.equal((await rewardRows(cards[n]!)).length, 1);
    assert.deepEqual((await preview({ stampsRequired: 8 })).body, { affectedCards: 0 });
    // The 7-stamp card completes with its next stamp, as usual.
    const res = await stamp(cards[7]!, 1);
    assert.equal(res.body.rewardsEarned, 1);
    assert.equal(res.body.card.stamps, 0);
  });
});

describe('the history keeps the names of its time (issue 16)', () => {
  const customerOf = async (serial: string) =>
    (await h.db.query<{ id: string }>('SELECT customer_id AS id FROM cards WHERE serial = $1', [serial])).rows[0]!.id;
  const history = async (m: Merchant, serial: string) => {
    const res = await h.get(`/api/merchant/customers/${await customerOf(serial)}`, { cookie: m.cookie });
    assert.equal(res.status, 200);
    return res.body.history as Array<{ kind: string; rewardId: string | null; rewardName: string | null; tier: string | null }>;
  };

  it('a stamps reward earned and redeemed as "Un café offert" keeps that name after it is renamed', async () => {
    const m = await merchantWith('Renamed Café', { stampsRequired: 2, reward: { name: 'Un café offert', costMinor: 60 } });
    const { serial } = await join(m);
    await write(m, serial, 'stamps', { count: 2 });
    await write(m, serial, 'redemptions');
    await h.setProgram(m, { reward: { name: 'Un cappuccino offert', costMinor: 90 } });
    const [redemption, earned, stamp] = await history(m, serial);
    assert.deepEqual([redemption!.kind, redemption!.rewardName], ['redemption', 'Un café offert']);
    assert.deepEqual([earned!.kind, earned!.rewardName], ['reward_earned', 'Un café offert']);
    assert.deepEqual([stamp!.kind, stamp!.rewardName], ['stamp', null]);
    // Earned and redeemed after the rename: the new name.
    await write(m, serial, 'stamps', { count: 2 });
    await write(m, serial, 'redemptions');
    const [now, nowEarned] = await history(m, serial);
    assert.equal(now!.rewardName, 'Un cappuccino offert');
    assert.equal(nowEarned!.rewardName, 'Un cappuccino offert');
  });

  it('a catalog reward keeps its name; the tier its name; an old row without a name gives the current one', async () => {
    const m = await merchantWith('Renamed Boutique', {
      type: 'tiers',
      pointsPerUnit: 1,
      tiers: [{ name: 'Argent', threshold: 0, multiplier: 1, perks: [] }],
      rewards: [{ id: 'tote', name: 'Tote bag', points: 10, costMinor: 300 }],
    });
    const { serial } = await join(m);
    await write(m, serial, 'purchases', { amount: 2_000 });
    await write(m, serial, 'redemptions', { rewardId: 'tote' });
    await h.setProgram(m, {
      tiers: [{ name: 'Silver', threshold: 0, multiplier: 1, perks: [] }],
      rewards: [{ id: 'tote', name: 'Canvas tote', points: 10, costMinor: 300 }],
    });
    const [redemption, purchase] = await history(m, serial);
    assert.deepEqual([redemption!.rewardId, redemption!.rewardName], ['tote', 'Tote bag']);
    assert.deepEqual([purchase!.kind, purchase!.tier, purchase!.rewardName], ['purchase', 'Argent', null]);

    // A redemption written before the ledger kept names (no reward_name, no redemption record).
    await h.db.query(
      `INSERT INTO ledger (merchant_id, card_id, kind, points, currency, reward_id)
       SELECT merchant_id, id, 'redemption', 0, 'EUR', 'tote' FROM cards WHERE serial = $1`,
      [serial],
    );
    const [old] = await history(m, serial);
    assert.deepEqual([old!.rewardId, old!.rewardName], ['tote', 'Canvas tote']);
  });
});
