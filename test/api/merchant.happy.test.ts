import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness, type Merchant } from '../support/harness.ts';

let h: Harness;
let m: Merchant;
before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Boulangerie Étoile');
});
after(() => h.close());

describe('merchant signup, login, logout', () => {
  it('signup answers the merchant and a default 10-stamp program, with a session cookie', async () => {
    assert.equal(m.program.slug, 'boulangerie-etoile');
    assert.equal(m.program.type, 'stamps');
    assert.equal(m.program.stampsRequired, 10);
    assert.deepEqual(m.program.allowedOrigins, []);
    const res = await h.get('/api/merchant/program', { cookie: m.cookie });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.program, m.program);
  });

  it('a cookie is httpOnly and SameSite', async () => {
    const res = await h.post('/api/merchant/login', { email: m.email, password: m.password });
    assert.equal(res.status, 200);
    assert.equal(res.body.merchant.id, m.id);
    const set = res.headers.get('set-cookie') ?? '';
    assert.match(set, /HttpOnly/);
    assert.match(set, /SameSite=Lax/);
  });

  it('logout ends the session: the old cookie no longer works', async () => {
    const login = await h.post('/api/merchant/login', { email: m.email.toUpperCase(), password: m.password });
    assert.equal(login.status, 200);
    const cookie = /fidelio_session=[^;]+/.exec(login.headers.get('set-cookie')!)![0];
    assert.equal((await h.get('/api/merchant/program', { cookie })).status, 200);
    assert.equal((await h.post('/api/merchant/logout', undefined, { cookie })).status, 204);
    const after = await h.get('/api/merchant/program', { cookie });
    assert.equal(after.status, 401);
    assert.equal(after.body.code, 'unauthorized');
  });
});

describe('program', () => {
  it('PUT replaces the program and keeps the slug', async () => {
    const res = await h.put(
      '/api/merchant/program',
      {
        ...m.program,
        slug: 'hijacked',
        name: 'Points fidélité',
        type: 'points',
        pointsPerUnit: 2,
        rewards: [{ id: 'croissant', name: 'Croissant', points: 20, costMinor: 40 }],
      },
      { cookie: m.cookie },
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.program.slug, 'boulangerie-etoile');
    assert.equal(res.body.program.type, 'points');
    assert.equal(res.body.program.rewards[0].costMinor, 40);
    const again = await h.get('/api/merchant/program', { cookie: m.cookie });
    assert.deepEqual(again.body.program, res.body.program);
    await h.setProgram(m, { type: 'stamps' });
  });
});

describe('api keys', () => {
  it('a key is shown once, stored hashed, and works as a bearer token', async () => {
    const res = await h.post('/api/merchant/api-keys', { name: 'Till 1' }, { cookie: m.cookie });
    assert.equal(res.status, 201);
    assert.match(res.body.key, /^fk_[\w-]{43}$/);
    const { rows } = await h.db.query<{ key_hash: Buffer; prefix: string }>('SELECT key_hash, prefix FROM api_keys WHERE id = $1', [
      res.body.id,
    ]);
    assert.equal(rows.length, 1);
    assert.notEqual(Buffer.from(rows[0]!.key_hash).toString(), res.body.key);
    assert.equal(rows[0]!.prefix, res.body.key.slice(0, 7));
    const card = await h.join(m);
    const stamp = await h.post(`/api/merchant/cards/${card.serial}/stamps`, {}, { headers: { authorization: `Bearer ${res.body.key}` } });
    assert.equal(stamp.status, 200);
    assert.equal(stamp.body.card.stamps, 1);
  });
});

describe('customers and cards', () => {
  it('a customer joins, gets stamped to a reward, and redeems it', async () => {
    const card = await h.join(m, { name: 'Zoé Lambert' });
    assert.equal(card.stamps, 0);
    assert.equal(card.stampsRequired, 10);
    assert.equal(card.points, null);
    let last: any;
    for (let i = 0; i < 11; i++) {
      last = await h.post(`/api/merchant/cards/${card.serial}/stamps`, undefined, { cookie: m.cookie });
      assert.equal(last.status, 200);
      assert.equal(last.body.rewardEarned, i === 9);
    }
    assert.equal(last.body.card.stamps, 1);
    assert.equal(last.body.card.rewardsAvailable, 1);
    const redeemed = await h.post(`/api/merchant/cards/${card.serial}/redemptions`, {}, { cookie: m.cookie });
    assert.equal(redeemed.status, 200);
    assert.equal(redeemed.body.card.rewardsAvailable, 0);
    const check = await h.cacheAndLedger(card.serial);
    assert.deepEqual(check.cached, check.fromLedger);
    const pub = await h.get(`/api/public/cards/${card.serial}`);
    assert.equal(pub.status, 200);
    assert.equal(pub.body.card.stamps, 1);
    assert.equal(pub.body.links.applePass, `http://fidelio.test/passes/apple/${card.serial}.pkpass`);
  });

  it('lists and searches customers with a cursor', async () => {
    for (const name of ['Nina Search', 'Omar Search', 'Paul Search']) await h.join(m, { name });
    const page1 = await h.get('/api/merchant/customers?q=search&limit=2', { cookie: m.cookie });
    assert.equal(page1.status, 200);
    assert.deepEqual(
      page1.body.customers.map((c: any) => c.name),
      ['Paul Search', 'Omar Search'],
    );
    const page2 = await h.get(`/api/merchant/customers?q=search&limit=2&cursor=${page1.body.nextCursor}`, { cookie: m.cookie });
    assert.deepEqual(
      page2.body.customers.map((c: any) => c.name),
      ['Nina Search'],
    );
    assert.equal(page2.body.nextCursor, null);
    const wild = await h.get('/api/merchant/customers?q=%25', { cookie: m.cookie });
    assert.equal(wild.body.customers.length, 0);
  });

  it('pages through customers created in the same millisecond without losing one', async () => {
    const other = await h.signUpMerchant('Same Millisecond');
    const names = ['Micro One', 'Micro Two', 'Micro Three'];
    for (const name of names) await h.join(other, { name });
    // 1, 2 and 3 microseconds after one instant: the same JS millisecond.
    await h.db.query(
      `UPDATE customers SET created_at = '2026-01-01T10:00:00.123000Z'::timestamptz + (CASE name
         WHEN 'Micro One' THEN 1 WHEN 'Micro Two' THEN 2 ELSE 3 END) * interval '1 microsecond'
       WHERE merchant_id = $1`,
      [other.id],
    );
    const seen: string[] = [];
    let next = '';
    do {
      const page = await h.get(`/api/merchant/customers?limit=1${next ? `&cursor=${next}` : ''}`, { cookie: other.cookie });
      assert.equal(page.status, 200);
      seen.push(...page.body.customers.map((c: any) => c.name));
      next = page.body.nextCursor ?? '';
    } while (next && seen.length < 10);
    assert.deepEqual(seen, ['Micro Three', 'Micro Two', 'Micro One']);
  });
});
