// POST /api/merchant/messages: a short text on every pass of the program, with a lock-screen
// notification (API.md). The passes themselves are checked in test/passes/pkpass.test.ts.
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

  it('needs a session: 401 without one, 403 from a foreign Origin', async () => {
    assertProblem(await h.post('/api/merchant/messages', { text: 'Hi' }), 401, 'unauthorized');
    assertProblem(
      await h.post('/api/merchant/messages', { text: 'Hi' }, { cookie: m.cookie, origin: 'https://evil.example' }),
      403,
      'forbidden',
    );
  });
});
