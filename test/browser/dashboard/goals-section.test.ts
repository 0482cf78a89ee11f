import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../dashboard/screens/goals-section.ts';
import '../../../dashboard/screens/fd-kpis.ts';
import type { Goal, Goals, Me } from '../../../common/api.ts';
import type { FdGoalsSection } from '../../../dashboard/screens/goals-section.ts';
import type { FdKpis } from '../../../dashboard/screens/fd-kpis.ts';
import { $, $$, text } from '../support/dom.ts';
import { type Answer, json, problem, stubFetch } from '../support/fetch.ts';
import { cafe, owner, staff } from './fixtures.ts';

const TODAY = '2027-03-01';

const goal = (g: Partial<Goal>): Goal => ({
  id: 'g1',
  metric: 'purchaseFrequency',
  target: 2,
  from: '2027-01-01',
  to: '2027-06-30',
  baseline: 1.5,
  baselineMeasured: false,
  current: 1.75,
  direction: 'up',
  progress: 50,
  onTrack: true,
  status: 'active',
  createdAt: '2027-01-01T10:00:00.000Z',
  ...g,
});

/** Four goals, one in each state. */
const goals = (): Goals => ({
  today: TODAY,
  goals: [
    goal({
      id: 'missed',
      metric: 'newMembers',
      target: 50,
      baseline: 0,
      baselineMeasured: true,
      current: 20,
      progress: 40,
      status: 'missed',
      onTrack: false,
      from: '2026-10-01',
      to: '2026-12-31',
    }),
    goal({
      id: 'met',
      metric: 'rewardCostPercent',
      target: 5,
      baseline: 8,
      current: 4.5,
      direction: 'down',
      progress: 100,
      status: 'met',
      to: '2027-04-30',
    }),
    goal({ id: 'freq' }),
    goal({ id: 'behind', metric: 'nps', target: 40, baseline: 10, current: 12, progress: 6.7, onTrack: false, to: '2027-07-31' }),
  ],
});

/** The section for `me`; `write` answers the writes (GET /goals answers `list`). */
async function section(opts: { me?: Me; lang?: string; write?: Answer; list?: Answer } = {}) {
  const stub = stubFetch((c) =>
    c.method === 'GET' ? (opts.list ?? (() => json(goals())))(c) : (opts.write ?? (() => problem(500, 'internal_error')))(c),
  );
  const el = await fixture<FdGoalsSection>(
    html`<fd-goals-section lang=${opts.lang ?? 'en'} .program=${cafe} .me=${opts.me ?? owner}></fd-goals-section>`,
  );
  if ((opts.me ?? owner).role === 'owner') await waitUntil(() => !$(el, '[role=status]'), 'the goals are loaded');
  return { el, stub };
}

const item = (el: FdGoalsSection, id: string) => $(el, `[data-goal="${id}"]`)!;
const words = (e: Element) => e.textContent!.replace(/\s+/g, ' ').trim();
const button = (el: FdGoalsSection, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label);

function fill(el: FdGoalsSection, id: string, value: string) {
  const input = $<HTMLInputElement | HTMLSelectElement>(el, `#${id}`)!;
  input.value = value;
  input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true, composed: true }));
}

async function submit(el: FdGoalsSection) {
  button(el, 'Save the goal')!.click();
  await el.updateComplete;
}

describe('<fd-goals-section>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => fetchStub?.restore());

  it('shows each goal as a progress bar with its deadline and state; accessible', async () => {
    const { el, stub } = await section();
    fetchStub = stub;
    expect(stub.calls.map((c) => `${c.method} ${c.url.pathname}`)).to.deep.equal(['GET /api/merchant/goals']);
    expect($$(el, '.goal').map((g) => g.dataset.goal)).to.deep.equal(['missed', 'met', 'freq', 'behind']);

    const freq = item(el, 'freq');
    expect(words(freq)).to.contain('Visits per active member').and.contain('From 1.5 to 2, by Jun 30, 2027');
    expect(words(freq)).to.contain('On track').and.contain('Now 1.75 · 50% of the way');
    const bar = freq.querySelector('progress')!;
    expect(bar.value).to.equal(50);
    expect(bar.getAttribute('aria-label')).to.equal('Visits per active member: 50% of the way');

    expect(words(item(el, 'met')))
      .to.contain('Met')
      .and.contain('From 8% to 5%');
    expect(item(el, 'met').querySelector('progress')!.value).to.equal(100);
    expect(words(item(el, 'missed')))
      .to.contain('Missed')
      .and.contain('ended Dec 31, 2026');
    expect(words(item(el, 'behind')))
      .to.contain('Behind')
      .and.contain('From +10 to +40')
      .and.contain('7% of the way');
    expect(item(el, 'behind').className).to.contain('behind');
    await expect(el).to.be.accessible();
  });

  it('in French', async () => {
    const { el, stub } = await section({ lang: 'fr' });
    fetchStub = stub;
    const freq = words(item(el, 'freq'));
    expect(freq).to.contain('Visites par membre actif').and.contain('De 1,5 à 2, d’ici le 30 juin 2027').and.contain('En bonne voie');
    expect(words(item(el, 'missed'))).to.contain('Manqué');
    expect(words(item(el, 'met'))).to.contain('Atteint');
    expect(words(item(el, 'behind'))).to.contain('En retard');
    expect(text(el)).to.contain('Ajouter un objectif');
  });

  it('says when there is no goal yet', async () => {
    const { el, stub } = await section({ list: () => json({ today: TODAY, goals: [] }) });
    fetchStub = stub;
    expect(text(el)).to.contain('No goal yet.');
  });

  it('adds a goal: the start is today (the merchant’s), the body as the API wants it, shown in deadline order', async () => {
    const created = goal({
      id: 'new',
      metric: 'retentionRate',
      target: 60,
      baseline: 41.5,
      baselineMeasured: true,
      to: '2027-05-31',
      progress: 0,
      current: 41.5,
    });
    const { el, stub } = await section({ write: () => json(created, 201) });
    fetchStub = stub;
    button(el, 'Add a goal')!.click();
    await el.updateComplete;
    expect($<HTMLInputElement>(el, '#goal-from')!.value).to.equal(TODAY);
    await expect(el).to.be.accessible();
    fill(el, 'goal-metric', 'retentionRate');
    fill(el, 'goal-target', '60');
    fill(el, 'goal-to', '2027-05-31');
    await submit(el);
    await waitUntil(() => text(el).includes('The goal was saved.'), 'the goal is saved');
    const writes = stub.calls.filter((c) => c.method !== 'GET');
    expect(writes.map((c) => `${c.method} ${c.url.pathname}`)).to.deep.equal(['POST /api/merchant/goals']);
    expect(writes[0]!.body).to.deep.equal({ metric: 'retentionRate', target: 60, from: TODAY, to: '2027-05-31' });
    expect($$(el, '.goal').map((g) => g.dataset.goal)).to.deep.equal(['missed', 'met', 'new', 'freq', 'behind']);
    expect($(el, 'form'), 'the form is closed').to.equal(null);
  });

  it('money is typed in euros and sent in cents; a starting point typed with a comma', async () => {
    const { el, stub } = await section({ write: () => json(goal({ id: 'aov', metric: 'averageOrderValue', target: 1250 }), 201) });
    fetchStub = stub;
    button(el, 'Add a goal')!.click();
    await el.updateComplete;
    fill(el, 'goal-metric', 'averageOrderValue');
    fill(el, 'goal-target', '12,50');
    fill(el, 'goal-baseline', '9.8');
    fill(el, 'goal-to', '2027-12-31');
    await submit(el);
    await waitUntil(() => stub.calls.some((c) => c.method === 'POST'), 'sent');
    expect(stub.calls.find((c) => c.method === 'POST')!.body).to.deep.equal({
      metric: 'averageOrderValue',
      target: 1250,
      from: TODAY,
      to: '2027-12-31',
      baseline: 980,
    });
  });

  it('refuses a deadline before the start and a target that is not a number, without asking the server', async () => {
    const { el, stub } = await section();
    fetchStub = stub;
    button(el, 'Add a goal')!.click();
    await el.updateComplete;
    fill(el, 'goal-target', 'lots');
    fill(el, 'goal-to', '2027-02-01');
    await submit(el);
    expect(stub.calls.filter((c) => c.method !== 'GET')).to.have.length(0);
    expect(words($(el, '#goal-target-error')!)).to.equal('Enter a number.');
    expect(words($(el, '#goal-to-error')!)).to.equal('The deadline must not be before the start.');
    expect($(el, '#goal-target')!.getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('shows the server’s refusal (400) with its fields', async () => {
    const { el, stub } = await section({
      write: () => problem(400, 'validation_failed', [{ path: 'to', message: 'must not be before from' }]),
    });
    fetchStub = stub;
    button(el, 'Add a goal')!.click();
    await el.updateComplete;
    fill(el, 'goal-target', '3');
    fill(el, 'goal-to', '2027-04-01');
    await submit(el);
    await waitUntil(() => $(el, 'form [role=alert]'), 'the refusal is shown');
    expect(words($(el, 'form [role=alert]')!)).to.equal('The server refused this goal: to: must not be before from');
    expect($$(el, '.goal')).to.have.length(4);
  });

  it('edits a goal: the form holds its values; an emptied starting point is measured again', async () => {
    const { el, stub } = await section({
      write: (c) => json({ ...goal({ id: 'freq' }), ...(c.body as object), baseline: 1.2, baselineMeasured: true }),
    });
    fetchStub = stub;
    $<HTMLButtonElement>(el, '[data-edit="freq"]')!.click();
    await el.updateComplete;
    expect($<HTMLSelectElement>(el, '#goal-metric')!.value).to.equal('purchaseFrequency');
    expect($<HTMLInputElement>(el, '#goal-target')!.value).to.equal('2');
    expect($<HTMLInputElement>(el, '#goal-baseline')!.value).to.equal('1.5');
    expect($<HTMLInputElement>(el, '#goal-to')!.value).to.equal('2027-06-30');
    fill(el, 'goal-target', '2.5');
    fill(el, 'goal-baseline', '');
    await submit(el);
    await waitUntil(() => text(el).includes('The goal was saved.'), 'saved');
    const write = stub.calls.find((c) => c.method === 'PATCH')!;
    expect(write.url.pathname).to.equal('/api/merchant/goals/freq');
    expect(write.body).to.deep.equal({ metric: 'purchaseFrequency', target: 2.5, from: '2027-01-01', to: '2027-06-30', baseline: null });
    expect(words(item(el, 'freq'))).to.contain('From 1.2 to 2.5');
  });

  it('deletes a goal after asking; Cancel keeps it', async () => {
    const { el, stub } = await section({ write: () => new Response(null, { status: 204 }) });
    fetchStub = stub;
    $<HTMLButtonElement>(el, '[data-remove="met"]')!.click();
    await el.updateComplete;
    expect(words($(el, '[role=alertdialog]')!)).to.contain('Delete the goal “Reward cost”?');
    await expect(el).to.be.accessible();
    button(el, 'Cancel')!.click();
    await el.updateComplete;
    expect(stub.calls.filter((c) => c.method === 'DELETE')).to.have.length(0);
    expect($$(el, '.goal')).to.have.length(4);

    $<HTMLButtonElement>(el, '[data-remove="met"]')!.click();
    await el.updateComplete;
    button(el, 'Yes, delete')!.click();
    await waitUntil(() => text(el).includes('The goal was deleted.'), 'deleted');
    expect(stub.calls.filter((c) => c.method === 'DELETE').map((c) => c.url.pathname)).to.deep.equal(['/api/merchant/goals/met']);
    expect($$(el, '.goal').map((g) => g.dataset.goal)).to.deep.equal(['missed', 'freq', 'behind']);
  });

  it('staff: nothing shown, nothing asked; a 403 says owner only', async () => {
    const asStaff = await section({ me: staff });
    fetchStub = asStaff.stub;
    await asStaff.el.updateComplete;
    expect(asStaff.stub.calls).to.have.length(0);
    expect(text(asStaff.el).trim()).to.equal('');
    fetchStub.restore();
    const refused = await section({ list: () => problem(403, 'forbidden') });
    fetchStub = refused.stub;
    expect(words($(refused.el, '[role=alert]')!)).to.equal('Only the owner of the business can open this page.');
  });

  it('is part of the Figures screen', async () => {
    const stub = stubFetch((c) => (c.url.pathname.endsWith('/goals') ? json(goals()) : problem(500, 'internal_error')));
    fetchStub = stub;
    const kpis = await fixture<FdKpis>(html`<fd-kpis lang="en" .program=${cafe} .me=${owner}></fd-kpis>`);
    const inner = $<FdGoalsSection>(kpis, 'fd-goals-section')!;
    await waitUntil(() => inner.shadowRoot && $$(inner, '.goal').length === 4, 'the goals are shown in the screen');
    expect(stub.calls.map((c) => c.url.pathname)).to.include('/api/merchant/goals');
  });

  it('tells the Figures screen (and so the shell) when a goal’s form holds unsaved changes, not when it is only open', async () => {
    const stub = stubFetch((c) => (c.url.pathname.endsWith('/goals') ? json(goals()) : problem(500, 'internal_error')));
    fetchStub = stub;
    const kpis = await fixture<FdKpis>(html`<fd-kpis lang="en" .program=${cafe} .me=${owner}></fd-kpis>`);
    const el = $<FdGoalsSection>(kpis, 'fd-goals-section')!;
    await waitUntil(() => el.shadowRoot && button(el, 'Add a goal'), 'the goals are shown');
    expect([el.unsaved, kpis.unsaved]).to.deep.equal([false, false]);
    button(el, 'Add a goal')!.click();
    await el.updateComplete;
    expect(el.unsaved, 'opened, nothing typed').to.equal(false);
    fill(el, 'goal-target', '2');
    await el.updateComplete;
    expect([el.unsaved, kpis.unsaved]).to.deep.equal([true, true]);
  });
});
