import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../widget/index.ts';
import type { FidelioReviews } from '../../widget/fidelio-reviews.ts';
import { $, $$, text } from './support/dom.ts';
import { API, type Answer, json, never, problem, stubFetch } from './support/fetch.ts';

const LD = {
  '@context': 'https://schema.org',
  '@type': 'AggregateRating',
  itemReviewed: { '@type': 'LocalBusiness', name: 'Café Lune' },
  ratingValue: 4.5,
  reviewCount: 2,
};
const PAGE = {
  average: 4.5,
  count: 2,
  structuredData: LD,
  reviews: [
    {
      rating: 5,
      text: 'Great <script>alert(1)</script><img src=x onerror="window.hacked=1"> 😀',
      name: 'Léa',
      verified: true,
      createdAt: '2026-01-02T10:00:00.000Z',
    },
    { rating: 4, text: 'قهوة رائعة', name: null, verified: false, createdAt: '2026-01-01T10:00:00.000Z' },
  ],
  nextCursor: null,
};
const NONE = { average: null, count: 0, reviews: [], nextCursor: null, structuredData: null };

/** `page` as the program's reviews. */
const api =
  (page: unknown = PAGE): Answer =>
  () =>
    json(page);

/** The JSON-LD scripts in the element's light DOM, parsed. */
const jsonLd = (el: Element) =>
  [...el.querySelectorAll('script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent!) as Record<string, unknown>);

async function reviews(lang = 'en', attrs = '') {
  const el = await fixture<FidelioReviews>(
    attrs
      ? html`<fidelio-reviews program="cafe-lune" api=${API} lang=${lang} limit="3"></fidelio-reviews>`
      : html`<fidelio-reviews program="cafe-lune" api=${API} lang=${lang}></fidelio-reviews>`,
  );
  await waitUntil(() => !$(el, '[role=status]'), 'the reviews have loaded');
  return el;
}

describe('<fidelio-reviews>', () => {
  let stub: ReturnType<typeof stubFetch>;
  beforeEach(() => (stub = stubFetch(api())));
  afterEach(() => stub.restore());

  it('is accessible', async () => {
    const el = await reviews();
    await expect(el).to.be.accessible();
  });

  it('shows the average and the approved reviews', async () => {
    const el = await reviews();
    expect(stub.calls[0]!.url.href).to.equal(`${API}/api/public/programs/cafe-lune/reviews?limit=5`);
    expect(text(el)).to.contain('4.5 out of 5, 2 reviews');
    expect($$(el, 'li')).to.have.length(2);
    expect($$(el, 'li [role=img]').map((s) => s.getAttribute('aria-label'))).to.deep.equal(['5 out of 5', '4 out of 5']);
    expect(text(el)).to.contain('Léa').and.contain('A customer');
    expect($(el, 'time')!.getAttribute('datetime')).to.equal(PAGE.reviews[0]!.createdAt);
  });

  it('shows review text as text, never as markup', async () => {
    const el = await reviews();
    const first = $(el, '.text')!;
    expect(first.textContent).to.equal(PAGE.reviews[0]!.text);
    expect(first.querySelector('script, img')).to.equal(null);
    expect((window as { hacked?: number }).hacked).to.equal(undefined);
  });

  it('lets right-to-left text run right to left', async () => {
    const el = await reviews();
    const rtl = $$(el, '.text')[1]!;
    expect(rtl.getAttribute('dir')).to.equal('auto');
    expect(getComputedStyle(rtl).direction).to.equal('rtl');
  });

  it('asks for as many reviews as its limit', async () => {
    await reviews('en', 'limit');
    expect(stub.calls[0]!.url.searchParams.get('limit')).to.equal('3');
  });

  it('says when there are none yet', async () => {
    stub.restore();
    stub = stubFetch(api(NONE));
    const el = await reviews();
    expect(text(el)).to.contain('No reviews yet.');
    expect(jsonLd(el)).to.deep.equal([]);
  });

  it('shows a loading state, then a retry message when the API does not answer', async () => {
    stub.restore();
    stub = stubFetch(never);
    const el = await fixture<FidelioReviews>(
      html`<fidelio-reviews program="cafe-lune" api=${API} lang="en" timeout="50"></fidelio-reviews>`,
    );
    expect($(el, '[role=status]')!.textContent).to.equal('Loading…');
    await waitUntil(() => $(el, '[role=alert]'), 'the retry message is shown');
    expect($(el, '[role=alert] button')!.textContent).to.equal('Try again');
  });

  it('says when the program does not exist', async () => {
    stub.restore();
    stub = stubFetch(() => problem(404, 'not_found'));
    const el = await reviews();
    expect($(el, '[role=alert]')!.textContent).to.contain('not found');
  });

  it('speaks French', async () => {
    const el = await reviews('fr');
    expect(text(el)).to.contain('Avis clients').and.contain('4,5 sur 5, 2 avis').and.contain('Un client');
    expect($$(el, 'li')[0]!.textContent).to.contain('Visite vérifiée');
  });

  it('says "Verified visit" on the reviews of members who had visited, and on those only', async () => {
    const el = await reviews();
    const [first, second] = $$(el, 'li');
    expect(first!.textContent).to.contain('Verified visit');
    expect(second!.textContent).not.to.contain('Verified visit');
  });

  it('publishes the average and count as schema.org AggregateRating JSON-LD, in the light DOM', async () => {
    const el = await reviews();
    const scripts = el.querySelectorAll('script[type="application/ld+json"]');
    expect(scripts).to.have.length(1);
    expect(scripts[0]!.parentNode).to.equal(el);
    expect(jsonLd(el)[0]).to.deep.equal(LD, 'the server’s, as it sent it');
  });

  it('replaces its JSON-LD when the list reloads, never adds a second, and drops it when there are no reviews', async () => {
    const el = await reviews();
    stub.restore();
    stub = stubFetch(api({ ...PAGE, average: 4.2, count: 7, structuredData: { ...LD, ratingValue: 4.2, reviewCount: 7 } }));
    el.limit = 3;
    await waitUntil(() => text(el).includes('7 reviews'), 'the list has reloaded');
    const ld = jsonLd(el);
    expect(ld).to.have.length(1);
    expect([ld[0]!.ratingValue, ld[0]!.reviewCount]).to.deep.equal([4.2, 7]);

    stub.restore();
    stub = stubFetch(api(NONE));
    el.limit = 4;
    await waitUntil(() => text(el).includes('No reviews yet.'), 'the empty list has loaded');
    expect(jsonLd(el)).to.deep.equal([]);

    // Another program's failure never leaves the last one's rating behind.
    stub.restore();
    stub = stubFetch(api());
    el.limit = 5;
    await waitUntil(() => jsonLd(el).length === 1, 'the JSON-LD is back');
    stub.restore();
    stub = stubFetch(() => problem(404, 'not_found'));
    el.program = 'gone';
    await waitUntil(() => $(el, '[role=alert]'), 'the failure is shown');
    expect(jsonLd(el)).to.deep.equal([]);
  });
});
