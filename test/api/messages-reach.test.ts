// GET /api/merchant/messages/reach: before a message goes out, how many passes (cards) and
// Apple Wallet devices it would reach — counted as POST /api/merchant/messages counts them.
import assert from 'node:assert/strict';

import { after, before, describe, it } from 'node:test';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
let m: Merchant;
before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Reach Bakery');
});
after(() => h.close());

/** Registers a device for a card's pass updates, as the PassKit web service does. */
const register = (serial: string, device: string, token: string) =>
  h.db.query(`INSERT INTO apple_registrations (device_id, card_id, push_token) SELECT $2, id, $3 FROM cards WHERE serial = $1`, [
    serial,
    device,
    token,
  ]);

describe('GET /api/merchant/messages/reach', () => {
  it('0 cards and 0 devices for a program nobody joined yet', async () => {
    const res = await h.get('/api/merchant/messages/reach', { cookie: m.cookie });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { cards: 0, devices: 0 });
  });

  it("counts the merchant's cards and distinct devices, not another merchant's; POST /messages then reaches the same", async () => {
    const other = await h.signUpMerchant('Other Bakery');
    const cards = [await h.join(m), await h.join(m), await h.join(m)];
    const foreign = await h.join(other);
    await register(cards[0].serial, 'phone-a', 'aa'.repeat(32));
    // One phone holding two of the merchant's cards: one push token, one device.
    await register(cards[1].serial, 'phone-b', 'bb'.repeat(32));
    await register(cards[2].serial, 'phone-b', 'bb'.repeat(32));
    await register(foreign.serial, 'phone-c', 'cc'.repeat(32));

    const reach = await h.get('/api/merchant/messages/reach', { cookie: m.cookie });
    assert.equal(reach.status, 200);
    assert.deepEqual(reach.body, { cards: 3, devices: 2 });
    assert.deepEqual((await h.get('/api/merchant/messages/reach', { cookie: other.cookie })).body, { cards: 1, devices: 1 });

    const sent = await h.post('/api/merchant/messages', { text: 'Open on Sunday' }, { cookie: m.cookie });
    assert.equal(sent.status, 202);
    assert.deepEqual(sent.body, { passes: reach.body.cards, devices: reach.body.devices });
  });

  it('owner only: staff and API keys → 403; no session → 401', async () => {
    const staffCookie = (await h.addStaff(m)).cookie;
    const key = await h.apiKey(m);

    assertProblem(await h.get('/api/merchant/messages/reach', { cookie: staffCookie }), 403, 'forbidden');
    assertProblem(await h.get('/api/merchant/messages/reach', { headers: { authorization: `Bearer ${key}` } }), 403, 'forbidden');
    assertProblem(await h.get('/api/merchant/messages/reach'), 401, 'unauthorized');
  });
});
