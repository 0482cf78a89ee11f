// The browser tests answer the widget's and the dashboard's requests from hand-written fixtures;
// here each shared fixture is held to the server's own schema for the answer it stands for (the
// zod schemas of server/contract/, which the OpenAPI document is made from), so a fixture cannot
// drift from what the server sends. Every export of a fixture module must be listed below: a new
// fixture is checked from the day it is added. (The answers a test writes inline are checked as
// they are served: test/browser/support/fetch.ts.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as dashboard from '../browser/dashboard/fixtures.ts';
import * as widget from '../browser/support/answers.ts';
import { answerIssues } from '../support/contract.ts';

/** The answer a fixture stands for: the request, the status, and the body made of the fixture. */
type Stands = { for: `${'GET' | 'POST' | 'PUT'} /${string}`; status?: number; body?: (fixture: never) => unknown };

const asProgram = (program: unknown) => ({ program });
const CARD = '/api/merchant/cards/abcdefghijklmnopqrstuv2345';

/** Each fixture module, with what each of its exports stands for (`null`: not an answer). */
const MODULES: [file: string, exports: Record<string, unknown>, stands: Record<string, Stands | null>][] = [
  [
    'test/browser/support/answers.ts',
    widget,
    {
      API: null,
      program: { for: 'GET /api/public/programs/cafe-lune' },
      cardAnswer: { for: 'GET /api/public/cards/c_test123', body: (make: typeof widget.cardAnswer) => make() },
    },
  ],
  [
    'test/browser/dashboard/fixtures.ts',
    dashboard,
    {
      cafe: { for: 'GET /api/merchant/program', body: asProgram },
      pointsCafe: { for: 'GET /api/merchant/program', body: asProgram },
      twoShops: { for: 'GET /api/merchant/program', body: asProgram },
      shops: { for: 'GET /api/merchant/program', body: (locations: typeof dashboard.shops) => asProgram({ ...dashboard.cafe, locations }) },
      owner: { for: 'GET /api/merchant/me' },
      staff: { for: 'GET /api/merchant/me' },
      kpis: { for: 'GET /api/merchant/kpis', body: (make: typeof dashboard.kpis) => make() },
      customer: {
        for: 'GET /api/merchant/customers',
        body: (make: typeof dashboard.customer) => ({ customers: [make('c1', 'Léa Petit', 'lea@example.com')], nextCursor: null }),
      },
      stamped: { for: `POST ${CARD}/stamps`, body: (make: typeof dashboard.stamped) => make(widget.cardAnswer().card) },
      purchased: { for: `POST ${CARD}/purchases`, body: (make: typeof dashboard.purchased) => make(widget.cardAnswer().card) },
      redeemed: { for: `POST ${CARD}/redemptions`, body: (make: typeof dashboard.redeemed) => make(widget.cardAnswer().card) },
    },
  ],
];

for (const [file, exports, stands] of MODULES) {
  describe(file, () => {
    it('lists what each of its exports stands for', () => {
      assert.deepEqual(Object.keys(exports).sort(), Object.keys(stands).sort(), `${file}: an export without its answer here (or gone)`);
    });

    for (const [name, s] of Object.entries(stands)) {
      if (!s) continue;
      it(`${name} is the server's answer to ${s.for}`, () => {
        const [method, path] = s.for.split(' ') as [string, string];
        const body = s.body ? s.body(exports[name] as never) : exports[name];
        assert.deepEqual(answerIssues(method, path, s.status ?? 200, body), [], `${file}: ${name}`);
      });
    }
  });
}

describe('the contract check', () => {
  it('finds a renamed field, a field the server does not send, a status the route never gives, a route it does not have', () => {
    const { customerName, ...card } = widget.cardAnswer().card;
    const renamed = { ...widget.cardAnswer(), card: { ...card, name: customerName } };
    assert.deepEqual(answerIssues('GET', '/api/public/cards/c_test123', 200, renamed), [
      'card.customerName: Invalid input: expected string, received undefined',
    ]);
    const more = { ...widget.cardAnswer(), card: { ...card, customerName, name: customerName } };
    assert.deepEqual(answerIssues('GET', '/api/public/cards/c_test123', 200, more), ['card.name: not a field of this answer']);
    assert.match(answerIssues('POST', '/api/public/programs/cafe-lune/signup', 200, widget.cardAnswer())[0]!, /never answers 200/);
    assert.deepEqual(answerIssues('GET', '/api/public/nothing', 200, {}), ['no route of the server answers GET /api/public/nothing']);
  });

  it('takes an error as the app gives every error, a problem with its code', () => {
    const problem = { type: 'about:blank', title: 'Not found', status: 404, detail: 'No card.', code: 'not_found' };
    assert.deepEqual(answerIssues('GET', '/api/public/cards/x', 404, problem), []);
    assert.equal(answerIssues('GET', '/api/public/cards/x', 500, {}).length, 5);
    assert.match(answerIssues('GET', '/api/public/cards/x', 404, { ...problem, code: 'missing' })[0]!, /^code: /);
  });

  it('tells a route by its literal segment before its parameter', () => {
    assert.deepEqual(answerIssues('GET', '/api/merchant/customers/abc/consent', 200, { consent: [] }), []);
    assert.match(answerIssues('GET', '/api/merchant/customers/abc', 200, { consent: [] }).join('\n'), /^customer: /);
  });
});
