import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultProgram, type Program, type Tier } from '../../server/domain/program.ts';
import {
  EMPTY_BALANCES,
  addStamps,
  adjust,
  applyEntry,
  balancesFromLedger,
  creditBonus,
  heldTier,
  recomputeTier,
  recordPurchase,
  redeem,
  rewardsOwed,
  tierFor,
  TIER_WINDOW_MS,
  undoRedemption,
  type Balances,
  type Entry,
  type Result,
  type RuleError,
} from '../../server/domain/rules.ts';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const base = defaultProgram('le-comptoir', 'Le Comptoir');

const stampsProgram = (over: Partial<Program> = {}): Program => ({ ...base, type: 'stamps', ...over });

const CATALOG: Program['rewards'] = [
  { id: 'coffee', name: 'A coffee', points: 50, costMinor: 80 },
  { id: 'cake', name: 'A slice of cake', points: 120, costMinor: 150 },
  { id: 'brunch', name: 'Brunch for two', points: 1000, costMinor: 2500 },
];

const pointsProgram = (over: Partial<Program> = {}): Program => ({
  ...base,
  type: 'points',
  pointsPerUnit: 1,
  rewards: CATALOG,
  ...over,
});

const TIERS: Tier[] = [
  { name: 'Silver', threshold: 10_000, multiplier: 1.5, perks: [] },
  { name: 'Gold', threshold: 50_000, multiplier: 2, perks: ['Free delivery'] },
];

const tiersProgram = (over: Partial<Program> = {}): Program => ({
  ...base,
  type: 'tiers',
  pointsPerUnit: 1,
  rewards: CATALOG,
  tiers: TIERS,
  ...over,
});

const cashbackProgram = (over: Partial<Program> = {}): Program => ({
  ...base,
  type: 'cashback',
  cashbackPercent: 5,
  ...over,
});

const bal = (over: Partial<Balances> = {}): Balances => ({ ...EMPTY_BALANCES, ...over });

/** Asserts a rule succeeded and returns it narrowed. */
function ok<T>(r: Result<T>): { ok: true } & T {
  if (!r.ok) assert.fail(`expected success, got ${r.error}: ${r.detail}`);
  return r;
}

/** Asserts a rule failed with `code`, and that it produced no entries or balances. */
function fails<T>(r: Result<T>, code: RuleError['error']): void {
  assert.equal(r.ok, false, 'expected the rule to fail');
  if (r.ok) return;
  assert.equal(r.error, code);
  assert.equal(typeof r.detail, 'string');
  assert.ok(r.detail.length > 0, 'a failure explains itself');
  assert.equal('entries' in r, false, 'a failure carries no entries');
  assert.equal('balances' in r, false, 'a failure carries no balances');
}

/** An entry with every delta zero, for deepEqual comparisons. */
const zeroEntry = (over: Partial<Entry> & Pick<Entry, 'kind'>): Entry => ({
  stamps: 0,
  rewards: 0,
  points: 0,
  cashbackMinor: 0,
  amountMinor: 0,
  tier: null,
  rewardId: null,
  ...over,
});

// ---------------------------------------------------------------------------------------------
// Stamps
// ---------------------------------------------------------------------------------------------

describe('stamps: addStamps', () => {
  const cases: Array<{ n: number; start: number; count: number; stamps: number; rewards: number }> = [
    { n: 10, start: 0, count: 1, stamps: 1, rewards: 0 },
    { n: 10, start: 8, count: 1, stamps: 9, rewards: 0 },
    { n: 10, start: 9, count: 1, stamps: 0, rewards: 1 },
    { n: 10, start: 0, count: 10, stamps: 0, rewards: 1 },
    { n: 10, start: 9, count: 3, stamps: 2, rewards: 1 },
    { n: 10, start: 0, count: 25, stamps: 5, rewards: 2 },
    { n: 10, start: 0, count: 20, stamps: 0, rewards: 2 },
    { n: 10, start: 7, count: 33, stamps: 0, rewards: 4 },
    { n: 5, start: 4, count: 2, stamps: 1, rewards: 1 },
    { n: 1, start: 0, count: 3, stamps: 0, rewards: 3 },
    { n: 50, start: 49, count: 1, stamps: 0, rewards: 1 },
  ];
  for (const c of cases) {
    it(`N=${c.n}: ${c.start} + ${c.count} stamps → ${c.stamps} stamps, ${c.rewards} reward(s) earned`, () => {
      const r = ok(addStamps(stampsProgram({ stampsRequired: c.n }), bal({ stamps: c.start }), { count: c.count }));
      assert.equal(r.balances.stamps, c.stamps);
      assert.equal(r.balances.rewardsAvailable, c.rewards);
      assert.equal(r.rewardEarned, c.rewards);
      assert.equal(r.entries.length, c.rewards > 0 ? 2 : 1);
    });
  }

  it('writes a stamp entry then one reward_earned entry that takes N stamps per reward', () => {
    const r = ok(addStamps(stampsProgram(), bal({ stamps: 9 }), { count: 3 }));
    assert.deepEqual(r.entries, [
      zeroEntry({ kind: 'stamp', stamps: 3 }),
      zeroEntry({ kind: 'reward_earned', stamps: -10, rewards: 1, rewardName: 'A free coffee' }),
    ]);
  });

  it('writes a single reward_earned entry for several rewards at once (25 at N=10)', () => {
    const r = ok(addStamps(stampsProgram(), bal(), { count: 25 }));
    assert.deepEqual(r.entries, [
      zeroEntry({ kind: 'stamp', stamps: 25 }),
      zeroEntry({ kind: 'reward_earned', stamps: -20, rewards: 2, rewardName: 'A free coffee' }),
    ]);
    assert.deepEqual(r.balances, bal({ stamps: 5, rewardsAvailable: 2 }));
  });

  it('lets several rewards pend across visits', () => {
    const p = stampsProgram();
    let b = bal();
    for (let visit = 1; visit <= 4; visit++) {
      const r = ok(addStamps(p, b, { count: 10 }));
      assert.equal(r.rewardEarned, 1);
      b = r.balances;
      assert.equal(b.rewardsAvailable, visit);
      assert.equal(b.stamps, 0);
    }
    const more = ok(addStamps(p, bal({ stamps: 6, rewardsAvailable: 3 }), { count: 5 }));
    assert.deepEqual(more.balances, bal({ stamps: 1, rewardsAvailable: 4 }));
  });

  it('records purchaseAmountMinor as amountMinor on the stamp entry and in spendMinor', () => {
    const r = ok(addStamps(stampsProgram(), bal({ stamps: 9, spendMinor: 1000 }), { count: 2, purchaseAmountMinor: 1450 }));
    assert.equal(r.entries[0]?.kind, 'stamp');
    assert.equal(r.entries[0]?.amountMinor, 1450);
    assert.equal(r.entries[1]?.kind, 'reward_earned');
    assert.equal(r.entries[1]?.amountMinor, 0, 'the spend is recorded once, on the stamp entry');
    assert.equal(r.balances.spendMinor, 2450);
  });

  it('records amountMinor 0 when no purchase amount is given', () => {
    const r = ok(addStamps(stampsProgram(), bal({ spendMinor: 700 }), { count: 1 }));
    assert.equal(r.entries[0]?.amountMinor, 0);
    assert.equal(r.balances.spendMinor, 700);
  });

  it('leaves points, cashback and tier alone', () => {
    const start = bal({ stamps: 9, points: 12, cashbackMinor: 34, tier: 'X' });
    const r = ok(addStamps(stampsProgram(), start, { count: 1 }));
    assert.equal(r.balances.points, 12);
    assert.equal(r.balances.cashbackMinor, 34);
    assert.equal(r.balances.tier, 'X');
  });

  it('does not mutate the balances it is given', () => {
    const start = bal({ stamps: 9 });
    const snapshot = { ...start };
    ok(addStamps(stampsProgram(), start, { count: 5 }));
    assert.deepEqual(start, snapshot);
    assert.deepEqual(EMPTY_BALANCES, bal());
  });

  for (const make of [pointsProgram, tiersProgram, cashbackProgram]) {
    const type = make().type;
    it(`refuses a ${type} program with wrong_program_type`, () => {
      fails(addStamps(make(), bal(), { count: 1 }), 'wrong_program_type');
    });
  }
});

describe('stamps: recordPurchase and redeem', () => {
  it('recordPurchase on a stamps program → wrong_program_type', () => {
    fails(recordPurchase(stampsProgram(), bal(), { amountMinor: 1000, spendLast12MonthsMinor: 0 }), 'wrong_program_type');
  });

  it('redeem takes one pending reward and reports the program reward', () => {
    const p = stampsProgram({ reward: { name: 'A free croissant', costMinor: 45 } });
    const r = ok(redeem(p, bal({ stamps: 4, rewardsAvailable: 2 }), {}));
    assert.deepEqual(r.entries, [zeroEntry({ kind: 'redemption', rewards: -1, rewardName: 'A free croissant' })]);
    assert.deepEqual(r.balances, bal({ stamps: 4, rewardsAvailable: 1 }));
    assert.deepEqual(r.redeemed, { rewardId: null, rewardName: 'A free croissant', costMinor: 45 });
  });

  it('redeem takes the last pending reward, leaving none', () => {
    const r = ok(redeem(stampsProgram(), bal({ stamps: 3, rewardsAvailable: 1 }), {}));
    assert.deepEqual(r.entries, [zeroEntry({ kind: 'redemption', rewards: -1, rewardName: 'A free coffee' })]);
    assert.deepEqual(r.balances, bal({ stamps: 3, rewardsAvailable: 0 }));
  });

  it('redeem with no pending reward → insufficient_balance, even with stamps on the card', () => {
    fails(redeem(stampsProgram(), bal({ stamps: 9 }), {}), 'insufficient_balance');
  });
});

// ---------------------------------------------------------------------------------------------
// Points
// ---------------------------------------------------------------------------------------------

describe('points: recordPurchase', () => {
  const cases: Array<{ currency: string; amountMinor: number; pointsPerUnit: number; points: number; note?: string }> = [
    { currency: 'EUR', amountMinor: 1234, pointsPerUnit: 1, points: 12, note: '12.34 € rounds down' },
    { currency: 'EUR', amountMinor: 1299, pointsPerUnit: 1, points: 12, note: 'never rounds up' },
    { currency: 'EUR', amountMinor: 1200, pointsPerUnit: 1, points: 12 },
    { currency: 'EUR', amountMinor: 99, pointsPerUnit: 1, points: 0 },
    { currency: 'EUR', amountMinor: 1234, pointsPerUnit: 10, points: 123 },
    { currency: 'EUR', amountMinor: 1000, pointsPerUnit: 1.5, points: 15 },
    { currency: 'EUR', amountMinor: 29, pointsPerUnit: 100, points: 29, note: '0.29 × 100 is 28.999… in floating point' },
    { currency: 'EUR', amountMinor: 1000, pointsPerUnit: 0, points: 0 },
    { currency: 'USD', amountMinor: 5050, pointsPerUnit: 2, points: 101 },
    { currency: 'JPY', amountMinor: 1234, pointsPerUnit: 1, points: 1234, note: 'yen have no minor unit' },
    { currency: 'JPY', amountMinor: 1500, pointsPerUnit: 0.01, points: 15 },
    { currency: 'KWD', amountMinor: 1234, pointsPerUnit: 1, points: 1, note: 'dinar have 3 decimals' },
  ];
  for (const c of cases) {
    it(`${c.amountMinor} ${c.currency} minor at ${c.pointsPerUnit} pt/unit → ${c.points} points${c.note ? ` (${c.note})` : ''}`, () => {
      const p = pointsProgram({ currency: c.currency, pointsPerUnit: c.pointsPerUnit });
      const r = ok(recordPurchase(p, bal({ points: 7 }), { amountMinor: c.amountMinor, spendLast12MonthsMinor: 0 }));
      assert.equal(r.entries.length, 1);
      assert.equal(r.entries[0]?.points, c.points);
      assert.equal(r.balances.points, 7 + c.points);
    });
  }

  it('writes one purchase entry with the spend, and never touches the tier', () => {
    const r = ok(
      recordPurchase(pointsProgram(), bal({ spendMinor: 500, tier: null }), { amountMinor: 1234, spendLast12MonthsMinor: 999_999 }),
    );
    assert.deepEqual(r.entries, [zeroEntry({ kind: 'purchase', points: 12, amountMinor: 1234 })]);
    assert.equal(r.tierChanged, false);
    assert.equal(r.balances.tier, null);
    assert.equal(r.balances.spendMinor, 1734);
  });
});

describe('points: redeem', () => {
  it('redeems a catalog reward by rewardId', () => {
    const r = ok(redeem(pointsProgram(), bal({ points: 200 }), { rewardId: 'cake' }));
    assert.deepEqual(r.entries, [zeroEntry({ kind: 'redemption', points: -120, rewardId: 'cake', rewardName: 'A slice of cake' })]);
    assert.equal(r.balances.points, 80);
    assert.deepEqual(r.redeemed, { rewardId: 'cake', rewardName: 'A slice of cake', costMinor: 150 });
  });

  it('can spend the balance down to exactly zero', () => {
    const r = ok(redeem(pointsProgram(), bal({ points: 50 }), { rewardId: 'coffee' }));
    assert.equal(r.balances.points, 0);
  });

  it('unknown rewardId → unknown_reward', () => {
    fails(redeem(pointsProgram(), bal({ points: 10_000 }), { rewardId: 'yacht' }), 'unknown_reward');
  });

  it('no rewardId with several catalog rewards → unknown_reward', () => {
    fails(redeem(pointsProgram(), bal({ points: 10_000 }), {}), 'unknown_reward');
  });

  it('empty catalog → unknown_reward', () => {
    fails(redeem(pointsProgram({ rewards: [] }), bal({ points: 10_000 }), {}), 'unknown_reward');
    fails(redeem(pointsProgram({ rewards: [] }), bal({ points: 10_000 }), { rewardId: 'coffee' }), 'unknown_reward');
  });

  it('not enough points → insufficient_balance and no entries', () => {
    fails(redeem(pointsProgram(), bal({ points: 119 }), { rewardId: 'cake' }), 'insufficient_balance');
    fails(redeem(pointsProgram(), bal({ points: 0 }), { rewardId: 'coffee' }), 'insufficient_balance');
  });

  it('a single-reward catalog needs no rewardId', () => {
    const only = { id: 'tote', name: 'A tote bag', points: 300, costMinor: 400 };
    const r = ok(redeem(pointsProgram({ rewards: [only] }), bal({ points: 310 }), {}));
    assert.equal(r.balances.points, 10);
    assert.deepEqual(r.redeemed, { rewardId: 'tote', rewardName: 'A tote bag', costMinor: 400 });
    assert.equal(r.entries[0]?.rewardId, 'tote');
  });

  it('a single-reward catalog still rejects a wrong rewardId', () => {
    const only = { id: 'tote', name: 'A tote bag', points: 300, costMinor: 400 };
    fails(redeem(pointsProgram({ rewards: [only] }), bal({ points: 310 }), { rewardId: 'coffee' }), 'unknown_reward');
  });
});

// ---------------------------------------------------------------------------------------------
// Tiers
// ---------------------------------------------------------------------------------------------

describe('tiers: tierFor', () => {
  const cases: Array<[number, string | null]> = [
    [0, null],
    [9_999, null],
    [10_000, 'Silver'],
    [49_999, 'Silver'],
    [50_000, 'Gold'],
    [10_000_000, 'Gold'],
  ];
  for (const [spend, name] of cases) {
    it(`spend ${spend} → ${name ?? 'no tier'}`, () => {
      assert.equal(tierFor(TIERS, spend)?.name ?? null, name);
    });
  }

  it('a tier at threshold 0 applies from the first cent', () => {
    assert.equal(tierFor([{ name: 'Member', threshold: 0, multiplier: 1, perks: [] }], 0)?.name, 'Member');
  });

  it('looks back one year: the purchases and the daily recomputation count the spend of the last 365 days', () => {
    assert.equal(new Date(Date.UTC(2027, 0, 1) + TIER_WINDOW_MS).toISOString(), '2028-01-01T00:00:00.000Z');
  });

  it('no tiers → null', () => {
    assert.equal(tierFor([], 1_000_000), null);
  });
});

describe('tiers: recordPurchase', () => {
  const cases: Array<{ before: number; amount: number; from: string | null; tier: string | null; points: number; changed: boolean }> = [
    { before: 0, amount: 5_000, from: null, tier: null, points: 50, changed: false },
    { before: 8_000, amount: 2_000, from: null, tier: 'Silver', points: 30, changed: true },
    { before: 10_000, amount: 1_000, from: 'Silver', tier: 'Silver', points: 15, changed: false },
    { before: 49_000, amount: 2_000, from: 'Silver', tier: 'Gold', points: 40, changed: true },
    { before: 0, amount: 60_000, from: null, tier: 'Gold', points: 1_200, changed: true },
    { before: 100_000, amount: 1_234, from: 'Gold', tier: 'Gold', points: 24, changed: false },
    // The rolling window dropped older spend: the tier goes down.
    { before: 20_000, amount: 1_000, from: 'Gold', tier: 'Silver', points: 15, changed: true },
    { before: 1_000, amount: 1_000, from: 'Gold', tier: null, points: 10, changed: true },
    { before: 0, amount: 500, from: 'Silver', tier: null, points: 5, changed: true },
  ];
  for (const c of cases) {
    it(`${c.from ?? 'no tier'}, ${c.before} + ${c.amount} over 12 months → ${c.tier ?? 'no tier'}, ${c.points} points`, () => {
      const r = ok(
        recordPurchase(tiersProgram(), bal({ tier: c.from, points: 3 }), { amountMinor: c.amount, spendLast12MonthsMinor: c.before }),
      );
      assert.equal(r.balances.tier, c.tier);
      assert.equal(r.entries[0]?.points, c.points);
      assert.equal(r.balances.points, 3 + c.points);
      assert.equal(r.tierChanged, c.changed);
      assert.equal(r.entries[0]?.amountMinor, c.amount);
    });
  }

  it('applies the multiplier of the tier reached by this purchase, scaled by pointsPerUnit', () => {
    const p = tiersProgram({ pointsPerUnit: 3 });
    const r = ok(recordPurchase(p, bal(), { amountMinor: 1_001, spendLast12MonthsMinor: 49_500 }));
    assert.equal(r.balances.tier, 'Gold');
    assert.equal(r.entries[0]?.points, Math.floor(10.01 * 3 * 2)); // 60
    assert.equal(r.entries[0]?.points, 60);
  });

  it('uses the rolling spend, not the lifetime spendMinor on the card', () => {
    const r = ok(
      recordPurchase(tiersProgram(), bal({ spendMinor: 1_000_000, tier: 'Gold' }), { amountMinor: 100, spendLast12MonthsMinor: 0 }),
    );
    assert.equal(r.balances.tier, null);
    assert.equal(r.balances.spendMinor, 1_000_100);
  });

  it('spells "below every tier" as an empty tier on the entry, which the ledger reads as null', () => {
    const r = ok(recordPurchase(tiersProgram(), bal({ tier: 'Gold' }), { amountMinor: 100, spendLast12MonthsMinor: 0 }));
    assert.equal(r.entries[0]?.tier, '');
    assert.equal(r.balances.tier, null);
    const ledger: Entry[] = [zeroEntry({ kind: 'purchase', amountMinor: 60_000, tier: 'Gold' }), ...r.entries];
    assert.equal(balancesFromLedger(ledger).tier, null);
  });

  it('writes the tier name on each purchase entry', () => {
    const r = ok(recordPurchase(tiersProgram(), bal(), { amountMinor: 10_000, spendLast12MonthsMinor: 0 }));
    assert.deepEqual(r.entries, [zeroEntry({ kind: 'purchase', points: 150, amountMinor: 10_000, tier: 'Silver' })]);
  });

  it('a first purchase on a card already in the tier that starts at 0 changes no tier (issue 16)', () => {
    const p = tiersProgram({ tiers: [{ name: 'Bronze', threshold: 0, multiplier: 1, perks: [] }, ...TIERS] });
    assert.equal(heldTier(p, bal()), 'Bronze', 'a new card holds Bronze');
    const r = ok(recordPurchase(p, bal(), { amountMinor: 5_000, spendLast12MonthsMinor: 0 }));
    assert.equal(r.balances.tier, 'Bronze');
    assert.equal(r.tierChanged, false);
    const up = ok(recordPurchase(p, r.balances, { amountMinor: 5_000, spendLast12MonthsMinor: 5_000 }));
    assert.equal(up.balances.tier, 'Silver');
    assert.equal(up.tierChanged, true);
  });

  it('redeems from the catalog like a points program', () => {
    const r = ok(redeem(tiersProgram(), bal({ points: 1_000, tier: 'Gold' }), { rewardId: 'brunch' }));
    assert.equal(r.balances.points, 0);
    assert.equal(r.balances.tier, 'Gold', 'redeeming does not change the tier');
    fails(redeem(tiersProgram(), bal({ points: 999 }), { rewardId: 'brunch' }), 'insufficient_balance');
    fails(redeem(tiersProgram(), bal({ points: 999 }), { rewardId: 'nope' }), 'unknown_reward');
  });
});

describe('tiers: recomputeTier (the daily job)', () => {
  const withBronze = tiersProgram({ tiers: [{ name: 'Bronze', threshold: 0, multiplier: 1, perks: [] }, ...TIERS] });
  const cases: Array<{ program: Program; from: string | null; spend: number; tier: string | null; changed: boolean; note: string }> = [
    { program: withBronze, from: 'Gold', spend: 0, tier: 'Bronze', changed: true, note: 'a year without a purchase drops Gold' },
    { program: withBronze, from: 'Gold', spend: 12_000, tier: 'Silver', changed: true, note: 'down one step' },
    { program: withBronze, from: 'Gold', spend: 50_000, tier: 'Gold', changed: false, note: 'still earned' },
    { program: withBronze, from: null, spend: 0, tier: null, changed: false, note: 'a new card already holds Bronze' },
    { program: withBronze, from: 'Bronze', spend: 0, tier: 'Bronze', changed: false, note: 'the floor' },
    { program: tiersProgram(), from: 'Silver', spend: 9_999, tier: null, changed: true, note: 'below every tier' },
    { program: tiersProgram(), from: null, spend: 0, tier: null, changed: false, note: 'no tier, none due' },
    { program: tiersProgram(), from: 'Silver', spend: 60_000, tier: 'Gold', changed: true, note: 'up, if the thresholds were lowered' },
  ];
  for (const c of cases) {
    it(`${c.from ?? 'no tier'} with ${c.spend} in the window → ${c.tier ?? 'no tier'} (${c.note})`, () => {
      const start = bal({ tier: c.from, points: 40, spendMinor: 70_000 });
      const r = recomputeTier(c.program, start, c.spend);
      assert.equal(r.tierChanged, c.changed);
      assert.equal(r.balances.tier, c.tier);
      assert.deepEqual(r.entries, c.changed ? [zeroEntry({ kind: 'tier_change', tier: c.tier ?? '' })] : []);
      assert.deepEqual({ ...r.balances, tier: start.tier }, start, 'nothing but the tier moves');
      // Run again (the next quarter-hour): nothing more.
      assert.equal(recomputeTier(c.program, r.balances, c.spend).entries.length, 0);
    });
  }

  it('its entry is in the ledger: the cache recomputes to the dropped tier', () => {
    const bought = ok(recordPurchase(withBronze, bal(), { amountMinor: 60_000, spendLast12MonthsMinor: 0 }));
    const dropped = recomputeTier(withBronze, bought.balances, 0);
    assert.equal(balancesFromLedger([...bought.entries, ...dropped.entries]).tier, 'Bronze');
  });

  it('gives nothing for another program type', () => {
    for (const p of [stampsProgram(), pointsProgram(), cashbackProgram()]) {
      assert.deepEqual(recomputeTier(p, bal({ tier: 'Gold' }), 0), { entries: [], balances: bal({ tier: 'Gold' }), tierChanged: false });
    }
  });
});

describe('stamps: rewardsOwed (the stamps a reward needs were lowered)', () => {
  const cases = [
    { n: 8, stamps: 8, left: 0, rewards: 1 },
    { n: 8, stamps: 9, left: 1, rewards: 1 },
    { n: 4, stamps: 9, left: 1, rewards: 2 },
    { n: 8, stamps: 7, left: 7, rewards: 0 },
    { n: 8, stamps: 0, left: 0, rewards: 0 },
  ];
  for (const c of cases) {
    it(`${c.stamps} stamps at N=${c.n} → ${c.rewards} reward(s), ${c.left} stamp(s) left`, () => {
      const p = stampsProgram({ stampsRequired: c.n, reward: { name: 'Un cappuccino offert', costMinor: 0 } });
      const start = bal({ stamps: c.stamps, rewardsAvailable: 1 });
      const r = rewardsOwed(p, start);
      assert.deepEqual(
        r.entries,
        c.rewards
          ? [zeroEntry({ kind: 'reward_earned', stamps: -c.rewards * c.n, rewards: c.rewards, rewardName: 'Un cappuccino offert' })]
          : [],
      );
      assert.deepEqual(r.balances, bal({ stamps: c.left, rewardsAvailable: 1 + c.rewards }));
      assert.deepEqual(rewardsOwed(p, r.balances).entries, [], 'owed once: nothing the second time');
    });
  }

  it('owes nothing on another program type', () => {
    for (const p of [pointsProgram(), tiersProgram(), cashbackProgram()]) assert.deepEqual(rewardsOwed(p, bal({ stamps: 30 })).entries, []);
  });
});

// ---------------------------------------------------------------------------------------------
// Cashback
// ---------------------------------------------------------------------------------------------

describe('cashback: recordPurchase', () => {
  const cases: Array<{ percent: number; amount: number; cashback: number }> = [
    { percent: 5, amount: 1_000, cashback: 50 },
    { percent: 5, amount: 1_019, cashback: 50 },
    { percent: 2.5, amount: 1_000, cashback: 25 },
    { percent: 2.5, amount: 999, cashback: 24 },
    { percent: 1.1, amount: 1_000, cashback: 11 },
    { percent: 3, amount: 33, cashback: 0 },
    { percent: 0, amount: 5_000, cashback: 0 },
    { percent: 100, amount: 1_234, cashback: 1_234 },
    { percent: 0.5, amount: 12_345, cashback: 61 },
    { percent: 2.3, amount: 3_000, cashback: 69 }, // 3000 × 2.3 / 100 is 68.999… in floating point
  ];
  for (const c of cases) {
    it(`${c.percent}% of ${c.amount} → ${c.cashback}`, () => {
      const r = ok(
        recordPurchase(cashbackProgram({ cashbackPercent: c.percent }), bal({ cashbackMinor: 10 }), {
          amountMinor: c.amount,
          spendLast12MonthsMinor: 0,
        }),
      );
      assert.deepEqual(r.entries, [zeroEntry({ kind: 'purchase', cashbackMinor: c.cashback, amountMinor: c.amount })]);
      assert.equal(r.balances.cashbackMinor, 10 + c.cashback);
      assert.equal(r.balances.points, 0);
      assert.equal(r.tierChanged, false);
    });
  }
});

describe('cashback: redeem', () => {
  it('redeems part of the balance', () => {
    const r = ok(redeem(cashbackProgram(), bal({ cashbackMinor: 1_000 }), { amountMinor: 300 }));
    assert.deepEqual(r.entries, [zeroEntry({ kind: 'redemption', cashbackMinor: -300 })]);
    assert.equal(r.balances.cashbackMinor, 700);
    assert.deepEqual(r.redeemed, { rewardId: null, rewardName: 'Cashback', costMinor: 300 });
  });

  it('redeems exactly the whole balance', () => {
    const r = ok(redeem(cashbackProgram(), bal({ cashbackMinor: 1_000 }), { amountMinor: 1_000 }));
    assert.equal(r.balances.cashbackMinor, 0);
  });

  it('redeems all of the balance when no amount is given', () => {
    const r = ok(redeem(cashbackProgram(), bal({ cashbackMinor: 437 }), {}));
    assert.equal(r.balances.cashbackMinor, 0);
    assert.equal(r.redeemed.costMinor, 437);
  });

  const refused: Array<[string, number, number | undefined]> = [
    ['more than the balance', 1_000, 1_001],
    ['zero balance, no amount', 0, undefined],
    ['zero balance, some amount', 0, 1],
    ['a zero amount', 500, 0],
    ['a negative amount', 500, -100],
  ];
  for (const [label, balance, amount] of refused) {
    it(`${label} → insufficient_balance`, () => {
      fails(
        redeem(cashbackProgram(), bal({ cashbackMinor: balance }), amount === undefined ? {} : { amountMinor: amount }),
        'insufficient_balance',
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Adjustments
// ---------------------------------------------------------------------------------------------

describe('adjust (the owner corrects a card by hand)', () => {
  const reason = 'Stamps forgotten on Monday';
  /** Each program type, the balance its unit moves, how it is named to the owner, and the most one adjustment may move it. */
  const units = [
    { make: stampsProgram, field: 'stamps', named: 'stamps', limit: 1_000 },
    { make: pointsProgram, field: 'points', named: 'points', limit: 1_000_000 },
    { make: tiersProgram, field: 'points', named: 'points', limit: 1_000_000 },
    { make: cashbackProgram, field: 'cashbackMinor', named: 'cashback (minor units)', limit: 100_000_000 },
  ] as const;

  for (const { make, field, named, limit } of units) {
    const type = make().type;
    /** A card holding `n` in the program's unit and nothing in the others, with some spend and (tiers) a tier. */
    const holding = (n: number) => bal({ [field]: n, spendMinor: 12_000, tier: type === 'tiers' ? 'Silver' : null });

    describe(`${type}: ${named}`, () => {
      it('adds to the balance, one adjustment entry with the reason, nothing else moves', () => {
        const start = bal({ stamps: 2, points: 40, cashbackMinor: 500, spendMinor: 9_000, tier: 'Silver' });
        const r = ok(adjust(make(), start, { delta: 3, reason }));
        assert.deepEqual(r.entries, [zeroEntry({ kind: 'adjustment', [field]: 3, reason })]);
        assert.deepEqual(r.balances, { ...start, [field]: start[field] + 3 });
        assert.equal(r.rewardEarned, 0);
      });

      it('takes off the balance', () => {
        const r = ok(adjust(make(), holding(9), { delta: -4, reason }));
        assert.deepEqual(r.entries, [zeroEntry({ kind: 'adjustment', [field]: -4, reason })]);
        assert.deepEqual(r.balances, holding(5));
        assert.equal(r.rewardEarned, 0);
      });

      it('takes off all of it, down to exactly zero', () => {
        assert.deepEqual(ok(adjust(make(), holding(9), { delta: -9, reason })).balances, holding(0));
      });

      it('refuses to take off more than the card holds (insufficient_balance), and says what it holds', () => {
        const r = adjust(make(), holding(9), { delta: -10, reason });
        fails(r, 'insufficient_balance');
        assert.equal(!r.ok && r.detail, `The card holds 9 ${named}; cannot take off 10.`);
        fails(adjust(make(), bal(), { delta: -1, reason }), 'insufficient_balance');
      });

      it(`accepts exactly ${limit} either way`, () => {
        const up = ok(adjust(make(), bal(), { delta: limit, reason }));
        assert.equal(up.balances[field] + (type === 'stamps' ? up.balances.rewardsAvailable * 10 : 0), limit);
        assert.deepEqual(ok(adjust(make(), holding(limit), { delta: -limit, reason })).balances, holding(0));
      });

      for (const delta of [limit + 1, -(limit + 1), 0, 1.5, -0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        it(`refuses a delta of ${delta} (out_of_range), whatever the card holds`, () => {
          const r = adjust(make(), holding(10 * limit), { delta, reason });
          fails(r, 'out_of_range');
          assert.equal(!r.ok && r.detail, `For a ${type} program, delta must be a whole number from -${limit} to ${limit}, not 0.`);
        });
      }
    });
  }

  it('stamps: a positive adjustment that completes the card earns its reward as stamps do; the reason is on the adjustment', () => {
    const r = ok(adjust(stampsProgram(), bal({ stamps: 8 }), { delta: 5, reason }));
    assert.deepEqual(r.entries, [
      zeroEntry({ kind: 'adjustment', stamps: 5, reason }),
      zeroEntry({ kind: 'reward_earned', stamps: -10, rewards: 1, rewardName: 'A free coffee' }),
    ]);
    assert.equal(r.rewardEarned, 1);
    assert.deepEqual(r.balances, bal({ stamps: 3, rewardsAvailable: 1 }));
  });

  it('stamps: the maximum, 1000 stamps on a 10-stamp card, is 100 rewards', () => {
    const r = ok(adjust(stampsProgram(), bal(), { delta: 1_000, reason }));
    assert.equal(r.rewardEarned, 100);
    assert.deepEqual(r.balances, bal({ stamps: 0, rewardsAvailable: 100 }));
  });

  it('stamps: taking off never takes a reward already earned (that is a redemption)', () => {
    const start = bal({ stamps: 2, rewardsAvailable: 3 });
    fails(adjust(stampsProgram(), start, { delta: -3, reason }), 'insufficient_balance');
    const r = ok(adjust(stampsProgram(), start, { delta: -2, reason }));
    assert.deepEqual(r.entries, [zeroEntry({ kind: 'adjustment', stamps: -2, reason })]);
    assert.deepEqual(r.balances, bal({ stamps: 0, rewardsAvailable: 3 }));
  });

  it('points and cashback: a card holding the other unit cannot lose it through this one', () => {
    fails(adjust(pointsProgram(), bal({ cashbackMinor: 500 }), { delta: -1, reason }), 'insufficient_balance');
    fails(adjust(cashbackProgram(), bal({ points: 500 }), { delta: -1, reason }), 'insufficient_balance');
  });

  it('keeps the reason as given, and does not mutate the balances it is given', () => {
    const start = bal({ points: 50 });
    const r = ok(adjust(pointsProgram(), start, { delta: -20, reason: 'Café offert — erreur de caisse' }));
    assert.equal(r.entries[0]?.reason, 'Café offert — erreur de caisse');
    assert.deepEqual(start, bal({ points: 50 }));
    assert.deepEqual(balancesFromLedger([zeroEntry({ kind: 'purchase', points: 50 }), ...r.entries]), r.balances);
  });
});

// ---------------------------------------------------------------------------------------------
// Bonuses
// ---------------------------------------------------------------------------------------------

describe('creditBonus', () => {
  it('stamps: credits stamps under the bonus kind', () => {
    const r = creditBonus(stampsProgram(), bal({ stamps: 2 }), 'signup_bonus', 3);
    assert.deepEqual(r.entries, [zeroEntry({ kind: 'signup_bonus', stamps: 3 })]);
    assert.equal(r.balances.stamps, 5);
  });

  it('stamps: a bonus can itself earn a reward', () => {
    const r = creditBonus(stampsProgram(), bal({ stamps: 9 }), 'referral_bonus', 2);
    assert.deepEqual(r.entries, [
      zeroEntry({ kind: 'referral_bonus', stamps: 2 }),
      zeroEntry({ kind: 'reward_earned', stamps: -10, rewards: 1, rewardName: 'A free coffee' }),
    ]);
    assert.deepEqual(r.balances, bal({ stamps: 1, rewardsAvailable: 1 }));
  });

  it('stamps: a big bonus earns several rewards', () => {
    const r = creditBonus(stampsProgram({ stampsRequired: 4 }), bal(), 'signup_bonus', 9);
    assert.deepEqual(r.balances, bal({ stamps: 1, rewardsAvailable: 2 }));
  });

  it('points: credits points', () => {
    const r = creditBonus(pointsProgram(), bal({ points: 10 }), 'signup_bonus', 100);
    assert.deepEqual(r.entries, [zeroEntry({ kind: 'signup_bonus', points: 100 })]);
    assert.equal(r.balances.points, 110);
  });

  it('tiers: credits points and keeps the tier', () => {
    const r = creditBonus(tiersProgram(), bal({ tier: 'Silver' }), 'referral_bonus', 40);
    assert.deepEqual(r.entries, [zeroEntry({ kind: 'referral_bonus', points: 40 })]);
    assert.equal(r.balances.points, 40);
    assert.equal(r.balances.tier, 'Silver');
  });

  it('cashback: credits minor units of cashback', () => {
    const r = creditBonus(cashbackProgram(), bal({ cashbackMinor: 5 }), 'referral_bonus', 250);
    assert.deepEqual(r.entries, [zeroEntry({ kind: 'referral_bonus', cashbackMinor: 250 })]);
    assert.equal(r.balances.cashbackMinor, 255);
  });

  it('a bonus is not spend', () => {
    for (const p of [stampsProgram(), pointsProgram(), tiersProgram(), cashbackProgram()]) {
      assert.equal(creditBonus(p, bal({ spendMinor: 77 }), 'signup_bonus', 5).balances.spendMinor, 77, p.type);
    }
  });

  for (const amount of [0, -5]) {
    it(`a bonus of ${amount} writes no entries and keeps the balances`, () => {
      for (const p of [stampsProgram(), pointsProgram(), tiersProgram(), cashbackProgram()]) {
        const start = bal({ stamps: 3, points: 4, cashbackMinor: 5 });
        const r = creditBonus(p, start, 'signup_bonus', amount);
        assert.deepEqual(r.entries, [], p.type);
        assert.deepEqual(r.balances, start, p.type);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Ledger
// ---------------------------------------------------------------------------------------------

describe('balancesFromLedger', () => {
  it('an empty ledger gives empty balances', () => {
    assert.deepEqual(balancesFromLedger([]), bal());
  });

  it('sums every delta, and lets only non-null tiers through', () => {
    const ledger: Entry[] = [
      zeroEntry({ kind: 'purchase', points: 10, amountMinor: 1_000, tier: 'Silver' }),
      zeroEntry({ kind: 'signup_bonus', points: 5 }),
      zeroEntry({ kind: 'redemption', points: -12, rewardId: 'x' }),
      zeroEntry({ kind: 'adjustment', cashbackMinor: 3, stamps: 2, rewards: 1 }),
      zeroEntry({ kind: 'purchase', points: 1, amountMinor: 50, tier: 'Gold' }),
    ];
    assert.deepEqual(balancesFromLedger(ledger), {
      stamps: 2,
      rewardsAvailable: 1,
      points: 4,
      tier: 'Gold',
      cashbackMinor: 3,
      spendMinor: 1_050,
    });
  });

  it('applyEntry does not mutate its input', () => {
    const b = bal({ points: 1 });
    const after = applyEntry(b, zeroEntry({ kind: 'adjustment', points: 5 }));
    assert.equal(b.points, 1);
    assert.equal(after.points, 6);
  });
});

/** mulberry32: a tiny seeded PRNG, so the "random" sequences are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('balancesFromLedger agrees with the running balances (seeded random operations)', () => {
  const programs: Program[] = [
    stampsProgram({ stampsRequired: 7 }),
    pointsProgram({ pointsPerUnit: 1.5 }),
    pointsProgram({ currency: 'JPY', pointsPerUnit: 0.1, rewards: [{ id: 'gift', name: 'Gift', points: 200, costMinor: 500 }] }),
    tiersProgram({ tiers: [{ name: 'Bronze', threshold: 0, multiplier: 1, perks: [] }, ...TIERS] }),
    tiersProgram(),
    cashbackProgram({ cashbackPercent: 2.5 }),
  ];

  programs.forEach((program, i) => {
    for (const seed of [1, 42, 2024]) {
      it(`${program.type} program #${i} (${program.currency}), seed ${seed}: 400 operations`, () => {
        const rand = prng(seed * 1000 + i);
        const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
        const ledger: Entry[] = [];
        let b: Balances = { ...EMPTY_BALANCES };
        // Purchases with the month they happened in, for the rolling 12-month window.
        const purchases: Array<{ month: number; amount: number }> = [];
        let month = 0;
        const counts = { ok: 0, refused: 0 };

        const take = (r: { entries: Entry[]; balances: Balances }) => {
          // The outcome's balances are the previous balances plus its own entries.
          assert.deepEqual(r.balances, r.entries.reduce(applyEntry, b));
          ledger.push(...r.entries);
          b = r.balances;
          counts.ok++;
        };

        for (let step = 0; step < 400; step++) {
          const before = b;
          const roll = rand();
          if (roll < 0.1) {
            month += int(1, 4);
            // The daily job's recomputation as time goes by: the tier of the window's spend.
            if (program.type === 'tiers') {
              const inWindow = purchases.filter((p) => p.month > month - 12).reduce((s, p) => s + p.amount, 0);
              take(recomputeTier(program, b, inWindow));
              assert.equal(heldTier(program, b), tierFor(program.tiers, inWindow)?.name ?? null);
              assert.deepEqual(balancesFromLedger(ledger), b);
            }
            continue;
          } else if (roll < 0.5) {
            if (program.type === 'stamps') {
              const purchaseAmountMinor = rand() < 0.5 ? int(100, 5_000) : undefined;
              const r = addStamps(program, b, { count: int(1, 16), ...(purchaseAmountMinor === undefined ? {} : { purchaseAmountMinor }) });
              take(ok(r));
            } else {
              const amountMinor = int(1, 30_000);
              const spendLast12MonthsMinor = purchases.filter((p) => p.month > month - 12).reduce((s, p) => s + p.amount, 0);
              const r = ok(recordPurchase(program, b, { amountMinor, spendLast12MonthsMinor }));
              purchases.push({ month, amount: amountMinor });
              take(r);
              if (program.type === 'tiers') {
                const expected = tierFor(program.tiers, spendLast12MonthsMinor + amountMinor)?.name ?? null;
                assert.equal(b.tier, expected);
                assert.equal(r.tierChanged, expected !== heldTier(program, before));
              }
            }
          } else if (roll < 0.65) {
            const r = creditBonus(program, b, rand() < 0.5 ? 'signup_bonus' : 'referral_bonus', int(0, 30));
            take(r);
          } else if (roll < 0.7) {
            // The wrong operation for this program type is refused and changes nothing.
            const r =
              program.type === 'stamps'
                ? recordPurchase(program, b, { amountMinor: 100, spendLast12MonthsMinor: 0 })
                : addStamps(program, b, { count: 1 });
            fails(r, 'wrong_program_type');
            counts.refused++;
          } else {
            const input =
              program.type === 'cashback'
                ? rand() < 0.3
                  ? {}
                  : { amountMinor: int(1, Math.max(1, Math.round(b.cashbackMinor * 1.3))) }
                : program.type === 'stamps'
                  ? {}
                  : { rewardId: rand() < 0.1 ? 'no-such-reward' : program.rewards[int(0, program.rewards.length - 1)]!.id };
            const r = redeem(program, b, input);
            if (r.ok) take(r);
            else {
              assert.ok(r.error === 'insufficient_balance' || r.error === 'unknown_reward', r.error);
              counts.refused++;
            }
          }

          assert.deepEqual(balancesFromLedger(ledger), b, `step ${step}`);
          for (const k of ['stamps', 'rewardsAvailable', 'points', 'cashbackMinor', 'spendMinor'] as const) {
            assert.ok(b[k] >= 0, `step ${step}: ${k} went negative (${b[k]})`);
            assert.ok(Number.isInteger(b[k]), `step ${step}: ${k} is not an integer (${b[k]})`);
          }
          if (program.type === 'stamps')
            assert.ok(b.stamps < program.stampsRequired, `step ${step}: ${b.stamps} stamps should have become a reward`);
        }

        // The sequence really exercised both paths.
        assert.ok(counts.ok > 100, `only ${counts.ok} successful operations`);
        assert.ok(counts.refused > 10, `only ${counts.refused} refused operations`);
        assert.ok(ledger.length > 100, `only ${ledger.length} ledger entries`);
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Properties (fast-check): whatever the sequence, the cache is the ledger's sum
// ---------------------------------------------------------------------------------------------

/**
 * One thing that happens to a card, as fast-check draws it; read against the card and the
 * program of the moment (a redemption's `pick` is a catalog index, past its end an unknown id;
 * `share` is a part of the balance at that moment).
 */
type Step =
  | { op: 'stamp'; count: number; amountMinor: number | null }
  | { op: 'purchase'; amountMinor: number }
  | { op: 'redeem'; pick: number; share: number | null }
  | { op: 'undo' }
  | { op: 'adjust'; delta: number | 'max' | '-max' | 'max+1' | '-(max+1)' }
  | { op: 'takeOff'; share: number }
  | { op: 'bonus'; amount: number }
  | { op: 'months'; n: number }
  | {
      op: 'change';
      stampsRequired: number;
      pointsPerUnit: number;
      cashbackPercent: number;
      costs: [number, number, number];
      silver: number;
      gold: number;
    };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('stamp'),
      count: fc.integer({ min: 1, max: 20 }),
      amountMinor: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: null }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('purchase'), amountMinor: fc.integer({ min: 1, max: 50_000 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('redeem'),
      pick: fc.nat(3),
      share: fc.option(fc.double({ min: 0, max: 1.3, noNaN: true }), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'undo' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('adjust'),
      delta: fc.oneof(
        fc.integer({ min: -60, max: 200 }),
        fc.constantFrom('max' as const, '-max' as const, 'max+1' as const, '-(max+1)' as const, 0, 1.5),
      ),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('takeOff'), share: fc.double({ min: 0, max: 1.2, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('bonus'), amount: fc.integer({ min: 0, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('months'), n: fc.integer({ min: 1, max: 13 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('change'),
      stampsRequired: fc.integer({ min: 1, max: 50 }),
      pointsPerUnit: fc.integer({ min: 0, max: 1_000 }).map((n) => n / 100),
      cashbackPercent: fc.integer({ min: 0, max: 1_000 }).map((n) => n / 10),
      costs: fc.tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 5_000 })),
      silver: fc.integer({ min: 0, max: 40_000 }),
      gold: fc.integer({ min: 1, max: 80_000 }),
    }),
  },
);

describe('property: any sequence of operations and program changes keeps the cache equal to the ledger, and never negative', () => {
  const LIMIT = { stamps: 1_000, points: 1_000_000, tiers: 1_000_000, cashback: 100_000_000 } as const;
  const starts: Program[] = [
    stampsProgram({ stampsRequired: 7 }),
    pointsProgram({ pointsPerUnit: 1.5 }),
    tiersProgram({ tiers: [{ name: 'Bronze', threshold: 0, multiplier: 1, perks: [] }, ...TIERS] }),
    cashbackProgram({ cashbackPercent: 2.5 }),
  ];

  for (const start of starts) {
    it(`${start.type}: 200 random lives of a card`, () => {
      fc.assert(
        fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60, size: 'max' }), (steps) => {
          let program = start;
          const ledger: Entry[] = [];
          let b: Balances = { ...EMPTY_BALANCES };
          const redemptions: Entry[] = [];
          const purchases: Array<{ month: number; amount: number }> = [];
          let month = 0;
          const spendInWindow = () => purchases.filter((p) => p.month > month - 12).reduce((s, p) => s + p.amount, 0);
          /** The card's balance in the program's unit (a stamps card's rewards count as the stamps they took). */
          const value = (x: Balances) =>
            program.type === 'stamps'
              ? x.stamps + x.rewardsAvailable * program.stampsRequired
              : program.type === 'cashback'
                ? x.cashbackMinor
                : x.points;
          const held = (x: Balances) => (program.type === 'stamps' ? x.stamps : program.type === 'cashback' ? x.cashbackMinor : x.points);
          const take = (r: { entries: Entry[]; balances: Balances }) => {
            assert.deepEqual(r.balances, r.entries.reduce(applyEntry, b), 'an outcome is its entries applied');
            ledger.push(...r.entries);
            b = r.balances;
          };
          /** An adjustment is refused exactly when out of range or below zero; accepted, it moves the unit by delta. */
          const adjustBy = (delta: number) => {
            const limit = LIMIT[program.type];
            const expected =
              !Number.isInteger(delta) || delta === 0 || Math.abs(delta) > limit
                ? 'out_of_range'
                : held(b) + delta < 0
                  ? 'insufficient_balance'
                  : 'ok';
            const before = b;
            const r = adjust(program, b, { delta, reason: 'Property' });
            assert.equal(r.ok ? 'ok' : r.error, expected, `adjust ${delta} holding ${held(b)}`);
            if (!r.ok) return;
            take(r);
            assert.equal(value(b), value(before) + delta);
            assert.equal(r.entries[0]?.reason, 'Property');
          };

          for (const step of steps) {
            switch (step.op) {
              case 'stamp': {
                const r = addStamps(program, b, {
                  count: step.count,
                  ...(step.amountMinor === null ? {} : { purchaseAmountMinor: step.amountMinor }),
                });
                if (program.type === 'stamps') take(ok(r));
                else fails(r, 'wrong_program_type');
                break;
              }
              case 'purchase': {
                const r = recordPurchase(program, b, { amountMinor: step.amountMinor, spendLast12MonthsMinor: spendInWindow() });
                if (program.type === 'stamps') fails(r, 'wrong_program_type');
                else {
                  take(ok(r));
                  purchases.push({ month, amount: step.amountMinor });
                  if (program.type === 'tiers') assert.equal(b.tier, tierFor(program.tiers, spendInWindow())?.name ?? null);
                }
                break;
              }
              case 'redeem': {
                const reward = program.rewards[step.pick];
                const amountMinor = step.share === null ? undefined : Math.max(1, Math.round(step.share * b.cashbackMinor));
                const input =
                  program.type === 'cashback'
                    ? amountMinor === undefined
                      ? {}
                      : { amountMinor }
                    : program.type === 'stamps'
                      ? {}
                      : { rewardId: reward?.id ?? 'no-such-reward' };
                const expected =
                  program.type === 'stamps'
                    ? b.rewardsAvailable >= 1
                    : program.type === 'cashback'
                      ? (amountMinor ?? b.cashbackMinor) > 0 && (amountMinor ?? b.cashbackMinor) <= b.cashbackMinor
                      : reward !== undefined && b.points >= reward.points;
                const r = redeem(program, b, input);
                assert.equal(r.ok, expected, `redeem ${JSON.stringify(input)} from ${JSON.stringify(b)}`);
                if (r.ok) {
                  take(r);
                  redemptions.push(r.entries[0]!);
                }
                break;
              }
              case 'undo': {
                const entry = redemptions.pop();
                if (entry) take(ok(undoRedemption(b, { entry, at: new Date(0) }, new Date(0))));
                break;
              }
              case 'adjust': {
                const limit = LIMIT[program.type];
                const d = step.delta;
                adjustBy(d === 'max' ? limit : d === '-max' ? -limit : d === 'max+1' ? limit + 1 : d === '-(max+1)' ? -(limit + 1) : d);
                break;
              }
              case 'takeOff':
                // Points and cashback (and stamps) taken off: a share of what the card holds, sometimes more.
                adjustBy(-Math.max(1, Math.ceil(step.share * held(b))));
                break;
              case 'bonus':
                take(creditBonus(program, b, 'signup_bonus', step.amount));
                break;
              case 'months':
                month += step.n;
                take(recomputeTier(program, b, spendInWindow()));
                break;
              case 'change': {
                // The owner edits the program: a lower or higher threshold, another rate, other costs and tiers.
                const [coffee, cake, brunch] = step.costs;
                program = {
                  ...program,
                  stampsRequired: step.stampsRequired,
                  pointsPerUnit: step.pointsPerUnit,
                  cashbackPercent: step.cashbackPercent,
                  rewards: program.rewards.map((r, i) => ({ ...r, points: [coffee, cake, brunch][i] ?? r.points })),
                  tiers:
                    program.type === 'tiers'
                      ? [
                          { name: 'Silver', threshold: step.silver, multiplier: 1.5, perks: [] },
                          { name: 'Gold', threshold: step.silver + step.gold, multiplier: 2, perks: [] },
                        ]
                      : program.tiers,
                };
                // What saving it does (a card over a lowered threshold gets its rewards), then the next daily job.
                take(rewardsOwed(program, b));
                take(recomputeTier(program, b, spendInWindow()));
                break;
              }
            }

            assert.deepEqual(balancesFromLedger(ledger), b, `after ${JSON.stringify(step)}`);
            for (const k of ['stamps', 'rewardsAvailable', 'points', 'cashbackMinor', 'spendMinor'] as const) {
              assert.ok(Number.isInteger(b[k]) && b[k] >= 0, `after ${JSON.stringify(step)}: ${k} is ${b[k]}`);
            }
            if (program.type === 'stamps') assert.ok(b.stamps < program.stampsRequired, `${b.stamps} stamps should have become a reward`);
          }
        }),
        { numRuns: 200 },
      );
    });
  }
});
