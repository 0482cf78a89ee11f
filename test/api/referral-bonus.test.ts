// The stamp and purchase answers say how much of the visit was a referral bonus (issue 16, "from
// real use": a friend's first stamp showed 1 → 3 with only "Stamp added."): `referralBonus`, in the
// program's unit, 0 when none; the referrer's own bonus is not in it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness, type Merchant } from '../support/harness.ts';

let h: Harness;
before(async () => {
  h = await Harness.start();
});
after(() => h.close());

const codeOf = async (serial: string) =>
  (await h.db.query<{ referral_code: string }>('SELECT referral_code FROM cards WHERE serial = $1', [serial])).rows[0]!.referral_code;

/** A referrer and a friend who joined with the referrer's code, in `m`'s program. */
async function pair(m: Merchant) {
  const referrer = (await h.join(m, { name: 'Rita Referrer' })).serial as string;
  const friend = (await h.join(m, { name: 'Fred Friend', referralCode: await codeOf(referrer) })).serial as string;
  return { referrer, friend };
}

describe('referralBonus in the answers', () => {
  it('stamps: the friend’s first stamp says it brought 2 bonus stamps, the next ones none', async () => {
    const m = await h.signUpMerchant('Referral Stamps');
    await h.setProgram(m, { referral: { referrerReward: 1, refereeReward: 2, monthlyCap: 10 } });
    const { referrer, friend } = await pair(m);
    const first = await h.post(`/api/merchant/cards/${friend}/stamps`, {}, { cookie: m.cookie });
    assert.equal(first.status, 200);
    assert.equal(first.body.card.stamps, 3);
    assert.equal(first.body.referralBonus, 2);
    const second = await h.post(`/api/merchant/cards/${friend}/stamps`, {}, { cookie: m.cookie });
    assert.equal(second.body.referralBonus, 0);
    // The referrer's own stamp: the referrer's bonus was paid on the friend's visit, not here.
    const own = await h.post(`/api/merchant/cards/${referrer}/stamps`, {}, { cookie: m.cookie });
    assert.equal(own.body.referralBonus, 0);
    assert.equal(own.body.card.stamps, 2);
  });

  it('stamps: a bonus that completes the card is said, with the reward', async () => {
    const m = await h.signUpMerchant('Referral Reward');
    await h.setProgram(m, { stampsRequired: 3, referral: { referrerReward: 0, refereeReward: 2, monthlyCap: 10 } });
    const { friend } = await pair(m);
    const res = await h.post(`/api/merchant/cards/${friend}/stamps`, {}, { cookie: m.cookie });
    assert.equal(res.body.referralBonus, 2);
    assert.equal(res.body.rewardEarned, true);
    assert.equal(res.body.card.rewardsAvailable, 1);
  });

  it('a member who joined without a code: 0', async () => {
    const m = await h.signUpMerchant('No Referral');
    await h.setProgram(m, { referral: { referrerReward: 1, refereeReward: 2, monthlyCap: 10 } });
    const { serial } = await h.join(m);
    const res = await h.post(`/api/merchant/cards/${serial}/stamps`, {}, { cookie: m.cookie });
    assert.equal(res.body.referralBonus, 0);
  });

  it('a referral over the referrer’s cap pays nothing: 0', async () => {
    const m = await h.signUpMerchant('Capped Referral');
    await h.setProgram(m, { referral: { referrerReward: 1, refereeReward: 2, monthlyCap: 1 } });
    const { referrer, friend } = await pair(m);
    const another = (await h.join(m, { referralCode: await codeOf(referrer) })).serial;
    assert.equal((await h.post(`/api/merchant/cards/${friend}/stamps`, {}, { cookie: m.cookie })).body.referralBonus, 2);
    const refused = await h.post(`/api/merchant/cards/${another}/stamps`, {}, { cookie: m.cookie });
    assert.equal(refused.body.referralBonus, 0);
    assert.equal(refused.body.card.stamps, 1);
  });

  it('points: the purchase answer says the bonus points', async () => {
    const m = await h.signUpMerchant('Referral Points');
    await h.setProgram(m, {
      type: 'points',
      pointsPerUnit: 1,
      rewards: [{ id: 'mug', name: 'Mug', points: 500, costMinor: 300 }],
      referral: { referrerReward: 20, refereeReward: 50, monthlyCap: 10 },
    });
    const { friend } = await pair(m);
    const res = await h.post(`/api/merchant/cards/${friend}/purchases`, { amount: 1_000 }, { cookie: m.cookie });
    assert.equal(res.status, 200);
    assert.equal(res.body.card.points, 60);
    assert.equal(res.body.referralBonus, 50);
    const next = await h.post(`/api/merchant/cards/${friend}/purchases`, { amount: 1_000 }, { cookie: m.cookie });
    assert.equal(next.body.referralBonus, 0);
  });

  it('cashback: in minor units', async () => {
    const m = await h.signUpMerchant('Referral Cashback');
    await h.setProgram(m, { type: 'cashback', cashbackPercent: 10, referral: { referrerReward: 100, refereeReward: 250, monthlyCap: 10 } });
    const { friend } = await pair(m);
    const res = await h.post(`/api/merchant/cards/${friend}/purchases`, { amount: 1_000 }, { cookie: m.cookie });
    assert.equal(res.body.card.cashbackBalance, 350);
    assert.equal(res.body.referralBonus, 250);
  });
});
