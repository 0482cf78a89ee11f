// undoRedemption (issue 16): the compensating entry of a redemption gives back exactly what it
// took, in every program type, within the window only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultProgram, type Program } from '../../server/domain/program.ts';
import {
  addStamps,
  balancesFromLedger,
  type Balances,
  EMPTY_BALANCES,
  recordPurchase,
  redeem,
  REDEMPTION_UNDO_WINDOW_MS,
  undoRedemption,
} from '../../server/domain/rules.ts';

const at = new Date('2027-03-01T10:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);

/** Redeems on `b`, then undoes it `after` ms later: the balances before, after the redemption, after the undo. */
function roundTrip(program: Program, b: Balances, input: { rewardId?: string; amountMinor?: number }, after = 5_000) {
  const r = redeem(program, b, input);
  assert.ok(r.ok);
  const u = undoRedemption(r.balances, { entry: r.entries[0]!, at }, later(after));
  assert.ok(u.ok, JSON.stringify(u));
  return { redeemed: r, undone: u };
}

/** A stamps card's redemption entry, as `redeem` writes it. */
function r0() {
  const r = redeem(defaultProgram('c', 'Café'), { ...EMPTY_BALANCES, rewardsAvailable: 1 }, {});
  assert.ok(r.ok);
  return r.entries[0]!;
}

describe('undoRedemption', () => {
  it('stamps: the reward comes back, the stamps are untouched', () => {
    const program = { ...defaultProgram('c', 'Café'), stampsRequired: 3 };
    const stamped = addStamps(program, EMPTY_BALANCES, { count: 4 });
    assert.ok(stamped.ok);
    const { redeemed, undone } = roundTrip(program, stamped.balances, {});
    assert.equal(redeemed.balances.rewardsAvailable, 0);
    assert.deepEqual(undone.balances, stamped.balances);
    assert.deepEqual(undone.entries, [
      {
        kind: 'redemption_undone',
        stamps: 0,
        rewards: 1,
        points: 0,
        cashbackMinor: 0,
        amountMinor: 0,
        tier: null,
        rewardId: null,
        rewardName: program.reward.name,
      },
    ]);
    // The ledger with both rows gives the same balances as the cache.
    assert.deepEqual(balancesFromLedger([...stamped.entries, ...redeemed.entries, ...undone.entries]), undone.balances);
  });

  it('points: the reward’s points come back, with its id and name', () => {
    const program: Program = {
      ...defaultProgram('p', 'Café'),
      type: 'points',
      rewards: [{ id: 'mug', name: 'Mug', points: 50, costMinor: 300 }],
    };
    const bought = recordPurchase(program, EMPTY_BALANCES, { amountMinor: 8_000, spendLast12MonthsMinor: 0 });
    assert.ok(bought.ok);
    const { undone } = roundTrip(program, bought.balances, { rewardId: 'mug' });
    assert.deepEqual(undone.balances, bought.balances);
    assert.equal(undone.entries[0]!.points, 50);
    assert.equal(undone.entries[0]!.rewardId, 'mug');
    assert.equal(undone.entries[0]!.rewardName, 'Mug');
  });

  it('cashback: the amount spent comes back', () => {
    const program: Program = { ...defaultProgram('k', 'Café'), type: 'cashback', cashbackPercent: 10 };
    const bought = recordPurchase(program, EMPTY_BALANCES, { amountMinor: 5_000, spendLast12MonthsMinor: 0 });
    assert.ok(bought.ok);
    const { undone } = roundTrip(program, bought.balances, { amountMinor: 120 });
    assert.deepEqual(undone.balances, bought.balances);
    assert.equal(undone.entries[0]!.cashbackMinor, 120);
  });

  it('gives back what the entry took even if the program changed since', () => {
    const program = defaultProgram('c', 'Café');
    const b: Balances = { ...EMPTY_BALANCES, rewardsAvailable: 1 };
    const r = redeem(program, b, {});
    assert.ok(r.ok);
    const u = undoRedemption(r.balances, { entry: r.entries[0]!, at }, later(1));
    assert.ok(u.ok);
    assert.equal(u.balances.rewardsAvailable, 1);
  });

  it('is refused after the window (10 minutes), allowed at its very end and for a clock a little behind', () => {
    const program = defaultProgram('c', 'Café');
    const b: Balances = { ...EMPTY_BALANCES, rewardsAvailable: 1 };
    const r = redeem(program, b, {});
    assert.ok(r.ok);
    const entry = r.entries[0]!;
    assert.equal(REDEMPTION_UNDO_WINDOW_MS, 600_000);
    assert.ok(undoRedemption(r.balances, { entry, at }, later(REDEMPTION_UNDO_WINDOW_MS)).ok);
    assert.ok(undoRedemption(r.balances, { entry, at }, later(-2_000)).ok);
    const late = undoRedemption(r.balances, { entry, at }, later(REDEMPTION_UNDO_WINDOW_MS + 1));
    assert.equal(late.ok, false);
    assert.equal(!late.ok && late.error, 'too_late');
    assert.equal(!late.ok && late.detail, 'A redemption can be undone within 10 minutes only.');
  });

  it('gives back every part of the entry, whatever it took (stamps and an amount too)', () => {
    const taken = { ...EMPTY_BALANCES, stamps: 1, points: 5, cashbackMinor: 10 };
    const entry = { ...r0(), stamps: -3, points: -20, cashbackMinor: -40, amountMinor: -700 };
    const u = undoRedemption(taken, { entry, at }, later(1));
    assert.ok(u.ok);
    const e = u.entries[0]!;
    assert.deepEqual([e.stamps, e.points, e.cashbackMinor, e.amountMinor], [3, 20, 40, 700]);
    assert.deepEqual([u.balances.stamps, u.balances.points, u.balances.cashbackMinor], [4, 25, 50]);
  });
});
