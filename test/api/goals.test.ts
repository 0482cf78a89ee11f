// /api/merchant/goals (issue 13's SMART goals): where a goal stands (current figure, progress,
// pace, status) on the services' clock in the merchant's time zone; a deadline in the past, a
// target met at creation, a goal going down; another merchant's goal, staff, bad bodies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);

let h: Harness;
let m: Merchant;
let other: Merchant;
let staffCookie: string;
let now: Date;
/** A UTC day relative to the clock (m's time zone is UTC: its days are the KPIs' days). */
const day = (n: number) => iso(new Date(now.getTime() + n * DAY));

const goals = (merchant: Merchant = m) => h.get('/api/merchant/goals', { cookie: merchant.cookie });
const create = async (body: Record<string, unknown>, merchant: Merchant = m) => {
  const res = await h.post('/api/merchant/goals', body, { cookie: merchant.cookie });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
};
const patch = (id: string, body: unknown, cookie = m.cookie) => h.call('PATCH', `/api/merchant/goals/${id}`, { body, cookie });
const remove = (id: string, cookie = m.cookie) => h.call('DELETE', `/api/merchant/goals/${id}`, { cookie });
const seed = () => ({ metric: 'purchaseFrequency', target: 3, baseline: 1.5, from: day(-5), to: day(24) });

before(async () => {
  h = await Harness.start();
  now = new Date();
  h.setNow(now);
  other = await h.signUpMerchant('Other Café');
  m = await h.signUpMerchant('Goal Café');
  await h.setProgram(m, { timezone: 'UTC', signupBonus: 0 });
  staffCookie = (await h.addStaff(m)).cookie;
  // Two members today; four visits between them: purchase frequency 2 over the last 30 days.
  const a = await h.join(m);
  const b = await h.join(m);
  for (const serial of [a.serial, a.serial, a.serial, b.serial]) {
    const res = await h.post(`/api/merchant/cards/${serial}/stamps`, { count: 1 }, { cookie: m.cookie });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
  // The other merchant's activity never counts in m's figures.
  const o = await h.join(other);
  await h.post(`/api/merchant/cards/${o.serial}/stamps`, { count: 1 }, { cookie: other.cookie });
});
after(() => h?.close());

describe('where a goal stands', () => {
  it('the seed’s objective: purchase frequency from 1.5 to 3, a sixth of the days gone, a third of the way', async () => {
    const g = await create(seed());
    assert.equal(typeof g.id, 'string');
    assert.equal(g.metric, 'purchaseFrequency');
    assert.equal(g.baseline, 1.5);
    assert.equal(g.baselineMeasured, false);
    assert.equal(g.current, 2);
    assert.equal(g.direction, 'up');
    assert.equal(g.progress, 33.3);
    assert.equal(g.status, 'active');
    assert.equal(g.onTrack, true, '5 days of 30 gone (16.7 %), 33.3 % of the way');
    const list = await goals();
    assert.equal(list.status, 200);
    assert.equal(list.body.today, day(0));
    assert.deepEqual(
      list.body.goals.find((x: { id: string }) => x.id === g.id),
      g,
    );
    await remove(g.id);
  });

  it('behind when the days go faster than the figure', async () => {
    const g = await create({ ...seed(), from: day(-20), to: day(9) });
    assert.equal(g.progress, 33.3);
    assert.equal(g.status, 'active');
    assert.equal(g.onTrack, false, '20 days of 30 gone');
    await remove(g.id);
  });

  it('a target already met at creation: progress 100, met, on track', async () => {
    const g = await create({ metric: 'purchaseFrequency', target: 1.5, from: day(0), to: day(30), baseline: 1 });
    assert.deepEqual([g.progress, g.status, g.onTrack], [100, 'met', true]);
    // Measured baseline: no active member in the 30 days before today, 2 now.
    const active = await create({ metric: 'activeMembers', target: 1, from: day(0), to: day(30) });
    assert.deepEqual([active.baseline, active.baselineMeasured, active.current], [0, true, 2]);
    assert.deepEqual([active.progress, active.status, active.onTrack], [100, 'met', true]);
    await remove(g.id);
    await remove(active.id);
  });

  it('a goal that goes down', async () => {
    const g = await create({ metric: 'purchaseFrequency', target: 1, baseline: 3, from: day(0), to: day(30) });
    assert.deepEqual([g.direction, g.current, g.progress, g.status, g.onTrack], ['down', 2, 50, 'active', true]);
    const met = await patch(g.id, { target: 2 });
    assert.equal(met.status, 200, JSON.stringify(met.body));
    assert.deepEqual([met.body.direction, met.body.progress, met.body.status], ['down', 100, 'met']);
    // Without a baseline (no data), reward cost is a figure better low.
    const cost = await create({ metric: 'rewardCostPercent', target: 5, from: day(0), to: day(30) });
    assert.deepEqual([cost.baseline, cost.direction, cost.current, cost.status], [null, 'down', null, 'active']);
    await remove(g.id);
    await remove(cost.id);
  });

  it('a deadline in the past: judged on the figure at the deadline, missed or met, never active', async () => {
    const missed = await create({ metric: 'purchaseFrequency', target: 2, baseline: 1, from: day(-60), to: day(-40) });
    assert.deepEqual([missed.current, missed.progress, missed.status, missed.onTrack], [null, 0, 'missed', false]);
    const down = await create({ metric: 'activeMembers', target: 0, baseline: 5, from: day(-60), to: day(-40) });
    assert.deepEqual([down.current, down.status, down.onTrack], [0, 'met', true]);
    await remove(missed.id);
    await remove(down.id);
  });

  it('new members since the start; after the deadline, met or missed by the clock', async () => {
    const two = await create({ metric: 'newMembers', target: 2, from: day(0), to: day(10) });
    const five = await create({ metric: 'newMembers', target: 5, from: day(0), to: day(10) });
    assert.deepEqual([two.baseline, two.baselineMeasured, two.current, two.status], [0, true, 2, 'met']);
    assert.deepEqual([five.current, five.progress, five.status], [2, 40, 'active']);
    h.setNow(new Date(now.getTime() + 20 * DAY));
    try {
      const { body } = await goals();
      const byId = new Map(body.goals.map((g: { id: string }) => [g.id, g]));
      assert.equal((byId.get(two.id) as { status: string }).status, 'met');
      assert.deepEqual(
        ['current', 'status', 'onTrack'].map((k) => (byId.get(five.id) as Record<string, unknown>)[k]),
        [2, 'missed', false],
      );
    } finally {
      h.setNow(now);
    }
    await remove(two.id);
    await remove(five.id);
  });

  it('today is the merchant’s, by the services’ clock', async () => {
    // 23:30 UTC is already the next day in Paris (the other merchant's default time zone).
    h.setNow('2027-03-01T23:30:00Z');
    try {
      const { body } = await goals(other);
      assert.equal(body.today, '2027-03-02');
      assert.equal((await goals()).body.today, '2027-03-01');
    } finally {
      h.setNow(now);
    }
  });

  it('changes: the target, a baseline measured again, the dates', async () => {
    const g = await create(seed());
    const target = await patch(g.id, { target: 2.5 });
    assert.deepEqual([target.body.target, target.body.progress, target.body.baseline], [2.5, 50, 1.5]);
    const measured = await patch(g.id, { baseline: null });
    assert.deepEqual([measured.body.baseline, measured.body.baselineMeasured], [null, true], 'no visit in the 30 days before from');
    const days = await patch(g.id, { to: day(60) });
    assert.equal(days.body.to, day(60));
    assert.equal(days.body.from, day(-5));
    await remove(g.id);
  });
});

describe('refusals', () => {
  let id: string;
  before(async () => {
    id = (await create(seed())).id;
  });

  it('another merchant’s goal is not found, and stays as it was', async () => {
    const before = (await goals()).body.goals.find((g: { id: string }) => g.id === id);
    assertProblem(await patch(id, { target: 99 }, other.cookie), 404, 'not_found');
    assertProblem(await remove(id, other.cookie), 404, 'not_found');
    assert.deepEqual((await goals(other)).body.goals, []);
    assert.deepEqual(
      (await goals()).body.goals.find((g: { id: string }) => g.id === id),
      before,
    );
  });

  it('an unknown id is not found', async () => {
    assertProblem(await patch('00000000-0000-4000-8000-000000000000', { target: 1 }), 404, 'not_found');
    assertProblem(await remove('not-a-uuid'), 404, 'not_found');
    assertProblem(await patch('not-a-uuid', { target: 1 }), 404, 'not_found');
    assertProblem(await remove('x'.repeat(300)), 404, 'not_found');
  });

  it('staff and API keys cannot read or write goals', async () => {
    assertProblem(await h.post('/api/merchant/goals', seed(), { cookie: staffCookie }), 403, 'forbidden');
    assertProblem(await patch(id, { target: 1 }, staffCookie), 403, 'forbidden');
    assertProblem(await remove(id, staffCookie), 403, 'forbidden');
    assertProblem(await h.get('/api/merchant/goals', { cookie: staffCookie }), 403, 'forbidden');
    const key = await h.apiKey(m);
    assertProblem(await h.post('/api/merchant/goals', seed(), { headers: { authorization: `Bearer ${key}` } }), 403, 'forbidden');
    assert.equal(await h.count('SELECT count(*)::int AS n FROM goals WHERE merchant_id = $1', [m.id]), 1);
    const still = (await goals()).body.goals.find((g: { id: string }) => g.id === id);
    assert.equal(still.target, 3);
  });

  it('no session, or a write from another site', async () => {
    assertProblem(await h.get('/api/merchant/goals'), 401, 'unauthorized');
    assertProblem(await h.post('/api/merchant/goals', seed(), { cookie: m.cookie, origin: 'https://evil.example' }), 403, 'forbidden');
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['an unknown metric', { metric: 'happiness' }, 'metric'],
    ['`to` before `from`', { from: '2027-06-30', to: '2027-01-01' }, 'to'],
    ['a date that does not exist', { from: '2027-02-30' }, 'from'],
    ['a date in another format', { to: '30/06/2027' }, 'to'],
    ['a target that is not a number', { target: '2' }, 'target'],
    ['no target', { target: undefined }, 'target'],
    ['a baseline that is not a number', { baseline: 'low' }, 'baseline'],
    ['more than 5 years', { from: '2027-01-01', to: '2033-01-01' }, 'to'],
  ];
  for (const [name, change, path] of bad) {
    it(`POST: ${name} → 400 validation_failed at ${path}`, async () => {
      assertProblem(await h.post('/api/merchant/goals', { ...seed(), ...change }, { cookie: m.cookie }), 400, 'validation_failed', [path]);
    });
  }

  it('PATCH: bad fields, and `to` before the stored `from`', async () => {
    assertProblem(await patch(id, { metric: 'happiness' }), 400, 'validation_failed', ['metric']);
    assertProblem(await patch(id, { target: null }), 400, 'validation_failed', ['target']);
    assertProblem(await patch(id, { to: day(-30) }), 400, 'validation_failed', ['to']);
    assertProblem(
      await h.call('PATCH', `/api/merchant/goals/${id}`, {
        raw: '{"target":',
        headers: { 'content-type': 'application/json' },
        cookie: m.cookie,
      }),
      400,
      'validation_failed',
    );
    assert.equal((await goals()).body.goals.find((g: { id: string }) => g.id === id).target, 3);
  });

  it('DELETE removes it, once', async () => {
    const res = await remove(id);
    assert.equal(res.status, 204);
    assertProblem(await remove(id), 404, 'not_found');
    assert.deepEqual((await goals()).body.goals, []);
  });
});
