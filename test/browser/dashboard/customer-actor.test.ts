// Who wrote a history entry (issue 16, "from real use"): the referrer's bonus, written by
// `system:referral`, showed "by a removed account". fidelio's own entries read as automatic, a
// referral's by that name.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../dashboard/screens/fd-customers.ts';
import type { FdCustomers } from '../../../dashboard/screens/fd-customers.ts';
import { $, $$ } from '../support/dom.ts';
import { json, problem, stubFetch } from '../support/fetch.ts';
import { cafe, customer, owner } from './fixtures.ts';

const LEA = '11111111-1111-4111-8111-111111111111';
const SERIAL = 'abcdefghijklmnopqrstuv2345';
const SLOW = { timeout: 5_000 };

const lea = customer(LEA, 'Léa Petit', 'lea@example.com', { serial: SERIAL, stamps: 3 });
const { card } = lea;
const entry = (e: Record<string, unknown>) => ({
  kind: 'stamp',
  stamps: 0,
  rewards: 0,
  points: 0,
  cashback: 0,
  amount: 0,
  rewardId: null,
  rewardName: null,
  tier: null,
  actor: 'user:u2',
  actorName: 'staff@example.com',
  reason: null,
  at: '2026-02-01T10:00:00.000Z',
  ...e,
});
const history = [
  entry({ kind: 'referral_bonus', stamps: 2, actor: 'system:referral', actorName: null }),
  entry({ kind: 'stamp', stamps: 1, actor: 'system:something-new', actorName: null }),
  entry({ kind: 'signup_bonus', stamps: 1, actor: null, actorName: null }),
  entry({ kind: 'stamp', stamps: 1, actor: 'user:gone', actorName: null }),
  entry({ kind: 'stamp', stamps: 1 }),
];

async function historyOf(lang: string) {
  const stub = stubFetch((call) => {
    const path = call.url.pathname;
    if (path === '/api/merchant/customers') return json({ customers: [lea], nextCursor: null });
    if (path === `/api/merchant/customers/${LEA}`) return json({ customer: { ...lea, card: undefined }, card, history });
    if (path === `/api/merchant/cards/${SERIAL}/deliveries`) return json({ deliveries: [] });
    if (path.endsWith('/consent')) return json({ consent: [] });
    return problem(404, 'not_found');
  });
  const el = await fixture<FdCustomers>(html`<fd-customers lang=${lang} .program=${cafe} .me=${owner}></fd-customers>`);
  await waitUntil(() => $$(el, '.row').length > 0, 'the list is shown', SLOW);
  $$<HTMLButtonElement>(el, '.row')[0]!.click();
  await waitUntil(() => $$(el, '.history > li').length === history.length, 'the history is shown', SLOW);
  const items = $$(el, '.history > li').map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
  stub.restore();
  return { el, items };
}

describe('<fd-customer> who wrote an entry', () => {
  it('a referral’s bonus is the referral’s, fidelio’s other entries automatic, a removed account still said', async () => {
    const { items } = await historyOf('en');
    expect(items[0]).to.contain('Referral').and.not.contain('removed account');
    expect(items[1]).to.contain('Automatic').and.not.contain('removed account');
    expect(items[2]).to.contain('Automatic');
    expect(items[3]).to.contain('by a removed account');
    expect(items[4]).to.contain('by staff@example.com');
  });

  it('in French', async () => {
    const { el, items } = await historyOf('fr');
    expect(items[0]).to.contain('Parrainage').and.not.contain('compte supprimé');
    expect(items[1]).to.contain('Automatique').and.not.contain('compte supprimé');
    expect(items[3]).to.contain('par un compte supprimé');
    expect($(el, '#name')).to.exist;
  });
});
