import { expect } from '@open-wc/testing';
import { costPercent, pointsSpend, rewardCosts, stampsSpend, verdictOf } from '../../../dashboard/screens/reward-cost.ts';
import { cafe, pointsCafe } from './fixtures.ts';

describe('reward cost check', () => {
  it('a free 1 € coffee after 50 € of purchases is 2 %', () => {
    expect(costPercent(100, 5000)).to.equal(2);
    expect(verdictOf(2)).to.equal('ok');
  });

  it('judges the figure as shown: inside 1–5 % is fine, outside is flagged', () => {
    expect(verdictOf(0.94)).to.equal('low'); // shown as 0.9 %
    expect(verdictOf(0.96)).to.equal('ok'); // shown as 1 %
    expect(verdictOf(1)).to.equal('ok');
    expect(verdictOf(5)).to.equal('ok');
    expect(verdictOf(5.04)).to.equal('ok'); // shown as 5 %
    expect(verdictOf(5.06)).to.equal('high');
    expect(verdictOf(10)).to.equal('high');
  });

  it('has no figure when nothing is spent', () => {
    expect(costPercent(100, 0)).to.equal(null);
    expect(pointsSpend(20, 0, 2)).to.equal(null);
  });

  it('stamps: the spend is the stamps needed × the average purchase', () => {
    expect(stampsSpend(10, 500)).to.equal(5000);
    const [c] = rewardCosts(cafe, 500, 2);
    expect(c).to.deep.include({
      basis: 'stamps',
      name: 'A free coffee',
      costMinor: 100,
      needed: 10,
      spendMinor: 5000,
      percent: 2,
      verdict: 'ok',
    });
    expect(rewardCosts({ ...cafe, reward: { name: 'Lunch', costMinor: 500 } }, 500, 2)[0]).to.deep.include({
      percent: 10,
      verdict: 'high',
    });
  });

  it('stamps without an average purchase: no figure yet', () => {
    expect(rewardCosts(cafe, null, 2)[0]).to.deep.include({ spendMinor: null, percent: null, verdict: null });
  });

  it('points and tiers: each catalog reward, points ÷ points per unit of spend', () => {
    // 20 points at 1 point per euro = 20 € spent; a 0.40 € croissant is 2 %.
    expect(rewardCosts(pointsCafe, null, 2)).to.deep.equal([
      { basis: 'points', name: 'Croissant', costMinor: 40, needed: 20, spendMinor: 2000, percent: 2, verdict: 'ok' },
    ]);
    const tiers = {
      ...pointsCafe,
      type: 'tiers' as const,
      pointsPerUnit: 2,
      rewards: [{ id: 'a', name: 'A', points: 100, costMinor: 20 }],
    };
    // 100 points at 2 per euro = 50 €; 0.20 € is 0.4 %.
    expect(rewardCosts(tiers, null, 2)[0]).to.deep.include({ spendMinor: 5000, percent: 0.4, verdict: 'low' });
    // Yen have no minor unit: 100 points at 1 per yen = 100 ¥.
    expect(pointsSpend(100, 1, 0)).to.equal(100);
  });

  it('cashback: the percentage is the cashback itself', () => {
    expect(rewardCosts({ ...cafe, type: 'cashback', cashbackPercent: 3 }, null, 2)).to.deep.equal([
      { basis: 'cashback', name: '', costMinor: 0, needed: 0, spendMinor: null, percent: 3, verdict: 'ok' },
    ]);
    expect(rewardCosts({ ...cafe, type: 'cashback', cashbackPercent: 8 }, null, 2)[0]!.verdict).to.equal('high');
  });
});
