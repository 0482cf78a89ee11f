// Till keys (issue 14): listed without their secret, revoked at once on every process, and
// scoped to what a till does (stamp, redeem, look up one card).
import assert from 'node:assert/strict';
import { after, before, describe, it, test } from 'node:test';
import { TEST_DB } from '../support/db.ts';
import { killServers, startServer } from '../support/server-process.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
let m: Merchant;
before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Keys Café');
});
after(() => h.close());

const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

describe('till keys', () => {
  it('lists the keys with name, created and last used, never the secret; a use shows as last used', async () => {
    const key = await h.apiKey(m, 'Front till');
    let list = await h.get('/api/merchant/api-keys', { cookie: m.cookie });
    assert.equal(list.status, 200);
    const listed = list.body.keys.find((k: any) => k.name === 'Front till');
    assert.ok(listed);
    assert.equal(listed.lastUsedAt, null);
    assert.equal(listed.prefix, key.slice(0, 7));
    assert.ok(!list.text.includes(key.slice(7)), 'the secret is never listed');
    assert.deepEqual(Object.keys(listed).sort(), ['createdAt', 'id', 'lastUsedAt', 'locationId', 'name', 'prefix']);

    const card = await h.join(m);
    assert.equal((await h.get(`/api/merchant/cards/${card.serial}`, bearer(key))).status, 200);
    list = await h.get('/api/merchant/api-keys', { cookie: m.cookie });
    const used = list.body.keys.find((k: any) => k.name === 'Front till');
    assert.ok(used.lastUsedAt && Date.parse(used.lastUsedAt) <= Date.now());
  });

  it('a revoked key is refused at once (401), and is no longer listed; revoking again is 404', async () => {
    const key = await h.apiKey(m, 'Leaked till');
    const card = await h.join(m);
    const stamp = () => h.post(`/api/merchant/cards/${card.serial}/stamps`, {}, bearer(key));
    assert.equal((await stamp()).status, 200);
    const { id } = (await h.get('/api/merchant/api-keys', { cookie: m.cookie })).body.keys.find((k: any) => k.name === 'Leaked till');
    const revoked = await h.call('DELETE', `/api/merchant/api-keys/${id}`, { cookie: m.cookie });
    assert.equal(revoked.status, 204);
    assertProblem(await stamp(), 401, 'unauthorized');
    const list = await h.get('/api/merchant/api-keys', { cookie: m.cookie });
    assert.ok(!list.body.keys.some((k: any) => k.id === id));
    assertProblem(await h.call('DELETE', `/api/merchant/api-keys/${id}`, { cookie: m.cookie }), 404, 'not_found');
    assertProblem(await h.call('DELETE', '/api/merchant/api-keys/not-a-uuid', { cookie: m.cookie }), 404, 'not_found');
  });

  it("another merchant's key cannot be revoked, and staff and keys cannot list or revoke keys", async () => {
    const other = await h.signUpMerchant('Other Keys');
    await h.apiKey(other, 'theirs');
    const { id } = (await h.get('/api/merchant/api-keys', { cookie: other.cookie })).body.keys[0];
    assertProblem(await h.call('DELETE', `/api/merchant/api-keys/${id}`, { cookie: m.cookie }), 404, 'not_found');
    const staff = await h.addStaff(m);
    assertProblem(await h.get('/api/merchant/api-keys', { cookie: staff.cookie }), 403, 'forbidden');
    const key = await h.apiKey(m);
    assertProblem(await h.get('/api/merchant/api-keys', bearer(key)), 403, 'forbidden');
    assertProblem(await h.call('DELETE', `/api/merchant/api-keys/${id}`, bearer(key)), 403, 'forbidden');
  });

  it('a till key stamps, redeems and looks up one card, but cannot read the customer list, a customer or the export', async () => {
    const key = await h.apiKey(m);
    const card = await h.join(m);
    assert.equal((await h.get(`/api/merchant/cards/${card.serial}`, bearer(key))).status, 200);
    assert.equal((await h.post(`/api/merchant/cards/${card.serial}/stamps`, { count: 10 }, bearer(key))).status, 200);
    assert.equal((await h.post(`/api/merchant/cards/${card.serial}/redemptions`, {}, bearer(key))).status, 200);
    assertProblem(await h.get('/api/merchant/customers', bearer(key)), 403, 'forbidden');
    const { customers } = (await h.get('/api/merchant/customers', { cookie: m.cookie })).body;
    assertProblem(await h.get(`/api/merchant/customers/${customers[0].id}`, bearer(key)), 403, 'forbidden');
    assertProblem(await h.get('/api/merchant/export/customers.csv', bearer(key)), 403, 'forbidden');
    assertProblem(await h.get(`/api/merchant/customers/${customers[0].id}/export`, bearer(key)), 403, 'forbidden');
    // Staff signed in still look customers up.
    const staff = await h.addStaff(m);
    assert.equal((await h.get('/api/merchant/customers', { cookie: staff.cookie })).status, 200);
  });
});

describe(`a key revoked on one server process (${TEST_DB})`, () => {
  // Several processes share a database only on a Postgres server (PGlite is one process's).
  const onPostgres = TEST_DB === 'postgres' ? test : () => {};
  after(() => killServers());

  onPostgres('is refused by another process one second later', async () => {
    const env = { DATABASE_URL: h.testDb.url!, SESSION_SECRET: 'shared-secret-shared-secret-shared-0001' };
    const [a, b] = await Promise.all([startServer(env), startServer(env)]);
    const signup = await fetch(`${a.url}/api/merchant/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: a.url },
      body: JSON.stringify({ businessName: 'Two Processes', email: `two-${Date.now()}@example.com`, password: 'correct horse battery' }),
    });
    assert.equal(signup.status, 201);
    const cookie = /fidelio_session=[^;]+/.exec(signup.headers.get('set-cookie')!)![0];
    const owner = { cookie, origin: a.url, 'content-type': 'application/json' };
    const created = await (
      await fetch(`${a.url}/api/merchant/api-keys`, { method: 'POST', headers: owner, body: '{"name":"till"}' })
    ).json();
    const onB = () => fetch(`${b.url}/api/merchant/me`, { headers: { authorization: `Bearer ${created.key}` } });
    assert.equal((await onB()).status, 200);
    assert.equal((await onB()).status, 200);
    assert.equal((await fetch(`${a.url}/api/merchant/api-keys/${created.id}`, { method: 'DELETE', headers: owner })).status, 204);
    await new Promise((r) => setTimeout(r, 1000));
    const refused = await onB();
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).code, 'unauthorized');
  });
});
