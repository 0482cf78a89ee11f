// Hostile and malformed input: every refusal is a 4xx problem+json with a stable `code`,
// validation answers name the failing fields, and nothing ever comes back as a 500.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem, type ProblemCase, problemTable } from '../support/problem.ts';

let h: Harness;
let m: Merchant;
let serial: string;

before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Errors Café');
  serial = (await h.join(m)).serial;
});
after(() => h.close());

const JSON_HEADERS = { 'content-type': 'application/json' };
const STAMPS = '/api/merchant/cards/{serial}/stamps';
const PURCHASES = '/api/merchant/cards/{serial}/purchases';
const REDEMPTIONS = '/api/merchant/cards/{serial}/redemptions';
const SIGNUP = '/api/public/programs/{slug}/signup';
const CUSTOMER = { name: 'Eve', email: 'eve@example.com', consent: { terms: true, marketing: false } };
const b64 = (s: string) => Buffer.from(s).toString('base64url');
const UUID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

const table = (title: string, cases: ProblemCase[]) => problemTable(title, () => ({ h, m, serial }), cases);

table('bodies that are not a JSON object', [
  {
    name: 'malformed JSON',
    path: STAMPS,
    cookie: true,
    raw: '{"count":',
    headers: JSON_HEADERS,
    status: 400,
    code: 'validation_failed',
    paths: ['(body)'],
  },
  {
    name: 'JSON with trailing garbage',
    path: STAMPS,
    cookie: true,
    raw: '{"count":1} x',
    headers: JSON_HEADERS,
    status: 400,
    code: 'validation_failed',
    paths: ['(body)'],
  },
  {
    name: 'single quotes',
    path: SIGNUP,
    raw: "{'name':'Eve'}",
    headers: JSON_HEADERS,
    status: 400,
    code: 'validation_failed',
    paths: ['(body)'],
  },
  {
    name: 'a JSON array',
    path: STAMPS,
    cookie: true,
    raw: '[{"count":1}]',
    headers: JSON_HEADERS,
    status: 400,
    code: 'validation_failed',
    paths: ['(body)'],
  },
  {
    name: 'JSON null',
    path: STAMPS,
    cookie: true,
    raw: 'null',
    headers: JSON_HEADERS,
    status: 400,
    code: 'validation_failed',
    paths: ['(body)'],
  },
  {
    name: 'a JSON number',
    path: STAMPS,
    cookie: true,
    raw: '42',
    headers: JSON_HEADERS,
    status: 400,
    code: 'validation_failed',
    paths: ['(body)'],
  },
  {
    name: 'a JSON string',
    path: PURCHASES,
    cookie: true,
    raw: '"1000"',
    headers: JSON_HEADERS,
    status: 400,
    code: 'validation_failed',
    paths: ['(body)'],
  },
  {
    name: 'JSON true',
    path: '/api/merchant/login',
    raw: 'true',
    headers: JSON_HEADERS,
    status: 400,
    code: 'validation_failed',
    paths: ['(body)'],
  },
  {
    name: 'a JSON array on public signup',
    path: SIGNUP,
    raw: '[]',
    headers: JSON_HEADERS,
    status: 400,
    code: 'validation_failed',
    paths: ['(body)'],
  },
]);

table('wrong types', [
  {
    name: 'count as a string "3"',
    path: STAMPS,
    cookie: true,
    body: { count: '3' },
    status: 400,
    code: 'validation_failed',
    paths: ['count'],
  },
  {
    name: 'count as a boolean',
    path: STAMPS,
    cookie: true,
    body: { count: true },
    status: 400,
    code: 'validation_failed',
    paths: ['count'],
  },
  { name: 'count null', path: STAMPS, cookie: true, body: { count: null }, status: 400, code: 'validation_failed', paths: ['count'] },
  { name: 'count as an array', path: STAMPS, cookie: true, body: { count: [1] }, status: 400, code: 'validation_failed', paths: ['count'] },
  {
    name: 'purchaseAmount as a string',
    path: STAMPS,
    cookie: true,
    body: { purchaseAmount: '1000' },
    status: 400,
    code: 'validation_failed',
    paths: ['purchaseAmount'],
  },
  {
    name: 'amount as a decimal string',
    path: PURCHASES,
    cookie: true,
    body: { amount: '12.50' },
    status: 400,
    code: 'validation_failed',
    paths: ['amount'],
  },
  {
    name: 'rewardId as a number',
    path: REDEMPTIONS,
    cookie: true,
    body: { rewardId: 42 },
    status: 400,
    code: 'validation_failed',
    paths: ['rewardId'],
  },
  {
    name: 'api key name as a number',
    path: '/api/merchant/api-keys',
    cookie: true,
    body: { name: 123 },
    status: 400,
    code: 'validation_failed',
    paths: ['name'],
  },
  {
    name: 'login email as a number',
    path: '/api/merchant/login',
    body: { email: 123, password: 'x' },
    status: 400,
    code: 'validation_failed',
    paths: ['email'],
  },
  {
    name: 'consent as a string',
    path: SIGNUP,
    body: { ...CUSTOMER, consent: 'yes' },
    status: 400,
    code: 'validation_failed',
    paths: ['consent'],
  },
  {
    name: 'terms as the string "true"',
    path: SIGNUP,
    body: { ...CUSTOMER, consent: { terms: 'true' } },
    status: 400,
    code: 'validation_failed',
    paths: ['consent.terms'],
  },
  {
    name: 'marketing as a string',
    path: SIGNUP,
    body: { ...CUSTOMER, consent: { terms: true, marketing: 'no' } },
    status: 400,
    code: 'validation_failed',
    paths: ['consent.marketing'],
  },
  {
    name: 'program type unknown',
    method: 'PUT',
    path: '/api/merchant/program',
    cookie: true,
    body: { type: 'lottery' },
    status: 400,
    code: 'validation_failed',
    paths: ['type'],
  },
]);

table('missing and invalid fields', [
  {
    name: 'merchant signup {}',
    path: '/api/merchant/signup',
    body: {},
    status: 400,
    code: 'validation_failed',
    paths: ['businessName', 'email', 'password'],
  },
  {
    name: 'merchant signup with a short password',
    path: '/api/merchant/signup',
    body: { businessName: 'X', email: 'x@example.com', password: 'short' },
    status: 400,
    code: 'validation_failed',
    paths: ['password'],
  },
  {
    name: 'merchant signup with a bad email',
    path: '/api/merchant/signup',
    body: { businessName: 'X', email: 'not-an-email', password: 'long enough password' },
    status: 400,
    code: 'validation_failed',
    paths: ['email'],
  },
  { name: 'login {}', path: '/api/merchant/login', body: {}, status: 400, code: 'validation_failed', paths: ['email', 'password'] },
  { name: 'api key {}', path: '/api/merchant/api-keys', cookie: true, body: {}, status: 400, code: 'validation_failed', paths: ['name'] },
  {
    name: 'api key with a blank name',
    path: '/api/merchant/api-keys',
    cookie: true,
    body: { name: '   ' },
    status: 400,
    code: 'validation_failed',
    paths: ['name'],
  },
  { name: 'purchase {}', path: PURCHASES, cookie: true, body: {}, status: 400, code: 'validation_failed', paths: ['amount'] },
  {
    name: 'program PUT {}',
    method: 'PUT',
    path: '/api/merchant/program',
    cookie: true,
    body: {},
    status: 400,
    code: 'validation_failed',
    paths: ['name', 'type', 'currency'],
  },
  { name: 'public signup {}', path: SIGNUP, body: {}, status: 400, code: 'validation_failed', paths: ['name', 'email', 'consent'] },
  {
    name: 'public signup without terms',
    path: SIGNUP,
    body: { ...CUSTOMER, consent: { marketing: true } },
    status: 400,
    code: 'validation_failed',
    paths: ['consent.terms'],
  },
  {
    name: 'public signup with terms false',
    path: SIGNUP,
    body: { ...CUSTOMER, consent: { terms: false } },
    status: 400,
    code: 'validation_failed',
    paths: ['consent.terms'],
  },
  {
    name: 'public signup with a bad email',
    path: SIGNUP,
    body: { ...CUSTOMER, email: 'eve@' },
    status: 400,
    code: 'validation_failed',
    paths: ['email'],
  },
  {
    name: 'public signup with a 101-character name',
    path: SIGNUP,
    body: { ...CUSTOMER, name: 'n'.repeat(101) },
    status: 400,
    code: 'validation_failed',
    paths: ['name'],
  },
  {
    name: 'public signup with a blank name',
    path: SIGNUP,
    body: { ...CUSTOMER, name: '  ' },
    status: 400,
    code: 'validation_failed',
    paths: ['name'],
  },
  {
    name: 'public signup with a phone of letters',
    path: SIGNUP,
    body: { ...CUSTOMER, phone: 'call me maybe' },
    status: 400,
    code: 'validation_failed',
    paths: ['phone'],
  },
  {
    name: 'public signup with a future birthday',
    path: SIGNUP,
    body: { ...CUSTOMER, birthday: '2999-01-01' },
    status: 400,
    code: 'validation_failed',
    paths: ['birthday'],
  },
  {
    name: 'public signup with February 30th',
    path: SIGNUP,
    body: { ...CUSTOMER, birthday: '1990-02-30' },
    status: 400,
    code: 'validation_failed',
    paths: ['birthday'],
  },
  {
    name: 'public signup with an unknown locale',
    path: SIGNUP,
    body: { ...CUSTOMER, locale: 'xx' },
    status: 400,
    code: 'validation_failed',
    paths: ['locale'],
  },
  {
    name: 'public signup with a 33-character referral code',
    path: SIGNUP,
    body: { ...CUSTOMER, referralCode: 'r'.repeat(33) },
    status: 400,
    code: 'validation_failed',
    paths: ['referralCode'],
  },
  {
    name: 'a 65-character serial',
    path: '/api/merchant/cards/' + 'a'.repeat(65) + '/stamps',
    cookie: true,
    body: {},
    status: 400,
    code: 'validation_failed',
    paths: ['serial'],
  },
]);

table('stamp count out of range', [
  ...[0, 51, 1.5, '3', -1, 1e9].map((count) => ({
    name: `count ${JSON.stringify(count)}`,
    path: STAMPS,
    cookie: true,
    body: { count },
    status: 400,
    code: 'validation_failed',
    paths: ['count'],
  })),
]);

table('negative, fractional and huge amounts', [
  ...[-1, 0.5, 1e11, 1e300, Number.MAX_SAFE_INTEGER + 2].map((purchaseAmount) => ({
    name: `stamps purchaseAmount ${purchaseAmount}`,
    path: STAMPS,
    cookie: true,
    body: { purchaseAmount },
    status: 400,
    code: 'validation_failed',
    paths: ['purchaseAmount'],
  })),
  ...[0, -100, 1.5, 1e11, 1e300].map((amount) => ({
    name: `purchase amount ${amount}`,
    path: PURCHASES,
    cookie: true,
    body: { amount },
    status: 400,
    code: 'validation_failed',
    paths: ['amount'],
  })),
  ...[-1, 2.5, 1e11].map((amount) => ({
    name: `redemption amount ${amount}`,
    path: REDEMPTIONS,
    cookie: true,
    body: { amount },
    status: 400,
    code: 'validation_failed',
    paths: ['amount'],
  })),
  {
    name: 'an empty rewardId',
    path: REDEMPTIONS,
    cookie: true,
    body: { rewardId: '' },
    status: 400,
    code: 'validation_failed',
    paths: ['rewardId'],
  },
  {
    name: 'a 41-character rewardId',
    path: REDEMPTIONS,
    cookie: true,
    body: { rewardId: 'r'.repeat(41) },
    status: 400,
    code: 'validation_failed',
    paths: ['rewardId'],
  },
]);

table('bad Idempotency-Key headers', [
  ...[
    ['256 characters', 'k'.repeat(256)],
    ['with a space', 'order 42'],
    ['with a tab', 'order\t42'],
    ['empty', ''],
    ['non-ASCII', 'commande-\u00e9t\u00e9'],
  ].map(([name, key]) => ({
    name: `a key ${name}`,
    path: STAMPS,
    cookie: true,
    body: {},
    headers: { 'idempotency-key': key! },
    status: 400,
    code: 'validation_failed',
    paths: ['idempotency-key'],
  })),
]);

table('bodies that are not JSON', [
  {
    name: 'text/plain with a JSON body',
    path: STAMPS,
    cookie: true,
    raw: '{"count":1}',
    headers: { 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported_media_type',
  },
  { name: 'a body without Content-Type', path: STAMPS, cookie: true, raw: '{"count":1}', status: 415, code: 'unsupported_media_type' },
  {
    name: 'a form body',
    path: STAMPS,
    cookie: true,
    raw: 'count=1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'application/jsonp',
    path: STAMPS,
    cookie: true,
    raw: '{"count":1}',
    headers: { 'content-type': 'application/jsonp' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'text/plain on public signup (no preflight needed)',
    path: SIGNUP,
    raw: JSON.stringify(CUSTOMER),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'text/plain on login',
    path: '/api/merchant/login',
    raw: '{"email":"a@b.co","password":"x"}',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    status: 415,
    code: 'unsupported_media_type',
  },
]);

const MB = JSON.stringify({ name: 'x'.repeat(1024 * 1024) });
const OVER_64K = JSON.stringify({ ...CUSTOMER, name: 'x'.repeat(64 * 1024) });

table('bodies over 64 KB', [
  { name: '1 MB of JSON', path: STAMPS, cookie: true, raw: MB, headers: JSON_HEADERS, status: 413, code: 'payload_too_large' },
  {
    name: '1 MB of JSON with Content-Length',
    path: STAMPS,
    cookie: true,
    raw: MB,
    headers: { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(MB)) },
    status: 413,
    code: 'payload_too_large',
  },
  { name: '1 MB of text', path: SIGNUP, raw: MB, headers: { 'content-type': 'text/plain' }, status: 413, code: 'payload_too_large' },
  { name: 'just over 64 KB on public signup', path: SIGNUP, raw: OVER_64K, headers: JSON_HEADERS, status: 413, code: 'payload_too_large' },
  {
    name: 'just over 64 KB with Content-Length',
    path: SIGNUP,
    raw: OVER_64K,
    headers: { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(OVER_64K)) },
    status: 413,
    code: 'payload_too_large',
  },
]);

describe('bodies over 64 KB, streamed without Content-Length', () => {
  it('1 MB in chunks → 413 payload_too_large', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (sent >= 64) return ctl.close();
        sent++;
        ctl.enqueue(chunk);
      },
    });
    const req = new Request(`http://fidelio.test/api/public/programs/${m.program.slug}/signup`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(req.headers.get('content-length'), null);
    const res = await h.app.request(req);
    const text = await res.text();
    assertProblem({ status: res.status, headers: res.headers, body: JSON.parse(text), text }, 413, 'payload_too_large');
    assert.ok(sent < 64, `the server stopped reading early (read ${sent} of 64 chunks)`);
  });
});

table('unknown routes', [
  { name: 'GET /api/nope', method: 'GET', path: '/api/nope', status: 404, code: 'not_found' },
  { name: 'GET /nope', method: 'GET', path: '/nope', status: 404, code: 'not_found' },
  { name: 'POST /api/public/nope', path: '/api/public/nope', body: {}, status: 404, code: 'not_found' },
  { name: 'GET /api/merchant/nope (signed in)', method: 'GET', path: '/api/merchant/nope', cookie: true, status: 404, code: 'not_found' },
  {
    name: 'DELETE /api/merchant/program (signed in)',
    method: 'DELETE',
    path: '/api/merchant/program',
    cookie: true,
    status: 404,
    code: 'not_found',
  },
  { name: 'PUT on the stamps route', method: 'PUT', path: STAMPS, cookie: true, body: {}, status: 404, code: 'not_found' },
  { name: 'a public card that is not a serial', method: 'GET', path: '/api/public/cards/not-a-serial', status: 404, code: 'not_found' },
  {
    name: 'a public card with an unknown serial',
    method: 'GET',
    path: '/api/public/cards/' + 'a'.repeat(26),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'signup in a program that does not exist',
    path: '/api/public/programs/no-such-program/signup',
    body: CUSTOMER,
    status: 404,
    code: 'not_found',
  },
  {
    name: 'stamps on a card that does not exist',
    path: '/api/merchant/cards/' + 'b'.repeat(26) + '/stamps',
    cookie: true,
    body: {},
    status: 404,
    code: 'not_found',
  },
]);

table('bad customer-list cursors and limits', [
  ...[
    ['not base64', '%%%'],
    ['base64 of nothing useful', 'abc'],
    ['no separator', b64('2024-01-01T00:00:00.000Z')],
    ['not a date', b64(`yesterday|${UUID}`)],
    ['not a UUID', b64('2024-01-01T00:00:00.000Z|not-a-uuid')],
    ['36 dashes as the id', b64(`2024-01-01T00:00:00.000Z|${'-'.repeat(36)}`)],
    ['36 hex digits, no dashes', b64(`2024-01-01T00:00:00.000Z|${'a'.repeat(36)}`)],
    ['a year before Postgres', b64(`-100000-01-01T00:00:00.000Z|${UUID}`)],
    ['year 0', b64(`0000-01-01T00:00:00.000Z|${UUID}`)],
    ['a year after Postgres', b64(`+275760-01-01T00:00:00.000Z|${UUID}`)],
    ['201 characters', 'c'.repeat(201)],
  ].map(([name, cursor]) => ({
    name: `cursor: ${name}`,
    method: 'GET',
    path: `/api/merchant/customers?cursor=${cursor}`,
    cookie: true,
    status: 400,
    code: 'validation_failed',
    paths: ['cursor'],
  })),
  ...['0', '201', '1.5', 'abc', '-1'].map((limit) => ({
    name: `limit=${limit}`,
    method: 'GET',
    path: `/api/merchant/customers?limit=${limit}`,
    cookie: true,
    status: 400,
    code: 'validation_failed',
    paths: ['limit'],
  })),
  {
    name: 'a 101-character search',
    method: 'GET',
    path: `/api/merchant/customers?q=${'q'.repeat(101)}`,
    cookie: true,
    status: 400,
    code: 'validation_failed',
    paths: ['q'],
  },
]);

describe('after all these refusals', () => {
  it('nothing was written: no ledger entry, no customer, no API key', async () => {
    const { cached, fromLedger, entries } = await h.cacheAndLedger(serial);
    assert.equal(entries, 0);
    assert.deepEqual(cached, fromLedger);
    const customers = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1', [m.id]);
    assert.equal(customers.rows[0]!.n, 1);
    const keys = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE merchant_id = $1', [m.id]);
    assert.equal(keys.rows[0]!.n, 0);
  });
});

describe('what is accepted next to these refusals', () => {
  it('an empty body with Content-Type: application/json reads as {} (a bare stamp)', async () => {
    const res = await h.call('POST', `/api/merchant/cards/${serial}/stamps`, { raw: '', headers: JSON_HEADERS, cookie: m.cookie });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.card.serial, serial);
  });

  it('a body-less POST without Content-Type reads as {}', async () => {
    const before = (await h.cacheAndLedger(serial)).entries;
    const res = await h.post(`/api/merchant/cards/${serial}/stamps`, undefined, { cookie: m.cookie });
    assert.equal(res.status, 200);
    assert.equal((await h.cacheAndLedger(serial)).entries, before + 1);
  });

  it('JSON with a charset parameter and a +json media type are JSON', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
      const res = await h.call('POST', `/api/merchant/cards/${serial}/stamps`, {
        raw: '{"count":2}',
        headers: { 'content-type': type },
        cookie: m.cookie,
      });
      assert.equal(res.status, 200, `${type}: ${JSON.stringify(res.body)}`);
    }
  });

  it('the edges of the ranges: count 1 and 50, a 255-character key, limit 1 and 200', async () => {
    for (const count of [1, 50]) {
      assert.equal((await h.post(`/api/merchant/cards/${serial}/stamps`, { count }, { cookie: m.cookie })).status, 200);
    }
    const keyed = await h.post(
      `/api/merchant/cards/${serial}/stamps`,
      {},
      { cookie: m.cookie, headers: { 'idempotency-key': '~'.repeat(255) } },
    );
    assert.equal(keyed.status, 200);
    for (const limit of [1, 200]) {
      const res = await h.get(`/api/merchant/customers?limit=${limit}`, { cookie: m.cookie });
      assert.equal(res.status, 200);
      assert.equal(res.body.customers.length, 1);
    }
  });

  it('a cursor the server wrote is accepted', async () => {
    await h.join(m);
    const page1 = await h.get('/api/merchant/customers?limit=1', { cookie: m.cookie });
    assert.equal(page1.status, 200);
    assert.equal(typeof page1.body.nextCursor, 'string');
    const page2 = await h.get(`/api/merchant/customers?limit=1&cursor=${page1.body.nextCursor}`, { cookie: m.cookie });
    assert.equal(page2.status, 200);
    assert.equal(page2.body.customers.length, 1);
    assert.notEqual(page2.body.customers[0].id, page1.body.customers[0].id);
  });

  it('the card is still consistent (cache = ledger)', async () => {
    const { cached, fromLedger } = await h.cacheAndLedger(serial);
    assert.deepEqual(cached, fromLedger);
  });
});

describe('in the language of the request (Accept-Language)', () => {
  const stampsWith = (headers: Record<string, string>, body: unknown = { count: 0 }) =>
    h.post(`/api/merchant/cards/${serial}/stamps`, body, { cookie: m.cookie, headers });

  it('a French request gets a French detail, title and field message; the code, type and path stay', async () => {
    const fr = await stampsWith({ 'accept-language': 'fr' });
    assertProblem(fr, 400, 'validation_failed', ['count']);
    assert.equal(fr.body.type, 'urn:fidelio:problem:validation_failed');
    assert.equal(fr.body.title, 'Requête invalide');
    assert.equal(fr.body.detail, 'Des champs manquent ou ne sont pas valides.');
    assert.deepEqual(fr.body.errors, [{ path: 'count', message: 'Trop petit : nombre doit être >=1' }]);
    assert.match(fr.headers.get('vary') ?? '', /accept-language/i);
    const en = await stampsWith({ 'accept-language': 'en-GB' });
    assert.equal(en.body.detail, 'Some fields are missing or invalid.');
    assert.deepEqual(en.body.errors, [{ path: 'count', message: 'Too small: expected number to be >=1' }]);
    // No header, or only languages fidelio does not speak: English.
    for (const headers of [{}, { 'accept-language': 'de-DE, es;q=0.8' }] as Record<string, string>[]) {
      assert.equal((await stampsWith(headers)).body.errors[0].message, 'Too small: expected number to be >=1');
    }
  });

  it('weights count: the heaviest language fidelio speaks wins, q=0 refuses one', async () => {
    const cases: [string, 'fr' | 'en'][] = [
      ['en;q=0.4, fr;q=0.9', 'fr'],
      ['fr;q=0.1, en', 'en'],
      ['de-DE, fr-CA;q=0.5, en;q=0.3', 'fr'],
      ['fr;q=0, *', 'en'],
      ['en;q=0, *;q=0.5', 'fr'],
      ['fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7', 'fr'],
    ];
    for (const [header, language] of cases) {
      const res = await stampsWith({ 'accept-language': header });
      assert.equal(
        res.body.detail,
        language === 'fr' ? 'Des champs manquent ou ne sont pas valides.' : 'Some fields are missing or invalid.',
        header,
      );
    }
  });

  it('the program’s own checks come out in French ("tier thresholds must increase")', async () => {
    const tiers = [
      { name: 'Silver', threshold: 5000, multiplier: 1, perks: [] },
      { name: 'Gold', threshold: 1000, multiplier: 2, perks: [] },
    ];
    const put = (language: string) =>
      h.put(
        '/api/merchant/program',
        { ...m.program, type: 'tiers', tiers },
        { cookie: m.cookie, headers: { 'accept-language': language } },
      );
    const fr = await put('fr');
    assertProblem(fr, 400, 'validation_failed', ['tiers']);
    assert.deepEqual(
      fr.body.errors.find((e: { path: string }) => e.path === 'tiers'),
      { path: 'tiers', message: 'les seuils des niveaux doivent être croissants' },
    );
    const en = await put('en');
    assert.deepEqual(
      en.body.errors.find((e: { path: string }) => e.path === 'tiers'),
      { path: 'tiers', message: 'tier thresholds must increase' },
    );
    const colour = await h.put(
      '/api/merchant/program',
      { ...m.program, design: { ...m.program.design, backgroundColor: 'red' } },
      { cookie: m.cookie, headers: { 'accept-language': 'fr' } },
    );
    assert.deepEqual(colour.body.errors, [{ path: 'design.backgroundColor', message: 'doit être une couleur comme #1a2b3c' }]);
  });

  it('every route: a service’s refusal, an unknown address, malformed JSON, a public (widget) refusal', async () => {
    const fr = { 'accept-language': 'fr-FR,fr;q=0.9' };
    const card = await h.get('/api/public/cards/abcdefghijklmnopqrstuvwxyz', { headers: fr });
    assertProblem(card, 404, 'not_found');
    assert.equal(card.body.title, 'Introuvable');
    assert.equal(card.body.detail, 'Aucune carte avec ce numéro.');
    const nowhere = await h.get('/api/nowhere', { headers: fr });
    assertProblem(nowhere, 404, 'not_found');
    assert.equal(nowhere.body.detail, 'Rien à l’adresse GET /api/nowhere.');
    const malformed = await h.call('POST', `/api/merchant/cards/${serial}/stamps`, {
      raw: '{"count":',
      headers: { ...JSON_HEADERS, ...fr },
      cookie: m.cookie,
    });
    assertProblem(malformed, 400, 'validation_failed', ['(body)']);
    assert.equal(malformed.body.detail, 'Le contenu de la requête n’est pas du JSON valide');
    const signup = await h.post(`/api/public/programs/${m.program.slug}/signup`, { ...CUSTOMER, email: 'eve@' }, { headers: fr });
    assertProblem(signup, 400, 'validation_failed', ['email']);
    assert.equal(signup.body.errors[0].message, 'adresse e-mail invalide');
    const login = await h.post('/api/merchant/login', { email: 'nobody@example.com', password: 'wrong password' }, { headers: fr });
    assertProblem(login, 401, 'unauthorized');
    assert.equal(login.body.title, 'Non connecté');
    assert.equal(login.body.detail, 'E-mail ou mot de passe incorrect.');
  });

  it('requests in both languages at once each get their own', async () => {
    const languages = Array.from({ length: 24 }, (_, i) => (i % 2 ? 'fr' : 'en'));
    const answers = await Promise.all(languages.map((l) => stampsWith({ 'accept-language': l }, { count: 0, purchaseAmount: -1 })));
    answers.forEach((res, i) => {
      const french = languages[i] === 'fr';
      assert.equal(res.body.title, french ? 'Requête invalide' : 'Invalid request', `request ${i}`);
      for (const e of res.body.errors) assert.match(e.message, french ? /^Trop petit/ : /^Too small/, `request ${i}`);
    });
  });
});
