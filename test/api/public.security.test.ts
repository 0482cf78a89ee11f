// Reviews and surveys are written by anyone on the internet: hostile text is stored and
// returned as text, one merchant cannot moderate another's reviews, CORS refuses foreign
// writes, rate limits hold per IP and per program, and the public views leak nothing private.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { hashPassword } from '../../server/services/passwords.ts';
import { newSerial } from '../../server/services/tokens.ts';
import { cookieFrom, Harness, type Merchant, PUBLIC_URL, randomIp } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';
import { midWindow } from '../support/rate-limit.ts';

let h: Harness;
/** Two businesses on the same server. */
let a: Merchant;
let b: Merchant;
let aCard: string;
let bCard: string;
const ALLOWED = 'https://alpha.example';

before(async () => {
  h = await Harness.start();
  a = await h.signUpMerchant('Alpha Tea');
  b = await h.signUpMerchant('Beta Bikes');
  await h.setProgram(a, { allowedOrigins: [ALLOWED] });
  aCard = (await h.join(a, { name: 'Alice Alpha' })).serial;
  bCard = (await h.join(b, { name: 'Bob Beta' })).serial;
});
after(() => h.close());

const patch = (path: string, body: unknown, opts: { cookie?: string; origin?: string; headers?: Record<string, string> }) =>
  h.call('PATCH', path, { body, ...opts });

describe('hostile review text is stored and returned exactly, as text', () => {
  const HOSTILE: [string, string][] = [
    ['a script tag', '<script>alert(1)</script>'],
    ['an img onerror', '<img src=x onerror=alert(1)>'],
    ['an attribute breakout', '"><svg onload=alert(document.cookie)>'],
    ['a javascript: link', '<a href="javascript:alert(1)">click</a>'],
    ['HTML entities', '&lt;script&gt; &amp; &#x3C;'],
    ['emoji', 'Best café ☕️🥐👩🏽‍🍳 10/10 🇫🇷'],
    ['Arabic', 'قهوة ممتازة وخدمة رائعة'],
    ['Hebrew with a right-to-left override', 'קפה מצוין \u202Egnp.exe\u202C ok'],
    ['bidi isolates and zero-width characters', 'a\u2066b\u2069c\u200Bd\u200De\uFEFFf'],
    ['template and SQL look-alikes', "${process.env.SECRET} {{7*7}} '); DROP TABLE reviews; --"],
    ['newlines and tabs inside', 'line one\nline two\r\n\tindented'],
    ['a backslash and quotes', 'C:\\path\\"quoted" \'single\''],
  ];

  for (const [label, text] of HOSTILE) {
    it(`${label}: the database, the public list and the moderation list hold the same string`, async () => {
      const name = `${label.slice(0, 20)} ${text.slice(0, 40)}`.trim();
      const res = await h.post(`/api/public/programs/${a.program.slug}/reviews`, { rating: 4, text, name });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const { id } = res.body;

      const { rows } = await h.db.query<{ text: string; name: string }>('SELECT text, name FROM reviews WHERE id = $1', [id]);
      assert.deepEqual(rows[0], { text, name });

      const moderated = await patch(`/api/merchant/reviews/${id}`, { status: 'approved' }, { cookie: a.cookie });
      assert.equal(moderated.status, 200);
      assert.equal(moderated.body.review.text, text);
      assert.equal(moderated.body.review.name, name);
      assert.match(moderated.headers.get('content-type') ?? '', /^application\/json/);

      const list = await h.get(`/api/public/programs/${a.program.slug}/reviews?limit=1`);
      assert.match(list.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(list.headers.get('x-content-type-options'), 'nosniff');
      assert.deepEqual(list.body.reviews[0], { rating: 4, text, name, verified: false, createdAt: list.body.reviews[0].createdAt });

      const all = await h.get('/api/merchant/reviews?status=approved&limit=1', { cookie: a.cookie });
      assert.equal(all.body.reviews[0].text, text);
    });
  }

  it('surrounding whitespace is trimmed, nothing else is changed', async () => {
    const res = await h.post(`/api/public/programs/${a.program.slug}/reviews`, { rating: 5, text: ' \n <b>bold</b> \t', name: '  Zoë  ' });
    const { rows } = await h.db.query('SELECT text, name FROM reviews WHERE id = $1', [res.body.id]);
    assert.deepEqual(rows[0], { text: '<b>bold</b>', name: 'Zoë' });
  });

  it('survey comments too', async () => {
    const comment = '<script>alert(1)</script> \u202Eevil ☕️';
    const res = await h.post(`/api/public/programs/${a.program.slug}/surveys`, { kind: 'nps', score: 9, comment });
    assert.equal(res.status, 201);
    const { rows } = await h.db.query('SELECT comment FROM survey_answers WHERE id = $1', [res.body.id]);
    assert.deepEqual(rows[0], { comment });
  });
});

describe('moderation is per merchant and owner-only', () => {
  let review: string;
  let staffCookie: string;
  let aKey: string;

  before(async () => {
    review = (await h.post(`/api/public/programs/${a.program.slug}/reviews`, { rating: 5, text: 'Alpha review' })).body.id;
    const email = `staff-${randomBytes(4).toString('hex')}@alpha.example`;
    await h.db.query(`INSERT INTO staff_users (merchant_id, email, password_hash, role) VALUES ($1, $2, $3, 'staff')`, [
      a.id,
      email,
      await hashPassword('staff password 123'),
    ]);
    staffCookie = cookieFrom((await h.post('/api/merchant/login', { email, password: 'staff password 123' })).headers);
    aKey = (await h.post('/api/merchant/api-keys', { name: 'A till' }, { cookie: a.cookie })).body.key;
  });

  const statusOf = async (id: string) =>
    (await h.db.query<{ status: string }>('SELECT status FROM reviews WHERE id = $1', [id])).rows[0]!.status;

  it("B cannot approve A's review: 404, byte-identical to an unknown id, and it stays pending", async () => {
    const headers = { cookie: b.cookie, origin: PUBLIC_URL };
    const theirs = await h.exact('PATCH', `/api/merchant/reviews/${review}`, headers, { status: 'approved' });
    const nobodys = await h.exact('PATCH', '/api/merchant/reviews/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', headers, { status: 'approved' });
    assert.equal(theirs.status, 404);
    assert.equal(JSON.parse(theirs.text).code, 'not_found');
    assert.deepEqual(theirs, nobodys);
    assert.equal(await statusOf(review), 'pending');
  });

  it("B's list never shows A's reviews, whatever the filter", async () => {
    await h.post(`/api/public/programs/${b.program.slug}/reviews`, { rating: 3, text: 'Beta review' });
    for (const q of ['', '?status=pending', '?status=approved', '?limit=200']) {
      const res = await h.get(`/api/merchant/reviews${q}`, { cookie: b.cookie });
      assert.equal(res.status, 200);
      assert.ok(
        res.body.reviews.every((r: any) => r.text === 'Beta review'),
        q,
      );
    }
  });

  it("A's cursor does not open B's list to A's reviews", async () => {
    const first = await h.get('/api/merchant/reviews?limit=1', { cookie: a.cookie });
    assert.equal(typeof first.body.nextCursor, 'string');
    const res = await h.get(`/api/merchant/reviews?cursor=${first.body.nextCursor}`, { cookie: b.cookie });
    assert.equal(res.status, 200);
    assert.ok(res.body.reviews.every((r: any) => r.text === 'Beta review'));
  });

  it('staff and API keys may not moderate: 403', async () => {
    assertProblem(await patch(`/api/merchant/reviews/${review}`, { status: 'approved' }, { cookie: staffCookie }), 403, 'forbidden');
    assertProblem(
      await patch(`/api/merchant/reviews/${review}`, { status: 'approved' }, { headers: { authorization: `Bearer ${aKey}` } }),
      403,
      'forbidden',
    );
    assert.equal(await statusOf(review), 'pending');
  });

  it('a cookie-authenticated PATCH from another site → 403 (CSRF)', async () => {
    for (const origin of ['https://evil.example', ALLOWED]) {
      assertProblem(await patch(`/api/merchant/reviews/${review}`, { status: 'approved' }, { cookie: a.cookie, origin }), 403, 'forbidden');
    }
    assert.equal(await statusOf(review), 'pending');
  });

  it('the owner may', async () => {
    const res = await patch(`/api/merchant/reviews/${review}`, { status: 'rejected' }, { cookie: a.cookie });
    assert.equal(res.status, 200);
    assert.equal(await statusOf(review), 'rejected');
  });
});

describe('a card serial in a review or survey reveals nothing', () => {
  for (const route of ['reviews', 'surveys'] as const) {
    it(`${route}: own card kept; another program's card, an unknown serial, junk → stored without a card, same answer`, async () => {
      const body = route === 'reviews' ? { rating: 4 } : { kind: 'csat', score: 4 };
      const table = route === 'reviews' ? 'reviews' : 'survey_answers';
      const send = (cardSerial: string) => h.post(`/api/public/programs/${a.program.slug}/${route}`, { ...body, cardSerial });
      const cardOf = async (id: string) =>
        (
          await h.db.query<{ serial: string | null }>(
            `SELECT c.serial FROM ${table} t LEFT JOIN cards c ON c.id = t.card_id WHERE t.id = $1`,
            [id],
          )
        ).rows[0]!.serial;

      const own = await send(aCard);
      assert.equal(own.status, 201);
      assert.equal(await cardOf(own.body.id), aCard);

      const shapes = new Set<string>();
      for (const s of [bCard, newSerial(), 'junk', '', "' OR 1=1 --"]) {
        const res = await send(s);
        assert.equal(res.status, 201, `${s}: ${JSON.stringify(res.body)}`);
        assert.equal(await cardOf(res.body.id), null, s);
        shapes.add(JSON.stringify({ ...res.body, id: 'x' }));
      }
      shapes.add(JSON.stringify({ ...own.body, id: 'x' }));
      assert.equal(shapes.size, 1, 'the answer does not depend on the serial');
    });
  }
});

describe('CORS on the new public routes', () => {
  const EVIL = 'https://evil.example';
  const writes = [
    { route: 'reviews', body: { rating: 5, text: 'from a site' }, table: 'reviews' },
    { route: 'surveys', body: { kind: 'nps', score: 10 }, table: 'survey_answers' },
  ];
  const stored = (table: string) => h.count(`SELECT count(*)::int AS n FROM ${table} WHERE merchant_id = $1`, [a.id]);

  for (const w of writes) {
    for (const origin of [EVIL, 'http://alpha.example', 'https://alpha.example:8443', 'https://sub.alpha.example', 'null']) {
      it(`POST ${w.route} from ${origin} → 403 forbidden, no CORS header, nothing stored`, async () => {
        const before = await stored(w.table);
        const res = await h.post(`/api/public/programs/${a.program.slug}/${w.route}`, w.body, { origin });
        assertProblem(res, 403, 'forbidden');
        assert.equal(res.headers.get('access-control-allow-origin'), null);
        assert.equal(await stored(w.table), before);
      });
    }

    it(`POST ${w.route} from a foreign site is refused before its body is read: 403 even when invalid`, async () => {
      assertProblem(await h.post(`/api/public/programs/${a.program.slug}/${w.route}`, { rating: 'x' }, { origin: EVIL }), 403, 'forbidden');
    });

    for (const [name, origin] of [
      ['an allowed origin', ALLOWED],
      ["the server's own origin", PUBLIC_URL],
    ]) {
      it(`POST ${w.route} from ${name} → 201 with Access-Control-Allow-Origin`, async () => {
        const res = await h.post(`/api/public/programs/${a.program.slug}/${w.route}`, w.body, { origin });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.headers.get('access-control-allow-origin'), origin);
        assert.match(res.headers.get('vary') ?? '', /origin/i);
      });
    }

    it(`POST ${w.route} without Origin (a server) → 201 without a CORS header`, async () => {
      const res = await h.post(`/api/public/programs/${a.program.slug}/${w.route}`, w.body);
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
    });
  }

  const reads = ['/programs/:slug', '/programs/:slug/reviews', '/cards/:serial/qr.svg', '/cards/:serial/referral'];
  for (const route of reads) {
    it(`GET ${route}: allowed origin echoed, a foreign one answered without it, Vary: Origin`, async () => {
      const path = () => `/api/public${route.replace(':slug', a.program.slug).replace(':serial', aCard)}`;
      const ok = await h.get(path(), { origin: ALLOWED });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('access-control-allow-origin'), ALLOWED);
      const foreign = await h.get(path(), { origin: EVIL });
      assert.equal(foreign.status, 200);
      assert.equal(foreign.headers.get('access-control-allow-origin'), null);
      // Cached answers depend on Origin, also the ones to requests without it.
      const none = await h.get(path());
      assert.equal(none.headers.get('access-control-allow-origin'), null);
      assert.match(none.headers.get('vary') ?? '', /\borigin\b/i);
    });
  }

  it('OPTIONS /programs/:slug from a foreign origin → 204 without CORS headers', async () => {
    const res = await h.call('OPTIONS', `/api/public/programs/${a.program.slug}`, { origin: EVIL });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  it("one program's allowed origin is foreign to another program", async () => {
    assertProblem(await h.post(`/api/public/programs/${b.program.slug}/reviews`, { rating: 5 }, { origin: ALLOWED }), 403, 'forbidden');
    const read = await h.get(`/api/public/programs/${b.program.slug}`, { origin: ALLOWED });
    assert.equal(read.headers.get('access-control-allow-origin'), null);
  });
});

describe('rate limits', () => {
  // Each test holds the services' clock in the middle of a minute's window.
  afterEach(() => h.setNow(undefined));

  it('reviews: the 11th from one IP within a minute → 429 with Retry-After, nothing stored; other IPs go on', async () => {
    const shop = await h.signUpMerchant('Limit Reviews');
    const ip = `198.51.100.${1 + (randomBytes(1)[0]! % 250)}`;
    const send = (from: string) => h.post(`/api/public/programs/${shop.program.slug}/reviews`, { rating: 5 }, { ip: from });
    h.setNow(midWindow(60));
    for (let i = 0; i < 10; i++) assert.equal((await send(ip)).status, 201, `review ${i + 1}`);
    const blocked = await send(ip);
    assertProblem(blocked, 429, 'rate_limited');
    assert.equal(blocked.headers.get('retry-after'), '30', 'the rest of the window');
    assert.equal(await h.count('SELECT count(*)::int AS n FROM reviews WHERE merchant_id = $1', [shop.id]), 10);
    assert.equal((await send(randomIp())).status, 201, 'another IP is not limited');
    // The per-IP limit is per route: surveys from that IP still work.
    assert.equal((await h.post(`/api/public/programs/${shop.program.slug}/surveys`, { kind: 'nps', score: 8 }, { ip })).status, 201);
  });

  it('reviews: a program takes 300 a minute from everywhere, then 429 — other programs are not affected', async () => {
    const shop = await h.signUpMerchant('Limit Program');
    const send = (slug: string) => h.post(`/api/public/programs/${slug}/reviews`, { rating: 3 }, { ip: randomIp() });
    h.setNow(midWindow(60));
    for (let i = 0; i < 300; i++) {
      const res = await send(shop.program.slug);
      assert.equal(res.status, 201, `review ${i + 1}: ${JSON.stringify(res.body)}`);
    }
    const blocked = await send(shop.program.slug);
    assertProblem(blocked, 429, 'rate_limited');
    assert.equal(blocked.headers.get('retry-after'), '30');
    assert.equal(await h.count('SELECT count(*)::int AS n FROM reviews WHERE merchant_id = $1', [shop.id]), 300);
    assert.equal((await send(b.program.slug)).status, 201);
  });

  it('surveys: the 61st from one IP within a minute → 429 with Retry-After', async () => {
    const shop = await h.signUpMerchant('Limit Surveys');
    const ip = `203.0.113.${1 + (randomBytes(1)[0]! % 250)}`;
    const send = () => h.post(`/api/public/programs/${shop.program.slug}/surveys`, { kind: 'csat', score: 5 }, { ip });
    h.setNow(midWindow(60));
    for (let i = 0; i < 60; i++) assert.equal((await send()).status, 201, `answer ${i + 1}`);
    const blocked = await send();
    assertProblem(blocked, 429, 'rate_limited');
    assert.equal(blocked.headers.get('retry-after'), '30');
    assert.equal(await h.count('SELECT count(*)::int AS n FROM survey_answers WHERE merchant_id = $1', [shop.id]), 60);
  });
});

describe('the public views hold nothing private', () => {
  it('the program: no costs, origins, ids, emails or website', async () => {
    const shop = await h.signUpMerchant('Private Shop');
    await h.setProgram(shop, {
      type: 'points',
      rewards: [{ id: 'secret-cost', name: 'Mug', points: 10, costMinor: 4321 }],
      allowedOrigins: ['https://private-origin.example'],
      websiteUrl: 'https://private-website.example/',
      reward: { name: 'Coffee', costMinor: 9876 },
    });
    const res = await h.get(`/api/public/programs/${shop.program.slug}`);
    assert.equal(res.status, 200);
    for (const secret of [
      'costMinor',
      '4321',
      '9876',
      'private-origin',
      'allowedOrigins',
      shop.id,
      shop.email,
      'merchant_id',
      'private-website',
    ]) {
      assert.ok(!res.text.includes(secret), `${secret} in ${res.text}`);
    }
  });

  it('the review list: no ids, cards, customers or status', async () => {
    const shop = await h.signUpMerchant('Quiet Shop');
    const card = (await h.join(shop, { name: 'Private Person', email: 'private.person@example.com' })).serial;
    const { body } = await h.post(`/api/public/programs/${shop.program.slug}/reviews`, { rating: 5, text: 'ok', cardSerial: card });
    await patch(`/api/merchant/reviews/${body.id}`, { status: 'approved' }, { cookie: shop.cookie });
    const res = await h.get(`/api/public/programs/${shop.program.slug}/reviews`);
    assert.equal(res.body.reviews.length, 1);
    for (const secret of [body.id, card, 'Private Person', 'private.person', 'approved']) {
      assert.ok(!res.text.includes(secret), `${secret} in ${res.text}`);
    }
  });

  it('the QR code is an image that cannot run script on our origin', async () => {
    const res = await h.get(`/api/public/cards/${aCard}/qr.svg`);
    assert.equal(res.headers.get('content-security-policy'), "default-src 'none'");
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.doesNotMatch(res.text, /<script|<foreignObject|on\w+=|href=/i);
  });

  it('the referral answer names no other customer', async () => {
    const res = await h.get(`/api/public/cards/${aCard}/referral`);
    // Counts, the member's own code and link, and what a referral earns in words: nobody's name.
    assert.deepEqual(Object.keys(res.body).sort(), ['code', 'invited', 'joined', 'offer', 'rewarded', 'url']);
    assert.ok(!res.text.includes('Alice'));
  });
});
