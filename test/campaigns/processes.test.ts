// The daily plays across processes, on the PostgreSQL server (PGlite is one process's): two
// server processes running the job at once give each birthday once between them; a process
// killed (SIGKILL) half-way leaves what it committed, and the next run gives the rest, nobody twice.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runDailyPlays } from '../../server/services/campaigns.ts';
import { killChildren, spawnChild, until } from '../support/child.ts';
import { TEST_DB } from '../support/db.ts';
import { Harness, type Merchant } from '../support/harness.ts';

const NOW = '2027-04-04T10:00:00Z';

describe(`daily plays in several processes (${TEST_DB})`, () => {
  const onPostgres = TEST_DB === 'postgres' ? test : () => {};
  let h: Harness;

  before(async () => {
    h = await Harness.start();
  });
  after(async () => {
    killChildren();
    await h?.close();
  });

  /** A merchant with the birthday play on and `n` members born on 4 April, written in bulk. */
  async function birthdays(n: number): Promise<Merchant> {
    await h.db.query(`UPDATE programs SET settings = jsonb_set(settings, '{campaigns,birthday,enabled}', 'false')`);
    const m = await h.signUpMerchant('Café Lune');
    await h.setProgram(m, {
      campaigns: { ...m.program.campaigns, birthday: { enabled: true, daysBefore: 0, gift: { kind: 'bonus', amount: 1 }, message: null } },
    });
    await h.db.query(
      `WITH cu AS (INSERT INTO customers (merchant_id, name, email, birthday, terms_accepted_at)
                   SELECT $1::uuid, 'Member ' || i, 'm' || i || '-' || $1::text || '@example.com', date '1990-04-04', now()
                     FROM generate_series(1, $2) i RETURNING id)
       INSERT INTO cards (merchant_id, program_id, customer_id, serial, auth_token, referral_code)
       SELECT $1::uuid, p.id, cu.id, 'S' || replace(cu.id::text, '-', ''), md5(cu.id::text), substr(md5(cu.id::text || 'r'), 1, 10)
         FROM cu, programs p WHERE p.merchant_id = $1::uuid`,
      [m.id, n],
    );
    return m;
  }

  /** Birthday bonuses per card of the merchant: every count, in card order. */
  async function given(m: Merchant): Promise<number[]> {
    const { rows } = await h.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM ledger l WHERE l.card_id = c.id AND l.kind = 'birthday_bonus')::int AS n
         FROM cards c WHERE c.merchant_id = $1 ORDER BY c.id`,
      [m.id],
    );
    return rows.map((r) => r.n);
  }

  onPostgres('two processes at once: each birthday given once between them', async () => {
    const m = await birthdays(300);
    const a = spawnChild('daily-child.ts', [h.testDb.url!, NOW, '10', '5']);
    const b = spawnChild('daily-child.ts', [h.testDb.url!, NOW, '10', '5']);
    assert.deepEqual(await Promise.all([a.exited, b.exited]), [0, 0], a.output() + b.output());
    const runs = [a, b].map((c) => JSON.parse(c.output().trim().split('\n').at(-1)!));
    assert.equal(runs[0].birthdays + runs[1].birthdays, 300, JSON.stringify(runs));
    assert.deepEqual(await given(m), new Array(300).fill(1));
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM campaign_effects WHERE merchant_id = $1`, [m.id]), 300);
  });

  onPostgres('a process killed half-way: the next run gives the rest, nobody twice', async () => {
    const m = await birthdays(60);
    const child = spawnChild('daily-child.ts', [h.testDb.url!, NOW, '20', '400']);
    // The first batch has committed once the second has written.
    await until(
      () => /batch 2/.test(child.output()),
      10_000,
      () => `a second batch:\n${child.output()}`,
    );
    child.child.kill('SIGKILL');
    await child.exited;
    const before = (await given(m)).reduce((a, b) => a + b, 0);
    assert.ok(before >= 20 && before < 60, `committed before the kill: ${before}`);
    h.setNow(NOW);
    assert.equal((await runDailyPlays(h.deps)).birthdays, 60 - before);
    assert.deepEqual(await given(m), new Array(60).fill(1));
  });
});
