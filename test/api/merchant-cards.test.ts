// The counter's card lookup: GET /api/merchant/cards/:serial answers this merchant's card only
// (issue 5: "another merchant's serial scanned → not found").
import assert from 'node:assert/strict';

import { after, before, describe, it } from 'node:test';
import { newSerial } from '../../server/services/tokens.ts';
import { Harness, type Merchant } from '../support/harness.ts';

let h: Harness;
let m: Merchant;
let other: Merchant;
let staffCookie: string;
let serial: string;

before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Counter Café');
  other = await h.signUpMerchant('Other Café');
  staffCookie = (await h.addStaff(m)).cookie;
  serial = (await h.join(m, { name: 'Léa Petit' })).serial;
  for (let i = 0; i < 7; i++) assert.equal((await h.post(`/api/merchant/cards/${serial}/stamps`, {}, { cookie: m.cookie })).status, 200);
});
after(() => h.close());

describe('GET /api/merchant/cards/:serial', () => {
  it("answers the merchant's own card, as the public card view", async () => {
    const res = await h.get(`/api/merchant/cards/${serial}`, { cookie: m.cookie });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['card']);
    const { card } = res.body;
    assert.equal(card.serial, serial);
    assert.equal(card.customerName, 'Léa Petit');
    assert.equal(card.programType, 'stamps');
    assert.equal(card.stamps, 7);
    assert.equal(card.stampsRequired, 10);
    assert.equal(card.rewardsAvailable, 0);
    assert.deepEqual(card, (await h.get(`/api/public/cards/${serial}`)).body.card);
  });

  it('answers staff too', async () => {
    const res = await h.get(`/api/merchant/cards/${serial}`, { cookie: staffCookie });
    assert.equal(res.status, 200);
    assert.equal(res.body.card.serial, serial);
  });

  it("answers another merchant's card with a 404 byte-identical to an unknown serial", async () => {
    const headers = { cookie: other.cookie };
    const theirs = await h.exact('GET', `/api/merchant/cards/${serial}`, headers);
    const nobodys = await h.exact('GET', `/api/merchant/cards/${newSerial()}`, headers);
    assert.equal(theirs.status, 404);
    assert.equal(JSON.parse(theirs.text).code, 'not_found');
    assert.deepEqual(theirs, nobodys);
  });

  it('answers a malformed serial with 404', async () => {
    for (const bad of ['NOT-A-SERIAL', serial.toUpperCase(), `${serial}a`, '0'.repeat(26)]) {
      const res = await h.get(`/api/merchant/cards/${encodeURIComponent(bad)}`, { cookie: m.cookie });
      assert.equal(res.status, 404, bad);
      assert.equal(res.body.code, 'not_found', bad);
    }
  });

  it('refuses a caller without a session', async () => {
    const res = await h.get(`/api/merchant/cards/${serial}`);
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'unauthorized');
  });
});
