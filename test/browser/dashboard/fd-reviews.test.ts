import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../dashboard/screens/fd-reviews.ts';
import type { FdReviews } from '../../../dashboard/screens/fd-reviews.ts';
import { $, $$, text } from '../support/dom.ts';
import { type Answer, type Call, json, never, problem, stubFetch } from '../support/fetch.ts';
import { cafe, kpis, owner, staff } from './fixtures.ts';

const TODAY = new Date('2026-03-10T12:00:00Z');

const review = (id: string, r: Record<string, unknown> = {}) => ({
  id,
  rating: 4,
  text: 'Lovely croissants.',
  name: null,
  status: 'pending',
  createdAt: '2026-03-01T09:30:00.000Z',
  moderatedAt: null,
  customerName: null,
  verified: false,
  ...r,
});

const PENDING = [
  review('11111111-1111-4111-8111-111111111111', { name: 'Léa', rating: 5 }),
  review('22222222-2222-4222-8222-222222222222', { customerName: 'Hugo Martin', text: null, rating: 2, verified: true }),
];

/** The KPIs the screen reads its scores from. */
const scores = () => kpis({ nps: 35, csat: 80, ces: null, formulas: {} });

/** The API: KPIs for the scores, the reviews of each status, and `patch` for moderation. */
function api(patch: Answer = (c) => json({ review: { ...PENDING[0], status: (c.body as { status: string }).status } })): Answer {
  return (c: Call) => {
    const path = c.url.pathname;
    if (path === '/api/merchant/kpis') return json(scores());
    if (c.method === 'PATCH') return patch(c);
    const status = c.url.searchParams.get('status');
    if (status === 'pending') return json({ reviews: PENDING, nextCursor: null });
    if (status === 'approved')
      return json({ reviews: [review('33333333-3333-4333-8333-333333333333', { status: 'approved', name: 'Zoé' })], nextCursor: null });
    return json({ reviews: [], nextCursor: null });
  };
}

async function screen(answer: Answer = api(), me = owner) {
  const stub = stubFetch(answer);
  const el = await fixture<FdReviews>(html`<fd-reviews lang="en" .today=${TODAY} .program=${cafe} .me=${me}></fd-reviews>`);
  await waitUntil(() => $$(el, '[role=status]').every((s) => !s.textContent!.includes('Loading')), 'loaded');
  return { el, stub };
}

const listed = (el: FdReviews) => $$(el, 'li.review').map((li) => li.dataset.id);
const action = (el: FdReviews, id: string, a: 'approved' | 'rejected') =>
  $<HTMLButtonElement>(el, `li.review[data-id="${id}"] [data-action=${a}]`)!;
const patches = (calls: Call[]) => calls.filter((c) => c.method === 'PATCH');

describe('<fd-reviews>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => fetchStub?.restore());

  it('is accessible', async function (this: { timeout(ms: number): void }) {
    // The first axe run of a file loads axe: seconds on a busy machine.
    this.timeout(10_000);
    const { el, stub } = await screen();
    fetchStub = stub;
    await expect(el).to.be.accessible();
  });

  it('lists the pending reviews first, and asks the last 90 days of scores', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    const list = stub.calls.find((c) => c.url.pathname === '/api/merchant/reviews')!;
    expect(list.url.searchParams.get('status')).to.equal('pending');
    const kpis = stub.calls.find((c) => c.url.pathname === '/api/merchant/kpis')!;
    expect(Object.fromEntries(kpis.url.searchParams)).to.deep.equal({ from: '2025-12-11', to: '2026-03-10' });
    expect(listed(el)).to.deep.equal(PENDING.map((r) => r.id));
    const t = text(el);
    expect(t).to.contain('Léa').and.contain('Lovely croissants.').and.contain('Hugo Martin').and.contain('(no comment)');
    expect($(el, 'li.review .stars')!.getAttribute('aria-label')).to.equal('Rated 5 out of 5');
    // A member who had visited before writing it: "Verified visit" on that review only.
    expect($$(el, 'li.review').map((li) => li.querySelector('.verified')?.textContent)).to.deep.equal([undefined, '✓ Verified visit']);
  });

  it('shows NPS, CSAT and CES with what they mean, and "—" for a score without answers', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    const score = (k: string) => $(el, `[data-score=${k}]`)!;
    expect(score('nps').querySelector('.value')!.textContent!.trim()).to.equal('+35');
    expect(score('nps').textContent).to.contain('Would they recommend you?');
    expect(score('csat').querySelector('.value')!.textContent!.trim()).to.equal('80%');
    expect(score('ces').querySelector('.value')!.textContent!.trim()).to.equal('—');
    expect(score('ces').textContent).to.contain('No answers in the last 90 days.');
  });

  it('approves with one PATCH even when clicked twice; the review leaves the list with a confirmation', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { el, stub } = await screen(
      api(async (c) => {
        await gate;
        return json({ review: { ...PENDING[0], status: (c.body as { status: string }).status } });
      }),
    );
    fetchStub = stub;
    const id = PENDING[0]!.id;
    action(el, id, 'approved').click();
    await el.updateComplete;
    expect(action(el, id, 'approved').getAttribute('aria-disabled')).to.equal('true');
    action(el, id, 'approved').click();
    action(el, PENDING[1]!.id, 'rejected').click();
    release();
    await waitUntil(() => !listed(el).includes(id), 'the review left the list');
    const sent = patches(stub.calls);
    expect(sent).to.have.length(1);
    expect(sent[0]!.url.pathname).to.equal(`/api/merchant/reviews/${id}`);
    expect(sent[0]!.body).to.deep.equal({ status: 'approved' });
    expect(listed(el)).to.deep.equal([PENDING[1]!.id]);
    expect($(el, '[role=status]')!.textContent).to.contain('Review by Léa approved: it now shows on your website.');
  });

  it('rejects: the review leaves the list, named by its customer when it has no name', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    const id = PENDING[1]!.id;
    action(el, id, 'rejected').click();
    await waitUntil(() => !listed(el).includes(id));
    expect(patches(stub.calls)[0]!.body).to.deep.equal({ status: 'rejected' });
    expect($(el, '[role=status]')!.textContent).to.contain('Review by Hugo Martin rejected');
  });

  it('a review deleted meanwhile (404) leaves the list, and the page says so', async () => {
    const { el, stub } = await screen(api(() => problem(404, 'not_found')));
    fetchStub = stub;
    const id = PENDING[0]!.id;
    action(el, id, 'approved').click();
    await waitUntil(() => !listed(el).includes(id));
    expect(text(el)).to.contain('This review no longer exists');
    expect($(el, '[role=alert]')).to.equal(null);
  });

  it('a failed moderation (500) keeps the review and offers to try again', async () => {
    const { el, stub } = await screen(api(() => problem(500, 'internal_error')));
    fetchStub = stub;
    action(el, PENDING[0]!.id, 'approved').click();
    await waitUntil(() => $(el, '[role=alert]'));
    expect(listed(el)).to.deep.equal(PENDING.map((r) => r.id));
    expect($(el, '[role=alert]')!.textContent).to.contain('Try again');
  });

  it('the tabs send `status`; approved reviews can be unpublished', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    $<HTMLButtonElement>(el, '[data-status=approved]')!.click();
    await waitUntil(() => listed(el)[0] === '33333333-3333-4333-8333-333333333333');
    expect(stub.calls.at(-1)!.url.searchParams.get('status')).to.equal('approved');
    expect($(el, '[data-status=approved]')!.getAttribute('aria-pressed')).to.equal('true');
    expect(action(el, '33333333-3333-4333-8333-333333333333', 'rejected').textContent!.trim()).to.equal('Unpublish');
    $<HTMLButtonElement>(el, '[data-status=rejected]')!.click();
    await waitUntil(() => text(el).includes('No rejected review.'));
    expect(stub.calls.at(-1)!.url.searchParams.get('status')).to.equal('rejected');
  });

  it('"Load more" asks the next page with the cursor and adds it below', async () => {
    const more = review('44444444-4444-4444-8444-444444444444', { name: 'Inès' });
    const { el, stub } = await screen((c) => {
      if (c.url.pathname === '/api/merchant/kpis') return json(scores());
      return c.url.searchParams.get('cursor') === 'page-2'
        ? json({ reviews: [more], nextCursor: null })
        : json({ reviews: PENDING, nextCursor: 'page-2' });
    });
    fetchStub = stub;
    const button = () => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === 'Load more');
    button()!.click();
    await waitUntil(() => listed(el).length === 3);
    expect(stub.calls.at(-1)!.url.searchParams.get('cursor')).to.equal('page-2');
    expect(stub.calls.at(-1)!.url.searchParams.get('status')).to.equal('pending');
    expect(listed(el)).to.deep.equal([...PENDING.map((r) => r.id), more.id]);
    expect(button()).to.equal(undefined);
  });

  it('staff see no moderation buttons; a 403 from the server says the page is for the owner', async () => {
    const { el, stub } = await screen((c) => (c.url.pathname === '/api/merchant/kpis' ? json(scores()) : problem(403, 'forbidden')), staff);
    fetchStub = stub;
    expect(text(el)).to.contain('Only the owner of the business can open this page.');
    fetchStub.restore();
    const again = await screen(api(), staff);
    fetchStub = again.stub;
    expect(listed(again.el)).to.have.length(2);
    expect($(again.el, '[data-action]')).to.equal(null);
  });

  it('shows "Loading…" while the reviews are on their way', async () => {
    fetchStub = stubFetch(never);
    const el = await fixture<FdReviews>(html`<fd-reviews lang="fr" .today=${TODAY} .me=${owner}></fd-reviews>`);
    expect(text(el)).to.contain('Chargement…').and.contain('À modérer');
  });
});
