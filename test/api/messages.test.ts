// POST /api/merchant/messages: a short text on every pass of the program, with a lock-screen
// notification (API.md), 3 in any 24 hours on Apple Wallet as on Google Wallet (issue 16). The
// passes themselves are checked in test/passes/pkpass.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
let m: Merchant;
before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Message Bakery');
});
after(() => h.close());

const versions = async (merchantId: string) =>
  (await h.db.query<{ version: number }>('SELECT version FROM cards WHERE merchant_id = $1 ORDER BY id', [merchantId])).rows.map(
    (r) => r.version,
  );

describe('merchant messages', () => {
  it('202 with how many passes and devices it reaches; every card of the merchant (and no other) gets a new version', async () => {
    const other = await h.signUpMerchant('Other Bakery');
    const cards = [await h.join(m), await h.join(m), await h.join(m)];
    await h.join(other);
    await h.db.query(
      `INSERT INTO apple_registrations (device_id, card_id, push_token) SELECT 'device-' || serial, id, repeat('ab', 32) FROM cards WHERE serial = $1`,
      [cards[0].serial],
    );
    const before = await versions(m.id);
    const otherBefore = await versions(other.id);
    const res = await h.post('/api/merchant/messages', { text: '  Fresh croissants at 7  ' }, { cookie: m.cookie });
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { passes: 3, devices: 1 });
    assert.deepEqual(
      await versions(m.id),
      before.map((v) => v + 1),
    );
    assert.deepEqual(await versions(other.id), otherBefore);
    const { rows } = await h.db.query<{ message: string }>('SELECT message FROM programs WHERE merchant_id = $1', [m.id]);
    assert.equal(rows[0]!.message, 'Fresh croissants at 7');
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'apns' AND target = repeat('ab', 32)`), 1);
  });

  it('refuses an empty, blank, too long or missing text, and a non-string, with 400 and changes nothing', async () => {
    const before = await versions(m.id);
    for (const body of [{}, { text: '' }, { text: '   ' }, { text: 'x'.repeat(301) }, { text: 42 }, { text: null }, []]) {
      assertProblem(await h.post('/api/merchant/messages', body, { cookie: m.cookie }), 400, 'validation_failed');
    }
    assert.deepEqual(await versions(m.id), before);
  });

  it('3 in any 24 hours: a fourth is refused with 429 and a Retry-After, changes nothing, and goes out a day later (issue 16)', async () => {
    const shop = await h.signUpMerchant('Chatty Bakery');
    await h.join(shop);
    const send = (text: string) => h.post('/api/merchant/messages', { text }, { cookie: shop.cookie });
    try {
      for (const text of ['Croissants at 7', 'Closed Monday', 'New bread']) assert.equal((await send(text)).status, 202);
      const before = await versions(shop.id);
      const outbox = await h.count('SELECT count(*)::int AS n FROM outbox WHERE merchant_id = $1', [shop.id]);
      const refused = await send('A fourth today');
      assertProblem(refused, 429, 'rate_limited');
      const wait = Number(refused.headers.get('retry-after'));
      assert.ok(wait > 23 * 3600 && wait <= 24 * 3600, `Retry-After ${wait}`);
      assert.deepEqual(await versions(shop.id), before, 'no new pass version');
      assert.equal(await h.count('SELECT count(*)::int AS n FROM outbox WHERE merchant_id = $1', [shop.id]), outbox);
      const { rows } = await h.db.query<{ message: string }>('SELECT message FROM programs WHERE merchant_id = $1', [shop.id]);
      assert.equal(rows[0]!.message, 'New bread', 'the passes keep the last message sent');
      // Another merchant's messages are its own.
      assert.equal((await h.post('/api/merchant/messages', { text: 'Hello' }, { cookie: m.cookie })).status, 202);

      h.setNow(new Date(Date.now() + 24 * 3600_000 + 60_000));
      assert.equal((await send('A new day')).status, 202);
    } finally {
      h.setNow(undefined);
    }
  });

  it('needs a session: 401 without one, 403 from a foreign Origin', async () => {
    assertProblem(await h.post('/api/merchant/messages', { text: 'Hi' }), 401, 'unauthorized');
    assertProblem(
      await h.post('/api/merchant/messages', { text: 'Hi' }, { cookie: m.cookie, origin: 'https://evil.example' }),
      403,
      'forbidden',
    );
  });
});
