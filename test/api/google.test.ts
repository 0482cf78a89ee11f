// The "Add to Google Wallet" link and the pass images: the JWT verified with the service
// account's public key (claims, and the class and object against Google's documented fields),
// by reference after a REST insert when a service account is set (against the local stand-in),
// in full with the development key when none is; unknown serials, other merchants' images.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { SAVE_URL } from '../../passes/google/jwt.ts';
import { OutboxWorker } from '../../server/outbox/worker.ts';
import { GoogleChannel } from '../../server/wallets/google/channel.ts';
import { until } from '../support/child.ts';
import { TEST_DB } from '../support/db.ts';
import { type FakeGoogle, makeServiceAccount, objectProblems, startFakeGoogle, TEST_ISSUER_ID } from '../support/fake-google.ts';
import { Harness, type Merchant, PUBLIC_URL } from '../support/harness.ts';

/** A balance label of ours: in the member's language, with the other one in `translatedValues`. */
const label = (language: 'en' | 'fr', value: string, translation: string) => ({
  label: value,
  localizedLabel: {
    defaultValue: { language, value },
    translatedValues: [{ language: language === 'en' ? 'fr' : 'en', value: translation }],
  },
});

const GOOGLE_ID = /^\d+\.[A-Za-z0-9._-]+$/;

/** The JWT of a save link, verified with `key`: its header and claims. */
async function verifyLink(location: string, key: Parameters<typeof jwtVerify>[1]) {
  assert.ok(location.startsWith(SAVE_URL), location);
  const jwt = location.slice(SAVE_URL.length);
  assert.match(jwt, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'three base64url segments');
  const { payload } = await jwtVerify(jwt, key, { algorithms: ['RS256'], audience: 'google' });
  return { jwt, header: decodeProtectedHeader(jwt), claims: payload as any };
}

function checkClaims(claims: any, iss: string) {
  assert.equal(claims.iss, iss);
  assert.equal(claims.aud, 'google');
  assert.equal(claims.typ, 'savetowallet');
  assert.ok(Number.isInteger(claims.iat) && Math.abs(claims.iat - Date.now() / 1000) < 300, `iat ${claims.iat}`);
  assert.ok(Array.isArray(claims.origins));
  for (const o of claims.origins) assert.match(o, /^https?:\/\/[^/]+$/);
}

describe(`Google Wallet save link, development key (${TEST_DB})`, () => {
  let h: Harness;
  let m: Merchant;

  before(async () => {
    h = await Harness.start();
    m = await h.signUpMerchant('Café Lune');
  });
  after(() => h?.close());

  test('GET /passes/google/:serial → 302 to the save page; the JWT carries the class and the object in full', async () => {
    await h.setProgram(m, { allowedOrigins: ['https://cafe-lune.example'] });
    const card = await h.join(m, { name: 'Inès Durand', locale: 'fr' });
    await h.post(`/api/merchant/cards/${card.serial}/stamps`, { count: 2 }, { cookie: m.cookie });
    const res = await h.get(`/passes/google/${card.serial}`);
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const account = JSON.parse(readFileSync(join(h.config.dataDir, 'google', 'service-account.json'), 'utf8'));
    const key = createPublicKey(account.private_key);
    const { header, claims } = await verifyLink(res.headers.get('location')!, key);
    assert.equal(header.alg, 'RS256');
    assert.equal(header.typ, 'JWT');
    checkClaims(claims, account.client_email);
    assert.deepEqual(claims.origins, [PUBLIC_URL, 'https://cafe-lune.example']);
    assert.deepEqual(Object.keys(claims.payload).sort(), ['loyaltyClasses', 'loyaltyObjects']);

    const [cls] = claims.payload.loyaltyClasses;
    const [obj] = claims.payload.loyaltyObjects;
    assert.deepEqual(objectProblems(cls), []);
    assert.deepEqual(objectProblems(obj), []);
    assert.equal(cls.id, `${h.config.google.issuerId}.${m.id}`);
    assert.equal(cls.issuerName, 'Café Lune');
    assert.equal(cls.programName, m.program.name);
    assert.equal(cls.reviewStatus, 'UNDER_REVIEW');
    assert.equal(cls.hexBackgroundColor, m.program.design.backgroundColor.toLowerCase());
    assert.match(cls.programLogo.sourceUri.uri, new RegExp(`^${PUBLIC_URL}/passes/google/images/${m.id}/[0-9a-f]{12}-logo\\.png$`));

    assert.equal(obj.id, `${h.config.google.issuerId}.${card.serial}`);
    assert.equal(obj.classId, cls.id);
    assert.equal(obj.state, 'ACTIVE');
    assert.equal(obj.accountName, 'Inès Durand');
    // The welcome stamp (if any) and two more, in the member's language.
    const stamps = (await h.get(`/api/public/cards/${card.serial}`)).body.card.stamps;
    assert.deepEqual(obj.loyaltyPoints, { ...label('fr', 'Tampons', 'Stamps'), balance: { string: `${stamps}/10` } });
    assert.deepEqual(obj.secondaryLoyaltyPoints, { ...label('fr', 'Cadeaux', 'Rewards'), balance: { int: 0 } });
    assert.deepEqual(obj.barcode, { type: 'QR_CODE', value: card.serial, alternateText: card.serial });
    assert.match(obj.heroImage.sourceUri.uri, new RegExp(`/passes/google/images/${m.id}/[0-9a-f]{12}-s${stamps}of10r0\\.png$`));
    assert.equal(
      obj.textModulesData.find((t: any) => t.id === 'progress').body,
      `Encore ${10 - stamps} tampons pour : ${m.program.reward.name}`,
    );
    assert.ok(obj.textModulesData.some((t: any) => t.id === 'terms'));
    // Nothing secret in it: not the Apple pass's token.
    const row = await h.db.query<{ auth_token: string }>('SELECT auth_token FROM cards WHERE serial = $1', [card.serial]);
    assert.ok(!JSON.stringify(claims).includes(row.rows[0]!.auth_token));
    // Nothing is sent to Google without a service account, so the card is not marked for updates.
    assert.equal(await h.count('SELECT count(*)::int AS n FROM google_objects'), 0);
  });

  test('the hero image URL is served: a PNG of the stamp grid, cached for good; other names and designs are 404', async () => {
    const card = await h.join(m);
    const res = await h.get(`/passes/google/${card.serial}`);
    const jwt = res.headers.get('location')!.slice(SAVE_URL.length);
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
    const hero = new URL(claims.payload.loyaltyObjects[0].heroImage.sourceUri.uri);
    const img = await h.app.request(hero.pathname);
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/png');
    assert.equal(img.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const png = Buffer.from(await img.arrayBuffer());
    assert.equal(png.readUInt32BE(16), 1125, 'the 3x strip: 1125 px wide');
    const logo = new URL(claims.payload.loyaltyClasses[0].programLogo.sourceUri.uri);
    assert.equal((await h.app.request(logo.pathname)).status, 200);

    const other = await h.signUpMerchant();
    const key = /\/([0-9a-f]{12})-/.exec(hero.pathname)![1];
    for (const path of [
      hero.pathname.replace(m.id, other.id).replace(key!, 'ffffffffffff'),
      hero.pathname.replace(/s\d+of10r0/, 's11of10r0'),
      hero.pathname.replace(/s\d+of10r0/, 'p7'),
      hero.pathname.replace(/s\d+of10r0/, 'strip'),
      `/passes/google/images/not-a-merchant/${key}-plain.png`,
    ]) {
      const r = await h.get(path);
      assert.equal(r.status, 404, path);
      assert.equal(r.body.code, 'not_found');
    }
    // A new design is a new URL: the old one is gone.
    await h.setProgram(m, { design: { ...m.program.design, backgroundColor: '#123456' } });
    assert.equal((await h.get(hero.pathname)).status, 404);
  });

  test('an unknown serial, or junk, is 404 not_found', async () => {
    for (const serial of ['aaaaaaaaaaaaaaaaaaaaaaaaaa', 'nope', '..%2F..%2Fetc']) {
      const res = await h.get(`/passes/google/${serial}`);
      assert.equal(res.status, 404, serial);
      assert.equal(res.body.code, 'not_found');
    }
  });
});

describe(`Google Wallet save link with a service account, against a local Google (${TEST_DB})`, () => {
  const account = makeServiceAccount();
  let google: FakeGoogle;
  let h: Harness;
  let m: Merchant;

  before(async () => {
    google = await startFakeGoogle(account);
    h = await Harness.start({
      GOOGLE_ISSUER_ID: TEST_ISSUER_ID,
      // As an environment variable often carries it: the key's newlines as `\n`.
      GOOGLE_SERVICE_ACCOUNT: account.text,
      GOOGLE_WALLET_API: google.api,
      GOOGLE_TOKEN_URL: google.tokenUrl,
    });
    m = await h.signUpMerchant('Boulangerie Victor');
  });
  after(async () => {
    await h?.close();
    await google?.close();
  });

  test('the class and the object are inserted first; the JWT names them only (short), signed by the service account', async () => {
    const card = await h.join(m, { name: 'Victor Hugo' });
    const res = await h.get(`/passes/google/${card.serial}`);
    assert.equal(res.status, 302);
    const { jwt, header, claims } = await verifyLink(res.headers.get('location')!, account.publicKey);
    assert.equal(header.kid, 'test-key-1');
    checkClaims(claims, account.email);
    assert.ok(jwt.length <= 1800, `${jwt.length} characters: browsers cut longer links`);
    const id = `${TEST_ISSUER_ID}.${card.serial}`;
    assert.deepEqual(claims.payload, { loyaltyObjects: [{ id, classId: `${TEST_ISSUER_ID}.${m.id}` }] });
    for (const i of [id, claims.payload.loyaltyObjects[0].classId]) assert.match(i, GOOGLE_ID);

    assert.deepEqual(
      google.requests.map((r) => `${r.method} ${r.path} ${r.status}`),
      ['POST /loyaltyClass 200', 'POST /loyaltyObject 200'],
    );
    const token = google.tokenRequests[0]!;
    assert.equal(token.claims.aud, google.tokenUrl);
    assert.equal(token.claims.scope, 'https://www.googleapis.com/auth/wallet_object.issuer');
    assert.equal(token.claims.iss, account.email);
    const stored = google.objects.get(id);
    assert.deepEqual(objectProblems(stored), []);
    assert.equal(stored.accountName, 'Victor Hugo');
    assert.deepEqual(objectProblems(google.classes.get(stored.classId)), []);
    assert.equal(await h.count('SELECT count(*)::int AS n FROM google_objects WHERE sent IS NOT NULL'), 1);

    // Again: nothing to insert, the same kind of link; one token for both visits.
    const again = await h.get(`/passes/google/${card.serial}`);
    assert.equal(again.status, 302);
    assert.equal(google.requests.length, 2);
    assert.equal(google.tokenRequests.length, 1);

    // A second card of the program: its class is known, so only the object is inserted.
    const second = await h.join(m);
    assert.equal((await h.get(`/passes/google/${second.serial}`)).status, 302);
    assert.deepEqual(
      google.requests.slice(2).map((r) => `${r.method} ${r.path}`),
      ['POST /loyaltyObject'],
    );
  });

  test('an object Google already has (409) is brought up to date with a PATCH', async () => {
    const card = await h.join(m);
    const id = `${TEST_ISSUER_ID}.${card.serial}`;
    google.objects.set(id, { id, classId: `${TEST_ISSUER_ID}.${m.id}`, state: 'ACTIVE', accountName: 'stale' });
    const before = google.requests.length;
    assert.equal((await h.get(`/passes/google/${card.serial}`)).status, 302);
    assert.deepEqual(
      google.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`),
      ['POST /loyaltyObject 409', `PATCH /loyaltyObject/${id} 200`],
    );
    assert.equal(google.objects.get(id).accountName, 'Alex Customer');
  });

  test('a class and an object Google already has (409) lose what the program no longer has: website, shops, a tier, another balance', async () => {
    const shop = await h.signUpMerchant('Salon Iris');
    const card = await h.join(shop);
    const id = `${TEST_ISSUER_ID}.${card.serial}`;
    const classId = `${TEST_ISSUER_ID}.${shop.id}`;
    // What an earlier program (tiers, with a website and a shop) left at Google.
    google.classes.set(classId, {
      id: classId,
      issuerName: 'stale',
      programName: 'stale',
      programLogo: { sourceUri: { uri: 'https://old.example/logo.png' } },
      reviewStatus: 'UNDER_REVIEW',
      hexBackgroundColor: '#000000',
      homepageUri: { uri: 'https://old.example/', description: 'Website' },
      merchantLocations: [{ latitude: 48.85, longitude: 2.35 }],
    });
    google.objects.set(id, {
      id,
      classId,
      state: 'ACTIVE',
      accountName: 'stale',
      loyaltyPoints: { label: 'Points', balance: { int: 120 } },
      secondaryLoyaltyPoints: { label: 'Tier', balance: { string: 'Gold' } },
    });
    const before = google.requests.length;
    assert.equal((await h.get(`/passes/google/${card.serial}`)).status, 302);
    assert.deepEqual(
      google.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`),
      ['POST /loyaltyClass 409', `PATCH /loyaltyClass/${classId} 200`, 'POST /loyaltyObject 409', `PATCH /loyaltyObject/${id} 200`],
    );
    const cls = google.classes.get(classId);
    assert.ok(!('homepageUri' in cls) && !('merchantLocations' in cls), JSON.stringify(cls));
    assert.equal(cls.issuerName, 'Salon Iris');
    const obj = google.objects.get(id);
    const stamps = (await h.get(`/api/public/cards/${card.serial}`)).body.card.stamps;
    assert.deepEqual(obj.loyaltyPoints, { ...label('en', 'Stamps', 'Tampons'), balance: { string: `${stamps}/10` } });
    assert.deepEqual(obj.secondaryLoyaltyPoints, { ...label('en', 'Rewards', 'Cadeaux'), balance: { int: 0 } });
    assert.deepEqual(objectProblems(cls), []);
    assert.deepEqual(objectProblems(obj), []);
  });

  test('Google down (500): the link carries the class and object, cut to fit a browser; the full object follows in a minute', async () => {
    const card = await h.join(m);
    google.plan('POST /loyaltyObject', { status: 500 });
    const res = await h.get(`/passes/google/${card.serial}`);
    assert.equal(res.status, 302);
    const { jwt, claims } = await verifyLink(res.headers.get('location')!, account.publicKey);
    assert.ok(jwt.length <= 1800, `${jwt.length} characters`);
    const [obj] = claims.payload.loyaltyObjects;
    const [cls] = claims.payload.loyaltyClasses;
    assert.equal(obj.id, `${TEST_ISSUER_ID}.${card.serial}`);
    assert.equal(obj.classId, cls.id);
    assert.equal(obj.state, 'ACTIVE');
    assert.deepEqual(obj.barcode, { type: 'QR_CODE', value: card.serial });
    assert.ok(obj.loyaltyPoints && cls.programLogo && cls.issuerName && cls.programName && cls.reviewStatus);
    assert.ok(h.logs.some((l) => l.includes('could not insert object')));
    const { rows } = await h.db.query<{ sent: unknown; due_in_ms: number }>(
      `SELECT g.sent, (extract(epoch FROM o.available_at - now()) * 1000)::int AS due_in_ms
         FROM google_objects g JOIN cards c ON c.id = g.card_id JOIN outbox o ON o.channel = 'google' AND o.target = c.serial
        WHERE c.serial = $1`,
      [card.serial],
    );
    assert.equal(rows.length, 1, 'marked, and an update queued');
    assert.equal(rows[0]!.sent, null, 'not known to be at Google');
    assert.ok(rows[0]!.due_in_ms > 50_000 && rows[0]!.due_in_ms <= 60_000, `due in ${rows[0]!.due_in_ms} ms`);
    await h.db.query(`DELETE FROM outbox WHERE channel = 'google'`);
  });

  test('Google down, every input at its longest (program schema, signup): the carried link still fits in 1,800 characters; the rest follows', async () => {
    // The most bytes per character ('€' is 3 in UTF-8), at each field's maximum length.
    const name = '€'.repeat(100);
    const shop = await h.signUpMerchant(name);
    const url = (length: number) => `https://cdn.example/${'a'.repeat(length - 'https://cdn.example/'.length)}`;
    const host = (i: number) => Array.from({ length: 15 }, (_, j) => `${String.fromCharCode(97 + ((i + j) % 26))}`.repeat(63)).join('.');
    await h.setProgram(shop, {
      name,
      stampsRequired: 50,
      reward: { name, costMinor: 100 },
      referral: { referrerReward: 1_000_000, refereeReward: 1_000_000 },
      design: { ...shop.program.design, logoUrl: url(2000) },
      allowedOrigins: Array.from({ length: 20 }, (_, i) => `https://${host(i)}`),
      googleReviewUrl: url(2000),
      websiteUrl: url(2000),
      address: '€'.repeat(300),
      terms: '€'.repeat(2000),
      locations: Array.from({ length: 10 }, (_, i) => ({
        name: '€'.repeat(100),
        address: '€'.repeat(300),
        latitude: 48 + i / 10,
        longitude: 2,
        relevantText: '€'.repeat(100),
      })),
    });
    const card = await h.join(shop, { name });
    const id = `${TEST_ISSUER_ID}.${card.serial}`;
    const classId = `${TEST_ISSUER_ID}.${shop.id}`;
    google.plan('POST /loyaltyClass', { status: 500 });
    google.plan('POST /loyaltyObject', { status: 500 });
    const res = await h.get(`/passes/google/${card.serial}`);
    assert.equal(res.status, 302);
    const link = res.headers.get('location')!;
    assert.ok(link.length <= 1800, `${link.length} characters`);
    const { claims } = await verifyLink(link, account.publicKey);
    checkClaims(claims, account.email);
    assert.deepEqual(claims.origins, [new URL(PUBLIC_URL).origin], "the program's origins are left out first");
    // It still carries the class and the object, with what Google requires.
    const [cls] = claims.payload.loyaltyClasses;
    const [obj] = claims.payload.loyaltyObjects;
    assert.equal(cls.id, classId);
    assert.ok(cls.issuerName && cls.programName && cls.reviewStatus === 'UNDER_REVIEW');
    assert.ok([...cls.issuerName].length <= 20, cls.issuerName);
    assert.match(cls.programLogo.sourceUri.uri, /^https?:\/\//);
    for (const key of Object.keys(obj)) assert.ok(['accountName', 'barcode', 'classId', 'id', 'loyaltyPoints', 'state'].includes(key), key);
    assert.equal(obj.id, id);
    assert.deepEqual(obj.barcode, { type: 'QR_CODE', value: card.serial });

    // A minute later (made due now), the queued updates bring the class and object in full.
    const due = await h.db.query<{ target: string }>(
      `UPDATE outbox SET available_at = now() WHERE channel = 'google' AND target IN ($1, $2) RETURNING target`,
      [card.serial, `class:${shop.id}`],
    );
    assert.equal(due.rows.length, 2, 'an update of the object and one of the class are queued');
    const worker = new OutboxWorker(h.db, new GoogleChannel(h.db, h.google!, h.google!.api!), { pollMs: 50, log: () => {} });
    worker.start();
    try {
      await until(async () => (await h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'google'`)) === 0, 5000, 'the updates');
      await worker.idle();
    } finally {
      await worker.stop();
    }
    assert.equal(google.classes.get(classId).issuerName, name);
    assert.equal(google.classes.get(classId).programLogo.sourceUri.uri, url(2000));
    assert.equal(google.objects.get(id).accountName, name);
    assert.deepEqual(objectProblems(google.classes.get(classId)), []);
    assert.deepEqual(objectProblems(google.objects.get(id)), []);

    // Google up: the link names the object, and fits too (the 20 long origins left out).
    const second = await h.join(shop, { name });
    const named = (await h.get(`/passes/google/${second.serial}`)).headers.get('location')!;
    assert.ok(named.length <= 1800, `${named.length} characters`);
    const { claims: refClaims } = await verifyLink(named, account.publicKey);
    assert.deepEqual(refClaims.payload, { loyaltyObjects: [{ id: `${TEST_ISSUER_ID}.${second.serial}`, classId }] });
  });

  test('an unknown serial is 404, and nothing is sent to Google', async () => {
    const before = google.requests.length;
    const res = await h.get('/passes/google/aaaaaaaaaaaaaaaaaaaaaaaaaa');
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not_found');
    assert.equal(google.requests.length, before);
  });
});

describe('Google Wallet in production without a service account', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ NODE_ENV: 'production', PUBLIC_URL: 'https://loyalty.example' });
  });
  after(() => h?.close());

  test('is off: the save link answers 503 unavailable', async () => {
    assert.equal(h.google, null);
    const m = await h.signUpMerchant();
    const card = await h.join(m);
    const res = await h.get(`/passes/google/${card.serial}`);
    assert.equal(res.status, 503);
    assert.equal(res.body.code, 'unavailable');
  });
});
