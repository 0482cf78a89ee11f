// A tier follows the spend of the rolling last 365 days (issue 16): a year without a purchase no
// longer keeps Gold. The daily job recomputes the tiers with the clock the tests control, writes
// the change to the ledger (the cache stays its recomputation) and queues the passes' update, as
// a purchase would; run again, it changes nothing.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { runDailyPlays } from '../../server/services/campaigns.ts';
import { TEST_DB } from '../support/db.ts';
import { Harness, type Merchant } from '../support/harness.ts';

const DAY_MS = 86_400_000;
const TIERS = [
  { name: 'Bronze', threshold: 0, multiplier: 1, perks: [] },
  { name: 'Silver', threshold: 10_000, multiplier: 1.5, perks: [] },
  { name: 'Gold', threshold: 50_000, multiplier: 2, perks: ['Free delivery'] },
];

describe(`the daily job recomputes tiers from the rolling window (${TEST_DB})`, () => {
  let h: Harness;
  const start = Date.now();
  const at = (days: number) => new Date(start + days * DAY_MS);

  before(async () => {
    h = await Harness.start();
  });
  after(() => h?.close());
  beforeEach(() => h.setNow(undefined));

  async function tiersMerchant(name: string, tiers = TIERS): Promise<Merchant> {
    const m = await h.signUpMerchant(name);
    await h.setProgram(m, { type: 'tiers', pointsPerUnit: 1, tiers });
    return m;
  }

  async function buyer(m: Merchant, amount: number | null): Promise<string> {
    const { serial } = await h.join(m);
    if (amount !== null) {
      const res = await h.post(`/api/merchant/cards/${serial}/purchases`, { amount }, { cookie: m.cookie });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    return serial;
  }

  const tierOf = async (serial: string) => (await h.get(`/api/public/cards/${serial}`)).body.card.tier as string | null;
  const tierRows = async (serial: string) =>
    (
      await h.db.query<{ tier: string; actor: string | null; points: number; amount_minor: number }>(
        `SELECT l.tier, l.actor, l.points, l.amount_minor FROM ledger l JOIN cards c ON c.id = l.card_id
          WHERE c.serial = $1 AND l.kind = 'tier_change' ORDER BY l.id`,
        [serial],
      )
    ).rows;
  const versionOf = async (serial: string) =>
    (await h.db.query<{ version: number }>('SELECT version FROM cards WHERE serial = $1', [serial])).rows[0]!.version;
  const run = () => runDailyPlays(h.deps);

  test('Gold a year without a purchase is Bronze again; within the year it stays Gold', async () => {
    const m = await tiersMerchant('Boutique Or');
    const gold = await buyer(m, 60_000);
    const silver = await buyer(m, 15_000);
    const fresh = await buyer(m, null);
    assert.equal(await tierOf(gold), 'Gold');
    assert.equal(await tierOf(silver), 'Silver');
    assert.equal(await tierOf(fresh), 'Bronze');
    // Gold's pass is on a phone.
    await h.db.query(
      `INSERT INTO apple_registrations (device_id, card_id, push_token) SELECT 'device-' || serial, id, repeat('ef', 32) FROM cards WHERE serial = $1`,
      [gold],
    );

    assert.equal((await run()).tiers, 0, 'today: every tier is earned');
    h.setNow(at(364));
    assert.equal((await run()).tiers, 0, 'within the year');
    assert.equal(await tierOf(gold), 'Gold');

    await h.db.query('DELETE FROM outbox WHERE merchant_id = $1', [m.id]);
    const version = await versionOf(gold);
    h.setNow(at(366));
    assert.equal((await run()).tiers, 2);
    assert.equal(await tierOf(gold), 'Bronze');
    assert.equal(await tierOf(silver), 'Bronze');
    assert.equal(await tierOf(fresh), 'Bronze');
    assert.deepEqual(await tierRows(gold), [{ tier: 'Bronze', actor: null, points: 0, amount_minor: 0 }]);
    assert.deepEqual(await tierRows(fresh), [], 'a card that always held Bronze has nothing to change');
    for (const serial of [gold, silver, fresh]) {
      const { cached, fromLedger } = await h.cacheAndLedger(serial);
      assert.deepEqual(cached, fromLedger);
    }
    // The pass shows it: a new version, and the phone's push queued.
    assert.ok((await versionOf(gold)) > version);
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'apns' AND target = repeat('ef', 32)`), 1);
    // Points stay: a tier is not a balance.
    assert.equal((await h.get(`/api/public/cards/${gold}`)).body.card.points, 1_200);

    // Again, and the next day: nothing more.
    assert.equal((await run()).tiers, 0);
    h.setNow(at(367));
    assert.equal((await run()).tiers, 0);
    assert.equal((await tierRows(gold)).length, 1);
  });

  test('without a tier from 0, a lapsed card holds no tier', async () => {
    const m = await tiersMerchant('Club Privé', TIERS.slice(1));
    const card = await buyer(m, 20_000);
    assert.equal(await tierOf(card), 'Silver');
    h.setNow(at(400));
    await run();
    assert.equal(await tierOf(card), null);
    assert.deepEqual(await tierRows(card), [{ tier: '', actor: null, points: 0, amount_minor: 0 }]);
    const { cached, fromLedger } = await h.cacheAndLedger(card);
    assert.deepEqual(cached, fromLedger);
  });

  test('a stamps program has no tiers to recompute', async () => {
    const m = await h.signUpMerchant('Stamps Only');
    const { serial } = await h.join(m);
    await h.post(`/api/merchant/cards/${serial}/stamps`, { count: 3 }, { cookie: m.cookie });
    h.setNow(at(800));
    await run();
    assert.deepEqual(await tierRows(serial), []);
  });
});
