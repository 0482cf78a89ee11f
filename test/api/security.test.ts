// Tenant isolation, CSRF, sessions, roles, login throttling, signup rules, CORS and the
// unguessability of card serials.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { loadConfig } from '../../server/config.ts';
import { originAllowed } from '../../server/http/cors.ts';
import { hashPassword } from '../../server/services/passwords.ts';
import { newSerial, sha256 } from '../../server/services/tokens.ts';
import { cookieFrom, Harness, type Merchant, PUBLIC_URL, randomIp } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';
import { midWindow } from '../support/rate-limit.ts';

let h: Harness;
/** Two businesses on the same server. */
let a: Merchant;
let b: Merchant;
let aKey: string;
let bKey: string;
let aCard: string;
let bCard: string;
const SECRET = 'test-secret-test-secret-test-secret-0123';

before(async () => {
  h = await Harness.start({ SESSION_SECRET: SECRET });
  a = await h.signUpMerchant('Alpha Bakery');
  b = await h.signUpMerchant('Beta Books');
  aKey = (await h.post('/api/merchant/api-keys', { name: 'A till' }, { cookie: a.cookie })).body.key;
  bKey = (await h.post('/api/merchant/api-keys', { name: 'B till' }, { cookie: b.cookie })).body.key;
  aCard = (await h.join(a, { name: 'Alice Alpha', email: 'alice@alpha.example' })).serial;
  bCard = (await h.join(b, { name: 'Bob Beta', email: 'bob@beta.example' })).serial;
  // Alice has something to redeem, so a refused redemption cannot be "insufficient balance".
  await h.post(`/api/merchant/cards/${aCard}/stamps`, { count: 10 }, { cookie: a.cookie });
});
after(() => h.close());

/** A session id from a cookie header value. */
function sessionIdOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  return value.slice(0, value.lastIndexOf('.'));
}

/** A cookie signed the way Hono signs them (HMAC-SHA256, base64). */
function signedCookie(sessionId: string, secret: string): string {
  const sig = createHmac('sha256', secret).update(sessionId).digest('base64');
  return `fidelio_session=${encodeURIComponent(`${sessionId}.${sig}`)}`;
}

async function login(email: string, password: string, opts: { ip?: string; origin?: string } = {}) {
  return h.post('/api/merchant/login', { email, password }, opts);
}

describe("one merchant cannot touch another merchant's cards", () => {
  const writes = [
    { op: 'stamps', body: {} },
    { op: 'purchases', body: { amount: 1000 } },
    { op: 'redemptions', body: {} },
  ];
  const callers = [
    { name: 'session', headers: () => ({ cookie: b.cookie, origin: PUBLIC_URL }) },
    { name: 'API key', headers: () => ({ authorization: `Bearer ${bKey}` }) },
  ];
  for (const w of writes) {
    for (const c of callers) {
      it(`B's ${c.name} on A's card: POST ${w.op} → 404, byte-identical to an unknown serial`, async () => {
        const before = await h.cacheAndLedger(aCard);
        const theirs = await h.exact('POST', `/api/merchant/cards/${aCard}/${w.op}`, c.headers(), w.body);
        const nobodys = await h.exact('POST', `/api/merchant/cards/${newSerial()}/${w.op}`, c.headers(), w.body);
        assert.equal(theirs.status, 404);
        assert.equal(JSON.parse(theirs.text).code, 'not_found');
        assert.deepEqual(theirs, nobodys);
        assert.deepEqual(await h.cacheAndLedger(aCard), before);
      });
    }
  }

  it("B's key with an Idempotency-Key on A's card is refused and not remembered", async () => {
    const key = `iso-${randomBytes(4).toString('hex')}`;
    const res = await h.post(
      `/api/merchant/cards/${aCard}/stamps`,
      {},
      { headers: { authorization: `Bearer ${bKey}`, 'idempotency-key': key } },
    );
    assertProblem(res, 404, 'not_found');
    assert.equal(await h.count('SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1', [key]), 0);
    const own = await h.post(
      `/api/merchant/cards/${bCard}/stamps`,
      {},
      { headers: { authorization: `Bearer ${bKey}`, 'idempotency-key': key } },
    );
    assert.equal(own.status, 200);
    assert.equal(own.body.card.serial, bCard);
  });

  it('a well-formed unknown serial → 404 on the merchant and the public API', async () => {
    const unknown = newSerial();
    assertProblem(await h.post(`/api/merchant/cards/${unknown}/stamps`, {}, { cookie: a.cookie }), 404, 'not_found');
    assertProblem(await h.get(`/api/public/cards/${unknown}`), 404, 'not_found');
  });

  it("the customers list never shows another merchant's customers, by list or by search (and a till's key does not read it)", async () => {
    assert.equal((await h.get('/api/merchant/customers?limit=200', { headers: { authorization: `Bearer ${aKey}` } })).status, 403);
    for (const auth of [{ cookie: a.cookie }]) {
      const all = await h.get('/api/merchant/customers?limit=200', auth);
      assert.equal(all.status, 200);
      assert.deepEqual(
        all.body.customers.map((c: any) => c.email),
        ['alice@alpha.example'],
      );
      for (const q of ['bob@beta.example', 'Bob', bCard, 'beta']) {
        const found = await h.get(`/api/merchant/customers?q=${encodeURIComponent(q)}`, auth);
        assert.equal(found.status, 200);
        assert.deepEqual(found.body.customers, [], `search ${q}`);
      }
    }
    const theirs = await h.get('/api/merchant/customers', { cookie: b.cookie });
    assert.deepEqual(
      theirs.body.customers.map((c: any) => c.card.serial),
      [bCard],
    );
  });
});

describe('CSRF on cookie-authenticated writes', () => {
  const stamp = (opts: { origin?: string | null; cookie?: string; headers?: Record<string, string> }) =>
    h.post(`/api/merchant/cards/${aCard}/stamps`, {}, opts);

  for (const [name, origin] of [
    ['without Origin', null],
    ['from a foreign Origin', 'https://evil.example'],
    ['from a look-alike Origin', 'http://fidelio.test.evil.example'],
    ['from the https variant of our origin', 'https://fidelio.test'],
    ['from Origin: null', 'null'],
  ] as const) {
    it(`a stamp ${name} → 403 forbidden, nothing written`, async () => {
      const before = (await h.cacheAndLedger(aCard)).entries;
      assertProblem(await stamp({ cookie: a.cookie, origin }), 403, 'forbidden');
      assert.equal((await h.cacheAndLedger(aCard)).entries, before);
    });
  }

  it('PUT program and POST api-keys from a foreign Origin → 403', async () => {
    const evil = { cookie: a.cookie, origin: 'https://evil.example' };
    assertProblem(await h.put('/api/merchant/program', { ...a.program, name: 'Hijacked' }, evil), 403, 'forbidden');
    assertProblem(await h.post('/api/merchant/api-keys', { name: 'stolen' }, evil), 403, 'forbidden');
    assert.equal((await h.get('/api/merchant/program', { cookie: a.cookie })).body.program.name, a.program.name);
    assert.equal(await h.count('SELECT count(*)::int AS n FROM api_keys WHERE merchant_id = $1', [a.id]), 1);
  });

  it("a stamp with the server's own Origin → 200", async () => {
    const res = await stamp({ cookie: a.cookie, origin: PUBLIC_URL });
    assert.equal(res.status, 200);
    assert.equal(res.body.card.serial, aCard);
  });

  it('a cookie-authenticated GET needs no Origin', async () => {
    assert.equal((await h.get('/api/merchant/program', { cookie: a.cookie, origin: null })).status, 200);
  });

  it('a bearer API key write needs no Origin (and a foreign one does not matter)', async () => {
    for (const origin of [null, 'https://pos-vendor.example']) {
      const res = await stamp({ headers: { authorization: `Bearer ${aKey}` }, origin });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
  });

  it('logout from a foreign Origin → 403 and the session lives on', async () => {
    const { headers } = await login(a.email, a.password);
    const cookie = cookieFrom(headers);
    assertProblem(await h.post('/api/merchant/logout', undefined, { cookie, origin: 'https://evil.example' }), 403, 'forbidden');
    assert.equal((await h.get('/api/merchant/program', { cookie })).status, 200);
  });
});

describe('sessions and API keys', () => {
  let cookie: string;
  before(async () => {
    const res = await login(b.email, b.password);
    assert.equal(res.status, 200);
    cookie = cookieFrom(res.headers);
  });

  it('a cookie signed here with the right secret works (the format the forgeries copy)', async () => {
    assert.equal((await h.get('/api/merchant/program', { cookie: signedCookie(sessionIdOf(cookie), SECRET) })).status, 200);
  });

  const forgeries: [string, () => string][] = [
    ['an unsigned session id', () => `fidelio_session=${sessionIdOf(cookie)}`],
    [
      'a session id with one character changed',
      () => {
        const id = sessionIdOf(cookie);
        const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
        const flipped = (id[0] === 'A' ? 'B' : 'A') + id.slice(1);
        return `fidelio_session=${encodeURIComponent(flipped + value.slice(id.length))}`;
      },
    ],
    [
      'a signature with one character changed',
      () => {
        const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
        const i = value.lastIndexOf('.') + 1;
        const flipped = value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1);
        return `fidelio_session=${encodeURIComponent(flipped)}`;
      },
    ],
    ['the real session id signed with another secret', () => signedCookie(sessionIdOf(cookie), 'another-secret-another-secret-0123456')],
    ['an unknown session id signed with the right secret', () => signedCookie(randomBytes(32).toString('base64url'), SECRET)],
    ['garbage', () => 'fidelio_session=%%%...'],
  ];
  for (const [name, forge] of forgeries) {
    it(`${name} → 401 unauthorized`, async () => {
      assertProblem(await h.get('/api/merchant/program', { cookie: forge() }), 401, 'unauthorized');
      assertProblem(await h.post(`/api/merchant/cards/${bCard}/stamps`, {}, { cookie: forge() }), 401, 'unauthorized');
    });
  }

  it('an expired session → 401', async () => {
    const res = await login(b.email, b.password);
    const expiring = cookieFrom(res.headers);
    assert.equal((await h.get('/api/merchant/program', { cookie: expiring })).status, 200);
    const { rowCount } = await h.db.query(`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE id_hash = $1`, [
      sha256(sessionIdOf(expiring)),
    ]);
    assert.equal(rowCount, 1);
    assertProblem(await h.get('/api/merchant/program', { cookie: expiring }), 401, 'unauthorized');
    assert.equal((await h.get('/api/merchant/program', { cookie })).status, 200, 'other sessions live on');
  });

  it('no credentials → 401', async () => {
    assertProblem(await h.get('/api/merchant/customers'), 401, 'unauthorized');
    assertProblem(await h.post(`/api/merchant/cards/${bCard}/stamps`, {}), 401, 'unauthorized');
  });

  for (const [name, authorization] of [
    ['an unknown key', `Bearer fk_${randomBytes(32).toString('base64url')}`],
    ['Bearer without a key', 'Bearer'],
    ['a Basic header', `Basic ${Buffer.from('a:b').toString('base64')}`],
  ] as const) {
    it(`${name} → 401 (even with a valid cookie next to it)`, async () => {
      assertProblem(await h.get('/api/merchant/customers', { headers: { authorization } }), 401, 'unauthorized');
      assertProblem(await h.get('/api/merchant/customers', { headers: { authorization }, cookie }), 401, 'unauthorized');
    });
  }

  // Revoked before its first use: a key seen in the last 30 s is cached (server/services/sessions.ts).
  it('a revoked API key → 401', async () => {
    const created = await h.post('/api/merchant/api-keys', { name: 'to revoke' }, { cookie: b.cookie });
    const { rowCount } = await h.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [created.body.id]);
    assert.equal(rowCount, 1);
    assertProblem(
      await h.get('/api/merchant/customers', { headers: { authorization: `Bearer ${created.body.key}` } }),
      401,
      'unauthorized',
    );
  });
});

describe('logging out', () => {
  const me = (cookie: string) => h.get('/api/merchant/me', { cookie });
  const logout = (cookie: string | undefined, query = '', origin?: string) =>
    h.post(`/api/merchant/logout${query}`, undefined, { cookie, origin });

  it('ends this session only; ?everywhere=true ends every session of the account, and nobody else’s', async () => {
    const m = await h.signUpMerchant('Shared Laptop Shop');
    const staff = await h.addStaff(m);
    const key = await h.apiKey(m);
    const [laptop, phone, tablet] = [
      m.cookie,
      ...(await Promise.all([1, 2].map(async () => cookieFrom((await login(m.email, m.password)).headers)))),
    ];
    assert.equal(await h.count('SELECT count(*)::int AS n FROM sessions WHERE merchant_id = $1', [m.id]), 4);

    assert.equal((await logout(phone!)).status, 204);
    assertProblem(await me(phone!), 401, 'unauthorized');
    assert.deepEqual([(await me(laptop)).status, (await me(tablet!)).status], [200, 200], 'a plain logout ends only its own session');

    const everywhere = await logout(tablet!, '?everywhere=true');
    assert.equal(everywhere.status, 204);
    assert.match(everywhere.headers.get('set-cookie') ?? '', /fidelio_session=;.*Max-Age=0/i);
    for (const cookie of [tablet!, laptop]) assertProblem(await me(cookie), 401, 'unauthorized');
    assert.equal(
      await h.count('SELECT count(*)::int AS n FROM sessions s JOIN staff_users u ON u.id = s.user_id WHERE u.email = $1', [m.email]),
      0,
    );
    // The staff member's session, the till's key and another merchant's session are not the owner's.
    assert.equal((await me(staff.cookie)).status, 200);
    assert.equal((await h.get('/api/merchant/me', { headers: { authorization: `Bearer ${key}` } })).status, 200);
    assert.equal((await me(b.cookie)).status, 200);
    // The password still works: a new session starts.
    assert.equal((await me(cookieFrom((await login(m.email, m.password)).headers))).status, 200);
  });

  it('?everywhere=true from a foreign Origin → 403, every session lives on; a bad value → 400; no session → 204', async () => {
    const m = await h.signUpMerchant('Careful Shop');
    const other = cookieFrom((await login(m.email, m.password)).headers);
    assertProblem(await logout(m.cookie, '?everywhere=true', 'https://evil.example'), 403, 'forbidden');
    assertProblem(await logout(m.cookie, '?everywhere=yes'), 400, 'validation_failed');
    assert.deepEqual([(await me(m.cookie)).status, (await me(other)).status], [200, 200]);
    assert.equal((await logout(undefined, '?everywhere=true')).status, 204);
    assert.deepEqual([(await me(m.cookie)).status, (await me(other)).status], [200, 200]);
  });

  it('an expired session cannot end the others', async () => {
    const m = await h.signUpMerchant('Old Tab Shop');
    const other = cookieFrom((await login(m.email, m.password)).headers);
    await h.db.query(`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE id_hash = $1`, [sha256(sessionIdOf(m.cookie))]);
    assert.equal((await logout(m.cookie, '?everywhere=true')).status, 204);
    assert.equal((await me(other)).status, 200);
  });
});

describe('roles: staff and API keys are not owners', () => {
  let staffCookie: string;
  let staffId: string;
  before(async () => {
    const email = `staff-${randomBytes(4).toString('hex')}@alpha.example`;
    const password = 'staff password 123';
    const { rows } = await h.db.query<{ id: string }>(
      `INSERT INTO staff_users (merchant_id, email, password_hash, role) VALUES ($1, $2, $3, 'staff') RETURNING id`,
      [a.id, email, await hashPassword(password)],
    );
    staffId = rows[0]!.id;
    const res = await login(email, password);
    assert.equal(res.status, 200);
    assert.equal(res.body.merchant.id, a.id);
    staffCookie = cookieFrom(res.headers);
  });

  it('staff: PUT program → 403, POST api-keys → 403, POST messages → 403', async () => {
    assertProblem(await h.put('/api/merchant/program', { ...a.program, name: 'Staff edit' }, { cookie: staffCookie }), 403, 'forbidden');
    assertProblem(await h.post('/api/merchant/api-keys', { name: 'staff key' }, { cookie: staffCookie }), 403, 'forbidden');
    assertProblem(await h.post('/api/merchant/messages', { text: 'Staff says hi' }, { cookie: staffCookie }), 403, 'forbidden');
    assert.equal(await h.count('SELECT count(*)::int AS n FROM programs WHERE merchant_id = $1 AND message IS NOT NULL', [a.id]), 0);
    assert.equal((await h.get('/api/merchant/program', { cookie: a.cookie })).body.program.name, a.program.name);
  });

  it('staff: GET program, customers and stamps → 200; the ledger names the staff member', async () => {
    assert.equal((await h.get('/api/merchant/program', { cookie: staffCookie })).status, 200);
    assert.equal((await h.get('/api/merchant/customers', { cookie: staffCookie })).status, 200);
    const res = await h.post(`/api/merchant/cards/${aCard}/stamps`, {}, { cookie: staffCookie });
    assert.equal(res.status, 200);
    const { rows } = await h.db.query<{ actor: string }>(
      'SELECT l.actor FROM ledger l JOIN cards c ON c.id = l.card_id WHERE c.serial = $1 ORDER BY l.id DESC LIMIT 1',
      [aCard],
    );
    assert.equal(rows[0]!.actor, `user:${staffId}`);
  });

  it('GET /me names the role: owner, staff, or an API key (no user)', async () => {
    const owner = await h.get('/api/merchant/me', { cookie: a.cookie });
    assert.equal(owner.status, 200);
    assert.deepEqual([owner.body.role, owner.body.via, owner.body.user.email, owner.body.merchant.id], ['owner', 'session', a.email, a.id]);
    const staff = await h.get('/api/merchant/me', { cookie: staffCookie });
    assert.deepEqual([staff.body.role, staff.body.user.id, staff.body.merchant.id], ['staff', staffId, a.id]);
    const key = await h.get('/api/merchant/me', { headers: { authorization: `Bearer ${aKey}` } });
    assert.deepEqual([key.body.role, key.body.via, key.body.user], ['staff', 'api_key', null]);
    assertProblem(await h.get('/api/merchant/me'), 401, 'unauthorized');
  });

  it('two staff stamping the same card at the same moment: both stamps land, the counts agree', async () => {
    const second = (await h.addStaff(a)).cookie;
    const before = (await h.get(`/api/merchant/cards/${aCard}`, { cookie: a.cookie })).body.card;
    const [one, two] = await Promise.all(
      [staffCookie, second].map((cookie, i) =>
        h.post(`/api/merchant/cards/${aCard}/stamps`, {}, { cookie, headers: { 'idempotency-key': `two-staff-${i}-${before.stamps}` } }),
      ),
    );
    assert.deepEqual([one!.status, two!.status], [200, 200]);
    const total = (c: { stamps: number; rewardsAvailable: number }) => c.stamps + c.rewardsAvailable * a.program.stampsRequired;
    assert.deepEqual([total(one!.body.card), total(two!.body.card)].sort(), [total(before) + 1, total(before) + 2]);
    const after = (await h.get(`/api/merchant/cards/${aCard}`, { cookie: a.cookie })).body.card;
    assert.equal(total(after), total(before) + 2);
    const { rows } = await h.db.query<{ actor: string }>(
      `SELECT l.actor FROM ledger l JOIN cards c ON c.id = l.card_id WHERE c.serial = $1 AND l.kind = 'stamp' ORDER BY l.id DESC LIMIT 2`,
      [aCard],
    );
    assert.equal(new Set(rows.map((r) => r.actor)).size, 2);
  });

  it('API key: PUT program → 403, POST api-keys → 403, POST messages → 403, stamps → 200', async () => {
    const auth = { headers: { authorization: `Bearer ${aKey}` } };
    assertProblem(await h.put('/api/merchant/program', { ...a.program, name: 'Key edit' }, auth), 403, 'forbidden');
    assertProblem(await h.post('/api/merchant/api-keys', { name: 'key key' }, auth), 403, 'forbidden');
    assertProblem(await h.post('/api/merchant/messages', { text: 'Key says hi' }, auth), 403, 'forbidden');
    assert.equal((await h.post(`/api/merchant/cards/${aCard}/stamps`, {}, auth)).status, 200);
  });
});

describe('login', () => {
  // A test that fills a window holds the services' clock in its middle.
  afterEach(() => h.setNow(undefined));

  it('a wrong password answers exactly like an unknown email', async () => {
    const wrong = await h.exact('POST', '/api/merchant/login', {}, { email: a.email, password: 'not the password' });
    const unknown = await h.exact(
      'POST',
      '/api/merchant/login',
      {},
      { email: `nobody-${randomBytes(4).toString('hex')}@example.com`, password: 'not the password' },
    );
    assert.equal(wrong.status, 401);
    assert.equal(JSON.parse(wrong.text).code, 'unauthorized');
    assert.deepEqual(wrong, unknown);
  });

  it('per email and IP: 10 wrong passwords from IP A do not lock the owner out; from B the right password → 200, from A → 429', async () => {
    const victim = await h.signUpMerchant('Victim Shop');
    const [ipA, ipB] = [randomIp(), randomIp()];
    h.setNow(midWindow(900));
    for (let i = 0; i < 10; i++) {
      const email = i % 2 ? victim.email.toUpperCase() : victim.email;
      assertProblem(await login(email, `guess number ${i}`, { ip: ipA }), 401, 'unauthorized');
    }
    const fromB = await login(victim.email, victim.password, { ip: ipB });
    assert.equal(fromB.status, 200, JSON.stringify(fromB.body));
    assert.equal((await h.get('/api/merchant/me', { cookie: cookieFrom(fromB.headers) })).body.user.email, victim.email);
    const fromA = await login(victim.email, victim.password, { ip: ipA });
    assertProblem(fromA, 429, 'rate_limited');
    assert.equal(fromA.headers.get('set-cookie'), null);
    assert.equal(fromA.headers.get('retry-after'), '450', 'the rest of the 15 minutes');
    // IP A may still log in to another account.
    assert.equal((await login(b.email, b.password, { ip: ipA })).status, 200);
  });

  it('a hop the client adds to X-Forwarded-For does not make it another IP (TRUST_PROXY=1: the right-most hop counts)', async () => {
    const ip = randomIp();
    h.setNow(midWindow(900));
    const attempt = (email: string, password: string) =>
      h.post('/api/merchant/login', { email, password }, { headers: { 'x-forwarded-for': `${randomIp()}, ${ip}` } });
    for (let i = 0; i < 50; i++) {
      assertProblem(await attempt(`stranger-${i}-${randomBytes(3).toString('hex')}@example.com`, 'whatever'), 401, 'unauthorized');
    }
    assertProblem(await attempt(b.email, b.password), 429, 'rate_limited');
  });

  it('per email from anywhere: a slower brake, the 101st attempt in an hour → 429 from any IP', async () => {
    const victim = await h.signUpMerchant('Popular Shop');
    h.setNow(midWindow(3600));
    for (let i = 0; i < 100; i++) assertProblem(await login(victim.email, `guess number ${i}`, { ip: randomIp() }), 401, 'unauthorized');
    const blocked = await login(victim.email, victim.password, { ip: randomIp() });
    assertProblem(blocked, 429, 'rate_limited');
    assert.equal(blocked.headers.get('retry-after'), '1800', 'the rest of the hour');
    assert.equal((await login(b.email, b.password)).status, 200, 'another account is not affected');
  });

  it('per IP: the 51st attempt in 15 minutes from one IP → 429, whatever the email', async () => {
    const ip = `198.51.100.${1 + (randomBytes(1)[0]! % 250)}`;
    const target = await h.signUpMerchant('Target Shop');
    h.setNow(midWindow(900));
    for (let i = 0; i < 50; i++) {
      const res = await login(`stranger-${i}-${randomBytes(3).toString('hex')}@example.com`, 'whatever', { ip });
      assertProblem(res, 401, 'unauthorized');
    }
    const blocked = await login(target.email, target.password, { ip });
    assertProblem(blocked, 429, 'rate_limited');
    assert.equal(blocked.headers.get('retry-after'), '450');
    assert.equal((await login(target.email, target.password, { ip: randomIp() })).status, 200, 'other IPs still log in');
  });

  it('login from a foreign Origin → 403 (login CSRF), no cookie; our own origin → 200', async () => {
    const res = await login(a.email, a.password, { origin: 'https://evil.example' });
    assertProblem(res, 403, 'forbidden');
    assert.equal(res.headers.get('set-cookie'), null);
    assert.equal((await login(a.email, a.password, { origin: PUBLIC_URL })).status, 200);
  });
});

describe('merchant signup', () => {
  it('from a foreign Origin → 403, and no account is created', async () => {
    const email = `csrf-${randomBytes(4).toString('hex')}@example.com`;
    const res = await h.post(
      '/api/merchant/signup',
      { businessName: 'Evil Inc', email, password: 'long enough password' },
      { origin: 'https://evil.example' },
    );
    assertProblem(res, 403, 'forbidden');
    assert.equal(res.headers.get('set-cookie'), null);
    assert.equal(await h.count('SELECT count(*)::int AS n FROM staff_users WHERE email = $1', [email]), 0);
  });

  it('with an email already taken (any case) → 409 conflict', async () => {
    for (const email of [a.email, a.email.toUpperCase()]) {
      const res = await h.post('/api/merchant/signup', { businessName: 'Copycat', email, password: 'long enough password' });
      assertProblem(res, 409, 'conflict');
    }
    assert.equal(await h.count('SELECT count(*)::int AS n FROM staff_users WHERE lower(email) = lower($1)', [a.email]), 1);
    assert.equal((await login(a.email, a.password)).status, 200, 'the original account is intact');
  });
});

describe('public signup', () => {
  let shop: Merchant;
  const ALLOWED = 'https://shop.example';
  const signup = (body: Record<string, unknown>, opts: { origin?: string } = {}) =>
    h.post(`/api/public/programs/${shop.program.slug}/signup`, { name: 'Cleo', consent: { terms: true, marketing: false }, ...body }, opts);
  const members = () => h.count('SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1', [shop.id]);

  before(async () => {
    shop = await h.signUpMerchant('Gamma Garden');
    await h.setProgram(shop, { allowedOrigins: [ALLOWED] });
  });

  it('the same email twice, in any case → 409 already_member; one customer', async () => {
    assert.equal((await signup({ email: 'cleo@example.com' })).status, 201);
    assertProblem(await signup({ email: 'cleo@example.com' }), 409, 'already_member');
    assertProblem(await signup({ email: 'CLEO@Example.COM' }), 409, 'already_member');
    assertProblem(await signup({ email: '  cleo@example.com ' }), 409, 'already_member');
    assert.equal(
      await h.count('SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1 AND lower(email) = $2', [shop.id, 'cleo@example.com']),
      1,
    );
  });

  it('the same email in another program is a new member', async () => {
    const res = await h.post(`/api/public/programs/${a.program.slug}/signup`, {
      name: 'Cleo',
      email: 'cleo@example.com',
      consent: { terms: true },
    });
    assert.equal(res.status, 201);
  });

  it('terms not accepted → 400, nobody joins', async () => {
    const before = await members();
    const res = await signup({ email: 'noterms@example.com', consent: { terms: false, marketing: true } });
    assertProblem(res, 400, 'validation_failed');
    assert.deepEqual(
      res.body.errors.map((e: any) => e.path),
      ['consent.terms'],
    );
    assert.equal(await members(), before);
  });

  for (const origin of ['https://evil.example', 'http://shop.example', 'https://shop.example:8443', 'https://sub.shop.example']) {
    it(`from a disallowed Origin ${origin} → 403 forbidden, no CORS header, nobody joins`, async () => {
      const before = await members();
      const res = await signup({ email: `x-${randomBytes(4).toString('hex')}@example.com` }, { origin });
      assertProblem(res, 403, 'forbidden');
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal(await members(), before);
    });
  }

  for (const [name, origin] of [
    ['an allowed origin', ALLOWED],
    ["the server's own origin", PUBLIC_URL],
  ]) {
    it(`from ${name} → 201 with Access-Control-Allow-Origin echoing it`, async () => {
      const res = await signup({ email: `ok-${randomBytes(4).toString('hex')}@example.com` }, { origin });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.headers.get('access-control-allow-origin'), origin);
      assert.match(res.headers.get('vary') ?? '', /origin/i);
    });
  }

  it('without Origin (a server, curl) → 201 without a CORS header', async () => {
    const res = await signup({ email: `server-${randomBytes(4).toString('hex')}@example.com` });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  it('a card read from a disallowed origin is answered without a CORS header', async () => {
    const card = await h.join(shop);
    const res = await h.get(`/api/public/cards/${card.serial}`, { origin: 'https://evil.example' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const ok = await h.get(`/api/public/cards/${card.serial}`, { origin: ALLOWED });
    assert.equal(ok.headers.get('access-control-allow-origin'), ALLOWED);
  });
});

describe('originAllowed: localhost only outside production', () => {
  const base = { PUBLIC_URL: 'https://loyalty.example.com', SESSION_SECRET: SECRET };
  const dev = loadConfig({ ...base, NODE_ENV: 'development' });
  const prod = loadConfig({ ...base, NODE_ENV: 'production' });
  const allowed = ['https://shop.example'];
  const cases: [string, boolean, boolean][] = [
    // origin, in development, in production
    ['https://loyalty.example.com', true, true],
    ['https://shop.example', true, true],
    ['http://localhost:5173', true, false],
    ['http://localhost', true, false],
    ['http://127.0.0.1:8080', true, false],
    ['http://[::1]:3000', true, false],
    ['http://localhost.evil.example', false, false],
    ['http://localhost:5173.evil.example', false, false],
    ['https://evil.example', false, false],
    ['null', false, false],
  ];
  for (const [origin, inDev, inProd] of cases) {
    it(`${origin}: development ${inDev}, production ${inProd}`, () => {
      assert.equal(originAllowed(dev, allowed, origin), inDev);
      assert.equal(originAllowed(prod, allowed, origin), inProd);
    });
  }
});

describe('card serials', () => {
  it('are 26 characters of [a-z2-7], all different, with a different auth token per card', async () => {
    const serials: string[] = [aCard, bCard];
    for (let i = 0; i < 20; i++) serials.push((await h.join(b)).serial);
    for (const s of serials) assert.match(s, /^[a-z2-7]{26}$/);
    assert.equal(new Set(serials).size, serials.length);
    const { rows } = await h.db.query<{ serial: string; auth_token: string; referral_code: string }>(
      'SELECT serial, auth_token, referral_code FROM cards WHERE serial = ANY($1::text[])',
      [serials],
    );
    assert.equal(rows.length, serials.length);
    assert.equal(new Set(rows.map((r) => r.auth_token)).size, rows.length);
    assert.equal(new Set(rows.map((r) => r.referral_code)).size, rows.length);
    for (const r of rows) {
      assert.match(r.auth_token, /^[\w-]{43,}$/, '≥ 256 bits');
      assert.notEqual(r.auth_token, r.serial);
      assert.ok(!r.auth_token.includes(r.serial));
    }
  });

  it('newSerial draws 128 bits: 26 base32 characters, every character position varies', () => {
    const draws = Array.from({ length: 200 }, () => newSerial());
    for (const s of draws) assert.match(s, /^[a-z2-7]{26}$/);
    assert.equal(new Set(draws).size, draws.length);
    // A counter, a timestamp prefix or a short random part would leave positions constant.
    for (let i = 0; i < 26; i++) assert.ok(new Set(draws.map((s) => s[i])).size > 1, `position ${i} never changes`);
  });
});
