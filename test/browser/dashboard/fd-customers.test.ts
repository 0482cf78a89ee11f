import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../dashboard/screens/fd-customers.ts';
import type { Me, Program } from '../../../common/api.ts';
import type { FdCustomers } from '../../../dashboard/screens/fd-customers.ts';
import { $, $$, focused, text } from '../support/dom.ts';
import { type Call, cardAnswer, json, never, problem, stubFetch } from '../support/fetch.ts';
import { cafe, customer, owner, pointsCafe, staff } from './fixtures.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LEA = '11111111-1111-4111-8111-111111111111';
const HUGO = '22222222-2222-4222-8222-222222222222';
const SERIAL = 'abcdefghijklmnopqrstuv2345';

const lea = customer(LEA, 'Léa Petit', 'lea@example.com');
const hugo = customer(HUGO, 'Hugo Martin', 'hugo@example.com', { stamps: 2, rewardsAvailable: 1 });

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

const detail = (
  c = lea,
  history = [entry({ kind: 'adjustment', stamps: 3, reason: 'Forgot three stamps', actorName: 'owner@example.com' }), entry({ stamps: 1 })],
) => ({
  customer: { id: c.id, name: c.name, email: c.email, phone: c.phone, marketingConsent: false, createdAt: c.createdAt },
  card: c.card,
  history,
});

/** `POST /api/merchant/cards/:serial/adjustments`: Léa's card after the correction. */
const afterAdjustment = (card: Record<string, unknown> = {}) => ({ card: cardAnswer({ serial: SERIAL, ...card }).card, rewardsEarned: 0 });

type Route = (call: Call) => Response | Promise<Response> | undefined;

/** A stand-in merchant API: the list, one customer, and what `route` answers first. */
function server(route: Route = () => undefined) {
  return stubFetch((call) => {
    const answered = route(call);
    if (answered) return answered;
    const path = call.url.pathname;
    if (path === '/api/merchant/customers') return json({ customers: [lea, hugo], nextCursor: null });
    if (path === `/api/merchant/customers/${LEA}` && call.method === 'GET') return json(detail());
    if (path === `/api/merchant/customers/${HUGO}` && call.method === 'GET') return json(detail(hugo, []));
    if (path === `/api/merchant/cards/${SERIAL}/deliveries`) return json({ deliveries: [] });
    if (path.endsWith('/consent')) return json({ consent: [] });
    return problem(404, 'not_found');
  });
}

async function screen(opts: { me?: Me; program?: Program; lang?: string } = {}) {
  const el = await fixture<FdCustomers>(
    html`<fd-customers lang=${opts.lang ?? 'en'} .program=${opts.program ?? cafe} .me=${opts.me ?? owner}></fd-customers>`,
  );
  return el;
}

const listed = (el: FdCustomers) => waitUntil(() => $$(el, '.row').length > 0, 'the list is shown', SLOW);
const button = (el: FdCustomers, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label);
const lists = (calls: Call[]) => calls.filter((c) => c.url.pathname === '/api/merchant/customers');
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');

function type(el: FdCustomers, selector: string, value: string) {
  const input = $<HTMLInputElement | HTMLTextAreaElement>(el, selector)!;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

async function open(el: FdCustomers, name: string) {
  $$<HTMLButtonElement>(el, '.row')
    .find((b) => b.textContent!.includes(name))!
    .click();
  await waitUntil(() => $(el, '#name'), 'the customer is shown', SLOW);
}

/** Time for a debounced search and a page to arrive on a busy machine (the default is 1 s). */
const SLOW = { timeout: 5_000 };

describe('<fd-customers>', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  it('is accessible: the list, a customer with the owner’s forms, and the erase confirmation', async () => {
    stub = server();
    const el = await screen();
    await listed(el);
    await expect(el).to.be.accessible();
    await open(el, 'Léa');
    await expect(el).to.be.accessible();
    button(el, 'Erase this customer')!.click();
    await waitUntil(() => $(el, '#erase-confirm'), undefined, SLOW);
    await expect(el).to.be.accessible();
  });

  it('lists the newest customers at once: name, email and card state', async () => {
    stub = server();
    const el = await screen();
    await listed(el);
    const call = lists(stub.calls)[0]!;
    expect(call.url.origin).to.equal(location.origin);
    expect(call.url.searchParams.get('q')).to.equal(null);
    expect(call.url.searchParams.get('cursor')).to.equal(null);
    const rows = $$(el, '.row').map((r) => r.textContent!.replace(/\s+/g, ' ').trim());
    expect(rows[0]).to.equal('Léa Petit lea@example.com 7 / 10');
    expect(rows[1]).to.equal('Hugo Martin hugo@example.com 2 / 10 · 1 reward to use');
    expect(button(el, 'Load more')).to.equal(undefined);
  });

  it('shows points and tier, or the cashback balance, in the program’s currency and the user’s language', async () => {
    stub = server((c) =>
      c.url.pathname === '/api/merchant/customers'
        ? json({ customers: [customer(LEA, 'Léa Petit', 'lea@example.com', { points: 1234, tier: 'Or' })], nextCursor: null })
        : undefined,
    );
    const el = await screen({ program: { ...pointsCafe, type: 'tiers' }, lang: 'fr' });
    await listed(el);
    expect($(el, '.row .balance')!.textContent).to.equal('1\u202f234 points · Niveau : Or');
    stub.restore();

    stub = server((c) =>
      c.url.pathname === '/api/merchant/customers'
        ? json({ customers: [customer(LEA, 'Léa Petit', 'lea@example.com', { cashbackBalance: 1250 })], nextCursor: null })
        : undefined,
    );
    const cb = await screen({ program: { ...cafe, type: 'cashback', currency: 'EUR' }, lang: 'fr' });
    await listed(cb);
    expect($(cb, '.row .balance')!.textContent!.replace(/\s/g, ' ')).to.equal('Cagnotte : 12,50 €');
  });

  it('searches as you type: one request with q after a pause, superseding the one in flight', async () => {
    let first = true;
    stub = server((c) => {
      if (c.url.pathname !== '/api/merchant/customers') return undefined;
      if (first) return ((first = false), never()); // the first list never answers
      return json({ customers: [lea], nextCursor: null });
    });
    const el = await screen();
    $<HTMLInputElement>(el, '#q')!.focus();
    await sendKeys({ type: 'lé' });
    await sendKeys({ type: 'a' });
    // The search for the last keystroke goes out after any the earlier ones would have started
    // (their pauses began first): from then on the requests are all there.
    await waitUntil(() => lists(stub!.calls).some((c) => c.url.searchParams.get('q') === 'léa'), 'the search goes out', SLOW);
    const [initial, search] = lists(stub.calls);
    expect(lists(stub.calls)).to.have.length(2);
    expect(initial!.signal!.aborted, 'the first request is aborted').to.equal(true);
    expect(search!.url.searchParams.get('q')).to.equal('léa');
    await listed(el);
    expect(text(el)).to.contain('Léa Petit').and.not.contain('Hugo');
  });

  it('says when nothing matches, and when there are no customers at all', async () => {
    stub = server((c) => (c.url.pathname === '/api/merchant/customers' ? json({ customers: [], nextCursor: null }) : undefined));
    const el = await screen();
    await waitUntil(() => text(el).includes('No customers yet'), 'the empty state', SLOW);
    type(el, '#q', 'zz');
    await waitUntil(() => text(el).includes('No customer matches “zz”.'), 'the empty search', SLOW);
  });

  it('loads more with the cursor, adding to the list', async () => {
    stub = server((c) => {
      if (c.url.pathname !== '/api/merchant/customers') return undefined;
      return c.url.searchParams.get('cursor') === 'page-2'
        ? json({ customers: [hugo], nextCursor: null })
        : json({ customers: [lea], nextCursor: 'page-2' });
    });
    const el = await screen();
    type(el, '#q', 'e');
    // The search answered (not only asked): "Load more" is ignored while a page is pending.
    const answered = () => button(el, 'Load more')?.getAttribute('aria-disabled') === 'false';
    await waitUntil(() => lists(stub!.calls).length === 2 && answered() && $$(el, '.row').length === 1, 'the search is answered', SLOW);
    button(el, 'Load more')!.click();
    await waitUntil(() => $$(el, '.row').length === 2, 'the second page is added', SLOW);
    const more = lists(stub.calls)[2]!;
    expect(more.url.searchParams.get('cursor')).to.equal('page-2');
    expect(more.url.searchParams.get('q')).to.equal('e');
    expect(button(el, 'Load more')).to.equal(undefined);
  });

  it('opens a customer: the card, joined date and the history with the reason and who did it; Back returns to the row', async () => {
    stub = server();
    const el = await screen();
    await listed(el);
    await open(el, 'Léa');
    const t = text(el);
    expect(t).to.contain('Léa Petit').and.contain('lea@example.com').and.contain('Joined on January 15, 2026').and.contain('7 / 10');
    const items = $$(el, '.history > li').map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(items).to.have.length(2);
    expect(items[0]).to.contain('Adjustment: +3 stamps').and.contain('Reason: Forgot three stamps').and.contain('by owner@example.com');
    expect(items[1]).to.contain('Stamp: +1 stamp').and.contain('by staff@example.com').and.not.contain('Reason');
    expect($(el, '.history time')!.getAttribute('datetime')).to.equal('2026-02-01T10:00:00.000Z');
    expect(stub.calls.some((c) => c.url.pathname === `/api/merchant/customers/${LEA}`)).to.equal(true);
    button(el, '← Back to the list')!.click();
    await waitUntil(() => $$(el, '.row').length === 2, undefined, SLOW);
    await el.updateComplete;
    expect(focused()?.getAttribute('data-id')).to.equal(LEA);
  });

  it('describes purchases, rewards, redemptions and bonuses, in French too', async () => {
    const history = [
      entry({ kind: 'redemption', points: -20, rewardId: 'croissant' }),
      entry({ kind: 'purchase', points: 12, amount: 1250 }),
      entry({ kind: 'signup_bonus', points: 5, actor: null, actorName: null }),
      entry({ kind: 'adjustment', points: -1500, reason: 'Saisie en double', actor: 'user:gone', actorName: null }),
    ];
    stub = server((c) => (c.url.pathname === `/api/merchant/customers/${LEA}` ? json(detail(lea, history)) : undefined));
    const el = await screen({ program: pointsCafe, lang: 'fr' });
    await listed(el);
    await open(el, 'Léa');
    const items = $$(el, '.history > li').map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(items[0]).to.contain('Récompense utilisée : Croissant · -20 points');
    expect(items[1]).to.contain('Achat : 12,50 € · +12 points');
    expect(items[2]).to.contain('Bonus de bienvenue : +5 points').and.contain('Automatique').and.not.contain('par');
    expect(items[3]).to.contain('Correction : -1 500 points').and.contain('Motif : Saisie en double').and.contain('par un compte supprimé');
  });

  it('lets the owner adjust: the body and an Idempotency-Key, sent once for a double click, then the new balance', async () => {
    let release!: (r: Response) => void;
    let adjusted = false;
    stub = server((c) => {
      if (c.method === 'POST') return new Promise((resolve) => (release = resolve));
      if (c.url.pathname === `/api/merchant/customers/${LEA}` && adjusted)
        return json(
          detail(customer(LEA, 'Léa Petit', 'lea@example.com', { stamps: 5 }), [
            entry({ kind: 'adjustment', stamps: -2, reason: 'Stamped twice by mistake' }),
          ]),
        );
      return undefined;
    });
    const el = await screen();
    await listed(el);
    await open(el, 'Léa');
    $$<HTMLInputElement>(el, 'input[type=radio]')[1]!.click();
    type(el, '#delta', '2');
    type(el, '#reason', '  Stamped twice by mistake ');
    const apply = button(el, 'Apply the adjustment')!;
    apply.click();
    apply.click();
    await el.updateComplete;
    expect(apply.getAttribute('aria-disabled')).to.equal('true');
    apply.click();
    expect(posts(stub.calls)).to.have.length(1);
    const post = posts(stub.calls)[0]!;
    expect(post.url.pathname).to.equal(`/api/merchant/cards/${SERIAL}/adjustments`);
    expect(post.body).to.deep.equal({ delta: -2, reason: 'Stamped twice by mistake' });
    expect(post.headers.get('idempotency-key')).to.match(UUID);
    adjusted = true;
    release(json(afterAdjustment({ stamps: 5 })));
    await waitUntil(() => text(el).includes('Adjustment saved.'), 'the adjustment is confirmed', SLOW);
    await waitUntil(() => $(el, '.card')!.textContent!.includes('5 / 10'), 'the new balance is shown', SLOW);
    expect(text(el)).to.contain('Reason: Stamped twice by mistake');
    expect($<HTMLInputElement>(el, '#delta')!.value).to.equal('');
    expect(button(el, 'Apply the adjustment')!.getAttribute('aria-disabled')).to.equal('false');
  });

  it('converts a cashback amount to minor units', async () => {
    stub = server((c) => (c.method === 'POST' ? json(afterAdjustment()) : undefined));
    const el = await screen({ program: { ...cafe, type: 'cashback' }, lang: 'fr' });
    await listed(el);
    await open(el, 'Léa');
    type(el, '#delta', '2,50');
    type(el, '#reason', 'Article rendu');
    button(el, 'Appliquer la correction')!.click();
    await waitUntil(() => posts(stub!.calls).length === 1, undefined, SLOW);
    expect(posts(stub.calls)[0]!.body).to.deep.equal({ delta: 250, reason: 'Article rendu' });
  });

  it('sends the same key again on "Try again" after a lost answer, and a new one for the next adjustment', async () => {
    let n = 0;
    stub = server((c) => (c.method === 'POST' ? (++n === 1 ? problem(503, 'unavailable') : json(afterAdjustment())) : undefined));
    const el = await screen();
    await listed(el);
    await open(el, 'Léa');
    type(el, '#delta', '1');
    type(el, '#reason', 'Goodwill');
    button(el, 'Apply the adjustment')!.click();
    await waitUntil(() => button(el, 'Try again'), 'the failure offers a retry', SLOW);
    expect($(el, '[role=alert]')).to.exist;
    button(el, 'Try again')!.click();
    await waitUntil(() => text(el).includes('Adjustment saved.'), undefined, SLOW);
    const [a, b] = posts(stub.calls);
    expect(b!.headers.get('idempotency-key')).to.equal(a!.headers.get('idempotency-key'));
    expect(b!.body).to.deep.equal(a!.body);
    type(el, '#delta', '1');
    type(el, '#reason', 'Another one');
    button(el, 'Apply the adjustment')!.click();
    await waitUntil(() => posts(stub!.calls).length === 3, undefined, SLOW);
    expect(posts(stub.calls)[2]!.headers.get('idempotency-key')).to.not.equal(a!.headers.get('idempotency-key'));
  });

  it('sends nothing without an amount or a reason, and says which', async () => {
    stub = server();
    const el = await screen();
    await listed(el);
    await open(el, 'Léa');
    type(el, '#delta', '0');
    type(el, '#reason', 'Zero');
    button(el, 'Apply the adjustment')!.click();
    await waitUntil(() => $(el, 'form [role=alert]'), undefined, SLOW);
    expect($(el, 'form [role=alert]')!.textContent).to.contain('whole number above 0');
    expect($(el, '#delta')!.getAttribute('aria-invalid')).to.equal('true');
    type(el, '#delta', '2');
    type(el, '#reason', '   ');
    button(el, 'Apply the adjustment')!.click();
    await waitUntil(() => $(el, 'form [role=alert]')?.textContent!.includes('Say why'), undefined, SLOW);
    expect($(el, '#reason')!.getAttribute('aria-invalid')).to.equal('true');
    expect(posts(stub.calls)).to.have.length(0);
  });

  for (const [status, code, says] of [
    [403, 'forbidden', 'Only the owner of the business can do this.'],
    [404, 'not_found', 'This customer no longer exists'],
    [409, 'insufficient_balance', 'The card does not hold that much'],
  ] as const) {
    it(`shows a ${status} ${code} on an adjustment clearly`, async () => {
      stub = server((c) => (c.method === 'POST' ? problem(status, code) : undefined));
      const el = await screen();
      await listed(el);
      await open(el, 'Léa');
      type(el, '#delta', '5');
      type(el, '#reason', 'Try');
      button(el, 'Apply the adjustment')!.click();
      await waitUntil(() => $(el, 'form [role=alert]'), 'the error is announced', SLOW);
      expect($(el, 'form [role=alert]')!.textContent).to.contain(says);
      expect(button(el, 'Try again'), 'no retry for a refusal').to.equal(undefined);
    });
  }

  it('shows a customer who is gone (404) clearly, and Back still works', async () => {
    stub = server((c) => (c.url.pathname === `/api/merchant/customers/${LEA}` ? problem(404, 'not_found') : undefined));
    const el = await screen();
    await listed(el);
    $$<HTMLButtonElement>(el, '.row')[0]!.click();
    await waitUntil(() => $(el, '[role=alert]'), undefined, SLOW);
    expect($(el, '[role=alert]')!.textContent).to.contain('This customer no longer exists');
    button(el, '← Back to the list')!.click();
    await waitUntil(() => $$(el, '.row').length === 2, undefined, SLOW);
  });

  it('shows staff the list and the history, without adjust, export or erase', async () => {
    stub = server();
    const el = await screen({ me: staff });
    await listed(el);
    expect($(el, 'a[href*="customers.csv"]')).to.equal(null);
    await open(el, 'Léa');
    expect(text(el)).to.contain('Forgot three stamps');
    expect($(el, '#delta')).to.equal(null);
    expect($(el, '#reason')).to.equal(null);
    expect(button(el, 'Erase this customer')).to.equal(undefined);
  });

  it('gives the owner a plain download link to the CSV export', async () => {
    stub = server();
    const el = await screen();
    await listed(el);
    const a = $<HTMLAnchorElement>(el, 'a[href$="customers.csv"]')!;
    expect(a.getAttribute('href')).to.equal('/api/merchant/export/customers.csv');
    expect(a.hasAttribute('download')).to.equal(true);
    expect(a.textContent!.trim()).to.equal('Export all customers (CSV)');
  });

  it('in French, links the export Excel set to French opens in columns: `;`, French headers, decimal commas', async () => {
    stub = server();
    const el = await screen({ lang: 'fr' });
    await listed(el);
    const a = $<HTMLAnchorElement>(el, 'a[href*="customers.csv"]')!;
    expect(a.getAttribute('href')).to.equal('/api/merchant/export/customers.csv?delimiter=semicolon&lang=fr');
    expect(a.getAttribute('download')).to.equal('clients.csv');
    expect(a.textContent!.trim()).to.equal('Exporter tous les clients (CSV)');
  });

  it('asks the server to answer in the language chosen in the dashboard (Accept-Language), not only the browser’s', async () => {
    const page = document.documentElement.lang;
    try {
      // The dashboard keeps the chosen language as the page's.
      document.documentElement.lang = 'fr';
      stub = server();
      const el = await screen({ lang: 'fr' });
      await listed(el);
      expect(lists(stub.calls)[0]!.headers.get('accept-language')).to.equal('fr');
      stub.restore();
      document.documentElement.lang = 'en';
      stub = server();
      await open(el, 'Léa');
      expect(stub.calls.length).to.be.greaterThan(0);
      for (const call of stub.calls) expect(call.headers.get('accept-language')).to.equal('en');
    } finally {
      document.documentElement.lang = page;
    }
  });

  it('asks before erasing (naming the person), sends nothing on Cancel, then erases and goes back to the list without them', async () => {
    let erased = false;
    stub = server((c) => {
      if (c.method === 'DELETE') return ((erased = true), new Response(null, { status: 204 }));
      if (c.url.pathname === '/api/merchant/customers' && erased) return json({ customers: [hugo], nextCursor: null });
      return undefined;
    });
    const el = await screen();
    await listed(el);
    await open(el, 'Léa');
    button(el, 'Erase this customer')!.click();
    await waitUntil(() => $(el, '#erase-confirm'), undefined, SLOW);
    expect(text(el)).to.contain('Erase Léa Petit for good?').and.contain('This cannot be undone.');
    expect(focused()?.id).to.equal('erase-confirm');
    button(el, 'Cancel')!.click();
    await waitUntil(() => !$(el, '#erase-confirm'), undefined, SLOW);
    expect(focused()?.id).to.equal('erase');
    expect(stub.calls.filter((c) => c.method === 'DELETE')).to.have.length(0);

    button(el, 'Erase this customer')!.click();
    await waitUntil(() => $(el, '#erase-confirm'), undefined, SLOW);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $$(el, '.row').length === 1, 'back to the list', SLOW);
    const deletes = stub.calls.filter((c) => c.method === 'DELETE');
    expect(deletes).to.have.length(1);
    expect(deletes[0]!.url.pathname).to.equal(`/api/merchant/customers/${LEA}`);
    expect(text(el)).to.contain('Léa Petit was erased.');
    expect(text(el)).to.not.contain('lea@example.com');
    expect(focused()?.id).to.equal('q');
  });

  it('shows a refused erasure (403) in the confirmation, and erases nothing', async () => {
    stub = server((c) => (c.method === 'DELETE' ? problem(403, 'forbidden') : undefined));
    const el = await screen();
    await listed(el);
    await open(el, 'Léa');
    button(el, 'Erase this customer')!.click();
    await waitUntil(() => $(el, '#erase-confirm'), undefined, SLOW);
    $<HTMLButtonElement>(el, '#erase-confirm')!.click();
    await waitUntil(() => $(el, '.confirm [role=alert]'), undefined, SLOW);
    expect($(el, '.confirm [role=alert]')!.textContent).to.contain('Only the owner');
    expect($(el, '#name')!.textContent).to.equal('Léa Petit');
  });

  it('tells the shell when the session is gone (401)', async () => {
    stub = server((c) => (c.url.pathname === '/api/merchant/customers' ? problem(401, 'unauthorized') : undefined));
    let signedOut = false;
    const el = await fixture<FdCustomers>(
      html`<fd-customers lang="en" .program=${cafe} .me=${owner} @fd-signed-out=${() => (signedOut = true)}></fd-customers>`,
    );
    await waitUntil(() => signedOut, 'fd-signed-out', SLOW);
    expect(el).to.exist;
  });

  it('offers a retry when the list cannot be loaded', async () => {
    let n = 0;
    stub = server((c) => (c.url.pathname === '/api/merchant/customers' && ++n === 1 ? problem(500, 'internal_error') : undefined));
    const el = await screen();
    await waitUntil(() => button(el, 'Try again'), undefined, SLOW);
    expect($(el, '[role=alert]')!.textContent).to.contain('Something went wrong');
    button(el, 'Try again')!.click();
    await listed(el);
  });
});

describe('<fd-customers>: a customer’s pass updates, consent and data', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  const when = (iso: string, locale = 'en') =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const delivery = (d: Record<string, unknown>) => ({
    channel: 'apns',
    target: 'a1b2c3d4…',
    queuedAt: '2026-02-01T10:00:00.000Z',
    sentAt: '2026-02-01T10:00:02.000Z',
    status: 'sent',
    answer: '200',
    fetchedAt: null,
    ...d,
  });
  const deliveries = [
    delivery({ fetchedAt: '2026-02-01T10:00:09.000Z' }),
    delivery({ channel: 'google', target: 'issuer.card-1', sentAt: null, status: 'retrying', answer: '503 Service Unavailable' }),
    delivery({ target: 'ffee…', status: 'gone', answer: '410 Unregistered' }),
  ];
  const consent = [
    { kind: 'marketing', action: 'withdrawn', by: 'customer', source: 'unsubscribe', at: '2026-03-01T08:30:00.000Z' },
    { kind: 'marketing', action: 'given', by: 'customer', source: 'signup', at: '2026-01-15T10:00:00.000Z' },
    { kind: 'terms', action: 'given', by: 'user:u1', source: 'import', at: '2026-01-15T10:00:00.000Z' },
  ];
  const withLogs = (route: Route = () => undefined) =>
    server((c) => {
      const answered = route(c);
      if (answered) return answered;
      if (c.url.pathname === `/api/merchant/cards/${SERIAL}/deliveries`) return json({ deliveries });
      if (c.url.pathname === `/api/merchant/customers/${LEA}/consent`) return json({ consent });
      return undefined;
    });
  const rows = (el: FdCustomers) => $$(el, '.deliveries tbody tr').map((r) => r.textContent!.replace(/\s+/g, ' ').trim());
  const shown = (el: FdCustomers) =>
    waitUntil(() => $$(el, '.deliveries tbody tr').length && $$(el, '.consent li').length, undefined, SLOW);

  it('is accessible with the pass updates, the consent log and the owner’s download, in French too', async () => {
    stub = withLogs();
    const el = await screen();
    await listed(el);
    await open(el, 'Léa');
    await shown(el);
    await expect(el).to.be.accessible();
    const fr = await screen({ lang: 'fr' });
    await listed(fr);
    await open(fr, 'Léa');
    await shown(fr);
    await expect(fr).to.be.accessible();
  });

  it('asks for the card’s deliveries and lists them newest first: the phone, queued, sent, the answer and the fetch', async () => {
    stub = withLogs();
    const el = await screen();
    await listed(el);
    await open(el, 'Léa');
    await shown(el);
    const call = stub.calls.find((c) => c.url.pathname.endsWith('/deliveries'))!;
    expect(call.method).to.equal('GET');
    expect(call.url.pathname).to.equal(`/api/merchant/cards/${SERIAL}/deliveries`);
    expect($$(el, '.deliveries th').map((th) => th.textContent!.trim())).to.deep.equal(['Phone', 'Queued', 'Sent', 'Answer']);
    const [apple, google, gone] = rows(el);
    expect(apple).to.contain('iPhone (Apple Wallet)').and.contain('a1b2c3d4…').and.contain(when('2026-02-01T10:00:00.000Z'));
    expect(apple)
      .to.contain('Delivered · 200')
      .and.contain(`Fetched by the phone at ${when('2026-02-01T10:00:09.000Z')}`);
    expect(google).to.contain('Google Wallet').and.contain('Not sent yet').and.contain('Will be tried again · 503 Service Unavailable');
    expect(google).to.not.contain('fetched');
    expect(gone).to.contain('The phone no longer has the pass · 410 Unregistered').and.contain('Not fetched yet');
    expect($(el, '.deliveries time')!.getAttribute('datetime')).to.equal('2026-02-01T10:00:00.000Z');
    // Sideways scrolling on a phone, reachable by keyboard.
    const region = $(el, '.scroll')!;
    expect(region.getAttribute('tabindex')).to.equal('0');
    expect(region.getAttribute('role')).to.equal('region');
  });

  it('says when no pass is on a phone yet; staff see the updates and the consent too, without the download', async () => {
    stub = server();
    const el = await screen({ me: staff });
    await listed(el);
    await open(el, 'Léa');
    await waitUntil(() => text(el).includes('No pass is on a phone yet'), 'the empty state', SLOW);
    expect($(el, '.deliveries')).to.equal(null);
    expect(text(el)).to.contain('Pass updates').and.contain('Consent').and.contain('Nothing recorded yet.');
    expect(button(el, 'Download their data (JSON)')).to.equal(undefined);
  });

  it('tells the consent log in plain words, in English and in French', async () => {
    stub = withLogs();
    const el = await screen();
    await listed(el);
    await open(el, 'Léa');
    await shown(el);
    const call = stub.calls.find((c) => c.url.pathname.endsWith('/consent'))!;
    expect(call.method).to.equal('GET');
    expect(call.url.pathname).to.equal(`/api/merchant/customers/${LEA}/consent`);
    const lines = $$(el, '.consent li').map((li) => li.textContent!.trim());
    expect(lines).to.deep.equal([
      `Marketing e-mails: withdrawn by the customer with the unsubscribe link, ${when('2026-03-01T08:30:00.000Z')}`,
      `Marketing e-mails: given by the customer on the join page, ${when('2026-01-15T10:00:00.000Z')}`,
      `Terms of the program: given by the business in a customer import, ${when('2026-01-15T10:00:00.000Z')}`,
    ]);

    const fr = await screen({ lang: 'fr' });
    await listed(fr);
    await open(fr, 'Léa');
    await shown(fr);
    expect($$(fr, '.consent li')[1]!.textContent!.trim()).to.equal(
      `E-mails promotionnels : consentement donné par le client sur la page d’inscription, le ${when('2026-01-15T10:00:00.000Z', 'fr')}`,
    );
    expect(rows(fr)[0]).to.contain('Livrée').and.contain('Récupérée par le téléphone le');
  });

  it('shows a failed log with a retry, and the rest of the page still works', async () => {
    let n = 0;
    stub = withLogs((c) => (c.url.pathname.endsWith('/deliveries') && ++n === 1 ? problem(503, 'unavailable') : undefined));
    const el = await screen();
    await listed(el);
    await open(el, 'Léa');
    await waitUntil(() => $(el, '[aria-labelledby=updates-title] [role=alert]'), 'the failure is shown', SLOW);
    expect(text(el)).to.contain('Forgot three stamps');
    $$<HTMLButtonElement>(el, '[aria-labelledby=updates-title] button')
      .find((b) => b.textContent!.trim() === 'Try again')!
      .click();
    await waitUntil(() => rows(el).length === 3, 'the retry shows the table', SLOW);
  });

  it('downloads the customer’s data as customer-<id>.json for the owner', async () => {
    const data = {
      exportedAt: '2026-04-01T00:00:00.000Z',
      merchant: { name: 'Café Lune' },
      customer: { id: LEA, name: 'Léa Petit' },
      card: null,
      ledger: [],
      redemptions: [],
      referrals: [],
      reviews: [],
      surveyAnswers: [],
      campaignEffects: [],
      devices: { apple: 0, google: false },
      deliveries: [],
      consent: [],
    };
    stub = withLogs((c) =>
      c.url.pathname.endsWith('/export')
        ? new Response(JSON.stringify(data), { headers: { 'content-type': 'application/json; charset=utf-8' } })
        : undefined,
    );
    const clicked: { download: string; href: string }[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push({ download: this.download, href: this.href });
    };
    try {
      const el = await screen();
      await listed(el);
      await open(el, 'Léa');
      const download = button(el, 'Download their data (JSON)')!;
      // Next to Erase.
      expect(download.parentElement!.contains($(el, '#erase'))).to.equal(true);
      download.click();
      download.click();
      await waitUntil(() => clicked.length === 1, 'the file is saved', SLOW);
      const calls = stub.calls.filter((c) => c.url.pathname.endsWith('/export'));
      expect(calls).to.have.length(1);
      expect(calls[0]!.method).to.equal('GET');
      expect(calls[0]!.url.pathname).to.equal(`/api/merchant/customers/${LEA}/export`);
      expect(clicked[0]!.download).to.equal(`customer-${LEA}.json`);
      expect(clicked[0]!.href).to.match(/^blob:/);
      await waitUntil(() => text(el).includes('Their data was downloaded.'), undefined, SLOW);
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
  });

  it('says when the data cannot be downloaded, with a retry', async () => {
    stub = withLogs((c) => (c.url.pathname.endsWith('/export') ? problem(500, 'internal_error') : undefined));
    const el = await screen();
    await listed(el);
    await open(el, 'Léa');
    button(el, 'Download their data (JSON)')!.click();
    await waitUntil(() => button(el, 'Try again'), 'the failure offers a retry', SLOW);
    expect(text(el)).to.contain('Something went wrong');
  });
});
