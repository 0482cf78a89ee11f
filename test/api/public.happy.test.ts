// The public API the widget uses beyond signup and the card: the program, the card's QR code
// and referral link, reviews (with their moderation by the merchant) and surveys.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../server/config.ts';
import { defaultProgram } from '../../server/domain/program.ts';
import { referralUrl } from '../../server/domain/links.ts';
import { Harness, type Merchant, PUBLIC_URL } from '../support/harness.ts';

let h: Harness;
let m: Merchant;
let serial: string;

before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Happy Café');
  serial = (await h.join(m, { name: 'Hana Happy' })).serial;
});
after(() => h.close());

const patch = (path: string, body: unknown, cookie: string) => h.call('PATCH', path, { body, cookie });

async function reviewRow(id: string) {
  const { rows } = await h.db.query<{ rating: number; text: string | null; name: string | null; status: string; serial: string | null }>(
    `SELECT r.rating, r.text, r.name, r.status, c.serial FROM reviews r LEFT JOIN cards c ON c.id = r.card_id WHERE r.id = $1`,
    [id],
  );
  return rows[0];
}

describe('GET /api/public/programs/:slug', () => {
  it('a stamps program: the merchant, its look, the rule and the features; short public cache', async () => {
    const res = await h.get(`/api/public/programs/${m.program.slug}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=60');
    assert.deepEqual(res.body, {
      merchant: {
        name: 'Happy Café',
        slug: m.program.slug,
        logoUrl: null,
        colors: { background: '#3b2f2f', foreground: '#ffffff', label: '#f3d9b1', text: '#ffffff' },
        locale: 'en',
      },
      program: {
        type: 'stamps',
        name: 'Happy Café loyalty card',
        currency: 'EUR',
        signupBonus: 0,
        launchBonus: null,
        stampsRequired: 10,
        reward: { name: 'A free coffee' },
      },
      features: { reviews: true, referrals: false, surveys: true },
      googleReviewUrl: null,
    });
  });

  it('follows the program: design, locale, Google review link, signup bonus and referral rewards', async () => {
    const shop = await h.signUpMerchant('Design Shop');
    await h.setProgram(shop, {
      design: { backgroundColor: '#102030', foregroundColor: '#fefefe', labelColor: '#abcdef', logoUrl: 'https://cdn.example/logo.png' },
      locale: 'fr',
      googleReviewUrl: 'https://g.page/r/design-shop/review',
      signupBonus: 2,
      referral: { referrerReward: 0, refereeReward: 1 },
    });
    const { body } = await h.get(`/api/public/programs/${shop.program.slug}`);
    assert.deepEqual(body.merchant, {
      name: 'Design Shop',
      slug: shop.program.slug,
      logoUrl: 'https://cdn.example/logo.png',
      colors: { background: '#102030', foreground: '#fefefe', label: '#abcdef', text: '#fefefe' },
      locale: 'fr',
    });
    assert.equal(body.program.signupBonus, 2);
    assert.deepEqual(body.program.referral, { referrerReward: 0, refereeReward: 1 });
    assert.deepEqual(body.features, { reviews: true, referrals: true, surveys: true });
    assert.equal(body.googleReviewUrl, 'https://g.page/r/design-shop/review');
  });

  it('a points program: its rate and catalog, without costs', async () => {
    const shop = await h.signUpMerchant('Points Shop');
    await h.setProgram(shop, {
      type: 'points',
      pointsPerUnit: 2,
      rewards: [{ id: 'mug', name: 'A mug', points: 100, costMinor: 350 }],
    });
    const { body } = await h.get(`/api/public/programs/${shop.program.slug}`);
    assert.deepEqual(body.program, {
      type: 'points',
      name: shop.program.name,
      currency: 'EUR',
      signupBonus: 0,
      launchBonus: null,
      pointsPerUnit: 2,
      rewards: [{ id: 'mug', name: 'A mug', points: 100 }],
    });
  });

  it('a tiers program: the tiers and the catalog', async () => {
    const shop = await h.signUpMerchant('Tiers Shop');
    const tiers = [
      { name: 'Bronze', threshold: 0, multiplier: 1, perks: [] },
      { name: 'Gold', threshold: 50_000, multiplier: 2, perks: ['Free delivery'] },
    ];
    await h.setProgram(shop, { type: 'tiers', tiers, rewards: [{ id: 'tote', name: 'Tote', points: 500, costMinor: 900 }] });
    const { body } = await h.get(`/api/public/programs/${shop.program.slug}`);
    assert.deepEqual(body.program.tiers, tiers);
    assert.deepEqual(body.program.rewards, [{ id: 'tote', name: 'Tote', points: 500 }]);
    assert.equal(body.program.type, 'tiers');
    assert.equal(body.program.stampsRequired, undefined);
    assert.equal(body.program.reward, undefined);
  });

  it('a cashback program: its percentage only', async () => {
    const shop = await h.signUpMerchant('Cashback Shop');
    await h.setProgram(shop, { type: 'cashback', cashbackPercent: 2.5 });
    const { body } = await h.get(`/api/public/programs/${shop.program.slug}`);
    assert.deepEqual(body.program, {
      type: 'cashback',
      name: shop.program.name,
      currency: 'EUR',
      signupBonus: 0,
      launchBonus: null,
      cashbackPercent: 2.5,
    });
  });
});

describe('GET /api/public/cards/:serial/qr.svg', () => {
  it('an SVG QR code, kept by the browser alone and asked again each time (a 304 while the card exists)', async () => {
    const res = await h.get(`/api/public/cards/${serial}/qr.svg`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.equal(res.headers.get('cache-control'), 'private, no-cache');
    const etag = res.headers.get('etag')!;
    assert.match(etag, /^"[\w-]{16}"$/);
    const again = await h.get(`/api/public/cards/${serial}/qr.svg`, { headers: { 'if-none-match': `"other", ${etag}` } });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    assert.match(res.text, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(res.text, /<path /);
    assert.doesNotMatch(res.text, /<script|on\w+=/i);
  });

  it('the same card always gets the same picture, another card another', async () => {
    const again = await h.get(`/api/public/cards/${serial}/qr.svg`);
    const first = await h.get(`/api/public/cards/${serial}/qr.svg`);
    assert.equal(again.text, first.text);
    const other = (await h.join(m)).serial;
    assert.notEqual((await h.get(`/api/public/cards/${other}/qr.svg`)).text, first.text);
  });

  it('an erased card’s picture is gone, even for a browser that holds it', async () => {
    const gone = await h.join(m);
    const first = await h.get(`/api/public/cards/${gone.serial}/qr.svg`);
    const { rows } = await h.db.query<{ customer_id: string }>('SELECT customer_id FROM cards WHERE serial = $1', [gone.serial]);
    assert.equal((await h.call('DELETE', `/api/merchant/customers/${rows[0]!.customer_id}`, { cookie: m.cookie })).status, 204);
    const after = await h.get(`/api/public/cards/${gone.serial}/qr.svg`, { headers: { 'if-none-match': first.headers.get('etag')! } });
    assert.equal(after.status, 404);
  });

  it('the card links point at it', async () => {
    const res = await h.get(`/api/public/cards/${serial}`);
    assert.equal(res.body.links.qr, `${PUBLIC_URL}/api/public/cards/${serial}/qr.svg`);
  });
});

describe('GET /api/public/cards/:serial/referral', () => {
  let shop: Merchant;
  before(async () => {
    shop = await h.signUpMerchant('Referral Shop');
    await h.setProgram(shop, { referral: { referrerReward: 2, refereeReward: 1 } });
  });

  /** What both earn, in words (no `?lang=` and no Accept-Language: English); test/api/invitation.test.ts has the rest. */
  const offer = 'Your friend gets 1 stamp on their first visit; you get 2 stamps on their first visit.';

  const referral = async (s: string) => {
    const res = await h.get(`/api/public/cards/${s}/referral`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  it("the card's code, a link with ?ref=CODE, and no invitations yet", async () => {
    const card = await h.join(shop);
    const { rows } = await h.db.query<{ referral_code: string }>('SELECT referral_code FROM cards WHERE serial = $1', [card.serial]);
    const code = rows[0]!.referral_code;
    const body = await referral(card.serial);
    assert.deepEqual(body, { code, url: `${PUBLIC_URL}/j/${shop.program.slug}?ref=${code}`, invited: 0, joined: 0, rewarded: 0, offer });
  });

  it('invited on signup with the code, joined and rewarded on the first stamp', async () => {
    const referrer = await h.join(shop, { name: 'Rita Referrer' });
    const { code } = await referral(referrer.serial);

    const friend = await h.join(shop, { name: 'Fred Friend', referralCode: code });
    assert.deepEqual(await referral(referrer.serial), {
      code,
      url: `${PUBLIC_URL}/j/${shop.program.slug}?ref=${code}`,
      invited: 1,
      joined: 0,
      rewarded: 0,
      offer,
    });

    const stamp = await h.post(`/api/merchant/cards/${friend.serial}/stamps`, {}, { cookie: shop.cookie });
    assert.equal(stamp.status, 200);
    assert.equal(stamp.body.card.stamps, 2, 'one stamp plus the referee reward');
    assert.deepEqual(await referral(referrer.serial), {
      code,
      url: `${PUBLIC_URL}/j/${shop.program.slug}?ref=${code}`,
      invited: 1,
      joined: 1,
      rewarded: 1,
      offer,
    });

    // A second friend who joins but has no stamp yet.
    await h.join(shop, { name: 'Greta Friend', referralCode: code });
    const after = await referral(referrer.serial);
    assert.deepEqual([after.invited, after.joined, after.rewarded], [2, 1, 1]);
    // The referrer got the referrer reward once.
    assert.equal((await h.get(`/api/public/cards/${referrer.serial}`)).body.card.stamps, 2);
    // The friends' own figures are theirs: nobody used their codes.
    const own = await referral(friend.serial);
    assert.deepEqual([own.invited, own.joined, own.rewarded], [0, 0, 0]);
  });

  it("the link goes to the program's website when set, else its first allowed origin", async () => {
    const card = await h.join(shop);
    await h.setProgram(shop, { allowedOrigins: ['https://shop.example', 'https://other.example'] });
    const { code, url } = await referral(card.serial);
    assert.equal(url, `https://shop.example/?ref=${code}`);
    await h.setProgram(shop, { websiteUrl: 'https://www.shop.example/join?lang=fr#top' });
    assert.equal((await referral(card.serial)).url, `https://www.shop.example/join?lang=fr&ref=${code}#top`);
    await h.setProgram(shop, { websiteUrl: 'https://www.shop.example/?ref=someone-else' });
    assert.equal((await referral(card.serial)).url, `https://www.shop.example/?ref=${code}`);
    assert.equal(
      (await h.get('/api/merchant/program', { cookie: shop.cookie })).body.program.websiteUrl,
      'https://www.shop.example/?ref=someone-else',
    );
  });

  it('referralUrl: without a website, the join page of the program on this server (development and production alike)', () => {
    const program = defaultProgram('cafe-x', 'X');
    const env = { PUBLIC_URL: 'https://loyalty.example.com', SESSION_SECRET: 'x'.repeat(32) };
    assert.equal(
      referralUrl(loadConfig({ ...env, NODE_ENV: 'development' }), program, 'abc'),
      'https://loyalty.example.com/j/cafe-x?ref=abc',
    );
    assert.equal(
      referralUrl(loadConfig({ ...env, NODE_ENV: 'production' }), program, 'abc'),
      'https://loyalty.example.com/j/cafe-x?ref=abc',
    );
    const onPath = loadConfig({ ...env, PUBLIC_URL: 'https://example.com/loyalty', NODE_ENV: 'development' });
    assert.equal(referralUrl(onPath, program, 'a b&c'), 'https://example.com/loyalty/j/cafe-x?ref=a+b%26c');
  });

  it('a program saved before websiteUrl existed reads it as null', async () => {
    const old = await h.signUpMerchant('Old Shop');
    await h.db.query(`UPDATE programs SET settings = settings - 'websiteUrl' WHERE merchant_id = $1`, [old.id]);
    const card = await h.join(old);
    const { code, url } = await referral(card.serial);
    assert.equal(url, `${PUBLIC_URL}/j/${old.program.slug}?ref=${code}`);
  });
});

describe('reviews', () => {
  let shop: Merchant;
  let card: string;
  const reviews = (query = '') => h.get(`/api/public/programs/${shop.program.slug}/reviews${query}`);
  const submit = (body: Record<string, unknown>) => h.post(`/api/public/programs/${shop.program.slug}/reviews`, body);

  before(async () => {
    shop = await h.signUpMerchant('Review Shop');
    card = (await h.join(shop, { name: 'Rosa Reviewer' })).serial;
  });

  it('none yet: no average, no reviews, no next page', async () => {
    const res = await reviews();
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { average: null, count: 0, reviews: [], nextCursor: null, structuredData: null });
  });

  it('POST → 201 pending, stored as sent (trimmed), with the card', async () => {
    const res = await submit({ rating: 5, text: '  Lovely croissants.  ', name: ' Rosa ', cardSerial: card });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), ['googleReviewUrl', 'id', 'status']);
    assert.equal(res.body.status, 'pending');
    assert.equal(res.body.googleReviewUrl, null);
    assert.deepEqual(await reviewRow(res.body.id), {
      rating: 5,
      text: 'Lovely croissants.',
      name: 'Rosa',
      status: 'pending',
      serial: card,
    });
  });

  it('a rating alone is a review; empty text and name are stored as none', async () => {
    const res = await submit({ rating: 3, text: '   ', name: '' });
    assert.equal(res.status, 201);
    assert.deepEqual(await reviewRow(res.body.id), { rating: 3, text: null, name: null, status: 'pending', serial: null });
    const bare = await submit({ rating: 4, text: null, name: null, cardSerial: null });
    assert.equal(bare.status, 201);
  });

  it('every reviewer is offered the Google review link, whatever the rating', async () => {
    await h.setProgram(shop, { googleReviewUrl: 'https://g.page/r/review-shop/review' });
    for (const rating of [1, 2, 3, 4, 5]) {
      const res = await submit({ rating });
      assert.equal(res.status, 201);
      assert.equal(res.body.googleReviewUrl, 'https://g.page/r/review-shop/review', `rating ${rating}`);
    }
  });

  it('the public list shows approved reviews only, newest first, with their average', async () => {
    const other = await h.signUpMerchant('Review Shop Two');
    const post = (rating: number, text: string) =>
      h.post(`/api/public/programs/${other.program.slug}/reviews`, { rating, text, name: `N${rating}` }).then((r) => r.body.id as string);
    const ids = [
      await post(5, 'first'),
      await post(4, 'second'),
      await post(4, 'third'),
      await post(1, 'rejected'),
      await post(2, 'pending'),
    ];
    const list = () => h.get(`/api/public/programs/${other.program.slug}/reviews`);
    assert.deepEqual(
      (await list()).body,
      { average: null, count: 0, reviews: [], nextCursor: null, structuredData: null },
      'pending reviews are not shown',
    );

    for (const id of ids.slice(0, 3))
      assert.equal((await patch(`/api/merchant/reviews/${id}`, { status: 'approved' }, other.cookie)).status, 200);
    assert.equal((await patch(`/api/merchant/reviews/${ids[3]}`, { status: 'rejected' }, other.cookie)).status, 200);

    const res = await list();
    assert.equal(res.status, 200);
    assert.equal(res.body.count, 3);
    assert.equal(res.body.average, 4.3);
    assert.equal(res.body.nextCursor, null);
    // For search engines: schema.org JSON-LD of the approved reviews, about the business.
    assert.deepEqual(res.body.structuredData, {
      '@context': 'https://schema.org',
      '@type': 'AggregateRating',
      itemReviewed: { '@type': 'LocalBusiness', name: 'Review Shop Two' },
      ratingValue: 4.3,
      reviewCount: 3,
    });
    assert.deepEqual(
      res.body.reviews.map((r: any) => [r.rating, r.text, r.name]),
      [
        [4, 'third', 'N4'],
        [4, 'second', 'N4'],
        [5, 'first', 'N5'],
      ],
    );
    for (const r of res.body.reviews) {
      assert.deepEqual(Object.keys(r).sort(), ['createdAt', 'name', 'rating', 'text', 'verified']);
      assert.ok(!Number.isNaN(Date.parse(r.createdAt)));
    }

    // Un-approving takes a review off the list again.
    await patch(`/api/merchant/reviews/${ids[0]}`, { status: 'rejected' }, other.cookie);
    const after = await list();
    assert.deepEqual([after.body.count, after.body.average], [2, 4]);
  });

  it('the average is rounded to one decimal', async () => {
    const other = await h.signUpMerchant('Rounding Shop');
    // 17 / 4 = 4.25 → 4.3 (half away from zero, not to even, not float error); then 27 / 6 = 4.5.
    for (const [ratings, expected] of [
      [[5, 4, 4, 4], 4.3],
      [[5, 5], 4.5],
    ] as const) {
      for (const rating of ratings) {
        const { body } = await h.post(`/api/public/programs/${other.program.slug}/reviews`, { rating });
        await patch(`/api/merchant/reviews/${body.id}`, { status: 'approved' }, other.cookie);
      }
      assert.equal((await h.get(`/api/public/programs/${other.program.slug}/reviews`)).body.average, expected);
    }
  });

  it('pages with a cursor: every approved review once, in order, also within one timestamp', async () => {
    const other = await h.signUpMerchant('Paging Shop');
    for (let i = 0; i < 7; i++) {
      const { body } = await h.post(`/api/public/programs/${other.program.slug}/reviews`, { rating: 5, text: `review ${i}` });
      await patch(`/api/merchant/reviews/${body.id}`, { status: 'approved' }, other.cookie);
    }
    // Two reviews at the very same microsecond must not fall between pages.
    await h.db.query(
      `UPDATE reviews SET created_at = '2024-05-01T10:00:00.123456Z' WHERE merchant_id = $1 AND text IN ('review 2', 'review 3')`,
      [other.id],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await h.get(`/api/public/programs/${other.program.slug}/reviews${q}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.reviews.length <= 2);
      assert.equal(res.body.count, 7);
      seen.push(...res.body.reviews.map((r: any) => r.text));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 4);
    // Newest first; the two older ones last, in either order (the id breaks the tie), split across pages 3 and 4.
    assert.deepEqual(seen.slice(0, 5), ['review 6', 'review 5', 'review 4', 'review 1', 'review 0']);
    assert.deepEqual(seen.slice(5).sort(), ['review 2', 'review 3']);
  });
});

describe('merchant moderation: GET and PATCH /api/merchant/reviews', () => {
  let shop: Merchant;
  let card: string;
  before(async () => {
    shop = await h.signUpMerchant('Moderation Shop');
    card = (await h.join(shop, { name: 'Carla Customer' })).serial;
  });

  it('lists every review newest first, with the name on the card; filters by status; PATCH answers the review', async () => {
    const slug = shop.program.slug;
    const a = (await h.post(`/api/public/programs/${slug}/reviews`, { rating: 5, text: 'Great', name: 'C.', cardSerial: card })).body.id;
    const b = (await h.post(`/api/public/programs/${slug}/reviews`, { rating: 2, text: 'Meh' })).body.id;

    const all = await h.get('/api/merchant/reviews', { cookie: shop.cookie });
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.equal(all.body.nextCursor, null);
    assert.deepEqual(
      all.body.reviews.map((r: any) => [r.id, r.rating, r.text, r.name, r.status, r.customerName]),
      [
        [b, 2, 'Meh', null, 'pending', null],
        [a, 5, 'Great', 'C.', 'pending', 'Carla Customer'],
      ],
    );
    assert.ok(!Number.isNaN(Date.parse(all.body.reviews[0].createdAt)));

    const approved = await h.call('PATCH', `/api/merchant/reviews/${a}`, { body: { status: 'approved' }, cookie: shop.cookie });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.review.id, a);
    assert.equal(approved.body.review.status, 'approved');
    assert.equal(approved.body.review.customerName, 'Carla Customer');
    assert.ok(!Number.isNaN(Date.parse(approved.body.review.moderatedAt)));
    assert.equal((await reviewRow(a))!.status, 'approved');

    const pending = await h.get('/api/merchant/reviews?status=pending', { cookie: shop.cookie });
    assert.deepEqual(
      pending.body.reviews.map((r: any) => r.id),
      [b],
    );
    const onlyApproved = await h.get('/api/merchant/reviews?status=approved', { cookie: shop.cookie });
    assert.deepEqual(
      onlyApproved.body.reviews.map((r: any) => r.id),
      [a],
    );
    assert.deepEqual((await h.get('/api/merchant/reviews?status=rejected', { cookie: shop.cookie })).body.reviews, []);
  });

  it('pages with a cursor', async () => {
    const other = await h.signUpMerchant('Moderation Paging');
    for (let i = 0; i < 5; i++) await h.post(`/api/public/programs/${other.program.slug}/reviews`, { rating: 3, text: `r${i}` });
    const first = await h.get('/api/merchant/reviews?limit=3', { cookie: other.cookie });
    assert.equal(first.body.reviews.length, 3);
    assert.equal(typeof first.body.nextCursor, 'string');
    const second = await h.get(`/api/merchant/reviews?limit=3&cursor=${first.body.nextCursor}`, { cookie: other.cookie });
    assert.equal(second.body.reviews.length, 2);
    assert.equal(second.body.nextCursor, null);
    const texts = [...first.body.reviews, ...second.body.reviews].map((r: any) => r.text);
    assert.deepEqual(texts, ['r4', 'r3', 'r2', 'r1', 'r0']);
  });

  it('a POS API key may read the reviews', async () => {
    const key = (await h.post('/api/merchant/api-keys', { name: 'till' }, { cookie: shop.cookie })).body.key;
    const res = await h.get('/api/merchant/reviews', { headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200);
    assert.ok(res.body.reviews.length >= 2);
  });
});

describe('POST /api/public/programs/:slug/surveys', () => {
  let shop: Merchant;
  let card: string;
  before(async () => {
    shop = await h.signUpMerchant('Survey Shop');
    card = (await h.join(shop)).serial;
  });

  const cases: [string, number][] = [
    ['nps', 0],
    ['nps', 10],
    ['csat', 1],
    ['csat', 5],
    ['ces', 1],
    ['ces', 5],
  ];
  for (const [kind, score] of cases) {
    it(`${kind} ${score} → 201 { id }, stored`, async () => {
      const res = await h.post(`/api/public/programs/${shop.program.slug}/surveys`, {
        kind,
        score,
        comment: ' Quick service ',
        cardSerial: card,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body), ['id']);
      const { rows } = await h.db.query(
        `SELECT s.merchant_id, s.kind, s.score, s.comment, c.serial FROM survey_answers s LEFT JOIN cards c ON c.id = s.card_id WHERE s.id = $1`,
        [res.body.id],
      );
      assert.deepEqual(rows, [{ merchant_id: shop.id, kind, score, comment: 'Quick service', serial: card }]);
    });
  }

  it('without comment or card', async () => {
    const res = await h.post(`/api/public/programs/${shop.program.slug}/surveys`, { kind: 'nps', score: 7 });
    assert.equal(res.status, 201);
    const { rows } = await h.db.query('SELECT comment, card_id FROM survey_answers WHERE id = $1', [res.body.id]);
    assert.deepEqual(rows, [{ comment: null, card_id: null }]);
  });
});

describe('preflight (OPTIONS) for the new paths', () => {
  let shop: Merchant;
  let card: string;
  const ORIGIN = 'https://preflight.example';
  before(async () => {
    shop = await h.signUpMerchant('Preflight Shop');
    await h.setProgram(shop, { allowedOrigins: [ORIGIN] });
    card = (await h.join(shop)).serial;
  });

  for (const path of [
    (s: string) => `/api/public/programs/${s}`,
    (s: string) => `/api/public/programs/${s}/reviews`,
    (s: string) => `/api/public/programs/${s}/surveys`,
    (_: string, c: string) => `/api/public/cards/${c}/qr.svg`,
    (_: string, c: string) => `/api/public/cards/${c}/referral`,
  ]) {
    it(`OPTIONS ${path(':slug', ':serial')} from an allowed origin → 204 with CORS headers`, async () => {
      const res = await h.call('OPTIONS', path(shop.program.slug, card), {
        origin: ORIGIN,
        headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
      assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
      assert.match(res.headers.get('access-control-allow-headers') ?? '', /content-type/i);
    });
  }
});
