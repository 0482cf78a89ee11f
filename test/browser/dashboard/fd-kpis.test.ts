import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../../dashboard/screens/fd-kpis.ts';
import type { FdKpis } from '../../../dashboard/screens/fd-kpis.ts';
import { $, $$, text } from '../support/dom.ts';
import { type Answer, json, problem, stubFetch } from '../support/fetch.ts';
import { cafe, kpis, owner, shops } from './fixtures.ts';

const TODAY = '2026-03-10';

/** The screen's answers: `answer` for the KPIs, no goals for the goals below them. */
const figures =
  (answer: Answer): Answer =>
  (c) =>
    c.url.pathname === '/api/merchant/goals' ? json({ today: TODAY, goals: [] }) : answer(c);

async function screen(answer: Answer = () => json(kpis())) {
  const stub = stubFetch(figures(answer));
  const el = await fixture<FdKpis>(html`<fd-kpis lang="en" today=${TODAY} .program=${cafe} .me=${owner}></fd-kpis>`);
  await waitUntil(() => !$(el, '[role=status]'), 'the figures are loaded');
  return { el, stub };
}

const period = (el: FdKpis, p: string) => $<HTMLButtonElement>(el, `[data-period="${p}"]`)!;
const tile = (el: FdKpis, k: string) => $(el, `[data-kpi="${k}"]`)!;
const query = (url: URL) => Object.fromEntries(url.searchParams);
/** The KPI requests (the goals section below the figures asks for the goals on its own). */
const kpiCalls = (stub: ReturnType<typeof stubFetch>) => stub.calls.filter((c) => c.url.pathname === '/api/merchant/kpis');

describe('<fd-kpis>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  afterEach(async () => {
    fetchStub?.restore();
    await resetMouse();
  });

  it('is accessible, with tiles and charts', async function (this: { timeout(ms: number): void }) {
    // axe over ~50 SVG shapes and tables: about a second, more on a busy machine.
    this.timeout(10_000);
    const { el, stub } = await screen();
    fetchStub = stub;
    await expect(el).to.be.accessible();
    period(el, 'custom').click();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('opens on the last 30 days; each period button sends its from/to (to included), all time sends none', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    expect(stub.calls[0]!.url.pathname).to.equal('/api/merchant/kpis');
    expect(query(stub.calls[0]!.url)).to.deep.equal({ from: '2026-02-09', to: TODAY });
    expect(period(el, '30d').getAttribute('aria-pressed')).to.equal('true');
    const expected: [string, Record<string, string>][] = [
      ['7d', { from: '2026-03-04', to: TODAY }],
      ['90d', { from: '2025-12-11', to: TODAY }],
      ['12m', { from: '2025-03-11', to: TODAY }],
      ['all', {}],
    ];
    for (const [p, range] of expected) {
      period(el, p).click();
      await waitUntil(() => !$(el, '[role=status]'));
      expect(query(stub.calls.at(-1)!.url), p).to.deep.equal(range);
      expect(period(el, p).getAttribute('aria-pressed'), p).to.equal('true');
    }
    expect(kpiCalls(stub)).to.have.length(5);
  });

  it('writes values with Intl, and a null as "—" with the reason', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    const value = (k: string) => tile(el, k).querySelector('.value')!.textContent!.trim();
    expect(value('members')).to.equal('1,234');
    expect(value('retentionRate')).to.equal('42.5%');
    expect(value('purchaseFrequency')).to.equal('2.35');
    expect(value('averageOrderValue')).to.equal('€12.50');
    expect(value('clv')).to.equal('€987.65');
    expect(value('nps')).to.equal('+40');
    expect(value('ces')).to.equal('3.4 / 5');
    expect(value('redemptionRate')).to.equal('—');
    expect(tile(el, 'redemptionRate').textContent).to.contain('No reward earned in this period');
    expect(value('referralConversion')).to.equal('—');
    expect(tile(el, 'referralConversion').textContent).to.contain('No referral made in this period');
    expect(tile(el, 'members').querySelector('.hint')).to.equal(null);
    expect(text(el)).to.contain('From Feb 9, 2026 to Mar 10, 2026');
  });

  it('says how many lapsed members were reminded and came back; nothing when the play never ran', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    expect($(el, '[data-win-back]')!.textContent).to.equal('Win-back: 12 members reminded, 5 came back since.');
    stub.restore();
    const quiet = await screen(() => json(kpis({ winBack: { sent: 0, returned: 0 } })));
    fetchStub = quiet.stub;
    expect($(quiet.el, '[data-win-back]')).to.equal(null);
  });

  it('says what the period owes the cause when the program gives back; nothing otherwise', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    expect($(el, '[data-giving]')!.textContent!.trim()).to.equal('Giving back: €312.00 owed to the food bank for this period.');
    stub.restore();
    const none = await screen(() => json(kpis({ giving: null })));
    fetchStub = none.stub;
    expect($(none.el, '[data-giving]')).to.equal(null);
  });

  it('shows the formula on hover and on keyboard focus, tied to its button by aria-describedby; Escape hides it', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    const tip = tile(el, 'nps').querySelector<HTMLElement>('[role=tooltip]')!;
    const button = tile(el, 'nps').querySelector<HTMLButtonElement>('button')!;
    const shown = () => getComputedStyle(tip).display !== 'none';
    expect(tip.textContent!.trim()).to.equal(
      'NPS = % promoters (scores 9–10) − % detractors (scores 0–6) among the NPS answers of the period.',
    );
    expect(button.getAttribute('aria-describedby')).to.equal(tip.id);
    expect(button.getAttribute('aria-label')).to.equal('How is “Net Promoter Score (NPS)” computed?');
    expect(shown()).to.equal(false);

    const box = tile(el, 'nps').getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.left + 10), Math.round(box.top + box.height / 2)] });
    expect(shown(), 'on hover').to.equal(true);
    await sendMouse({ type: 'move', position: [0, 0] });
    expect(shown()).to.equal(false);

    button.focus();
    await el.updateComplete;
    expect(shown(), 'on focus').to.equal(true);
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(shown(), 'after Escape').to.equal(false);
  });

  it('draws one bar per bucket in each chart, and the table holds the same numbers', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    const charts = $$(el, 'figure');
    expect(charts).to.have.length(3);
    for (const c of charts) {
      expect(c.querySelectorAll('svg rect.bar'), c.querySelector('figcaption')!.textContent!).to.have.length(5);
      expect(c.querySelectorAll('tbody tr')).to.have.length(5);
    }
    const visits = charts.find((c) => c.querySelector('figcaption')!.textContent!.includes('Visits'))!;
    const rows = [...visits.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.textContent!.trim()));
    expect(rows).to.deep.equal([
      ['Mar 6', '10'],
      ['Mar 7', '12'],
      ['Mar 8', '7'],
      ['Mar 9', '0'],
      ['Mar 10', '21'],
    ]);
    // The tallest bar is the busiest day; an empty day has no height.
    const heights = [...visits.querySelectorAll('rect.bar')].map((r) => Number(r.getAttribute('height')));
    expect(Math.max(...heights)).to.equal(heights[4]);
    expect(heights[3]).to.equal(0);
    const spend = charts.find((c) => c.querySelector('figcaption')!.textContent!.includes('Spend'))!;
    expect(spend.querySelector('tbody tr:nth-child(3) td')!.textContent!.trim()).to.equal('€25.50');
  });

  describe('the y axis of the charts', () => {
    /** The spend series of `kpis()` with other amounts (minor units). */
    const spending = (amounts: number[]) =>
      kpis({ series: { bucket: 'day', points: kpis().series.points.map((p, i) => ({ ...p, spendMinor: amounts[i] ?? 0 })) } });
    /** The three tick labels of a chart, bottom to top (they are drawn first). */
    const ticks = (el: FdKpis, title: string) =>
      [
        ...$$(el, 'figure')
          .find((f) => f.querySelector('figcaption')!.textContent!.includes(title))!
          .querySelectorAll('text.axis'),
      ]
        .slice(0, 3)
        .map((t) => t.textContent!.trim());

    it('reads with cents at small amounts, and never "0 € / 0 € / 0 €"', async () => {
      const cents = await screen(() => json(spending([10, 0, 30, 5, 0])));
      fetchStub = cents.stub;
      expect(ticks(cents.el, 'Spend')).to.deep.equal(['€0.00', '€0.20', '€0.40']);
      cents.stub.restore();
      const none = await screen(() => json(spending([0, 0, 0, 0, 0])));
      fetchStub = none.stub;
      const empty = ticks(none.el, 'Spend');
      expect(new Set(empty).size, empty.join(' / ')).to.equal(3);
      expect(empty).to.deep.equal(['€0.00', '€0.50', '€1.00']);
    });

    it('stays short for large amounts, in whole euros', async () => {
      const { el, stub } = await screen(() => json(spending([1000, 0, 255000, 0, 400])));
      fetchStub = stub;
      expect(ticks(el, 'Spend')).to.deep.equal(['€0', '€2K', '€4K']);
      expect(ticks(el, 'Visits'), 'counts fall on whole visits').to.deep.equal(['0', '20', '40']);
      expect(ticks(el, 'New members')).to.deep.equal(['0', '2', '4']);
    });
  });

  it('says why a stamps café has no average order value, lifetime value or reward cost', async () => {
    const none = { averageOrderValue: null, clv: null, rewardCostPercent: null };
    const { el, stub } = await screen(() => json(kpis(none)));
    fetchStub = stub;
    const why = (k: string) => tile(el, k).querySelector('[part=why]')?.textContent;
    for (const k of Object.keys(none)) expect(tile(el, k).querySelector('.value')!.textContent!.trim(), k).to.equal('—');
    expect(why('averageOrderValue')).to.equal('No purchase amount entered: a stamp records none.');
    expect(why('clv')).to.equal('Needs the average order value, which stamps do not give.');
    expect(why('rewardCostPercent')).to.equal('Needs the amounts spent, which stamps do not give.');
    stub.restore();

    const fr = stubFetch(figures(() => json(kpis(none))));
    fetchStub = fr;
    const french = await fixture<FdKpis>(html`<fd-kpis lang="fr" today=${TODAY} .program=${cafe} .me=${owner}></fd-kpis>`);
    await waitUntil(() => !$(french, '[role=status]'), 'the figures are loaded');
    expect(tile(french, 'averageOrderValue').querySelector('[part=why]')!.textContent).to.equal(
      'Aucun montant d’achat saisi : un tampon n’en enregistre pas.',
    );
    fr.restore();

    // A points program records amounts: no amount in the period is the reason there.
    const points = stubFetch(figures(() => json(kpis(none))));
    fetchStub = points;
    const other = await fixture<FdKpis>(
      html`<fd-kpis lang="en" today=${TODAY} .program=${{ ...cafe, type: 'points' }} .me=${owner}></fd-kpis>`,
    );
    await waitUntil(() => !$(other, '[role=status]'), 'the figures are loaded');
    expect(tile(other, 'averageOrderValue').querySelector('[part=why]')!.textContent).to.equal(
      'No purchase with an amount in this period.',
    );
  });

  it('checks a custom period before asking, then shows what the server says of a period it refuses (400)', async () => {
    const { el, stub } = await screen((c) => (c.url.searchParams.get('from') === '2001-01-01' ? json(refusal, 400) : json(kpis())));
    fetchStub = stub;
    period(el, 'custom').click();
    await el.updateComplete;
    const from = $<HTMLInputElement>(el, '#from')!;
    const to = $<HTMLInputElement>(el, '#to')!;
    expect([from.value, to.value], 'starts from the period shown').to.deep.equal(['2026-02-09', TODAY]);
    const set = async (input: HTMLInputElement, v: string) => {
      input.value = v;
      input.dispatchEvent(new Event('input'));
      await el.updateComplete;
    };
    const apply = async () => {
      $<HTMLButtonElement>(el, 'form button[type=submit]')!.click();
      await el.updateComplete;
    };
    await set(from, '2026-03-20');
    await apply();
    expect($(el, 'form [role=alert]')!.textContent).to.contain('The start must not be after the end.');
    await set(from, '2020-01-01');
    await apply();
    expect($(el, 'form [role=alert]')!.textContent).to.contain('The period can be 5 years at most.');
    expect(kpiCalls(stub)).to.have.length(1);

    await set(from, '2001-01-01');
    await set(to, '2001-12-31');
    await apply();
    await waitUntil(() => $(el, '.alert[role=alert]'), 'the refusal is shown');
    expect(query(stub.calls.at(-1)!.url)).to.deep.equal({ from: '2001-01-01', to: '2001-12-31' });
    expect($(el, '.alert[role=alert]')!.textContent).to.contain('The server refused this period: the period must be at most 5 years');
  });

  it('a 401 tells the shell the session is gone; a 403 says the page is for the owner', async () => {
    fetchStub = stubFetch(() => problem(401, 'unauthorized'));
    const listener = oneEvent(document, 'fd-signed-out');
    const el = await fixture<FdKpis>(html`<fd-kpis lang="en" today=${TODAY} .me=${owner}></fd-kpis>`);
    await listener;
    fetchStub.restore();
    fetchStub = stubFetch(() => problem(403, 'forbidden'));
    period(el, '7d').click();
    await waitUntil(() => text(el).includes('Only the owner'), 'the 403 is explained');
    expect($(el, '[role=alert]')!.textContent).to.contain('Only the owner of the business can open this page.');
  });

  it('speaks French', async () => {
    fetchStub = stubFetch(figures(() => json(kpis())));
    const el = await fixture<FdKpis>(html`<fd-kpis lang="fr" today=${TODAY} .program=${cafe} .me=${owner}></fd-kpis>`);
    await waitUntil(() => tile(el, 'members'));
    expect(tile(el, 'members').querySelector('.value')!.textContent!.trim()).to.equal('1\u202f234');
    expect(tile(el, 'averageOrderValue').querySelector('.value')!.textContent!.trim()).to.equal('12,50\u00a0€');
    expect(tile(el, 'nps').querySelector('[role=tooltip]')!.textContent).to.contain('% de promoteurs');
    expect(text(el)).to.contain('30 derniers jours');
  });
});

/** How the server refuses a period (server/contract/merchant.ts `kpisQuery`). */
const refusal = {
  type: 'about:blank',
  title: 'validation_failed',
  status: 400,
  code: 'validation_failed',
  detail: 'Some fields are missing or invalid.',
  errors: [{ path: 'to', message: 'the period must be at most 5 years' }],
};

describe('<fd-kpis>: one shop’s figures', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => fetchStub?.restore());

  async function shopScreen(locations = shops, lang = 'en') {
    fetchStub = stubFetch(figures(() => json(kpis())));
    const el = await fixture<FdKpis>(html`<fd-kpis lang=${lang} today=${TODAY} .program=${{ ...cafe, locations }} .me=${owner}></fd-kpis>`);
    await waitUntil(() => !$(el, '[role=status]'), 'the figures are loaded');
    return el;
  }

  async function choose(el: FdKpis, value: string) {
    const select = $<HTMLSelectElement>(el, '#shop')!;
    select.value = value;
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => !$(el, '[role=status]'));
  }

  it('offers "All shops" and each shop by name, labelled and accessible', async function (this: { timeout(ms: number): void }) {
    this.timeout(10_000);
    const el = await shopScreen();
    const select = $<HTMLSelectElement>(el, '#shop')!;
    expect($(el, 'label[for=shop]')!.textContent!.trim()).to.equal('Shop');
    expect([...select.options].map((o) => [o.value, o.textContent!.trim()])).to.deep.equal([
      ['', 'All shops'],
      ['bastille', 'Bastille'],
      ['lyon', 'Lyon Croix-Rousse'],
    ]);
    expect(select.value).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('asks for one shop’s figures with &location, keeps it across periods, and All shops drops it', async () => {
    const el = await shopScreen();
    const calls = () => kpiCalls(fetchStub!);
    expect(query(calls()[0]!.url)).to.deep.equal({ from: '2026-02-09', to: TODAY });
    await choose(el, 'lyon');
    expect(calls()).to.have.length(2);
    expect(calls()[1]!.method).to.equal('GET');
    expect(query(calls()[1]!.url)).to.deep.equal({ from: '2026-02-09', to: TODAY, location: 'lyon' });
    period(el, '7d').click();
    await waitUntil(() => calls().length === 3);
    expect(query(calls()[2]!.url)).to.deep.equal({ from: '2026-03-04', to: TODAY, location: 'lyon' });
    period(el, 'all').click();
    await waitUntil(() => calls().length === 4);
    expect(query(calls()[3]!.url)).to.deep.equal({ location: 'lyon' });
    await choose(el, '');
    expect(query(calls()[4]!.url)).to.deep.equal({});
    expect(tile(el, 'members')).to.exist;
  });

  it('has no shop select with fewer than two shops; speaks French', async () => {
    const one = await shopScreen([shops[0]!]);
    expect($(one, '#shop')).to.equal(null);
    expect(query(kpiCalls(fetchStub!)[0]!.url)).to.not.have.property('location');
    fetchStub!.restore();
    const fr = await shopScreen(shops, 'fr');
    expect($(fr, 'label[for=shop]')!.textContent!.trim()).to.equal('Boutique');
    expect($<HTMLSelectElement>(fr, '#shop')!.options[0]!.textContent!.trim()).to.equal('Toutes les boutiques');
  });
});
