// Hostile and malformed input on the program, QR, referral, review and survey routes (and
// their moderation): every refusal is a 4xx problem+json with a stable `code` and the failing
// field, nothing is stored, and nothing ever comes back as a 500.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newSerial } from '../../server/services/tokens.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem, type ProblemCase, problemTable } from '../support/problem.ts';

let h: Harness;
let m: Merchant;
let serial: string;

before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Error Bistro');
  serial = (await h.join(m)).serial;
});
after(() => h.close());

const table = (title: string, cases: ProblemCase[]) => problemTable(title, () => ({ h, m, serial }), cases);

const REVIEWS = '/api/public/programs/{slug}/reviews';
const SURVEYS = '/api/public/programs/{slug}/surveys';
const UUID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const b64 = (s: string) => Buffer.from(s).toString('base64url');

table('review ratings', [
  ...[0, 6, 2.5, '5', -1, null, true, [5], 1e300].map((rating) => ({
    name: `rating ${JSON.stringify(rating)}`,
    path: REVIEWS,
    body: { rating, text: 'Fine' },
    status: 400,
    code: 'validation_failed',
    paths: ['rating'],
  })),
  { name: 'no rating', path: REVIEWS, body: { text: 'Fine' }, status: 400, code: 'validation_failed', paths: ['rating'] },
  { name: 'an empty body', path: REVIEWS, raw: '', status: 400, code: 'validation_failed', paths: ['rating'] },
]);

table('review text, name and card', [
  {
    name: '10 KB of text',
    path: REVIEWS,
    body: { rating: 5, text: 'x'.repeat(10 * 1024) },
    status: 400,
    code: 'validation_failed',
    paths: ['text'],
  },
  {
    name: '2,001 characters of text',
    path: REVIEWS,
    body: { rating: 5, text: 'y'.repeat(2001) },
    status: 400,
    code: 'validation_failed',
    paths: ['text'],
  },
  { name: 'text as a number', path: REVIEWS, body: { rating: 5, text: 42 }, status: 400, code: 'validation_failed', paths: ['text'] },
  {
    name: 'text as an object',
    path: REVIEWS,
    body: { rating: 5, text: { html: '<b>' } },
    status: 400,
    code: 'validation_failed',
    paths: ['text'],
  },
  {
    name: 'a NUL character in the text',
    path: REVIEWS,
    body: { rating: 5, text: 'before\u0000after' },
    status: 400,
    code: 'validation_failed',
    paths: ['text'],
  },
  {
    name: 'a 101-character name',
    path: REVIEWS,
    body: { rating: 5, name: 'n'.repeat(101) },
    status: 400,
    code: 'validation_failed',
    paths: ['name'],
  },
  {
    name: 'a NUL in the name',
    path: REVIEWS,
    body: { rating: 5, name: '\u0000' },
    status: 400,
    code: 'validation_failed',
    paths: ['name'],
  },
  {
    name: 'a 65-character cardSerial',
    path: REVIEWS,
    body: { rating: 5, cardSerial: 's'.repeat(65) },
    status: 400,
    code: 'validation_failed',
    paths: ['cardSerial'],
  },
  {
    name: 'cardSerial as a number',
    path: REVIEWS,
    body: { rating: 5, cardSerial: 7 },
    status: 400,
    code: 'validation_failed',
    paths: ['cardSerial'],
  },
  {
    name: 'a JSON array',
    path: REVIEWS,
    raw: '[{"rating":5}]',
    headers: { 'content-type': 'application/json' },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'malformed JSON',
    path: REVIEWS,
    raw: '{"rating":',
    headers: { 'content-type': 'application/json' },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a text/plain body',
    path: REVIEWS,
    raw: '{"rating":5}',
    headers: { 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported_media_type',
  },
]);

table('survey kinds and scores', [
  ...(
    [
      ['nps', -1],
      ['nps', 11],
      ['nps', 7.5],
      ['nps', '7'],
      ['nps', null],
      ['csat', 0],
      ['csat', 6],
      ['csat', 10],
      ['csat', 4.5],
      ['ces', 0],
      ['ces', 6],
      ['ces', 7],
    ] as const
  ).map(([kind, score]) => ({
    name: `${kind} ${JSON.stringify(score)}`,
    path: SURVEYS,
    body: { kind, score },
    status: 400,
    code: 'validation_failed',
    paths: ['score'],
  })),
  { name: 'no score', path: SURVEYS, body: { kind: 'nps' }, status: 400, code: 'validation_failed', paths: ['score'] },
  { name: 'an unknown kind', path: SURVEYS, body: { kind: 'stars', score: 3 }, status: 400, code: 'validation_failed', paths: ['kind'] },
  { name: 'no kind', path: SURVEYS, body: { score: 3 }, status: 400, code: 'validation_failed', paths: ['kind'] },
  { name: 'kind in capitals', path: SURVEYS, body: { kind: 'NPS', score: 3 }, status: 400, code: 'validation_failed', paths: ['kind'] },
  {
    name: 'a 1,001-character comment',
    path: SURVEYS,
    body: { kind: 'nps', score: 9, comment: 'c'.repeat(1001) },
    status: 400,
    code: 'validation_failed',
    paths: ['comment'],
  },
  {
    name: 'a NUL in the comment',
    path: SURVEYS,
    body: { kind: 'ces', score: 2, comment: 'a\u0000' },
    status: 400,
    code: 'validation_failed',
    paths: ['comment'],
  },
]);

table('programs and cards that do not exist', [
  ...[
    'GET /api/public/programs/{p}',
    'POST /api/public/programs/{p}/reviews',
    'GET /api/public/programs/{p}/reviews',
    'POST /api/public/programs/{p}/surveys',
  ].flatMap((route) => {
    const [method, path] = route.split(' ') as [string, string];
    return ['no-such-program', 'UPPER-CASE', 'a'.repeat(65), '%00', 'caf%C3%A9', '..%2f..%2fetc'].map((slug) => ({
      name: `${route} with slug ${slug}`,
      method,
      path: path.replace('{p}', slug),
      body: method === 'POST' ? { rating: 5, kind: 'nps', score: 5 } : undefined,
      status: 404,
      code: 'not_found',
    }));
  }),
  ...['qr.svg', 'referral'].flatMap((leaf) =>
    [
      ['an unknown serial', newSerial()],
      ['a serial in capitals', 'A'.repeat(26)],
      ['not a serial', 'not-a-serial'],
      ['a NUL', '%00'],
    ].map(([name, s]) => ({
      name: `GET ${leaf} of ${name}`,
      method: 'GET',
      path: `/api/public/cards/${s}/${leaf}`,
      status: 404,
      code: 'not_found',
    })),
  ),
  { name: 'DELETE a program', method: 'DELETE', path: '/api/public/programs/{slug}', status: 404, code: 'not_found' },
  { name: 'PUT a review list', method: 'PUT', path: REVIEWS, body: { rating: 5 }, status: 404, code: 'not_found' },
]);

table('public review list: bad cursors and limits', [
  ...[
    ['not base64', '%%%'],
    ['no separator', b64('2024-01-01T00:00:00.000000Z')],
    ['not a date', b64(`yesterday|${UUID}`)],
    ['milliseconds only', b64(`2024-01-01T00:00:00.000Z|${UUID}`)],
    ['not a UUID', b64('2024-01-01T00:00:00.000000Z|not-a-uuid')],
    ['year 0', b64(`0000-01-01T00:00:00.000000Z|${UUID}`)],
    ['201 characters', 'c'.repeat(201)],
    ['an SQL injection', b64(`2024-01-01T00:00:00.000000Z|${UUID}'; DROP TABLE reviews; --`)],
  ].map(([name, cursor]) => ({
    name: `cursor: ${name}`,
    method: 'GET',
    path: `${REVIEWS}?cursor=${cursor}`,
    status: 400,
    code: 'validation_failed',
    paths: ['cursor'],
  })),
  ...['0', '51', '1.5', 'abc', '-1'].map((limit) => ({
    name: `limit=${limit}`,
    method: 'GET',
    path: `${REVIEWS}?limit=${limit}`,
    status: 400,
    code: 'validation_failed',
    paths: ['limit'],
  })),
]);

table('merchant review moderation', [
  { name: 'GET without credentials', method: 'GET', path: '/api/merchant/reviews', status: 401, code: 'unauthorized' },
  {
    name: 'PATCH without credentials',
    method: 'PATCH',
    path: `/api/merchant/reviews/${UUID}`,
    body: { status: 'approved' },
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'GET ?status=spam',
    method: 'GET',
    path: '/api/merchant/reviews?status=spam',
    cookie: true,
    status: 400,
    code: 'validation_failed',
    paths: ['status'],
  },
  {
    name: 'GET with a bad cursor',
    method: 'GET',
    path: `/api/merchant/reviews?cursor=${b64('nope|nope')}`,
    cookie: true,
    status: 400,
    code: 'validation_failed',
    paths: ['cursor'],
  },
  {
    name: 'GET limit=201',
    method: 'GET',
    path: '/api/merchant/reviews?limit=201',
    cookie: true,
    status: 400,
    code: 'validation_failed',
    paths: ['limit'],
  },
  ...['not-a-uuid', '123', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', `${UUID}x`, 'x'.repeat(300), "1' OR '1'='1", '%00'].map((id) => ({
    name: `PATCH a malformed id ${id.slice(0, 40)}`,
    method: 'PATCH',
    path: `/api/merchant/reviews/${id}`,
    cookie: true,
    body: { status: 'approved' },
    status: 404,
    code: 'not_found',
  })),
  {
    name: 'PATCH an unknown id',
    method: 'PATCH',
    path: `/api/merchant/reviews/${UUID}`,
    cookie: true,
    body: { status: 'approved' },
    status: 404,
    code: 'not_found',
  },
  ...['pending', 'APPROVED', 'deleted', '', null].map((status) => ({
    name: `PATCH status ${JSON.stringify(status)}`,
    method: 'PATCH',
    path: `/api/merchant/reviews/${UUID}`,
    cookie: true,
    body: { status },
    status: 400,
    code: 'validation_failed',
    paths: ['status'],
  })),
  {
    name: 'PATCH {}',
    method: 'PATCH',
    path: `/api/merchant/reviews/${UUID}`,
    cookie: true,
    body: {},
    status: 400,
    code: 'validation_failed',
    paths: ['status'],
  },
]);

describe('NUL characters anywhere else are refused too (Postgres cannot store them)', () => {
  it('public signup with a NUL in the name → 400 at name, nobody joins', async () => {
    const res = await h.post(`/api/public/programs/${m.program.slug}/signup`, {
      name: 'Eve\u0000',
      email: 'nul@example.com',
      consent: { terms: true },
    });
    assertProblem(res, 400, 'validation_failed', ['name']);
  });

  it('an API key name with a NUL → 400 at name', async () => {
    assertProblem(await h.post('/api/merchant/api-keys', { name: 'till\u0000' }, { cookie: m.cookie }), 400, 'validation_failed', ['name']);
  });

  it('a program with a NUL in a reward name → 400 at reward.name', async () => {
    const res = await h.put('/api/merchant/program', { ...m.program, reward: { name: 'Free\u0000', costMinor: 0 } }, { cookie: m.cookie });
    assertProblem(res, 400, 'validation_failed', ['reward.name']);
  });

  it('a customer search with a NUL → 400 at q', async () => {
    assertProblem(await h.get('/api/merchant/customers?q=a%00b', { cookie: m.cookie }), 400, 'validation_failed', ['q']);
  });
});

describe('after all these refusals', () => {
  it('nothing was stored: no review, no survey answer, no new customer', async () => {
    const count = async (sql: string) => (await h.db.query<{ n: number }>(sql, [m.id])).rows[0]!.n;
    assert.equal(await count('SELECT count(*)::int AS n FROM reviews WHERE merchant_id = $1'), 0);
    assert.equal(await count('SELECT count(*)::int AS n FROM survey_answers WHERE merchant_id = $1'), 0);
    assert.equal(await count('SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1'), 1);
  });

  it('and the limits themselves are accepted: 2,000 characters of text, a 100-character name, 1,000 of comment', async () => {
    const review = await h.post(`/api/public/programs/${m.program.slug}/reviews`, {
      rating: 1,
      text: 't'.repeat(2000),
      name: 'n'.repeat(100),
    });
    assert.equal(review.status, 201, JSON.stringify(review.body));
    const survey = await h.post(`/api/public/programs/${m.program.slug}/surveys`, { kind: 'nps', score: 0, comment: 'c'.repeat(1000) });
    assert.equal(survey.status, 201, JSON.stringify(survey.body));
  });
});
