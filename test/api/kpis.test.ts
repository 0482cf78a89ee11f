// GET /api/merchant/kpis (issue 5's KPIs): exact figures on a small hand-computed fixture,
// nulls on an empty merchant, another merchant's data never counted, the series buckets,
// validation and authentication; the summaries (migration 004) against the ledger, and migration
// 017's correction for redemptions given back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { refreshKpiSummary } from '../../server/db/queries/kpis.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);

let h: Harness;
let m: Merchant;
let other: Merchant;
let empty: Merchant;
/**
 * The one clock of this file, read once in `before()`: the services' (`h.setNow`, which the
 * KPIs' default `to` follows) and the tests' "today" and "n days ago".
 */
let now: Date;
let today: string;
const daysAgo = (n: number) => iso(new Date(now.getTime() - n * DAY));

const kpis = (merchant: Merchant, query = '') => h.get(`/api/merchant/kpis${query}`, { cookie: merchant.cookie });
const stamp = async (serial: string, body: Record<string, unknown>, merchant = m) => {
  const res = await h.post(`/api/merchant/cards/${serial}/stamps`, body, { cookie: merchant.cookie });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};
const survey = async (merchant: Merchant, kind: string, score: number) => {
  const res = await h.post(`/api/public/programs/${merchant.program.slug}/surveys`, { kind, score });
  assert.equal(res.status, 201, JSON.stringify(res.body));
};
/** Moves a member's signup `days` back (card and customer). */
const backdate = async (serial: string, days: number) => {
  await h.db.query(`UPDATE cards SET created_at = now() - make_interval(days => $2) WHERE serial = $1`, [serial, days]);
  await h.db.query(
    `UPDATE customers SET created_at = now() - make_interval(days => $2) WHERE id = (SELECT customer_id FROM cards WHERE serial = $1)`,
    [serial, days],
  );
};
/** A visit in the past: the ledger refuses UPDATE, so a backdated row is inserted as such. */
const pastVisit = async (serial: string, days: number) => {
  await h.db.query(
    `INSERT INTO ledger (merchant_id, card_id, kind, stamps, currency, actor, created_at)
     SELECT merchant_id, id, 'stamp', 1, 'EUR', 'test', now() - make_interval(days => $2) FROM cards WHERE serial = $1`,
    [serial, days],
  );
};
const referralCode = async (serial: string) =>
  (await h.db.query<{ referral_code: string }>('SELECT referral_code FROM cards WHERE serial = $1', [serial])).rows[0]!.referral_code;

before(async () => {
  h = await Harness.start();
  // The rows below get the database's now(), which no test clock moves: a run that starts in the
  // last minute of a UTC day waits for the next one, so that its rows, the services' clock and
  // the tests' "today" all fall on one day.
  const leftToday = DAY - (Date.now() % DAY);
  if (leftToday < 60_000) await sleep(leftToday + 1_000);
  now = (await h.db.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now;
  h.setNow(now);
  today = iso(now);
  // Another merchant's activity first: none of it may show up in m's figures.
  other = await h.signUpMerchant('Other Café');
  const o = await h.join(other);
  await stamp(o.serial, { count: 12, purchaseAmount: 99_999 }, other);
  await h.post(`/api/merchant/cards/${o.serial}/redemptions`, {}, { cookie: other.cookie });
  await survey(other, 'nps', 0);
  await survey(other, 'csat', 1);
  await survey(other, 'ces', 5);

  empty = await h.signUpMerchant('Empty Café');

  m = await h.signUpMerchant('Measured Café');
  await h.setProgram(m, { stampsRequired: 3, reward: { name: 'A croissant', costMinor: 300 }, signupBonus: 0 });
  // Three members from 20 days ago: A comes back, B came in the previous period only, C never.
  const a = await h.join(m);
  const b = await h.join(m);
  const c = await h.join(m);
  for (const s of [a.serial, b.serial, c.serial]) await backdate(s, 20);
  await pastVisit(a.serial, 10);
  await pastVisit(b.serial, 9);
  // Two new members, both referred by A: D visits (the referral is rewarded), E does not.
  const code = await referralCode(a.serial);
  const d = await h.join(m, { referralCode: code });
  await h.join(m, { referralCode: code });
  // A: 3 stamps in two visits (10.00 and 20.00) → a reward, redeemed (cost 3.00).
  await stamp(a.serial, { count: 1, purchaseAmount: 1000 });
  await stamp(a.serial, { count: 2, purchaseAmount: 2000 });
  const redeemed = await h.post(`/api/merchant/cards/${a.serial}/redemptions`, {}, { cookie: m.cookie });
  assert.equal(redeemed.status, 200, JSON.stringify(redeemed.body));
  // D: 3 stamps with 30.00 → a reward, kept; then a visit without an amount.
  await stamp(d.serial, { count: 3, purchaseAmount: 3000 });
  await stamp(d.serial, { count: 1 });
  for (const score of [10, 9, 8, 3]) await survey(m, 'nps', score);
  for (const score of [5, 4, 2, 1]) await survey(m, 'csat', score);
  for (const score of [2, 3, 5]) await survey(m, 'ces', score);
});
after(() => h.close());

describe('GET /api/merchant/kpis', () => {
  it('the last 7 days: exact figures on a hand-computed fixture', async () => {
    const from = daysAgo(6);
    const res = await kpis(m, `?from=${from}&to=${today}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const k = res.body;
    assert.deepEqual(k.period, { from, to: today });
    assert.equal(k.currency, m.program.currency);
    assert.equal(k.members, 5);
    assert.equal(k.newMembers, 2);
    assert.equal(k.activeMembers, 2); // A and D
    // S = A and B (active in the previous 7 days); E − N_active = A → 1 / 2.
    assert.equal(k.retentionRate, 50);
    assert.equal(k.purchaseFrequency, 2); // 4 visits / 2 active members
    assert.equal(k.averageOrderValue, 2000); // (1000 + 2000 + 3000) / 3
    // Lifespans 20 and ~0 days → mean 10 days → at least one month; 2 visits a week.
    const clv = Math.round(2000 * ((2 * 365.25) / 7) * (365.25 / 12 / 365.25) * 100) / 100;
    assert.equal(k.clv, clv);
    assert.equal(k.redemptionRate, 50); // 1 redeemed / 2 earned
    assert.equal(k.rewardCostPercent, 5); // 300 / 6000
    assert.equal(k.referralConversion, 50); // D rewarded, E pending
    assert.equal(k.nps, 25); // (2 promoters − 1 detractor) / 4
    assert.equal(k.csat, 50); // 2 of 4 satisfied
    assert.equal(k.ces, 3.33); // 10 / 3
    for (const key of Object.keys(k).filter((x) => !['period', 'currency', 'formulas', 'series'].includes(x))) {
      assert.equal(typeof k.formulas[key], 'string', `a formula for ${key}`);
    }
    assert.match(k.formulas.retentionRate, /^CRR = \(E − N\) \/ S × 100, where /);
  });

  it('the series: one zero-filled bucket per day, the activity on today', async () => {
    const res = await kpis(m, `?from=${daysAgo(6)}&to=${today}`);
    const { bucket, points } = res.body.series;
    assert.equal(bucket, 'day');
    assert.deepEqual(
      points.map((p: { start: string }) => p.start),
      [6, 5, 4, 3, 2, 1, 0].map(daysAgo),
    );
    for (const p of points.slice(0, -1)) assert.deepEqual(p, { start: p.start, newMembers: 0, visits: 0, spendMinor: 0, redemptions: 0 });
    assert.deepEqual(points.at(-1), { start: today, newMembers: 2, visits: 4, spendMinor: 6000, redemptions: 1 });
  });

  it('the previous 7 days: B and A visited, nobody was new in them, nothing before to retain', async () => {
    const res = await kpis(m, `?from=${daysAgo(13)}&to=${daysAgo(7)}`);
    const k = res.body;
    assert.equal(k.members, 3);
    assert.equal(k.newMembers, 0);
    assert.equal(k.activeMembers, 2);
    assert.equal(k.retentionRate, null); // no visits in the 7 days before
    assert.equal(k.purchaseFrequency, 1);
    assert.equal(k.averageOrderValue, null);
    assert.equal(k.clv, null);
    assert.equal(k.redemptionRate, null);
    assert.equal(k.nps, null);
    assert.equal(
      k.series.points.reduce((n: number, p: { visits: number }) => n + p.visits, 0),
      2,
    );
  });

  it('all time: from the merchant’s first member to today; no previous period, so no retention rate', async () => {
    const res = await kpis(m);
    const k = res.body;
    assert.deepEqual(k.period, { from: daysAgo(20), to: today });
    assert.equal(k.members, 5);
    assert.equal(k.newMembers, 5);
    assert.equal(k.activeMembers, 3);
    assert.equal(k.retentionRate, null);
    assert.equal(k.series.bucket, 'day');
    assert.equal(k.series.points.length, 21);
    assert.equal(k.series.points[0].newMembers, 3);
    assert.equal(k.nps, 25);
  });

  it('an empty merchant: counts are 0, every ratio null, the buckets zero', async () => {
    const res = await kpis(empty, `?from=${daysAgo(2)}&to=${today}`);
    assert.equal(res.status, 200);
    const k = res.body;
    assert.equal(k.members, 0);
    assert.equal(k.newMembers, 0);
    assert.equal(k.activeMembers, 0);
    for (const key of [
      'retentionRate',
      'purchaseFrequency',
      'averageOrderValue',
      'clv',
      'redemptionRate',
      'nps',
      'csat',
      'ces',
      'referralConversion',
      'rewardCostPercent',
    ]) {
      assert.equal(k[key], null, key);
    }
    assert.equal(k.series.points.length, 3);
    for (const p of k.series.points) assert.deepEqual(p, { start: p.start, newMembers: 0, visits: 0, spendMinor: 0, redemptions: 0 });
    const all = await kpis(empty);
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.period, { from: today, to: today });
    assert.equal(all.body.series.points.length, 1);
  });

  it('another merchant sees only its own figures', async () => {
    const k = (await kpis(other)).body;
    assert.equal(k.members, 1);
    assert.equal(k.averageOrderValue, 99_999);
    assert.equal(k.redemptionRate, 100); // 12 stamps of 10 = 1 reward, redeemed
    assert.equal(k.nps, -100);
  });

  it('bucket: day up to 62 days, week up to 2 years, month beyond', async () => {
    const cases: [string, string, string, number, string][] = [
      ['2024-01-01', '2024-03-02', 'day', 62, '2024-01-01'],
      ['2024-01-01', '2024-03-03', 'week', 9, '2024-01-01'],
      ['2024-01-03', '2024-01-31', 'day', 29, '2024-01-03'],
      ['2024-01-03', '2025-12-31', 'week', 105, '2024-01-01'], // weeks start on Monday
      ['2022-01-01', '2023-12-31', 'week', 105, '2021-12-27'],
      ['2022-01-01', '2024-01-01', 'month', 25, '2022-01-01'],
      ['2020-02-15', '2025-02-14', 'month', 61, '2020-02-01'],
    ];
    for (const [from, to, bucket, n, first] of cases) {
      const res = await kpis(m, `?from=${from}&to=${to}`);
      assert.equal(res.status, 200, `${from}..${to}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.series.bucket, bucket, `${from}..${to}`);
      assert.equal(res.body.series.points.length, n, `${from}..${to}`);
      assert.equal(res.body.series.points[0].start, first, `${from}..${to}`);
      assert.equal(res.body.members, 0);
    }
  });

  it('only `from`: up to today', async () => {
    const res = await kpis(m, `?from=${daysAgo(1)}`);
    assert.deepEqual(res.body.period, { from: daysAgo(1), to: today });
    assert.equal(res.body.newMembers, 2);
  });

  it('a staff member reads the KPIs of their merchant', async () => {
    const { cookie } = await h.addStaff(m);
    const res = await h.get(`/api/merchant/kpis?from=${daysAgo(6)}&to=${today}`, { cookie });
    assert.equal(res.status, 200);
    assert.equal(res.body.members, 5);
  });

  it('an API key reads the KPIs too; no credentials → 401', async () => {
    const key = await h.apiKey(m, 'pos');
    const res = await h.get(`/api/merchant/kpis?from=${daysAgo(6)}&to=${today}`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200);
    assert.equal(res.body.members, 5);
    assertProblem(await h.get('/api/merchant/kpis'), 401, 'unauthorized');
    assertProblem(await h.get('/api/merchant/kpis', { headers: { authorization: 'Bearer nope' } }), 401, 'unauthorized');
  });

  for (const [query, path] of [
    ['?from=2024-13-01', 'from'],
    ['?from=2024-02-30', 'from'],
    ['?to=yesterday', 'to'],
    ['?from=2024-1-1', 'from'],
    ['?from=0000-01-01&to=0000-01-02', 'from'],
    ['?from=2024-03-02&to=2024-03-01', 'to'],
    ['?from=2019-01-01&to=2024-01-01', 'to'],
  ] as const) {
    it(`${query} → 400 validation_failed at ${path}`, async () => {
      assertProblem(await kpis(m, query), 400, 'validation_failed', [path]);
    });
  }

  it('exactly 5 years is allowed', async () => {
    const res = await kpis(m, '?from=2019-01-01&to=2023-12-31');
    assert.equal(res.status, 200);
    assert.equal(res.body.series.bucket, 'month');
    assert.equal(res.body.series.points.length, 60);
  });

  it('the same answers from the summaries (migration 004) as from the ledger, and the rows above their watermark', async () => {
    const queries = [
      '',
      `?from=${daysAgo(6)}&to=${today}`,
      `?from=${daysAgo(13)}&to=${daysAgo(7)}`,
      `?from=${daysAgo(9)}&to=${daysAgo(9)}`,
    ];
    const read = async () => Promise.all([m, other, empty].flatMap((x) => queries.map(async (q) => (await kpis(x, q)).body)));
    const fromLedger = await read();
    assert.ok((await refreshKpiSummary(h.db)) > 0);
    assert.equal((await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM kpi_cards')).rows[0]!.n, 4); // A, B, D, other's
    assert.deepEqual(await read(), fromLedger);
    // A visit after the refresh, and a backdated one: read from the ledger, merged with the summaries.
    const s = (await h.db.query<{ serial: string }>(`SELECT serial FROM cards WHERE merchant_id = $1 ORDER BY created_at LIMIT 1`, [m.id]))
      .rows[0]!.serial;
    await pastVisit(s, 3);
    await stamp(s, { count: 1, purchaseAmount: 500 });
    const afterStamp = await read();
    await refreshKpiSummary(h.db);
    assert.deepEqual(await read(), afterStamp);
    assert.notDeepEqual(afterStamp, fromLedger);
  });

  it('a redemption given back at the counter is neither redeemed nor a cost, from the ledger or the summaries', async () => {
    const u = await h.signUpMerchant('Undone Café');
    await h.setProgram(u, { stampsRequired: 3, reward: { name: 'A croissant', costMinor: 300 }, signupBonus: 0 });
    const { serial } = await h.join(u);
    await stamp(serial, { count: 3, purchaseAmount: 1000 }, u);
    const redeemed = await h.post(`/api/merchant/cards/${serial}/redemptions`, {}, { cookie: u.cookie });
    assert.equal(redeemed.status, 200, JSON.stringify(redeemed.body));
    const k = (await kpis(u)).body;
    assert.deepEqual([k.redemptionRate, k.rewardCostPercent, k.series.points.at(-1).redemptions], [100, 30, 1]);
    const undone = await h.post(`/api/merchant/cards/${serial}/redemptions/${redeemed.body.redeemed.id}/undo`, undefined, {
      cookie: u.cookie,
    });
    assert.equal(undone.status, 200, JSON.stringify(undone.body));
    // As if never redeemed: no cost recorded is no figure (null), as for a café that redeemed nothing.
    const after = (await kpis(u)).body;
    assert.deepEqual([after.redemptionRate, after.rewardCostPercent, after.series.points.at(-1).redemptions], [0, null, 0]);
    await refreshKpiSummary(h.db);
    assert.deepEqual((await kpis(u)).body, after);
  });

  it('a member erased after a redemption given back takes nothing more out of the summaries than they held', async () => {
    const u = await h.signUpMerchant('Erased Undo Café');
    await h.setProgram(u, { stampsRequired: 3, signupBonus: 0 });
    const { serial } = await h.join(u);
    await stamp(serial, { count: 3 }, u);
    const redeemed = await h.post(`/api/merchant/cards/${serial}/redemptions`, {}, { cookie: u.cookie });
    await h.post(`/api/merchant/cards/${serial}/redemptions/${redeemed.body.redeemed.id}/undo`, undefined, { cookie: u.cookie });
    await refreshKpiSummary(h.db);
    const customer = (await h.db.query<{ customer_id: string }>('SELECT customer_id FROM cards WHERE serial = $1', [serial])).rows[0]!;
    assert.equal((await h.call('DELETE', `/api/merchant/customers/${customer.customer_id}`, { cookie: u.cookie })).status, 204);
    const days = await h.db.query<{ redemptions: string }>('SELECT redemptions FROM kpi_days WHERE merchant_id = $1', [u.id]);
    assert.deepEqual(
      days.rows.map((r) => Number(r.redemptions)),
      [0],
    );
    assert.equal((await kpis(u)).body.series.points.at(-1).redemptions, 0);
  });

  it('members joining after the refresh are counted from the cards; an erased member leaves the counts, summarised or not', async () => {
    await refreshKpiSummary(h.db);
    const before = (await kpis(m)).body;
    const joined = await h.join(m); // above the cards' watermark
    const withNew = (await kpis(m)).body;
    assert.deepEqual([withNew.members, withNew.newMembers], [before.members + 1, before.newMembers + 1]);
    const sum = (b: { series: { points: { newMembers: number }[] } }) => b.series.points.reduce((n, p) => n + p.newMembers, 0);
    assert.equal(sum(withNew), withNew.newMembers);
    await refreshKpiSummary(h.db);
    assert.deepEqual((await kpis(m)).body, withNew);
    // One more joins (not summarised), then an old summarised member and the newest one are erased.
    const newest = await h.join(m);
    const customerOf = async (serial: string) =>
      (await h.db.query<{ customer_id: string }>('SELECT customer_id FROM cards WHERE serial = $1', [serial])).rows[0]!.customer_id;
    const { rows } = await h.db.query<{ serial: string }>(
      `SELECT serial FROM cards WHERE merchant_id = $1 AND serial NOT IN ($2, $3) ORDER BY created_at LIMIT 1`,
      [m.id, joined.serial, newest.serial],
    );
    for (const serial of [rows[0]!.serial, newest.serial]) {
      const res = await h.call('DELETE', `/api/merchant/customers/${await customerOf(serial)}`, { cookie: m.cookie });
      assert.equal(res.status, 204);
    }
    const after = (await kpis(m)).body;
    assert.deepEqual([after.members, after.newMembers, sum(after)], [before.members, before.newMembers, before.newMembers]);
    await refreshKpiSummary(h.db);
    assert.deepEqual((await kpis(m)).body, after);
  });
});

describe('migration 017', () => {
  it('takes the undo rows summarised before it off their days: the figures are as if the redemption never happened', async () => {
    const fresh = await Harness.start();
    try {
      const u = await fresh.signUpMerchant('Summarised Before 017');
      await fresh.setProgram(u, { stampsRequired: 3, signupBonus: 0 });
      const { serial } = await fresh.join(u);
      const write = async (path: string, body?: object) => {
        const res = await fresh.post(`/api/merchant/cards/${serial}/${path}`, body, { cookie: u.cookie });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body;
      };
      await write('stamps', { count: 3 });
      const { redeemed } = await write('redemptions', {});
      await write(`redemptions/${redeemed.id}/undo`);
      await refreshKpiSummary(fresh.db);
      const read = async () => (await fresh.get('/api/merchant/kpis', { cookie: u.cookie })).body;
      const answer = await read();
      assert.equal(answer.series.points.at(-1).redemptions, 0);
      // The day as a refresh before 017 folded it in: the undo row counted as nothing.
      await fresh.db.query('UPDATE kpi_days SET redemptions = redemptions + 1 WHERE merchant_id = $1', [u.id]);
      assert.equal((await read()).series.points.at(-1).redemptions, 1);
      const sql = readFileSync(new URL('../../server/db/migrations/017_kpi_redemption_undo.sql', import.meta.url), 'utf8');
      await fresh.db.exec(sql.slice(sql.indexOf('SELECT ledger_id FROM kpi_watermark'), sql.indexOf('-- Erasing')));
      assert.deepEqual(await read(), answer);
    } finally {
      await fresh.close();
    }
  });
});
